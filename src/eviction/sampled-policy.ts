// Redis's approximated policies (LRU, LFU, TTL): a sample per database into the eviction pool,
// the best candidate evicted. Each concrete policy file gives its scope and score.

import type { Shard } from '../engine/shard.js';
import { lfuDecrAndReturn } from './lfu.js';
import { EvictionPool, type IdleScore } from './pool.js';
import type { EvictionPolicy, KeyTracker, SelectionContext, Victim } from './policy.js';

export class SampledPolicy implements EvictionPolicy {
  readonly bytesPerKey = 0;
  readonly tracker: KeyTracker;
  private readonly pool: EvictionPool;

  constructor(
    readonly name: string,
    volatileOnly: boolean,
    score: IdleScore,
    keys: KeyTracker | null = null,
    private readonly onAttach: ((shard: Shard, previous: string | null) => void) | null = null,
  ) {
    this.pool = new EvictionPool(volatileOnly, score);
    this.tracker = new PoolTracker(this.pool, keys);
  }

  attach(shard: Shard, previous: string | null): void {
    this.onAttach?.(shard, previous);
  }

  detach(_shard: Shard): void {}

  selectVictim(ctx: SelectionContext, victim: Victim): boolean {
    return this.pool.select(ctx, victim);
  }
}

/** LRU: the longer idle, the better a victim. */
export const idleTimeScore: IdleScore = (shard, slot, ctx) => ctx.now - shard.accessedAt(slot);

/** LFU: the lower the (decayed) counter, the better a victim, as Redis's 255 - LFUDecrAndReturn. */
export const lfuScore: IdleScore = (shard, slot, ctx) =>
  255 - lfuDecrAndReturn(shard.metaOf(slot), shard.accessedAt(slot), ctx.now, ctx.settings.lfuDecayTime);

/** TTL: the sooner the expiry, the better a victim. */
export const ttlScore: IdleScore = (shard, slot) => -shard.expireAt[slot];

/**
 * Tells the pool of every removed key, so that a candidate never outlives its key: a new key soon
 * takes the freed slot (the lowest free one) and often the same record place (a hole of its
 * size), and would otherwise be evicted with the old key's score. Passes the rest on to the
 * policy's own tracker (LFU's counter), if it has one.
 */
class PoolTracker implements KeyTracker {
  constructor(
    private readonly pool: EvictionPool,
    private readonly keys: KeyTracker | null,
  ) {}

  inserted(shard: Shard, slot: number, now: number): void {
    if (this.keys !== null) this.keys.inserted(shard, slot, now);
  }

  accessed(shard: Shard, slot: number, now: number): void {
    if (this.keys !== null) this.keys.accessed(shard, slot, now);
  }

  removed(shard: Shard, slot: number): void {
    this.pool.forget(shard, slot);
    if (this.keys !== null) this.keys.removed(shard, slot);
  }

  cleared(shard: Shard): void {
    this.pool.forgetShard(shard);
    if (this.keys !== null) this.keys.cleared(shard);
  }

  carriedOver(shard: Shard, slot: number, meta: number): void {
    this.keys?.carriedOver?.(shard, slot, meta);
  }
}
