// S3-FIFO's ghost queues: fingerprints of keys recently evicted, each ghost forgetting an entry
// once `capacity` newer ones were added to it. Both of a shard's ghosts (keys evicted from the
// small queue, keys evicted from main) share one open-addressing table of [tag, stamp] pairs in an
// Int32Array, the tag telling the ghosts apart, so the lookup on every insertion asks both ghosts
// with one probe of adjacent cells (one cache line, where two tables cost two misses), and a ghost
// costs no heap object and no GC work. An entry is live while fewer than `capacity` entries were
// added to its ghost after it; stale and taken cells are reused. When every probed cell is live
// the oldest is overwritten, forgetting that ghost a little early; the table keeps 2-4 cells per
// remembered entry, so that is rare.

import type { ByteRange } from '../engine/shard.js';

export const NO_GHOST = 0;
export const SMALL_GHOST = 1;
export const MAIN_GHOST = 2;
export type Ghost = typeof SMALL_GHOST | typeof MAIN_GHOST;

const PROBE_LIMIT = 8;
const MIN_CELLS = 16;

export class GhostTable {
  /** Per cell: tag (0 empty, else ((fingerprint << 1) | ghost - 1) + 1) and stamp (its ghost's clock). */
  private cells = new Int32Array(MIN_CELLS * 2);
  private mask = MIN_CELLS - 1;
  /** Additions so far per ghost (index ghost - 1), mod 2^32. */
  private readonly clocks = new Uint32Array(2);
  private limit = 0;

  /** How many of the latest additions each ghost remembers. */
  get capacity(): number {
    return this.limit;
  }

  set capacity(n: number) {
    this.limit = n;
    // Two ghosts of n entries: grow below 1.5 cells per entry; shrinking is left to stale entries.
    if (this.mask + 1 < n * 3) this.resize(n);
  }

  /** Which ghost remembers the fingerprint (NO_GHOST if none); a remembered one is forgotten. */
  take(fingerprint: number): number {
    const cells = this.cells;
    const small = tagOf(fingerprint, SMALL_GHOST);
    let cell = fingerprint & this.mask;
    for (let probe = 0; probe < PROBE_LIMIT; probe++) {
      const tag = cells[cell * 2];
      if (tag === small || tag === small + 1) {
        const ghost = tag === small ? SMALL_GHOST : MAIN_GHOST;
        cells[cell * 2] = 0;
        return this.ageOf(ghost, cells[cell * 2 + 1]) < this.limit ? ghost : NO_GHOST;
      }
      cell = (cell + 1) & this.mask;
    }
    return NO_GHOST;
  }

  add(fingerprint: number, ghost: Ghost): void {
    const stamp = (this.clocks[ghost - 1] += 1);
    const cells = this.cells;
    const want = tagOf(fingerprint, ghost);
    let cell = fingerprint & this.mask;
    let oldest = cell;
    let oldestAge = -1;
    for (let probe = 0; probe < PROBE_LIMIT; probe++) {
      const tag = cells[cell * 2];
      if (tag === 0 || tag === want) {
        oldest = cell;
        break;
      }
      const age = this.ageOf(ghostOfTag(tag), cells[cell * 2 + 1]);
      if (age >= this.limit) {
        oldest = cell;
        break;
      }
      if (age > oldestAge) {
        oldestAge = age;
        oldest = cell;
      }
      cell = (cell + 1) & this.mask;
    }
    cells[oldest * 2] = want;
    cells[oldest * 2 + 1] = stamp | 0;
  }

  private ageOf(ghost: Ghost, stamp: number): number {
    return (this.clocks[ghost - 1] - stamp) >>> 0;
  }

  /** Rebuilds the table at 2-4 cells per remembered entry, keeping the live entries, oldest first. */
  private resize(capacity: number): void {
    let count = MIN_CELLS;
    while (count < capacity * 4) count *= 2;
    const old = this.cells;
    const live: number[] = [];
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 && this.ageOf(ghostOfTag(old[i]), old[i + 1]) < this.limit) live.push(i);
    }
    live.sort((a, b) => this.ageOf(ghostOfTag(old[b]), old[b + 1]) - this.ageOf(ghostOfTag(old[a]), old[a + 1]));
    this.cells = new Int32Array(count * 2);
    this.mask = count - 1;
    for (const i of live) {
      let cell = ((old[i] - 1) >>> 1) & this.mask;
      for (let probe = 0; probe < PROBE_LIMIT && this.cells[cell * 2] !== 0; probe++) cell = (cell + 1) & this.mask;
      this.cells[cell * 2] = old[i];
      this.cells[cell * 2 + 1] = old[i + 1];
    }
  }
}

function tagOf(fingerprint: number, ghost: Ghost): number {
  return ((fingerprint & 0x1fffffff) << 1) + ghost;
}

function ghostOfTag(tag: number): Ghost {
  return ((tag - 1) & 1) === 0 ? SMALL_GHOST : MAIN_GHOST;
}

/**
 * A 30-bit fingerprint independent of the shard hash (which fixes the low bits within a shard);
 * the table keeps its low 29 bits.
 */
export function fingerprint(key: ByteRange): number {
  const b = key.buf;
  let h = 0x9747b28c;
  for (let i = key.start; i < key.end; i++) {
    h = Math.imul(h ^ b[i], 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}
