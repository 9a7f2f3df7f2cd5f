// Reference policies for the ceiling study (ceiling.ts): exact, key-count models of the strongest
// published designs, each with its tuning knobs exposed so a sweep can pick the best setting per
// trace in hindsight. They answer "how far can this family of policy get on this trace at all",
// not "what would the server do": none of them runs in the server, and none is tuned for speed.
//
// - S3-FIFO with a fixed small-queue share, a ghost of a chosen length and a frequency cap (Yang
//   et al., SOSP'23): the design the server's allkeys-s3fifo starts from, without its adaptation.
// - LIRS (Jiang and Zhang, SIGMETRICS'02): ranks keys by reuse distance, keeps history of keys
//   no longer resident.
// - W-TinyLFU (Einziger, Friedman and Manes, ACM ToS 2017) with exact counts instead of a sketch
//   (no estimation error, so an upper bound of the sketch version): an LRU window, a segmented
//   LRU main area, and admission to main only for a key seen more often than main's victim.

/** A Map as an ordered set: insertion order is recency order, oldest first. */
class Recency {
  private readonly keys = new Map<number, true>();

  get size(): number {
    return this.keys.size;
  }

  has(key: number): boolean {
    return this.keys.has(key);
  }

  /** Adds the key as the newest, moving it when present. */
  touch(key: number): void {
    this.keys.delete(key);
    this.keys.set(key, true);
  }

  delete(key: number): boolean {
    return this.keys.delete(key);
  }

  oldest(): number {
    return this.keys.keys().next().value as number;
  }

  takeOldest(): number {
    const key = this.oldest();
    this.keys.delete(key);
    return key;
  }

  *ordered(): IterableIterator<number> {
    yield* this.keys.keys();
  }
}

export interface S3FifoParams {
  /** The small queue's share of the cache. */
  smallShare: number;
  /** The ghost remembers this many cache sizes of keys evicted from the small queue. */
  ghostSizes: number;
  /** The highest access count kept per key (the paper's is 3). */
  frequencyCap: number;
}

/** Misses of S3-FIFO with fixed parameters. */
export function s3fifoStatic(keys: Uint32Array, capacity: number, p: S3FifoParams): number {
  const frequency = new Map<number, number>();
  const small = new Recency();
  const main = new Recency();
  const ghost = new Recency();
  const smallCapacity = Math.max(1, Math.round(capacity * p.smallShare));
  const ghostCapacity = Math.max(1, Math.round(capacity * p.ghostSizes));
  const evict = (): void => {
    for (;;) {
      if (small.size >= smallCapacity || main.size === 0) {
        const key = small.takeOldest();
        if ((frequency.get(key) as number) > 0) {
          frequency.set(key, 0);
          main.touch(key);
          continue;
        }
        frequency.delete(key);
        ghost.touch(key);
        if (ghost.size > ghostCapacity) ghost.takeOldest();
        return;
      }
      const key = main.takeOldest();
      const f = frequency.get(key) as number;
      if (f > 0) {
        frequency.set(key, f - 1);
        main.touch(key);
        continue;
      }
      frequency.delete(key);
      return;
    }
  };
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const f = frequency.get(key);
    if (f !== undefined) {
      if (f < p.frequencyCap) frequency.set(key, f + 1);
      continue;
    }
    misses++;
    if (small.size + main.size >= capacity) evict();
    frequency.set(key, 0);
    if (ghost.delete(key)) main.touch(key);
    else small.touch(key);
  }
  return misses;
}

const LIR = 1;
const RESIDENT_HIR = 2;
const GHOST_HIR = 3;

/** Misses of LIRS; `hirShare` is the share of the cache for resident HIR keys (the paper's 1%). */
export function lirs(keys: Uint32Array, capacity: number, hirShare: number): number {
  const hirCapacity = Math.max(1, Math.round(capacity * hirShare));
  const lirCapacity = capacity - hirCapacity;
  /** The recency stack S: LIR keys, and HIR keys (resident or not) more recent than the oldest LIR key. */
  const stack = new Recency();
  /** Resident HIR keys, in FIFO order. */
  const hirQueue = new Recency();
  const state = new Map<number, number>();
  let lirCount = 0;
  // Keeps an LIR key at the bottom of S, dropping HIR entries below it.
  const prune = (): void => {
    for (const key of stack.ordered()) {
      const s = state.get(key);
      if (s === LIR) return;
      stack.delete(key);
      if (s === GHOST_HIR) state.delete(key);
    }
  };
  const demoteBottomLir = (): void => {
    const key = stack.takeOldest();
    state.set(key, RESIDENT_HIR);
    hirQueue.touch(key);
    prune();
  };
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const s = state.get(key);
    if (s === LIR) {
      const wasBottom = stack.oldest() === key;
      stack.touch(key);
      if (wasBottom) prune();
      continue;
    }
    if (s === RESIDENT_HIR) {
      if (stack.has(key)) {
        // Its reuse distance beat the oldest LIR key's: the two swap status.
        stack.touch(key);
        hirQueue.delete(key);
        state.set(key, LIR);
        demoteBottomLir();
      } else {
        stack.touch(key);
        hirQueue.touch(key);
      }
      continue;
    }
    misses++;
    if (lirCount < lirCapacity) {
      state.set(key, LIR);
      lirCount++;
      stack.touch(key);
      continue;
    }
    if (hirQueue.size >= hirCapacity) {
      const out = hirQueue.takeOldest();
      if (stack.has(out)) state.set(out, GHOST_HIR);
      else state.delete(out);
    }
    if (s === GHOST_HIR) {
      stack.touch(key);
      state.set(key, LIR);
      demoteBottomLir();
    } else {
      state.set(key, RESIDENT_HIR);
      stack.touch(key);
      hirQueue.touch(key);
    }
  }
  return misses;
}

export interface TinyLfuParams {
  /** The LRU window's share of the cache (Caffeine starts at 1% and adapts). */
  windowShare: number;
  /** All counts are halved after this many cache sizes of requests (the sketch's reset). */
  resetSizes: number;
}

/** Misses of W-TinyLFU with exact counts; main is a segmented LRU, 80% protected. */
export function wTinyLfu(keys: Uint32Array, capacity: number, p: TinyLfuParams): number {
  const windowCapacity = Math.max(1, Math.round(capacity * p.windowShare));
  const mainCapacity = capacity - windowCapacity;
  const protectedCapacity = Math.round(mainCapacity * 0.8);
  const window = new Recency();
  const probation = new Recency();
  const protectedKeys = new Recency();
  const counts = new Map<number, number>();
  const resetEvery = capacity * p.resetSizes;
  let sinceReset = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (++sinceReset >= resetEvery) {
      sinceReset = 0;
      for (const [k, n] of counts) {
        if (n <= 1) counts.delete(k);
        else counts.set(k, n >> 1);
      }
    }
    if (window.has(key)) {
      window.touch(key);
      continue;
    }
    if (protectedKeys.has(key)) {
      protectedKeys.touch(key);
      continue;
    }
    if (probation.delete(key)) {
      protectedKeys.touch(key);
      if (protectedKeys.size > protectedCapacity) probation.touch(protectedKeys.takeOldest());
      continue;
    }
    misses++;
    window.touch(key);
    if (window.size <= windowCapacity) continue;
    const candidate = window.takeOldest();
    if (probation.size + protectedKeys.size < mainCapacity) {
      probation.touch(candidate);
      continue;
    }
    const from = probation.size > 0 ? probation : protectedKeys;
    const victim = from.oldest();
    if ((counts.get(candidate) ?? 0) > (counts.get(victim) ?? 0)) {
      from.delete(victim);
      probation.touch(candidate);
    }
  }
  return misses;
}
