// ByteStringMap and ByteStringSet behave as Map and Set for strings of any length: strings past
// V8's content-hashed length take another path inside, which must not show outside.

import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import { runCron } from '../../src/server/cron.js';
import { Session } from '../helpers/session.js';
import { ByteStringMap, ByteStringSet, LONGEST_CONTENT_HASHED } from '../../src/util/byte-string-map.js';

const LONG = LONGEST_CONTENT_HASHED + 1;

/** A string of `length` bytes that differs from its siblings of that length in the last byte only. */
function named(length: number, last: number): string {
  return 'k'.repeat(length - 1) + String.fromCharCode(last);
}

/** Puts every long string in one bucket, so that the exact comparisons within it are what counts. */
const COLLIDING = (): number => 0;

describe('ByteStringMap', () => {
  it('tells apart same-length long keys that differ only in their last byte', () => {
    const m = new ByteStringMap<number>();
    for (let b = 0; b < 256; b++) m.set(named(LONG, b), b);
    expect(m.size).to.equal(256);
    for (let b = 0; b < 256; b++) expect(m.get(named(LONG, b))).to.equal(b);
    expect(m.has(named(LONG, 0x41))).to.equal(true);
    // Same content as a stored key but one byte longer or shorter: absent.
    expect(m.get(named(LONG + 1, 0x41))).to.equal(undefined);
    expect(m.has('j'.repeat(LONG))).to.equal(false);
    expect(m.get(named(LONGEST_CONTENT_HASHED, 0x41))).to.equal(undefined);
  });

  it('keeps short and long keys at the boundary apart', () => {
    const m = new ByteStringMap<string>();
    const atLimit = 'x'.repeat(LONGEST_CONTENT_HASHED);
    const past = 'x'.repeat(LONG);
    m.set(atLimit, 'at').set(past, 'past').set('', 'empty');
    expect([m.get(atLimit), m.get(past), m.get(''), m.size]).to.deep.equal(['at', 'past', 'empty', 3]);
    expect(m.delete(atLimit)).to.equal(true);
    expect([m.get(atLimit), m.get(past), m.size]).to.deep.equal([undefined, 'past', 2]);
  });

  it('overwrites in place, deletes, re-adds at the end, and counts', () => {
    const m = new ByteStringMap<number>();
    const a = named(LONG, 0x61);
    const b = named(LONG, 0x62);
    m.set('s1', 1).set(a, 2).set('s2', 3).set(b, 4);
    m.set(a, 20);
    expect([...m]).to.deep.equal([['s1', 1], [a, 20], ['s2', 3], [b, 4]]);
    expect(m.delete(a)).to.equal(true);
    expect(m.delete(a)).to.equal(false);
    expect(m.delete('missing')).to.equal(false);
    expect(m.delete(named(LONG, 0x63))).to.equal(false);
    expect([m.size, m.get(a), m.has(a), m.get(b)]).to.deep.equal([3, undefined, false, 4]);
    m.set(a, 5);
    expect([...m.keys()]).to.deep.equal(['s1', 's2', b, a]);
    expect([...m.values()]).to.deep.equal([1, 3, 4, 5]);
    expect([...m.entries()]).to.deep.equal([['s1', 1], ['s2', 3], [b, 4], [a, 5]]);
    expect(m.size).to.equal(4);
  });

  it('iterates the same before, with and after long keys', () => {
    const m = new ByteStringMap<number>();
    m.set('a', 1).set('b', 2);
    expect([...m]).to.deep.equal([['a', 1], ['b', 2]]);
    const long = 'z'.repeat(70000);
    m.set(long, 3);
    expect([...m.keys()]).to.deep.equal(['a', 'b', long]);
    m.delete(long);
    expect([...m]).to.deep.equal([['a', 1], ['b', 2]]);
    m.clear();
    expect([m.size, [...m], m.get('a')]).to.deep.equal([0, [], undefined]);
  });

  it('clear forgets long keys too', () => {
    const m = new ByteStringMap<number>();
    const long = named(LONG, 1);
    m.set(long, 1);
    m.clear();
    expect([m.size, m.has(long), m.delete(long), [...m]]).to.deep.equal([0, false, false, []]);
    m.set(long, 2);
    expect([...m]).to.deep.equal([[long, 2]]);
  });

  it('keeps colliding long keys apart by their bytes', () => {
    const m = new ByteStringMap<number>(COLLIDING);
    for (let b = 0; b < 64; b++) m.set(named(LONG, b), b);
    m.set(named(LONG + 1, 0), 100);
    for (let b = 0; b < 64; b++) expect(m.get(named(LONG, b))).to.equal(b);
    expect([m.get(named(LONG, 64)), m.has(named(LONG, 64)), m.delete(named(LONG, 64))]).to.deep.equal([undefined, false, false]);
    expect(m.delete(named(LONG, 10))).to.equal(true);
    expect(m.delete(named(LONG, 0))).to.equal(true);
    expect(m.delete(named(LONG, 63))).to.equal(true);
    expect(m.size).to.equal(62);
    for (let b = 0; b < 64; b++) expect(m.get(named(LONG, b))).to.equal(b === 0 || b === 10 || b === 63 ? undefined : b);
    expect(m.get(named(LONG + 1, 0))).to.equal(100);
    m.set(named(LONG, 10), 10);
    expect([...m.keys()].at(-1)).to.equal(named(LONG, 10));
  });

  const hashes = [
    ['keyed hash', undefined],
    ['every long key colliding', COLLIDING],
  ] as const;
  for (const [title, hash] of hashes) {
    it(`agrees with a Map over a mixed sequence of operations (${title})`, () => {
      const mine = new ByteStringMap<number>(hash);
      const model = new Map<string, number>();
      const pool = ['', 'a', 'b', ...[0, 1, 2, 3].map((b) => named(LONG, b)), named(LONG + 5, 0), named(LONGEST_CONTENT_HASHED, 0)];
      let seed = 7;
      const next = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      for (let step = 0; step < 1000; step++) {
        const key = pool[next(pool.length)];
        if (next(3) === 0) expect(mine.delete(key)).to.equal(model.delete(key));
        else {
          mine.set(key, step);
          model.set(key, step);
        }
        expect(mine.get(key)).to.equal(model.get(key));
      }
      expect([...mine]).to.deep.equal([...model]);
      expect(mine.size).to.equal(model.size);
    });
  }
});

describe('ByteStringSet', () => {
  it('adds, finds, deletes and counts long and short members, in insertion order', () => {
    const s = new ByteStringSet();
    const a = named(LONG, 0);
    const b = named(LONG, 1);
    s.add('x').add(a).add(b).add(a).add('x').add('y');
    expect(s.size).to.equal(4);
    expect([...s]).to.deep.equal(['x', a, b, 'y']);
    expect([s.has(a), s.has(b), s.has(named(LONG, 2)), s.has('x'), s.has('z')]).to.deep.equal([true, true, false, true, false]);
    expect(s.delete(a)).to.equal(true);
    expect(s.delete(a)).to.equal(false);
    expect([s.size, s.has(a)]).to.deep.equal([3, false]);
    s.add(a);
    expect([...s.values()]).to.deep.equal(['x', b, 'y', a]);
    s.delete(b);
    s.delete(a);
    expect([...s]).to.deep.equal(['x', 'y']);
    s.clear();
    expect([s.size, [...s], s.has('x')]).to.deep.equal([0, [], false]);
  });

  const hashes = [
    ['keyed hash', undefined],
    ['every long member colliding', COLLIDING],
  ] as const;
  for (const [title, hash] of hashes) {
    it(`holds many same-length long members apart (${title})`, () => {
      const s = new ByteStringSet(hash);
      for (let b = 0; b < 256; b++) s.add(named(LONG, b));
      for (let b = 0; b < 256; b += 2) expect(s.delete(named(LONG, b))).to.equal(true);
      expect(s.size).to.equal(128);
      for (let b = 0; b < 256; b++) expect(s.has(named(LONG, b))).to.equal(b % 2 === 1);
    });
  }
});

describe('the long string kept with its hash', () => {
  it('is let go by the cron, not kept until the next long one is hashed', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    /** Bytes held outside the JS heap (a latin1 string this big is external), after full collections. */
    const external = (): number => {
      gc();
      gc();
      return process.memoryUsage().external;
    };
    const s = new Session();
    const MB = 1024 * 1024;
    const base = external();
    const m = new ByteStringMap<number>();
    let name: string | null = Buffer.alloc(64 * MB, 0x61).toString('latin1');
    m.set(name, 1);
    m.delete(name);
    name = null;
    // Gone from the map, and no longer referenced: only the hash cache holds it now.
    expect(external() - base).to.be.above(48 * MB);
    runCron(s.core);
    expect(external() - base).to.be.below(16 * MB);
  });
});
