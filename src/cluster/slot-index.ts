// The keys of each hash slot, for CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT (which resharding
// tools call once per slot). Kept up to date by the engine's key hook, so both answers cost
// O(keys in the slot) instead of a walk over the whole keyspace.

import type { Database } from '../engine/database.js';
import type { KeyHook } from '../engine/shard.js';
import { ByteStringSet } from '../util/byte-string-map.js';
import { SLOT_COUNT, keySlot } from './crc16.js';

export class SlotKeyIndex implements KeyHook {
  /**
   * Keys per slot in insertion order; undefined for a slot that never held a key. Every key
   * written passes here and keys may be of any length, hence ByteStringSet (see there).
   */
  private readonly slots: (ByteStringSet | undefined)[] = new Array(SLOT_COUNT);

  /** Indexes the keys already in `db` and follows its changes from now on. */
  attach(db: Database): void {
    for (const shard of db.shards) {
      for (const key of shard.liveKeys()) this.keyAdded(key);
      shard.keyHook = this;
    }
  }

  detach(db: Database): void {
    for (const shard of db.shards) if (shard.keyHook === this) shard.keyHook = null;
  }

  keyAdded(key: string): void {
    const slot = keySlot(key);
    let keys = this.slots[slot];
    if (keys === undefined) this.slots[slot] = keys = new ByteStringSet();
    keys.add(key);
  }

  keyRemoved(key: string): void {
    this.slots[keySlot(key)]?.delete(key);
  }

  count(slot: number): number {
    return this.slots[slot]?.size ?? 0;
  }

  /** Up to `max` keys of a slot, newest first, the order Redis lists them in. */
  keys(slot: number, max: number): string[] {
    const keys = this.slots[slot];
    if (keys === undefined || max === 0) return [];
    const all = [...keys];
    const out: string[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < max; i--) out.push(all[i]);
    return out;
  }
}
