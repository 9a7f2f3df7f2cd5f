// The cluster as CLUSTER NODES, INFO, SLOTS and SHARDS show it. Clients and redis-cli parse
// these strictly (see CLUSTER-CONTRACT.md): fields, separators and integer types are Redis's.

import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { ClusterNode } from './cluster-node.js';
import { NO_OWNER, slotRuns } from './ring.js';
import { SLOT_COUNT } from './crc16.js';
import type { ClusterPeer, Topology } from './topology.js';

/**
 * CLUSTER NODES: one `\n`-terminated line per node (clients drop a last line without one).
 * The nodes file holds the same lines, with the times of a saved view.
 */
export function clusterNodesText(node: ClusterNode, forFile = false): string {
  const topology = node.topology;
  if (topology === null) return '';
  let text = '';
  for (const peer of topology.peers) {
    if (forFile && peer.handshake) continue;
    text += `${nodeLine(node, peer, forFile)}\n`;
  }
  return text;
}

/** One CLUSTER NODES line, without its `\n` (CLUSTER REPLICAS lists them so). */
export function nodeLine(node: ClusterNode, peer: ClusterPeer, forFile = false): string {
  const myself = peer === node.myself;
  const pong = myself || forFile ? 0 : node.pongTime(peer);
  const link = myself || !(peer.failing || peer.pfail) ? 'connected' : 'disconnected';
  // A replica shows its master's epoch, as Redis's nodeEpoch does.
  const master = peer.masterId === null ? undefined : node.topology?.byId(peer.masterId);
  const epoch = (master ?? peer).configEpoch;
  let line = `${peer.id} ${peer.host}:${peer.port}@${peer.cport} ${peerFlags(peer, myself)} ${peer.masterId ?? '-'} 0 ${pong} ${epoch} ${link}`;
  if (peer.ranges !== '') line += ` ${peer.ranges}`;
  if (myself) line += migrationMarkers(node);
  return line;
}

/** Flags in Redis's order: myself, master, slave, fail?, fail, handshake. */
function peerFlags(peer: ClusterPeer, myself: boolean): string {
  const flags: string[] = [];
  if (myself) flags.push('myself');
  flags.push(peer.masterId === null ? 'master' : 'slave');
  if (peer.failing) flags.push('fail');
  else if (peer.pfail) flags.push('fail?');
  if (peer.handshake) flags.push('handshake');
  return flags.join(',');
}

/** ` [slot->-target]` and ` [slot-<-source]` in slot order, as only the myself line shows them. */
function migrationMarkers(node: ClusterNode): string {
  if (node.migrating.size === 0 && node.importing.size === 0) return '';
  let text = '';
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const target = node.migrating.get(slot);
    if (target !== undefined) text += ` [${slot}->-${target}]`;
    else {
      const source = node.importing.get(slot);
      if (source !== undefined) text += ` [${slot}-<-${source}]`;
    }
  }
  return text;
}

/** CLUSTER INFO: `key:value\r\n` lines; the message counts are gossip exchanges over the client port. */
export function clusterInfoText(node: ClusterNode): string {
  const topology = node.topology;
  const assigned = topology?.assignedSlots ?? 0;
  const failing = topology?.failingSlots ?? 0;
  const pfailing = topology?.pfailSlots ?? 0;
  const fields: [string, string | number][] = [
    ['cluster_state', topology?.ok === true ? 'ok' : 'fail'],
    ['cluster_slots_assigned', assigned],
    ['cluster_slots_ok', assigned - failing - pfailing],
    ['cluster_slots_pfail', topology?.pfailSlots ?? 0],
    ['cluster_slots_fail', failing],
    ['cluster_known_nodes', topology?.peers.length ?? 1],
    ['cluster_size', topology?.size ?? 0],
    ['cluster_current_epoch', topology?.currentEpoch ?? 0],
    ['cluster_my_epoch', node.myself?.configEpoch ?? 0],
    ['cluster_stats_messages_sent', node.messagesSent],
    ['cluster_stats_messages_received', node.messagesReceived],
    ['total_cluster_links_buffer_limit_exceeded', 0],
  ];
  return fields.map(([name, value]) => `${name}:${value}\r\n`).join('');
}

/** CLUSTER SLOTS: [start, end, [host, port, id, {}]] per run of slots, in slot order. */
export function writeClusterSlots(reply: ReplyWriter, topology: Topology | null): void {
  const runs = topology === null ? [] : slotRuns(topology.owners).filter((run) => run[2] !== NO_OWNER);
  reply.array(runs.length);
  for (const [start, end, owner] of runs) {
    const peer = (topology as Topology).peers[owner];
    reply.array(3);
    reply.integer(start);
    reply.integer(end);
    reply.array(4);
    reply.bulk(peer.host);
    reply.integer(peer.port);
    reply.bulk(peer.id);
    reply.map(0);
  }
}

/** CLUSTER SHARDS: one shard per master, with its slot ranges as integer pairs and its node. */
export function writeClusterShards(reply: ReplyWriter, topology: Topology | null): void {
  const peers = topology?.peers ?? [];
  reply.array(peers.length);
  for (const peer of peers) {
    reply.map(2);
    reply.bulk('slots');
    const bounds = rangeBounds(peer);
    reply.array(bounds.length);
    for (const bound of bounds) reply.integer(bound);
    reply.bulk('nodes');
    reply.array(1);
    reply.map(7);
    reply.bulk('id');
    reply.bulk(peer.id);
    reply.bulk('port');
    reply.integer(peer.port);
    reply.bulk('ip');
    reply.bulk(peer.host);
    reply.bulk('endpoint');
    reply.bulk(peer.host);
    reply.bulk('role');
    reply.bulk(peer.masterId === null ? 'master' : 'replica');
    reply.bulk('replication-offset');
    reply.integer(0);
    reply.bulk('health');
    reply.bulk(peer.failing ? 'fail' : 'online');
  }
}

/** A peer's ranges as start, end, start, end... */
function rangeBounds(peer: ClusterPeer): number[] {
  if (peer.ranges === '') return [];
  const bounds: number[] = [];
  for (const range of peer.ranges.split(' ')) {
    const dash = range.indexOf('-');
    if (dash === -1) bounds.push(Number(range), Number(range));
    else bounds.push(Number(range.slice(0, dash)), Number(range.slice(dash + 1)));
  }
  return bounds;
}
