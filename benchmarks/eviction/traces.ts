// Request traces for the eviction simulator: the cache2k trace files (u32 big-endian keys, xz
// compressed or plain) and seeded synthetic generators.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface Trace {
  name: string;
  keys: Uint32Array;
}

export function loadTrace(file: string, limit = Infinity): Trace {
  const raw = file.endsWith('.xz') ? execFileSync('xz', ['-dc', file], { maxBuffer: 1 << 30 }) : readFileSync(file);
  const count = Math.min(Math.floor(raw.length / 4), limit);
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) keys[i] = raw.readUInt32BE(i * 4);
  return { name: basename(file).replace(/\.trace(\.xz)?$/, ''), keys };
}

/** mulberry32: small, fast, seeded. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf over `objects` keys by inverse CDF on a precomputed table (binary search per request). */
export function zipf(alpha: number, objects: number, requests: number, seed: number): Trace {
  const cdf = new Float64Array(objects);
  let sum = 0;
  for (let i = 0; i < objects; i++) cdf[i] = sum += 1 / Math.pow(i + 1, alpha);
  const random = seeded(seed);
  // Ranks map to shuffled ids, so key order says nothing about popularity.
  const ids = shuffledIds(objects, random);
  const keys = new Uint32Array(requests);
  for (let r = 0; r < requests; r++) {
    const u = random() * sum;
    let lo = 0;
    let hi = objects - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    keys[r] = ids[lo];
  }
  return { name: `zipf-${alpha.toFixed(1)}`, keys };
}

/** A Zipf 1.0 hot set, interrupted every `period` requests by a scan of `scanLength` new keys. */
export function hotSetWithScans(requests: number, seed: number): Trace {
  const base = zipf(1.0, 20000, requests, seed).keys;
  const keys = new Uint32Array(requests);
  let next = 1 << 24;
  for (let r = 0; r < requests; r++) keys[r] = r % 20000 < 5000 ? next++ : base[r];
  return { name: 'hot-set+scans', keys };
}

/** A loop over `length` keys, repeated: LRU and FIFO miss every request once the cache is smaller. */
export function loop(length: number, requests: number): Trace {
  const keys = new Uint32Array(requests);
  for (let r = 0; r < requests; r++) keys[r] = r % length;
  return { name: `loop-${length}`, keys };
}

/** A Zipf 1.0 hot set whose members change every `phase` requests. */
export function shiftingHotSet(requests: number, seed: number): Trace {
  const base = zipf(1.0, 20000, requests, seed).keys;
  const keys = new Uint32Array(requests);
  const phase = Math.floor(requests / 5);
  for (let r = 0; r < requests; r++) keys[r] = base[r] + Math.floor(r / phase) * 20000;
  return { name: 'shifting-hot-set', keys };
}

/** Half the requests from a Zipf 1.0 set, half to keys never seen again. */
export function oneHitWonders(requests: number, seed: number): Trace {
  const base = zipf(1.0, 20000, requests, seed).keys;
  const random = seeded(seed + 1);
  const keys = new Uint32Array(requests);
  let next = 1 << 24;
  for (let r = 0; r < requests; r++) keys[r] = random() < 0.5 ? next++ : base[r];
  return { name: 'one-hit-wonders', keys };
}

function shuffledIds(n: number, random: () => number): Uint32Array {
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return ids;
}
