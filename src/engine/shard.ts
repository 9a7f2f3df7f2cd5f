// One shard of one database: an index from key to a slot number (key-index.ts), and per-slot
// columns.
//
// Why slots: a key keeps its slot for as long as it lives, so a SCAN cursor can be a slot number
// and still return every key that stayed present, whatever was added or removed meanwhile; and
// random sampling (active expiry, eviction, RANDOMKEY) is an index into an array. Per-key
// metadata sits in typed arrays, so a key costs no JS object of its own.
//
// The fields every key has and that the hot paths touch together (its record ref, access time,
// encoding hint and eviction byte) are interleaved, 16 bytes per slot in one buffer: a slot is
// then one cache line, where a column each cost a miss each. That is what eviction pays for: the
// sampled slots are random, and the slot a new key takes is the cold one an eviction freed (see
// slot-layout.ts). The TTL and the queue links stay columns of their own: most shards have no
// TTL key, and only the queue policies allocate links.
//
// Keys and values are bytes, kept together as one record per key in slabs off the V8 heap
// (record-store.ts); a slot's ref (see fields) names its record. Callers hand in and get back latin1
// strings (one char per byte, binary safe), or a ByteRange of the stored value for replies.
//
// Giving memory back without moving keys: a live key never changes slot (that is the SCAN
// guarantee), so a shard cannot pack its keys together by moving them. Instead a new key takes
// the lowest free slot, so live keys gather at the bottom, and whenever the top slots are free
// they are cut off: the columns then shrink once they are four times larger than needed, and
// an emptied shard ends with no slots at all. Cutting only free slots never disturbs a cursor:
// a cursor past the new end moves on to the next shard, and every live key is where it was.

import { HINT_BY_VALUE, type EncodingHint } from './encoding.js';
import { FreeSlots } from './free-slots.js';
import { hashBytes, hashKey } from './key-hash.js';
import { KeyIndex, homeBits, type KeyComparer } from './key-index.js';
import { NO_RECORD, RecordStore, type RecordOwner } from './record-store.js';
import { SlotFields } from './slot-layout.js';
import { latin1Equals, latin1Slice } from '../util/latin1.js';
import { MemoryAccount } from '../eviction/memory-account.js';
import type { KeyTracker } from '../eviction/policy.js';

const INITIAL_CAPACITY = 8;
// A shard without keys shares these zero-length columns: 16 databases x 64 shards with typed
// arrays of their own cost an empty server megabytes of heap (~2.5 MB when a shard had eight
// columns). Nothing is ever written to them (a zero-length array has no slot); the first insert
// grows every column to its own array.
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);
const NO_FIELDS = new SlotFields(0);
/** Marks the expireAt column of a slot without a TTL. */
export const NO_EXPIRE = 0;

/** Told of every key a shard gains or loses (the cluster's per-slot key index). */
export interface KeyHook {
  keyAdded(key: string): void;
  keyRemoved(key: string): void;
}

/** A byte range of a stored value, for replies that copy it without making a string. */
export class ByteRange {
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;

  set(buf: Buffer, start: number, length: number): this {
    this.buf = buf;
    this.start = start;
    this.end = start + length;
    return this;
  }
}

export class Shard implements KeyComparer, RecordOwner {
  private readonly index = new KeyIndex();
  private readonly records = new RecordStore(this);
  /**
   * Per slot, interleaved (slot-layout.ts): the ref of its key and value record (NO_RECORD marks
   * a free slot), the last access time in ms (OBJECT IDLETIME, LRU; seconds would overflow less
   * but lose resolution), the value's EncodingHint (how it was written decides OBJECT ENCODING),
   * and the eviction policy's byte (the LFU counter, SIEVE's visited bit, S3-FIFO's frequency and
   * queue). Read them through the accessors below; a hot loop may read the views itself.
   */
  private fields = NO_FIELDS;
  /** Slots in use or free: the end of the slot range. */
  private slotEnd = 0;
  /**
   * Absolute expiry in ms per slot, NO_EXPIRE when the key has no TTL. A double is exact up to
   * 2^53 ms (year 287396); the rare later time, which Redis accepts up to 2^63-1, is also kept
   * exactly in exactExpireAt so that PEXPIRETIME and PTTL print it digit for digit.
   */
  expireAt = NO_F64;
  private exactExpireAt: Map<number, bigint> | null = null;
  /** Dense list of the slots that have a TTL, for sampling by active expiry; ttlPos[slot] = position + 1. */
  ttlSlots = NO_I32;
  ttlCount = 0;
  private ttlPos = NO_I32;
  /** Free slots below slotEnd. */
  private freeSlots = new FreeSlots();
  /** Sum of key and value bytes, for memory accounting. */
  bytes = 0;
  /** Set only in cluster mode, so a standalone server pays one null check per insert or remove. */
  keyHook: KeyHook | null = null;
  /** The eviction policy's per-key bookkeeping; null when it needs none (one null check per access). */
  tracker: KeyTracker | null = null;
  /**
   * Doubly linked queue links, allocated only by the policies that keep queues (-1: none): slot s
   * has its link toward the newest end at 2s and toward the oldest at 2s + 1. Side by side, a
   * slot's two links are one cache miss, not two (a queue insert or unlink of a cold slot).
   */
  links: Int32Array | null = null;
  /** The policy's per-shard state (queue heads, hand, ghost list); one object per shard, not per key. */
  policyState: unknown = null;

  /** `account` is the keyspace-wide memory count this shard adds its keys to (used_memory). */
  constructor(readonly account: MemoryAccount = new MemoryAccount()) {}

  get size(): number {
    return this.index.size;
  }

  /** Number of slots in use or free: the bound of a SCAN over this shard. */
  get slotLimit(): number {
    return this.slotEnd;
  }

  /** Bytes of record slabs held, live or not. */
  get slabBytes(): number {
    return this.records.slabBytes;
  }

  /** Records compaction has moved, ever. */
  get recordsMoved(): number {
    return this.records.moved;
  }

  /** The key's slot, or -1. `hash` is hashKey(key), when the caller has it already. */
  slotOf(key: string, hash: number = hashKey(key)): number {
    return this.index.find(this, key, hash);
  }

  /** Whether a slot holds a key. */
  isLive(slot: number): boolean {
    return slot < this.slotEnd && this.fields.ref(slot) !== NO_RECORD;
  }

  /** The ref of a slot's record; NO_RECORD for a free slot. */
  refOf(slot: number): number {
    return this.fields.ref(slot);
  }

  /** For record compaction: the record of a live slot moved to `ref`. */
  setRef(slot: number, ref: number): void {
    this.fields.setRef(slot, ref);
  }

  /** Last access time in ms of a live slot. */
  accessedAt(slot: number): number {
    return this.fields.time(slot);
  }

  setAccessedAt(slot: number, at: number): void {
    this.fields.setTime(slot, at);
  }

  /** The EncodingHint of a live slot's value. */
  encodingOf(slot: number): EncodingHint {
    return this.fields.encoding(slot) as EncodingHint;
  }

  /** The eviction policy's byte of a slot. */
  metaOf(slot: number): number {
    return this.fields.meta(slot);
  }

  setMeta(slot: number, meta: number): void {
    this.fields.setMeta(slot, meta);
  }

  /** Zeroes the eviction byte of every slot (a policy starting over). */
  clearMeta(): void {
    this.fields.clearMeta();
  }

  /** Whether the key at a live slot is `key` (the key index's comparison). */
  keyEquals(slot: number, key: string): boolean {
    const records = this.records;
    records.locate(this.refOf(slot));
    return records.keyLength === key.length && latin1Equals(records.buf, records.keyStart, key);
  }

  /** The key at a live slot. */
  keyAt(slot: number): string {
    const records = this.records;
    records.locate(this.refOf(slot));
    return latin1Slice(records.buf, records.keyStart, records.keyStart + records.keyLength);
  }

  /** The value at a live slot. */
  valueAt(slot: number): string {
    const records = this.records;
    records.locate(this.refOf(slot));
    return latin1Slice(records.buf, records.valueStart, records.valueStart + records.valueLength);
  }

  /** The value's length in bytes at a live slot. */
  valueLength(slot: number): number {
    this.records.locate(this.refOf(slot));
    return this.records.valueLength;
  }

  /** Points `out` at the value bytes of a live slot; valid until the shard next changes. */
  valueRange(slot: number, out: ByteRange): ByteRange {
    const records = this.records;
    records.locate(this.refOf(slot));
    return out.set(records.buf, records.valueStart, records.valueLength);
  }

  /** Points `out` at the key bytes of a live slot; valid until the shard next changes. */
  keyRange(slot: number, out: ByteRange): ByteRange {
    const records = this.records;
    records.locate(this.refOf(slot));
    return out.set(records.buf, records.keyStart, records.keyLength);
  }

  /** For record compaction: the slot that owns the record `ref` with these key bytes, or -1. */
  slotOfRecord(ref: number, buf: Buffer, keyStart: number, keyLength: number): number {
    const key = latin1Slice(buf, keyStart, keyStart + keyLength);
    const slot = this.index.find(this, key, hashBytes(buf, keyStart, keyLength));
    // The key may live on in a newer record (rewritten since); then this one is dead.
    return slot !== -1 && this.refOf(slot) === ref ? slot : -1;
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
      slot = this.slotEnd++;
      if (slot >= this.expireAt.length) this.growColumns(slot + 1);
    }
    const fields = this.fields;
    fields.setRef(slot, this.records.write(key, value));
    this.index.add(hash, slot);
    this.keyHook?.keyAdded(key);
    // No expireAt write: a free slot's is always NO_EXPIRE (a key's TTL is cleared when it goes,
    // and new columns are zeroed), and under eviction the freed slot's column line is cold.
    fields.setTime(slot, now);
    fields.setEncoding(slot, encoding);
    fields.setHome(slot, homeBits(hash));
    if (expireAt !== NO_EXPIRE) this.setExpire(slot, expireAt);
    this.bytes += key.length + value.length;
    this.account.dataBytes += key.length + value.length;
    this.account.keys++;
    if (this.tracker !== null) this.tracker.inserted(this, slot, now);
    return slot;
  }

  replaceValue(slot: number, value: string, encoding: EncodingHint = HINT_BY_VALUE): void {
    const records = this.records;
    const ref = this.refOf(slot);
    records.locate(ref);
    const delta = value.length - records.valueLength;
    const next = records.rewriteValue(ref, value);
    this.bytes += delta;
    this.account.dataBytes += delta;
    if (next !== ref) {
      this.setRef(slot, next);
      records.free(ref);
    }
    this.fields.setEncoding(slot, encoding);
  }

  /**
   * The key at `slot` starts over as a new key under the same name (RENAME or COPY onto an
   * existing key: Redis deletes it and adds another): new value, TTL and access time, and the
   * policy's per-key state as for an insert. Done in place, not by remove() and insert(): a new
   * key takes the lowest free slot, which a SCAN cursor may have passed, and this key is present
   * throughout, so SCAN must still return it.
   */
  renew(slot: number, value: string, expireAt: number | bigint, now: number, encoding: EncodingHint): void {
    if (this.tracker !== null) this.tracker.removed(this, slot);
    if (this.ttlCount !== 0) this.clearExpire(slot);
    this.replaceValue(slot, value, encoding);
    this.fields.setTime(slot, now);
    if (expireAt !== NO_EXPIRE) this.setExpire(slot, expireAt);
    if (this.tracker !== null) this.tracker.inserted(this, slot, now);
  }

  /** Removes the key at `slot`; `hash` is hashKey of it, when the caller has it already. */
  remove(slot: number, hash?: number): void {
    if (this.tracker !== null) this.tracker.removed(this, slot);
    const records = this.records;
    const index = this.index;
    const ref = this.refOf(slot);
    if (hash === undefined && index.homeBitsSuffice) {
      // The entry is found from the slot's home bits, not from the key: its cache line and the
      // record's are fetched together instead of the record first, then the entry (evictions).
      index.removeByHome(this.fields.home(slot), slot);
      records.locate(ref);
    } else {
      records.locate(ref);
      index.remove(hash ?? hashBytes(records.buf, records.keyStart, records.keyLength), slot);
    }
    const bytes = records.keyLength + records.valueLength;
    this.bytes -= bytes;
    this.account.dataBytes -= bytes;
    this.account.keys--;
    if (this.keyHook !== null) this.keyHook.keyRemoved(this.keyAt(slot));
    // A shard without TTL keys skips the expireAt column: one cache miss less per eviction.
    if (this.ttlCount !== 0) this.clearExpire(slot);
    this.setRef(slot, NO_RECORD);
    records.free(ref);
    if (slot === this.slotEnd - 1) this.cutFreeTail();
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
    if (this.keyHook !== null) for (const key of this.liveKeys()) this.keyHook.keyRemoved(key);
    this.account.dataBytes -= this.bytes;
    this.account.keys -= this.index.size;
    this.index.clear();
    this.records.clear();
    this.fields = NO_FIELDS;
    this.slotEnd = 0;
    this.expireAt = NO_F64;
    this.exactExpireAt = null;
    this.ttlSlots = NO_I32;
    this.ttlPos = NO_I32;
    this.ttlCount = 0;
    this.freeSlots = new FreeSlots();
    this.bytes = 0;
    if (this.links !== null) this.links = NO_I32;
    if (this.tracker !== null) this.tracker.cleared(this);
  }

  /**
   * Cuts the free slots at the top of the columns. Each slot is cut at most once per time it was
   * appended, so the cost per removal stays constant.
   */
  private cutFreeTail(): void {
    let end = this.slotEnd - 1;
    while (end > 0 && this.refOf(end - 1) === NO_RECORD) {
      end--;
      this.freeSlots.remove(end);
    }
    this.slotEnd = end;
    this.freeSlots.fit(end);
    if (end * 4 < this.expireAt.length && this.expireAt.length > INITIAL_CAPACITY) this.shrinkColumns(end * 2);
    if (this.ttlCount * 4 < this.ttlSlots.length && this.ttlSlots.length > INITIAL_CAPACITY) {
      this.ttlSlots = this.ttlSlots.slice(0, Math.max(INITIAL_CAPACITY, this.ttlCount * 2));
    }
  }

  /** A random live slot, or -1 when the shard is empty. */
  randomSlot(random: () => number = Math.random, attempts = 32): number {
    const limit = this.slotEnd;
    if (this.index.size === 0) return -1;
    // Live keys gather at the bottom (lowest free slot first, free top cut off), so a few tries
    // nearly always hit; a badly fragmented shard falls back to a scan from a random start.
    for (let attempt = 0; attempt < attempts; attempt++) {
      const slot = Math.floor(random() * limit);
      if (this.refOf(slot) !== NO_RECORD) return slot;
    }
    const start = Math.floor(random() * limit);
    for (let i = 0; i < limit; i++) {
      const slot = (start + i) % limit;
      if (this.refOf(slot) !== NO_RECORD) return slot;
    }
    return -1;
  }

  /** The live slots in ascending order. */
  *liveSlots(): Generator<number> {
    for (let slot = 0; slot < this.slotEnd; slot++) if (this.refOf(slot) !== NO_RECORD) yield slot;
  }

  /** Every key of the shard, in slot order. */
  *liveKeys(): Generator<string> {
    for (let slot = 0; slot < this.slotEnd; slot++) if (this.refOf(slot) !== NO_RECORD) yield this.keyAt(slot);
  }

  private growColumns(min: number): void {
    this.expireAt = grow(this.expireAt, min);
    this.fields = this.fields.resized(this.expireAt.length);
    this.ttlPos = grow(this.ttlPos, min);
    if (this.links !== null) this.links = grow(this.links, this.expireAt.length * 2);
  }

  private shrinkColumns(slots: number): void {
    let size = INITIAL_CAPACITY;
    while (size < slots) size *= 2;
    this.fields = this.fields.resized(size);
    this.expireAt = this.expireAt.slice(0, size);
    this.ttlPos = this.ttlPos.slice(0, size);
    if (this.links !== null) this.links = this.links.slice(0, size * 2);
  }

  /** Allocates (or drops, with false) the queue links, sized like the other columns. */
  useLinks(on: boolean): void {
    this.links = on ? new Int32Array(this.expireAt.length * 2).fill(-1) : null;
  }
}

function grow<T extends Float64Array | Int32Array>(arr: T, min: number): T {
  let size = Math.max(INITIAL_CAPACITY, arr.length * 2);
  while (size < min) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}
