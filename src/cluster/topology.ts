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

export class ClusterPeer {
  /** 40 lowercase hex digits; a placeholder until the peer has told it (see idKnown). */
  id: string;
  idKnown = true;
  configEpoch = 0;
  /** Last time the peer answered (ms); the myself entry counts as always answering. */
  lastPongAt: number;
  /** Silent for longer than cluster-node-timeout, as this node sees it (Redis's `fail?`). */
  pfail = false;
  /** Failed by agreement of a majority of masters (Redis's `fail`): its slots are down. */
  failing = false;
  /** Met (CLUSTER MEET) or heard of, but not yet answered. */
  handshake = false;
  /** Id of the master it replicates, or null for a master. */
  masterId: string | null = null;
  /** Who said it is failing, and when (ms), by reporter id. */
  readonly failureReports = new Map<string, number>();
  /** The topology that lists this peer, which keeps the two fields below (see Topology.render). */
  topology: Topology | null = null;
  /** Slots owned, as last counted or kept up to date by Topology.assign. */
  ownedSlots = 0;
  /** Coalesced slot ranges as last rendered. */
  renderedRanges = '';

  constructor(
    /** The address clients are sent to. */
    public host: string,
    public port: number,
    /** The cluster bus port it announces (shown as `@cport`; nothing listens there). */
    public cport: number,
    id: string,
    now: number,
  ) {
    this.id = id;
    this.lastPongAt = now;
  }

  /** Coalesced slot ranges (`0-5460 5462`), rendered when first read after an ownership change. */
  get ranges(): string {
    this.topology?.render();
    return this.renderedRanges;
  }

  get slotCount(): number {
    this.topology?.count();
    return this.ownedSlots;
  }
}

export function newPeer(address: NodeAddress, id: string, now: number, cport = address.port + BUS_PORT_OFFSET): ClusterPeer {
  return new ClusterPeer(address.host, address.port, cport, id, now);
}

export class Topology {
  readonly peers: ClusterPeer[];
  /** Index into peers of each slot's owner, NO_OWNER when unassigned. */
  readonly owners: Uint16Array;
  currentEpoch: number;
  /**
   * The peers' ranges and counts no longer match owners. Rendering the ranges walks every slot
   * and builds thousands of strings for a ring-placed cluster, so it waits for a reader (CLUSTER
   * NODES, SLOTS, SHARDS, gossip, the nodes file...) rather than running on every SETSLOT: a
   * reshard's pipeline of SETSLOTs then renders once, not once per slot.
   */
  private rangesStale = true;
  /** The counts too (after owners was written directly; assign keeps them current otherwise). */
  private countsStale = true;

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
      peer.topology = this;
      return peer;
    });
    this.currentEpoch = placed ? sorted.length : 0;
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
    const before = this.owners[slot];
    const index = peer === null ? -1 : this.peers.indexOf(peer);
    const after = index === -1 ? NO_OWNER : index;
    if (before === after) return;
    this.owners[slot] = after;
    this.rangesStale = true;
    if (this.countsStale) return;
    if (before !== NO_OWNER) this.peers[before].ownedSlots--;
    if (after !== NO_OWNER) this.peers[after].ownedSlots++;
  }

  /** Every slot unassigned (CLUSTER RESET). */
  unassignAll(): void {
    this.owners.fill(NO_OWNER);
    this.refresh();
  }

  add(peer: ClusterPeer): void {
    this.peers.push(peer);
    peer.topology = this;
    peer.ownedSlots = 0;
    peer.renderedRanges = '';
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
    peer.topology = null;
    peer.ownedSlots = 0;
    peer.renderedRanges = '';
    this.refresh();
  }

  /** To call after writing owners directly: the ranges and counts are redone when next read. */
  refresh(): void {
    this.rangesStale = true;
    this.countsStale = true;
  }

  /** Brings every member's slot count up to date, if a direct write to owners left it stale. */
  count(): void {
    if (!this.countsStale) return;
    const counts = this.peers.map(() => 0);
    for (const owner of this.owners) if (owner !== NO_OWNER) counts[owner]++;
    this.peers.forEach((peer, i) => (peer.ownedSlots = counts[i]));
    this.countsStale = false;
  }

  /** Renders every member's ranges (and counts) if ownership changed since they were last rendered. */
  render(): void {
    if (!this.rangesStale) return;
    // One pass, no intermediate arrays: a ring-placed cluster has thousands of ranges.
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
      peer.renderedRanges = ranges[i];
      peer.ownedSlots = counts[i];
    });
    this.rangesStale = false;
    this.countsStale = false;
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
