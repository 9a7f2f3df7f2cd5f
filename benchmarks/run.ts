// `npm run bench`: ringcache against redis-server on this machine, in one run, as ratios.
//
// Both servers run side by side; every throughput scenario is measured with redis-benchmark
// (-c 50) on each server in turn, the order flipping every round, so that drift of a busy
// machine falls on both alike. Ratios are the median of the per-round ratios. The memory
// scenarios fill fresh processes with exactly N keys of exactly 16 bytes and values of exactly
// 32 bytes, and compare VmRSS.
//
//   npm run bench                      full run (a few minutes)
//   npm run bench -- --quick           seconds-long smoke (numbers mean little)
//   npm run bench -- --markdown        table as Markdown, for benchmarks/RESULTS.md
//   options: --rounds N --requests N --pipelined-requests N --keys N --only set,get,...
//            --server auto|bin|launcher|tsx --no-memory --json file
//            --budget-s S (default 180: later rounds are skipped rather than pass it)

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fill } from './lib/loader.js';
import { runRedisBenchmark, type BenchRow } from './lib/redis-benchmark.js';
import { formatCount, formatMb, formatMs, formatRatio, median, renderTable } from './lib/report.js';
import { callOnce } from './lib/resp-client.js';
import {
  staleDistWarning,
  startRedis,
  startRingcache,
  versionOf,
  type RingcacheMode,
  type ServerProcess,
} from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    requests: { type: 'string' },
    'pipelined-requests': { type: 'string' },
    keys: { type: 'string' },
    keyspace: { type: 'string', default: '100000' },
    only: { type: 'string' },
    server: { type: 'string', default: 'auto' },
    'no-memory': { type: 'boolean', default: false },
    'budget-s': { type: 'string', default: '180' },
    markdown: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const quick = opts.quick;
const rounds = Number(opts.rounds ?? (quick ? 1 : 5));
const requests = Number(opts.requests ?? (quick ? 10_000 : 100_000));
const pipelinedRequests = Number(opts['pipelined-requests'] ?? (quick ? 50_000 : 500_000));
const memoryKeys = Number(opts.keys ?? (quick ? 100_000 : 1_000_000));
const keyspace = opts.keyspace;
const mode = opts.server as RingcacheMode;
/** Seconds the throughput rounds may take; on a loaded machine fewer rounds run (at least one). */
const budgetSeconds = Number(opts['budget-s']);

interface Scenario {
  id: string;
  label: string;
  args: string[];
  pipelined: boolean;
  /** One command of the scenario, sent first to see that the server supports it. */
  probe: string[];
  minRatio: number;
  /** Also judged on p99 latency (ours / Redis at most this). */
  maxP99Ratio?: number;
}

const tenKeys = (): string[] => Array.from({ length: 10 }, () => 'key:__rand_int__');
const probeKeys = Array.from({ length: 10 }, (_, i) => `key:probe${i}`);

const SCENARIOS: Scenario[] = [
  { id: 'set', label: 'SET', args: ['-t', 'set'], pipelined: false, probe: ['SET', 'key:probe', 'xxx'], minRatio: 0.9, maxP99Ratio: 1.5 },
  { id: 'get', label: 'GET', args: ['-t', 'get'], pipelined: false, probe: ['GET', 'key:probe'], minRatio: 0.9, maxP99Ratio: 1.5 },
  { id: 'set-p16', label: 'SET -P 16', args: ['-t', 'set', '-P', '16'], pipelined: true, probe: ['SET', 'key:probe', 'xxx'], minRatio: 0.7 },
  { id: 'get-p16', label: 'GET -P 16', args: ['-t', 'get', '-P', '16'], pipelined: true, probe: ['GET', 'key:probe'], minRatio: 0.7 },
  { id: 'incr', label: 'INCR', args: ['-t', 'incr'], pipelined: false, probe: ['INCR', 'counter:probe'], minRatio: 0.85 },
  {
    id: 'mset',
    label: 'MSET (10 keys)',
    args: ['-t', 'mset'],
    pipelined: false,
    probe: ['MSET', ...probeKeys.flatMap((k) => [k, 'xxx'])],
    minRatio: 0.85,
  },
  { id: 'mget', label: 'MGET (10 keys)', args: ['mget', ...tenKeys()], pipelined: false, probe: ['MGET', ...probeKeys], minRatio: 0.85 },
];

/** One redis-benchmark row plus the server's CPU time (user + system) per request during it. */
type Sample = BenchRow & { cpuUsPerRequest: number };

/** Rounds actually run (the time budget may cut them short). */
let roundsRun = 0;

interface ScenarioResult {
  scenario: Scenario;
  ours: Sample[];
  redis: Sample[];
  /** Why ringcache could not run it (an error reply to the probe or during the run). */
  unsupported: string | null;
}

interface MemoryResult {
  label: string;
  keys: number;
  maxRatio: number;
  ours: MemorySide;
  redis: MemorySide;
}

interface MemorySide {
  baselineRss: number;
  filledRss: number;
  dbsize: number | string;
  fillSeconds: number;
  errors: number;
  firstError: string | null;
  /** V8 heap figures after filling, when the launcher can report them. */
  heap: string | null;
}

function machineLines(): string[] {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${versionOf('nproc', [])} cores (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `node: ${process.version}; ${versionOf('redis-server', ['--version'])}`,
  ];
}

function errorText(reply: unknown): string | null {
  return reply instanceof Error ? reply.message : null;
}

async function probeSupport(server: ServerProcess, scenario: Scenario): Promise<string | null> {
  try {
    return errorText(await callOnce(server.port, ...scenario.probe));
  } catch (err) {
    return (err as Error).message;
  }
}

async function benchOne(server: ServerProcess, scenario: Scenario): Promise<{ row: Sample | null; error: string | null }> {
  const n = scenario.pipelined ? pipelinedRequests : requests;
  const before = server.cpuSeconds();
  const run = await runRedisBenchmark(server.port, ['-c', '50', '-n', String(n), '-r', keyspace, ...scenario.args]);
  const after = server.cpuSeconds();
  const cpu = after.user + after.system - before.user - before.system;
  const row = run.rows[0];
  return { row: row === undefined ? null : { ...row, cpuUsPerRequest: (cpu * 1e6) / n }, error: run.serverError };
}

async function throughput(ours: ServerProcess, redis: ServerProcess, scenarios: Scenario[]): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const redisProblem = await probeSupport(redis, scenario);
    if (redisProblem !== null) throw new Error(`redis-server refused the ${scenario.label} probe: ${redisProblem}`);
    results.push({ scenario, ours: [], redis: [], unsupported: await probeSupport(ours, scenario) });
  }
  // JIT compilation and the first growth of tables would otherwise land on ringcache's first round.
  for (const server of [ours, redis]) {
    const n = String(Math.max(10_000, requests / 5));
    await runRedisBenchmark(server.port, ['-c', '50', '-n', n, '-r', keyspace, '-t', 'set,get']);
    await runRedisBenchmark(server.port, ['-c', '50', '-n', n, '-r', keyspace, '-t', 'set,get', '-P', '16']);
  }
  const began = Date.now();
  for (let round = 0; round < rounds; round++) {
    const elapsed = (Date.now() - began) / 1000;
    if (round > 0 && elapsed + elapsed / round > budgetSeconds) {
      process.stderr.write(`stopping after ${round} rounds: the next would pass --budget-s ${budgetSeconds}\n`);
      roundsRun = round;
      break;
    }
    roundsRun = round + 1;
    for (const result of results) {
      const order = round % 2 === 0 ? [ours, redis] : [redis, ours];
      for (const server of order) {
        if (server === ours && result.unsupported !== null) continue;
        if (server === redis && result.unsupported !== null && round > 0) continue;
        const { row, error } = await benchOne(server, result.scenario);
        if (server === ours && error !== null) result.unsupported = error;
        if (row !== null) (server === ours ? result.ours : result.redis).push(row);
      }
      process.stderr.write(`round ${round + 1}/${rounds} ${result.scenario.label} done\n`);
    }
  }
  return results;
}

async function memoryScenario(label: string, ttlSeconds: number | undefined, maxRatio: number): Promise<MemoryResult> {
  const measure = async (server: ServerProcess): Promise<MemorySide> => {
    const baselineRss = server.rss();
    const filled = await fill({ port: server.port, count: memoryKeys, keySize: 16, valueSize: 32, ttlSeconds });
    // Let the allocator and the young generation settle as they would on an idle cache.
    await new Promise((r) => setTimeout(r, 2000));
    const dbsizeReply = await callOnce(server.port, 'DBSIZE');
    const filledRss = server.rss();
    const stats = server.stats === null ? null : (await server.stats()).memory;
    return {
      baselineRss,
      filledRss,
      heap: stats === null ? null : `heapUsed ${formatMb(stats.heapUsed)}, heapTotal ${formatMb(stats.heapTotal)}, external ${formatMb(stats.external)}`,
      dbsize: typeof dbsizeReply === 'number' ? dbsizeReply : `DBSIZE failed: ${errorText(dbsizeReply) ?? String(dbsizeReply)}`,
      fillSeconds: filled.seconds,
      errors: filled.errors,
      firstError: filled.firstError,
    };
  };
  const ours = await startRingcache({ mode });
  const oursSide = await measure(ours);
  await ours.stop();
  const redis = await startRedis();
  const redisSide = await measure(redis);
  await redis.stop();
  process.stderr.write(`memory ${label} done\n`);
  return { label, keys: memoryKeys, maxRatio, ours: oursSide, redis: redisSide };
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

function throughputRows(results: ScenarioResult[]): { rows: string[][]; passed: number; total: number } {
  const rows: string[][] = [];
  let passed = 0;
  let total = 0;
  const cpu = (rowsOf: Sample[]): string => (rowsOf.length === 0 ? 'n/a' : median(rowsOf.map((r) => r.cpuUsPerRequest)).toFixed(1));
  const pair = (rowsOf: BenchRow[]): string =>
    rowsOf.length === 0 ? 'n/a' : `${formatMs(median(rowsOf.map((r) => r.p50Ms)))} / ${formatMs(median(rowsOf.map((r) => r.p99Ms)))}`;
  for (const { scenario, ours, redis, unsupported } of results) {
    const rounds = Math.min(ours.length, redis.length);
    const ratios = Array.from({ length: rounds }, (_, i) => ours[i].rps / redis[i].rps);
    const ratio = unsupported === null ? median(ratios) : NaN;
    const ok = ratio >= scenario.minRatio;
    total++;
    if (ok) passed++;
    rows.push([
      scenario.label,
      unsupported === null ? formatCount(median(ours.map((r) => r.rps))) : 'n/a',
      formatCount(median(redis.map((r) => r.rps))),
      formatRatio(ratio),
      unsupported === null ? pair(ours) : 'n/a',
      pair(redis),
      `${unsupported === null ? cpu(ours) : 'n/a'} / ${cpu(redis)}`,
      `>= ${scenario.minRatio.toFixed(2)}x rps`,
      unsupported === null ? verdict(ok) : `FAIL: ${unsupported.slice(0, 50)}`,
    ]);
    if (scenario.maxP99Ratio !== undefined) {
      const p99Ratios = Array.from({ length: rounds }, (_, i) => ours[i].p99Ms / redis[i].p99Ms);
      const p99Ratio = unsupported === null ? median(p99Ratios) : NaN;
      const p99Ok = p99Ratio <= scenario.maxP99Ratio;
      total++;
      if (p99Ok) passed++;
      rows.push([
        `${scenario.label} p99 latency`,
        unsupported === null ? `${formatMs(median(ours.map((r) => r.p99Ms)))} ms` : 'n/a',
        `${formatMs(median(redis.map((r) => r.p99Ms)))} ms`,
        formatRatio(p99Ratio),
        '',
        '',
        '',
        `<= ${scenario.maxP99Ratio.toFixed(1)}x p99`,
        unsupported === null ? verdict(p99Ok) : 'FAIL',
      ]);
    }
  }
  return { rows, passed, total };
}

function memoryRows(results: MemoryResult[]): { rows: string[][]; notes: string[]; passed: number; total: number } {
  const rows: string[][] = [];
  const notes: string[] = [];
  let passed = 0;
  for (const m of results) {
    const usable = m.ours.errors === 0 && m.ours.dbsize === m.keys;
    const ratio = usable ? m.ours.filledRss / m.redis.filledRss : NaN;
    const ok = ratio <= m.maxRatio;
    if (ok) passed++;
    rows.push([
      m.label,
      formatMb(m.ours.filledRss),
      formatMb(m.redis.filledRss),
      formatRatio(ratio),
      '',
      '',
      '',
      `<= ${m.maxRatio.toFixed(1)}x RSS`,
      usable ? verdict(ok) : `FAIL: ${(m.ours.firstError ?? String(m.ours.dbsize)).slice(0, 50)}`,
    ]);
    for (const [name, side] of [['ringcache', m.ours], ['redis', m.redis]] as const) {
      const perKey = (side.filledRss - side.baselineRss) / m.keys;
      notes.push(
        `${m.label}, ${name}: RSS ${formatMb(side.baselineRss)} empty -> ${formatMb(side.filledRss)} filled ` +
          `(${perKey.toFixed(0)} B/key above empty), DBSIZE ${side.dbsize}, ${side.errors} error replies` +
          `${side.firstError === null ? '' : ` (first: ${side.firstError})`}, filled in ${side.fillSeconds.toFixed(1)} s` +
          (side.heap === null ? '' : `; ${side.heap}`),
      );
    }
  }
  return { rows, notes, passed, total: results.length };
}

async function main(): Promise<void> {
  const started = Date.now();
  const only = opts.only?.split(',').map((s) => s.trim());
  const scenarios = only === undefined ? SCENARIOS : SCENARIOS.filter((s) => only.includes(s.id));
  const warning = staleDistWarning();
  if (warning !== null) console.error(`warning: ${warning}`);

  const ours = await startRingcache({ mode });
  const redis = await startRedis();
  const launchLines = [`ringcache: ${ours.how}`, `redis: ${redis.how}`];
  let results: ScenarioResult[];
  try {
    results = await throughput(ours, redis, scenarios);
  } finally {
    await ours.stop();
    await redis.stop();
  }

  const memory: MemoryResult[] = [];
  if (!opts['no-memory'] && (only === undefined || only.includes('memory'))) {
    memory.push(await memoryScenario(`${formatCount(memoryKeys)} keys, 16 B keys, 32 B values: RSS`, undefined, 1.2));
    memory.push(await memoryScenario(`${formatCount(memoryKeys)} keys as above, EX 3600 on each: RSS`, 3600, 1.3));
  }

  const t = throughputRows(results);
  const m = memoryRows(memory);
  const header = ['scenario', 'ringcache', 'redis', 'ratio', 'ours p50/p99 ms', 'redis p50/p99 ms', 'CPU us/req ours/redis', 'target', 'result'];
  const params =
    `redis-benchmark -c 50 -r ${keyspace}; -n ${requests} (pipelined: ${pipelinedRequests}); ${roundsRun} of ${rounds} round(s) run, ` +
    `order flipped each round; ratio = median of per-round ratios; memory: ${memoryKeys} keys` +
    (quick ? '; QUICK MODE: a smoke test, not a measurement' : '');
  const lines = [
    ...machineLines(),
    ...launchLines,
    params,
    ...(warning === null ? [] : [`warning: ${warning}`]),
    '',
    renderTable(header, [...t.rows, ...m.rows], opts.markdown),
    '',
    ...m.notes,
    '',
    `targets met: ${t.passed + m.passed} of ${t.total + m.total}; wall time ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  console.log(lines.join('\n'));
  if (opts.json !== undefined) {
    writeFileSync(opts.json, JSON.stringify({ machine: machineLines(), launchLines, params, results, memory }, null, 2));
  }
}

await main();
