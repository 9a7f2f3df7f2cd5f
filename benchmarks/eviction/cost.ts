// The cost of eviction (issue 5, item 6): SET throughput of a ringcache process with maxmemory
// 50mb (random keys, so nearly every SET evicts one key) against the same server without a
// limit, in alternating runs so that machine noise hits both alike. redis-server is measured the
// same way in the same rounds (its no-limit run against its allkeys-lru and allkeys-lfu), so that
// each ratio can be read beside what Redis itself pays for eviction under the same load. Reports
// per configuration the median rate, its ratio to the same server's median without a limit, the
// median of the per-round ratios (each against that server's no-limit run of the same round,
// minutes apart at most), and the server's CPU time per request (user + system from /proc, which
// moves less with the neighbours' load).
//
//   npx tsx benchmarks/eviction/cost.ts [--rounds 5] [--requests 1000000] [--pipeline 16]
//        [--prefill 400000] [--maxmemory 50mb] [--policies allkeys-lru,allkeys-lfu,allkeys-s3fifo,allkeys-sieve]
//        [--redis-policies allkeys-lru,allkeys-lfu] [--no-redis] [--pin] [--cpu-prof dir]
//
// The server runs as deployed: the compiled launcher (`npm run build` first; without dist/ it runs
// through tsx) with bin/ringcache-server's node flags and environment.
//
// --pin puts the server on the last core and redis-benchmark on the others (taskset), so the two
// do not take turns on one core.

import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runRedisBenchmark } from '../lib/redis-benchmark.js';
import { median } from '../lib/report.js';
import { binShebang, redisServerVersion, startRedis, startRingcache } from '../lib/servers.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '1000000' },
    prefill: { type: 'string', default: '400000' },
    pipeline: { type: 'string', default: '16' },
    maxmemory: { type: 'string', default: '50mb' },
    policies: { type: 'string', default: 'allkeys-lru,allkeys-lfu,allkeys-s3fifo,allkeys-sieve' },
    'redis-policies': { type: 'string', default: 'allkeys-lru,allkeys-lfu' },
    'no-redis': { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});

interface Setup {
  server: 'ringcache' | 'redis-server';
  label: string;
  config: Record<string, string>;
}

interface Sample {
  rps: number;
  cpuUsPerRequest: number;
}

const NO_LIMIT = 'no limit';
const setupsOf = (server: Setup['server'], policies: string): Setup[] => [
  { server, label: NO_LIMIT, config: {} },
  ...policies
    .split(',')
    .filter((policy) => policy !== '')
    .map((policy) => ({ server, label: `${values.maxmemory} ${policy}`, config: { maxmemory: values.maxmemory, 'maxmemory-policy': policy } })),
];
const setups: Setup[] = [...setupsOf('ringcache', values.policies), ...(values['no-redis'] ? [] : setupsOf('redis-server', values['redis-policies']))];
const keyOf = (setup: Setup): string => `${setup.server} ${setup.label}`;

const lastCore = os.cpus().length - 1;
if (values.pin) {
  if (lastCore < 1) throw new Error('--pin needs at least 2 cores');
  // This process, and so every redis-benchmark it starts, off the server's core.
  execFileSync('taskset', ['-a', '-p', '-c', `0-${lastCore - 1}`, String(process.pid)], { stdio: 'ignore' });
}

const requests = Number(values.requests);
const deployed = binShebang();
const loads: number[] = [os.loadavg()[0]];
const results = new Map<string, Sample[]>(setups.map((s) => [keyOf(s), []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const setup of setups) {
    // As deployed: bin/ringcache-server's node flags and environment, over the compiled launcher.
    const nodeFlags = [...deployed.nodeFlags, ...(values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`])];
    const server =
      setup.server === 'redis-server'
        ? await startRedis(undefined, setup.config)
        : await startRingcache({ mode: 'launcher', config: setup.config, nodeFlags, env: deployed.env });
    try {
      if (values.pin) execFileSync('taskset', ['-a', '-p', '-c', String(lastCore), String(server.pid)], { stdio: 'ignore' });
      // Untimed: fill past the limit first (50mb holds about 300k of these keys), so that every
      // timed SET of a limited server evicts, and the unlimited one holds as many keys.
      const setArgs = ['-t', 'set', '-r', '10000000', '-d', '100', '-P', values.pipeline];
      if (Number(values.prefill) > 0) await runRedisBenchmark(server.port, [...setArgs, '-n', values.prefill]);
      const before = server.cpuSeconds();
      const run = await runRedisBenchmark(server.port, [...setArgs, '-n', values.requests]);
      const after = server.cpuSeconds();
      if (run.serverError !== null) throw new Error(`${setup.label}: ${run.serverError}`);
      const cpu = after.user + after.system - before.user - before.system;
      (results.get(keyOf(setup)) as Sample[]).push({ rps: run.rows[0].rps, cpuUsPerRequest: (cpu * 1e6) / requests });
    } finally {
      await server.stop();
    }
  }
  loads.push(os.loadavg()[0]);
}

console.log(
  `SET, redis-benchmark -t set -r 10000000 -d 100 -n ${values.requests} -P ${values.pipeline} after an untimed fill of ${values.prefill}, ${values.rounds} alternating rounds` +
    `${values.pin ? ', server pinned to its own core' : ''}; ${os.cpus().length} cores, node ${process.version}, ${values['no-redis'] ? 'no redis-server' : `redis-server ${redisServerVersion()}`}, ` +
    `load average (1 min) ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}, ${new Date().toISOString()}`,
);
console.log('| server | configuration | median SET/s | runs | vs its no limit | per-round ratio (median) | CPU us/SET | CPU vs its no limit |');
console.log('|---|---|---:|---|---:|---:|---:|---:|');
for (const setup of setups) {
  // Each server against its own no-limit runs: the question is what eviction costs that server.
  const baseRuns = results.get(keyOf({ ...setup, label: NO_LIMIT })) as Sample[];
  const base = median(baseRuns.map((s) => s.rps));
  const baseCpu = median(baseRuns.map((s) => s.cpuUsPerRequest));
  const samples = results.get(keyOf(setup)) as Sample[];
  const rps = samples.map((s) => s.rps);
  const ratios = samples.map((s, i) => s.rps / baseRuns[i].rps);
  const cpu = median(samples.map((s) => s.cpuUsPerRequest));
  console.log(
    `| ${setup.server} | ${setup.label} | ${Math.round(median(rps))} | ${rps.map((r) => Math.round(r / 1000) + 'k').join(', ')} | ` +
      `${(median(rps) / base).toFixed(2)}x | ${median(ratios).toFixed(2)}x | ${cpu.toFixed(2)} | ${(cpu / baseCpu).toFixed(2)}x |`,
  );
}
