// Measures what one key costs in memory beyond its key and value bytes (V8 heap plus the record
// slabs and typed-array columns outside it), to calibrate the per-key constant of the memory
// account (src/eviction/memory-account.ts).
//
// Run: node --expose-gc --import tsx benchmarks/eviction/measure-key-overhead.ts [keys] [valueBytes]
// Method: fill one Database (64 shards, as the server's default) with N distinct keys of 16
// bytes and values of `valueBytes` bytes built as flat latin1 strings (what the protocol parser
// hands the engine), force GC before and after, and divide the delta of heapUsed + arrayBuffers
// (slabs and columns are ArrayBuffers, outside the heap) by N.

import { Database } from '../../src/engine/database.js';
import { EngineStats } from '../../src/engine/stats.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const count = Number(process.argv[2] ?? 1_000_000);
const valueBytes = Number(process.argv[3] ?? 32);
const withTtl = process.argv[4] === 'ttl';

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

gc();
gc();
const before = used();
const db = new Database(0, 64, new EngineStats());
let payload = 0;
const now = Date.now();
for (let i = 0; i < count; i++) {
  const key = flat(`key:${String(i).padStart(12, '0')}`);
  const value = flat(String(i).padStart(valueBytes, 'x'));
  payload += key.length + value.length;
  db.set(key, value, now, withTtl ? now + 3_600_000 : 0);
}
gc();
gc();
const after = used();
const perKey = (after - before) / count;
console.log(
  JSON.stringify({ keys: db.size, valueBytes, withTtl, heapPerKey: Math.round(perKey), payloadPerKey: payload / count, overheadPerKey: Math.round(perKey - payload / count) }),
);
