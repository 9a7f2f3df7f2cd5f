// allkeys-s3fifo: S3-FIFO (Yang et al., SOSP'23). New keys enter a small FIFO (10% of the keys);
// one re-accessed there moves to the main FIFO, the others leave and are remembered in a ghost
// queue, and a key found in the ghost on insertion goes straight to main. Main is a FIFO with
// reinsertion (a 2-bit frequency, decremented on each pass). One-hit wonders leave quickly and
// a hit costs one byte store. One set of queues per shard; the evictor picks the shard.
//
// meta per slot: bits 0-1 the access frequency (capped at 3), bit 2 set while in main.

import type { Shard } from '../../engine/shard.js';
import { GhostSet, fingerprint } from '../ghost.js';
import type { PolicyFactory } from '../policy.js';
import { SlotQueue } from '../queue.js';
import { QueuePolicy, type QueueTracker } from '../queue-policy.js';

const FREQ_MASK = 3;
const IN_MAIN = 4;
/** Share of a shard's keys the small queue holds. */
const SMALL_SHARE = 0.1;
/** Accesses while in the small queue that earn a move to main. */
const PROMOTE_AT = 1;

class S3FifoState {
  readonly small = new SlotQueue();
  readonly main = new SlotQueue();
  readonly ghost = new GhostSet();
}

const stateOf = (shard: Shard): S3FifoState => shard.policyState as S3FifoState;

class S3FifoTracker implements QueueTracker {
  inserted(shard: Shard, slot: number): void {
    const state = stateOf(shard);
    if (state.ghost.has(fingerprint(shard.keys[slot] as string))) {
      shard.meta[slot] = IN_MAIN;
      state.main.pushNewest(shard, slot);
    } else {
      shard.meta[slot] = 0;
      state.small.pushNewest(shard, slot);
    }
  }

  accessed(shard: Shard, slot: number): void {
    const m = shard.meta[slot];
    if ((m & FREQ_MASK) !== FREQ_MASK) shard.meta[slot] = m + 1;
  }

  removed(shard: Shard, slot: number): void {
    const state = stateOf(shard);
    if ((shard.meta[slot] & IN_MAIN) !== 0) state.main.unlink(shard, slot);
    else state.small.unlink(shard, slot);
  }

  cleared(shard: Shard): void {
    shard.useLinks(true);
    shard.policyState = new S3FifoState();
  }
}

class S3Fifo extends QueuePolicy {
  readonly name = 'allkeys-s3fifo';
  /** Two Int32 links, plus the ghost's Map entries (about one per key in main, ~40 B each). */
  readonly bytesPerKey = 8 + 40;
  readonly tracker = new S3FifoTracker();

  protected victimIn(shard: Shard): number {
    return evictFrom(shard, stateOf(shard));
  }
}

/** The slot to evict from one shard, moving keys between queues on the way; -1 when empty. */
function evictFrom(shard: Shard, state: S3FifoState): number {
  const { small, main, ghost } = state;
  const meta = shard.meta;
  ghost.capacity = main.count + small.count;
  for (;;) {
    if (small.count === 0 && main.count === 0) return -1;
    if (main.count === 0 || small.count >= SMALL_SHARE * (small.count + main.count)) {
      const slot = small.oldest;
      if ((meta[slot] & FREQ_MASK) >= PROMOTE_AT) {
        small.unlink(shard, slot);
        meta[slot] = IN_MAIN;
        main.pushNewest(shard, slot);
        continue;
      }
      ghost.add(fingerprint(shard.keys[slot] as string));
      return slot;
    }
    const slot = main.oldest;
    const m = meta[slot];
    if ((m & FREQ_MASK) === 0) return slot;
    main.unlink(shard, slot);
    meta[slot] = m - 1;
    main.pushNewest(shard, slot);
  }
}

export const allkeysS3fifo: PolicyFactory = () => new S3Fifo();
