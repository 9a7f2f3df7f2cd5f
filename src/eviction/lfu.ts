// Redis's LFU counter: 8 bits, logarithmic growth (LFULogIncr) and time decay (LFUDecrAndReturn).
// The decay clock is the key's last access time, which is what Redis keeps in the same field
// (updateLFU stores the current minute on every access).

export const LFU_INIT_VAL = 5;

/** Whether the policy keeps LFU counters (OBJECT FREQ answers, OBJECT IDLETIME refuses). */
export function isLfuPolicy(name: string): boolean {
  return name.endsWith('-lfu');
}

/** Minutes on Redis's 16-bit LFU clock. */
export function lfuMinutes(ms: number): number {
  return Math.floor(ms / 60000) & 65535;
}

// The current minute, kept for the `now` it was computed from: an eviction scores
// maxmemory-samples keys at the same `now`, and each score would otherwise pay the division again.
let minuteOf = NaN;
let minute = 0;

/** Minutes elapsed on the 16-bit clock since ldt, wrapping as Redis's LFUTimeElapsed. */
export function lfuTimeElapsed(ldt: number, now: number): number {
  if (now !== minuteOf) {
    minuteOf = now;
    minute = lfuMinutes(now);
  }
  const current = minute;
  return current >= ldt ? current - ldt : 65535 - ldt + current;
}

/** Increments with probability 1/((counter - LFU_INIT_VAL) * logFactor + 1); r is uniform in [0,1). */
export function lfuLogIncr(counter: number, logFactor: number, r: number): number {
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** The counter after decaying one step per decayTime minutes since the last access (ms). */
export function lfuDecrAndReturn(counter: number, lastAccessMs: number, now: number, decayTime: number): number {
  if (!(decayTime > 0)) return counter;
  const elapsed = lfuTimeElapsed(lfuMinutes(lastAccessMs), now);
  // The default decay time of one minute needs no division.
  const periods = decayTime === 1 ? elapsed : Math.floor(elapsed / decayTime);
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}
