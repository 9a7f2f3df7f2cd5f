// Server-wide counters for INFO stats, INFO commandstats and the metrics endpoint.

import { newHistogram } from '../metrics/latency-histogram.js';

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Latency buckets (src/metrics/latency-histogram.ts): INFO latencystats and /metrics. */
  histogram: Uint32Array;
}

/** Redis's STATS_METRIC_SAMPLES: the instantaneous rates average this many samples. */
const RATE_SAMPLES = 16;
/** Redis samples its instantaneous metrics every 100 ms. */
const RATE_PERIOD_MS = 100;

/** A per-second rate over the last samples of a growing counter, as Redis's trackInstantaneousMetric. */
export class RateMeter {
  private readonly samples = new Float64Array(RATE_SAMPLES);
  private index = 0;
  private lastTime = -1;
  private lastValue = 0;

  sample(now: number, value: number): void {
    if (this.lastTime >= 0) {
      const elapsed = now - this.lastTime;
      if (elapsed < RATE_PERIOD_MS) return;
      this.samples[this.index] = ((value - this.lastValue) * 1000) / elapsed;
      this.index = (this.index + 1) % RATE_SAMPLES;
    }
    this.lastTime = now;
    this.lastValue = value;
  }

  get perSecond(): number {
    let sum = 0;
    for (const s of this.samples) sum += s;
    return sum / RATE_SAMPLES;
  }

  /** Restarts from a counter that was just zeroed (CONFIG RESETSTAT). */
  reset(): void {
    this.samples.fill(0);
    this.index = 0;
    this.lastTime = -1;
    this.lastValue = 0;
  }
}

export class ServerStats {
  commandsProcessed = 0;
  connectionsReceived = 0;
  rejectedConnections = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  /** Reads from client sockets and batches of replies written to them (INFO total_reads/writes_processed). */
  readsProcessed = 0;
  writesProcessed = 0;
  /** Cluster redirections sent, by kind, for ringcache_cluster_redirects_total. */
  readonly redirects = { moved: 0, ask: 0 };
  /** Exceptions caught in handlers: bugs, reported in INFO so they are not silent. */
  internalErrors = 0;
  /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
  readonly errorCodes = new Map<string, number>();
  private readonly commands = new Map<string, CommandStats>();
  readonly opsRate = new RateMeter();
  readonly netInputRate = new RateMeter();
  readonly netOutputRate = new RateMeter();
  /** Highest used_memory INFO has reported; CONFIG RESETSTAT keeps it, as in Redis. */
  memoryPeak = 0;

  /** Called by the cron: feeds INFO's instantaneous_* rates. */
  sampleRates(now: number): void {
    this.opsRate.sample(now, this.commandsProcessed);
    this.netInputRate.sample(now, this.netInputBytes);
    this.netOutputRate.sample(now, this.netOutputBytes);
  }

  /** The counters of one command, by full name (`get`, `config|get`), created on first use. */
  command(fullName: string): CommandStats {
    let stat = this.commands.get(fullName);
    if (stat === undefined) {
      stat = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, histogram: newHistogram() };
      this.commands.set(fullName, stat);
    }
    return stat;
  }

  commandEntries(): IterableIterator<[string, CommandStats]> {
    return this.commands.entries();
  }

  countError(message: string): void {
    const space = message.indexOf(' ');
    const code = space === -1 ? message : message.slice(0, space);
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.commandsProcessed = 0;
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.errorCodes.clear();
    // Zeroed in place, not dropped: the command running CONFIG RESETSTAT holds its entry and
    // counts itself into it afterwards, as in Redis.
    for (const stat of this.commands.values()) {
      stat.calls = 0;
      stat.usec = 0;
      stat.rejectedCalls = 0;
      stat.failedCalls = 0;
      stat.histogram.fill(0);
    }
    this.opsRate.reset();
    this.netInputRate.reset();
    this.netOutputRate.reset();
  }
}
