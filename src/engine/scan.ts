// SCAN's cursor over a database: a position (shard, slot), walked shard by shard, slot by slot.
//
// Redis's guarantee, that a key present from the first call to the last is returned at least
// once, holds because a key never leaves its slot while it lives: slots are appended when a
// shard grows, and only free slots at the end are cut when it shrinks (see shard.ts). A cursor
// beyond a shard's end just moves on to the next shard. Keys may be returned twice only if they
// are deleted and added again (landing in a later slot), as Redis allows.

import type { Database } from './database.js';

/** Slots per shard a cursor can address: a shard's Map holds at most 2^24 keys, so slots stay below. */
const SLOT_BITS = 24;
const SLOTS_PER_SHARD = 2 ** SLOT_BITS;
/** Slots visited per requested key at most, so a sparse region cannot stall one call (Redis's count*10). */
const VISITS_PER_COUNT = 10;

export interface ScanBatch {
  /** Where the next call starts; 0 once every shard is done. */
  cursor: number;
  /** Keys of the occupied slots visited, expired ones included: the caller filters them. */
  keys: string[];
}

/**
 * Collects the keys of about `count` occupied slots from `cursor` on. The cursor is a number
 * below 2^64 as the client sent it; one this database never issued just ends the iteration.
 */
export function scanKeys(db: Database, cursor: bigint, count: number): ScanBatch {
  const shards = db.shards;
  const keys: string[] = [];
  if (cursor >= BigInt(shards.length) * BigInt(SLOTS_PER_SHARD)) return { cursor: 0, keys };
  let position = Number(cursor);
  let shardIndex = Math.floor(position / SLOTS_PER_SHARD);
  let slot = position % SLOTS_PER_SHARD;
  let visitsLeft = count * VISITS_PER_COUNT;
  while (shardIndex < shards.length && keys.length < count && visitsLeft-- > 0) {
    const shard = shards[shardIndex];
    if (slot >= shard.slotLimit) {
      shardIndex++;
      slot = 0;
      continue;
    }
    if (shard.isLive(slot)) keys.push(shard.keyAt(slot));
    slot++;
  }
  position = shardIndex >= shards.length ? 0 : shardIndex * SLOTS_PER_SHARD + slot;
  return { cursor: position, keys };
}

/**
 * A cursor argument read as Redis reads it, with C's strtoul: optional sign, decimal digits,
 * negative values wrapping modulo 2^64, and the text ending at its first NUL byte. Null for what
 * Redis answers `invalid cursor`: leading white space, trailing junk, or a value past 2^64-1.
 */
export function parseScanCursor(text: string): bigint | null {
  if (text.length > 0 && isCSpace(text.charCodeAt(0))) return null;
  const nul = text.indexOf('\0');
  const s = nul === -1 ? text : text.slice(0, nul);
  const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
  const digits = s.slice(sign.length);
  if (digits === '') return s === '' ? 0n : null;
  if (!/^[0-9]+$/.test(digits)) return null;
  const magnitude = BigInt(digits);
  if (magnitude > ULONG_MAX) return null;
  return sign === '-' ? (ULONG_MAX + 1n - magnitude) & ULONG_MAX : magnitude;
}

const ULONG_MAX = 2n ** 64n - 1n;

/** C's isspace in the C locale. */
function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
