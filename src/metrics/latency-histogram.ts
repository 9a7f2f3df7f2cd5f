// Per-command latency histograms cheap enough to update on every command: fixed log-linear
// buckets counted in a typed array, exact below 4 us, then four per power of two of microseconds
// (so a bucket is at most 25% wide), the first of the four split in two at the step Redis's
// LATENCY HISTOGRAM reports for that power of two, so that its reply can be given exactly.
// INFO latencystats reads percentiles from them, /metrics a Prometheus histogram.

/** Sub-buckets per power of two, before the split. */
const SUB_BUCKETS = 4;
/** Buckets per power of two: the first sub-bucket is split in two. */
const PER_POWER = SUB_BUCKETS + 1;
const EXACT = 4;
/** Enough buckets for 2^31 us (about 36 minutes); longer commands land in the last one. */
export const HISTOGRAM_BUCKETS = EXACT + 29 * PER_POWER;

/**
 * Redis 7.0 keeps an HDR histogram per command (1 ns to 1 s, 2 significant digits) and LATENCY
 * HISTOGRAM walks it in powers of two from 1024 ns: step k counts the calls up to the highest
 * value equivalent to 2^(10+k) ns, which is 2^(10+k) + 2^(3+k) - 1 ns, and labels it with that
 * in whole microseconds (1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056...). Calls are timed in
 * whole microseconds, so step k holds the calls of at most STEP_LIMIT_USEC[k] us.
 */
const STEP_LIMIT_USEC = Int32Array.from({ length: 31 }, (_, k) => Math.floor((2 ** (10 + k) + 2 ** (3 + k) - 1) / 1000));
/** Redis's histograms stop at 1 s: longer calls count in the step of 1 s. */
const REDIS_STEPS = 21;

export function newHistogram(): Uint32Array {
  return new Uint32Array(HISTOGRAM_BUCKETS);
}

/** The bucket of a duration in microseconds (whole microseconds count, as Redis times calls). */
export function bucketOf(usec: number): number {
  if (!(usec >= 1)) return 0;
  if (usec >= 0x7fffffff) return HISTOGRAM_BUCKETS - 1;
  const u = usec | 0;
  if (u < EXACT) return u;
  const exponent = 31 - Math.clz32(u);
  const sub = (u >>> (exponent - 2)) & (SUB_BUCKETS - 1);
  const base = EXACT + (exponent - 2) * PER_POWER;
  if (sub !== 0) return base + 1 + sub;
  return u > STEP_LIMIT_USEC[exponent] ? base + 1 : base;
}

/** The exclusive upper bound, in microseconds, of a bucket. */
export function bucketUpperBound(bucket: number): number {
  if (bucket < EXACT) return bucket + 1;
  const exponent = 2 + Math.floor((bucket - EXACT) / PER_POWER);
  const part = (bucket - EXACT) % PER_POWER;
  if (part === 0) return STEP_LIMIT_USEC[exponent] + 1;
  return (SUB_BUCKETS + part) * 2 ** (exponent - 2);
}

/** The lowest value, in microseconds, that falls in a bucket. */
export function bucketLowerBound(bucket: number): number {
  return bucket === 0 ? 0 : bucketUpperBound(bucket - 1);
}

/** The LATENCY HISTOGRAM step of a bucket: every value in a bucket has the same one. */
function redisStepOf(bucket: number): number {
  const low = bucketLowerBound(bucket);
  let step = 0;
  while (step < REDIS_STEPS - 1 && low > STEP_LIMIT_USEC[step]) step++;
  return step;
}

/**
 * LATENCY HISTOGRAM's `histogram_usec` pairs (label, cumulative calls), only for the steps
 * where the count grows, as Redis replies.
 */
export function redisLatencyCdf(histogram: Uint32Array): [usec: number, cumulative: number][] {
  const steps = new Array<number>(REDIS_STEPS).fill(0);
  for (let i = 0; i < histogram.length; i++) {
    if (histogram[i] !== 0) steps[redisStepOf(i)] += histogram[i];
  }
  const pairs: [number, number][] = [];
  let cumulative = 0;
  steps.forEach((count, step) => {
    if (count === 0) return;
    cumulative += count;
    pairs.push([STEP_LIMIT_USEC[step], cumulative]);
  });
  return pairs;
}

export function histogramCount(histogram: Uint32Array): number {
  let total = 0;
  for (let i = 0; i < histogram.length; i++) total += histogram[i];
  return total;
}

/**
 * The latency (us) at or below which `percentile` % of the calls fell, reported as the upper
 * bound of its bucket, as an HDR histogram reports the highest value equivalent to it.
 */
export function valueAtPercentile(histogram: Uint32Array, percentile: number): number {
  const total = histogramCount(histogram);
  if (total === 0) return 0;
  const wanted = Math.max(1, Math.ceil((percentile / 100) * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= wanted) return bucketUpperBound(i);
  }
  return bucketUpperBound(histogram.length - 1);
}

