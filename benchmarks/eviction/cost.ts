// The cost of eviction (issue 5, item 6): SET throughput of a ringcache process with maxmemory
// 50mb (random keys, so nearly every SET evicts one key) against the same server without a
// limit, in alternating runs so that machine noise hits both alike. Reports the median per
// configuration and its ratio to the median without a limit.
//
//   npx tsx benchmarks/eviction/cost.ts [--rounds 5] [--requests 1000000] [--pipeline 16]
//                                      [--policies allkeys-lru,allkeys-s3fifo] [--cpu-prof dir]

import { parseArgs } from 'node:util';
import { runRedisBenchmark } from '../lib/redis-benchmark.js';
import { startRingcache } from '../lib/servers.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '1000000' },
    pipeline: { type: 'string', default: '16' },
    maxmemory: { type: 'string', default: '50mb' },
    policies: { type: 'string', default: 'allkeys-lru,allkeys-s3fifo' },
    'cpu-prof': { type: 'string' },
  },
});

interface Setup {
  label: string;
  config: Record<string, string>;
}

const setups: Setup[] = [
  { label: 'no limit', config: {} },
  ...values.policies.split(',').map((policy) => ({ label: `${values.maxmemory} ${policy}`, config: { maxmemory: values.maxmemory, 'maxmemory-policy': policy } })),
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = new Map<string, number[]>(setups.map((s) => [s.label, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const setup of setups) {
    const nodeFlags = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`];
    const server = await startRingcache({ mode: 'tsx', config: setup.config, nodeFlags });
    try {
      const run = await runRedisBenchmark(server.port, ['-t', 'set', '-r', '10000000', '-d', '100', '-n', values.requests, '-P', values.pipeline]);
      if (run.serverError !== null) throw new Error(`${setup.label}: ${run.serverError}`);
      (results.get(setup.label) as number[]).push(run.rows[0].rps);
    } finally {
      await server.stop();
    }
  }
}

const base = median(results.get('no limit') as number[]);
console.log(`SET, redis-benchmark -t set -r 10000000 -d 100 -n ${values.requests} -P ${values.pipeline}, ${values.rounds} alternating rounds`);
console.log('| configuration | median SET/s | runs | vs no limit |');
console.log('|---|---:|---|---:|');
for (const [label, rps] of results) {
  console.log(`| ${label} | ${Math.round(median(rps))} | ${rps.map((r) => Math.round(r / 1000) + 'k').join(', ')} | ${(median(rps) / base).toFixed(2)}x |`);
}
