// Redis's eviction pool: the approximated LRU/LFU/TTL policies sample maxmemory-samples keys per
// database and keep the 16 best candidates seen so far (sorted by "idle" score, best last), so
// every round's sample improves on the previous rounds' leftovers.

import type { Database } from '../engine/database.js';
import { NO_EXPIRE, type Shard } from '../engine/shard.js';
import type { SelectionContext, Victim } from './policy.js';

export const EVPOOL_SIZE = 16;

/** Higher means a better victim. */
export type IdleScore = (shard: Shard, slot: number, ctx: SelectionContext) => number;

export class EvictionPool {
  private readonly keys: (string | null)[] = new Array<string | null>(EVPOOL_SIZE).fill(null);
  private readonly dbs: (Database | null)[] = new Array<Database | null>(EVPOOL_SIZE).fill(null);
  private readonly idle = new Float64Array(EVPOOL_SIZE);

  constructor(
    private readonly volatileOnly: boolean,
    private readonly score: IdleScore,
  ) {}

  /** Samples each non-empty database and takes the best candidate still present; false when none is. */
  select(ctx: SelectionContext, victim: Victim): boolean {
    for (let round = 0; round < 8; round++) {
      let sampled = 0;
      for (const db of ctx.nonEmptyDatabases()) sampled += this.populate(db, ctx);
      if (sampled === 0) return false;
      for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
        const key = this.keys[k];
        if (key === null) continue;
        const db = this.dbs[k] as Database;
        this.removeAt(k);
        const shard = db.shardOf(key);
        const slot = shard.slotOf(key);
        if (slot === -1 || (this.volatileOnly && shard.expireAt[slot] === NO_EXPIRE)) continue;
        victim.db = db;
        victim.shard = shard;
        victim.slot = slot;
        return true;
      }
    }
    return false;
  }

  /** Adds up to maxmemory-samples random keys of db to the pool; returns how many were sampled. */
  private populate(db: Database, ctx: SelectionContext): number {
    const shards = db.shards;
    const random = ctx.settings.random;
    let sampled = 0;
    for (let i = 0; i < ctx.settings.samples; i++) {
      // A random shard, then the next ones until one has a candidate: shards are balanced by the
      // key hash, so this stays close to a uniform sample of the database.
      const start = Math.floor(random() * shards.length);
      for (let probe = 0; probe < shards.length; probe++) {
        const shard = shards[(start + probe) & (shards.length - 1)];
        const slot = this.volatileOnly ? randomTtlSlot(shard, random) : randomLiveSlot(shard, random);
        if (slot === -1) continue;
        this.insert(db, shard.keys[slot] as string, this.score(shard, slot, ctx));
        sampled++;
        break;
      }
    }
    return sampled;
  }

  /** Inserts keeping ascending idle order, as evictionPoolPopulate: a full pool drops its worst. */
  private insert(db: Database, key: string, idle: number): void {
    let k = 0;
    while (k < EVPOOL_SIZE && this.keys[k] !== null && this.idle[k] < idle) k++;
    if (k === 0 && this.keys[EVPOOL_SIZE - 1] !== null) return;
    if (k < EVPOOL_SIZE && this.keys[k] === null) {
      // Empty spot: insert here.
    } else if (this.keys[EVPOOL_SIZE - 1] === null) {
      for (let j = EVPOOL_SIZE - 1; j > k; j--) this.moveTo(j - 1, j);
    } else {
      k--;
      for (let j = 0; j < k; j++) this.moveTo(j + 1, j);
    }
    this.keys[k] = key;
    this.dbs[k] = db;
    this.idle[k] = idle;
  }

  private moveTo(from: number, to: number): void {
    this.keys[to] = this.keys[from];
    this.dbs[to] = this.dbs[from];
    this.idle[to] = this.idle[from];
  }

  private removeAt(k: number): void {
    this.keys[k] = null;
    this.dbs[k] = null;
  }

  clear(): void {
    this.keys.fill(null);
    this.dbs.fill(null);
  }
}

/** A random live slot of the shard, or -1 when it is empty. */
export function randomLiveSlot(shard: Shard, random: () => number): number {
  if (shard.size === 0) return -1;
  const keys = shard.keys;
  const limit = keys.length;
  for (let attempt = 0; attempt < 16; attempt++) {
    const slot = Math.floor(random() * limit);
    if (keys[slot] !== null) return slot;
  }
  const start = Math.floor(random() * limit);
  for (let i = 0; i < limit; i++) {
    const slot = (start + i) % limit;
    if (keys[slot] !== null) return slot;
  }
  return -1;
}

/** A random slot among the shard's keys with a TTL, or -1 when there are none. */
export function randomTtlSlot(shard: Shard, random: () => number): number {
  if (shard.ttlCount === 0) return -1;
  return shard.ttlSlots[Math.floor(random() * shard.ttlCount)];
}
