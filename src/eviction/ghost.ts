// S3-FIFO's ghost queue: fingerprints of keys recently evicted from the small queue, forgotten
// once `capacity` newer ones have been added. A Map from fingerprint to insertion stamp, pruned
// in bulk when it doubles, so each operation is O(1) amortised and nothing is kept per live key.

export class GhostSet {
  private readonly stamps = new Map<number, number>();
  private clock = 0;
  capacity = 0;

  has(fingerprint: number): boolean {
    const stamp = this.stamps.get(fingerprint);
    return stamp !== undefined && this.clock - stamp < this.capacity;
  }

  add(fingerprint: number): void {
    this.stamps.set(fingerprint, ++this.clock);
    if (this.stamps.size > 2 * this.capacity + 64) this.prune();
  }

  delete(fingerprint: number): void {
    this.stamps.delete(fingerprint);
  }

  private prune(): void {
    for (const [fingerprint, stamp] of this.stamps) {
      if (this.clock - stamp >= this.capacity) this.stamps.delete(fingerprint);
    }
  }
}

/** A 32-bit fingerprint independent of the shard hash (which fixes the low bits within a shard). */
export function fingerprint(key: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
