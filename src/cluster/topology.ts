// The cluster as a node sees it: its members, their ids, roles, epochs and health, and the owner
// of every slot. A topology starts either from a cluster-nodes list (the consistent-hash ring
// places the slots; in-process clusters built by startCluster share one Topology between their
// nodes) or empty, as a fresh Redis node starts: alone and owning nothing until CLUSTER ADDSLOTS
// and MEET give it slots and peers.

import { createHash } from 'node:crypto';
import { SLOT_COUNT } from './crc16.js';
import { formatAddress, type NodeAddress } from './addresses.js';
import { NO_OWNER, placeSlots } from './ring.js';

/** Redis's default: the cluster bus listens 10000 ports above the client port. */
export const BUS_PORT_OFFSET = 10000;

export interface ClusterPeer {
  /** The address clients are sent to. */
  host: string;
  port: number;
  /** The cluster bus port it announces (shown as `@cport`; nothing listens there). */
  cport: number;
  /** 40 lowercase hex digits; a placeholder until the peer has told it (see idKnown). */
  id: string;
  idKnown: boolean;
  configEpoch: number;
  /** Last time the peer answered (ms); the myself entry counts as always answering. */
  lastPongAt: number;
  /** Silent for longer than cluster-node-timeout, as this node sees it (Redis's `fail?`). */
  pfail: boolean;
  /** Failed by agreement of a majority of masters (Redis's `fail`): its slots are down. */
  failing: boolean;
  /** Met (CLUSTER MEET) or heard of, but not yet answered. */
  handshake: boolean;
  /** Id of the master it replicates, or null for a master. */
  masterId: string | null;
  /** Who said it is failing, and when (ms), by reporter id. */
  readonly failureReports: Map<string, number>;
  /** Coalesced slot ranges, rendered once per change (`0-5460 5462`). */
  ranges: string;
  slotCount: number;
}

export function newPeer(address: NodeAddress, id: string, now: number, cport = address.port + BUS_PORT_OFFSET): ClusterPeer {
  return {
    host: address.host,
    port: address.port,
    cport,
    id,
    idKnown: true,
    configEpoch: 0,
    lastPongAt: now,
    pfail: false,
    failing: false,
    handshake: false,
    masterId: null,
    failureReports: new Map(),
    ranges: '',
    slotCount: 0,
  };
}

export class Topology {
  readonly peers: ClusterPeer[];
  /** Index into peers of each slot's owner, NO_OWNER when unassigned. */
  readonly owners: Uint16Array;
  currentEpoch: number;

  /**
   * Members placed on the ring, in address order, with epochs 1..N as redis-cli --cluster create
   * gives them; `placed = false` leaves every slot unassigned and every epoch 0.
   */
  constructor(addresses: readonly NodeAddress[], vnodes: number, now: number, placed = true) {
    const sorted = [...addresses].sort((a, b) => compare(formatAddress(a), formatAddress(b)));
    this.owners = placed ? placeSlots(sorted.map(formatAddress), vnodes) : new Uint16Array(SLOT_COUNT).fill(NO_OWNER);
    this.peers = sorted.map((address, i) => {
      const peer = newPeer(address, placeholderId(address), now);
      peer.idKnown = false;
      peer.configEpoch = placed ? i + 1 : 0;
      return peer;
    });
    this.currentEpoch = placed ? sorted.length : 0;
    this.refresh();
  }

  find(address: NodeAddress): number {
    return this.peers.findIndex((p) => p.host === address.host && p.port === address.port);
  }

  byId(id: string): ClusterPeer | undefined {
    return this.peers.find((p) => p.id === id && p.idKnown);
  }

  ownerOf(slot: number): ClusterPeer | null {
    const owner = this.owners[slot];
    return owner === NO_OWNER ? null : this.peers[owner];
  }

  assign(slot: number, peer: ClusterPeer | null): void {
    this.owners[slot] = peer === null ? NO_OWNER : this.peers.indexOf(peer);
  }

  add(peer: ClusterPeer): void {
    this.peers.push(peer);
  }

  /** Removes a member; the slots it owned become unassigned, as in Redis's clusterDelNode. */
  remove(peer: ClusterPeer): void {
    const index = this.peers.indexOf(peer);
    if (index === -1) return;
    this.peers.splice(index, 1);
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const owner = this.owners[slot];
      if (owner === index) this.owners[slot] = NO_OWNER;
      else if (owner !== NO_OWNER && owner > index) this.owners[slot] = owner - 1;
    }
    for (const other of this.peers) other.failureReports.delete(peer.id);
    this.refresh();
  }

  /** Recomputes every member's ranges and slot count; called after ownership changes. */
  refresh(): void {
    // One pass, no intermediate arrays: a reshard runs this once per SETSLOT, and a
    // ring-placed cluster has thousands of ranges.
    const ranges: string[] = this.peers.map(() => '');
    const counts = this.peers.map(() => 0);
    const owners = this.owners;
    let start = 0;
    let owner = owners[0];
    for (let slot = 1; slot <= SLOT_COUNT; slot++) {
      const next = slot < SLOT_COUNT ? owners[slot] : -1;
      if (next === owner) continue;
      if (owner !== NO_OWNER) {
        const range = start === slot - 1 ? String(start) : `${start}-${slot - 1}`;
        ranges[owner] = ranges[owner] === '' ? range : `${ranges[owner]} ${range}`;
        counts[owner] += slot - start;
      }
      start = slot;
      owner = next;
    }
    this.peers.forEach((peer, i) => {
      peer.ranges = ranges[i];
      peer.slotCount = counts[i];
    });
  }

  /** The largest config epoch of any member (Redis's clusterGetMaxEpoch), at least currentEpoch. */
  get maxEpoch(): number {
    let max = this.currentEpoch;
    for (const peer of this.peers) if (peer.configEpoch > max) max = peer.configEpoch;
    return max;
  }

  /** Slots whose owner has failed. */
  get failingSlots(): number {
    let n = 0;
    for (const peer of this.peers) if (peer.failing) n += peer.slotCount;
    return n;
  }

  /** Slots whose owner looks unreachable from here, not yet failed by agreement. */
  get pfailSlots(): number {
    let n = 0;
    for (const peer of this.peers) if (peer.pfail && !peer.failing) n += peer.slotCount;
    return n;
  }

  get assignedSlots(): number {
    let n = 0;
    for (const peer of this.peers) n += peer.slotCount;
    return n;
  }

  /** Masters serving at least one slot (cluster_size). */
  get size(): number {
    return this.peers.filter((p) => p.slotCount > 0).length;
  }

  /** Redis's cluster_state: ok only when every slot is served by a node not failed. */
  get ok(): boolean {
    return this.assignedSlots === SLOT_COUNT && this.failingSlots === 0;
  }
}

/**
 * What a peer is called until it answers: stable for its address, so that every node shows the
 * same name for it meanwhile.
 */
export function placeholderId(address: NodeAddress): string {
  return createHash('sha1').update(`ringcache-node ${formatAddress(address)}`, 'latin1').digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
