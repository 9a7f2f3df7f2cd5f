// Base for policies that keep their own queues of slots in each shard's link columns (SIEVE,
// S3-FIFO): the tracker's `cleared` builds an empty per-shard state, which attaching refills
// from the live keys; the evictor picks the shard and the policy the slot within it.

import type { Shard } from '../engine/shard.js';
import type { EvictionPolicy, KeyTracker, SelectionContext, Victim } from './policy.js';
import { liveSlots } from './queue.js';

/** A tracker whose queues need no clock: keys enter in insertion order. */
export interface QueueTracker extends KeyTracker {
  inserted(shard: Shard, slot: number): void;
}

export abstract class QueuePolicy implements EvictionPolicy {
  abstract readonly name: string;
  abstract readonly bytesPerKey: number;
  abstract readonly tracker: QueueTracker;

  attach(shard: Shard): void {
    this.tracker.cleared(shard);
    for (const slot of liveSlots(shard)) this.tracker.inserted(shard, slot);
  }

  detach(shard: Shard): void {
    shard.useLinks(false);
    shard.policyState = null;
  }

  selectVictim(ctx: SelectionContext, victim: Victim): boolean {
    if (!ctx.pickShard(victim)) return false;
    const slot = this.victimIn(victim.shard as Shard);
    if (slot === -1) return false;
    victim.slot = slot;
    return true;
  }

  /** The slot to evict from one shard, updating the policy's state on the way; -1 when empty. */
  protected abstract victimIn(shard: Shard): number;
}
