// A tiny timing harness for the micro benchmarks: warm up, then take several timed samples of a
// workload and keep the median rate, so one GC pause or scheduler hiccup does not decide.

export interface MicroOptions {
  /** Timed samples per case. */
  samples: number;
  /** Minimum duration of one sample; the workload is repeated until it is reached. */
  sampleMs: number;
}

export interface MicroResult {
  name: string;
  /** Operations per second (median of the samples). */
  opsPerSec: number;
  /** Bytes per second, when the workload reports bytes. */
  bytesPerSec: number | null;
}

/** A workload: does some operations and returns how many (and optionally how many bytes). */
export type Workload = () => { ops: number; bytes?: number };

export function measure(name: string, workload: Workload, options: MicroOptions): MicroResult {
  const warmUntil = performance.now() + Math.min(200, options.sampleMs);
  while (performance.now() < warmUntil) workload();
  const rates: number[] = [];
  const byteRates: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    let ops = 0;
    let bytes = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      const done = workload();
      ops += done.ops;
      bytes += done.bytes ?? 0;
      elapsed = performance.now() - start;
    } while (elapsed < options.sampleMs);
    rates.push((ops * 1000) / elapsed);
    byteRates.push((bytes * 1000) / elapsed);
  }
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { name, opsPerSec: mid(rates), bytesPerSec: byteRates.some((b) => b > 0) ? mid(byteRates) : null };
}

/** Times one run of a workload too heavy to repeat (filling a million keys). */
export function measureOnce(name: string, workload: Workload): MicroResult {
  const start = performance.now();
  const done = workload();
  const elapsed = performance.now() - start;
  return { name, opsPerSec: (done.ops * 1000) / elapsed, bytesPerSec: null };
}
