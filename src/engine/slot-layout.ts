// The per-slot fields a shard keeps interleaved: SLOT_BYTES per slot in one buffer, read through
// four views of it. Why interleaved: a key's ref, access time, encoding hint and eviction byte are
// read and written together (a lookup, an insertion, an eviction's sample), and on a keyspace
// larger than the CPU caches each separate column costs its own cache miss. Sixteen bytes keep
// every slot within one 64-byte line, four slots to a line.
//
// Byte layout of slot s, at s * SLOT_BYTES:
//   0..7   access time in ms, a double      times[s * DOUBLES_PER_SLOT + TIME_DOUBLE]
//   8..11  record ref, u32                  words[s * WORDS_PER_SLOT + REF_WORD]
//   12     encoding hint                    bytes[s * SLOT_BYTES + ENCODING_BYTE]
//   13     eviction policy byte             bytes[s * SLOT_BYTES + META_BYTE]
//   14..15 the key's homeBits, u16          halves[s * HALVES_PER_SLOT + HOME_HALF] (key-index.ts)

export const SLOT_BYTES = 16;
/** A slot's stride in each view. */
export const DOUBLES_PER_SLOT = SLOT_BYTES / 8;
export const WORDS_PER_SLOT = SLOT_BYTES / 4;
export const HALVES_PER_SLOT = SLOT_BYTES / 2;
export const TIME_DOUBLE = 0;
export const REF_WORD = 2;
export const ENCODING_BYTE = 12;
export const META_BYTE = 13;
export const HOME_HALF = 7;

export class SlotFields {
  readonly times: Float64Array;
  readonly words: Uint32Array;
  readonly halves: Uint16Array;
  readonly bytes: Uint8Array;

  constructor(readonly slots: number) {
    const buffer = new ArrayBuffer(slots * SLOT_BYTES);
    this.times = new Float64Array(buffer);
    this.words = new Uint32Array(buffer);
    this.halves = new Uint16Array(buffer);
    this.bytes = new Uint8Array(buffer);
  }

  /** A copy with room for `slots` slots: the first ones copied, the rest zero (free, no record). */
  resized(slots: number): SlotFields {
    const next = new SlotFields(slots);
    next.bytes.set(slots >= this.slots ? this.bytes : this.bytes.subarray(0, slots * SLOT_BYTES));
    return next;
  }
}
