// The cluster as a node sees it: its members, their ids and health, and the slot map the ring
// computes from their addresses. In-process clusters (startCluster) share one Topology between
// their nodes; nodes in separate processes each build their own from the same cluster-nodes list.

import { createHash } from 'node:crypto';
import { SLOT_COUNT } from './crc16.js';
import { formatAddress, type NodeAddress } from './addresses.js';
import { NO_OWNER, placeSlots, slotRuns } from './ring.js';

export interface ClusterPeer {
  /** The address the ring hashes and clients are sent to: fixed for the peer's lifetime. */
  readonly host: string;
  readonly port: number;
  /** 40 lowercase hex digits; a placeholder until the peer has told it (see idKnown). */
  id: string;
  idKnown: boolean;
  /** Masters get distinct epochs, 1..N in address order, as redis-cli --cluster create gives them. */
  readonly configEpoch: number;
  /** Last time the peer answered (ms); the myself entry counts as always answering. */
  lastPongAt: number;
  /** Unreachable for longer than cluster-node-timeout: its slots are down. */
  failing: boolean;
  /** Coalesced slot ranges, rendered once (`0-5460 5462`). */
  readonly ranges: string;
  readonly slotCount: number;
}

export class Topology {
  /** Members in address order. */
  readonly peers: ClusterPeer[];
  /** Index into peers of each slot's owner, NO_OWNER when unassigned. */
  readonly owners: Uint16Array;
  readonly currentEpoch: number;

  constructor(addresses: readonly NodeAddress[], vnodes: number, now: number) {
    const sorted = [...addresses].sort((a, b) => compare(formatAddress(a), formatAddress(b)));
    this.owners = placeSlots(sorted.map(formatAddress), vnodes);
    const ranges: string[][] = sorted.map(() => []);
    const counts = sorted.map(() => 0);
    for (const [start, end, owner] of slotRuns(this.owners)) {
      if (owner === NO_OWNER) continue;
      ranges[owner].push(start === end ? String(start) : `${start}-${end}`);
      counts[owner] += end - start + 1;
    }
    this.peers = sorted.map((address, i) => ({
      host: address.host,
      port: address.port,
      id: placeholderId(address),
      idKnown: false,
      configEpoch: i + 1,
      lastPongAt: now,
      failing: false,
      ranges: ranges[i].join(' '),
      slotCount: counts[i],
    }));
    this.currentEpoch = sorted.length;
  }

  find(address: NodeAddress): number {
    return this.peers.findIndex((p) => p.host === address.host && p.port === address.port);
  }

  /** Slots whose owner is failing. */
  get failingSlots(): number {
    let n = 0;
    for (const peer of this.peers) if (peer.failing) n += peer.slotCount;
    return n;
  }

  get assignedSlots(): number {
    let n = 0;
    for (const peer of this.peers) n += peer.slotCount;
    return n;
  }

  /** Redis's cluster_state: ok only when every slot is served by a reachable node. */
  get ok(): boolean {
    return this.assignedSlots === SLOT_COUNT && this.failingSlots === 0;
  }
}

/**
 * What a peer is called until it answers: stable for its address, so that every node shows the
 * same name for it meanwhile.
 */
function placeholderId(address: NodeAddress): string {
  return createHash('sha1').update(`ringcache-node ${formatAddress(address)}`, 'latin1').digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
