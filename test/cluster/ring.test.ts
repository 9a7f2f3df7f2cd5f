import { expect } from 'chai';
import { SLOT_COUNT } from '../../src/cluster/crc16.js';
import { DEFAULT_VNODES, placeSlots, slotRuns } from '../../src/cluster/ring.js';

/** Address families a cluster is commonly given: local ports, private ips, host names. */
const FAMILIES: Record<string, (i: number) => string> = {
  'ports 7000+': (i) => `127.0.0.1:${7000 + i}`,
  'ports 30001+': (i) => `127.0.0.1:${30001 + i}`,
  'ports 6379+': (i) => `127.0.0.1:${6379 + i}`,
  '10.0.0.x:6379': (i) => `10.0.0.${i + 1}:6379`,
  '192.168.1.x:7000': (i) => `192.168.1.${10 + i}:7000`,
  'host names': (i) => `node${i + 1}:6379`,
};

function addresses(family: (i: number) => string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => family(i));
}

function slotCounts(owners: Uint16Array, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const owner of owners) counts[owner]++;
  return counts;
}

function ownerNames(members: string[]): string[] {
  const owners = placeSlots(members, DEFAULT_VNODES);
  return Array.from(owners, (owner) => members[owner]);
}

describe('cluster hash ring', () => {
  it('gives every node of 3 to 10 its fair share of slots within 5%', () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (let n = 3; n <= 10; n++) {
        const fair = SLOT_COUNT / n;
        const counts = slotCounts(placeSlots(addresses(family, n), DEFAULT_VNODES), n);
        expect(counts.reduce((a, b) => a + b)).to.equal(SLOT_COUNT);
        for (const count of counts) {
          expect(Math.abs(count - fair) / fair, `${name}, ${n} nodes: ${counts.join(' ')}`).to.be.at.most(0.05);
        }
      }
    }
  });

  it('computes the same map whatever the order of the list', () => {
    const members = addresses(FAMILIES['ports 7000+'], 5);
    const reversed = [...members].reverse();
    expect(ownerNames(reversed)).to.deep.equal(ownerNames(members));
  });

  it('adding a node moves only the slots it takes, about 1/(N+1) of them', () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (let n = 3; n <= 9; n++) {
        const before = ownerNames(addresses(family, n));
        const joined = family(n);
        const after = ownerNames(addresses(family, n + 1));
        let moved = 0;
        let movedElsewhere = 0;
        for (let slot = 0; slot < SLOT_COUNT; slot++) {
          if (before[slot] === after[slot]) continue;
          moved++;
          if (after[slot] !== joined) movedElsewhere++;
        }
        expect(movedElsewhere, `${name}: slots moved between old nodes`).to.equal(0);
        const share = moved / SLOT_COUNT;
        expect(share, `${name}, ${n}+1 nodes`).to.be.closeTo(1 / (n + 1), 0.05 / (n + 1));
      }
    }
  });

  it('removing a node moves only its own slots', () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (let n = 4; n <= 10; n++) {
        const members = addresses(family, n);
        const before = ownerNames(members);
        for (const leaving of [0, n >> 1]) {
          const after = ownerNames(members.filter((_, i) => i !== leaving));
          let othersMoved = 0;
          let ownMoved = 0;
          for (let slot = 0; slot < SLOT_COUNT; slot++) {
            if (before[slot] === members[leaving]) ownMoved++;
            else if (after[slot] !== before[slot]) othersMoved++;
          }
          expect(othersMoved, `${name}, ${n} nodes less ${members[leaving]}`).to.equal(0);
          expect(ownMoved).to.be.greaterThan(0);
        }
      }
    }
  });

  it('places every slot on the only node of a one-node cluster', () => {
    expect(slotRuns(placeSlots(['127.0.0.1:7000'], DEFAULT_VNODES))).to.deep.equal([[0, SLOT_COUNT - 1, 0]]);
  });

  it('splits runs of slots where the owner changes', () => {
    const owners = new Uint16Array(SLOT_COUNT);
    owners.fill(1, 100, 200);
    owners[5000] = 2;
    expect(slotRuns(owners)).to.deep.equal([
      [0, 99, 0],
      [100, 199, 1],
      [200, 4999, 0],
      [5000, 5000, 2],
      [5001, SLOT_COUNT - 1, 0],
    ]);
  });
});
