// Self-managed membership without a cluster bus: every node sends each member it knows, a few
// times per node timeout, `CLUSTER GOSSIP <json>` on the member's client port, and the member
// answers with its own message. A message carries what the sender knows first-hand (its id,
// address, slots, config epoch, role) and, about every other member, only what Redis's gossip
// sections carry (id, address, whether it looks failing). Slots are only ever learned from their
// claimant, as in Redis, so a stale relay can never undo a newer assignment; members heard of
// through a relay are contacted directly and answer with their own slots.

import type { ClusterNode } from './cluster-node.js';
import { SLOT_COUNT } from './crc16.js';
import { NODE_ID_PATTERN } from './nodes-file.js';
import { PeerConnection } from './peer-connection.js';
import { newPeer, type ClusterPeer } from './topology.js';

/** A member as a third party describes it. */
interface GossipEntry {
  id: string;
  host: string;
  port: number;
  cport: number;
  /** '' (healthy as far as the sender knows), 'pfail' or 'fail'. */
  state: '' | 'pfail' | 'fail';
}

export interface GossipMessage {
  id: string;
  host: string;
  port: number;
  cport: number;
  epoch: number;
  currentEpoch: number;
  master: string | null;
  /** Slot ranges [start, end] the sender owns. */
  slots: [number, number][];
  /** Sent to a node met with CLUSTER MEET: the only message that makes a stranger a member. */
  meet: boolean;
  known: GossipEntry[];
}

const MAX_INTERVAL_MS = 500;
const MIN_INTERVAL_MS = 20;

export class Gossip {
  private readonly links = new Map<ClusterPeer, GossipLink>();
  private timer: NodeJS.Timeout | null = null;
  /** Scratch: the slots of the message being merged. */
  private readonly claimed = new Uint8Array(SLOT_COUNT);
  /** Slots whose owner (in this view) no longer claims them in its own messages. */
  private readonly abandoned = new Uint8Array(SLOT_COUNT);

  constructor(private readonly node: ClusterNode) {}

  start(): void {
    this.tick();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  /** Gossips at once (after CLUSTER MEET), instead of at the next tick. */
  wake(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
    this.timer.unref();
  }

  private get interval(): number {
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.node.nodeTimeout / 5));
  }

  private tick(): void {
    this.detectFailures();
    const topology = this.node.view;
    for (const [peer, link] of this.links) {
      if (!topology.peers.includes(peer)) {
        link.close();
        this.links.delete(peer);
      }
    }
    for (const peer of topology.peers) {
      if (peer === this.node.myself) continue;
      let link = this.links.get(peer);
      if (link === undefined) {
        link = new GossipLink(peer, (text) => this.answered(peer, text));
        this.links.set(peer, link);
      }
      if (link.send(this.message(peer), this.node.password, this.node.now, this.node.nodeTimeout)) this.node.messagesSent++;
    }
    this.timer = setTimeout(() => this.tick(), this.interval);
    this.timer.unref();
  }

  /** `fail?` after a node timeout of silence; `fail` once a majority of masters agree. */
  private detectFailures(): void {
    const node = this.node;
    const topology = node.view;
    const now = node.now;
    const timeout = node.nodeTimeout;
    let dirty = false;
    for (const peer of [...topology.peers]) {
      if (peer === node.myself) continue;
      const silent = now - peer.lastPongAt;
      if (peer.handshake) {
        if (silent > Math.max(timeout, 1000)) {
          topology.remove(peer);
          dirty = true;
        }
        continue;
      }
      if (silent > timeout && !peer.pfail && !peer.failing) peer.pfail = true;
      if (peer.pfail && !peer.failing && this.failureAgreed(peer)) {
        peer.pfail = false;
        peer.failing = true;
        dirty = true;
      }
    }
    if (dirty) node.changed();
  }

  /** Redis's markNodeAsFailingIfNeeded: reports still valid, plus this node's own, from a majority of masters. */
  private failureAgreed(peer: ClusterPeer): boolean {
    const node = this.node;
    const topology = node.view;
    const validity = node.nodeTimeout * 2;
    let reports = node.self.masterId === null ? 1 : 0;
    for (const [reporter, at] of peer.failureReports) {
      if (node.now - at > validity) peer.failureReports.delete(reporter);
      else reports++;
    }
    return reports >= Math.floor(topology.size / 2) + 1;
  }

  /** What this node tells `to` (or, with null, anyone who writes to it). */
  message(to: ClusterPeer | null): string {
    const node = this.node;
    const me = node.self;
    const topology = node.view;
    const slots: [number, number][] = [];
    for (const range of me.ranges === '' ? [] : me.ranges.split(' ')) {
      const [start, end] = range.split('-').map(Number);
      slots.push([start, end ?? start]);
    }
    const known: GossipEntry[] = [];
    for (const peer of topology.peers) {
      if (peer === me || peer.handshake || !peer.idKnown) continue;
      const state = peer.failing ? 'fail' : peer.pfail ? 'pfail' : '';
      known.push({ id: peer.id, host: peer.host, port: peer.port, cport: peer.cport, state });
    }
    const message: GossipMessage = {
      id: me.id,
      host: me.host,
      port: me.port,
      cport: me.cport,
      epoch: me.configEpoch,
      currentEpoch: topology.currentEpoch,
      master: me.masterId,
      slots,
      meet: to !== null && to.handshake && !to.idKnown,
      known,
    };
    return JSON.stringify(message);
  }

  /** A member's answer to this node's message. */
  private answered(peer: ClusterPeer, text: string): void {
    const message = parseMessage(text);
    const topology = this.node.topology;
    if (message === null || topology === null || !topology.peers.includes(peer)) return;
    this.node.messagesReceived++;
    let sender = peer;
    if (!peer.idKnown || peer.id !== message.id) {
      const existing = topology.byId(message.id);
      if (existing !== undefined && existing !== peer) {
        // Met at an address already known under its id: the handshake entry was a duplicate.
        topology.remove(peer);
        sender = existing;
      } else if (this.node.isBanned(message.id) || message.id === this.node.myId) {
        topology.remove(peer);
        this.node.changed();
        return;
      } else {
        peer.id = message.id;
        peer.idKnown = true;
      }
    }
    this.merge(sender, message);
  }

  /** A message that arrived as a command; the answer is this node's own message. */
  received(text: string): string | null {
    const message = parseMessage(text);
    if (message === null) return null;
    const node = this.node;
    const topology = node.view;
    node.messagesReceived++;
    let sender = topology.byId(message.id);
    if (sender === undefined && message.id !== node.myId && !node.isBanned(message.id)) {
      const met = topology.peers.find((p) => !p.idKnown && p.host === message.host && p.port === message.port);
      if (met !== undefined) {
        met.id = message.id;
        met.idKnown = true;
        sender = met;
      } else if (message.meet) {
        sender = newPeer(message, message.id, node.now, message.cport);
        topology.add(sender);
      }
    }
    if (sender !== undefined && sender !== node.myself) this.merge(sender, message);
    return this.message(sender ?? null);
  }

  /** Applies a member's first-hand message, then its gossip about the others. */
  private merge(peer: ClusterPeer, message: GossipMessage): void {
    const node = this.node;
    const topology = node.view;
    const me = node.self;
    let dirty = peer.handshake || peer.failing;
    peer.handshake = false;
    peer.lastPongAt = node.now;
    peer.pfail = false;
    peer.failing = false;
    if (peer.host !== message.host || peer.port !== message.port || peer.cport !== message.cport || peer.masterId !== message.master) {
      peer.host = message.host;
      peer.port = message.port;
      peer.cport = message.cport;
      peer.masterId = message.master;
      dirty = true;
    }
    if (message.currentEpoch > topology.currentEpoch) {
      topology.currentEpoch = message.currentEpoch;
      dirty = true;
    }
    if (message.epoch !== peer.configEpoch) {
      peer.configEpoch = message.epoch;
      dirty = true;
    }
    if (message.master === null) dirty = this.claimSlots(peer, message) || dirty;
    if (message.master === null && me.masterId === null && message.epoch === me.configEpoch && message.id > me.id) {
      // Redis's clusterHandleConfigEpochCollision: of two masters sharing an epoch, the one
      // with the smaller id moves on, so that every slot conflict has a winner.
      topology.currentEpoch++;
      me.configEpoch = topology.currentEpoch;
      dirty = true;
    }
    for (const entry of message.known) dirty = this.relayed(peer, entry) || dirty;
    if (dirty) node.changed();
  }

  /**
   * Slots move to the claimant only from an owner with a strictly lower config epoch, or from an
   * owner whose own latest message no longer claims them. Redis has only the first rule, and a
   * node then keeps a stale owner for good when the old owner takes a new epoch (BUMPEPOCH,
   * another import) before the new owner's claim arrives: the claim no longer outranks it.
   */
  private claimSlots(peer: ClusterPeer, message: GossipMessage): boolean {
    const topology = this.node.view;
    const claimed = this.claimed;
    claimed.fill(0);
    let moved = false;
    for (const [start, end] of message.slots) {
      for (let slot = start; slot <= end; slot++) {
        claimed[slot] = 1;
        if (this.node.importing.has(slot)) continue;
        const owner = topology.ownerOf(slot);
        if (owner === peer) {
          this.abandoned[slot] = 0;
          continue;
        }
        if (owner !== null && owner.configEpoch >= message.epoch && this.abandoned[slot] === 0) continue;
        topology.assign(slot, peer);
        this.abandoned[slot] = 0;
        moved = true;
      }
    }
    // What this view says the sender owns but the sender itself no longer claims: the next claim
    // of it wins whatever its epoch. The owner stays until then, and redirects clients itself.
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (claimed[slot] === 0 && topology.ownerOf(slot) === peer) this.abandoned[slot] = 1;
    }
    return moved;
  }

  /** A third party as the sender sees it: a failure report, or a member to get to know. */
  private relayed(sender: ClusterPeer, entry: GossipEntry): boolean {
    const node = this.node;
    if (entry.id === node.myId || node.isBanned(entry.id) || !NODE_ID_PATTERN.test(entry.id)) return false;
    const topology = node.view;
    const known = topology.byId(entry.id);
    if (known === undefined) {
      if (entry.state !== '' || topology.peers.some((p) => p.host === entry.host && p.port === entry.port)) return false;
      const peer = newPeer(entry, entry.id, node.now, entry.cport);
      peer.handshake = true;
      topology.add(peer);
      return true;
    }
    if (sender.masterId !== null) return false;
    if (entry.state === '') {
      known.failureReports.delete(sender.id);
      return false;
    }
    known.failureReports.set(sender.id, node.now);
    if (entry.state === 'fail' && known.pfail && !known.failing) {
      known.pfail = false;
      known.failing = true;
      return true;
    }
    return false;
  }
}

function parseMessage(text: string): GossipMessage | null {
  try {
    const message = JSON.parse(text) as GossipMessage;
    if (typeof message !== 'object' || message === null || !NODE_ID_PATTERN.test(message.id)) return null;
    if (!validAddress(message) || !Number.isSafeInteger(message.epoch) || !Number.isSafeInteger(message.currentEpoch)) return null;
    if (!Array.isArray(message.slots) || !message.slots.every(validRange)) return null;
    if (!Array.isArray(message.known) || !message.known.every((entry) => NODE_ID_PATTERN.test(entry?.id) && validAddress(entry))) return null;
    if (message.master !== null && !NODE_ID_PATTERN.test(message.master)) return null;
    return message;
  } catch {
    return null;
  }
}

function validAddress(address: { host: unknown; port: unknown; cport: unknown }): boolean {
  return typeof address.host === 'string' && validPort(address.port) && validPort(address.cport);
}

function validPort(port: unknown): boolean {
  return Number.isInteger(port) && (port as number) > 0 && (port as number) <= 65535;
}

function validRange(range: unknown): boolean {
  if (!Array.isArray(range) || range.length !== 2) return false;
  const [start, end] = range as unknown[];
  return Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) < SLOT_COUNT;
}

/** One connection to one member's client port, with at most one message awaiting its answer. */
class GossipLink extends PeerConnection<'gossip'> {
  private sentAt = 0;

  constructor(
    peer: ClusterPeer,
    private readonly onAnswer: (text: string) => void,
  ) {
    super(peer);
  }

  /** Sends a message unless one is still unanswered; a link silent past the timeout is reopened. */
  send(payload: string, password: string, now: number, timeout: number): boolean {
    if (this.expected.includes('gossip')) {
      if (now - this.sentAt <= Math.max(timeout / 2, 1000)) return false;
      this.close();
    }
    if (this.socket === null) this.connect(password);
    this.expected.push('gossip');
    this.sentAt = now;
    const length = Buffer.byteLength(payload, 'latin1');
    this.socket?.write(`*3\r\n$7\r\nCLUSTER\r\n$6\r\nGOSSIP\r\n$${length}\r\n${payload}\r\n`, 'latin1');
    return true;
  }

  protected override onReply(request: 'gossip' | 'auth' | undefined, value: string | null): void {
    if (request === 'gossip' && value !== null) this.onAnswer(value);
  }
}
