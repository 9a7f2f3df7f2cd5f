// Reference caches that are not server policies: exact LRU, FIFO, and Belady's OPT (evict the key
// whose next request is farthest away), the ceiling no online policy can beat.

/** Misses of exact LRU with `capacity` keys (a Map keeps recency order). */
export function exactLru(keys: Uint32Array, capacity: number): number {
  const cache = new Map<number, true>();
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (cache.delete(k)) {
      cache.set(k, true);
      continue;
    }
    misses++;
    cache.set(k, true);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as number);
  }
  return misses;
}

/** Misses of FIFO: hits change nothing. */
export function fifo(keys: Uint32Array, capacity: number): number {
  const cache = new Set<number>();
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (cache.has(k)) continue;
    misses++;
    cache.add(k);
    if (cache.size > capacity) cache.delete(cache.values().next().value as number);
  }
  return misses;
}

/** Misses of Belady's OPT, with a max-heap on next-use position and lazy deletion of stale entries. */
export function belady(keys: Uint32Array, capacity: number): number {
  const n = keys.length;
  const nextUse = new Float64Array(n);
  const seen = new Map<number, number>();
  for (let i = n - 1; i >= 0; i--) {
    nextUse[i] = seen.get(keys[i]) ?? Infinity;
    seen.set(keys[i], i);
  }
  const current = new Map<number, number>();
  const heapPos: number[] = [];
  const heapKey: number[] = [];
  const push = (pos: number, key: number): void => {
    let i = heapPos.length;
    heapPos.push(pos);
    heapKey.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapPos[parent] >= heapPos[i]) break;
      swap(i, parent);
      i = parent;
    }
  };
  const swap = (a: number, b: number): void => {
    [heapPos[a], heapPos[b]] = [heapPos[b], heapPos[a]];
    [heapKey[a], heapKey[b]] = [heapKey[b], heapKey[a]];
  };
  const pop = (): number => {
    const key = heapKey[0];
    const lastPos = heapPos.pop() as number;
    const lastKey = heapKey.pop() as number;
    if (heapPos.length > 0) {
      heapPos[0] = lastPos;
      heapKey[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heapPos.length && heapPos[l] > heapPos[m]) m = l;
        if (r < heapPos.length && heapPos[r] > heapPos[m]) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
    return key;
  };
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const next = nextUse[i];
    if (current.has(k)) {
      current.set(k, next);
      push(next, k);
      continue;
    }
    misses++;
    if (current.size >= capacity) {
      // Stale heap entries (a key re-requested since, or gone) are skipped.
      for (;;) {
        const top = heapPos[0];
        const victim = pop();
        if (current.get(victim) === top) {
          current.delete(victim);
          break;
        }
      }
    }
    current.set(k, next);
    push(next, k);
  }
  return misses;
}
