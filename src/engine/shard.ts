// One shard of one database: an index from key to a slot number (key-index.ts), and per-slot
// columns.
//
// Why slots: a key keeps its slot for as long as it lives, so a SCAN cursor can be a slot number
// and still return every key that stayed present, whatever was added or removed meanwhile; and
// random sampling (active expiry, eviction, RANDOMKEY) is an index into an array. Per-key
// metadata sits in typed arrays, so a key costs no JS object of its own.
//
// Keys and values are latin1 strings: one char per byte, binary safe, and flat in memory.
//
// Giving memory back without moving keys: a live key never changes slot (that is the SCAN
// guarantee), so a shard cannot pack its keys together by moving them. Instead a new key takes
// the lowest free slot, so live keys gather at the bottom, and whenever the top slots are free
// they are cut off: the columns then shrink once they are four times larger than needed, and
// an emptied shard ends with no slots at all. Cutting only free slots never disturbs a cursor:
// a cursor past the new end moves on to the next shard, and every live key is where it was.

import { HINT_BY_VALUE, type EncodingHint } from './encoding.js';
import { FreeSlots } from './free-slots.js';
import { hashKey } from './key-hash.js';
import { KeyIndex } from './key-index.js';
import { MemoryAccount } from '../eviction/memory-account.js';
import type { KeyTracker } from '../eviction/policy.js';

const INITIAL_CAPACITY = 8;
// A shard without keys shares these zero-length columns: 16 databases x 64 shards of eight
// typed arrays each cost an empty server ~2.5 MB of heap. Nothing is ever written to them (a
// zero-length array has no slot); the first insert grows every column to its own array.
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);
const NO_U8 = new Uint8Array(0);
/** Marks the expireAt column of a slot without a TTL. */
export const NO_EXPIRE = 0;

/** Told of every key a shard gains or loses (the cluster's per-slot key index). */
export interface KeyHook {
  keyAdded(key: string): void;
  keyRemoved(key: string): void;
}

export class Shard {
  private readonly index = new KeyIndex();
  /** Key and value per slot; null marks a free slot. */
  keys: (string | null)[] = [];
  values: (string | null)[] = [];
  /**
   * Absolute expiry in ms per slot, NO_EXPIRE when the key has no TTL. A double is exact up to
   * 2^53 ms (year 287396); the rare later time, which Redis accepts up to 2^63-1, is also kept
   * exactly in exactExpireAt so that PEXPIRETIME and PTTL print it digit for digit.
   */
  expireAt = NO_F64;
  private exactExpireAt: Map<number, bigint> | null = null;
  /** Last access time in ms per slot (OBJECT IDLETIME, LRU). Seconds would overflow less but lose resolution. */
  accessedAt = NO_F64;
  /** The value's EncodingHint (see encoding.ts): how it was written decides OBJECT ENCODING. */
  encoding = NO_U8;
  /** Dense list of the slots that have a TTL, for sampling by active expiry; ttlPos[slot] = position + 1. */
  ttlSlots = NO_I32;
  ttlCount = 0;
  private ttlPos = NO_I32;
  /** Free slots below keys.length. */
  private freeSlots = new FreeSlots();
  /** Sum of key and value bytes, for memory accounting. */
  bytes = 0;
  /** Set only in cluster mode, so a standalone server pays one null check per insert or remove. */
  keyHook: KeyHook | null = null;
  /** The eviction policy's per-key bookkeeping; null when it needs none (one null check per access). */
  tracker: KeyTracker | null = null;
  /** Eviction metadata per slot: the LFU counter, SIEVE's visited bit, S3-FIFO's frequency and queue. */
  meta = NO_U8;
  /** Doubly linked queue links per slot, allocated only by the policies that keep queues (-1: none). */
  prev: Int32Array | null = null;
  next: Int32Array | null = null;
  /** The policy's per-shard state (queue heads, hand, ghost list); one object per shard, not per key. */
  policyState: unknown = null;

  /** `account` is the keyspace-wide memory count this shard adds its keys to (used_memory). */
  constructor(readonly account: MemoryAccount = new MemoryAccount()) {}

  get size(): number {
    return this.index.size;
  }

  /** Number of slots in use or free: the bound of a SCAN over this shard. */
  get slotLimit(): number {
    return this.keys.length;
  }

  /** The key's slot, or -1. `hash` is hashKey(key), when the caller has it already. */
  slotOf(key: string, hash: number = hashKey(key)): number {
    return this.index.find(this.keys, key, hash);
  }

  /** The slot a key of this hash most likely has, keys not compared (-1: none); see Database.prefetch. */
  slotCandidate(hash: number): number {
    return this.index.candidate(hash);
  }

  /** Adds a key that is not present; returns its slot. `hash` is hashKey(key). */
  insert(
    key: string,
    value: string,
    expireAt: number | bigint,
    now: number,
    encoding: EncodingHint = HINT_BY_VALUE,
    hash: number = hashKey(key),
  ): number {
    let slot = this.freeSlots.takeLowest();
    if (slot === -1) {
      slot = this.keys.length;
      this.keys.push(key);
      this.values.push(value);
      if (slot >= this.expireAt.length) this.growColumns(slot + 1);
    } else {
      this.keys[slot] = key;
      this.values[slot] = value;
    }
    this.index.add(hash, slot);
    this.keyHook?.keyAdded(key);
    this.expireAt[slot] = NO_EXPIRE;
    this.accessedAt[slot] = now;
    this.encoding[slot] = encoding;
    if (expireAt !== NO_EXPIRE) this.setExpire(slot, expireAt);
    this.bytes += key.length + value.length;
    this.account.dataBytes += key.length + value.length;
    this.account.keys++;
    if (this.tracker !== null) this.tracker.inserted(this, slot, now);
    return slot;
  }

  replaceValue(slot: number, value: string, encoding: EncodingHint = HINT_BY_VALUE): void {
    const delta = value.length - (this.values[slot] as string).length;
    this.bytes += delta;
    this.account.dataBytes += delta;
    this.values[slot] = value;
    this.encoding[slot] = encoding;
  }

  /** Removes the key at `slot`; `hash` is hashKey of it, when the caller has it already. */
  remove(slot: number, hash?: number): void {
    const key = this.keys[slot] as string;
    if (this.tracker !== null) this.tracker.removed(this, slot);
    const bytes = key.length + (this.values[slot] as string).length;
    this.bytes -= bytes;
    this.account.dataBytes -= bytes;
    this.account.keys--;
    this.index.remove(hash ?? hashKey(key), slot);
    this.keyHook?.keyRemoved(key);
    // A shard without TTL keys skips the expireAt column: one cache miss less per eviction.
    if (this.ttlCount !== 0) this.clearExpire(slot);
    this.keys[slot] = null;
    this.values[slot] = null;
    if (slot === this.keys.length - 1) this.cutFreeTail();
    else this.freeSlots.add(slot);
  }

  /** Sets a slot's expiry: a safe integer in ms, or a bigint beyond 2^53 (kept exactly). */
  setExpire(slot: number, when: number | bigint): void {
    if (this.expireAt[slot] === NO_EXPIRE) {
      if (this.ttlCount === this.ttlSlots.length) this.ttlSlots = grow(this.ttlSlots, this.ttlCount + 1);
      this.ttlSlots[this.ttlCount++] = slot;
      this.ttlPos[slot] = this.ttlCount;
      // The volatile queue policies queue keys as they gain a TTL.
      this.tracker?.expireSet?.(this, slot);
    }
    if (typeof when === 'bigint' && when > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.exactExpireAt ??= new Map();
      this.exactExpireAt.set(slot, when);
      this.expireAt[slot] = Number(when);
    } else {
      this.exactExpireAt?.delete(slot);
      this.expireAt[slot] = Number(when);
    }
  }

  /** The slot's expiry exactly: a number, or a bigint when beyond 2^53; NO_EXPIRE without a TTL. */
  exactExpire(slot: number): number | bigint {
    const at = this.expireAt[slot];
    if (at <= Number.MAX_SAFE_INTEGER || this.exactExpireAt === null) return at;
    return this.exactExpireAt.get(slot) ?? at;
  }

  clearExpire(slot: number): void {
    if (this.expireAt[slot] === NO_EXPIRE) return;
    this.expireAt[slot] = NO_EXPIRE;
    this.exactExpireAt?.delete(slot);
    // Swap-remove from the dense TTL list, so removal is O(1).
    const pos = this.ttlPos[slot] - 1;
    const last = this.ttlSlots[--this.ttlCount];
    this.ttlSlots[pos] = last;
    this.ttlPos[last] = pos + 1;
    this.ttlPos[slot] = 0;
    this.tracker?.expireCleared?.(this, slot);
  }

  clear(): void {
    if (this.keyHook !== null) for (const key of this.keys) if (key !== null) this.keyHook.keyRemoved(key);
    this.account.dataBytes -= this.bytes;
    this.account.keys -= this.index.size;
    this.index.clear();
    this.keys = [];
    this.values = [];
    this.expireAt = NO_F64;
    this.exactExpireAt = null;
    this.accessedAt = NO_F64;
    this.encoding = NO_U8;
    this.ttlSlots = NO_I32;
    this.ttlPos = NO_I32;
    this.ttlCount = 0;
    this.freeSlots = new FreeSlots();
    this.bytes = 0;
    this.meta = NO_U8;
    if (this.prev !== null) this.prev = NO_I32;
    if (this.next !== null) this.next = NO_I32;
    if (this.tracker !== null) this.tracker.cleared(this);
  }

  /**
   * Cuts the free slots at the top of the columns. Each slot is cut at most once per time it was
   * appended, so the cost per removal stays constant.
   */
  private cutFreeTail(): void {
    let end = this.keys.length - 1;
    while (end > 0 && this.keys[end - 1] === null) {
      end--;
      this.freeSlots.remove(end);
    }
    // Assigning the length (rather than popping) lets V8 give back the arrays' spare capacity.
    this.keys.length = end;
    this.values.length = end;
    this.freeSlots.fit(end);
    if (end * 4 < this.expireAt.length && this.expireAt.length > INITIAL_CAPACITY) this.shrinkColumns(end * 2);
    if (this.ttlCount * 4 < this.ttlSlots.length && this.ttlSlots.length > INITIAL_CAPACITY) {
      this.ttlSlots = this.ttlSlots.slice(0, Math.max(INITIAL_CAPACITY, this.ttlCount * 2));
    }
  }

  /** A random live slot, or -1 when the shard is empty. */
  randomSlot(): number {
    const limit = this.keys.length;
    if (this.index.size === 0) return -1;
    // Live keys gather at the bottom (lowest free slot first, free top cut off), so a few tries
    // nearly always hit; a badly fragmented shard falls back to a scan from a random start.
    for (let attempt = 0; attempt < 32; attempt++) {
      const slot = Math.floor(Math.random() * limit);
      if (this.keys[slot] !== null) return slot;
    }
    const start = Math.floor(Math.random() * limit);
    for (let i = 0; i < limit; i++) {
      const slot = (start + i) % limit;
      if (this.keys[slot] !== null) return slot;
    }
    return -1;
  }

  private growColumns(min: number): void {
    this.expireAt = grow(this.expireAt, min);
    this.accessedAt = grow(this.accessedAt, min);
    this.encoding = grow(this.encoding, min);
    this.ttlPos = grow(this.ttlPos, min);
    this.meta = grow(this.meta, min);
    if (this.prev !== null) this.prev = grow(this.prev, min);
    if (this.next !== null) this.next = grow(this.next, min);
  }

  private shrinkColumns(slots: number): void {
    let size = INITIAL_CAPACITY;
    while (size < slots) size *= 2;
    this.expireAt = this.expireAt.slice(0, size);
    this.accessedAt = this.accessedAt.slice(0, size);
    this.encoding = this.encoding.slice(0, size);
    this.ttlPos = this.ttlPos.slice(0, size);
    this.meta = this.meta.slice(0, size);
    if (this.prev !== null) this.prev = this.prev.slice(0, size);
    if (this.next !== null) this.next = this.next.slice(0, size);
  }

  /** Allocates (or drops, with false) the queue links, sized like the other columns. */
  useLinks(on: boolean): void {
    this.prev = on ? new Int32Array(this.expireAt.length).fill(-1) : null;
    this.next = on ? new Int32Array(this.expireAt.length).fill(-1) : null;
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(arr: T, min: number): T {
  let size = Math.max(INITIAL_CAPACITY, arr.length * 2);
  while (size < min) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}
