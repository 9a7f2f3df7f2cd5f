// A shard's key → slot index: an open-addressing hash table over the shard's slot columns.
//
// Why not a Map<string, number>: profiles put V8's Map lookup at 15-25% of the server's CPU. Each
// request brings a fresh key string, so V8 must hash it (its own hash, on top of the one that
// picks the shard), then walk a bucket chain whose entries and stored key strings are separate
// cache lines. Here the entry itself holds the key's 32-bit hash next to its slot, so a probe
// compares integers within one cache line and touches a stored key only when the hashes match.
// It is also smaller: 8 bytes per table entry at 35-70% load (11-23 B/key), against 24-48 B/key
// for a Map's entries and buckets. Growing copies integers only, never reads a key, so the
// synchronous rehash that stalled the event loop with a big Map is a short memcpy-like pass; and
// there is no 2^24-entry cap.
//
// Linear probing with backward-shift deletion: no tombstones, so lookups never slow down with
// churn. The probe start takes the high bits of a multiplicative mix of the hash, because the
// low bits of every key in one shard are equal (they picked the shard).

const MIN_CAPACITY = 8;
/** Grow past this load; linear probing stays at a few probes per lookup below it. */
const MAX_LOAD = 0.7;
const GOLDEN = 0x9e3779b1 | 0;

/**
 * The top 16 bits of the mixed hash, from which a table of up to 2^16 entries takes a key's probe
 * start: a shard keeps them per slot, so that removing a key finds its entry without reading the
 * key's record to hash it again (the record and the entry are then fetched side by side, not one
 * after the other: two cache misses of an eviction overlap).
 */
export function homeBits(hash: number): number {
  return Math.imul(hash | 0, GOLDEN) >>> 16;
}

/** What the index compares keys with: the shard, which holds the stored keys. */
export interface KeyComparer {
  keyEquals(slot: number, key: string): boolean;
}

export class KeyIndex {
  /** Entry i is [2i] = the key's hash, [2i + 1] = its slot + 1 (0: the entry is empty). */
  private table = new Int32Array(MIN_CAPACITY * 2);
  /** 32 - log2(capacity): the shift that turns a mixed hash into an entry number. */
  private shift = 32 - Math.log2(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private growAt = Math.floor(MIN_CAPACITY * MAX_LOAD);
  size = 0;

  /** The slot of `key` (whose hash is `hash`), or -1. `keys` compares a slot's stored key with it. */
  find(keys: KeyComparer, key: string, hash: number): number {
    const table = this.table;
    const mask = this.mask;
    const h = hash | 0;
    let i = Math.imul(h, GOLDEN) >>> this.shift;
    for (;;) {
      const slotPlus1 = table[2 * i + 1];
      if (slotPlus1 === 0) return -1;
      if (table[2 * i] === h && keys.keyEquals(slotPlus1 - 1, key)) return slotPlus1 - 1;
      i = (i + 1) & mask;
    }
  }

  /**
   * The slot of the first entry with this hash, without comparing keys (-1: none): where a lookup
   * of the key will most likely end, for Database.prefetch to load ahead. Never an answer by itself.
   */
  candidate(hash: number): number {
    const table = this.table;
    const mask = this.mask;
    const h = hash | 0;
    let i = Math.imul(h, GOLDEN) >>> this.shift;
    for (;;) {
      const slotPlus1 = table[2 * i + 1];
      if (slotPlus1 === 0 || table[2 * i] === h) return slotPlus1 - 1;
      i = (i + 1) & mask;
    }
  }

  /** Records a key known to be absent. */
  add(hash: number, slot: number): void {
    if (this.size >= this.growAt) this.resize((this.mask + 1) * 2);
    this.place(hash | 0, slot + 1);
    this.size++;
  }

  /** Forgets the key at `slot` (its hash is `hash`); it must be present. */
  remove(hash: number, slot: number): void {
    this.removeFrom(Math.imul(hash | 0, GOLDEN) >>> this.shift, slot);
  }

  /**
   * Whether a key's entry can be found from its homeBits (homeBits() of its hash) instead of its
   * hash: while the table has at most 2^16 entries, those bits hold the whole probe start.
   */
  get homeBitsSuffice(): boolean {
    return this.shift >= 16;
  }

  /** As remove(), given homeBits() of the key's hash; only while homeBitsSuffice. */
  removeByHome(bits: number, slot: number): void {
    this.removeFrom(bits >>> (this.shift - 16), slot);
  }

  private removeFrom(start: number, slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = start;
    while (table[2 * i + 1] !== slot + 1) {
      // An empty entry ends the run: the key is not where its start says (a wrong hash or home
      // bits). Failing here beats scanning on, which would loop forever on an absent slot.
      if (table[2 * i + 1] === 0) throw new Error(`key index: slot ${slot} is not in the run its hash starts`);
      i = (i + 1) & mask;
    }
    // Backward shift: pull later entries of the run into the hole when their probe start allows,
    // so that every entry stays reachable from its start without crossing an empty entry.
    let hole = i;
    for (let j = (i + 1) & mask; table[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = Math.imul(table[2 * j], GOLDEN) >>> this.shift;
      // Movable when its home is not in (hole, j], cyclically.
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        table[2 * hole] = table[2 * j];
        table[2 * hole + 1] = table[2 * j + 1];
        hole = j;
      }
    }
    table[2 * hole] = 0;
    table[2 * hole + 1] = 0;
    this.size--;
    const capacity = mask + 1;
    if (capacity > MIN_CAPACITY && this.size * 8 < capacity) this.resize(capacity / 2);
  }

  clear(): void {
    this.table = new Int32Array(MIN_CAPACITY * 2);
    this.setCapacity(MIN_CAPACITY);
    this.size = 0;
  }

  private place(h: number, slotPlus1: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = Math.imul(h, GOLDEN) >>> this.shift;
    while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
    table[2 * i] = h;
    table[2 * i + 1] = slotPlus1;
  }

  private resize(capacity: number): void {
    const old = this.table;
    this.table = new Int32Array(capacity * 2);
    this.setCapacity(capacity);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i], old[i + 1]);
  }

  private setCapacity(capacity: number): void {
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.growAt = Math.floor(capacity * MAX_LOAD);
  }
}
