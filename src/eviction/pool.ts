// Redis's eviction pool: the approximated LRU/LFU/TTL policies sample maxmemory-samples keys per
// database and keep the 16 best candidates seen so far (sorted by "idle" score, best last), so
// every round's sample improves on the previous rounds' leftovers.

import type { Database } from '../engine/database.js';
import { NO_RECORD } from '../engine/record-store.js';
import { NO_EXPIRE, type Shard } from '../engine/shard.js';
import type { SelectionContext, Victim } from './policy.js';

export const EVPOOL_SIZE = 16;

/** Higher means a better victim. */
export type IdleScore = (shard: Shard, slot: number, ctx: SelectionContext) => number;

export class EvictionPool {
  // A candidate lives in one of EVPOOL_SIZE cells and stays there until it leaves the pool;
  // `order` lists the cells by ascending idle score and is what insertion shifts. Shifting the
  // candidates themselves moved six columns, four of them heap pointers behind V8's write
  // barrier, up to 15 times per sampled key: most of the cost of sampling.
  private readonly order = Int8Array.from({ length: EVPOOL_SIZE }, (_, i) => i);
  /** Idle score by position in `order` (ascending); a plain double, cheap to shift. */
  private readonly idle = new Float64Array(EVPOOL_SIZE);
  private readonly dbs: (Database | null)[] = new Array<Database | null>(EVPOOL_SIZE).fill(null);
  /**
   * Where each candidate was sampled. A removed key's candidate is forgotten at once (forget(),
   * called by the policy's tracker), because its slot, and even its record's place, may soon hold
   * a new key that the stale score would evict; so a cell that is still here holds its key.
   */
  private readonly shards: (Shard | null)[] = new Array<Shard | null>(EVPOOL_SIZE).fill(null);
  private readonly slots = new Int32Array(EVPOOL_SIZE);
  /** The database's shard list when sampled: SWAPDB exchanges the lists, which voids the shard. */
  private readonly shardLists: (Shard[] | null)[] = new Array<Shard[] | null>(EVPOOL_SIZE).fill(null);
  /**
   * Candidates held. They always fill positions 0..count-1: insertion keeps them packed, and
   * select removes from the top down (as Redis's pool, whose entries are a prefix too).
   */
  private count = 0;

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
      for (let k = this.count - 1; k >= 0; k--) {
        const cell = this.order[k];
        this.count = k;
        const db = this.dbs[cell];
        if (db === null) continue;
        const shard = this.shards[cell] as Shard;
        const slot = this.slots[cell];
        // SWAPDB exchanged the shard lists since sampling: the slot is another database's now.
        const current = db.shards === this.shardLists[cell] && shard.isLive(slot);
        this.removeCell(cell);
        if (!current || (this.volatileOnly && shard.expireAt[slot] === NO_EXPIRE)) continue;
        victim.db = db;
        victim.shard = shard;
        victim.slot = slot;
        return true;
      }
    }
    return false;
  }

  /**
   * Adds up to maxmemory-samples keys of db to the pool; returns how many were sampled. Like
   * Redis's dictGetSomeKeys, the keys are consecutive from a random start (slots of a random
   * shard, or its dense TTL list), not each drawn at random: adjacent slots hold keys of unrelated
   * ages (a new key takes whichever low slot an eviction freed), and reading neighbours costs
   * one cache miss instead of one per sample, which is most of the price of an eviction.
   */
  private populate(db: Database, ctx: SelectionContext): number {
    const shards = db.shards;
    const random = ctx.settings.random;
    const wanted = ctx.settings.samples;
    let sampled = 0;
    let steps = 0;
    let shardIndex = Math.floor(random() * shards.length);
    let first = true;
    // As dictGetSomeKeys: give up after visiting 10x the samples (or every shard once).
    for (let visited = 0; visited < shards.length && sampled < wanted; visited++) {
      const shard = shards[shardIndex];
      shardIndex = (shardIndex + 1) & (shards.length - 1);
      if (this.volatileOnly) {
        const count = shard.ttlCount;
        if (count === 0) continue;
        let pos = first ? Math.floor(random() * count) : 0;
        for (let n = 0; n < count && sampled < wanted; n++) {
          const slot = shard.ttlSlots[pos];
          this.insert(db, shard, slot, this.score(shard, slot, ctx));
          sampled++;
          if (++pos === count) pos = 0;
        }
      } else {
        const limit = shard.slotLimit;
        if (shard.size === 0) continue;
        let slot = first ? Math.floor(random() * limit) : 0;
        const before = sampled;
        for (let n = 0; n < limit && sampled < wanted && steps < wanted * 10; n++, steps++) {
          if (shard.refOf(slot) !== NO_RECORD) {
            this.insert(db, shard, slot, this.score(shard, slot, ctx));
            sampled++;
          }
          if (++slot === limit) slot = 0;
        }
        if (sampled === before) {
          // The window fell in a sparse stretch of a shard that has keys: take one found at
          // random, so that a database with keys never looks empty (Redis samples until it
          // finds some).
          const found = shard.randomSlot(random);
          this.insert(db, shard, found, this.score(shard, found, ctx));
          sampled++;
        }
      }
      first = false;
    }
    return sampled;
  }

  /** Inserts keeping ascending idle order, as evictionPoolPopulate: a full pool drops its worst. */
  private insert(db: Database, shard: Shard, slot: number, idle: number): void {
    const order = this.order;
    const idles = this.idle;
    const count = this.count;
    let k = 0;
    while (k < count && idles[k] < idle) k++;
    const full = count === EVPOOL_SIZE;
    if (k === 0 && full) return;
    let cell: number;
    if (k === count && !full) {
      // Empty spot: insert here.
      cell = order[k];
      this.count = count + 1;
    } else if (!full) {
      // Shift the better candidates up one; the empty last cell takes position k.
      cell = order[EVPOOL_SIZE - 1];
      this.count = count + 1;
      for (let j = EVPOOL_SIZE - 1; j > k; j--) {
        order[j] = order[j - 1];
        idles[j] = idles[j - 1];
      }
    } else {
      // Drop the worst (position 0) and shift the worse ones down; its cell takes position k.
      k--;
      cell = order[0];
      for (let j = 0; j < k; j++) {
        order[j] = order[j + 1];
        idles[j] = idles[j + 1];
      }
    }
    order[k] = cell;
    idles[k] = idle;
    this.dbs[cell] = db;
    this.shards[cell] = shard;
    this.slots[cell] = slot;
    this.shardLists[cell] = db.shards;
  }

  /** Forgets the candidate at this slot, if any: its key is being removed. */
  forget(shard: Shard, slot: number): void {
    for (let k = 0; k < this.count; k++) {
      const cell = this.order[k];
      if (this.slots[cell] === slot && this.shards[cell] === shard) this.removeCell(cell);
    }
  }

  /** Forgets every candidate of a shard that is being emptied (FLUSHDB). */
  forgetShard(shard: Shard): void {
    for (let k = 0; k < this.count; k++) {
      const cell = this.order[k];
      if (this.shards[cell] === shard) this.removeCell(cell);
    }
  }

  private removeCell(cell: number): void {
    this.dbs[cell] = null;
    this.shards[cell] = null;
    this.shardLists[cell] = null;
  }

  clear(): void {
    this.count = 0;
    this.dbs.fill(null);
    this.shards.fill(null);
    this.shardLists.fill(null);
  }
}

/** A random live slot of the shard, or -1 when it is empty. */
export function randomLiveSlot(shard: Shard, random: () => number): number {
  return shard.randomSlot(random, 16);
}

/** A random slot among the shard's keys with a TTL, or -1 when there are none. */
export function randomTtlSlot(shard: Shard, random: () => number): number {
  if (shard.ttlCount === 0) return -1;
  return shard.ttlSlots[Math.floor(random() * shard.ttlCount)];
}
