import { expect } from 'chai';
import { hashKey } from '../../src/engine/key-hash.js';
import { KeyIndex, homeBits } from '../../src/engine/key-index.js';

/** A key index over a key column, checked after every step against a Map of the same keys. */
class Model {
  readonly index = new KeyIndex();
  readonly keys: (string | null)[] = [];
  readonly truth = new Map<string, number>();

  add(key: string, hash = hashKey(key)): void {
    let slot = this.keys.indexOf(null);
    if (slot === -1) slot = this.keys.push(null) - 1;
    this.keys[slot] = key;
    this.index.add(hash, slot);
    this.truth.set(key, slot);
  }

  remove(key: string, hash = hashKey(key)): void {
    const slot = this.truth.get(key) as number;
    this.index.remove(hash, slot);
    this.keys[slot] = null;
    this.truth.delete(key);
  }

  find(key: string, hash = hashKey(key)): number {
    return this.index.find({ keyEquals: (slot, k) => this.keys[slot] === k }, key, hash);
  }
}

describe('KeyIndex', () => {
  it('finds every key it holds and no other, through growth, churn and shrinking', () => {
    const m = new Model();
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 20000; step++) {
      // Grow to ~3000 keys, then mostly remove, so the table both grows and shrinks.
      const key = `k${rand(4000)}`;
      const removing = step > 12000 ? rand(10) < 8 : rand(10) < 3;
      if (m.truth.has(key)) {
        if (removing) m.remove(key);
      } else if (!removing) {
        m.add(key);
      }
      if (step % 500 === 0) {
        const found: number[] = [];
        const expected: number[] = [];
        for (let i = 0; i < 4000; i++) {
          found.push(m.find(`k${i}`));
          expected.push(m.truth.get(`k${i}`) ?? -1);
        }
        expect(found).to.deep.equal(expected);
      }
    }
    expect(m.index.size).to.equal(m.truth.size);
    for (const [key, slot] of m.truth) if (m.find(key) !== slot) expect.fail(`${key} not at ${slot}`);
  });

  it('tells apart keys whose hashes collide, and removes either without losing the other', () => {
    const m = new Model();
    // One hash for every key: the whole table is one probe run.
    for (let i = 0; i < 50; i++) m.add(`c${i}`, 42);
    for (let i = 0; i < 50; i++) expect(m.find(`c${i}`, 42)).to.equal(i);
    expect(m.find('c50', 42)).to.equal(-1);
    for (let i = 0; i < 50; i += 2) m.remove(`c${i}`, 42);
    for (let i = 0; i < 50; i++) expect(m.find(`c${i}`, 42)).to.equal(i % 2 === 0 ? -1 : i);
  });

  it('keeps runs that wrap around the end of the table reachable after a removal', () => {
    const m = new Model();
    // Hashes chosen to start their probes at the last entries of a small table.
    const hashes: number[] = [];
    for (let h = 0; hashes.length < 4; h++) if (Math.imul(h, 0x9e3779b1 | 0) >>> 29 === 7) hashes.push(h);
    hashes.forEach((h, i) => m.add(`w${i}`, h));
    m.remove('w0', hashes[0]);
    for (let i = 1; i < 4; i++) expect(m.find(`w${i}`, hashes[i])).to.equal(m.truth.get(`w${i}`));
    expect(m.find('w0', hashes[0])).to.equal(-1);
  });

  it('removeByHome() removes what remove() would, while the table has at most 2^16 entries', () => {
    const m = new Model();
    const hashes = new Map<string, number>();
    for (let i = 0; i < 40000; i++) {
      // Every eighth key shares one hash with its neighbour, so runs hold equal homes too.
      const hash = i % 8 === 1 ? (hashes.get(`h${i - 1}`) as number) : hashKey(`h${i}`);
      hashes.set(`h${i}`, hash);
      m.add(`h${i}`, hash);
    }
    expect(m.index.homeBitsSuffice).to.equal(true);
    for (let i = 0; i < 40000; i += 3) {
      const key = `h${i}`;
      const slot = m.truth.get(key) as number;
      m.index.removeByHome(homeBits(hashes.get(key) as number), slot);
      m.keys[slot] = null;
      m.truth.delete(key);
    }
    for (let i = 0; i < 40000; i++) {
      const key = `h${i}`;
      expect(m.find(key, hashes.get(key))).to.equal(i % 3 === 0 ? -1 : m.truth.get(key));
    }
    // Past 2^16 entries the home bits no longer hold the whole probe start.
    for (let i = 40000; i < 60000; i++) m.add(`h${i}`);
    expect(m.index.homeBitsSuffice).to.equal(false);
  });

  it('a removal whose start is not in the key\'s run fails instead of scanning on', () => {
    const m = new Model();
    for (let i = 0; i < 1000; i++) m.add(`k${i}`);
    const slot = m.truth.get('k7') as number;
    // Home bits of a hash whose probe start lies in another run than k7's.
    let other = 0;
    const startOf = (h: number): number => homeBits(h) >>> 5; // 2048 entries: 11 bits of start
    while (Math.abs(startOf(other) - startOf(hashKey('k7'))) < 64) other++;
    expect(() => m.index.removeByHome(homeBits(other), slot)).to.throw(`key index: slot ${slot} is not in the run its hash starts`);
    expect(() => m.index.remove(other, slot)).to.throw(`key index: slot ${slot} is not in the run its hash starts`);
    // The index is unchanged: the key is still found, and the right bits remove it.
    expect(m.find('k7')).to.equal(slot);
    m.index.removeByHome(homeBits(hashKey('k7')), slot);
    expect(m.find('k7')).to.equal(-1);
  });

  it('candidate() is the slot find() ends on whenever the first entry of that hash is the key', () => {
    const m = new Model();
    for (let i = 0; i < 500; i++) m.add(`k${i}`);
    for (let i = 0; i < 500; i++) expect(m.index.candidate(hashKey(`k${i}`))).to.equal(m.find(`k${i}`));
    expect(m.index.candidate(hashKey('absent'))).to.equal(-1);
    // Colliding hashes: the candidate is the first holder of the hash, whichever key is asked for.
    const c = new Model();
    for (let i = 0; i < 5; i++) c.add(`c${i}`, 42);
    expect(c.index.candidate(42)).to.equal(0);
    c.remove('c0', 42);
    expect([1, 2, 3, 4]).to.include(c.index.candidate(42));
  });

  it('is empty again after clear()', () => {
    const m = new Model();
    for (let i = 0; i < 100; i++) m.add(`k${i}`);
    m.index.clear();
    expect(m.index.size).to.equal(0);
    expect(m.find('k1')).to.equal(-1);
  });
});
