// `npm run bench:scale` (opt-in, minutes and gigabytes): how ringcache holds up as the keyspace
// grows.
//
//   1. capacity: --keys keys (default 20M, past V8's 2^24 entries per Map) in one process,
//      16-byte keys and 32-byte values; RSS, fill rate per million, event-loop stalls, DBSIZE.
//   2. growth: the keyspace grows 0 -> --growth-keys (default 5M) through a pipelined loader
//      while a probe in its own process times single commands; the same against redis-server.
//      Target: worst single command <= 50 ms.
//   3. steady: at that size, redis-benchmark -c 50 SET/GET over the whole keyspace for a while,
//      with the probe and the server's event-loop delay histogram. Target: no stall > 50 ms.
//
//   options: --keys N --growth-keys N --heap-mb N (node --max-old-space-size for ringcache)
//            --steady-requests N --skip capacity,growth,steady --server launcher|tsx

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fill } from '../lib/loader.js';
import { runRedisBenchmark } from '../lib/redis-benchmark.js';
import { formatCount, formatMb, renderTable } from '../lib/report.js';
import { callOnce } from '../lib/resp-client.js';
import { ROOT, binShebang, startRedis, startRingcache, type LauncherStats, type RingcacheMode, type ServerProcess } from '../lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    keys: { type: 'string', default: '20000000' },
    'growth-keys': { type: 'string', default: '5000000' },
    'heap-mb': { type: 'string' },
    'steady-requests': { type: 'string', default: '1000000' },
    skip: { type: 'string', default: '' },
    server: { type: 'string', default: 'launcher' },
    markdown: { type: 'boolean', default: false },
  },
});

const capacityKeys = Number(opts.keys);
const growthKeys = Number(opts['growth-keys']);
const skip = new Set(opts.skip.split(','));
const mode = opts.server as RingcacheMode;
const STALL_LIMIT_MS = 50;
const deployed = binShebang();
/** A generous estimate of ringcache's resident bytes per key (16 B key, 32 B value) while filling. */
const BYTES_PER_KEY_ESTIMATE = 300;

interface ProbeReport {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  worst: { ms: number; at: number; command: string }[];
}

function availableMemory(): number {
  const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return match === null ? NaN : Number(match[1]) * 1024;
}

/** bin/ringcache-server's node flags (as deployed) plus an old-space limit sized for `keys`. */
function heapFlag(keys: number): string[] {
  const mb = opts['heap-mb'] ?? String(Math.max(4096, Math.ceil((keys * BYTES_PER_KEY_ESTIMATE) / 2 ** 20) + 1024));
  return [...deployed.nodeFlags, `--max-old-space-size=${mb}`];
}

function startProbe(port: number): { stop: () => Promise<ProbeReport> } {
  const compiled = path.join(ROOT, 'dist', 'benchmarks', 'scale', 'probe.js');
  const entry = mode !== 'tsx' && existsSync(compiled) ? [compiled] : ['--import', 'tsx', path.join(ROOT, 'benchmarks', 'scale', 'probe.ts')];
  const child = spawn(process.execPath, [...entry, '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const report = new Promise<ProbeReport>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`probe exited with ${code} before reporting`)));
  });
  return {
    stop: () => {
      child.kill('SIGTERM');
      return report;
    },
  };
}

async function dbsize(server: ServerProcess): Promise<string> {
  const reply = await callOnce(server.port, 'DBSIZE');
  return reply instanceof Error ? `DBSIZE failed: ${reply.message}` : String(reply);
}

const eld = (s: LauncherStats | null): string =>
  s === null ? 'n/a' : `max ${s.eventLoopDelayMs.max} ms, p99 ${s.eventLoopDelayMs.p99} ms, p99.9 ${s.eventLoopDelayMs.p999} ms`;

async function capacity(): Promise<string[]> {
  const need = capacityKeys * BYTES_PER_KEY_ESTIMATE;
  const available = availableMemory();
  if (need > available) {
    return [
      `capacity: skipped: ${formatCount(capacityKeys)} keys need about ${formatMb(need)} and only ${formatMb(available)} is available; ` +
        `pass a smaller --keys`,
    ];
  }
  const server = await startRingcache({ mode, nodeFlags: heapFlag(capacityKeys), env: deployed.env });
  const lines = [`capacity: ${server.how}`];
  try {
    await server.stats?.();
    const step = 1_000_000;
    const rows: string[][] = [];
    let previous = 0;
    let previousTime = performance.now();
    let firstError: string | null = null;
    for (let start = 0; start < capacityKeys; start += step) {
      const count = Math.min(step, capacityKeys - start);
      const result = await fill({ port: server.port, count, start, window: 16 });
      firstError ??= result.firstError;
      const now = performance.now();
      const done = start + count;
      if (done % (5 * step) === 0 || done === capacityKeys) {
        const stats = server.stats === null ? null : await server.stats();
        rows.push([
          formatCount(done),
          `${formatCount(((done - previous) * 1000) / (now - previousTime))}/s`,
          formatMb(server.rss()),
          stats === null ? '' : formatMb(stats.memory.heapUsed),
          stats === null ? '' : `${stats.eventLoopDelayMs.max} ms`,
        ]);
        previous = done;
        previousTime = performance.now();
      }
      if (result.errors > 0) {
        lines.push(`capacity: ${result.errors} error replies at ${formatCount(start)} keys: ${result.firstError}; stopping`);
        break;
      }
    }
    lines.push(renderTable(['keys', 'fill rate', 'RSS', 'heapUsed', 'worst event-loop delay in step'], rows, opts.markdown));
    lines.push(`capacity: DBSIZE ${await dbsize(server)} (expected ${capacityKeys})${firstError === null ? '' : `; first error ${firstError}`}`);
  } catch (err) {
    lines.push(`capacity: FAILED: ${(err as Error).message}`);
  } finally {
    await server.stop();
  }
  return lines;
}

async function growthAndSteady(server: ServerProcess): Promise<string[][]> {
  const rows: string[][] = [];
  await server.stats?.();
  const probe = startProbe(server.port);
  const filled = await fill({ port: server.port, count: growthKeys, window: 16 });
  const growthProbe = await probe.stop();
  const growthEld = server.stats === null ? null : await server.stats();
  rows.push([
    server.name,
    `grow 0 -> ${formatCount(growthKeys)} (${filled.seconds.toFixed(1)} s, ${filled.errors} errors)`,
    `${growthProbe.max} ms`,
    `${growthProbe.p99} / ${growthProbe.p999} ms`,
    eld(growthEld),
    verdict('growth', growthProbe.max, growthEld),
  ]);
  if (!skip.has('steady')) {
    const steadyProbe = startProbe(server.port);
    const args = ['-c', '50', '-n', opts['steady-requests'], '-r', String(growthKeys), '-t', 'set,get'];
    const run = await runRedisBenchmark(server.port, args);
    const steady = await steadyProbe.stop();
    const steadyEld = server.stats === null ? null : await server.stats();
    const rps = run.rows.map((r) => `${r.test} ${formatCount(r.rps)}/s`).join(', ');
    rows.push([
      server.name,
      `at ${formatCount(growthKeys)}: redis-benchmark ${args.join(' ')} (${rps})`,
      `${steady.max} ms`,
      `${steady.p99} / ${steady.p999} ms`,
      eld(steadyEld),
      verdict('steady', steady.max, steadyEld),
    ]);
  }
  return rows;
}

/**
 * The issue's two targets, each by its own measure: while growing, the worst single command (the
 * probe's worst, and no event-loop stall past it); at the steady size, no event-loop stall over
 * 50 ms by the server's perf_hooks histogram. The steady probe's worst is printed beside it but
 * also counts the probe's own waits for a core, which on two shared cores reach tens of ms for
 * redis-server too. Without a histogram (redis-server) the probe is all there is.
 */
function verdict(phase: 'growth' | 'steady', probeMax: number, stats: LauncherStats | null): string {
  const worst =
    phase === 'steady' && stats !== null ? stats.eventLoopDelayMs.max : Math.max(probeMax, stats?.eventLoopDelayMs.max ?? 0);
  return worst <= STALL_LIMIT_MS ? 'PASS' : 'FAIL';
}

async function main(): Promise<void> {
  console.log(`date: ${new Date().toISOString()}; node ${process.version}; available memory ${formatMb(availableMemory())}`);
  if (!skip.has('capacity')) console.log((await capacity()).join('\n'));
  if (!skip.has('growth')) {
    const rows: string[][] = [];
    const ours = await startRingcache({ mode, nodeFlags: heapFlag(growthKeys), env: deployed.env });
    try {
      rows.push(...(await growthAndSteady(ours)));
    } finally {
      await ours.stop();
    }
    const redis = await startRedis();
    try {
      rows.push(...(await growthAndSteady(redis)));
    } finally {
      await redis.stop();
    }
    console.log(
      `\ngrowth and steady state (probe: one command at a time from its own process; targets: growing, worst command <= ${STALL_LIMIT_MS} ms; steady, server event-loop delay <= ${STALL_LIMIT_MS} ms)`,
    );
    console.log(
      renderTable(['server', 'phase', 'probe worst', 'probe p99 / p99.9', 'server event-loop delay', 'result'], rows, opts.markdown),
    );
  }
}

await main();
