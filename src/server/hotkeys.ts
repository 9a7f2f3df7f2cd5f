// The hottest keys, found with the Space-Saving heavy-hitters algorithm (Metwally et al., 2005):
// a fixed number of counters, each key either holding one or taking over the smallest. Any key
// whose true share of accesses is above 1/capacity is guaranteed a counter, and a counter
// overestimates by at most the count it inherited. Accesses are sampled (one command in N) so
// the hot path pays one decrement for the others.

import { ByteStringMap } from '../util/byte-string-map.js';

export interface HotKey {
  key: string;
  /** Estimated accesses, scaled back up by the sampling rate. */
  count: number;
  /** Upper bound of the overestimate (the count inherited when the key took its counter). */
  error: number;
}

/** A counted key and its place in the heap, moved by swaps without a lookup of the key. */
interface Place {
  key: string;
  at: number;
}

export class HotKeys {
  /** The min-heap ordered by count: places[i] is the key whose count is counts[i]. */
  private readonly places: Place[] = [];
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  /**
   * Key -> its Place in the min-heap ordered by count: looked up once per recorded access, never
   * during a sift. A ByteStringMap, since keys are the client's: V8 hashes strings over 16383
   * bytes by their length alone, and up to 256 same-length ones would share a bucket.
   */
  private readonly placeOf = new ByteStringMap<Place>();
  private countdown: number;
  private every: number;

  constructor(
    readonly capacity = 256,
    sampleEvery = 64,
  ) {
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.every = sampleEvery;
    this.countdown = sampleEvery;
  }

  /** One command in `sampleEvery` is counted; 0 turns tracking off. */
  get sampleEvery(): number {
    return this.every;
  }

  set sampleEvery(every: number) {
    this.every = every;
    this.countdown = every;
  }

  /** Called for every command with a key; counts one in sampleEvery. */
  sample(key: string): void {
    if (this.due()) this.record(key);
  }

  /** Counts one keyed command; true for the one in sampleEvery whose key must be recorded. */
  due(): boolean {
    if (--this.countdown > 0 || this.every === 0) return false;
    this.countdown = this.every;
    return true;
  }

  record(key: string): void {
    const place = this.placeOf.get(key);
    if (place !== undefined) {
      this.counts[place.at]++;
      this.siftDown(place.at);
      return;
    }
    const size = this.places.length;
    if (size < this.capacity) {
      this.counts[size] = 1;
      this.errors[size] = 0;
      const added = { key, at: size };
      this.places.push(added);
      this.placeOf.set(key, added);
      this.siftUp(size);
      return;
    }
    // The key with the fewest accesses gives up its counter; the newcomer inherits its count.
    const smallest = this.places[0];
    this.placeOf.delete(smallest.key);
    smallest.key = key;
    this.errors[0] = this.counts[0];
    this.counts[0]++;
    this.placeOf.set(key, smallest);
    this.siftDown(0);
  }

  /** The `n` keys with the highest counts, highest first. */
  top(n: number): HotKey[] {
    const scale = Math.max(1, this.sampleEvery);
    const order = this.places.map((_, i) => i).sort((a, b) => this.counts[b] - this.counts[a]);
    return order.slice(0, n).map((i) => ({ key: this.places[i].key, count: this.counts[i] * scale, error: this.errors[i] * scale }));
  }

  get size(): number {
    return this.places.length;
  }

  reset(): void {
    this.places.length = 0;
    this.placeOf.clear();
    this.countdown = this.sampleEvery;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.counts[parent] <= this.counts[i]) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const size = this.places.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const smaller = right < size && this.counts[right] < this.counts[left] ? right : left;
      if (this.counts[i] <= this.counts[smaller]) return;
      this.swap(i, smaller);
      i = smaller;
    }
  }

  private swap(a: number, b: number): void {
    const count = this.counts[a];
    this.counts[a] = this.counts[b];
    this.counts[b] = count;
    const error = this.errors[a];
    this.errors[a] = this.errors[b];
    this.errors[b] = error;
    const place = this.places[a];
    this.places[a] = this.places[b];
    this.places[b] = place;
    this.places[a].at = a;
    this.places[b].at = b;
  }
}
