// The consistent-hash ring that places the 16384 slots on nodes. Each node puts `vnodes` points
// on a 32-bit ring, at hashes of its address; slot s sits at the middle of the s-th of 16384
// equal arcs and belongs to the first node point at or after it, clockwise.
//
// Why a ring: adding a node only moves the slots whose nearest point is now one of the new
// node's (about 1/(N+1) of them), and removing one only moves that node's own slots, since every
// other point stays where it was. Why so many points: a node's share of the ring is the sum of
// its arcs, which evens out like 1/sqrt(vnodes).
//
// Why the ring is then evened out: its slot counts cannot be evener than about
// 1/sqrt(slots per node), whatever the number of points, since each slot is one sample of the
// arcs (2.3% for 10 nodes, so some address lists put a node 5% off). A last step moves slots
// across run boundaries until every node is within BALANCE_TOLERANCE of its fair share. Those
// few slots are the only ones that may move between the old nodes when one joins or leaves. The
// tolerance sits just inside 5%, not lower, so that the step acts only on the lists the ring
// leaves past it: for 3 or 4 nodes about one list in a hundred, for 10 about one in four, and
// then for a handful of slots; every other join or leave moves exactly the ring's slots.
//
// The map depends only on the set of addresses, never on their order or on which node computes
// it, so every node given the same list serves the same slot map.

import { SLOT_COUNT } from './crc16.js';

/**
 * Points per node: past this, more points no longer even out 3 to 10 nodes' slot counts (the
 * per-slot sampling above dominates), and placement gets slower.
 */
export const DEFAULT_VNODES = 4096;
/**
 * How far from its fair share the ring may leave a node before placement evens it out. The ring
 * alone cannot do better than about 1/sqrt(slots per node) (each slot is one sample of the
 * arcs), which is 2.3% for 10 nodes and so past 5% for some address lists. Any lower than the
 * 5% promised, and evening out would move slots between old nodes on most joins.
 */
export const BALANCE_TOLERANCE = 0.049;
/** Up to 100 nodes need two passes; a map with few long runs, as many as the step needs to double to a run's length. */
const MAX_EVEN_OUT_PASSES = 32;
/** No owner (only for an empty ring). */
export const NO_OWNER = 0xffff;

const SLOT_ARC = 2 ** 32 / SLOT_COUNT;
/** Ring points carry their node's rank below the hash, so ties break the same way everywhere. */
const RANK_SPAN = 2 ** 16;
/** One slot's arc in point units (a power of two, so the division below is exact). */
const POINT_ARC = SLOT_ARC * RANK_SPAN;

/**
 * The owner of every slot, as an index into `members` (node addresses such as `10.0.0.1:7000`):
 * the ring's placement, evened out. At most 65535 members.
 */
export function placeSlots(members: readonly string[], vnodes: number): Uint16Array {
  const owners = ringOwners(members, vnodes);
  if (members.length > 0) evenOut(owners, members.length, BALANCE_TOLERANCE);
  return owners;
}

/** The ring's own placement, before evening out. */
export function ringOwners(members: readonly string[], vnodes: number): Uint16Array {
  const owners = new Uint16Array(SLOT_COUNT).fill(NO_OWNER);
  if (members.length === 0) return owners;
  if (members.length >= RANK_SPAN - 1) throw new RangeError('too many cluster nodes');
  const byAddress = members.map((_, i) => i).sort((a, b) => (members[a] < members[b] ? -1 : members[a] > members[b] ? 1 : a - b));
  // No sort of the points: a slot's owner is the smallest point in its own arc (from its
  // position to the next slot's), or else the next slot's owner; points before slot 0's
  // position, or failing them the smallest of all, serve the last slots round the ring.
  // That keeps placement linear in the number of points, so many points per node stay cheap.
  const firstInArc = new Float64Array(SLOT_COUNT).fill(Infinity);
  let beforeFirstSlot = Infinity;
  let smallest = Infinity;
  byAddress.forEach((member, rank) => {
    const prefix = fnvUpdate(FNV_OFFSET, `${members[member]}#`);
    const digits = new DecimalCounter();
    for (let v = 0; v < vnodes; v++, digits.increment()) {
      const point = mix(digits.hash(prefix)) * RANK_SPAN + rank;
      if (point < smallest) smallest = point;
      const arc = Math.floor(point / POINT_ARC - 0.5);
      if (arc < 0) {
        if (point < beforeFirstSlot) beforeFirstSlot = point;
      } else if (point < firstInArc[arc]) {
        firstInArc[arc] = point;
      }
    }
  });
  let owner = beforeFirstSlot !== Infinity ? beforeFirstSlot : smallest;
  for (let slot = SLOT_COUNT - 1; slot >= 0; slot--) {
    if (firstInArc[slot] !== Infinity) owner = firstInArc[slot];
    owners[slot] = byAddress[owner % RANK_SPAN];
  }
  return owners;
}

/**
 * Moves the boundaries between runs of slots, one slot at a time, until every node owns its fair
 * share within `tolerance`: a node above the band gives the slot at a boundary to the neighbour
 * there if that one has room, a node below it takes one from a neighbour that can spare it.
 * The decisions read only the owners and their counts, so they too depend on the set alone.
 */
export function evenOut(owners: Uint16Array, members: number, tolerance: number): void {
  const counts = new Int32Array(members);
  for (const owner of owners) counts[owner]++;
  const fair = SLOT_COUNT / members;
  const high = Math.ceil(fair * (1 + tolerance));
  const low = Math.floor(fair * (1 - tolerance));
  const gives = (from: number, to: number): boolean => (counts[from] > high && counts[to] < high) || (counts[to] < low && counts[from] > low);
  const move = (slot: number, to: number): void => {
    counts[owners[slot]]--;
    counts[to]++;
    owners[slot] = to;
  };
  // A boundary moves one slot per pass at first, which spreads the moves over a node's many
  // boundaries; the step doubles with each further pass, for maps with few boundaries.
  for (let pass = 0, step = 1; pass < MAX_EVEN_OUT_PASSES; pass++, step *= 2) {
    let moved = 0;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const next = slot + 1 === SLOT_COUNT ? 0 : slot + 1;
      const left = owners[slot];
      const right = owners[next];
      if (left === right) continue;
      let shifted = 0;
      if (gives(left, right)) {
        // The right-hand run grows leftwards over the left-hand one.
        for (let i = slot; shifted < step && owners[i] === left && gives(left, right); i = i === 0 ? SLOT_COUNT - 1 : i - 1) {
          move(i, right);
          shifted++;
        }
      } else if (gives(right, left)) {
        for (let i = next; shifted < step && owners[i] === right && gives(right, left); i = i + 1 === SLOT_COUNT ? 0 : i + 1) {
          move(i, left);
          shifted++;
        }
        // The slots just taken are the left-hand run's now: go on after them.
        slot = Math.min(slot + shifted, SLOT_COUNT - 1);
      }
      moved += shifted;
    }
    if (moved === 0) return;
  }
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over the bytes, then MurmurHash3's finalizer so that nearby inputs land far apart. */
export function ringHash(text: string): number {
  return mix(fnvUpdate(FNV_OFFSET, text));
}

/** FNV-1a's state after more bytes; a shared prefix is hashed once. */
function fnvUpdate(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/**
 * The point number's decimal digits, counted up in place: hashing `${address}#${v}` for every v
 * without making the strings is what keeps placement cheap with thousands of points per node.
 */
class DecimalCounter {
  /** Character codes, most significant first. */
  private readonly codes: number[] = [48];

  increment(): void {
    let i = this.codes.length - 1;
    while (i >= 0 && this.codes[i] === 57) this.codes[i--] = 48;
    if (i >= 0) this.codes[i]++;
    else this.codes.unshift(49);
  }

  /** fnvUpdate(state, String(v)). */
  hash(state: number): number {
    const codes = this.codes;
    let h = state;
    for (let i = 0; i < codes.length; i++) h = Math.imul(h ^ codes[i], 0x01000193);
    return h;
  }
}

function mix(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Contiguous runs of slots with the same owner, in slot order: [start, end, owner]. */
export function slotRuns(owners: Uint16Array): [start: number, end: number, owner: number][] {
  const runs: [number, number, number][] = [];
  let start = 0;
  for (let slot = 1; slot <= SLOT_COUNT; slot++) {
    if (slot === SLOT_COUNT || owners[slot] !== owners[start]) {
      runs.push([start, slot - 1, owners[start]]);
      start = slot;
    }
  }
  return runs;
}
