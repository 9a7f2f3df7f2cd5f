// S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP'23), shared by
// allkeys-s3fifo and volatile-s3fifo. New keys enter a small FIFO; one re-accessed there moves to
// the main FIFO, the others leave and are remembered in a ghost queue, and a key found in the
// ghost on insertion goes straight to main. Main is a FIFO with reinsertion (a 2-bit frequency,
// decremented on each pass). A hit costs one byte store. One set of queues per shard.
//
// Two refinements, measured on the simulator's traces (benchmarks/RESULTS.md):
// - A ghost hit forgets the ghost entry. Keeping it let a key cycle main -> evicted -> main on
//   stale evidence (orm-busy at 1%: 3% better than LRU with it kept, 12% with it forgotten).
// - The small queue's share adapts, as ARC adapts its recency target (Megiddo and Modha,
//   FAST'03): a second ghost remembers keys evicted from main; a hit in the small queue's ghost
//   means the small queue was too short to see the key's reuse and grows it by one key, a hit in
//   main's ghost shrinks it (by two, see MAIN_GHOST_WEIGHT). A fixed 10% leaves tiny caches a
//   handful of small-queue keys (orm-busy at 0.1%: 18% worse than LRU fixed, 2% better adaptive).
//
// meta per slot: bits 0-1 the access frequency (capped at 3), bit 2 set while in main, bit 3 set
// while queued (the volatile variant queues only keys with a TTL).

import { ByteRange, NO_EXPIRE, type Shard } from '../engine/shard.js';
import { GhostTable, MAIN_GHOST, SMALL_GHOST, fingerprint } from './ghost.js';
import { SlotQueue } from './queue.js';
import { QueuePolicy, type QueueTracker } from './queue-policy.js';

/** Where a key's bytes are read for its fingerprint; one object, reused. */
const keyBytes = new ByteRange();

const FREQ_MASK = 3;
const IN_MAIN = 4;
const QUEUED = 8;
/** The small queue's starting share of a shard's queued keys (the paper's 10%), and its bounds. */
const SMALL_SHARE = 0.1;
const SMALL_SHARE_MIN = 0.05;
const SMALL_SHARE_MAX = 0.9;
/**
 * A main-ghost hit shrinks the small queue by two keys, a ghost hit grows it by one: a key that
 * earned main once is the stronger evidence. With equal steps the small queue drifted to ~30% on
 * Zipf and lost 7 points there at 10% cache size; with 2:1 Zipf is as good as the fixed 10%.
 */
const MAIN_GHOST_WEIGHT = 2;

class S3FifoState {
  readonly small = new SlotQueue();
  readonly main = new SlotQueue();
  /** Keys evicted from the small queue (SMALL_GHOST), and from main (MAIN_GHOST: steers the share only). */
  readonly ghosts = new GhostTable();
  smallShare = SMALL_SHARE;
}

const stateOf = (shard: Shard): S3FifoState => shard.policyState as S3FifoState;

class S3FifoTracker implements QueueTracker {
  constructor(private readonly volatileOnly: boolean) {}

  inserted(shard: Shard, slot: number): void {
    if (this.volatileOnly && (shard.expireAt[slot] === NO_EXPIRE || (shard.metaOf(slot) & QUEUED) !== 0)) return;
    enqueue(shard, slot);
  }

  accessed(shard: Shard, slot: number): void {
    const m = shard.metaOf(slot);
    if ((m & FREQ_MASK) !== FREQ_MASK) shard.setMeta(slot, m + 1);
  }

  removed(shard: Shard, slot: number): void {
    dequeue(shard, slot);
  }

  cleared(shard: Shard): void {
    shard.useLinks(true);
    shard.clearMeta();
    shard.policyState = new S3FifoState();
  }

  expireSet(shard: Shard, slot: number): void {
    if (this.volatileOnly && (shard.metaOf(slot) & QUEUED) === 0) enqueue(shard, slot);
  }

  expireCleared(shard: Shard, slot: number): void {
    if (this.volatileOnly) dequeue(shard, slot);
  }
}

function enqueue(shard: Shard, slot: number): void {
  const state = stateOf(shard);
  const ghost = state.ghosts.take(fingerprint(shard.keyRange(slot, keyBytes)));
  if (ghost === SMALL_GHOST) {
    state.smallShare = Math.min(SMALL_SHARE_MAX, state.smallShare + 1 / (state.small.count + state.main.count + 1));
    shard.setMeta(slot, QUEUED | IN_MAIN);
    state.main.pushNewest(shard, slot);
    return;
  }
  if (ghost === MAIN_GHOST) {
    state.smallShare = Math.max(SMALL_SHARE_MIN, state.smallShare - MAIN_GHOST_WEIGHT / (state.small.count + state.main.count + 1));
  }
  shard.setMeta(slot, QUEUED);
  state.small.pushNewest(shard, slot);
}

function dequeue(shard: Shard, slot: number): void {
  const m = shard.metaOf(slot);
  if ((m & QUEUED) === 0) return;
  const state = stateOf(shard);
  if ((m & IN_MAIN) !== 0) state.main.unlink(shard, slot);
  else state.small.unlink(shard, slot);
  shard.setMeta(slot, 0);
}

export class S3FifoPolicy extends QueuePolicy {
  /** Two Int32 links, plus the ghost table (8 B per cell, 3-8 cells per queued key). */
  readonly bytesPerKey = 8 + 48;
  readonly tracker: S3FifoTracker;

  constructor(
    readonly name: string,
    volatileOnly: boolean,
  ) {
    super(volatileOnly);
    this.tracker = new S3FifoTracker(volatileOnly);
  }

  protected queuedIn(shard: Shard): number {
    const state = stateOf(shard);
    return state === null ? 0 : state.small.count + state.main.count;
  }

  /** The slot to evict from one shard, moving keys between queues on the way; -1 when empty. */
  protected victimIn(shard: Shard): number {
    const state = stateOf(shard);
    const { small, main, ghosts } = state;
    const total = small.count + main.count;
    if (total === 0) return -1;
    ghosts.capacity = total;
    const smallTarget = state.smallShare * total;
    for (;;) {
      if (main.count === 0 || small.count >= smallTarget) {
        const slot = small.oldest;
        if ((shard.metaOf(slot) & FREQ_MASK) !== 0) {
          small.unlink(shard, slot);
          shard.setMeta(slot, QUEUED | IN_MAIN);
          main.pushNewest(shard, slot);
          continue;
        }
        ghosts.add(fingerprint(shard.keyRange(slot, keyBytes)), SMALL_GHOST);
        return slot;
      }
      const slot = main.oldest;
      const m = shard.metaOf(slot);
      if ((m & FREQ_MASK) === 0) {
        ghosts.add(fingerprint(shard.keyRange(slot, keyBytes)), MAIN_GHOST);
        return slot;
      }
      main.unlink(shard, slot);
      shard.setMeta(slot, m - 1);
      main.pushNewest(shard, slot);
    }
  }
}
