import { expect } from 'chai';
import { SLOT_COUNT } from '../../src/cluster/crc16.js';
import { BALANCE_TOLERANCE, DEFAULT_VNODES, evenOut, placeSlots, ringOwners, slotRuns } from '../../src/cluster/ring.js';

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

const placed = new Map<string, string[]>();

/** Each slot's owner address; memoized, as the tests below look at the same lists more than once. */
function ownerNames(members: string[], place = placeSlots): string[] {
  const key = `${place.name} ${members.join(',')}`;
  let names = placed.get(key);
  if (names === undefined) {
    const owners = place(members, DEFAULT_VNODES);
    names = Array.from(owners, (owner) => members[owner]);
    placed.set(key, names);
  }
  return names;
}

/** A seeded generator (LCG), so every run checks the same lists. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
}

/**
 * Address lists as they come: consecutive ports on one host, or unrelated hosts (ips and names)
 * on any port; `n` of them plus one spare to add.
 */
function randomLists(count: number, seed: number): string[][] {
  const pick = random(seed);
  const host = (): string => (pick(2) === 0 ? `${pick(256)}.${pick(256)}.${pick(256)}.${pick(256)}` : `cache-${pick(100000)}.example.net`);
  return Array.from({ length: count }, () => {
    const n = 3 + pick(8);
    if (pick(2) === 0) {
      const shared = host();
      const base = 1024 + pick(60000);
      return Array.from({ length: n + 1 }, (_, i) => `${shared}:${base + i}`);
    }
    return [...new Set(Array.from({ length: n + 1 }, () => `${host()}:${1 + pick(65535)}`))];
  });
}

/** Slots whose owner changed from one map to the other, apart from those that went to or came from `node`. */
function movedBetweenOthers(before: string[], after: string[], node: string): number {
  let moved = 0;
  for (let slot = 0; slot < SLOT_COUNT; slot++) if (before[slot] !== after[slot] && before[slot] !== node && after[slot] !== node) moved++;
  return moved;
}

function worstShareError(owners: string[], members: string[]): number {
  const fair = SLOT_COUNT / members.length;
  const counts = new Map(members.map((m) => [m, 0]));
  for (const owner of owners) counts.set(owner, (counts.get(owner) as number) + 1);
  return Math.max(...[...counts.values()].map((count) => Math.abs(count - fair) / fair));
}

describe('cluster hash ring', () => {
  // One set of random lists for the balance and movement checks below (N = 3..10 each).
  const LISTS = randomLists(150, 20260601);

  it('gives every node of 3 to 10 its fair share of slots within 5%, for the common address families', () => {
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

  it('gives every node its fair share within 5% for random address lists of 3 to 10 nodes, and within the tolerance it evens out to', () => {
    let worst = 0;
    let ringWorst = 0;
    for (const list of LISTS) {
      const members = list.slice(0, -1);
      const error = worstShareError(ownerNames(members), members);
      expect(error, members.join(',')).to.be.at.most(0.05);
      // The tolerance is met but for rounding to whole slots.
      expect(error * (SLOT_COUNT / members.length), members.join(',')).to.be.at.most(BALANCE_TOLERANCE * (SLOT_COUNT / members.length) + 1);
      worst = Math.max(worst, error);
      ringWorst = Math.max(ringWorst, worstShareError(ownerNames(members, ringOwners), members));
    }
    // Why the ring is evened out at all: on its own it strays past 5% for some of these lists.
    expect(ringWorst).to.be.above(0.05);
    expect(worst).to.be.at.most(0.05);
  });

  it('computes the same map whatever the order of the list', () => {
    for (const list of LISTS.slice(0, 10)) {
      const shuffled = [...list].reverse();
      shuffled.push(shuffled.shift() as string);
      expect(ownerNames(shuffled)).to.deep.equal(ownerNames(list));
    }
  });

  it('adding a node gives it about 1/(N+1) of the slots, and nearly always nothing else', () => {
    let between = 0;
    let listsMovingOthers = 0;
    for (const list of LISTS) {
      const n = list.length - 1;
      const joined = list[n];
      const before = ownerNames(list.slice(0, n));
      const after = ownerNames(list);
      expect(worstShareError(after, list), list.join(',')).to.be.at.most(0.05);
      const taken = after.filter((owner, slot) => owner === joined && before[slot] !== joined).length;
      expect(taken / SLOT_COUNT, `${n}+1 nodes`).to.be.closeTo(1 / (n + 1), 0.05 / (n + 1));
      const others = movedBetweenOthers(before, after, joined);
      // Only the evening-out step moves slots between the old nodes: a few, at run boundaries.
      // Only the evening-out step moves slots between the old nodes: a few, at run boundaries,
      // and only when the ring alone leaves a node past 5% (rarely for 3 or 4 nodes).
      expect(others / SLOT_COUNT, `${n}+1 nodes: ${others} slots moved between old nodes`).to.be.at.most(0.002);
      if (n <= 4) expect(others, `${n}+1 nodes: ${list.join(',')}`).to.equal(0);
      between += others;
      if (others > 0) listsMovingOthers++;
    }
    expect(listsMovingOthers / LISTS.length, 'share of joins that move any slot between old nodes').to.be.at.most(0.15);
    expect(between / LISTS.length / SLOT_COUNT, 'slots moved between old nodes, on average').to.be.at.most(0.0001);
  });

  it('removing a node moves its own slots, and nearly always nothing else', () => {
    let between = 0;
    let listsMovingOthers = 0;
    for (const list of LISTS) {
      const leaving = list[list.length >> 1];
      const before = ownerNames(list);
      const remaining = list.filter((address) => address !== leaving);
      const after = ownerNames(remaining);
      expect(after).not.to.include(leaving);
      expect(worstShareError(after, remaining), remaining.join(',')).to.be.at.most(0.05);
      const others = movedBetweenOthers(before, after, leaving);
      expect(others / SLOT_COUNT, `${list.length} nodes less one: ${others} other slots moved`).to.be.at.most(0.002);
      if (list.length <= 5) expect(others, `${list.length}-1 nodes: ${list.join(',')}`).to.equal(0);
      between += others;
      if (others > 0) listsMovingOthers++;
    }
    expect(listsMovingOthers / LISTS.length, 'share of leaves that move any slot between the others').to.be.at.most(0.15);
    expect(between / LISTS.length / SLOT_COUNT).to.be.at.most(0.0001);
  });

  it('the ring alone moves only the joining or leaving node’s slots', () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (const n of [3, 6, 9]) {
        const members = addresses(family, n + 1);
        const withNew = ownerNames(members, ringOwners);
        const without = ownerNames(members.slice(0, n), ringOwners);
        expect(movedBetweenOthers(without, withNew, members[n]), `${name}, ${n}+1`).to.equal(0);
        const lessFirst = ownerNames(members.slice(1), ringOwners);
        expect(movedBetweenOthers(withNew, lessFirst, members[0]), `${name}, ${n + 1}-1`).to.equal(0);
      }
    }
  });

  it('evening out moves run boundaries until every node is within the tolerance', () => {
    // Node 0 holds 10000 slots in one run, node 1 the rest: 0 gives its boundary slots to 1.
    const owners = new Uint16Array(SLOT_COUNT);
    owners.fill(1, 10000);
    evenOut(owners, 2, 0.01);
    const counts = slotCounts(owners, 2);
    expect(counts).to.deep.equal([Math.ceil(8192 * 1.01), SLOT_COUNT - Math.ceil(8192 * 1.01)]);
    expect(slotRuns(owners).length).to.be.at.most(3);
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
