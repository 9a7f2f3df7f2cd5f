// Per-command latency histograms cheap enough to update on every command: fixed log-linear
// buckets (four per power of two of microseconds, so a bucket is at most 25% wide) counted in a
// typed array. INFO latencystats reads percentiles from them, /metrics a Prometheus histogram.

/** Sub-buckets per power of two. */
const SUB_BUCKETS = 4;
/** Enough buckets for 2^31 us (about 36 minutes); longer commands land in the last one. */
export const HISTOGRAM_BUCKETS = SUB_BUCKETS + 29 * SUB_BUCKETS;

export function newHistogram(): Uint32Array {
  return new Uint32Array(HISTOGRAM_BUCKETS);
}

/** The bucket of a duration in microseconds: exact below 4 us, then 4 per doubling. */
export function bucketOf(usec: number): number {
  if (!(usec >= 1)) return 0;
  if (usec >= 0x7fffffff) return HISTOGRAM_BUCKETS - 1;
  const u = usec | 0;
  if (u < SUB_BUCKETS) return u;
  const exponent = 31 - Math.clz32(u);
  const sub = (u >>> (exponent - 2)) & (SUB_BUCKETS - 1);
  return SUB_BUCKETS + (exponent - 2) * SUB_BUCKETS + sub;
}

/** The exclusive upper bound, in microseconds, of a bucket. */
export function bucketUpperBound(bucket: number): number {
  if (bucket < SUB_BUCKETS) return bucket + 1;
  const exponent = 2 + Math.floor((bucket - SUB_BUCKETS) / SUB_BUCKETS);
  const sub = (bucket - SUB_BUCKETS) % SUB_BUCKETS;
  return (SUB_BUCKETS + sub + 1) * 2 ** (exponent - 2);
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
