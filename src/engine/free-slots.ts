// The free slots of a shard as a two-level bitmap that hands out the lowest free slot first.
//
// Lowest-first is what lets a shard give memory back without moving keys (see shard.ts): new
// keys fill holes at the bottom, so the top of the slot range empties over time and can be cut.
// A bitmap costs one bit per slot, where a list of free slot numbers costs 8 bytes per entry.

export class FreeSlots {
  /** Bit set: the slot is free. */
  private words = new Int32Array(1);
  /** Bit w set: words[w] has a free slot. */
  private summary = new Int32Array(1);
  /** No summary word below this one has a bit set, so searches start here. */
  private lowestSummary = 0;
  count = 0;

  add(slot: number): void {
    const w = slot >>> 5;
    if (w >= this.words.length) this.growTo(w + 1);
    const before = this.words[w];
    this.words[w] = before | (1 << (slot & 31));
    if (before === 0) {
      const s = w >>> 5;
      this.summary[s] |= 1 << (w & 31);
      if (s < this.lowestSummary) this.lowestSummary = s;
    }
    this.count++;
  }

  /** Removes and returns the lowest free slot, or -1 when there is none. */
  takeLowest(): number {
    if (this.count === 0) return -1;
    while (this.summary[this.lowestSummary] === 0) this.lowestSummary++;
    const s = this.lowestSummary;
    const w = (s << 5) + lowestBit(this.summary[s]);
    const slot = (w << 5) + lowestBit(this.words[w]);
    this.remove(slot);
    return slot;
  }

  /** Marks a free slot as used again (the shard cut it off its end). */
  remove(slot: number): void {
    const w = slot >>> 5;
    const after = this.words[w] & ~(1 << (slot & 31));
    this.words[w] = after;
    if (after === 0) this.summary[w >>> 5] &= ~(1 << (w & 31));
    this.count--;
  }

  /** Shrinks the bitmap to cover `slots` slots; every slot from there on must no longer be free. */
  fit(slots: number): void {
    const words = Math.max(1, (slots + 31) >>> 5);
    if (words * 4 >= this.words.length) return;
    this.words = this.words.slice(0, words * 2);
    this.summary = this.summary.slice(0, Math.max(1, (words * 2 + 31) >>> 5));
    if (this.lowestSummary >= this.summary.length) this.lowestSummary = 0;
  }

  private growTo(words: number): void {
    let size = this.words.length * 2;
    while (size < words) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.words);
    this.words = grown;
    const summary = new Int32Array(Math.max(1, (size + 31) >>> 5));
    summary.set(this.summary);
    this.summary = summary;
  }
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}
