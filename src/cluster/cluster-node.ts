// One server's part in a cluster: its identity, its view of the topology, the per-slot key
// index, and the routing check every command passes in cluster mode (Redis's getNodeByQuery).

import { ERR_CLUSTER_DOWN, ERR_CROSSSLOT, ERR_SLOT_NOT_SERVED, ERR_TRYAGAIN } from '../errors.js';
import { keyPositions } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import type { Client } from '../server/client.js';
import type { ServerCore } from '../server/core.js';
import { parseNodeList, type NodeAddress } from './addresses.js';
import { SLOT_COUNT, keySlot } from './crc16.js';
import { Gossip } from './gossip.js';
import { newNodeId, nodesFilePath, readNodesFile, writeNodesFile, type SavedNodes } from './nodes-file.js';
import { PeerProbe } from './peer-probe.js';
import { NO_OWNER } from './ring.js';
import { SlotKeyIndex } from './slot-index.js';
import { Topology, newPeer, type ClusterPeer } from './topology.js';
import { clusterNodesText } from './views.js';

/** How long a forgotten node stays banned, so that gossip does not bring it back (Redis: 60 s). */
const FORGET_BAN_MS = 60_000;

/** Every slot number, for CLUSTER FLUSHSLOTS and RESET. */
export const ALL_SLOTS: readonly number[] = Array.from({ length: SLOT_COUNT }, (_, i) => i);

/** Bind addresses that are not an address a client could be sent to. */
const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '-::*']);

export class ClusterNode {
  /** Changes only with CLUSTER RESET HARD. */
  myId: string;
  readonly slotKeys = new SlotKeyIndex();
  /**
   * Open slots, by slot, with the other node's id: slots this node is moving away (SETSLOT
   * MIGRATING) and slots it is taking in (SETSLOT IMPORTING). The routing below reads them for
   * ASK and TRYAGAIN; CLUSTER SETSLOT (commands/cluster.ts) is what fills and clears them.
   */
  readonly migrating = new Map<number, string>();
  readonly importing = new Map<number, string>();
  /** Null until the server listens (start) or joins an in-process cluster. */
  topology: Topology | null = null;
  myself: ClusterPeer | null = null;
  /** Gossip exchanges, for CLUSTER INFO. */
  messagesSent = 0;
  messagesReceived = 0;
  private probe: PeerProbe | null = null;
  private gossip: Gossip | null = null;
  /** Forgotten node ids, until when (ms) gossip may not re-add them. */
  private readonly banned = new Map<string, number>();
  /** Ids learned earlier, by host:port, from the nodes file. */
  private readonly savedIds: Map<string, string>;
  private readonly saved: SavedNodes | null;
  private readonly filePath: string;
  /** What was last written to the nodes file, to skip writes that would change nothing. */
  private savedLines: string | null = null;
  private savedEpoch = -1;
  /** A save due once this event-loop turn's commands have run (see saveSoon). */
  private pendingSave: NodeJS.Immediate | null = null;

  constructor(private readonly core: ServerCore) {
    const config = core.config;
    this.filePath = nodesFilePath(config.get('dir'), config.get('cluster-config-file'));
    this.saved = readNodesFile(this.filePath);
    this.myId = this.saved?.myId ?? newNodeId();
    this.savedIds = this.saved?.idsByAddress ?? new Map();
    // Open slots survive a restart, so an interrupted reshard can be resumed or fixed.
    for (const [slot, id] of this.saved?.migrating ?? []) this.migrating.set(slot, id);
    for (const [slot, id] of this.saved?.importing ?? []) this.importing.set(slot, id);
    this.slotKeys.attach(core.keyspace.db(0));
  }

  /**
   * Takes this node's place in the cluster-nodes list once its port is known (the server has
   * bound it), computes the slot map, and starts watching the other nodes.
   */
  start(boundPort: number): void {
    const config = this.core.config;
    const me: NodeAddress = {
      host: config.get('cluster-announce-ip') || announceableBind(config.get('bind')),
      port: config.getNumber('cluster-announce-port') || boundPort,
    };
    const listed = config.get('cluster-nodes');
    if (listed === '') {
      this.startSelfManaged(me);
      return;
    }
    const members = parseNodeList(listed);
    const topology = new Topology(members, config.getNumber('cluster-vnodes'), this.core.clock.now());
    const index = findMyself(topology, me, config.get('cluster-announce-ip') !== '');
    if (index === -1) {
      throw new Error(`cluster-nodes does not list this node: no entry for port ${me.port}${config.get('cluster-announce-ip') ? ` at ${me.host}` : ''}`);
    }
    for (const peer of topology.peers) {
      const id = this.savedIds.get(`${peer.host}:${peer.port}`);
      if (id !== undefined) peer.id = id;
    }
    this.join(topology, index);
    if (topology.peers.length > 1) {
      this.probe = new PeerProbe(this);
      this.probe.start();
    }
  }

  /**
   * Without a cluster-nodes list the node manages its membership as Redis does: it starts from
   * its nodes file, or alone and owning no slot, and gossips with the nodes CLUSTER MEET names.
   */
  private startSelfManaged(me: NodeAddress): void {
    const now = this.now;
    const topology = new Topology([me], this.core.config.getNumber('cluster-vnodes'), now, false);
    const saved = this.saved?.peers ?? [];
    if (saved.length > 0) {
      topology.peers.length = 0;
      for (const entry of saved) {
        const peer = entry.myself ? newPeer(me, entry.id, now) : newPeer(entry, entry.id, now, entry.cport);
        peer.configEpoch = entry.configEpoch;
        peer.masterId = entry.masterId;
        topology.add(peer);
        for (const [start, end] of entry.ranges) for (let slot = start; slot <= end; slot++) topology.assign(slot, peer);
      }
      topology.currentEpoch = this.saved?.currentEpoch ?? 0;
      topology.refresh();
    }
    this.join(topology, Math.max(0, topology.peers.findIndex((p) => p.id === this.myId)));
    this.gossip = new Gossip(this);
    this.gossip.start();
  }

  /** Becomes member `index` of a topology, possibly shared with other in-process nodes. */
  join(topology: Topology, index: number): void {
    this.probe?.stop();
    this.probe = null;
    this.topology = topology;
    this.myself = topology.peers[index];
    this.myself.id = this.myId;
    this.myself.idKnown = true;
    this.myself.failing = false;
    this.save();
  }

  stop(): void {
    if (this.pendingSave !== null) this.save();
    this.probe?.stop();
    this.probe = null;
    this.gossip?.stop();
    this.gossip = null;
    // Nodes sharing this topology in-process see at once that this one is gone.
    if (this.myself !== null) this.myself.failing = true;
    this.slotKeys.detach(this.core.keyspace.db(0));
  }

  get nodeTimeout(): number {
    return this.core.config.getNumber('cluster-node-timeout');
  }

  get now(): number {
    return this.core.clock.now();
  }

  /** When a peer last answered; in-process peers answer as long as they run. */
  pongTime(peer: ClusterPeer): number {
    return this.probe === null && this.gossip === null && !peer.failing ? this.now : peer.lastPongAt;
  }

  get password(): string {
    return this.core.config.get('requirepass');
  }

  get self(): ClusterPeer {
    if (this.myself === null) throw new Error('cluster node not started');
    return this.myself;
  }

  get view(): Topology {
    if (this.topology === null) throw new Error('cluster node not started');
    return this.topology;
  }

  /** Where ASK sends a key of a slot this node is handing over; null when it is not. */
  migratingTo(slot: number): ClusterPeer | null {
    const id = this.migrating.get(slot);
    return id === undefined ? null : (this.topology?.byId(id) ?? null);
  }

  /** The node a slot is being taken over from; null when this node is not importing it. */
  importingFrom(slot: number): ClusterPeer | null {
    const id = this.importing.get(slot);
    return id === undefined ? null : (this.topology?.byId(id) ?? null);
  }

  /** CLUSTER ADDSLOTS: the slots become this node's (the caller checked they were free). */
  addSlots(slots: readonly number[]): void {
    for (const slot of slots) {
      this.view.assign(slot, this.self);
      this.importing.delete(slot);
    }
    this.changed();
  }

  /** CLUSTER DELSLOTS / FLUSHSLOTS: the slots become unassigned here; other nodes keep their view. */
  delSlots(slots: readonly number[]): void {
    for (const slot of slots) this.view.assign(slot, null);
    this.changed();
  }

  /** CLUSTER SETSLOT slot NODE id, Redis's rules for the open-slot markers and the epoch. */
  setSlotNode(slot: number, peer: ClusterPeer): void {
    if (peer !== this.myself && this.slotKeys.count(slot) === 0) this.migrating.delete(slot);
    if (peer === this.myself && this.importing.has(slot)) {
      // The slot's new owner must win over the old one everywhere: it takes a new, highest epoch.
      this.bumpEpoch();
      this.importing.delete(slot);
    }
    this.view.assign(slot, peer);
    this.changed();
  }

  /** Redis's clusterBumpConfigEpochWithoutConsensus: true when the epoch was bumped. */
  bumpEpoch(): boolean {
    const topology = this.view;
    const me = this.self;
    if (me.configEpoch !== 0 && me.configEpoch === topology.maxEpoch) return false;
    // Past the current epoch, not just the highest config epoch: an epoch handed out before
    // (a vote, a bump whose owner since moved on) must never be handed out again.
    topology.currentEpoch = Math.max(topology.currentEpoch, topology.maxEpoch) + 1;
    me.configEpoch = topology.currentEpoch;
    this.changed();
    return true;
  }

  /** CLUSTER MEET: the address joins as a handshake member until it answers. */
  meet(address: NodeAddress, cport: number): void {
    const topology = this.view;
    if (topology.peers.some((p) => p.host === address.host && p.port === address.port && p !== this.myself)) return;
    const peer = newPeer(address, newNodeId(), this.now, cport);
    peer.handshake = true;
    peer.idKnown = false;
    topology.add(peer);
    this.gossip?.wake();
  }

  /** CLUSTER FORGET: drops the member and bans its id for a minute. */
  forget(peer: ClusterPeer): void {
    this.banned.set(peer.id, this.now + FORGET_BAN_MS);
    this.view.remove(peer);
    this.changed();
  }

  isBanned(id: string): boolean {
    const until = this.banned.get(id);
    if (until === undefined) return false;
    if (until > this.now) return true;
    this.banned.delete(id);
    return false;
  }

  /** CLUSTER RESET: a master again, owning nothing, knowing nobody; HARD also takes a new id and epochs 0. */
  reset(hard: boolean): void {
    const topology = this.view;
    const me = this.self;
    me.masterId = null;
    this.migrating.clear();
    this.importing.clear();
    topology.unassignAll();
    for (const peer of [...topology.peers]) if (peer !== me) topology.remove(peer);
    if (hard) {
      topology.currentEpoch = 0;
      me.configEpoch = 0;
      this.myId = newNodeId();
      me.id = this.myId;
    }
    this.changed();
  }

  /** CLUSTER REPLICATE: the role is recorded and gossiped; no data is copied yet. */
  replicate(master: ClusterPeer): void {
    this.self.masterId = master.id;
    this.changed();
  }

  /** A CLUSTER GOSSIP message from another node: the answer to send back, or null when it is malformed. */
  receiveGossip(text: string): string | null {
    return this.gossip === null ? null : this.gossip.received(text);
  }

  /**
   * Ownership, membership or an epoch changed: persist. The topology itself redoes its ranges
   * when they are next read (Topology.render).
   */
  changed(): void {
    this.saveSoon();
  }

  /**
   * Saves once the commands of this event-loop turn have run, as Redis saves before it next
   * sleeps (clusterBeforeSleep): a reshard's pipelined SETSLOTs then cost one write, not one each.
   * A connection about to send replies saves first (Connection.flush), so no client ever holds an
   * OK for a change that a kill -9 could still take back.
   */
  saveSoon(): void {
    if (this.pendingSave !== null || this.topology === null) return;
    this.pendingSave = setImmediate(() => {
      this.pendingSave = null;
      this.save();
    });
  }

  /** True when a change is waiting for saveSoon's write. */
  get saveDue(): boolean {
    return this.pendingSave !== null;
  }

  /** Persists the current view; called when it changes (a peer's id learned). `force` writes even an unchanged view (CLUSTER SAVECONFIG). */
  save(force = false): void {
    if (this.pendingSave !== null) clearImmediate(this.pendingSave);
    this.pendingSave = null;
    if (this.topology === null) return;
    const lines = clusterNodesText(this, true);
    const currentEpoch = this.topology.currentEpoch;
    // A reshard sends every master SETSLOT for every slot; most change nothing worth a write.
    if (!force && lines === this.savedLines && currentEpoch === this.savedEpoch) return;
    writeNodesFile(this.filePath, lines, currentEpoch);
    this.savedLines = lines;
    this.savedEpoch = currentEpoch;
  }

  /**
   * Redis's cluster redirection, run for every command after authentication and before MULTI
   * queueing. Returns true when the command was refused (the error is written, counted, and
   * spoils or discards the transaction, as in Redis).
   */
  redirect(client: Client, spec: CommandSpec, fullName: string, args: string[]): boolean {
    // ASKING holds for the next command only (for a whole transaction when sent inside it).
    const asking = client.asking;
    if (spec.name !== 'asking' && client.multi === null) client.asking = false;
    const error = this.routingError(client, spec, args, asking);
    if (error === null) return false;
    this.core.stats.command(fullName).rejectedCalls++;
    if (error.startsWith('MOVED ')) this.core.stats.redirects.moved++;
    else if (error.startsWith('ASK ')) this.core.stats.redirects.ask++;
    if (spec.name === 'exec') this.core.discardTransaction(client);
    else if (client.multi !== null) client.multiFailed = true;
    client.reply.error(error);
    return true;
  }

  /**
   * The error that sends a command elsewhere, or null to run it here. EXEC answers for the keys
   * of every queued command together, as they must share one slot too.
   */
  private routingError(client: Client, spec: CommandSpec, args: string[], asking: boolean): string | null {
    const slots = new SlotCheck(this.topology);
    if (spec.name === 'exec') {
      if (client.multi === null) return null;
      for (const queued of client.multi) {
        const found = this.core.resolve(queued.args);
        if (found.spec !== undefined && !slots.addKeysOf(found.spec, queued.args)) break;
      }
    } else {
      if (spec.keys[0] === 0 && spec.getKeys === undefined) return null;
      slots.addKeysOf(spec, args);
    }
    if (slots.error !== null) return slots.error;
    if (slots.slot === -1) return null;
    const topology = this.topology as Topology;
    // A self-managed node refuses every keyed command while the cluster is down, as Redis does;
    // with a static cluster-nodes list, only a failed node's own slots are down.
    if (this.gossip !== null && !topology.ok) return ERR_CLUSTER_DOWN;
    const peer = topology.peers[slots.owner];
    const open = this.openSlotError(spec, slots, peer === this.myself, asking);
    if (open !== undefined) return open;
    if (peer === this.myself) return null;
    if (peer.failing) return ERR_CLUSTER_DOWN;
    return `MOVED ${slots.slot} ${peer.host}:${peer.port}`;
  }

  /**
   * Redis's rules for a slot on the move (getNodeByQuery): on the migrating node, keys that are
   * all gone answer ASK to the target and a partial set TRYAGAIN; on the importing node, a
   * command after ASKING (or RESTORE-ASKING) is served unless it names several keys not all
   * here yet. MIGRATE itself always runs locally. Undefined when these rules do not decide.
   */
  private openSlotError(spec: CommandSpec, slots: SlotCheck, mine: boolean, asking: boolean): string | null | undefined {
    const migratingTo = mine ? this.migrating.get(slots.slot) : undefined;
    const importing = migratingTo === undefined && this.importing.has(slots.slot);
    if (migratingTo === undefined && !importing) return undefined;
    if (spec.name === 'migrate') return null;
    const db = this.core.keyspace.db(0);
    const now = this.now;
    let missing = 0;
    for (const key of slots.keys) if (!db.exists(key, now)) missing++;
    const existing = slots.keys.length - missing;
    if (migratingTo !== undefined && missing > 0) {
      if (existing > 0) return ERR_TRYAGAIN;
      const target = this.topology?.peers.find((p) => p.id === migratingTo);
      if (target !== undefined) return `ASK ${slots.slot} ${target.host}:${target.port}`;
    }
    if (importing && (asking || spec.flags.includes('asking'))) {
      const multipleKeys = new Set(slots.keys).size > 1;
      return multipleKeys && missing > 0 ? ERR_TRYAGAIN : null;
    }
    return undefined;
  }
}

/** The one slot of a request's keys, checked in Redis's order as the keys come. */
class SlotCheck {
  slot = -1;
  owner = NO_OWNER;
  error: string | null = null;
  /** Every key named, in order (repeats included), for the open-slot checks. */
  readonly keys: string[] = [];

  constructor(private readonly topology: Topology | null) {}

  /** Adds a command's keys; false once the request is refused. */
  addKeysOf(spec: CommandSpec, args: readonly string[]): boolean {
    if (spec.getKeys === undefined && spec.keys[0] === 1 && spec.keys[1] === 1) {
      return args.length < 2 || this.add(args[1]);
    }
    let positions: number[];
    try {
      positions = keyPositions(spec, args);
    } catch {
      // Malformed arguments (a bad numkeys) name no keys; the command itself refuses them.
      return true;
    }
    for (const position of positions) if (!this.add(args[position])) return false;
    return true;
  }

  private add(key: string): boolean {
    this.keys.push(key);
    const slot = keySlot(key);
    if (this.slot === -1) {
      // The first key's slot must be served before anything else is looked at.
      this.owner = this.topology === null ? NO_OWNER : this.topology.owners[slot];
      if (this.owner === NO_OWNER) this.error = ERR_SLOT_NOT_SERVED;
      this.slot = slot;
    } else if (slot !== this.slot) {
      this.error = ERR_CROSSSLOT;
    }
    return this.error === null;
  }
}

/** The first bind address, or loopback when it is a wildcard no client can be sent to. */
export function announceableBind(bind: string): string {
  const first = bind.split(/\s+/).find((a) => a !== '') ?? '';
  const address = first.startsWith('-') ? first.slice(1) : first;
  return WILDCARDS.has(address) ? '127.0.0.1' : address;
}

/**
 * This node's entry in the list: the one at its announced address, or, without an announced
 * ip, the only one on its port.
 */
function findMyself(topology: Topology, me: NodeAddress, exact: boolean): number {
  const exactIndex = topology.find(me);
  if (exactIndex !== -1 || exact) return exactIndex;
  const onMyPort = topology.peers.flatMap((peer, i) => (peer.port === me.port ? [i] : []));
  return onMyPort.length === 1 ? onMyPort[0] : -1;
}
