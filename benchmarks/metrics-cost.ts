// `npm run bench:metrics`: what serving Prometheus metrics costs ringcache's throughput.
//
// Two ringcache processes run side by side, started the same way: one plain, one with
// metrics-port set and scraped (GET /metrics, body read in full) every second for the whole
// run. redis-benchmark -c 50 measures SET and GET, unpipelined and with -P 16, on each in
// turn, the order flipping every round, so that drift of a shared machine falls on both alike.
// The cost is 1 - median(per-round ratio on/off); the issue's target is at most 5%. On a
// machine shared with other work throughput swings far more than 5% from run to run, so the
// server's own CPU time per request (user + system, from /proc, scrapes included) is reported
// too: it moves much less with the neighbours' load.
//
//   npm run bench:metrics                       5 rounds
//   npm run bench:metrics -- --quick            seconds-long smoke (numbers mean little)
//   options: --rounds N --requests N --pipelined-requests N --server tsx|launcher --markdown
//            --scrape-ms N (default 1000)
//            --pin: both servers on the last core, this script and redis-benchmark (and the
//            scraper) on the others, so the load generator never competes with the server
//            measured; needs taskset (util-linux) and 2+ cores

import { execFileSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runRedisBenchmark, type BenchRow } from './lib/redis-benchmark.js';
import { formatCount, median, renderTable } from './lib/report.js';
import { freePort, startRingcache, versionOf, type RingcacheMode, type ServerProcess } from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    requests: { type: 'string' },
    'pipelined-requests': { type: 'string' },
    keyspace: { type: 'string', default: '100000' },
    server: { type: 'string', default: 'tsx' },
    'scrape-ms': { type: 'string', default: '1000' },
    markdown: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
  },
});

const quick = opts.quick;
const rounds = Number(opts.rounds ?? (quick ? 1 : 5));
const requests = Number(opts.requests ?? (quick ? 20_000 : 200_000));
const pipelinedRequests = Number(opts['pipelined-requests'] ?? (quick ? 100_000 : 1_000_000));
const keyspace = opts.keyspace;
const mode = opts.server as RingcacheMode;
const scrapeMs = Number(opts['scrape-ms']);

interface Scenario {
  label: string;
  args: string[];
  pipelined: boolean;
}

const SCENARIOS: Scenario[] = [
  { label: 'SET', args: ['-t', 'set'], pipelined: false },
  { label: 'GET', args: ['-t', 'get'], pipelined: false },
  { label: 'SET -P 16', args: ['-t', 'set', '-P', '16'], pipelined: true },
  { label: 'GET -P 16', args: ['-t', 'get', '-P', '16'], pipelined: true },
];

/** The cost target of issue #8: metrics on keeps at least this share of the throughput. */
const TARGET_RATIO = 0.95;

/** Fetches /metrics every `intervalMs` until stopped; counts scrapes and their total time. */
function startScraper(
  port: number,
  intervalMs: number,
): { stop(): void; pause(paused: boolean): void; scrapes: () => number; bytes: () => number; meanMs: () => number } {
  let paused = false;
  let scrapes = 0;
  let bytes = 0;
  let totalMs = 0;
  let failures = 0;
  const scrape = (): void => {
    if (paused) return;
    const began = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          scrapes++;
          totalMs += performance.now() - began;
        });
      })
      .on('error', () => failures++);
  };
  const timer = setInterval(scrape, intervalMs);
  scrape();
  return {
    stop: () => {
      clearInterval(timer);
      if (failures > 0) process.stderr.write(`scraper: ${failures} failed scrapes\n`);
    },
    pause: (value: boolean) => (paused = value),
    scrapes: () => scrapes,
    bytes: () => bytes,
    meanMs: () => (scrapes === 0 ? NaN : totalMs / scrapes),
  };
}

type Sample = BenchRow & { cpuUsPerRequest: number };

async function bench(server: ServerProcess, scenario: Scenario): Promise<Sample> {
  const n = scenario.pipelined ? pipelinedRequests : requests;
  const before = server.cpuSeconds();
  const run = await runRedisBenchmark(server.port, ['-c', '50', '-n', String(n), '-r', keyspace, ...scenario.args]);
  if (run.serverError !== null) throw new Error(`${server.name}: ${run.serverError}`);
  const row = run.rows[0];
  if (row === undefined) throw new Error(`redis-benchmark gave no row for ${scenario.label}`);
  const after = server.cpuSeconds();
  return { ...row, cpuUsPerRequest: ((after.user + after.system - before.user - before.system) * 1e6) / n };
}

/** Servers (every thread) on the last core; this process, and so redis-benchmark, on the rest. */
function pinCores(serverPids: number[]): void {
  const last = os.cpus().length - 1;
  if (last < 1) throw new Error('--pin needs at least 2 cores');
  for (const pid of serverPids) execFileSync('taskset', ['-a', '-p', '-c', String(last), String(pid)], { stdio: 'ignore' });
  execFileSync('taskset', ['-a', '-p', '-c', `0-${last - 1}`, String(process.pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const started = Date.now();
  const metricsPort = await freePort();
  const off = await startRingcache({ mode });
  const on = await startRingcache({ mode, config: { 'metrics-port': String(metricsPort) } });
  if (opts.pin) pinCores([off.pid, on.pid]);
  const scraper = startScraper(metricsPort, scrapeMs);
  const off2on: { off: Sample[]; on: Sample[] }[] = SCENARIOS.map(() => ({ off: [], on: [] }));
  try {
    // JIT warm-up, so that neither side's first round pays for compilation.
    for (const server of [off, on]) {
      await runRedisBenchmark(server.port, ['-c', '50', '-n', String(Math.max(20_000, requests / 4)), '-r', keyspace, '-t', 'set,get']);
      await runRedisBenchmark(server.port, ['-c', '50', '-n', String(Math.max(20_000, requests / 4)), '-r', keyspace, '-t', 'set,get', '-P', '16']);
    }
    for (let round = 0; round < rounds; round++) {
      for (const [i, scenario] of SCENARIOS.entries()) {
        const order = (round + i) % 2 === 0 ? [off, on] : [on, off];
        for (const server of order) {
          // Pinned, both servers share one core: scrapes of the metrics server while the plain
          // one is measured would slow the plain one, and hide the cost being measured.
          if (opts.pin) scraper.pause(server === off);
          const row = await bench(server, scenario);
          (server === on ? off2on[i].on : off2on[i].off).push(row);
        }
        process.stderr.write(`round ${round + 1}/${rounds} ${scenario.label} done\n`);
      }
    }
  } finally {
    scraper.stop();
    await off.stop();
    await on.stop();
  }

  const rows = SCENARIOS.map((scenario, i) => {
    const { off: a, on: b } = off2on[i];
    const ratios = a.map((row, r) => b[r].rps / row.rps);
    const ratio = median(ratios);
    const cpuRatios = a.map((row, r) => b[r].cpuUsPerRequest / row.cpuUsPerRequest);
    const cpuRatio = median(cpuRatios);
    return [
      scenario.label,
      formatCount(median(a.map((r) => r.rps))),
      formatCount(median(b.map((r) => r.rps))),
      `${((1 - ratio) * 100).toFixed(1)}%`,
      `${((1 - Math.max(...ratios)) * 100).toFixed(1)}% .. ${((1 - Math.min(...ratios)) * 100).toFixed(1)}%`,
      `${median(a.map((r) => r.cpuUsPerRequest)).toFixed(2)} / ${median(b.map((r) => r.cpuUsPerRequest)).toFixed(2)}`,
      `${((cpuRatio - 1) * 100).toFixed(1)}%`,
      `${((Math.min(...cpuRatios) - 1) * 100).toFixed(1)}% .. ${((Math.max(...cpuRatios) - 1) * 100).toFixed(1)}%`,
      ratio >= TARGET_RATIO ? 'PASS' : 'FAIL',
    ];
  });
  const header = [
    'scenario',
    'off rps',
    'on rps',
    'rps cost (median)',
    'rps cost range',
    'CPU us/req off / on',
    'CPU cost (median)',
    'CPU cost range',
    'rps cost <= 5%',
  ];
  const lines = [
    `date: ${new Date().toISOString()}`,
    `machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `node: ${process.version}; ${versionOf('redis-server', ['--version'])}`,
    `off: ${off.how}`,
    `on: ${on.how}`,
    `cores: ${opts.pin ? `both servers pinned to core ${os.cpus().length - 1}, redis-benchmark and the scraper to the others` : 'not pinned'}`,
    `redis-benchmark -c 50 -r ${keyspace}; -n ${requests} (pipelined: ${pipelinedRequests}); ${rounds} round(s), order flipped each round; ` +
      `cost = 1 - median of per-round (on / off) rps; negative = on was faster`,
    `scrapes: ${scraper.scrapes()} every ${scrapeMs} ms, mean ${scraper.meanMs().toFixed(1)} ms each, ` +
      `${formatCount(scraper.bytes() / Math.max(1, scraper.scrapes()))} bytes each` + (quick ? '; QUICK MODE: a smoke test, not a measurement' : ''),
    '',
    renderTable(header, rows, opts.markdown),
    '',
    `wall time ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  console.log(lines.join('\n'));
}

await main();
