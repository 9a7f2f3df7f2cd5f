// A FIFO of slots threaded through a shard's prev/next columns: O(1) push, pop and unlink, with
// no object per key. prev points toward the newest end, next toward the oldest.

import type { Shard } from '../engine/shard.js';

export class SlotQueue {
  newest = -1;
  oldest = -1;
  count = 0;

  pushNewest(shard: Shard, slot: number): void {
    const prev = shard.prev as Int32Array;
    const next = shard.next as Int32Array;
    prev[slot] = -1;
    next[slot] = this.newest;
    if (this.newest !== -1) prev[this.newest] = slot;
    else this.oldest = slot;
    this.newest = slot;
    this.count++;
  }

  unlink(shard: Shard, slot: number): void {
    const prev = shard.prev as Int32Array;
    const next = shard.next as Int32Array;
    const newer = prev[slot];
    const older = next[slot];
    if (newer !== -1) next[newer] = older;
    else this.newest = older;
    if (older !== -1) prev[older] = newer;
    else this.oldest = newer;
    prev[slot] = -1;
    next[slot] = -1;
    this.count--;
  }

  /** The neighbour one step toward the newest end, or -1. */
  newerOf(shard: Shard, slot: number): number {
    return (shard.prev as Int32Array)[slot];
  }

  reset(): void {
    this.newest = -1;
    this.oldest = -1;
    this.count = 0;
  }
}
