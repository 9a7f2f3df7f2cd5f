// Starts ringcache for the benchmarks straight from the library entry point, so the harness does
// not depend on the command-line front end, and adds what only a process of its own can give:
// an event-loop delay histogram and heap figures, printed as one JSON line on SIGUSR2.
//
//   node dist/benchmarks/launch-ringcache.js --port 0 [--config name=value ...]
//   node --import tsx benchmarks/launch-ringcache.ts ...
//
// stdout protocol (one line each, read by benchmarks/lib/servers.ts):
//   ringcache-bench ready <port>
//   ringcache-bench stats {"eventLoopDelayMs":{...},"memory":{...}}   (on SIGUSR2; resets the histogram)
// SIGTERM/SIGINT close the server and exit normally, so `node --cpu-prof` writes its profile.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startServer } from '../src/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    config: { type: 'string', multiple: true, default: [] },
  },
});

const config: Record<string, string> = {};
for (const pair of values.config) {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new Error(`--config expects name=value, got ${pair}`);
  config[pair.slice(0, eq)] = pair.slice(eq + 1);
}

// 1 ms resolution: stalls of interest are tens of ms, and a finer timer costs the server CPU.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

const server = await startServer({ port: Number(values.port), config });

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

process.on('SIGUSR2', () => {
  const mem = process.memoryUsage();
  const stats = {
    eventLoopDelayMs: {
      count: delay.count,
      min: ms(delay.min),
      mean: ms(delay.mean),
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      p999: ms(delay.percentile(99.9)),
      max: ms(delay.max),
    },
    memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external },
  };
  delay.reset();
  process.stdout.write(`ringcache-bench stats ${JSON.stringify(stats)}\n`);
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  // A benchmark client that never hangs up must not keep the profile from being written.
  setTimeout(() => process.exit(0), 2000).unref();
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// Only now: the harness may signal as soon as it reads this line, and SIGUSR2's default is to kill.
process.stdout.write(`ringcache-bench ready ${server.port}\n`);
