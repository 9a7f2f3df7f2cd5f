// End-to-end hit ratio over the network (issue 5, item 5): the same seeded Zipf 1.0 stream of
// GET-then-SET-on-miss requests against redis-server (allkeys-lru, allkeys-lfu) and ringcache
// (allkeys-s3fifo, allkeys-lru), each with maxmemory set so that the same number of keys stays
// resident. Per-key overhead differs between the servers, so one maxmemory would compare caches
// of different sizes: each server's maxmemory is calibrated first (fill with distinct keys, read
// DBSIZE, scale maxmemory, repeat), and DBSIZE at the end is reported beside every hit ratio.
//
//   npm run bench:eviction:network -- [--keys 200000] [--requests 1000000] [--resident 20000]
//                                      [--value 100] [--batch 64] [--redis-port 7711]

import { parseArgs } from 'node:util';
import { infoNumber, RespClient } from '../lib/resp-client.js';
import { startRedis, startRingcache, type ServerProcess } from '../lib/servers.js';
import { zipf } from './traces.js';

interface Target {
  server: 'redis-server' | 'ringcache';
  policy: string;
}

const TARGETS: Target[] = [
  { server: 'redis-server', policy: 'allkeys-lru' },
  { server: 'redis-server', policy: 'allkeys-lfu' },
  { server: 'ringcache', policy: 'allkeys-s3fifo' },
  { server: 'ringcache', policy: 'allkeys-lru' },
];

const keyName = (id: number): string => `key:${id.toString().padStart(8, '0')}`;

async function dbsize(c: RespClient): Promise<number> {
  return Number(await c.call('DBSIZE'));
}

/** Pipelined SETs of `count` distinct keys (ids from `first`), in batches. */
async function fill(c: RespClient, first: number, count: number, value: string, batch: number): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const pending: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) pending.push(c.call('SET', keyName(first + j), value));
    await Promise.all(pending);
  }
}

/**
 * Finds the maxmemory at which `resident` keys stay at the end of this workload: a first guess
 * from a fill of distinct keys, then the whole stream replayed and maxmemory scaled by
 * resident / DBSIZE until DBSIZE is within 0.5%. A fill alone, or a part of the stream, misleads
 * for redis-server: its resident count under one maxmemory drifts by 10-15% over a run (hash
 * table sizes in powers of two, allocator state).
 */
async function calibrate(c: RespClient, o: Options): Promise<{ maxmemory: number; dbsize: number }> {
  await c.call('FLUSHALL');
  const info = (await c.call('INFO', 'memory')) as string;
  const empty = infoNumber(info, 'used_memory');
  let maxmemory = empty + o.resident * (keyName(0).length + o.value.length + 100);
  await c.call('CONFIG', 'SET', 'maxmemory', String(Math.round(maxmemory)));
  // Distinct ids far above the workload's, with the same 8-digit key length.
  await fill(c, 90_000_000, o.resident * 2, o.value, o.batch);
  maxmemory = empty + ((maxmemory - empty) * o.resident) / (await dbsize(c));
  let size = 0;
  for (let round = 0; round < 6; round++) {
    await c.call('FLUSHALL');
    await c.call('CONFIG', 'SET', 'maxmemory', String(Math.round(maxmemory)));
    await replay(c, o.trace, o.value, o.batch);
    size = await dbsize(c);
    if (Math.abs(size - o.resident) <= o.resident * 0.005) break;
    maxmemory = empty + ((maxmemory - empty) * o.resident) / size;
  }
  await c.call('FLUSHALL');
  return { maxmemory: Math.round(maxmemory), dbsize: size };
}

interface Options {
  trace: Uint32Array;
  resident: number;
  value: string;
  batch: number;
  redisPort: number;
}

interface Result {
  target: Target;
  maxmemory: number;
  calibratedKeys: number;
  hitRatio: number;
  /** Hit ratio over the second half of the stream, once the cache is warm. */
  warmHitRatio: number;
  resident: number;
  evicted: number;
}

async function replay(c: RespClient, trace: Uint32Array, value: string, batch: number): Promise<{ hits: number; warmHits: number }> {
  let hits = 0;
  let warmHits = 0;
  const half = trace.length >> 1;
  for (let i = 0; i < trace.length; i += batch) {
    const end = Math.min(trace.length, i + batch);
    const gets: Promise<unknown>[] = [];
    for (let j = i; j < end; j++) gets.push(c.call('GET', keyName(trace[j])));
    const replies = await Promise.all(gets);
    const sets: Promise<unknown>[] = [];
    for (let j = i; j < end; j++) {
      if (replies[j - i] !== null) {
        hits++;
        if (j >= half) warmHits++;
      } else {
        sets.push(c.call('SET', keyName(trace[j]), value));
      }
    }
    await Promise.all(sets);
  }
  return { hits, warmHits };
}

async function measure(target: Target, o: Options): Promise<Result> {
  const server: ServerProcess =
    target.server === 'redis-server' ? await startRedis(o.redisPort) : await startRingcache({ mode: 'tsx', config: { 'maxmemory-policy': target.policy } });
  const c = await RespClient.connect(server.port);
  try {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', target.policy);
    const { maxmemory, dbsize: calibratedKeys } = await calibrate(c, o);
    await c.call('CONFIG', 'SET', 'maxmemory', String(maxmemory));
    await c.call('CONFIG', 'RESETSTAT');
    const { hits, warmHits } = await replay(c, o.trace, o.value, o.batch);
    const stats = (await c.call('INFO', 'stats')) as string;
    return {
      target,
      maxmemory,
      calibratedKeys,
      hitRatio: hits / o.trace.length,
      warmHitRatio: warmHits / (o.trace.length - (o.trace.length >> 1)),
      resident: await dbsize(c),
      evicted: infoNumber(stats, 'evicted_keys'),
    };
  } finally {
    c.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '200000' },
      requests: { type: 'string', default: '1000000' },
      resident: { type: 'string', default: '20000' },
      value: { type: 'string', default: '100' },
      batch: { type: 'string', default: '64' },
      'redis-port': { type: 'string', default: '7711' },
      seed: { type: 'string', default: '11' },
    },
  });
  const trace = zipf(1.0, Number(values.keys), Number(values.requests), Number(values.seed)).keys;
  const o: Options = { trace, resident: Number(values.resident), value: 'x'.repeat(Number(values.value)), batch: Number(values.batch), redisPort: Number(values['redis-port']) };
  console.log(`Zipf 1.0 over ${values.keys} keys, ${values.requests} GETs (SET on miss), ${values.value}-byte values, pipelined by ${values.batch}; target ${values.resident} resident keys`);
  console.log('| server | policy | maxmemory (calibrated) | keys after calibration | hit ratio | hit ratio, 2nd half | resident keys at end | evicted |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const target of TARGETS) {
    const r = await measure(target, o);
    console.log(
      `| ${target.server} | ${target.policy} | ${r.maxmemory} | ${r.calibratedKeys} | ${r.hitRatio.toFixed(4)} | ${r.warmHitRatio.toFixed(4)} | ${r.resident} | ${r.evicted} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
