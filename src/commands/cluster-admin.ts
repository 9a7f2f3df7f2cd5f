// CLUSTER subcommands that change the cluster: slots (ADDSLOTS, ADDSLOTSRANGE, DELSLOTS,
// DELSLOTSRANGE, FLUSHSLOTS, SETSLOT), epochs (SET-CONFIG-EPOCH, BUMPEPOCH), membership (MEET,
// FORGET, RESET, REPLICATE, REPLICAS, SLAVES, COUNT-FAILURE-REPORTS, SAVECONFIG), and GOSSIP, the
// message nodes exchange in place of Redis's cluster bus. Checks and error texts follow Redis
// 7.0's clusterCommand in the same order.

import { isIP } from 'node:net';
import { ALL_SLOTS, type ClusterNode } from '../cluster/cluster-node.js';
import { SLOT_COUNT } from '../cluster/crc16.js';
import type { ClusterPeer } from '../cluster/topology.js';
import { nodeLine } from '../cluster/views.js';
import {
  ERR_CONFIG_EPOCH_INVALID,
  ERR_CONFIG_EPOCH_NOT_ALONE,
  ERR_CONFIG_EPOCH_SET,
  ERR_FLUSHSLOTS_NOT_EMPTY,
  ERR_FORGET_MYSELF,
  ERR_FORGET_MY_MASTER,
  ERR_GOSSIP_MESSAGE,
  ERR_MEET_ADDRESS,
  ERR_MEET_BUS_PORT,
  ERR_MEET_PORT,
  ERR_NOT_A_MASTER,
  ERR_NOT_INTEGER,
  ERR_REPLICATE_MYSELF,
  ERR_REPLICATE_NOT_EMPTY,
  ERR_REPLICATE_REPLICA,
  ERR_RESET_WITH_KEYS,
  ERR_SETSLOT_ACTION,
  ERR_SETSLOT_ALREADY_OWNER,
  ERR_SETSLOT_KEYS_LEFT,
  ERR_SETSLOT_NOT_OWNER,
  ERR_SETSLOT_REPLICA,
  ERR_SETSLOT_TARGET_REPLICA,
  ERR_SETSLOT_TO_REPLICA,
  ERR_SETSLOT_UNKNOWN_NODE,
  ERR_SLOT_BUSY,
  ERR_SLOT_OUT_OF_RANGE,
  ERR_SLOT_RANGE_ORDER,
  ERR_SLOT_REPEATED,
  ERR_SLOT_UNASSIGNED,
  ERR_SUBCOMMAND_SYNTAX,
  ERR_SYNTAX,
  ERR_UNKNOWN_NODE,
  ERR_WRONG_SUBCOMMAND_ARITY,
} from '../errors.js';
import type { Client } from '../server/client.js';
import { parseInt64 } from '../util/numbers.js';
import { clusterSubcommandBuilder } from './cluster-subcommand.js';
import type { CommandFlag, CommandSpec } from './types.js';

const ADMIN: readonly CommandFlag[] = ['admin', 'stale', 'no_async_loading'];
const SLOTS_COMPLEXITY = 'O(N) where N is the total number of hash slot arguments';
const RANGE_COMPLEXITY = 'O(N) where N is the total number of the slots between the start slot and end slot arguments.';

const adminSubcommand = clusterSubcommandBuilder(ADMIN, true);

export const clusterAdminSubcommands: readonly CommandSpec[] = [
  adminSubcommand('addslots', -3, 'Assign new hash slots to receiving node', SLOTS_COMPLEXITY, addSlots, { syntax: 'slot:integer [slot:integer ...]' }),
  adminSubcommand('addslotsrange', -4, 'Assign new hash slots to receiving node', RANGE_COMPLEXITY, addSlotsRange, {
    since: '7.0.0',
    syntax: 'start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]',
  }),
  adminSubcommand('bumpepoch', 2, 'Advance the cluster config epoch', 'O(1)', bumpEpoch, { tips: ['nondeterministic_output'] }),
  adminSubcommand('count-failure-reports', 3, 'Return the number of failure reports active for a given node', 'O(N) where N is the number of failure reports', countFailureReports, {
    flags: ['admin', 'stale'],
    syntax: 'node-id:string',
    tips: ['nondeterministic_output'],
  }),
  adminSubcommand('delslots', -3, 'Set hash slots as unbound in receiving node', SLOTS_COMPLEXITY, delSlots, { syntax: 'slot:integer [slot:integer ...]' }),
  adminSubcommand('delslotsrange', -4, 'Set hash slots as unbound in receiving node', RANGE_COMPLEXITY, delSlotsRange, {
    since: '7.0.0',
    syntax: 'start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]',
  }),
  adminSubcommand('flushslots', 2, "Delete a node's own slots information", 'O(1)', flushSlots),
  adminSubcommand('forget', 3, 'Remove a node from the nodes table', 'O(1)', forget, { syntax: 'node-id:string' }),
  adminSubcommand('gossip', 3, 'Exchange cluster state with another ringcache node (internal)', 'O(N) where N is the number of known nodes', gossip, {
    since: '7.0.0',
    flags: ['admin', 'stale', 'loading'],
    syntax: 'message:string',
  }),
  adminSubcommand('meet', -4, 'Force a node cluster to handshake with another node', 'O(1)', meet, {
    syntax: 'ip:string port:integer [cluster-bus-port:integer@4.0.0]',
  }),
  adminSubcommand('replicas', 3, 'List replica nodes of the specified master node', 'O(1)', replicas, {
    flags: ['admin', 'stale'],
    since: '5.0.0',
    syntax: 'node-id:string',
    tips: ['nondeterministic_output'],
  }),
  adminSubcommand('replicate', 3, 'Reconfigure a node as a replica of the specified master node', 'O(1)', replicate, { syntax: 'node-id:string' }),
  adminSubcommand('reset', -2, 'Reset a Redis Cluster node', 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.', reset, {
    flags: ['admin', 'noscript', 'stale'],
    syntax: 'hard-soft:[HARD | SOFT]',
  }),
  adminSubcommand('saveconfig', 2, 'Forces the node to save cluster state on disk', 'O(1)', saveConfig),
  adminSubcommand('set-config-epoch', 3, 'Set the configuration epoch in a new node', 'O(1)', setConfigEpoch, { syntax: 'config-epoch:integer' }),
  adminSubcommand('setslot', -4, 'Bind a hash slot to a specific node', 'O(1)', setSlot, {
    syntax: 'slot:integer subcommand:<IMPORTING node-id:string | MIGRATING node-id:string | NODE node-id:string | STABLE>',
  }),
  adminSubcommand('slaves', 3, 'List replica nodes of the specified master node', 'O(1)', replicas, {
    flags: ['admin', 'stale'],
    syntax: 'node-id:string',
    tips: ['nondeterministic_output'],
    deprecatedSince: '5.0.0',
    replacedBy: '`CLUSTER REPLICAS`',
  }),
];

/** Redis's getSlotOrReply: a slot number, or null after replying the error. */
function slotArg(c: Client, text: string): number | null {
  const slot = parseInt64(text);
  if (slot === null || typeof slot === 'bigint' || slot < 0 || slot >= SLOT_COUNT) {
    c.reply.error(ERR_SLOT_OUT_OF_RANGE);
    return null;
  }
  return slot;
}

/**
 * Slots named one by one (pairs = false) or as ranges, each checked as Redis's
 * checkSlotAssignmentsOrReply checks it: free (or, to delete, assigned) and named once.
 */
function collectSlots(c: Client, args: string[], node: ClusterNode, forDelete: boolean, pairs: boolean): number[] | null {
  const topology = node.view;
  const seen = new Uint8Array(SLOT_COUNT);
  const out: number[] = [];
  for (let i = 2; i < args.length; i += pairs ? 2 : 1) {
    const start = slotArg(c, args[i]);
    if (start === null) return null;
    let end = start;
    if (pairs) {
      const last = slotArg(c, args[i + 1]);
      if (last === null) return null;
      if (start > last) {
        c.reply.error(ERR_SLOT_RANGE_ORDER(start, last));
        return null;
      }
      end = last;
    }
    for (let slot = start; slot <= end; slot++) {
      const owner = topology.ownerOf(slot);
      if (forDelete && owner === null) return fail(c, ERR_SLOT_UNASSIGNED(slot));
      if (!forDelete && owner !== null) return fail(c, ERR_SLOT_BUSY(slot));
      if (seen[slot]++ === 1) return fail(c, ERR_SLOT_REPEATED(slot));
      out.push(slot);
    }
  }
  return out;
}

function fail(c: Client, error: string): null {
  c.reply.error(error);
  return null;
}

/** The range forms take start/end pairs: an odd count is an arity error, as Redis reports it. */
function changeSlots(c: Client, args: string[], node: ClusterNode, forDelete: boolean, pairs: boolean): void {
  if (pairs && args.length % 2 === 1) return c.reply.error(ERR_WRONG_SUBCOMMAND_ARITY('cluster', args[1].toLowerCase()));
  const slots = collectSlots(c, args, node, forDelete, pairs);
  if (slots === null) return;
  if (forDelete) node.delSlots(slots);
  else node.addSlots(slots);
  c.reply.ok();
}

// CLUSTER ADDSLOTS slot [slot ...]
function addSlots(c: Client, args: string[], node: ClusterNode): void {
  changeSlots(c, args, node, false, false);
}

// CLUSTER ADDSLOTSRANGE start-slot end-slot [start-slot end-slot ...]
function addSlotsRange(c: Client, args: string[], node: ClusterNode): void {
  changeSlots(c, args, node, false, true);
}

// CLUSTER BUMPEPOCH
function bumpEpoch(c: Client, _args: string[], node: ClusterNode): void {
  const bumped = node.bumpEpoch();
  c.reply.simple(`${bumped ? 'BUMPED' : 'STILL'} ${node.self.configEpoch}`);
}

// CLUSTER COUNT-FAILURE-REPORTS node-id
function countFailureReports(c: Client, args: string[], node: ClusterNode): void {
  const peer = lookup(node, args[2]);
  if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(args[2]));
  const validity = node.nodeTimeout * 2;
  let count = 0;
  for (const at of peer.failureReports.values()) if (node.now - at <= validity) count++;
  c.reply.integer(count);
}

// CLUSTER DELSLOTS slot [slot ...]
function delSlots(c: Client, args: string[], node: ClusterNode): void {
  changeSlots(c, args, node, true, false);
}

// CLUSTER DELSLOTSRANGE start-slot end-slot [start-slot end-slot ...]
function delSlotsRange(c: Client, args: string[], node: ClusterNode): void {
  changeSlots(c, args, node, true, true);
}

// CLUSTER FLUSHSLOTS
function flushSlots(c: Client, _args: string[], node: ClusterNode): void {
  if (c.server.keyspace.db(0).size !== 0) return c.reply.error(ERR_FLUSHSLOTS_NOT_EMPTY);
  node.delSlots(ALL_SLOTS.filter((slot) => node.view.ownerOf(slot) === node.myself));
  c.reply.ok();
}

// CLUSTER FORGET node-id
function forget(c: Client, args: string[], node: ClusterNode): void {
  const peer = lookup(node, args[2]);
  if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(args[2]));
  if (peer === node.myself) return c.reply.error(ERR_FORGET_MYSELF);
  if (node.self.masterId === peer.id) return c.reply.error(ERR_FORGET_MY_MASTER);
  node.forget(peer);
  c.reply.ok();
}

// CLUSTER GOSSIP message (ringcache's cluster bus: the answer is this node's own message)
function gossip(c: Client, args: string[], node: ClusterNode): void {
  const answer = node.receiveGossip(args[2]);
  if (answer === null) c.reply.error(ERR_GOSSIP_MESSAGE);
  else c.reply.bulk(answer);
}

// CLUSTER MEET ip port [cluster-bus-port]
function meet(c: Client, args: string[], node: ClusterNode): void {
  if (args.length > 5) return c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
  const port = parseInt64(args[3]);
  if (port === null) return c.reply.error(ERR_MEET_PORT(args[3]));
  let cport: number | bigint = typeof port === 'bigint' ? port : port + 10000;
  if (args.length === 5) {
    const bus = parseInt64(args[4]);
    if (bus === null) return c.reply.error(ERR_MEET_BUS_PORT(args[4]));
    cport = bus;
  }
  if (isIP(args[2]) === 0 || !validPort(port) || !validPort(cport)) return c.reply.error(ERR_MEET_ADDRESS(args[2], args[3]));
  node.meet({ host: normalizeIp(args[2]), port: Number(port) }, Number(cport));
  c.reply.ok();
}

function validPort(port: number | bigint): boolean {
  return typeof port === 'number' && port > 0 && port <= 65535;
}

/** Redis stores the address as inet_ntop prints it. */
function normalizeIp(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').map(Number).join('.');
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

// CLUSTER REPLICAS node-id, CLUSTER SLAVES node-id
function replicas(c: Client, args: string[], node: ClusterNode): void {
  const peer = lookup(node, args[2]);
  if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(args[2]));
  if (peer.masterId !== null) return c.reply.error(ERR_NOT_A_MASTER);
  c.reply.bulkArray(node.view.peers.filter((p) => p.masterId === peer.id).map((p) => nodeLine(node, p)));
}

// CLUSTER REPLICATE node-id
function replicate(c: Client, args: string[], node: ClusterNode): void {
  const peer = lookup(node, args[2]);
  if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(args[2]));
  if (peer === node.myself) return c.reply.error(ERR_REPLICATE_MYSELF);
  if (peer.masterId !== null) return c.reply.error(ERR_REPLICATE_REPLICA);
  const me = node.self;
  if (me.masterId === null && (me.slotCount !== 0 || c.server.keyspace.db(0).size !== 0)) return c.reply.error(ERR_REPLICATE_NOT_EMPTY);
  node.replicate(peer);
  c.reply.ok();
}

// CLUSTER RESET [HARD|SOFT]
function reset(c: Client, args: string[], node: ClusterNode): void {
  let hard = false;
  if (args.length === 3) {
    const mode = args[2].toLowerCase();
    if (mode !== 'hard' && mode !== 'soft') return c.reply.error(ERR_SYNTAX);
    hard = mode === 'hard';
  } else if (args.length !== 2) {
    return c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
  }
  if (node.self.masterId === null && c.db.size !== 0) return c.reply.error(ERR_RESET_WITH_KEYS);
  // A replica's data was its master's: it starts over empty, as in Redis.
  if (node.self.masterId !== null) c.server.keyspace.flushAll();
  node.reset(hard);
  c.reply.ok();
}

// CLUSTER SAVECONFIG
function saveConfig(c: Client, _args: string[], node: ClusterNode): void {
  node.save(true);
  c.reply.ok();
}

// CLUSTER SET-CONFIG-EPOCH config-epoch
function setConfigEpoch(c: Client, args: string[], node: ClusterNode): void {
  const epoch = parseInt64(args[2]);
  if (epoch === null) return c.reply.error(ERR_NOT_INTEGER);
  if (epoch < 0) return c.reply.error(ERR_CONFIG_EPOCH_INVALID(String(epoch)));
  const topology = node.view;
  if (topology.peers.length > 1) return c.reply.error(ERR_CONFIG_EPOCH_NOT_ALONE);
  const me = node.self;
  if (me.configEpoch !== 0) return c.reply.error(ERR_CONFIG_EPOCH_SET);
  me.configEpoch = Number(epoch);
  if (topology.currentEpoch < me.configEpoch) topology.currentEpoch = me.configEpoch;
  node.changed();
  c.reply.ok();
}

// CLUSTER SETSLOT slot IMPORTING node-id|MIGRATING node-id|NODE node-id|STABLE
function setSlot(c: Client, args: string[], node: ClusterNode): void {
  const me = node.self;
  if (me.masterId !== null) return c.reply.error(ERR_SETSLOT_REPLICA);
  const slot = slotArg(c, args[2]);
  if (slot === null) return;
  const action = args[3].toLowerCase();
  const owner = node.view.ownerOf(slot);
  if (action === 'migrating' && args.length === 5) {
    if (owner !== me) return c.reply.error(ERR_SETSLOT_NOT_OWNER(slot));
    const target = lookup(node, args[4]);
    if (target === undefined) return c.reply.error(ERR_SETSLOT_UNKNOWN_NODE(args[4]));
    if (target.masterId !== null) return c.reply.error(ERR_SETSLOT_TARGET_REPLICA);
    node.migrating.set(slot, target.id);
  } else if (action === 'importing' && args.length === 5) {
    if (owner === me) return c.reply.error(ERR_SETSLOT_ALREADY_OWNER(slot));
    const source = lookup(node, args[4]);
    if (source === undefined) return c.reply.error(ERR_SETSLOT_UNKNOWN_NODE(args[4]));
    if (source.masterId !== null) return c.reply.error(ERR_SETSLOT_TARGET_REPLICA);
    node.importing.set(slot, source.id);
  } else if (action === 'stable' && args.length === 4) {
    node.migrating.delete(slot);
    node.importing.delete(slot);
  } else if (action === 'node' && args.length === 5) {
    const peer = lookup(node, args[4]);
    if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(args[4]));
    if (peer.masterId !== null) return c.reply.error(ERR_SETSLOT_TO_REPLICA(slot));
    if (owner === me && peer !== me && node.slotKeys.count(slot) !== 0) return c.reply.error(ERR_SETSLOT_KEYS_LEFT(slot));
    node.setSlotNode(slot, peer);
  } else {
    return c.reply.error(ERR_SETSLOT_ACTION);
  }
  node.saveSoon();
  c.reply.ok();
}

/** Redis's clusterLookupNode: an exact id, handshake members included. */
function lookup(node: ClusterNode, id: string): ClusterPeer | undefined {
  return node.view.peers.find((p) => p.id === id);
}
