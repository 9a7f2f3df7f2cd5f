// The engine's share of the cost of eviction, without the network: SETs of random keys through
// Database.set and the Evictor, as the server runs them (evicting after each command), with a
// limit against without one. The server's rate under redis-benchmark (cost.ts) adds parsing and
// replies, which do not change with eviction, so a change measured here shows there diluted.
//
//   node --import tsx benchmarks/eviction/engine-cost.ts [--rounds 5] [--sets 1000000]
//        [--prefill 400000] [--maxmemory 52428800] [--policies allkeys-lru,...] [--seed 1]
//        [--check] [--range 10000000] [--reads 0] [--ttl 0]
//
// --reads and --ttl make a share of the operations GETs and of the SETs carry a TTL (one to two
// hours), with --range the number of distinct keys: for --check runs that exercise access
// tracking and the volatile policies.
//
// Keys as redis-benchmark's `-r 10000000` makes them (key:000001234567), 100-byte values, one
// clock tick per 16 SETs (a -P 16 batch). --check prints per policy a hash of every key the
// database reports changed in the timed part, in order (the SETs and, between them, the evicted
// keys), and their count, for comparing decisions before and after a change (with a seeded
// random and a fixed key hash seed). Each configuration runs in a process of its own.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import type { KeyObserver } from '../../src/engine/database.js';
import { median } from '../lib/report.js';
import { seeded } from './traces.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    sets: { type: 'string', default: '1000000' },
    prefill: { type: 'string', default: '400000' },
    maxmemory: { type: 'string', default: String(50 * 1024 * 1024) },
    policies: { type: 'string', default: 'allkeys-lru,allkeys-lfu,allkeys-s3fifo,allkeys-sieve' },
    seed: { type: 'string', default: '1' },
    check: { type: 'boolean', default: false },
    range: { type: 'string', default: '10000000' },
    reads: { type: 'string', default: '0' },
    ttl: { type: 'string', default: '0' },
    child: { type: 'string' },
    round: { type: 'string', default: '0' },
  },
});

const VALUE = 'x'.repeat(100);

const RANGE = Number(values.range);
const READS = Number(values.reads);
const TTL_SHARE = Number(values.ttl);

function keyOf(r: () => number): string {
  return 'key:' + String(Math.floor(r() * RANGE)).padStart(12, '0');
}

/** Hashes the keys reported changed, in order (FNV-1a over their bytes): SETs and evictions. */
class EvictionHash implements KeyObserver {
  h = 0x811c9dc5;
  count = 0;
  keyModified(_db: unknown, key: string): void {
    if (key === '') return;
    for (let i = 0; i < key.length; i++) this.h = Math.imul(this.h ^ key.charCodeAt(i), 0x01000193);
    this.count++;
  }
}

{
  // The key hash's seed fixed, so that keys land in the same shards in every run: decisions
  // compare, and one source of run-to-run variance is gone.
  const fixed = (n: number): Buffer => Buffer.alloc(n, 0x5a);
  (crypto as { randomBytes: unknown }).randomBytes = fixed;
  syncBuiltinESMExports();
}
const { Keyspace } = await import('../../src/engine/keyspace.js');
const { Evictor } = await import('../../src/eviction/evictor.js');

function run(policy: string | null, round: number): { nsPerSet: number; evicted: number; hash: string } {
  const keyspace = new Keyspace({ databases: 16, shards: 64 });
  const evictor = new Evictor(keyspace, policy ?? 'noeviction');
  const seed = Number(values.seed) + round;
  if (values.check) evictor.settings.random = seeded(seed * 7919);
  evictor.maxmemory = policy === null ? 0 : Number(values.maxmemory);
  const db = keyspace.db(0);
  const r = seeded(seed);
  let now = 1_700_000_000_000;
  const sets = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if ((i & 15) === 0) now++;
      if (READS > 0 && r() < READS) {
        db.readRange(keyOf(r), now);
        continue;
      }
      db.set(keyOf(r), VALUE, now, TTL_SHARE > 0 && r() < TTL_SHARE ? now + 3_600_000 + Math.floor(r() * 3_600_000) : 0);
      if (evictor.maxmemory !== 0) evictor.performEvictions(now);
    }
  };
  sets(Number(values.prefill));
  const before = keyspace.stats.evictedKeys;
  let observer: EvictionHash | null = null;
  if (values.check) {
    // An observer makes the evictor build each victim's key; only when checking decisions.
    observer = new EvictionHash();
    db.observer = observer;
  }
  const n = Number(values.sets);
  // CPU time rather than wall time: on a shared machine the process may wait for a core.
  const t0 = process.cpuUsage();
  sets(n);
  const cpu = process.cpuUsage(t0);
  const ns = (cpu.user + cpu.system) * 1000;
  return {
    nsPerSet: ns / n,
    evicted: keyspace.stats.evictedKeys - before,
    hash: observer === null ? '' : (observer.h >>> 0).toString(16) + '/' + observer.count,
  };
}

if (values.child !== undefined) {
  // One configuration in a process of its own: a server runs one policy, so its call sites see
  // one score function; several policies in one process would make them polymorphic.
  const setup = values.child === 'none' ? null : values.child;
  const res = run(setup, Number(values.round));
  if (res.evicted === 0 && setup !== null) console.error(`warning: ${setup} evicted nothing`);
  console.log(JSON.stringify(res));
  process.exit(0);
}

const setups: (string | null)[] = [null, ...values.policies.split(',')];
const results = new Map<string | null, number[]>(setups.map((s) => [s, []]));
const hashes = new Map<string | null, string[]>(setups.map((s) => [s, []]));
const passOn = ['--sets', values.sets, '--range', values.range, '--reads', values.reads, '--ttl', values.ttl, '--prefill', values.prefill, '--maxmemory', values.maxmemory, '--seed', values.seed, ...(values.check ? ['--check'] : [])];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const setup of setups) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', setup ?? 'none', '--round', String(round), ...passOn], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const res = JSON.parse(out.trim().split('\n').pop() as string) as ReturnType<typeof run>;
    (results.get(setup) as number[]).push(res.nsPerSet);
    (hashes.get(setup) as string[]).push(res.hash);
  }
}

const base = median(results.get(null) as number[]);
console.log(`engine SET cost, ${values.sets} SETs after ${values.prefill}, ${values.rounds} rounds, ${new Date().toISOString()}`);
console.log('| configuration | median CPU ns/SET | runs | extra ns vs no limit |');
console.log('|---|---:|---|---:|');
for (const [setup, xs] of results) {
  const m = median(xs);
  console.log(`| ${setup ?? 'no limit'} | ${m.toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(', ')} | ${(m - base).toFixed(0)} |`);
  if (values.check) console.log(`  evictions hash: ${(hashes.get(setup) as string[]).join(' ')}`);
}
