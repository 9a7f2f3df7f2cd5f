// allkeys-sieve: SIEVE (Zhang et al., NSDI'24). Keys queue in insertion order with a visited bit
// (meta); a hand walks from the oldest end, clearing visited bits and evicting the first key
// not visited since the hand last passed. A hit costs one byte store, no list move. One queue
// per shard; the evictor picks the shard.

import type { Shard } from '../../engine/shard.js';
import type { PolicyFactory } from '../policy.js';
import { SlotQueue } from '../queue.js';
import { QueuePolicy, type QueueTracker } from '../queue-policy.js';

class SieveState {
  readonly queue = new SlotQueue();
  hand = -1;
}

const stateOf = (shard: Shard): SieveState => shard.policyState as SieveState;

class SieveTracker implements QueueTracker {
  inserted(shard: Shard, slot: number): void {
    shard.meta[slot] = 0;
    stateOf(shard).queue.pushNewest(shard, slot);
  }

  accessed(shard: Shard, slot: number): void {
    shard.meta[slot] = 1;
  }

  removed(shard: Shard, slot: number): void {
    const state = stateOf(shard);
    if (state.hand === slot) state.hand = state.queue.newerOf(shard, slot);
    state.queue.unlink(shard, slot);
  }

  cleared(shard: Shard): void {
    shard.useLinks(true);
    shard.policyState = new SieveState();
  }
}

class Sieve extends QueuePolicy {
  readonly name = 'allkeys-sieve';
  /** The two Int32 links. */
  readonly bytesPerKey = 8;
  readonly tracker = new SieveTracker();

  protected victimIn(shard: Shard): number {
    const state = stateOf(shard);
    const queue = state.queue;
    if (queue.count === 0) return -1;
    const meta = shard.meta;
    let slot = state.hand === -1 ? queue.oldest : state.hand;
    while (meta[slot] !== 0) {
      meta[slot] = 0;
      slot = queue.newerOf(shard, slot);
      if (slot === -1) slot = queue.oldest;
    }
    state.hand = queue.newerOf(shard, slot);
    return slot;
  }
}

export const allkeysSieve: PolicyFactory = () => new Sieve();
