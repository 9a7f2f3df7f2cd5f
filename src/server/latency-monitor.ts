// LATENCY's memory: for each event class ("command", "fast-command"), the latency samples above
// latency-monitor-threshold, one per second (the worst of that second), the last 160 kept, as
// Redis's latency.c keeps them.

/** Redis's LATENCY_TS_LEN. */
const HISTORY_LEN = 160;

export interface LatencySample {
  /** Unix seconds. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

export interface LatencyEvent {
  samples: LatencySample[];
  max: number;
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencyEvent>();

  add(event: string, latencyMs: number, nowSec: number): void {
    let series = this.events.get(event);
    if (series === undefined) {
      series = { samples: [], max: 0 };
      this.events.set(event, series);
    }
    if (latencyMs > series.max) series.max = latencyMs;
    const last = series.samples[series.samples.length - 1];
    if (last !== undefined && last.time === nowSec) {
      if (latencyMs > last.latency) last.latency = latencyMs;
      return;
    }
    series.samples.push({ time: nowSec, latency: latencyMs });
    if (series.samples.length > HISTORY_LEN) series.samples.shift();
  }

  /** Forgets the named events (all when none is named); returns how many existed. */
  reset(names: readonly string[]): number {
    if (names.length === 0) {
      const count = this.events.size;
      this.events.clear();
      return count;
    }
    let count = 0;
    for (const name of names) if (this.events.delete(name)) count++;
    return count;
  }
}
