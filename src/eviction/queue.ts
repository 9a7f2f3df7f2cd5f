// A FIFO of slots threaded through a shard's links column: O(1) push, pop and unlink, with no
// object per key. links[2s] (prev) points toward the newest end, links[2s + 1] (next) toward the
// oldest.

import type { Shard } from '../engine/shard.js';

export class SlotQueue {
  newest = -1;
  oldest = -1;
  count = 0;

  pushNewest(shard: Shard, slot: number): void {
    const links = shard.links as Int32Array;
    links[2 * slot] = -1;
    links[2 * slot + 1] = this.newest;
    if (this.newest !== -1) links[2 * this.newest] = slot;
    else this.oldest = slot;
    this.newest = slot;
    this.count++;
  }

  unlink(shard: Shard, slot: number): void {
    const links = shard.links as Int32Array;
    const newer = links[2 * slot];
    const older = links[2 * slot + 1];
    if (newer !== -1) links[2 * newer + 1] = older;
    else this.newest = older;
    if (older !== -1) links[2 * older] = newer;
    else this.oldest = newer;
    links[2 * slot] = -1;
    links[2 * slot + 1] = -1;
    this.count--;
  }

  /** The neighbour one step toward the newest end, or -1. */
  newerOf(shard: Shard, slot: number): number {
    return (shard.links as Int32Array)[2 * slot];
  }

  reset(): void {
    this.newest = -1;
    this.oldest = -1;
    this.count = 0;
  }
}
