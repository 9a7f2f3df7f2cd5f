import { expect } from 'chai';
import { FreeSlots } from '../../src/engine/free-slots.js';
import { NO_EXPIRE, Shard } from '../../src/engine/shard.js';

function filled(n: number): Shard {
  const shard = new Shard();
  for (let i = 0; i < n; i++) shard.insert(`k${i}`, `v${i}`, NO_EXPIRE, 0);
  return shard;
}

describe('Shard', () => {
  it('gives a key the same slot for its whole life', () => {
    const shard = filled(1000);
    const before = shard.slotOf('k500');
    for (let i = 0; i < 1000; i++) if (i !== 500) shard.remove(shard.slotOf(`k${i}`));
    for (let i = 0; i < 2000; i++) shard.insert(`n${i}`, 'x', NO_EXPIRE, 0);
    expect(shard.slotOf('k500')).to.equal(before);
    expect(shard.keyAt(before)).to.equal('k500');
  });

  it('starts over with small columns once emptied', () => {
    const shard = filled(5000);
    expect(shard.slotLimit).to.equal(5000);
    for (let i = 0; i < 5000; i++) shard.remove(shard.slotOf(`k${i}`));
    expect(shard.size).to.equal(0);
    expect(shard.slotLimit).to.equal(0);
    expect(shard.expireAt.length).to.be.at.most(8);
    expect(shard.bytes).to.equal(0);
  });

  it('cuts the free tail of a mostly empty shard, leaving live keys where they are', () => {
    const shard = filled(4000);
    for (let i = 3999; i >= 100; i--) shard.remove(shard.slotOf(`k${i}`));
    expect(shard.size).to.equal(100);
    expect(shard.slotLimit).to.equal(100);
    expect(shard.expireAt.length).to.be.below(4096);
    for (let i = 0; i < 100; i++) expect(shard.slotOf(`k${i}`)).to.equal(i);
  });

  it('lets the tail drain under churn once the key holding it goes, by refilling the lowest holes first', () => {
    const shard = filled(4000);
    // Live: every tenth key below 1000, and k3999 at the top, which blocks any cut for now.
    for (let i = 0; i < 3999; i++) if (i >= 1000 || i % 10 !== 0) shard.remove(shard.slotOf(`k${i}`));
    expect(shard.slotLimit).to.equal(4000);
    shard.remove(shard.slotOf('k3999'));
    const churn: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const key = `c${i}`;
      shard.insert(key, 'v', NO_EXPIRE, 0);
      churn.push(key);
      if (churn.length > 300) shard.remove(shard.slotOf(churn.shift() as string));
    }
    expect(shard.size).to.equal(400);
    expect(shard.slotLimit).to.be.at.most(1000);
    for (let i = 0; i < 1000; i += 10) expect(shard.slotOf(`k${i}`)).to.equal(i);
  });

  it('keeps expiry times past 2^53 ms exact', () => {
    const shard = filled(1);
    const max = 2n ** 63n - 1n;
    shard.setExpire(0, max);
    expect(shard.exactExpire(0)).to.equal(max);
    expect(shard.ttlCount).to.equal(1);
    shard.setExpire(0, 5000);
    expect(shard.exactExpire(0)).to.equal(5000);
    shard.setExpire(0, 123n);
    expect(shard.exactExpire(0)).to.equal(123);
    shard.clearExpire(0);
    expect(shard.exactExpire(0)).to.equal(NO_EXPIRE);
    expect(shard.ttlCount).to.equal(0);
  });

  it('keeps the dense TTL list consistent through removals and compaction', () => {
    const shard = new Shard();
    for (let i = 0; i < 3000; i++) shard.insert(`k${i}`, 'v', i % 3 === 0 ? 1000 + i : NO_EXPIRE, 0);
    for (let i = 0; i < 3000; i++) if (i % 2 === 0) shard.remove(shard.slotOf(`k${i}`));
    const listed = new Set(Array.from(shard.ttlSlots.subarray(0, shard.ttlCount)));
    const expected = new Set<number>();
    for (let slot = 0; slot < shard.slotLimit; slot++) {
      if (shard.isLive(slot) && shard.expireAt[slot] !== NO_EXPIRE) expected.add(slot);
    }
    expect(listed).to.deep.equal(expected);
    expect(shard.ttlCount).to.equal(500);
  });

  it('gives a key that takes a freed slot no TTL of the key that had it', () => {
    const shard = new Shard();
    const slot = shard.insert('a', 'v', 5000, 0);
    shard.insert('b', 'v', 6000, 0);
    shard.remove(slot);
    const reused = shard.insert('c', 'v', NO_EXPIRE, 0);
    expect(reused).to.equal(slot);
    expect(shard.expireAt[reused]).to.equal(NO_EXPIRE);
    expect(shard.exactExpire(reused)).to.equal(NO_EXPIRE);
    expect(shard.ttlCount).to.equal(1);
    // Also after the shard's last TTL key went (removal then skips the expireAt column).
    shard.remove(shard.slotOf('b'));
    const again = shard.insert('d', 'v', NO_EXPIRE, 0);
    expect(shard.expireAt[again]).to.equal(NO_EXPIRE);
    expect(shard.ttlCount).to.equal(0);
  });

  it('draws random slots among live keys only', () => {
    const shard = filled(600);
    for (let i = 0; i < 599; i++) shard.remove(shard.slotOf(`k${i}`));
    for (let i = 0; i < 50; i++) expect(shard.keyAt(shard.randomSlot())).to.equal('k599');
    expect(new Shard().randomSlot()).to.equal(-1);
  });

  it('removes keys by their slot alone, below and above the index size where the home bits suffice', () => {
    // 60k keys take the index past 2^16 entries: removals then hash the key again instead.
    for (const n of [1000, 60000]) {
      const shard = filled(n);
      for (let i = 0; i < n; i += 2) shard.remove(shard.slotOf(`k${i}`));
      for (let i = 0; i < n; i++) expect(shard.slotOf(`k${i}`) !== -1).to.equal(i % 2 === 1);
      for (let i = 1; i < n; i += 2) shard.remove(shard.slotOf(`k${i}`));
      expect(shard.size).to.equal(0);
      expect(shard.bytes).to.equal(0);
    }
  });

  it('keeps each slot\'s record, access time, encoding and eviction byte apart, through growth and shrinking', () => {
    const shard = new Shard();
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const slot = shard.insert(`k${i}`, `v${i}`, NO_EXPIRE, 1000 + i, (i % 3) as 0 | 1 | 2);
      shard.setMeta(slot, i & 255);
    }
    for (let i = 0; i < n; i += 3) shard.remove(shard.slotOf(`k${i}`));
    for (let i = n - 1; i >= n / 2; i--) if (i % 3 !== 0) shard.remove(shard.slotOf(`k${i}`));
    // Every key still present below `end` kept its own four fields.
    const expectFieldsBelow = (end: number): void => {
      for (let i = 1; i < end; i++) {
        if (i % 3 === 0) continue;
        const slot = shard.slotOf(`k${i}`);
        expect(shard.valueAt(slot)).to.equal(`v${i}`);
        expect(shard.accessedAt(slot)).to.equal(1000 + i);
        expect(shard.encodingOf(slot)).to.equal(i % 3);
        expect(shard.metaOf(slot)).to.equal(i & 255);
      }
    };
    expectFieldsBelow(n / 2);
    // Emptying the top of the slot range shrinks the columns, the fields with them (3000 keys
    // took 4096 slots).
    expect(shard.expireAt.length).to.equal(4096);
    for (let i = 700; i < n / 2; i++) if (i % 3 !== 0) shard.remove(shard.slotOf(`k${i}`));
    expect(shard.expireAt.length).to.be.below(4096);
    expectFieldsBelow(700);
    shard.clearMeta();
    for (const slot of shard.liveSlots()) expect(shard.metaOf(slot)).to.equal(0);
    // Removal by slot alone still finds each index entry after the shrink.
    for (let i = 1; i < 700; i++) if (i % 3 !== 0) shard.remove(shard.slotOf(`k${i}`));
    expect(shard.size).to.equal(0);
  });
});

describe('FreeSlots', () => {
  it('always hands out the lowest free slot, as a sorted set would', () => {
    const free = new FreeSlots();
    const model = new Set<number>();
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 6000; step++) {
      if (random(3) > 0) {
        const slot = random(70000);
        if (model.has(slot)) continue;
        model.add(slot);
        free.add(slot);
      } else {
        const lowest = model.size === 0 ? -1 : Math.min(...model);
        expect(free.takeLowest()).to.equal(lowest);
        model.delete(lowest);
      }
      expect(free.count).to.equal(model.size);
    }
  });
});
