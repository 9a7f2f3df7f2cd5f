// The engine against a Map model, through Database and the evictor: random writes of every size
// class the record store treats differently (short and long headers, own slabs, keys of 64 KB),
// overwrites, deletes, lazy expiry, FLUSHDB, SWAPDB and evictions under every policy. Every key's
// value is read back byte for byte (as a string and as the byte range GET copies), and the byte
// and key counts must match the model's. The operations are seeded; slot layouts still differ
// between runs, since the key hash is seeded per process.

import { expect } from 'chai';
import { Keyspace } from '../../src/engine/keyspace.js';
import { Evictor } from '../../src/eviction/evictor.js';
import { seeded } from '../../benchmarks/eviction/traces.js';

const SIZES = [0, 1, 15, 16, 17, 32, 33, 64, 65, 200, 8192, 8193, 0xfffe, 0xffff, 70000];
const POLICIES = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'allkeys-sieve', 'allkeys-s3fifo', 'volatile-lru', 'volatile-ttl'];

function text(n: number, salt: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode((i * 13 + salt) & 0xff);
  return out;
}

describe('engine against a Map model (record store, expiry, eviction)', function () {
  this.timeout(60_000);

  for (const [seed, policy] of POLICIES.map((p, i) => [i + 1, p] as const)) {
    it(`seed ${seed}, ${policy}: every value byte-exact through writes, deletes, expiry, flush, swap and eviction`, () => {
      const random = seeded(seed);
      const pick = (n: number): number => Math.floor(random() * n);
      const ks = new Keyspace({ databases: 2, shards: 2 });
      const evictor = new Evictor(ks, policy);
      evictor.settings.random = seeded(seed + 100);
      const models = [new Map<string, { value: string; expireAt: number }>(), new Map<string, { value: string; expireAt: number }>()];
      let now = 1000;
      const check = (): void => {
        let bytes = 0;
        for (let d = 0; d < 2; d++) {
          const db = ks.db(d);
          for (const [key, { value, expireAt }] of [...models[d]]) {
            if (expireAt !== 0 && expireAt < now) {
              // Lapsed: the lookup reclaims it, as lazy expiry does.
              expect(db.exists(key, now)).to.equal(false);
              models[d].delete(key);
              continue;
            }
            const range = db.readRange(key, now);
            expect(range, `db ${d} key of ${key.length} B`).to.not.equal(null);
            const r = range as { buf: Buffer; start: number; end: number };
            expect(r.buf.toString('latin1', r.start, r.end) === value, `bytes of a ${value.length} B value`).to.equal(true);
            expect(db.read(key, now) === value).to.equal(true);
            bytes += key.length + value.length;
          }
          expect(db.size).to.equal(models[d].size);
        }
        expect(ks.stats.memory.dataBytes).to.equal(bytes);
      };
      for (let step = 0; step < 1500; step++) {
        const d = pick(2);
        const db = ks.db(d);
        const model = models[d];
        const key = pick(40) === 0 ? `long:${pick(3)}:${text(0x10000, seed)}` : `k${pick(300)}`;
        const op = pick(100);
        if (op < 55) {
          const value = text(pick(4) === 0 ? SIZES[pick(SIZES.length)] : pick(40), step);
          const ttl = policy.startsWith('volatile') || pick(5) === 0 ? now + 1 + pick(5000) : 0;
          db.set(key, value, now, ttl);
          model.set(key, { value, expireAt: ttl });
        } else if (op < 75) {
          const entry = model.get(key);
          const wasLive = entry !== undefined && (entry.expireAt === 0 || entry.expireAt >= now);
          expect(db.delete(key, now)).to.equal(wasLive);
          model.delete(key);
        } else if (op < 80) {
          now += pick(2000);
        } else if (op === 80) {
          db.flush();
          model.clear();
        } else if (op === 81) {
          ks.db(0).swapContents(ks.db(1));
          models.reverse();
        } else {
          db.read(key, now);
        }
        if (pick(10) === 0) {
          // Squeeze out about one key, as a write past maxmemory would.
          evictor.maxmemory = ks.stats.memory.used - 1;
          const before = [ks.db(0).size, ks.db(1).size];
          evictor.performEvictions(now);
          for (let i = 0; i < 2; i++) {
            if (ks.db(i).size === before[i]) continue;
            for (const [k] of [...models[i]]) if (!ks.db(i).exists(k, now)) models[i].delete(k);
          }
          evictor.maxmemory = 0;
        }
        if (step % 250 === 249) check();
      }
      check();
    });
  }
});
