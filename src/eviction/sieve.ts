// SIEVE (Zhang et al., NSDI'24), shared by allkeys-sieve and volatile-sieve. Keys queue in
// insertion order with a visited bit; a hand walks from the oldest end, clearing visited bits and
// evicting the first key not visited since the hand last passed. A hit costs one byte store, no
// list move. One queue per shard; the evictor picks the shard.
//
// meta per slot: bit 0 visited, bit 1 set while queued (the volatile variant queues only keys
// with a TTL).

import { NO_EXPIRE, type Shard } from '../engine/shard.js';
import { SlotQueue } from './queue.js';
import { QueuePolicy, type QueueTracker } from './queue-policy.js';

const VISITED = 1;
const QUEUED = 2;

class SieveState {
  readonly queue = new SlotQueue();
  hand = -1;
}

const stateOf = (shard: Shard): SieveState => shard.policyState as SieveState;

class SieveTracker implements QueueTracker {
  constructor(private readonly volatileOnly: boolean) {}

  inserted(shard: Shard, slot: number): void {
    if (this.volatileOnly && (shard.expireAt[slot] === NO_EXPIRE || (shard.metaOf(slot) & QUEUED) !== 0)) return;
    enqueue(shard, slot);
  }

  accessed(shard: Shard, slot: number): void {
    shard.setMeta(slot, shard.metaOf(slot) | VISITED);
  }

  removed(shard: Shard, slot: number): void {
    dequeue(shard, slot);
  }

  cleared(shard: Shard): void {
    shard.useLinks(true);
    shard.clearMeta();
    shard.policyState = new SieveState();
  }

  expireSet(shard: Shard, slot: number): void {
    if (this.volatileOnly && (shard.metaOf(slot) & QUEUED) === 0) enqueue(shard, slot);
  }

  expireCleared(shard: Shard, slot: number): void {
    if (this.volatileOnly) dequeue(shard, slot);
  }
}

function enqueue(shard: Shard, slot: number): void {
  shard.setMeta(slot, QUEUED);
  stateOf(shard).queue.pushNewest(shard, slot);
}

function dequeue(shard: Shard, slot: number): void {
  if ((shard.metaOf(slot) & QUEUED) === 0) return;
  const state = stateOf(shard);
  if (state.hand === slot) state.hand = state.queue.newerOf(shard, slot);
  state.queue.unlink(shard, slot);
  shard.setMeta(slot, 0);
}

export class SievePolicy extends QueuePolicy {
  /** The two Int32 links. */
  readonly bytesPerKey = 8;
  readonly tracker: SieveTracker;

  constructor(
    readonly name: string,
    volatileOnly: boolean,
  ) {
    super(volatileOnly);
    this.tracker = new SieveTracker(volatileOnly);
  }

  protected queuedIn(shard: Shard): number {
    const state = stateOf(shard);
    return state === null ? 0 : state.queue.count;
  }

  protected victimIn(shard: Shard): number {
    const state = stateOf(shard);
    const queue = state.queue;
    if (queue.count === 0) return -1;
    let slot = state.hand === -1 ? queue.oldest : state.hand;
    while ((shard.metaOf(slot) & VISITED) !== 0) {
      shard.setMeta(slot, QUEUED);
      slot = queue.newerOf(shard, slot);
      if (slot === -1) slot = queue.oldest;
    }
    state.hand = queue.newerOf(shard, slot);
    return slot;
  }
}
