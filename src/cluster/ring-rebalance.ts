// The ring rebalance (CLUSTER REBALANCE-RING): moves slots online so that the cluster's owners
// become the consistent-hash ring's placement for its current masters, and moves nothing else.
// One node drives it as redis-cli --cluster reshard would, through every node's client port:
// the target marks the slots IMPORTING, the source MIGRATING, the keys go over with MIGRATE
// until none is left, then SETSLOT NODE on the target (which takes a new highest epoch), the
// source and every other master. Clients meanwhile get ASK and TRYAGAIN as with any
// resharding. The command's own client waits; the server keeps serving everyone else.
// A batch that fails midway (a node refuses a step, MIGRATE errors, the target goes away) ends
// the rebalance with the cause, after its unmoved slots are put back, stable, on their owner
// with their keys: unlike redis-cli --cluster, which leaves the slot open for `--cluster fix`.
//
// Why the ring and not an even split: the ring's placement depends only on the set of
// addresses, so adding a fifth node to four moves about a fifth of the slots, each from its old
// owner straight to the new node, and removing a node moves only that node's slots.

import { ERR_BUSYKEY } from '../errors.js';
import { formatAddress } from './addresses.js';
import { AdminError, AdminLinks, type AdminLink, type AdminReply } from './admin-link.js';
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
  const links = new AdminLinks(password, LINK_TIMEOUT_MS);
  const link = (peer: ClusterPeer): AdminLink => links.to(peer.host, peer.port);
  try {
    if (dryRun) return { slots: plan.slotCount, keys: await countKeys(plan, link) };
    const masters = [...plan.members, ...plan.excluded];
    await membersAgree(node, masters, link);
    let keys = 0;
    let slotsMoved = 0;
    for (const move of plan.moves) {
      for (let i = 0; i < move.slots.length; i += BATCH_SLOTS) {
        const batch = move.slots.slice(i, i + BATCH_SLOTS);
        try {
          keys += await moveBatch(move, batch, masters, link, password);
        } catch (err) {
          if (!(err instanceof BatchFailure)) throw err;
          throw new Error(failureMessage(move.to, batch, err, slotsMoved + err.claimed.length, plan.slotCount));
        }
        slotsMoved += batch.length;
      }
    }
    return { slots: plan.slotCount, keys };
  } finally {
    links.closeAll();
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

/** What putting the unmoved slots of a batch back achieved. */
interface PutBackResult {
  /** The source serves the slots alone again. */
  sourceClosed: boolean;
  /** What is left for redis-cli --cluster fix (why the source did not close, when it did not); null: nothing. */
  leftover: string | null;
}

/** Why a batch stopped, and what became of its slots. */
class BatchFailure extends Error {
  constructor(
    readonly reason: string,
    readonly from: ClusterPeer,
    /** Slots of the batch the target had taken over: they stay moved. */
    readonly claimed: number[],
    /** The source was not told again that the target owns the claimed slots: it may keep them MIGRATING. */
    readonly claimedOpen: boolean,
    /** The batch's other slots, put back on the source. */
    readonly unmoved: number[],
    /** Null when there were no other slots. */
    readonly putBack: PutBackResult | null,
  ) {
    super(reason);
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
  // Slots whose SETSLOT NODE the target accepted: it owns them with a new highest epoch, and
  // every key of them is there, so a later failure leaves them moved.
  const claimed = new Set<number>();
  const others = masters.filter((peer) => peer !== from && peer !== to);
  const setNode = (batch: number[]): string[][] => batch.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id]);
  // Until then no key can be on the target, and a failure has none to bring back.
  let keysSent = false;
  try {
    expectAllOk(await link(to).pipeline(slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id])), to);
    expectAllOk(await link(from).pipeline(slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id])), from);
    keysSent = true;
    const keys = await migrateKeys(from, to, slots, link(from), password);
    // The target first: once it owns the slots it takes a new highest epoch, so that its claim
    // wins everywhere, and the source stops answering ASK only after that.
    const claims = await link(to).pipeline(setNode(slots));
    for (let i = 0; i < claims.length; i++) {
      if (claims[i] === 'OK') claimed.add(slots[i]);
    }
    expectAllOk(claims, to);
    expectAllOk(await link(from).pipeline(setNode(slots)), from);
    // Then every other master, as redis-cli --cluster does. Gossip alone is not enough: a master
    // that hears a later move's target take a new epoch before it hears this target's claim
    // keeps the source as owner, since this claim's epoch is no longer higher than the source's.
    const replies = await Promise.all(others.map((peer) => link(peer).pipeline(setNode(slots))));
    others.forEach((peer, i) => expectAllOk(replies[i], peer));
    return keys;
  } catch (err) {
    const taken = slots.filter((slot) => claimed.has(slot));
    // Told again. The other masters would learn the owner by gossip too, as the target's claim
    // outranks the source's and no later move follows; but gossip reassigns the slots on the
    // source without clearing its MIGRATING marker, so a source that misses this keeps them open.
    let claimedOpen = false;
    if (taken.length > 0) {
      const told = await Promise.allSettled([from, ...others].map((peer) => link(peer).pipeline(setNode(taken))));
      const toSource = told[0];
      claimedOpen = toSource.status === 'rejected' || toSource.value.some((reply) => reply !== 'OK');
    }
    const rest = slots.filter((slot) => !claimed.has(slot));
    const back = rest.length > 0 ? await putBack(from, to, rest, link, password, keysSent) : null;
    throw new BatchFailure((err as Error).message, from, taken, claimedOpen, rest, back);
  }
}

/** How many times putting slots back starts over because a client wrote to the target meanwhile. */
const PUT_BACK_ATTEMPTS = 5;

/**
 * Undoes the unfinished part of a batch, so that no slot stays open (clients would get ASK and
 * TRYAGAIN for good, and redis-cli --cluster check report open slots): the source closes the
 * slots and serves them alone again, the keys that went over (if `keysSent`) come back to it,
 * then the target closes them too.
 *
 * Why the source closes first: while it is MIGRATING, it answers ASK for every key it lacks, the
 * RESTOREs that bring keys back included. Once it is stable, a key still on the target reads as
 * missing there until it is back (a cache miss for the few milliseconds this takes), and a key a
 * client writes meanwhile is newer than the target's copy, which is then dropped.
 */
async function putBack(from: ClusterPeer, to: ClusterPeer, slots: number[], link: (peer: ClusterPeer) => AdminLink, password: string, keysSent: boolean): Promise<PutBackResult> {
  const close = (peer: ClusterPeer, open: number[]): Promise<AdminReply[]> => link(peer).pipeline(open.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'STABLE']));
  try {
    expectAllOk(await close(from, slots), from);
  } catch (err) {
    return { sourceClosed: false, leftover: withoutErrPrefix((err as Error).message) };
  }
  if (!keysSent) {
    // Best effort: a target that does not answer (the usual reason a batch fails this early)
    // most likely never marked the slots, and holds no key of them anyway.
    await close(to, slots).catch(() => []);
    return { sourceClosed: true, leftover: null };
  }
  const target = link(to);
  try {
    for (let attempt = 0; attempt < PUT_BACK_ATTEMPTS; attempt++) {
      await returnKeys(to, from, slots, target, link(from), password);
      // The last check and the close in one transaction: a client sent here by an ASK given
      // before the source closed could otherwise still add a key once the target had been emptied.
      const checkAndClose = [
        ...slots.map((slot) => ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]),
        ...slots.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'STABLE']),
      ];
      const replies = await target.pipeline([['MULTI'], ...checkAndClose, ['EXEC']]);
      let results = replies[replies.length - 1];
      // A target over maxmemory refuses every command queued in a MULTI, as Redis does (a move
      // that ran it out of memory is one reason the batch failed): check and close without one.
      if (results instanceof AdminError && replies.slice(1, -1).some((reply) => reply instanceof AdminError && reply.message.startsWith('OOM '))) {
        results = await target.pipeline(checkAndClose);
      }
      if (!Array.isArray(results)) throw new Error(`ERR ${to.host}:${to.port} refused: ${describe(results)}`);
      expectAllOk(results.slice(slots.length), to);
      const late = slots.filter((_, i) => results[i] !== 0);
      if (late.length === 0) return { sourceClosed: true, leftover: null };
      expectAllOk(await target.pipeline(late.map((slot) => ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id])), to);
      slots = late;
    }
    return { sourceClosed: true, leftover: `keys written to ${to.host}:${to.port} kept arriving in slots ${slots.join(' ')}` };
  } catch (err) {
    return { sourceClosed: true, leftover: `the keys already on ${to.host}:${to.port} could not be brought back (${withoutErrPrefix((err as Error).message)})` };
  }
}

/**
 * Brings the keys of the slots on `holder` back to `owner`, which serves the slots again. A key
 * the owner already has was written there since, and is newer: the holder's copy is dropped.
 */
async function returnKeys(holder: ClusterPeer, owner: ClusterPeer, slots: number[], holderLink: AdminLink, ownerLink: AdminLink, password: string): Promise<void> {
  const auth = password === '' ? [] : ['AUTH', password];
  let vanished = 0;
  for (;;) {
    const listed = await holderLink.pipeline(slots.map((slot) => ['CLUSTER', 'GETKEYSINSLOT', String(slot), String(KEYS_PER_MIGRATE)]));
    // One MIGRATE per slot: a cluster node refuses keys of several slots in one command.
    const migrations: string[][] = [];
    for (const reply of listed) {
      if (!Array.isArray(reply)) throw new Error(`ERR ${holder.host}:${holder.port} answered GETKEYSINSLOT with ${describe(reply)}`);
      if (reply.length === 0) continue;
      migrations.push(['MIGRATE', owner.host, String(owner.port), '', '0', String(MIGRATE_TIMEOUT_MS), ...auth, 'KEYS', ...reply.map((key) => String(key))]);
    }
    if (migrations.length === 0) return;
    let busy = false;
    for (const reply of await holderLink.pipeline(migrations)) {
      if (reply === 'OK' || reply === 'NOKEY') continue;
      if (reply instanceof AdminError && reply.message.includes(ERR_BUSYKEY)) {
        busy = true;
        continue;
      }
      throw new Error(`ERR MIGRATE from ${holder.host}:${holder.port} failed: ${describe(reply)}`);
    }
    if (!busy) continue;
    // MIGRATE deleted every key the owner took. Of those left, the ones the owner has are newer
    // there; any other (a different error after the first) goes again in the next round.
    const left = await holderLink.pipeline(slots.map((slot) => ['CLUSTER', 'GETKEYSINSLOT', String(slot), String(KEYS_PER_MIGRATE)]));
    const candidates = left.flatMap((reply) => (Array.isArray(reply) ? reply.map((key) => String(key)) : []));
    const present = await ownerLink.pipeline(candidates.map((key) => ['EXISTS', key]));
    const stale = candidates.filter((_, i) => present[i] === 1);
    if (stale.length === 0) {
      // A client deleted the refused keys on the owner after MIGRATE: they go in the next round.
      if (++vanished < PUT_BACK_ATTEMPTS) continue;
      throw new Error(`ERR MIGRATE from ${holder.host}:${holder.port} failed: keys refused as existing are not on ${owner.host}:${owner.port}`);
    }
    // ASKING lets the holder, which is importing the slots, run a command on them.
    for (const reply of await holderLink.pipeline(stale.flatMap((key) => [['ASKING'], ['DEL', key]]))) {
      if (reply instanceof AdminError) throw new Error(`ERR ${holder.host}:${holder.port} refused: ${reply.message}`);
    }
  }
}

/** The error a failed batch ends the rebalance with: the cause, then what became of the slots. */
function failureMessage(to: ClusterPeer, batch: number[], failure: BatchFailure, moved: number, planned: number): string {
  const { from, claimed, unmoved, putBack } = failure;
  const source = `${from.host}:${from.port}`;
  const target = `${to.host}:${to.port}`;
  const cause = withoutErrPrefix(failure.reason);
  const notes = [`${moved} of ${planned} slots had moved`];
  let fix = false;
  if (putBack !== null) {
    const other = `the other ${unmoved.length} slots of the batch`;
    if (!putBack.sourceClosed) notes.push(`${other} could not be closed (${putBack.leftover})`);
    else if (putBack.leftover === null) notes.push(`${other} are stable on ${source} again, with their keys`);
    else notes.push(`${other} are stable on ${source} again, but ${putBack.leftover}`);
    fix = !putBack.sourceClosed || putBack.leftover !== null;
  }
  if (failure.claimedOpen) {
    notes.push(`the ${claimed.length} slots ${target} took (${claimed[0]}..${claimed[claimed.length - 1]}) may still be open on ${source}`);
    fix = true;
  }
  const outcome = `${notes.join('; ')}${fix ? ': run redis-cli --cluster fix' : ''}`;
  return `ERR ring rebalance stopped moving ${batch.length} slots (${batch[0]}..${batch[batch.length - 1]}) from ${source} to ${target}: ${cause} (${outcome})`;
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

/** An error's text as part of the rebalance's own error, which has the one 'ERR ' prefix. */
function withoutErrPrefix(message: string): string {
  return message.startsWith('ERR ') ? message.slice(4) : message;
}

function describe(reply: AdminReply): string {
  return reply instanceof AdminError ? reply.message : JSON.stringify(reply);
}
