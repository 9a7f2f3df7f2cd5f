// The ring rebalance (CLUSTER REBALANCE-RING): moves slots online so that the cluster's owners
// become the consistent-hash ring's placement for its current masters, and moves nothing else.
// One node drives it as redis-cli --cluster reshard would, through every node's client port:
// the target marks the slots IMPORTING, the source MIGRATING, the keys go over with MIGRATE
// until none is left, then SETSLOT NODE on the target (which takes a new highest epoch), the
// source and every other master. Clients meanwhile get ASK and TRYAGAIN as with any
// resharding. The command's own client waits; the server keeps serving everyone else.
//
// Why the ring and not an even split: the ring's placement depends only on the set of
// addresses, so adding a fifth node to four moves about a fifth of the slots, each from its old
// owner straight to the new node, and removing a node moves only that node's slots.

import { formatAddress } from './addresses.js';
import { AdminError, AdminLink, type AdminReply } from './admin-link.js';
import type { ClusterNode } from './cluster-node.js';
import { SLOT_COUNT } from './crc16.js';
import { placeSlots } from './ring.js';
import type { ClusterPeer } from './topology.js';

/** Slots handled together: their markers are set, keys moved and owners set in pipelines. */
const BATCH_SLOTS = 256;
/** Keys asked for per slot per round, and so at most moved by one MIGRATE. */
const KEYS_PER_MIGRATE = 1000;
/** MIGRATE's timeout, as redis-cli --cluster passes it. */
const MIGRATE_TIMEOUT_MS = 60_000;
/** How long a node may leave a request unanswered before the rebalance gives up. */
const LINK_TIMEOUT_MS = 120_000;
/** How long the members may take to know each other (after a MEET) before the rebalance starts. */
const AGREE_WAIT_MS = 10_000;

/** Slots going from one owner (null: unassigned) to another. */
export interface RingMove {
  from: ClusterPeer | null;
  to: ClusterPeer;
  slots: number[];
}

export interface RingPlan {
  /** The masters the slots are placed on, the excluded ones left out. */
  members: ClusterPeer[];
  /** The excluded masters, which give their slots away. */
  excluded: ClusterPeer[];
  moves: RingMove[];
  slotCount: number;
}

export interface RingResult {
  slots: number;
  keys: number;
}

/**
 * Where the ring puts every slot for the masters this node knows, except `excluded`, and the
 * moves that get there. A string is the error refusing the plan.
 */
export function planRing(node: ClusterNode, excluded: ReadonlySet<ClusterPeer>, vnodes: number): RingPlan | string {
  const masters = node.view.peers.filter((peer) => peer.masterId === null && !peer.handshake && peer.idKnown);
  const unready = node.view.peers.find((peer) => peer.handshake || !peer.idKnown || peer.failing || peer.pfail);
  if (unready !== undefined) return `ERR node ${unready.host}:${unready.port} is not answering or not yet known; the ring rebalance needs every node up`;
  const members = masters.filter((peer) => !excluded.has(peer));
  if (members.length === 0) return 'ERR no master is left to place the slots on';
  const placed = placeSlots(members.map(formatAddress), vnodes);
  const byPair = new Map<string, RingMove>();
  let slotCount = 0;
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const to = members[placed[slot]];
    const from = node.view.ownerOf(slot);
    if (from === to) continue;
    const pair = `${from?.id ?? '-'} ${to.id}`;
    let move = byPair.get(pair);
    if (move === undefined) {
      move = { from, to, slots: [] };
      byPair.set(pair, move);
    }
    move.slots.push(slot);
    slotCount++;
  }
  return { members, excluded: masters.filter((peer) => excluded.has(peer)), moves: [...byPair.values()], slotCount };
}

/** Drives the plan to its end; rejects with the reason when a node refuses a step. */
export async function runRingPlan(node: ClusterNode, plan: RingPlan, password: string, dryRun: boolean): Promise<RingResult> {
  const links = new Map<ClusterPeer, AdminLink>();
  const link = (peer: ClusterPeer): AdminLink => {
    let found = links.get(peer);
    if (found === undefined) {
      found = new AdminLink(peer.host, peer.port, password, LINK_TIMEOUT_MS);
      links.set(peer, found);
    }
    return found;
  };
  try {
    if (dryRun) return { slots: plan.slotCount, keys: await countKeys(plan, link) };
    const masters = [...plan.members, ...plan.excluded];
    await membersAgree(node, masters, link);
    let keys = 0;
    for (const move of plan.moves) {
      for (let i = 0; i < move.slots.length; i += BATCH_SLOTS) {
        keys += await moveBatch(move, move.slots.slice(i, i + BATCH_SLOTS), masters, link, password);
      }
    }
    return { slots: plan.slotCount, keys };
  } finally {
    for (const open of links.values()) open.close();
  }
}

/** The keys that would move, as their current owners count them. */
async function countKeys(plan: RingPlan, link: (peer: ClusterPeer) => AdminLink): Promise<number> {
  let keys = 0;
  for (const move of plan.moves) {
    if (move.from === null) continue;
    const replies = await link(move.from).pipeline(move.slots.map((slot) => ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]));
    for (const reply of replies) if (typeof reply === 'number') keys += reply;
  }
  return keys;
}

/**
 * Waits until every master knows every other by id (gossip may still be spreading a MEET), as
 * SETSLOT names the other side by id.
 */
async function membersAgree(node: ClusterNode, masters: ClusterPeer[], link: (peer: ClusterPeer) => AdminLink): Promise<void> {
  const deadline = node.now + AGREE_WAIT_MS;
  for (;;) {
    let missing: string | null = null;
    for (const peer of masters) {
      const text = expectString(await link(peer).call(['CLUSTER', 'NODES']), peer);
      // Another rebalance, a reshard or an interrupted one: moving slots under it would tangle both.
      const myself = text.split('\n').find((line) => line.split(' ')[2]?.includes('myself'));
      if (myself !== undefined && myself.includes(' [')) {
        throw new Error(`ERR node ${peer.host}:${peer.port} has slots in migration; let it finish, or run redis-cli --cluster fix`);
      }
      const known = new Set(
        text
          .split('\n')
          .filter((line) => line !== '' && !line.split(' ')[2]?.includes('handshake'))
          .map((line) => line.slice(0, line.indexOf(' '))),
      );
      const unknown = masters.find((other) => !known.has(other.id));
      if (unknown !== undefined) {
        missing = `ERR node ${peer.host}:${peer.port} does not know node ${unknown.id} yet`;
        break;
      }
    }
    if (missing === null) return;
    if (node.now >= deadline) throw new Error(missing);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Moves one batch of slots of one move; the number of keys that went over. */
async function moveBatch(move: RingMove, slots: number[], masters: ClusterPeer[], link: (peer: ClusterPeer) => AdminLink, password: string): Promise<number> {
  const { from, to } = move;
  if (from === null) {
    // Nobody serves these slots: the new owner just takes them.
    expectOk(await link(to).call(['CLUSTER', 'ADDSLOTS', ...slots.map(String)]), to);
    return 0;
  }
  try {
    expectAllOk(await link(to).pipeline(slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id])), to);
    expectAllOk(await link(from).pipeline(slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id])), from);
    const keys = await migrateKeys(from, to, slots, link(from), password);
    // The target first: once it owns the slots it takes a new highest epoch, so that its claim
    // wins everywhere, and the source stops answering ASK only after that.
    const setNode = slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id]);
    expectAllOk(await link(to).pipeline(setNode), to);
    expectAllOk(await link(from).pipeline(setNode), from);
    // Then every other master, as redis-cli --cluster does. Gossip alone is not enough: a master
    // that hears a later move's target take a new epoch before it hears this target's claim
    // keeps the source as owner, since this claim's epoch is no longer higher than the source's.
    const others = masters.filter((peer) => peer !== from && peer !== to);
    const replies = await Promise.all(others.map((peer) => link(peer).pipeline(setNode)));
    others.forEach((peer, i) => expectAllOk(replies[i], peer));
    return keys;
  } catch (err) {
    // Part of the batch's keys may be on the target already, so closing the slots here could
    // strand them; redis-cli --cluster fix finishes such a move by where the keys are.
    const range = slots.length === 1 ? `slot ${slots[0]}` : `slots ${slots[0]}-${slots[slots.length - 1]}`;
    throw new Error(`${(err as Error).message} (${range} from ${from.host}:${from.port} to ${to.host}:${to.port} may be left in migration: run redis-cli --cluster fix)`);
  }
}

/**
 * Moves every key of the slots, round after round, until the source has none left: a key a
 * client rewrote while its MIGRATE was in flight stays on the source and goes in a later round.
 */
async function migrateKeys(from: ClusterPeer, to: ClusterPeer, slots: number[], source: AdminLink, password: string): Promise<number> {
  const auth = password === '' ? [] : ['AUTH', password];
  let pending = slots;
  let moved = 0;
  while (pending.length > 0) {
    const listed = await source.pipeline(pending.map((slot) => ['CLUSTER', 'GETKEYSINSLOT', String(slot), String(KEYS_PER_MIGRATE)]));
    const next: number[] = [];
    const migrations: string[][] = [];
    listed.forEach((reply, i) => {
      if (!Array.isArray(reply)) throw new Error(`ERR ${from.host}:${from.port} answered GETKEYSINSLOT with ${describe(reply)}`);
      if (reply.length === 0) return;
      next.push(pending[i]);
      const keys = reply.map((key) => String(key));
      moved += keys.length;
      migrations.push(['MIGRATE', to.host, String(to.port), '', '0', String(MIGRATE_TIMEOUT_MS), 'REPLACE', ...auth, 'KEYS', ...keys]);
    });
    for (const reply of await source.pipeline(migrations)) {
      if (reply !== 'OK' && reply !== 'NOKEY') throw new Error(`ERR MIGRATE from ${from.host}:${from.port} failed: ${describe(reply)}`);
    }
    pending = next;
  }
  return moved;
}

function expectOk(reply: AdminReply, peer: ClusterPeer): void {
  if (reply !== 'OK') throw new Error(`ERR ${peer.host}:${peer.port} refused: ${describe(reply)}`);
}

function expectAllOk(replies: AdminReply[], peer: ClusterPeer): void {
  for (const reply of replies) expectOk(reply, peer);
}

function expectString(reply: AdminReply, peer: ClusterPeer): string {
  if (typeof reply !== 'string') throw new Error(`ERR ${peer.host}:${peer.port} refused: ${describe(reply)}`);
  return reply;
}

function describe(reply: AdminReply): string {
  return reply instanceof AdminError ? reply.message : JSON.stringify(reply);
}
