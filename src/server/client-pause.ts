// CLIENT PAUSE: while a pause lasts, the commands it covers (all, or those that write) are held
// unrun in their client's input, in order, and run when it ends (by timeout or CLIENT UNPAUSE),
// as Redis postpones them.
//
// The same hold keeps writes off the keys a MIGRATE has in flight. Redis's MIGRATE blocks the
// whole server, so nothing can touch a key between its DUMP and its deletion; ringcache lets
// other clients run while the target answers, and a DEL or EXPIRE acknowledged in that window
// would be undone by the copy the target keeps. Such a write waits for the MIGRATE to settle
// and then runs where the key now lives (here, or an ASK away).

import { keyPositions } from '../commands/spec-lookup.js';
import type { CommandSpec } from '../commands/types.js';
import { ByteStringMap } from '../util/byte-string-map.js';
import type { Client } from './client.js';

export type PauseMode = 'write' | 'all';

export class ClientPause {
  private mode: PauseMode | null = null;
  private endsAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiting = new Set<() => void>();
  /**
   * Keys sent by a MIGRATE still waiting for its target, per database, with a count per key;
   * every write looks its keys up here while one is in flight, and keys may be of any length.
   */
  private readonly migrating = new Map<number, ByteStringMap<number>>();
  private migratingCount = 0;

  constructor(private readonly now: () => number) {}

  /** A second pause keeps the stricter mode and the later end, as Redis's pauseClients. */
  pause(mode: PauseMode, endsAt: number): void {
    if (this.mode !== 'all') this.mode = mode;
    this.endsAt = Math.max(this.endsAt, endsAt);
    this.schedule();
  }

  unpause(): void {
    this.mode = null;
    this.endsAt = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.resumeWaiting();
  }

  /** True when this command must wait: Redis holds every command, or those that may write. */
  holds(client: Client, spec: CommandSpec, args: readonly string[]): boolean {
    return this.pauseHolds(client, spec) || (this.migratingCount > 0 && this.writesMigratingKey(client, spec, args));
  }

  /** Marks keys of database `db` as sent by a MIGRATE that has not settled yet. */
  lockKeys(db: number, keys: readonly string[]): void {
    let locked = this.migrating.get(db);
    if (locked === undefined) this.migrating.set(db, (locked = new ByteStringMap()));
    for (const key of keys) locked.set(key, (locked.get(key) ?? 0) + 1);
    this.migratingCount += keys.length;
  }

  /** The MIGRATE settled: writes held on these keys run again (and are held again if needed). */
  unlockKeys(db: number, keys: readonly string[]): void {
    const locked = this.migrating.get(db);
    if (locked === undefined) return;
    for (const key of keys) {
      const count = locked.get(key);
      if (count === undefined) continue;
      if (count === 1) locked.delete(key);
      else locked.set(key, count - 1);
      this.migratingCount--;
    }
    if (locked.size === 0) this.migrating.delete(db);
    this.resumeWaiting();
  }

  /** Calls `resume` once the pause ends. */
  whenOver(resume: () => void): void {
    this.waiting.add(resume);
  }

  /** True while anything may be held: a pause, or a MIGRATE in flight. */
  get paused(): boolean {
    return this.mode !== null || this.migratingCount > 0;
  }

  private pauseHolds(client: Client, spec: CommandSpec): boolean {
    if (this.mode === null) return false;
    if (this.now() >= this.endsAt) {
      this.unpause();
      return false;
    }
    if (this.mode === 'all') return true;
    if (isWrite(spec)) return true;
    if (spec.name !== 'exec' || client.multi === null) return false;
    return client.multi.some((q) => isWrite(q.spec));
  }

  private writesMigratingKey(client: Client, spec: CommandSpec, args: readonly string[]): boolean {
    if (spec.name === 'exec' && client.multi !== null) {
      // Follow the SELECTs queued in the transaction: each write runs in the database it names.
      let db = client.dbIndex;
      for (const q of client.multi) {
        if (q.spec.name === 'select') db = Number(q.args[1]);
        else if (isWrite(q.spec) && touches(this.migrating.get(db), q.spec, q.args)) return true;
      }
      return false;
    }
    const locked = this.migrating.get(client.dbIndex);
    // Queued commands are checked at EXEC; queueing itself changes nothing.
    if (client.multi !== null) return false;
    return isWrite(spec) && touches(locked, spec, args);
  }

  private resumeWaiting(): void {
    const resumed = [...this.waiting];
    this.waiting.clear();
    for (const resume of resumed) resume();
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.endsAt - this.now()));
    this.timer.unref();
  }
}

function isWrite(spec: CommandSpec): boolean {
  return spec.flags.includes('write') || spec.flags.includes('may_replicate');
}

/** A keyless write (FLUSHDB, FLUSHALL, SWAPDB) may touch any key, including another db's. */
function touches(locked: ByteStringMap<number> | undefined, spec: CommandSpec, args: readonly string[]): boolean {
  const positions = keyPositions(spec, args);
  if (positions.length === 0) return spec.flags.includes('write');
  if (locked === undefined) return false;
  return positions.some((i) => locked.has(args[i]));
}
