// Keeps Redis's LFU counter in the shard's meta column: a new key starts at LFU_INIT_VAL, and every
// access decays it by the idle time and then increments it logarithmically (updateLFU).

import type { Shard } from '../engine/shard.js';
import { LFU_INIT_VAL, isLfuPolicy, lfuDecrAndReturn, lfuLogIncr } from './lfu.js';
import type { EvictionSettings, KeyTracker } from './policy.js';

export class LfuTracker implements KeyTracker {
  constructor(private readonly settings: EvictionSettings) {}

  inserted(shard: Shard, slot: number): void {
    shard.setMeta(slot, LFU_INIT_VAL);
  }

  accessed(shard: Shard, slot: number, now: number): void {
    const s = this.settings;
    const decayed = lfuDecrAndReturn(shard.metaOf(slot), shard.accessedAt(slot), now, s.lfuDecayTime);
    shard.setMeta(slot, lfuLogIncr(decayed, s.lfuLogFactor, s.random()));
  }

  removed(): void {}

  carriedOver(shard: Shard, slot: number, meta: number): void {
    shard.setMeta(slot, meta);
  }

  cleared(): void {}
}

/**
 * Keys stored before an LFU policy was selected start as new keys would; coming from the other
 * LFU policy they keep their counters, as Redis keeps the same field (allkeys-lfu <-> volatile-lfu).
 */
export function initLfuCounters(shard: Shard, previous: string | null): void {
  if (previous !== null && isLfuPolicy(previous)) return;
  for (const slot of shard.liveSlots()) shard.setMeta(slot, LFU_INIT_VAL);
}
