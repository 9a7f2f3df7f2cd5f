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
// - ARC (Megiddo and Modha, FAST'03): two LRU lists (seen once, seen twice or more) with ghost
//   lists of their recent evictions; a ghost hit moves the target split p towards the list that
//   would have kept the key. Parameter-free; a fixed-p variant bounds what better adaptation of
//   that one split could give.
// - Hyperbolic caching (Blankstein et al., ATC'17): evicts the lowest hits / time since insertion.
//   The paper samples candidates; here the scan is exact by default (cheap at these cache sizes),
//   or sampled as the paper's Redis version does.
// - LeCaR (Vietri et al., HotStorage'18): evicts by LRU or LFU, drawn at random with weights that
//   a ghost hit in one policy's history (its regretted evictions) shifts towards the other.
// - LRFU (Lee et al., IEEE ToC 2001): one combined recency-frequency value per key, a sum of
//   (1/2)^(lambda * age) over its references; lambda spans LFU (0) to LRU (1).
// - LHD (Beckmann, Chen and Cidon, NSDI'18): evicts the lowest hit density (hit probability over
//   expected remaining lifetime), estimated online per age class and reuse class.
// - CACHEUS (Rodriguez et al., FAST'21), simplified: LeCaR's regret weighting over SR-LRU and
//   CR-LFU, with an adaptive learning rate; SR-LRU's split is fixed and swept.
// - A learned relaxed Belady in the spirit of LRB (Song et al., NSDI'20): a model trained online,
//   on labels the replay has already seen, estimates whether a key is requested again within a
//   boundary; the sampled candidate least likely to be is evicted. The model is an online
//   logistic regression or a smoothed table of hit frequencies, not LRB's boosted trees.

import { seeded } from './traces.js';

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

/**
 * Misses of ARC. With `fixedP` (a share of the cache), the split between the two lists stays at
 * that target instead of adapting: the same lists and ghosts, without the learning.
 */
export function arc(keys: Uint32Array, capacity: number, fixedP?: number): number {
  const c = capacity;
  const t1 = new Recency();
  const t2 = new Recency();
  const b1 = new Recency();
  const b2 = new Recency();
  // The paper's p is real-valued: the adaptation steps are ratios of ghost sizes.
  let p = fixedP === undefined ? 0 : fixedP * c;
  const replace = (inB2: boolean): void => {
    // The paper's invariants keep T2 non-empty whenever this takes from it; the guard only
    // protects a fixed p of 1 at the edge.
    if (t1.size >= 1 && ((inB2 && t1.size === p) || t1.size > p || t2.size === 0)) b1.touch(t1.takeOldest());
    else b2.touch(t2.takeOldest());
  };
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (t1.delete(key) || t2.has(key)) {
      t2.touch(key);
      continue;
    }
    misses++;
    if (b1.has(key)) {
      if (fixedP === undefined) p = Math.min(c, p + (b1.size >= b2.size ? 1 : b2.size / b1.size));
      replace(false);
      b1.delete(key);
      t2.touch(key);
      continue;
    }
    if (b2.has(key)) {
      if (fixedP === undefined) p = Math.max(0, p - (b2.size >= b1.size ? 1 : b1.size / b2.size));
      replace(true);
      b2.delete(key);
      t2.touch(key);
      continue;
    }
    if (t1.size + b1.size === c) {
      if (t1.size < c) {
        b1.takeOldest();
        replace(false);
      } else {
        // B1 is empty and T1 fills the cache: its oldest leaves without a ghost.
        t1.takeOldest();
      }
    } else {
      const total = t1.size + t2.size + b1.size + b2.size;
      if (total >= c) {
        if (total === 2 * c) b2.takeOldest();
        replace(false);
      }
    }
    t1.touch(key);
  }
  return misses;
}

/**
 * Misses of hyperbolic caching: evicts the key with the lowest hits / age^ageExponent, where hits
 * counts its requests since it was inserted (the inserting one included) and age counts the time
 * steps since then, the current one included (the authors' own worked example: requests A A B at
 * steps 1-3 give A 2/3 and B 1/1 at step 3). The paper's priority is ageExponent 1; other
 * exponents are a sweep beyond it (0 is LFU over residency). With `samples` 0 the eviction is
 * exact, a scan of the whole cache (ties to the earliest inserted); otherwise it takes the lowest
 * of that many slots drawn at random, as the paper's Redis implementation does.
 */
export function hyperbolic(keys: Uint32Array, capacity: number, ageExponent = 1, samples = 0, random: () => number = seeded(1)): number {
  const slotOf = new Map<number, number>();
  const slotKey = new Float64Array(capacity);
  const slotHits = new Float64Array(capacity);
  const slotSince = new Float64Array(capacity);
  const priorityOf = (s: number, i: number): number => {
    const age = i - slotSince[s] + 1;
    return ageExponent === 1 ? slotHits[s] / age : slotHits[s] / Math.pow(age, ageExponent);
  };
  let used = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const slot = slotOf.get(key);
    if (slot !== undefined) {
      slotHits[slot]++;
      continue;
    }
    misses++;
    let target = used;
    if (used < capacity) used++;
    else {
      target = 0;
      let lowest = Infinity;
      const draws = samples === 0 ? capacity : samples;
      for (let d = 0; d < draws; d++) {
        const s = samples === 0 ? d : Math.floor(random() * capacity);
        const priority = priorityOf(s, i);
        if (priority < lowest || (priority === lowest && slotSince[s] < slotSince[target])) {
          lowest = priority;
          target = s;
        }
      }
      slotOf.delete(slotKey[target]);
    }
    slotOf.set(key, target);
    slotKey[target] = key;
    slotHits[target] = 1;
    slotSince[target] = i;
  }
  return misses;
}

export interface LeCaRParams {
  /** The learning rate (the paper's 0.45). */
  learningRate: number;
  /** A regret from a key evicted one cache size of requests ago weighs this much (the paper's 0.005). */
  discountPerCacheSize: number;
  /** Each policy's history holds this many cache sizes of keys it evicted. */
  historySizes: number;
  /** A key coming back from a history resumes the count it was evicted with, instead of 1. */
  rememberCounts: boolean;
}

/**
 * Misses of LeCaR. Each eviction draws LRU with probability wLru, else LFU (lowest count, ties to
 * the least recent); the victim goes into that policy's history. A miss on a key in a history
 * means that policy was wrong: the other's weight grows by e^(learningRate * d^t), t the requests
 * the key spent in the history and d = discountPerCacheSize^(1/capacity). `random` is injectable
 * so a test can fix the draws.
 */
export function lecar(keys: Uint32Array, capacity: number, p: LeCaRParams, random: () => number = seeded(1)): number {
  const recency = new Recency();
  const count = new Map<number, number>();
  const lastUse = new Map<number, number>();
  // LFU's order, as a min-heap of (count, last use, key) snapshots; a snapshot that no longer
  // matches the key's current state is stale and skipped.
  const heap: Array<[number, number, number]> = [];
  const before = (a: [number, number, number], b: [number, number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (entry: [number, number, number]): void => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const popTop = (): void => {
    const last = heap.pop() as [number, number, number];
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (l + 1 < heap.length && before(heap[l + 1], heap[m])) m = l + 1;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const isCurrent = (e: [number, number, number]): boolean => recency.has(e[2]) && count.get(e[2]) === e[0] && lastUse.get(e[2]) === e[1];
  const lfuVictim = (): number => {
    while (!isCurrent(heap[0])) popTop();
    return heap[0][2];
  };
  const use = (key: number, n: number, i: number): void => {
    recency.touch(key);
    count.set(key, n);
    lastUse.set(key, i);
    push([n, i, key]);
    // Stale snapshots pile up on hits; rebuilding keeps the heap near the cache's size.
    if (heap.length > 8 * capacity + 64) {
      const live = heap.filter(isCurrent);
      heap.length = 0;
      for (const e of live) push(e);
    }
  };
  const historyCapacity = Math.max(1, Math.round(capacity * p.historySizes));
  /** Evicted key -> [request index of its eviction, its count then], oldest eviction first. */
  const lruHistory = new Map<number, [number, number]>();
  const lfuHistory = new Map<number, [number, number]>();
  const d = Math.pow(p.discountPerCacheSize, 1 / capacity);
  let wLru = 0.5;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const n = count.get(key);
    if (n !== undefined) {
      use(key, n + 1, i);
      continue;
    }
    misses++;
    let resumed = 0;
    const fromLru = lruHistory.get(key);
    const fromLfu = lfuHistory.get(key);
    if (fromLru !== undefined || fromLfu !== undefined) {
      const [evictedAt, evictedCount] = (fromLru ?? fromLfu) as [number, number];
      const reward = Math.exp(p.learningRate * Math.pow(d, i - evictedAt));
      let wLfu = 1 - wLru;
      if (fromLru !== undefined) wLfu *= reward;
      else wLru *= reward;
      wLru /= wLru + wLfu;
      lruHistory.delete(key);
      lfuHistory.delete(key);
      if (p.rememberCounts) resumed = evictedCount;
    }
    if (recency.size >= capacity) {
      const byLru = random() < wLru;
      const victim = byLru ? recency.oldest() : lfuVictim();
      const history = byLru ? lruHistory : lfuHistory;
      history.set(victim, [i, count.get(victim) as number]);
      if (history.size > historyCapacity) history.delete(history.keys().next().value as number);
      recency.delete(victim);
      count.delete(victim);
      lastUse.delete(victim);
    }
    use(key, resumed + 1, i);
  }
  return misses;
}

/**
 * A min-heap of (priority, time, key) snapshots, ties to the earlier time. Callers push a new
 * snapshot whenever a key's priority changes and skip stale ones when they pop (lazy deletion).
 */
class SnapshotHeap {
  private priority: number[] = [];
  private time: number[] = [];
  private key: number[] = [];

  get size(): number {
    return this.key.length;
  }

  private before(a: number, b: number): boolean {
    return this.priority[a] < this.priority[b] || (this.priority[a] === this.priority[b] && this.time[a] < this.time[b]);
  }

  private swap(a: number, b: number): void {
    [this.priority[a], this.priority[b]] = [this.priority[b], this.priority[a]];
    [this.time[a], this.time[b]] = [this.time[b], this.time[a]];
    [this.key[a], this.key[b]] = [this.key[b], this.key[a]];
  }

  push(priority: number, time: number, key: number): void {
    this.priority.push(priority);
    this.time.push(time);
    this.key.push(key);
    for (let i = this.key.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  topKey(): number {
    return this.key[0];
  }

  topTime(): number {
    return this.time[0];
  }

  pop(): void {
    const last = this.key.length - 1;
    this.swap(0, last);
    this.priority.pop();
    this.time.pop();
    this.key.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      let m = i;
      if (l < this.key.length && this.before(l, m)) m = l;
      if (l + 1 < this.key.length && this.before(l + 1, m)) m = l + 1;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  /** Keeps only the snapshots `live` accepts (stale ones pile up on hits). */
  rebuild(live: (time: number, key: number) => boolean): void {
    const entries: Array<[number, number, number]> = [];
    for (let i = 0; i < this.key.length; i++) if (live(this.time[i], this.key[i])) entries.push([this.priority[i], this.time[i], this.key[i]]);
    this.priority = [];
    this.time = [];
    this.key = [];
    for (const [p, t, k] of entries) this.push(p, t, k);
  }
}

export interface LrfuParams {
  /** The weighing function is F(x) = (1/2)^(lambda x) of a reference's age x: 0 gives LFU, 1 LRU. */
  lambda: number;
  /**
   * Evicted keys keep their CRF and last reference time in a history of this many cache sizes
   * (oldest eviction forgotten first). 0 is the paper's basic form: a key's past is dropped with it.
   */
  historySizes: number;
}

/**
 * Misses of LRFU: every key's combined recency and frequency CRF = sum over its past references of
 * (1/2)^(lambda * age), updated on a reference at time t as 1 + CRF(last) * (1/2)^(lambda *
 * (t - last)); the resident key with the lowest CRF now is evicted, ties to the least recently
 * referenced. Since every CRF decays by the same factor over time, the order of keys is that of
 * log2(CRF at last reference) + lambda * last, which does not change until the key is referenced
 * again: a heap of those snapshots gives the exact victim.
 */
export function lrfu(keys: Uint32Array, capacity: number, p: LrfuParams): number {
  const crf = new Map<number, number>();
  const last = new Map<number, number>();
  const history = new Map<number, [number, number]>();
  const historyCapacity = Math.round(capacity * p.historySizes);
  const heap = new SnapshotHeap();
  const decayed = (value: number, since: number, now: number): number => value * Math.pow(2, -p.lambda * (now - since));
  const reference = (key: number, value: number, i: number): void => {
    crf.set(key, value);
    last.set(key, i);
    heap.push(Math.log2(value) + p.lambda * i, i, key);
    if (heap.size > 8 * capacity + 64) heap.rebuild((t, k) => last.get(k) === t);
  };
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = crf.get(key);
    if (value !== undefined) {
      reference(key, 1 + decayed(value, last.get(key) as number, i), i);
      continue;
    }
    misses++;
    let start = 1;
    const past = history.get(key);
    if (past !== undefined) {
      history.delete(key);
      start = 1 + decayed(past[0], past[1], i);
    }
    if (crf.size >= capacity) {
      // A snapshot is current when its time is the key's last reference (a resident key's only one).
      while (last.get(heap.topKey()) !== heap.topTime()) heap.pop();
      const victim = heap.topKey();
      heap.pop();
      if (historyCapacity > 0) {
        history.set(victim, [crf.get(victim) as number, last.get(victim) as number]);
        if (history.size > historyCapacity) history.delete(history.keys().next().value as number);
      }
      crf.delete(victim);
      last.delete(victim);
    }
    reference(key, start, i);
  }
  return misses;
}

export interface LhdParams {
  /** Width of one age class, in requests, as a share of the cache size (at least one request). */
  ageShare: number;
  /** Age classes; ages beyond the last class count in it. */
  ageClasses: number;
  /**
   * 1: no classification. Otherwise class 0 holds keys not hit since insertion and classes 1 to
   * reuseClasses - 1 keys by the age of their last hit, in powers of two of the age class width.
   */
  reuseClasses: number;
  /** Hit densities are recomputed every this many cache sizes of requests. */
  reconfigureSizes: number;
  /** The share of the hit and eviction counts kept at each recomputation (the paper's EWMA, 0.9). */
  decay: number;
  /** 0: the lowest hit density of the whole cache; otherwise of that many random draws (the paper's 64). */
  samples: number;
  /**
   * Beyond the paper: every key's last request time is remembered after its eviction, so a key
   * inserted again is classed by the reuse distance of this miss instead of starting in class 0.
   */
  rememberPast?: boolean;
}

/**
 * Hit density per age class from hit and eviction counts per age class: for a key now in age
 * class a, hits(age >= a) / sum over those events of their remaining lifetime (in age classes,
 * counting the current one). With one size for every key this is the paper's hit probability /
 * expected lifetime. Exported for the unit test.
 */
export function hitDensities(hits: ArrayLike<number>, evictions: ArrayLike<number>): number[] {
  const out = new Array<number>(hits.length).fill(0);
  let hitsAbove = 0;
  let eventsAbove = 0;
  let lifetime = 0;
  for (let a = hits.length - 1; a >= 0; a--) {
    hitsAbove += hits[a];
    eventsAbove += hits[a] + evictions[a];
    lifetime += eventsAbove;
    out[a] = lifetime > 0 ? hitsAbove / lifetime : 0;
  }
  return out;
}

/**
 * Misses of LHD (least hit density). A key's age is the time since its last request; each hit and
 * each eviction is counted at its age class (and the key's reuse class), and every
 * reconfigureSizes cache sizes the hit densities are recomputed from the counts, which then decay.
 * The victim is the key with the lowest density at its current age class, ties to the oldest.
 * Before the first recomputation, density is 1 / (age class + 1), that is LRU by age class.
 * Not modelled: the paper's adaptive age coarsening (swept here instead) and its explorer keys.
 */
export function lhd(keys: Uint32Array, capacity: number, p: LhdParams, random: () => number = seeded(1)): number {
  const width = Math.max(1, Math.round(capacity * p.ageShare));
  const A = p.ageClasses;
  const R = p.reuseClasses;
  const hits = new Float64Array(R * A);
  const evictions = new Float64Array(R * A);
  const density = new Float64Array(R * A);
  for (let c = 0; c < R; c++) for (let a = 0; a < A; a++) density[c * A + a] = 1 / (a + 1);
  const ageClass = (age: number): number => Math.min(A - 1, Math.floor(age / width));
  const reuseClass = (age: number): number => (R === 1 ? 0 : 1 + Math.min(R - 2, Math.floor(Math.log2(1 + age / width))));
  const slotOf = new Map<number, number>();
  const slotKey = new Float64Array(capacity);
  const slotLast = new Float64Array(capacity);
  const slotClass = new Uint8Array(capacity);
  const reconfigureEvery = Math.max(1, Math.round(capacity * p.reconfigureSizes));
  const lastSeen = new Map<number, number>();
  let used = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && i % reconfigureEvery === 0) {
      for (let c = 0; c < R; c++) {
        const d = hitDensities(hits.subarray(c * A, (c + 1) * A), evictions.subarray(c * A, (c + 1) * A));
        for (let a = 0; a < A; a++) density[c * A + a] = d[a];
      }
      for (let j = 0; j < R * A; j++) {
        hits[j] *= p.decay;
        evictions[j] *= p.decay;
      }
    }
    const key = keys[i];
    const slot = slotOf.get(key);
    if (slot !== undefined) {
      const age = i - slotLast[slot];
      hits[slotClass[slot] * A + ageClass(age)]++;
      slotClass[slot] = reuseClass(age);
      slotLast[slot] = i;
      if (p.rememberPast === true) lastSeen.set(key, i);
      continue;
    }
    misses++;
    let target = used;
    if (used < capacity) used++;
    else {
      target = -1;
      let lowest = Infinity;
      const draws = p.samples === 0 ? capacity : p.samples;
      for (let d = 0; d < draws; d++) {
        const s = p.samples === 0 ? d : Math.floor(random() * capacity);
        const value = density[slotClass[s] * A + ageClass(i - slotLast[s])];
        if (value < lowest || (value === lowest && slotLast[s] < slotLast[target])) {
          lowest = value;
          target = s;
        }
      }
      evictions[slotClass[target] * A + ageClass(i - slotLast[target])]++;
      slotOf.delete(slotKey[target]);
    }
    slotOf.set(key, target);
    slotKey[target] = key;
    slotLast[target] = i;
    const seen = p.rememberPast === true ? lastSeen.get(key) : undefined;
    slotClass[target] = seen === undefined ? 0 : reuseClass(i - seen);
    if (p.rememberPast === true) lastSeen.set(key, i);
  }
  return misses;
}

/** Test hooks: every label as it is learned (at request `now`), every miss. */
export interface LearnedObserver {
  label?: (key: number, exampleTime: number, now: number, label: number) => void;
  miss?: (i: number) => void;
}

export interface LearnedParams {
  /**
   * 'logistic': online logistic regression (AdaGrad steps) on log-scaled gaps, age, count and
   * decayed counts. 'table': hit frequencies per bucketed (age, last gap, count, gap before)
   * pattern, each level smoothed towards the coarser one. 'regression': LRB's own target with the
   * logistic model's inputs, a linear least-squares fit (AdaGrad steps) of log2(1 + distance to
   * the next request), the distance taken as twice the boundary when there was none within it;
   * the candidate with the furthest predicted request is evicted.
   */
  model: 'logistic' | 'table' | 'regression';
  /** Inter-request gaps kept per key (the newest first). */
  gaps: number;
  /** The relaxed Belady boundary in cache sizes of requests: label 1 = requested again within it. */
  boundarySizes: number;
  /** 0: every resident key is a candidate; otherwise that many random draws (LRB's 64). */
  samples: number;
  /** AdaGrad step size ('logistic' only). */
  learningRate: number;
  /** Training examples drawn per eviction: random resident keys, snapshotted at that moment. */
  examplesPerEviction: number;
  /** 'table' only: every count is halved every this many cache sizes of requests (Infinity: never). */
  halveSizes: number;
}

/** Decayed counts per key, with half-lives of 1/2, 1 and 2 boundaries (LRB's EDCs, fewer). */
const EDC_SCALES = [0.5, 1, 2];
const LOG_SCALE = 1 / 16;
const log2p = (x: number): number => Math.log2(1 + x);

/** Per-key past, in growable columns indexed by a dense id given at a key's first request. */
class KeyPast {
  readonly ids = new Map<number, number>();
  readonly keyOf: number[] = [];
  last = new Float64Array(1024);
  count = new Float64Array(1024);
  gapCount = new Uint8Array(1024);
  gaps: Float64Array;
  edc: Float64Array;
  /** The sequence number of the key's unlabelled training example, or -1. */
  pending = new Int32Array(1024).fill(-1);
  /** Its slot while resident, else -1. */
  slot = new Int32Array(1024).fill(-1);

  constructor(
    readonly k: number,
    readonly halfLives: number[],
  ) {
    this.gaps = new Float64Array(1024 * k);
    this.edc = new Float64Array(1024 * halfLives.length);
  }

  id(key: number): number {
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.ids.size;
    this.ids.set(key, id);
    this.keyOf.push(key);
    if (id >= this.last.length) this.grow();
    this.last[id] = -1;
    return id;
  }

  private grow(): void {
    const n = this.last.length * 2;
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(a: T, per: number, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n * per);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.last = widen(this.last, 1, 0);
    this.count = widen(this.count, 1, 0);
    this.gapCount = widen(this.gapCount, 1, 0);
    this.gaps = widen(this.gaps, this.k, 0);
    this.edc = widen(this.edc, this.halfLives.length, 0);
    this.pending = widen(this.pending, 1, -1);
    this.slot = widen(this.slot, 1, -1);
  }

  /** A request of `id` at time `t`. */
  record(id: number, t: number): void {
    const last = this.last[id];
    if (last >= 0) {
      const base = id * this.k;
      for (let j = this.k - 1; j > 0; j--) this.gaps[base + j] = this.gaps[base + j - 1];
      this.gaps[base] = t - last;
      if (this.gapCount[id] < this.k) this.gapCount[id]++;
    }
    const e = id * this.halfLives.length;
    for (let j = 0; j < this.halfLives.length; j++) {
      this.edc[e + j] = 1 + (last >= 0 ? this.edc[e + j] * Math.pow(2, -(t - last) / this.halfLives[j]) : 0);
    }
    this.count[id]++;
    this.last[id] = t;
  }
}

const featureCount = (k: number): number => 2 + 2 * k + 1 + EDC_SCALES.length + 4;

/**
 * The logistic model's inputs for key `id` at time `now`: bias, log age, the k last gaps (log,
 * 0 when missing) and one "missing" flag each, log count, log decayed counts now, and the log
 * age minus each of the two last log gaps with its absolute value (how far the key is from
 * repeating its last rhythm, which a linear model cannot form itself).
 */
function writeFeatures(past: KeyPast, id: number, now: number, out: Float64Array, o: number): void {
  const k = past.k;
  const la = log2p(now - past.last[id]) * LOG_SCALE;
  out[o] = 1;
  out[o + 1] = la;
  const n = past.gapCount[id];
  for (let j = 0; j < k; j++) {
    out[o + 2 + j] = j < n ? log2p(past.gaps[id * k + j]) * LOG_SCALE : 0;
    out[o + 2 + k + j] = j < n ? 0 : 1;
  }
  out[o + 2 + 2 * k] = log2p(past.count[id]) * LOG_SCALE;
  const h = past.halfLives;
  for (let j = 0; j < h.length; j++) {
    out[o + 3 + 2 * k + j] = log2p(past.edc[id * h.length + j] * Math.pow(2, -(now - past.last[id]) / h[j])) * LOG_SCALE;
  }
  const d = o + 3 + 2 * k + h.length;
  for (let j = 0; j < 2; j++) {
    const diff = j < n ? la - out[o + 2 + j] : 0;
    out[d + 2 * j] = diff;
    out[d + 2 * j + 1] = Math.abs(diff);
  }
}

/** The logistic features of a key requested at `times` (ascending), seen at `now`: for the unit test. */
export function learnedFeatures(times: number[], now: number, gaps: number, boundary: number): number[] {
  const past = new KeyPast(gaps, EDC_SCALES.map((s) => s * boundary));
  const id = past.id(0);
  for (const t of times) past.record(id, t);
  const out = new Float64Array(featureCount(gaps));
  writeFeatures(past, id, now, out, 0);
  return [...out];
}

/** The 'table' model's four nested pattern cells for key `id` at `now`, coarsest first. */
function writeCells(past: KeyPast, id: number, now: number, out: Float64Array, o: number): void {
  const n = past.gapCount[id];
  const age = Math.min(47, Math.floor(2 * log2p(now - past.last[id])));
  const gap1 = n >= 1 ? 1 + Math.min(46, Math.floor(2 * log2p(past.gaps[id * past.k]))) : 0;
  const count = Math.min(7, Math.floor(log2p(past.count[id])));
  const gap2 = n >= 2 ? 1 + Math.min(23, Math.floor(log2p(past.gaps[id * past.k + 1]))) : 0;
  out[o] = age;
  out[o + 1] = age * 48 + gap1;
  out[o + 2] = (age * 48 + gap1) * 8 + count;
  out[o + 3] = ((age * 48 + gap1) * 8 + count) * 25 + gap2;
}

/**
 * Misses of a learned relaxed Belady policy in the spirit of LRB (Song et al., NSDI'20), with a
 * simpler model than its gradient-boosted trees. Belady evicts the key requested furthest in the
 * future; relaxed, any key not requested again within a boundary will do. The model estimates,
 * from a key's past alone, the probability that it is requested within the boundary, and the
 * candidate with the lowest estimate is evicted (ties to the oldest; until 64 examples are
 * labelled, the oldest candidate). Training examples are resident keys drawn at random at each
 * eviction with their inputs at that moment; an example is labelled 1 when its key is requested
 * within the boundary and 0 once the boundary passes without one, so every label comes from
 * requests already replayed (`observe` lets a test check that), and the model learns from it
 * then. Per-key past is kept for every key ever seen (LRB bounds it by a memory window).
 */
export function learnedRelaxedBelady(
  keys: Uint32Array,
  capacity: number,
  p: LearnedParams,
  random: () => number = seeded(1),
  observe: LearnedObserver = {},
): number {
  const boundary = Math.max(1, Math.round(capacity * p.boundarySizes));
  const past = new KeyPast(p.gaps, EDC_SCALES.map((s) => s * boundary));
  const width = p.model === 'table' ? 4 : featureCount(p.gaps);
  // Each request makes at most examplesPerEviction examples, and each waits at most boundary + 1
  // requests for its label: the ring never wraps onto a live one.
  let ringSize = 16;
  while (ringSize < p.examplesPerEviction * (boundary + 2) + 16) ringSize *= 2;
  const exampleId = new Int32Array(ringSize);
  const exampleTime = new Float64Array(ringSize);
  const exampleInputs = new Float64Array(ringSize * width);
  const exampleDone = new Uint8Array(ringSize);
  let head = 0;
  let tail = 0;
  let labelled = 0;
  let trained = 0;

  // Logistic model.
  const weights = new Float64Array(width);
  const squares = new Float64Array(width);
  // Table model: [positives, total] per cell, per level.
  const levels = [0, 1, 2, 3].map(() => new Map<number, [number, number]>());
  let positives = 0;
  const SMOOTHING = 4;
  const halveEvery = p.halveSizes === Infinity ? Infinity : Math.max(1, Math.round(capacity * p.halveSizes));

  const scratch = new Float64Array(width);
  const score = (x: Float64Array, o: number): number => {
    if (p.model !== 'table') {
      let z = 0;
      for (let j = 0; j < width; j++) z += weights[j] * x[o + j];
      // Lower is evicted first: a far predicted request must score low.
      return p.model === 'logistic' ? z : -z;
    }
    let estimate = (positives + 1) / (labelled + 2);
    for (let level = 0; level < 4; level++) {
      const cell = levels[level].get(x[o + level]);
      if (cell !== undefined) estimate = (cell[0] + SMOOTHING * estimate) / (cell[1] + SMOOTHING);
    }
    return estimate;
  };
  const learn = (seq: number, label: number, now: number): void => {
    const r = seq & (ringSize - 1);
    exampleDone[r] = 1;
    if (past.pending[exampleId[r]] === seq) past.pending[exampleId[r]] = -1;
    observe.label?.(past.keyOf[exampleId[r]], exampleTime[r], now, label);
    labelled++;
    trained++;
    const o = r * width;
    if (p.model !== 'table') {
      const g =
        p.model === 'logistic'
          ? 1 / (1 + Math.exp(-score(exampleInputs, o))) - label
          : -score(exampleInputs, o) - log2p(label === 1 ? now - exampleTime[r] : 2 * boundary) * LOG_SCALE;
      for (let j = 0; j < width; j++) {
        const gj = g * exampleInputs[o + j];
        if (gj === 0) continue;
        squares[j] += gj * gj;
        weights[j] -= (p.learningRate * gj) / Math.sqrt(squares[j]);
      }
      return;
    }
    positives += label;
    for (let level = 0; level < 4; level++) {
      const cell = levels[level].get(exampleInputs[o + level]);
      if (cell === undefined) levels[level].set(exampleInputs[o + level], [label, 1]);
      else {
        cell[0] += label;
        cell[1]++;
      }
    }
  };
  const slotId = new Int32Array(capacity);
  let used = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    // Examples whose boundary has passed without a request: label 0.
    while (head < tail && exampleTime[head & (ringSize - 1)] + boundary < i) {
      if (exampleDone[head & (ringSize - 1)] === 0) learn(head, 0, i);
      head++;
    }
    if (i > 0 && i % halveEvery === 0) {
      positives /= 2;
      labelled /= 2;
      for (const level of levels) for (const cell of level.values()) (cell[0] /= 2), (cell[1] /= 2);
    }
    const id = past.id(keys[i]);
    const seq = past.pending[id];
    if (seq >= head) learn(seq, 1, i);
    past.record(id, i);
    if (past.slot[id] >= 0) continue;
    misses++;
    observe.miss?.(i);
    let target = used;
    if (used < capacity) used++;
    else {
      const draws = p.samples === 0 ? capacity : p.samples;
      let best = Infinity;
      target = -1;
      for (let d = 0; d < draws; d++) {
        const s = p.samples === 0 ? d : Math.floor(random() * capacity);
        const candidate = slotId[s];
        let value: number;
        if (trained < 64) value = past.last[candidate];
        else {
          if (p.model !== 'table') writeFeatures(past, candidate, i, scratch, 0);
          else writeCells(past, candidate, i, scratch, 0);
          value = score(scratch, 0);
        }
        if (target < 0 || value < best || (value === best && past.last[candidate] < past.last[slotId[target]])) {
          best = value;
          target = s;
        }
      }
      for (let e = 0; e < p.examplesPerEviction; e++) {
        const sampled = slotId[Math.floor(random() * capacity)];
        if (past.pending[sampled] >= head) continue;
        const r = tail & (ringSize - 1);
        exampleId[r] = sampled;
        exampleTime[r] = i;
        exampleDone[r] = 0;
        if (p.model !== 'table') writeFeatures(past, sampled, i, exampleInputs, r * width);
        else writeCells(past, sampled, i, exampleInputs, r * width);
        past.pending[sampled] = tail++;
      }
      past.slot[slotId[target]] = -1;
    }
    slotId[target] = id;
    past.slot[id] = target;
  }
  return misses;
}

export interface CacheusParams {
  /** The learning rate to start from (and keep, when not adaptive). */
  learningRate: number;
  /** CACHEUS's adaptation of the learning rate from the hit rate of each window of cache-size requests. */
  adaptive: boolean;
  /** SR-LRU's scan-resistant part, as a share of the cache: fixed here (the paper adapts it). */
  srShare: number;
  /** As in LeCaR: a regret one cache size of requests old weighs this much. */
  discountPerCacheSize: number;
  /** Each expert's history holds this many cache sizes of keys it evicted. */
  historySizes: number;
}

/**
 * Misses of CACHEUS (Rodriguez et al., FAST'21), simplified: LeCaR's regret-weighted random choice
 * of an expert per eviction, with its two experts, over the one set of resident keys:
 * - SR-LRU: new keys enter the scan-resistant list SR; a hit in SR moves the key to the reuse
 *   list R, whose least recent key goes back to SR's newest end when R is over its share; the
 *   victim is SR's least recent key (R's when SR is empty). The paper adapts SR's size from its
 *   history; here it is fixed and swept (a bound on that adaptation, as ARC's fixed p is).
 * - CR-LFU: the lowest count, ties to the MOST recently used (churn resistance); a key back from
 *   either history resumes its count.
 * A miss on a key in one expert's history is that expert's regret: the other's weight is
 * multiplied by e^(rate * d^t) as in lecar(). The adaptive learning rate, simplified from the
 * paper's gradient rule: after each window of `capacity` requests, the rate is doubled or halved
 * (within 0.001-1), repeating the last change when the window's hit rate rose and reversing it when
 * it fell; after 10 windows without a rise it restarts at a random rate in that range.
 */
export function cacheus(keys: Uint32Array, capacity: number, p: CacheusParams, random: () => number = seeded(1)): number {
  const srCapacity = Math.max(1, Math.round(capacity * p.srShare));
  const rCapacity = Math.max(0, capacity - srCapacity);
  const sr = new Recency();
  const r = new Recency();
  const count = new Map<number, number>();
  const lastUse = new Map<number, number>();
  const lfu = new SnapshotHeap();
  const use = (key: number, n: number, i: number): void => {
    count.set(key, n);
    lastUse.set(key, i);
    // Ties go to the earlier snapshot time, so the time is -i: the most recent first.
    lfu.push(n, -i, key);
    if (lfu.size > 8 * capacity + 64) lfu.rebuild((t, k) => lastUse.get(k) === -t);
  };
  const lfuVictim = (): number => {
    while (lastUse.get(lfu.topKey()) !== -lfu.topTime()) lfu.pop();
    return lfu.topKey();
  };
  const historyCapacity = Math.max(1, Math.round(capacity * p.historySizes));
  const srHistory = new Map<number, [number, number]>();
  const lfuHistory = new Map<number, [number, number]>();
  const d = Math.pow(p.discountPerCacheSize, 1 / capacity);
  let wSr = 0.5;
  let rate = p.learningRate;
  let previousRate = rate;
  let previousHitRate = -1;
  let windowHits = 0;
  let flatWindows = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    if (p.adaptive && i > 0 && i % capacity === 0) {
      const hitRate = windowHits / capacity;
      windowHits = 0;
      if (previousHitRate >= 0) {
        const rateChange = rate - previousRate;
        previousRate = rate;
        const rose = hitRate > previousHitRate;
        flatWindows = rose ? 0 : flatWindows + 1;
        if (flatWindows >= 10) {
          rate = 0.001 + random() * 0.999;
          flatWindows = 0;
        } else if (rateChange !== 0 && hitRate !== previousHitRate) {
          const up = rateChange > 0 === rose;
          rate = Math.min(1, Math.max(0.001, up ? rate * 2 : rate / 2));
        } else if (rateChange === 0) rate = Math.min(1, Math.max(0.001, random() < 0.5 ? rate * 2 : rate / 2));
      }
      previousHitRate = hitRate;
    }
    const key = keys[i];
    const n = count.get(key);
    if (n !== undefined) {
      windowHits++;
      use(key, n + 1, i);
      if (sr.delete(key)) {
        r.touch(key);
        if (r.size > rCapacity) sr.touch(r.takeOldest());
      } else r.touch(key);
      continue;
    }
    misses++;
    let resumed = 0;
    const fromSr = srHistory.get(key);
    const fromLfu = lfuHistory.get(key);
    if (fromSr !== undefined || fromLfu !== undefined) {
      const [evictedAt, evictedCount] = (fromSr ?? fromLfu) as [number, number];
      const reward = Math.exp(rate * Math.pow(d, i - evictedAt));
      let wLfu = 1 - wSr;
      if (fromSr !== undefined) wLfu *= reward;
      else wSr *= reward;
      wSr /= wSr + wLfu;
      srHistory.delete(key);
      lfuHistory.delete(key);
      resumed = evictedCount;
    }
    if (count.size >= capacity) {
      const bySr = random() < wSr;
      const victim = bySr ? (sr.size > 0 ? sr.oldest() : r.oldest()) : lfuVictim();
      const history = bySr ? srHistory : lfuHistory;
      history.set(victim, [i, count.get(victim) as number]);
      if (history.size > historyCapacity) history.delete(history.keys().next().value as number);
      if (!sr.delete(victim)) r.delete(victim);
      count.delete(victim);
      lastUse.delete(victim);
    }
    use(key, resumed + 1, i);
    sr.touch(key);
  }
  return misses;
}
