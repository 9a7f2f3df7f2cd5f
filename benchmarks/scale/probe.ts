// A latency probe in a process of its own (so the harness's work cannot delay it): one command
// at a time, alternating SET and GET of its own keys, each timed from write to reply. On SIGTERM
// it prints one JSON line with the histogram and the worst commands, and exits.
//
//   node dist/benchmarks/scale/probe.js --port N

import { createHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { RespClient } from '../lib/resp-client.js';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const client = await RespClient.connect(Number(values.port));
const histogram = createHistogram();
const worst: { ms: number; at: number; command: string }[] = [];
const started = Date.now();
let errors = 0;
let running = true;

process.on('SIGTERM', () => {
  running = false;
});

for (let i = 0; running; i++) {
  const command = i % 2 === 0 ? ['SET', `probe:${i % 1000}`, 'x'.repeat(32)] : ['GET', `probe:${(i - 1) % 1000}`];
  const t0 = process.hrtime.bigint();
  const reply = await client.call(...command);
  const us = Number(process.hrtime.bigint() - t0) / 1000;
  if (reply instanceof Error) errors++;
  histogram.record(Math.max(1, Math.round(us)));
  const ms = us / 1000;
  if (worst.length < 5 || ms > worst[worst.length - 1].ms) {
    worst.push({ ms: Math.round(ms * 100) / 100, at: Date.now() - started, command: command[0] });
    worst.sort((a, b) => b.ms - a.ms);
    worst.length = Math.min(worst.length, 5);
  }
}

client.close();
const ms = (us: number): number => Math.round(us / 10) / 100;
process.stdout.write(
  JSON.stringify({
    count: histogram.count,
    errors,
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    p999: ms(histogram.percentile(99.9)),
    max: ms(histogram.max),
    worst,
  }) + '\n',
);
process.exit(0);
