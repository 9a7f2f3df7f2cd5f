// Eviction simulator: replays request traces through the server's own policy code (a Keyspace, an
// Evictor and the registry's policies, the cache bounded by a key count instead of bytes) beside
// exact LRU, FIFO and Belady's OPT, and reports miss ratios.
//
//   npm run bench:eviction -- [--trace FILE]... [--sizes 0.001,0.01,0.1] [--policies a,b]
//                             [--limit N] [--synthetic-only] [--real-only] [--json]
//
// Real traces: cache2k project (headissue GmbH, Jens Wilke), CC BY 4.0 (../shared/traces).

import { existsSync } from 'node:fs';
import { Keyspace } from '../../src/engine/keyspace.js';
import { Evictor } from '../../src/eviction/evictor.js';
import { belady, exactLru, fifo } from './baselines.js';
import { hotSetWithScans, loadTrace, loop, oneHitWonders, seeded, shiftingHotSet, zipf, type Trace } from './traces.js';

const SERVER_POLICIES = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'allkeys-sieve', 'allkeys-s3fifo'];
const BASELINES = ['opt', 'lru-exact', 'fifo'];
const TRACE_DIR = new URL('../../../shared/traces/', import.meta.url).pathname;
const REAL_TRACES = ['web07', 'web12', 'orm-busy', 'orm-night'];

interface Options {
  traces: string[];
  sizes: number[];
  policies: string[];
  limit: number;
  synthetic: boolean;
  real: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { traces: [], sizes: [0.001, 0.01, 0.1], policies: [...BASELINES, ...SERVER_POLICIES], limit: Infinity, synthetic: true, real: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--trace') o.traces.push(argv[++i]);
    else if (a === '--sizes') o.sizes = argv[++i].split(',').map(Number);
    else if (a === '--policies') o.policies = argv[++i].split(',');
    else if (a === '--limit') o.limit = Number(argv[++i]);
    else if (a === '--synthetic-only') o.real = false;
    else if (a === '--real-only') o.synthetic = false;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.traces.length > 0) {
    o.synthetic = false;
    o.real = false;
  }
  return o;
}

/** Misses of a server policy: GET, then SET on a miss, evicting while over `capacity` keys. */
export function runServerPolicy(policy: string, keys: Uint32Array, capacity: number, seed = 1): number {
  const keyspace = new Keyspace({ databases: 1, shards: 1 });
  const evictor = new Evictor(keyspace, policy);
  evictor.settings.random = seeded(seed);
  const db = keyspace.db(0);
  const names = new Map<number, string>();
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const id = keys[i];
    let key = names.get(id);
    if (key === undefined) names.set(id, (key = id.toString(36)));
    // One request per ms: LRU idle times and LFU decay (one step per 60000 requests) follow it.
    const now = i + 1;
    if (db.read(key, now) !== null) continue;
    misses++;
    db.set(key, 'v', now);
    while (db.size > capacity) if (!evictor.evictOne(now)) break;
  }
  return misses;
}

function run(policy: string, keys: Uint32Array, capacity: number): number {
  if (policy === 'opt') return belady(keys, capacity);
  if (policy === 'lru-exact') return exactLru(keys, capacity);
  if (policy === 'fifo') return fifo(keys, capacity);
  return runServerPolicy(policy, keys, capacity);
}

function distinct(keys: Uint32Array): number {
  return new Set(keys).size;
}

/** The simulator's synthetic traces (the ceiling study replays them by name with --synthetic). */
export function syntheticTraces(): Trace[] {
  const n = 1_000_000;
  return [
    zipf(0.8, 100_000, n, 1),
    zipf(1.0, 100_000, n, 2),
    zipf(1.2, 100_000, n, 3),
    hotSetWithScans(n, 4),
    loop(5000, 200_000),
    shiftingHotSet(n, 5),
    oneHitWonders(n, 6),
  ];
}

interface Row {
  trace: string;
  requests: number;
  distinct: number;
  size: number;
  capacity: number;
  missRatio: Record<string, number>;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const traces: Trace[] = [];
  if (o.synthetic) traces.push(...syntheticTraces());
  if (o.real) {
    for (const name of REAL_TRACES) {
      const file = `${TRACE_DIR}${name}.trace.xz`;
      if (existsSync(file)) traces.push(loadTrace(file, o.limit));
    }
  }
  for (const file of o.traces) traces.push(loadTrace(file, o.limit));
  const rows: Row[] = [];
  for (const trace of traces) {
    const keys = trace.keys.length > o.limit ? trace.keys.subarray(0, o.limit) : trace.keys;
    const d = distinct(keys);
    for (const size of o.sizes) {
      const capacity = Math.max(1, Math.round(d * size));
      const row: Row = { trace: trace.name, requests: keys.length, distinct: d, size, capacity, missRatio: {} };
      for (const policy of o.policies) row.missRatio[policy] = run(policy, keys, capacity) / keys.length;
      rows.push(row);
      if (!o.json) printRow(row, o.policies);
    }
  }
  if (o.json) console.log(JSON.stringify(rows, null, 2));
}

let headerPrinted = false;

function printRow(row: Row, policies: string[]): void {
  if (!headerPrinted) {
    console.log(`| trace | requests | distinct | cache | ${policies.join(' | ')} | best online | vs LRU | LRU-OPT gap closed |`);
    console.log(`|---|---:|---:|---:|${policies.map(() => '---:').join('|')}|---|---:|---:|`);
    headerPrinted = true;
  }
  const m = row.missRatio;
  const online = policies.filter((p) => p !== 'opt' && p !== 'lru-exact' && p !== 'fifo');
  const best = online.reduce((a, b) => (m[b] < m[a] ? b : a), online[0]);
  const lru = m['lru-exact'];
  const opt = m.opt;
  const reduction = lru === undefined ? '' : `${(((lru - m[best]) / lru) * 100).toFixed(1)}%`;
  const gap = lru === undefined || opt === undefined || lru === opt ? '' : `${(((lru - m[best]) / (lru - opt)) * 100).toFixed(0)}%`;
  const pct = `${(row.size * 100).toString()}% (${row.capacity})`;
  console.log(`| ${row.trace} | ${row.requests} | ${row.distinct} | ${pct} | ${policies.map((p) => m[p].toFixed(4)).join(' | ')} | ${best} | ${reduction} | ${gap} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
