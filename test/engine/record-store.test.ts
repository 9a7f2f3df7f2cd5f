import { expect } from 'chai';
import { NO_EXPIRE, Shard } from '../../src/engine/shard.js';
import { recordSize } from '../../src/engine/record-store.js';

/** Seeded LCG, so a failing sequence can be replayed. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

/** A latin1 string of n bytes covering every byte value, NUL and 0xff included. */
function bytes(n: number, salt: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode((i * 31 + salt) & 0xff);
  return out;
}

/** Every stored key and value read back through each accessor, checked against a Map. */
function expectSame(shard: Shard, truth: Map<string, string>): void {
  expect(shard.size).to.equal(truth.size);
  let bytesStored = 0;
  for (const [key, value] of truth) {
    const slot = shard.slotOf(key);
    expect(slot, `slot of ${JSON.stringify(key.slice(0, 20))}`).to.not.equal(-1);
    expect(shard.keyAt(slot)).to.equal(key);
    expect(shard.valueAt(slot)).to.equal(value);
    expect(shard.valueLength(slot)).to.equal(value.length);
    bytesStored += key.length + value.length;
  }
  expect(shard.bytes).to.equal(bytesStored);
  expect([...shard.liveKeys()].sort()).to.deep.equal([...truth.keys()].sort());
}

describe('RecordStore (keys and values in slabs)', () => {
  it('sizes records with the short header below 0xffff bytes and the long one from there', () => {
    expect(recordSize(16, 32)).to.equal(52);
    expect(recordSize(1, 0)).to.equal(8);
    expect(recordSize(0, 0)).to.equal(4);
    expect(recordSize(10, 0xfffe)).to.equal((4 + 10 + 0xfffe + 3) & ~3);
    expect(recordSize(10, 0xffff)).to.equal((12 + 10 + 0xffff + 3) & ~3);
    expect(recordSize(0x10000, 1)).to.equal(12 + 0x10000 + 4);
  });

  it('keeps every key and value exact through inserts, rewrites of every size and removals', () => {
    const next = rng(42);
    const shard = new Shard();
    const truth = new Map<string, string>();
    // Sizes around every boundary: tiny, the 16-byte JS copy, slab-sized, own-slab, long header.
    const sizes = [0, 1, 3, 4, 15, 16, 17, 31, 32, 33, 100, 1000, 8191, 8192, 9000, 65534, 65535, 70000];
    for (let step = 0; step < 6000; step++) {
      const key = `key:${next(700)}` + (next(50) === 0 ? bytes(next(300), step) : '');
      const op = next(10);
      const slot = shard.slotOf(key);
      if (op < 3 && slot !== -1) {
        shard.remove(slot);
        truth.delete(key);
      } else {
        const value = bytes(next(8) === 0 ? sizes[next(sizes.length)] : next(64), step);
        if (slot === -1) shard.insert(key, value, NO_EXPIRE, 0);
        else shard.replaceValue(slot, value);
        truth.set(key, value);
      }
      if (step % 1000 === 999) expectSame(shard, truth);
    }
    expectSame(shard, truth);
  });

  it('gives slabs back as keys go, moving survivors without changing their slots', () => {
    const shard = new Shard();
    const n = 20000;
    for (let i = 0; i < n; i++) shard.insert(`k${i}`, bytes(40, i), NO_EXPIRE, 0);
    const full = shard.slabBytes;
    expect(full).to.be.at.least(n * recordSize(6, 40));
    const slots = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (i % 10 === 0) slots.set(`k${i}`, shard.slotOf(`k${i}`));
      else shard.remove(shard.slotOf(`k${i}`));
    }
    // A tenth of the records are live: compaction must have given back most of the slabs.
    expect(shard.slabBytes).to.be.below(full / 4);
    for (const [key, slot] of slots) {
      expect(shard.slotOf(key)).to.equal(slot);
      expect(shard.valueAt(slot)).to.equal(bytes(40, Number(key.slice(1))));
    }
    for (const key of slots.keys()) shard.remove(shard.slotOf(key));
    expect(shard.size).to.equal(0);
    expect(shard.slabBytes).to.be.at.most(64 * 1024);
  });

  it('puts new records of a freed size into the holes, so churn of like-sized keys needs no new slab', () => {
    const shard = new Shard();
    for (let i = 0; i < 5000; i++) shard.insert(`key:${String(i).padStart(12, '0')}`, bytes(100, i), NO_EXPIRE, 0);
    const full = shard.slabBytes;
    const next = rng(9);
    const truth = new Map<string, string>();
    for (let i = 0; i < 5000; i++) truth.set(`key:${String(i).padStart(12, '0')}`, bytes(100, i));
    // A cache at its limit: every new key comes with the removal of a random old one.
    for (let i = 5000; i < 50000; i++) {
      const victim = [...truth.keys()][next(truth.size)];
      shard.remove(shard.slotOf(victim));
      truth.delete(victim);
      const key = `key:${String(i).padStart(12, '0')}`;
      shard.insert(key, bytes(100, i), NO_EXPIRE, 0);
      truth.set(key, bytes(100, i));
    }
    expect(shard.slabBytes).to.be.at.most(full);
    // Only the first small slabs (a few records each) may fall under the threshold and move.
    expect(shard.recordsMoved).to.be.below(50);
    expectSame(shard, truth);
  });

  it('moves survivors out of a slab whose holes nothing reuses, never into those holes', () => {
    const shard = new Shard();
    const truth = new Map<string, string>();
    // Records of one size, then most of them removed while only records of other sizes arrive:
    // the holes stay empty, the slabs fall under the threshold and are compacted.
    for (let i = 0; i < 4000; i++) {
      shard.insert(`a${i}`, bytes(60, i), NO_EXPIRE, 0);
      truth.set(`a${i}`, bytes(60, i));
    }
    const next = rng(5);
    for (let i = 0; i < 4000; i++) {
      if (next(4) !== 0) {
        shard.remove(shard.slotOf(`a${i}`));
        truth.delete(`a${i}`);
      }
      shard.insert(`b${i}`, bytes(10 + (i % 7), i), NO_EXPIRE, 0);
      truth.set(`b${i}`, bytes(10 + (i % 7), i));
    }
    expect(shard.recordsMoved).to.be.above(0);
    expectSame(shard, truth);
  });

  it('rewrites a value of the same rounded size in place and moves a longer one', () => {
    const shard = new Shard();
    const slot = shard.insert('k', 'abcd', NO_EXPIRE, 0);
    const before = shard.refOf(slot);
    shard.replaceValue(slot, 'wxyz');
    expect(shard.refOf(slot)).to.equal(before);
    expect(shard.valueAt(slot)).to.equal('wxyz');
    shard.replaceValue(slot, 'a much longer value than before');
    expect(shard.refOf(slot)).to.not.equal(before);
    expect(shard.valueAt(slot)).to.equal('a much longer value than before');
    expect(shard.keyAt(slot)).to.equal('k');
  });

  it('rewrites the value of a key of 64 KB or more (long header) exactly, at the same rounded size too', () => {
    const shard = new Shard();
    const key = bytes(0x10000, 3);
    const slot = shard.insert(key, 'abcde', NO_EXPIRE, 0);
    shard.replaceValue(slot, 'abcdef');
    expect(shard.valueLength(slot)).to.equal(6);
    expect(shard.valueAt(slot)).to.equal('abcdef');
    expect(shard.keyAt(slot)).to.equal(key);
    expect(shard.bytes).to.equal(0x10000 + 6);
    shard.replaceValue(slot, 'xy');
    expect(shard.valueAt(slot)).to.equal('xy');
    shard.remove(slot);
    expect(shard.bytes).to.equal(0);
  });

  it('finds keys that differ only in their last byte, or only in length', () => {
    const shard = new Shard();
    shard.insert('abc\x00', '1', NO_EXPIRE, 0);
    shard.insert('abc\xff', '2', NO_EXPIRE, 0);
    shard.insert('abc', '3', NO_EXPIRE, 0);
    expect(shard.valueAt(shard.slotOf('abc\x00'))).to.equal('1');
    expect(shard.valueAt(shard.slotOf('abc\xff'))).to.equal('2');
    expect(shard.valueAt(shard.slotOf('abc'))).to.equal('3');
    expect(shard.slotOf('ab')).to.equal(-1);
    expect(shard.slotOf('abc\x01')).to.equal(-1);
  });
});
