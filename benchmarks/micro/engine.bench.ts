// The engine without sockets: Database set/read on a million keys of 16 bytes with 32-byte
// values, with and without a TTL, against a bare Map<string, string> (the floor any engine built
// on V8's Map pays). Keys and values are flat latin1 strings cut from a Buffer, as the request
// parser produces them. Memory per key is measured when node runs with --expose-gc.

import { Database } from '../../src/engine/database.js';
import { EngineStats } from '../../src/engine/stats.js';
import { measure, measureOnce, type MicroOptions, type MicroResult } from './harness.js';

const NOW = 1_700_000_000_000;
const TTL_AT = NOW + 3_600_000;

interface Data {
  keys: string[];
  values: string[];
  absent: string[];
  /** A random visiting order, so reads do not walk the tables in insertion order. */
  order: Int32Array;
}

function latin1Buffer(count: number, make: (i: number) => string): Buffer {
  return Buffer.from(Array.from({ length: count }, (_, i) => make(i)).join(''), 'latin1');
}

function latin1Strings(count: number, size: number, make: (i: number) => string): string[] {
  const buf = latin1Buffer(count, make);
  return Array.from({ length: count }, (_, i) => buf.toString('latin1', i * size, (i + 1) * size));
}

const keyText = (i: number): string => `key:${String(i).padStart(12, '0')}`;
const valueText = (i: number): string => `${'v'.repeat(20)}${String(i).padStart(12, '0')}`;

function makeData(count: number): Data {
  const keys = latin1Strings(count, 16, keyText);
  const values = latin1Strings(count, 32, valueText);
  const absent = latin1Strings(count, 16, (i) => `nok:${String(i).padStart(12, '0')}`);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return { keys, values, absent, order };
}

/** Results are summed here so the optimiser cannot drop lookups whose result goes unused. */
export let sink = 0;

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap plus off-heap (typed arrays) bytes after a full GC, or NaN without --expose-gc. */
function retainedBytes(): number {
  if (gc === undefined) return NaN;
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export interface EngineReport {
  results: { name: string; ours: MicroResult; baseline: MicroResult | null }[];
  bytesPerKey: { name: string; bytes: number }[];
}

export function engineBenchmarks(count: number, options: MicroOptions): EngineReport {
  const data = makeData(count);
  const { keys, values, absent, order } = data;
  const results: EngineReport['results'] = [];
  const bytesPerKey: EngineReport['bytesPerKey'] = [];

  const fillDb = (shards: number, expireAt: number): Database => {
    const db = new Database(0, shards, new EngineStats());
    for (let i = 0; i < count; i++) db.set(keys[i], values[i], NOW, expireAt);
    return db;
  };
  const fillMap = (): Map<string, string> => {
    const map = new Map<string, string>();
    for (let i = 0; i < count; i++) map.set(keys[i], values[i]);
    return map;
  };
  const bestOf3 = (name: string, run: () => unknown): MicroResult => {
    const runs = [0, 1, 2].map(() => measureOnce(name, () => (run(), { ops: count })));
    return runs.sort((a, b) => a.opsPerSec - b.opsPerSec)[1];
  };

  for (const [label, expireAt] of [['fill (set new keys)', 0], ['fill with TTL (set new keys, EX)', TTL_AT]] as const) {
    results.push({
      name: `${label}, 64 shards`,
      ours: bestOf3('Database', () => fillDb(64, expireAt)),
      baseline: expireAt === 0 ? bestOf3('Map', fillMap) : null,
    });
  }
  results.push({ name: 'fill (set new keys), 1 shard', ours: bestOf3('Database', () => fillDb(1, 0)), baseline: null });

  for (const [label, expireAt] of [['', 0], [' (keys with TTL)', TTL_AT]] as const) {
    const db = fillDb(64, expireAt);
    const map = fillMap();
    const slice = Math.min(count, 100_000);
    let cursor = 0;
    const next = (): number => {
      const start = cursor;
      cursor = (cursor + slice) % (count - slice + 1);
      return start;
    };
    const hit = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += db.read(keys[order[i]], NOW)?.length ?? 0;
      return { ops: slice };
    };
    const mapHit = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += map.get(keys[order[i]])?.length ?? 0;
      return { ops: slice };
    };
    const miss = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += db.read(absent[order[i]], NOW)?.length ?? 1;
      return { ops: slice };
    };
    const mapMiss = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += map.get(absent[order[i]])?.length ?? 1;
      return { ops: slice };
    };
    const overwrite = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) db.set(keys[order[i]], values[i], NOW, expireAt);
      return { ops: slice };
    };
    const mapOverwrite = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) map.set(keys[order[i]], values[i]);
      return { ops: slice };
    };
    results.push({ name: `read hit${label}`, ours: measure('Database', hit, options), baseline: measure('Map', mapHit, options) });
    results.push({ name: `read miss${label}`, ours: measure('Database', miss, options), baseline: measure('Map', mapMiss, options) });
    results.push({ name: `set existing${label}`, ours: measure('Database', overwrite, options), baseline: measure('Map', mapOverwrite, options) });
    if (expireAt !== 0) continue;
    // As the server sees them: every request brings a new string, whose V8 hash is not yet
    // computed (the cases above reuse strings, so a Map gets their cached hash for free).
    const keyBuf = latin1Buffer(count, keyText) as Buffer & { latin1Slice(start: number, end: number): string };
    const fresh = (i: number): string => keyBuf.latin1Slice(i * 16, (i + 1) * 16);
    const freshHit = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += db.read(fresh(order[i]), NOW)?.length ?? 0;
      return { ops: slice };
    };
    const mapFreshHit = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) sink += map.get(fresh(order[i]))?.length ?? 0;
      return { ops: slice };
    };
    results.push({ name: 'read hit, fresh key strings', ours: measure('Database', freshHit, options), baseline: measure('Map', mapFreshHit, options) });
    // What GET does: the value's bytes for the reply to copy, no value string made.
    const freshRange = (): { ops: number } => {
      const s = next();
      for (let i = s; i < s + slice; i++) {
        const range = db.readRange(fresh(order[i]), NOW);
        sink += range === null ? 0 : range.end - range.start;
      }
      return { ops: slice };
    };
    results.push({ name: 'read hit, fresh key strings, value bytes (GET)', ours: measure('Database', freshRange, options), baseline: measure('Map', mapFreshHit, options) });
  }

  if (gc !== undefined) {
    const holders: unknown[] = [];
    const per = (name: string, build: () => unknown): void => {
      const before = retainedBytes();
      holders.push(build());
      bytesPerKey.push({ name, bytes: (retainedBytes() - before) / count });
      holders.pop();
    };
    // Fresh flat strings for every key and value, as every SET brings its own from the parser.
    const keyBuf = latin1Buffer(count, keyText);
    const valueBuf = latin1Buffer(count, valueText);
    const key = (i: number): string => keyBuf.toString('latin1', i * 16, (i + 1) * 16);
    const value = (i: number): string => valueBuf.toString('latin1', i * 32, (i + 1) * 32);
    per('Database, 64 shards, no TTL', () => {
      const db = new Database(0, 64, new EngineStats());
      for (let i = 0; i < count; i++) db.set(key(i), value(i), NOW);
      return db;
    });
    per('Database, 64 shards, TTL on every key', () => {
      const db = new Database(0, 64, new EngineStats());
      for (let i = 0; i < count; i++) db.set(key(i), value(i), NOW, TTL_AT);
      return db;
    });
    per('Map<string, string>', () => {
      const map = new Map<string, string>();
      for (let i = 0; i < count; i++) map.set(key(i), value(i));
      return map;
    });
  }
  return { results, bytesPerKey };
}
