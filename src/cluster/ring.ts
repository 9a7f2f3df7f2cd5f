// The consistent-hash ring that places the 16384 slots on nodes. Each node puts `vnodes` points
// on a 32-bit ring, at hashes of its address; slot s sits at the middle of the s-th of 16384
// equal arcs and belongs to the first node point at or after it, clockwise.
//
// Why a ring: adding a node only moves the slots whose nearest point is now one of the new
// node's (about 1/(N+1) of them), and removing one only moves that node's own slots, since every
// other point stays where it was. Why so many points: a node's share is the sum of its arcs,
// which evens out like 1/sqrt(vnodes); a few thousand points keep every node near its fair share.
//
// The map depends only on the set of addresses, never on their order or on which node computes
// it, so every node given the same list serves the same slot map.

import { SLOT_COUNT } from './crc16.js';

/** Points per node: enough that 3 to 10 nodes each get their fair share of slots within 5%. */
export const DEFAULT_VNODES = 4096;
/** No owner (only for an empty ring). */
export const NO_OWNER = 0xffff;

const SLOT_ARC = 2 ** 32 / SLOT_COUNT;
/** Ring points carry their node's rank below the hash, so ties break the same way everywhere. */
const RANK_SPAN = 2 ** 16;

/**
 * The owner of every slot, as an index into `members` (node addresses such as `10.0.0.1:7000`).
 * At most 65535 members.
 */
export function placeSlots(members: readonly string[], vnodes: number): Uint16Array {
  const owners = new Uint16Array(SLOT_COUNT).fill(NO_OWNER);
  if (members.length === 0) return owners;
  if (members.length >= RANK_SPAN - 1) throw new RangeError('too many cluster nodes');
  const byAddress = members.map((_, i) => i).sort((a, b) => (members[a] < members[b] ? -1 : members[a] > members[b] ? 1 : a - b));
  const points = new Float64Array(members.length * vnodes);
  let n = 0;
  byAddress.forEach((member, rank) => {
    for (let v = 0; v < vnodes; v++) points[n++] = ringHash(`${members[member]}#${v}`) * RANK_SPAN + rank;
  });
  points.sort();
  let next = 0;
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const position = (slot * SLOT_ARC + SLOT_ARC / 2) * RANK_SPAN;
    while (next < points.length && points[next] < position) next++;
    const point = points[next < points.length ? next : 0];
    owners[slot] = byAddress[point % RANK_SPAN];
  }
  return owners;
}

/** FNV-1a over the bytes, then MurmurHash3's finalizer so that nearby inputs land far apart. */
export function ringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
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
