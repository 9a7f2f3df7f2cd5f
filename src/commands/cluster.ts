// Cluster commands: CLUSTER SLOTS, SHARDS, NODES, INFO, MYID, KEYSLOT, COUNTKEYSINSLOT,
// GETKEYSINSLOT, HELP; ASKING, READONLY, READWRITE. Without cluster-enabled, every one of them
// answers that cluster support is disabled, as Redis does.

import type { ClusterNode } from '../cluster/cluster-node.js';
import { SLOT_COUNT, keySlot } from '../cluster/crc16.js';
import { clusterInfoText, clusterNodesText, writeClusterShards, writeClusterSlots } from '../cluster/views.js';
import { ERR_INVALID_SLOT, ERR_INVALID_SLOT_OR_COUNT, ERR_NOT_INTEGER } from '../errors.js';
import type { Client } from '../server/client.js';
import { parseInt64 } from '../util/numbers.js';
import { clusterAdminSubcommands } from './cluster-admin.js';
import { clusterRebalanceSubcommand } from './cluster-rebalance.js';
import { clusterSubcommandBuilder, inCluster } from './cluster-subcommand.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandSpec } from './types.js';

const clusterSubcommand = clusterSubcommandBuilder(['stale'], false);

const clusterSubcommands: readonly CommandSpec[] = [
  ...clusterAdminSubcommands,
  clusterRebalanceSubcommand,
  clusterSubcommand('countkeysinslot', 3, 'Return the number of local keys in the specified hash slot', 'O(1)', countKeysInSlot, {
    syntax: 'slot:integer',
  }),
  clusterSubcommand(
    'getkeysinslot',
    4,
    'Return local key names in the specified hash slot',
    'O(log(N)) where N is the number of requested keys',
    getKeysInSlot,
    { syntax: 'slot:integer count:integer', tips: ['nondeterministic_output'] },
  ),
  clusterSubcommand('info', 2, 'Provides info about Redis Cluster node state', 'O(1)', info, { tips: ['nondeterministic_output'] }),
  clusterSubcommand('keyslot', 3, 'Returns the hash slot of the specified key', 'O(N) where N is the number of bytes in the key', keyslot, {
    syntax: 'key:string',
  }),
  clusterSubcommand('myid', 2, 'Return the node id', 'O(1)', myid),
  clusterSubcommand('nodes', 2, 'Get Cluster config for the node', 'O(N) where N is the total number of Cluster nodes', nodes, {
    tips: ['nondeterministic_output'],
  }),
  clusterSubcommand('shards', 2, 'Get array of cluster slots to node mappings', 'O(N) where N is the total number of cluster nodes', shards, {
    since: '7.0.0',
    tips: ['nondeterministic_output'],
  }),
  clusterSubcommand('slots', 2, 'Get array of Cluster slot to node mappings', 'O(N) where N is the total number of Cluster nodes', slots, {
    tips: ['nondeterministic_output'],
    history: [
      ['4.0.0', 'Added node IDs.'],
      ['7.0.0', 'Added additional networking metadata field.'],
    ],
    deprecatedSince: '7.0.0',
    replacedBy: '`CLUSTER SHARDS`',
  }),
  clusterSubcommand('help', 2, 'Show helpful text about the different subcommands', 'O(1)', help, {
    flags: ['loading', 'stale'],
    since: '5.0.0',
  }),
];

export const clusterCommands: CommandFamily = [
  {
    name: 'cluster',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'cluster',
    since: '3.0.0',
    summary: 'A container for cluster commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: clusterSubcommands,
  },
  {
    name: 'asking',
    arity: 1,
    flags: ['fast'],
    keys: [0, 0, 0],
    group: 'cluster',
    since: '3.0.0',
    summary: 'Sent by cluster clients after an -ASK redirect',
    complexity: 'O(1)',
    aclCategories: ['@connection'],
    syntax: '',
    handler: inCluster(asking),
  },
  {
    name: 'readonly',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'cluster',
    since: '3.0.0',
    summary: 'Enables read queries for a connection to a cluster replica node',
    complexity: 'O(1)',
    aclCategories: ['@connection'],
    syntax: '',
    handler: inCluster(acknowledge),
  },
  {
    name: 'readwrite',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'cluster',
    since: '3.0.0',
    summary: 'Disables read queries for a connection to a cluster replica node',
    complexity: 'O(1)',
    aclCategories: ['@connection'],
    syntax: '',
    handler: inCluster(acknowledge),
  },
];

// ASKING, READONLY, READWRITE. No slot is ever being imported and no node is a replica, so the
// flags they set would change nothing: they are acknowledged, as clients expect.
function acknowledge(c: Client): void {
  c.reply.ok();
}

// ASKING: lets the next command use a slot this node is importing (see ClusterNode.redirect).
function asking(c: Client): void {
  c.asking = true;
  c.reply.ok();
}

// CLUSTER COUNTKEYSINSLOT slot
function countKeysInSlot(c: Client, args: string[], node: ClusterNode): void {
  const slot = parseInt64(args[2]);
  if (slot === null) return c.reply.error(ERR_NOT_INTEGER);
  if (typeof slot === 'bigint' || slot < 0 || slot >= SLOT_COUNT) return c.reply.error(ERR_INVALID_SLOT);
  c.reply.integer(node.slotKeys.count(slot));
}

// CLUSTER GETKEYSINSLOT slot count
function getKeysInSlot(c: Client, args: string[], node: ClusterNode): void {
  const slot = parseInt64(args[2]);
  if (slot === null) return c.reply.error(ERR_NOT_INTEGER);
  const count = parseInt64(args[3]);
  if (count === null) return c.reply.error(ERR_NOT_INTEGER);
  if (typeof slot === 'bigint' || slot < 0 || slot >= SLOT_COUNT || count < 0) return c.reply.error(ERR_INVALID_SLOT_OR_COUNT);
  c.reply.bulkArray(node.slotKeys.keys(slot, Number(count)));
}

// CLUSTER INFO
function info(c: Client, _args: string[], node: ClusterNode): void {
  c.reply.verbatim(clusterInfoText(node));
}

// CLUSTER KEYSLOT key
function keyslot(c: Client, args: string[]): void {
  c.reply.integer(keySlot(args[2]));
}

// CLUSTER MYID
function myid(c: Client, _args: string[], node: ClusterNode): void {
  c.reply.bulk(node.myId);
}

// CLUSTER NODES
function nodes(c: Client, _args: string[], node: ClusterNode): void {
  c.reply.verbatim(clusterNodesText(node));
}

// CLUSTER SHARDS
function shards(c: Client, _args: string[], node: ClusterNode): void {
  writeClusterShards(c.reply, node.topology);
}

// CLUSTER SLOTS
function slots(c: Client, _args: string[], node: ClusterNode): void {
  writeClusterSlots(c.reply, node.topology);
}

// Redis 7.0's text, without FAILOVER and LINKS, which ringcache does not have.
const HELP_LINES = [
  'ADDSLOTS <slot> [<slot> ...]',
  '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH',
  '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>',
  '    Return number of failure reports for <node-id>.',
  'COUNTKEYSINSLOT <slot>',
  '    Return the number of keys in <slot>.',
  'DELSLOTS <slot> [<slot> ...]',
  '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FORGET <node-id>',
  '    Remove a node from the cluster.',
  'GETKEYSINSLOT <slot> <count>',
  '    Return key names stored by current node in a slot.',
  'FLUSHSLOTS',
  '    Delete current node own slots information.',
  'INFO',
  '    Return information about the cluster.',
  'KEYSLOT <key>',
  '    Return the hash slot for <key>.',
  'MEET <ip> <port> [<bus-port>]',
  '    Connect nodes into a working cluster.',
  'MYID',
  '    Return the node id.',
  'NODES',
  '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICATE <node-id>',
  '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]',
  '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>',
  '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)',
  '    Set slot state.',
  'REPLICAS <node-id>',
  '    Return <node-id> replicas.',
  'SAVECONFIG',
  '    Force saving cluster configuration on disk.',
  'SLOTS',
  '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS',
  '    Return information about slot range mappings and the nodes associated with them.',
];

// CLUSTER HELP
function help(c: Client, args: string[]): void {
  replyHelp(c, args[0], HELP_LINES);
}
