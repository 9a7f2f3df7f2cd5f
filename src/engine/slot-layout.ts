// The per-slot fields a shard keeps interleaved: SLOT_BYTES per slot in one buffer, read through
// four views of it, all behind the accessors below (the layout is known to this file alone).
// Why interleaved: a key's ref, access time, encoding hint and eviction byte are read and
// written together (a lookup, an insertion, an eviction's sample), and on a keyspace
// larger than the CPU caches each separate column costs its own cache miss. Sixteen bytes keep
// every slot within one 64-byte line, four slots to a line.
//
// Byte layout of slot s, at s * SLOT_BYTES:
//   0..7   access time in ms, a double      time(s)
//   8..11  record ref, u32                  ref(s)
//   12     encoding hint                    encoding(s)
//   13     eviction policy byte             meta(s)
//   14..15 the key's homeBits, u16          home(s) (key-index.ts)

const SLOT_BYTES = 16;
/** A slot's stride in each view. */
const DOUBLES_PER_SLOT = SLOT_BYTES / 8;
const WORDS_PER_SLOT = SLOT_BYTES / 4;
const HALVES_PER_SLOT = SLOT_BYTES / 2;
const TIME_DOUBLE = 0;
const REF_WORD = 2;
const ENCODING_BYTE = 12;
const META_BYTE = 13;
const HOME_HALF = 7;

export class SlotFields {
  private readonly times: Float64Array;
  private readonly words: Uint32Array;
  private readonly halves: Uint16Array;
  private readonly bytes: Uint8Array;

  constructor(readonly slots: number) {
    const buffer = new ArrayBuffer(slots * SLOT_BYTES);
    this.times = new Float64Array(buffer);
    this.words = new Uint32Array(buffer);
    this.halves = new Uint16Array(buffer);
    this.bytes = new Uint8Array(buffer);
  }

  ref(slot: number): number {
    return this.words[slot * WORDS_PER_SLOT + REF_WORD];
  }

  setRef(slot: number, ref: number): void {
    this.words[slot * WORDS_PER_SLOT + REF_WORD] = ref;
  }

  time(slot: number): number {
    return this.times[slot * DOUBLES_PER_SLOT + TIME_DOUBLE];
  }

  setTime(slot: number, at: number): void {
    this.times[slot * DOUBLES_PER_SLOT + TIME_DOUBLE] = at;
  }

  encoding(slot: number): number {
    return this.bytes[slot * SLOT_BYTES + ENCODING_BYTE];
  }

  setEncoding(slot: number, encoding: number): void {
    this.bytes[slot * SLOT_BYTES + ENCODING_BYTE] = encoding;
  }

  meta(slot: number): number {
    return this.bytes[slot * SLOT_BYTES + META_BYTE];
  }

  setMeta(slot: number, meta: number): void {
    this.bytes[slot * SLOT_BYTES + META_BYTE] = meta;
  }

  /** Zeroes the eviction byte of every slot. */
  clearMeta(): void {
    const bytes = this.bytes;
    for (let at = META_BYTE; at < bytes.length; at += SLOT_BYTES) bytes[at] = 0;
  }

  home(slot: number): number {
    return this.halves[slot * HALVES_PER_SLOT + HOME_HALF];
  }

  setHome(slot: number, bits: number): void {
    this.halves[slot * HALVES_PER_SLOT + HOME_HALF] = bits;
  }

  /** A copy with room for `slots` slots: the first ones copied, the rest zero (free, no record). */
  resized(slots: number): SlotFields {
    const next = new SlotFields(slots);
    next.bytes.set(slots >= this.slots ? this.bytes : this.bytes.subarray(0, slots * SLOT_BYTES));
    return next;
  }
}
