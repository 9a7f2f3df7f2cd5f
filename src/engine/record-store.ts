// Where a shard keeps its keys and values: one byte record per key, `[header][key][value]`, in
// slabs (Buffers) outside the V8 heap. A slot's record is named by a 32-bit ref.
//
// Why not JS strings: at 1M keys of 16 B with 32 B values, two strings and two array pointers
// cost ~96 B per key on the V8 heap, plus the heap's slack (it grows in steps of a fifth of what
// is live) and a young-generation copy of every stored value. A record costs 52 B and no GC work
// at all; a GET reads the key it compares and the value it sends from the same cache lines.
//
// Header: key length and value length as two little-endian u16. A record whose key or value
// reaches 0xffff bytes has the long header: 0xffff in both, then the two lengths as u32.
// Records start at multiples of 4, so a ref is (slab index << 14) | (offset / 4), which covers
// slabs of up to 64 KB; a record bigger than INLINE_MAX gets a slab of its own (offset 0).
//
// A freed record leaves a hole, remembered on a stack per record size; a new record of that size
// takes the most recent hole, so under churn of like-sized records (a cache evicting as it
// fills) slabs stay full and nothing moves. Otherwise space comes from the current slab with a
// bump pointer. Holes that no record of their size comes back for are the fragmentation this
// leaves: when less than two thirds of a retired slab is live, its live records move to the
// current slab and the slab is freed. Each move is paid for by at least half as many bytes freed,
// so the cost per freed byte is bounded, and a slab never holds more than 1.5x its live bytes
// once retired. Moving a record rewrites only its slot's ref: slots never move (SCAN relies on
// that). Compaction runs only at the end of free(), when every slot's ref is consistent, never
// inside alloc(): a caller may hold a record's location across an alloc (to copy its key).

import { latin1Write } from '../util/latin1.js';

const OFFSET_BITS = 14;
const OFFSET_MASK = (1 << OFFSET_BITS) - 1;
/** Slab indexes are 18 bits; index 0 is never used, so ref 0 means "no record". */
const MAX_SLABS = (1 << (32 - OFFSET_BITS)) - 1;
const SLAB_MAX = 64 * 1024;
/** A new shard's first slab: shards of few keys stay small; each later slab doubles, up to SLAB_MAX. */
const FIRST_SLAB = 256;
/** Records bigger than this get a slab of their own, so a slab's unusable tail stays under 1/8. */
const INLINE_MAX = 8 * 1024;
const LONG = 0xffff;
const EMPTY: Buffer = Buffer.alloc(0);
/** Records up to this size are copied byte by byte: Buffer#copy's JS wrapper costs more. */
const SHORT_COPY = 256;

/** The ref of a slot without a record (a free slot). */
export const NO_RECORD = 0;

/** A record's size: header, key and value, rounded up to 4 bytes. */
export function recordSize(keyLength: number, valueLength: number): number {
  const header = keyLength >= LONG || valueLength >= LONG ? 12 : 4;
  return (header + keyLength + valueLength + 3) & ~3;
}

/** The shard whose records a store keeps: it names the slot that owns a record, for compaction. */
export interface RecordOwner {
  /** Points a slot at its record's new place (compaction moved it). */
  setRef(slot: number, ref: number): void;
  /** The slot whose ref is `ref`, given the record's key bytes [keyStart, keyStart + keyLength) of buf; -1 if none. */
  slotOfRecord(ref: number, buf: Buffer, keyStart: number, keyLength: number): number;
}

export class RecordStore {
  private slabs: (Buffer | null)[] = [null];
  /** Per slab: bytes of its live records, and the end of its last record. */
  private live: number[] = [0];
  private ends: number[] = [0];
  private freeIndexes: number[] = [];
  /**
   * Per slab, a number that changes whenever the slab's space is given back or reset, voiding
   * the holes remembered in it (they are checked when taken, not searched out).
   */
  private generations: number[] = [0];
  /** Per record size / 4 (up to INLINE_MAX): a stack of [ref, generation] pairs of holes. */
  private holes: (number[] | undefined)[] = [];
  /** Hole entries on all stacks, valid or not: past twice the records held, void ones are dropped. */
  private holeEntries = 0;
  private records = 0;
  /** Retired slabs found under the compaction threshold, compacted at the end of the next free(). */
  private pending: number[] = [];
  private current = 0;
  private currentBuf: Buffer = EMPTY;
  private bump = 0;
  private nextSize = FIRST_SLAB;
  /** Bytes of every slab, live or not. */
  slabBytes = 0;
  /** Records moved by compaction, ever. */
  moved = 0;

  // Set by locate(): where the record lies. Read them before the next call into the store.
  buf: Buffer = EMPTY;
  keyStart = 0;
  keyLength = 0;
  valueStart = 0;
  valueLength = 0;

  constructor(private readonly owner: RecordOwner) {}

  /** Decodes the record `ref` into buf, keyStart, keyLength, valueStart, valueLength. */
  locate(ref: number): void {
    const b = this.slabs[ref >>> OFFSET_BITS] as Buffer;
    const o = (ref & OFFSET_MASK) << 2;
    let keyLength = b[o] | (b[o + 1] << 8);
    let valueLength = b[o + 2] | (b[o + 3] << 8);
    let start = o + 4;
    if (valueLength === LONG) {
      keyLength = b.readUInt32LE(o + 4);
      valueLength = b.readUInt32LE(o + 8);
      start = o + 12;
    }
    this.buf = b;
    this.keyStart = start;
    this.keyLength = keyLength;
    this.valueStart = start + keyLength;
    this.valueLength = valueLength;
  }

  /** Stores a new record of the latin1 strings key and value; returns its ref. */
  write(key: string, value: string): number {
    const ref = this.alloc(recordSize(key.length, value.length));
    const b = this.slabs[ref >>> OFFSET_BITS] as Buffer;
    const start = this.writeHeader(b, (ref & OFFSET_MASK) << 2, key.length, value.length);
    latin1Write(b, value, latin1Write(b, key, start));
    return ref;
  }

  /**
   * Gives `ref`'s record, just located, the value `value`: in place when the record keeps its
   * size, else as a new record with the same key (the caller then frees the old one). Returns the
   * record's ref.
   */
  rewriteValue(ref: number, value: string): number {
    const keyLength = this.keyLength;
    const oldSize = recordSize(keyLength, this.valueLength);
    // In place only with the short header: a long header's lengths are u32s further on.
    if (recordSize(keyLength, value.length) === oldSize && keyLength < LONG && value.length < LONG && this.valueLength < LONG) {
      const b = this.buf;
      const o = this.keyStart - 4;
      b[o + 2] = value.length & 0xff;
      b[o + 3] = value.length >>> 8;
      latin1Write(b, value, this.valueStart);
      return ref;
    }
    const from = this.buf;
    const keyStart = this.keyStart;
    const next = this.alloc(recordSize(keyLength, value.length));
    const b = this.slabs[next >>> OFFSET_BITS] as Buffer;
    const start = this.writeHeader(b, (next & OFFSET_MASK) << 2, keyLength, value.length);
    copyBytes(from, keyStart, b, start, keyLength);
    latin1Write(b, value, start + keyLength);
    return next;
  }

  /**
   * Frees the record `ref`, which no slot refers to any more; may then move other records (and
   * rewrite their slots' refs) to give back slabs that became mostly empty.
   */
  free(ref: number): void {
    this.locate(ref);
    const size = recordSize(this.keyLength, this.valueLength);
    const index = ref >>> OFFSET_BITS;
    const live = (this.live[index] -= size);
    this.records--;
    if (index === this.current && live === 0) {
      // The current slab emptied: start it over instead of leaving its space behind.
      this.bump = 0;
      this.generations[index]++;
    } else if (index !== this.current && live === 0) {
      this.release(index);
    } else if (index !== this.current && live * 3 < this.ends[index] * 2) {
      this.compact(index);
    } else if (size <= INLINE_MAX) {
      this.addHole(ref, index, size);
    }
    while (this.pending.length !== 0) {
      const next = this.pending.pop() as number;
      // Re-checked: the slab may have been given back and its index reused since it was queued.
      if (this.slabs[next] !== null && next !== this.current && this.live[next] * 3 < this.ends[next] * 2) this.compact(next);
    }
  }

  clear(): void {
    this.slabs = [null];
    this.live = [0];
    this.ends = [0];
    this.freeIndexes = [];
    this.generations = [0];
    this.holes = [];
    this.holeEntries = 0;
    this.records = 0;
    this.pending = [];
    this.current = 0;
    this.currentBuf = EMPTY;
    this.bump = 0;
    this.nextSize = FIRST_SLAB;
    this.slabBytes = 0;
  }

  private writeHeader(b: Buffer, o: number, keyLength: number, valueLength: number): number {
    if (keyLength >= LONG || valueLength >= LONG) {
      b[o] = b[o + 1] = b[o + 2] = b[o + 3] = 0xff;
      b.writeUInt32LE(keyLength, o + 4);
      b.writeUInt32LE(valueLength, o + 8);
      return o + 12;
    }
    b[o] = keyLength & 0xff;
    b[o + 1] = keyLength >>> 8;
    b[o + 2] = valueLength & 0xff;
    b[o + 3] = valueLength >>> 8;
    return o + 4;
  }

  /** Room for a record of `size` bytes; returns its ref. Never moves a record. */
  private alloc(size: number): number {
    this.records++;
    if (size > INLINE_MAX) {
      const index = this.newSlab(size);
      this.live[index] = size;
      this.ends[index] = size;
      return (index << OFFSET_BITS) >>> 0;
    }
    const stack = this.holes[size >>> 2];
    while (stack !== undefined && stack.length !== 0) {
      const generation = stack.pop() as number;
      const ref = stack.pop() as number;
      this.holeEntries--;
      const index = ref >>> OFFSET_BITS;
      if (this.generations[index] !== generation) continue;
      this.live[index] += size;
      return ref;
    }
    if (this.current === 0 || this.bump + size > this.currentBuf.length) this.startSlab(size);
    const offset = this.bump;
    this.bump += size;
    this.live[this.current] += size;
    return ((this.current << OFFSET_BITS) | (offset >>> 2)) >>> 0;
  }

  /** Retires the current slab and starts a new one with room for at least `size` bytes. */
  private startSlab(size: number): void {
    const old = this.current;
    if (old !== 0) {
      this.ends[old] = this.bump;
      if (this.live[old] === 0) this.release(old);
      else if (this.live[old] * 3 < this.bump * 2) this.pending.push(old);
    }
    const index = this.newSlab(Math.max(size, this.nextSize));
    this.nextSize = Math.min(SLAB_MAX, this.nextSize * 2);
    this.current = index;
    this.currentBuf = this.slabs[index] as Buffer;
    this.bump = 0;
  }

  private newSlab(size: number): number {
    const index = this.freeIndexes.length !== 0 ? (this.freeIndexes.pop() as number) : this.slabs.length;
    if (index > MAX_SLABS) throw new RangeError('ringcache: a shard cannot hold more records');
    if (index === this.generations.length) this.generations.push(0);
    // allocUnsafeSlow: a slab of its own, not a slice of Node's shared pool (which a single live
    // slice would keep alive); no zero fill, since only written bytes are ever read.
    this.slabs[index] = Buffer.allocUnsafeSlow(size);
    this.live[index] = 0;
    this.ends[index] = 0;
    this.slabBytes += size;
    return index;
  }

  private release(index: number): void {
    this.slabBytes -= (this.slabs[index] as Buffer).length;
    this.slabs[index] = null;
    this.live[index] = 0;
    this.ends[index] = 0;
    this.generations[index]++;
    this.freeIndexes.push(index);
  }

  private addHole(ref: number, index: number, size: number): void {
    let stack = this.holes[size >>> 2];
    if (stack === undefined) this.holes[size >>> 2] = stack = [];
    stack.push(ref, this.generations[index]);
    if (++this.holeEntries > 2 * this.records + 64) this.dropVoidHoles();
  }

  /** Forgets the holes of slabs given back or reset, so the stacks stay proportional to the records. */
  private dropVoidHoles(): void {
    let kept = 0;
    for (const stack of this.holes) {
      if (stack === undefined) continue;
      let n = 0;
      for (let i = 0; i < stack.length; i += 2) {
        if (this.generations[stack[i] >>> OFFSET_BITS] !== stack[i + 1]) continue;
        stack[n++] = stack[i];
        stack[n++] = stack[i + 1];
      }
      stack.length = n;
      kept += n / 2;
    }
    this.holeEntries = kept;
  }

  /** Moves the live records of a retired slab to the current one, then frees the slab. */
  private compact(index: number): void {
    const b = this.slabs[index] as Buffer;
    const end = this.ends[index];
    const owner = this.owner;
    // Void this slab's holes first, or a record moved out could land in one of them.
    this.generations[index]++;
    for (let o = 0; o < end; ) {
      const ref = ((index << OFFSET_BITS) | (o >>> 2)) >>> 0;
      this.locate(ref);
      const size = recordSize(this.keyLength, this.valueLength);
      const slot = owner.slotOfRecord(ref, b, this.keyStart, this.keyLength);
      if (slot !== -1) {
        const moved = this.alloc(size);
        // It stays one record: alloc counted it again.
        this.records--;
        copyBytes(b, o, this.slabs[moved >>> OFFSET_BITS] as Buffer, (moved & OFFSET_MASK) << 2, size);
        owner.setRef(slot, moved);
        this.moved++;
      }
      o += size;
    }
    this.release(index);
  }
}

function copyBytes(from: Buffer, start: number, to: Buffer, at: number, length: number): void {
  if (length > SHORT_COPY) {
    from.copy(to, at, start, start + length);
    return;
  }
  for (let i = 0; i < length; i++) to[at + i] = from[start + i];
}
