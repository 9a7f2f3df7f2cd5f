// Base for policies that keep their own queues of slots in each shard's link columns (SIEVE,
// S3-FIFO): the tracker's `cleared` builds an empty per-shard state, which attaching refills
// from the live keys; the evictor picks the shard and the policy the slot within it.
//
// The volatile- variants queue only the keys that have a TTL: the shard tells the tracker when a
// key gains or loses one (expireSet, expireCleared), so a victim is found without walking past
// keys that may not be evicted, and no candidate anywhere means OOM as in Redis's volatile-lru.

import type { Database } from '../engine/database.js';
import { NO_EXPIRE, type Shard } from '../engine/shard.js';
import type { EvictionPolicy, KeyTracker, SelectionContext, Victim } from './policy.js';

/** A tracker whose queues need no clock: keys enter in insertion order. */
export interface QueueTracker extends KeyTracker {
  inserted(shard: Shard, slot: number): void;
}

export abstract class QueuePolicy implements EvictionPolicy {
  abstract readonly name: string;
  abstract readonly bytesPerKey: number;
  abstract readonly tracker: QueueTracker;
  /** Rotates the first database tried by volatile policies, as Redis's static next_db. */
  private nextDb = 0;

  constructor(protected readonly volatileOnly: boolean) {}

  attach(shard: Shard): void {
    this.tracker.cleared(shard);
    for (const slot of shard.liveSlots()) {
      if (!this.volatileOnly || shard.expireAt[slot] !== NO_EXPIRE) this.tracker.inserted(shard, slot);
    }
  }

  detach(shard: Shard): void {
    shard.useLinks(false);
    shard.policyState = null;
  }

  selectVictim(ctx: SelectionContext, victim: Victim): boolean {
    if (this.volatileOnly ? !this.pickVolatileShard(ctx, victim) : !ctx.pickShard(victim)) return false;
    const slot = this.victimIn(victim.shard as Shard);
    if (slot === -1) return false;
    victim.slot = slot;
    return true;
  }

  /** The slot to evict from one shard, updating the policy's state on the way; -1 when empty. */
  protected abstract victimIn(shard: Shard): number;

  /** How many keys of the shard are queued, i.e. may be evicted. */
  protected abstract queuedIn(shard: Shard): number;

  /**
   * A shard holding queued (TTL) keys: databases in turn, in each the fuller of two random
   * shards, else the first non-empty one from a random start; false when no key has a TTL.
   */
  private pickVolatileShard(ctx: SelectionContext, victim: Victim): boolean {
    const dbs = ctx.nonEmptyDatabases();
    const random = ctx.settings.random;
    for (let i = 0; i < dbs.length; i++) {
      const db: Database = dbs[++this.nextDb % dbs.length];
      const shards = db.shards;
      const a = shards[Math.floor(random() * shards.length)];
      const b = shards[Math.floor(random() * shards.length)];
      let best = this.queuedIn(a) >= this.queuedIn(b) ? a : b;
      if (this.queuedIn(best) === 0) {
        const start = Math.floor(random() * shards.length);
        for (let probe = 0; probe < shards.length && this.queuedIn(best) === 0; probe++) {
          best = shards[(start + probe) & (shards.length - 1)];
        }
      }
      if (this.queuedIn(best) === 0) continue;
      victim.db = db;
      victim.shard = best;
      return true;
    }
    return false;
  }
}
