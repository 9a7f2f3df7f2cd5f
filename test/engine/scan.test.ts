import { expect } from 'chai';
import fc from 'fast-check';
import { Database } from '../../src/engine/database.js';
import { parseScanCursor, scanKeys } from '../../src/engine/scan.js';
import { EngineStats } from '../../src/engine/stats.js';

/** A small deterministic PRNG, so a failing seed replays exactly. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('scanKeys', () => {
  it('visits every key once on a quiet database, count by count', () => {
    const db = new Database(0, 8, new EngineStats());
    for (let i = 0; i < 1000; i++) db.set(`k${i}`, 'v', 0);
    const seen: string[] = [];
    let cursor = 0n;
    let calls = 0;
    do {
      const batch = scanKeys(db, cursor, 7);
      expect(batch.keys.length).to.be.at.most(7);
      seen.push(...batch.keys);
      cursor = BigInt(batch.cursor);
      calls++;
    } while (cursor !== 0n);
    expect(seen.length).to.equal(1000);
    expect(new Set(seen).size).to.equal(1000);
    expect(calls).to.be.at.least(1000 / 7);
  });

  it('returns an empty last page for a cursor it never issued', () => {
    const db = new Database(0, 4, new EngineStats());
    db.set('a', '1', 0);
    expect(scanKeys(db, 2n ** 64n - 1n, 10)).to.deep.equal({ cursor: 0, keys: [] });
  });

  it('bounds the slots one call visits in a sparse region', () => {
    const db = new Database(0, 1, new EngineStats());
    for (let i = 0; i < 2000; i++) db.set(`k${i}`, 'v', 0);
    // Delete all but the last key from the front: the free slots stay below a live key.
    for (let i = 0; i < 1999; i++) db.delete(`k${i}`, 0);
    const batch = scanKeys(db, 0n, 5);
    expect(batch.keys).to.deep.equal([]);
    expect(batch.cursor).to.equal(50);
  });

  it('returns every key present for the whole iteration while keys come and go and shards grow and shrink', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 3 }), (seed, shardBits) => {
        const random = prng(seed);
        const db = new Database(0, 1 << shardBits, new EngineStats());
        const stable = new Set<string>();
        const transient: string[] = [];
        let serial = 0;
        const add = (keep: boolean): void => {
          const key = `key:${serial++}`;
          db.set(key, 'v', 0);
          if (keep) stable.add(key);
          else transient.push(key);
        };
        const initial = Math.floor(random() * 3000);
        for (let i = 0; i < initial; i++) add(random() < 0.05);
        const seen = new Set<string>();
        let cursor = 0n;
        for (let step = 0; step < 100_000; step++) {
          const batch = scanKeys(db, cursor, 1 + Math.floor(random() * 40));
          for (const key of batch.keys) seen.add(key);
          cursor = BigInt(batch.cursor);
          if (cursor === 0n) break;
          const action = random();
          if (action < 0.3) {
            for (let i = Math.floor(random() * 200); i > 0; i--) add(false);
          } else if (action < 0.9) {
            // Delete many transient keys at once: shards become mostly empty, or empty, and shrink.
            for (let i = Math.floor(random() * 400); i > 0 && transient.length > 0; i--) {
              const at = Math.floor(random() * transient.length);
              db.delete(transient[at], 0);
              transient[at] = transient[transient.length - 1];
              transient.pop();
            }
          } else {
            for (const key of transient) db.delete(key, 0);
            transient.length = 0;
          }
        }
        expect(cursor).to.equal(0n);
        for (const key of stable) expect(seen.has(key), key).to.equal(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('parseScanCursor (strtoul rules)', () => {
  it('reads what Redis accepts', () => {
    expect(parseScanCursor('0')).to.equal(0n);
    expect(parseScanCursor('')).to.equal(0n);
    expect(parseScanCursor('+0')).to.equal(0n);
    expect(parseScanCursor('-1')).to.equal(2n ** 64n - 1n);
    expect(parseScanCursor('18446744073709551615')).to.equal(2n ** 64n - 1n);
    expect(parseScanCursor('007')).to.equal(7n);
    expect(parseScanCursor('5\0junk')).to.equal(5n);
  });

  it('refuses what Redis answers `invalid cursor`', () => {
    for (const bad of ['x', ' 1', '1 ', '\t1', '18446744073709551616', '-', '+', '0x10', '1.5', '- 1']) {
      expect(parseScanCursor(bad), JSON.stringify(bad)).to.equal(null);
    }
  });
});
