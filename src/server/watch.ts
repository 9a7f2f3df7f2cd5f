// WATCH's bookkeeping: which clients watch which keys of which database, told by the engine of
// every change to a key. A database with no watched key has no observer at all, so the write
// path of a server where nobody uses WATCH pays one null check.

import type { Database, KeyObserver } from '../engine/database.js';
import { ByteStringMap } from '../util/byte-string-map.js';
import type { Clock } from '../util/clock.js';
import type { Client } from './client.js';

interface Watch {
  client: Client;
  db: Database;
  key: string;
  /**
   * The key was stored but already past its TTL when watched. Its reclaiming is then no change
   * (Redis 7 lets EXEC run), but its coming back to life is.
   */
  lapsedAtWatch: boolean;
}

export class WatchRegistry implements KeyObserver {
  /** Keys are client-chosen bytes of any length, hence ByteStringMap (see there). */
  private readonly byDb = new Map<Database, ByteStringMap<Watch[]>>();
  private readonly byClient = new Map<Client, Watch[]>();

  constructor(private readonly clock: Clock) {}

  /** Number of keys a client watches. */
  watchedBy(client: Client): number {
    return this.byClient.get(client)?.length ?? 0;
  }

  watch(client: Client, db: Database, key: string, now: number): void {
    let keys = this.byDb.get(db);
    if (keys === undefined) {
      keys = new ByteStringMap();
      this.byDb.set(db, keys);
      db.observer = this;
    }
    let watchers = keys.get(key);
    if (watchers === undefined) {
      watchers = [];
      keys.set(key, watchers);
    } else if (watchers.some((w) => w.client === client)) {
      return;
    }
    const watch: Watch = { client, db, key, lapsedAtWatch: db.storedState(key, now) === 'lapsed' };
    watchers.push(watch);
    const own = this.byClient.get(client);
    if (own === undefined) this.byClient.set(client, [watch]);
    else own.push(watch);
  }

  /** UNWATCH, EXEC, DISCARD, RESET and disconnection. */
  unwatchAll(client: Client): void {
    const own = this.byClient.get(client);
    if (own === undefined) return;
    this.byClient.delete(client);
    for (const watch of own) {
      const keys = this.byDb.get(watch.db) as ByteStringMap<Watch[]>;
      const watchers = keys.get(watch.key) as Watch[];
      watchers.splice(watchers.indexOf(watch), 1);
      if (watchers.length > 0) continue;
      keys.delete(watch.key);
      if (keys.size > 0) continue;
      this.byDb.delete(watch.db);
      watch.db.observer = null;
    }
  }

  keyModified(db: Database, key: string): void {
    const watchers = this.byDb.get(db)?.get(key);
    if (watchers === undefined) return;
    const now = this.clock.now();
    for (const watch of [...watchers]) {
      if (watch.lapsedAtWatch && db.storedState(key, now) !== 'live') continue;
      this.touch(watch.client);
    }
  }

  /** FLUSHDB, FLUSHALL: called while the keys are still there. */
  databaseFlushing(db: Database): void {
    this.contentsReplaced(db, db, null);
  }

  /** SWAPDB, called after the swap: db's old keys are now in other, its new keys came from it. */
  databasesSwapped(db: Database, other: Database): void {
    this.contentsReplaced(db, other, db);
  }

  /**
   * The watched keys of `watched` lost the contents now held by `before` (null: gone) and got
   * those of `after`, as Redis's touchAllWatchedKeysInDb judges it: a key changed if it was
   * stored before or is stored after; a key already past its TTL when watched changed only if
   * a live key replaces it; a missing key replaced by one past its TTL is as good as missing.
   */
  private contentsReplaced(watched: Database, before: Database, after: Database | null): void {
    const keys = this.byDb.get(watched);
    if (keys === undefined) return;
    const now = this.clock.now();
    for (const [key, watchers] of [...keys]) {
      const was = before.storedState(key, now);
      const is = after === null ? 'absent' : after.storedState(key, now);
      if (was === 'absent' && is === 'absent') continue;
      for (const watch of [...watchers]) {
        if (watch.lapsedAtWatch) {
          if (is !== 'live') continue;
        } else if (was === 'absent' && is === 'lapsed') {
          watch.lapsedAtWatch = true;
          continue;
        }
        this.touch(watch.client);
      }
    }
  }

  /**
   * EXEC's last check: a watched key whose TTL passed since WATCH fails the transaction even
   * if nothing reclaimed it yet (Redis 7's isWatchedKeyExpired).
   */
  anyLapsedSinceWatch(client: Client, now: number): boolean {
    const own = this.byClient.get(client);
    if (own === undefined) return false;
    return own.some((w) => !w.lapsedAtWatch && w.db.storedState(w.key, now) === 'lapsed');
  }

  /** A watched key changed: EXEC will fail, so the client's other watches are of no more use. */
  private touch(client: Client): void {
    client.watchTouched = true;
    this.unwatchAll(client);
  }
}
