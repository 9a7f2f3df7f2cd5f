// The memory bound end to end (issue 5, item 1): a ringcache child process with maxmemory under
// `redis-benchmark -t set -r 10000000 -d <size> -P <pipeline>` for a fixed time, sampling INFO
// memory used_memory and the child's RSS (/proc/<pid>/status) every few ms. The bound: used_memory
// never above maxmemory (INFO runs between commands, so every sample is "after a command
// completed"), and RSS within 1.5 x maxmemory plus the empty server's RSS.
//
//   npx tsx benchmarks/eviction/memory-bound.ts [--maxmemory 100mb] [--seconds 30] [--pipeline 1]
//                                              [--policies allkeys-lru,allkeys-s3fifo] [--size 100]
//                                              [--node-flags 'default|none|--flag --flag...']
// Each `|`-separated set of node flags is a row per policy: `default` is the flags on
// bin/ringcache-server's shebang line (what a deployment runs), `none` is node's defaults.
// The server runs the compiled launcher (dist/, `npm run build` first) so that the empty RSS is
// a server's, not tsx's; without dist/ it runs through tsx.

import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { infoNumber, RespClient } from '../lib/resp-client.js';
import { binShebang, startRingcache, type RingcacheMode } from '../lib/servers.js';

export interface MemoryBoundOptions {
  maxmemory: string;
  policy: string;
  seconds: number;
  pipeline: number;
  valueSize: number;
  mode?: RingcacheMode;
  nodeFlags?: string[];
  /** Environment variables for the server (bin's shebang assignments, e.g. MALLOC_MMAP_THRESHOLD_). */
  env?: Record<string, string>;
  /** Sampling period in ms. */
  every?: number;
  /**
   * Keep going past `seconds`, up to `maxSeconds`, until this many keys were evicted: a slow
   * machine takes longer to reach the limit, and a run that never evicts proves nothing.
   */
  minEvicted?: number;
  maxSeconds?: number;
}

export interface MemoryBoundResult {
  maxmemoryBytes: number;
  emptyRss: number;
  /** 1.5 x maxmemory + the empty server's RSS. */
  rssBound: number;
  maxUsed: number;
  maxRss: number;
  samples: number;
  /** Samples where used_memory was above maxmemory. */
  usedOver: number;
  evictedKeys: number;
  dbsize: number;
  setsPerSecond: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMemoryBound(o: MemoryBoundOptions): Promise<MemoryBoundResult> {
  const server = await startRingcache({
    mode: o.mode ?? 'auto',
    nodeFlags: o.nodeFlags,
    env: o.env,
    config: { maxmemory: o.maxmemory, 'maxmemory-policy': o.policy },
  });
  const client = await RespClient.connect(server.port);
  try {
    await sleep(300);
    const emptyRss = server.rss();
    const maxmemoryBytes = infoNumber((await client.call('INFO', 'memory')) as string, 'maxmemory');
    const bench = spawn(
      'redis-benchmark',
      ['-p', String(server.port), '-t', 'set', '-r', '10000000', '-d', String(o.valueSize), '-P', String(o.pipeline), '-n', '1000000000', '-c', '50', '-q'],
      { stdio: 'ignore' },
    );
    const started = Date.now();
    let maxUsed = 0;
    let maxRss = 0;
    let samples = 0;
    let usedOver = 0;
    const evictedSoFar = async (): Promise<number> => infoNumber((await client.call('INFO', 'stats')) as string, 'evicted_keys');
    const longest = Math.max(o.seconds, o.maxSeconds ?? o.seconds) * 1000;
    for (;;) {
      const ran = Date.now() - started;
      if (ran >= longest) break;
      if (ran >= o.seconds * 1000 && (o.minEvicted === undefined || (await evictedSoFar()) >= o.minEvicted)) break;
      const used = infoNumber((await client.call('INFO', 'memory')) as string, 'used_memory');
      const rss = server.rss();
      samples++;
      if (used > maxmemoryBytes) usedOver++;
      maxUsed = Math.max(maxUsed, used);
      maxRss = Math.max(maxRss, rss);
      await sleep(o.every ?? 20);
    }
    const elapsed = (Date.now() - started) / 1000;
    bench.kill('SIGINT');
    await new Promise((resolve) => bench.once('exit', resolve));
    const stats = (await client.call('INFO', 'stats')) as string;
    const setCalls = /cmdstat_set:calls=(\d+)/.exec((await client.call('INFO', 'commandstats')) as string);
    const sets = setCalls === null ? NaN : Number(setCalls[1]);
    if (process.env.MB_DEBUG && server.stats) console.error(JSON.stringify((await server.stats()).memory));
    return {
      maxmemoryBytes,
      emptyRss,
      rssBound: 1.5 * maxmemoryBytes + emptyRss,
      maxUsed,
      maxRss,
      samples,
      usedOver,
      evictedKeys: infoNumber(stats, 'evicted_keys'),
      dbsize: Number(await client.call('DBSIZE')),
      setsPerSecond: Number.isNaN(sets) ? NaN : sets / elapsed,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      maxmemory: { type: 'string', default: '100mb' },
      seconds: { type: 'string', default: '30' },
      pipeline: { type: 'string', default: '1' },
      size: { type: 'string', default: '100' },
      policies: { type: 'string', default: 'allkeys-lru,allkeys-s3fifo' },
      'node-flags': { type: 'string', default: 'default' },
    },
  });
  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  console.log('| node flags | policy | maxmemory | seconds | -P | max used_memory | samples over | empty RSS | max RSS | RSS bound | within | evicted | DBSIZE | SET/s |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const set of values['node-flags'].split('|').map((f) => f.trim())) {
    // `default` is bin/ringcache-server's shebang line: its environment assignments and node flags.
    const shebang = binShebang();
    const env = set === 'default' ? shebang.env : {};
    const nodeFlags = set === 'default' ? shebang.nodeFlags : set === 'none' || set === '' ? [] : set.split(/\s+/);
    const shown = [...Object.entries(env).map(([name, value]) => `${name}=${value}`), ...nodeFlags].map((f) => `\`${f}\``).join(' ');
    const label = set === 'default' ? `default (${shown || 'none'})` : shown || '(none)';
    for (const policy of values.policies.split(',')) {
      const r = await runMemoryBound({
        maxmemory: values.maxmemory,
        policy,
        seconds: Number(values.seconds),
        pipeline: Number(values.pipeline),
        valueSize: Number(values.size),
        mode: 'launcher',
        nodeFlags,
        env,
      });
      const ok = r.usedOver === 0 && r.maxUsed <= r.maxmemoryBytes && r.maxRss <= r.rssBound;
      console.log(
        `| ${label} | ${policy} | ${values.maxmemory} | ${values.seconds} | ${values.pipeline} | ${r.maxUsed} | ${r.usedOver}/${r.samples} | ${mb(r.emptyRss)} | ${mb(r.maxRss)} | ${mb(r.rssBound)} | ${ok ? 'yes' : 'NO'} | ${r.evictedKeys} | ${r.dbsize} | ${Math.round(r.setsPerSecond)} |`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
