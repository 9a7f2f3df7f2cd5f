// One server's part in a cluster: its identity, its view of the topology, the per-slot key
// index, and the routing check every command passes in cluster mode (Redis's getNodeByQuery).

import { ERR_CLUSTER_DOWN, ERR_CROSSSLOT, ERR_SLOT_NOT_SERVED } from '../errors.js';
import { keyPositions } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import type { Client } from '../server/client.js';
import type { ServerCore } from '../server/core.js';
import { parseNodeList, type NodeAddress } from './addresses.js';
import { keySlot } from './crc16.js';
import { newNodeId, nodesFilePath, readNodesFile, writeNodesFile } from './nodes-file.js';
import { PeerProbe } from './peer-probe.js';
import { NO_OWNER } from './ring.js';
import { SlotKeyIndex } from './slot-index.js';
import { Topology, type ClusterPeer } from './topology.js';
import { clusterNodesText } from './views.js';

/** Bind addresses that are not an address a client could be sent to. */
const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '-::*']);

export class ClusterNode {
  readonly myId: string;
  readonly slotKeys = new SlotKeyIndex();
  /** Null until the server listens (start) or joins an in-process cluster. */
  topology: Topology | null = null;
  myself: ClusterPeer | null = null;
  private probe: PeerProbe | null = null;
  /** Ids learned earlier, by host:port, from the nodes file. */
  private readonly savedIds: Map<string, string>;
  private readonly filePath: string;

  constructor(private readonly core: ServerCore) {
    const config = core.config;
    this.filePath = nodesFilePath(config.get('dir'), config.get('cluster-config-file'));
    const saved = readNodesFile(this.filePath);
    this.myId = saved?.myId ?? newNodeId();
    this.savedIds = saved?.idsByAddress ?? new Map();
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
    const members = listed === '' ? [me] : parseNodeList(listed);
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
    this.probe?.stop();
    this.probe = null;
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
    return this.probe === null && !peer.failing ? this.now : peer.lastPongAt;
  }

  get password(): string {
    return this.core.config.get('requirepass');
  }

  /** Persists the current view; called when it changes (a peer's id learned). */
  save(): void {
    if (this.topology === null) return;
    writeNodesFile(this.filePath, clusterNodesText(this, true), this.topology.currentEpoch);
  }

  /**
   * Redis's cluster redirection, run for every command after authentication and before MULTI
   * queueing. Returns true when the command was refused (the error is written, counted, and
   * spoils or discards the transaction, as in Redis).
   */
  redirect(client: Client, spec: CommandSpec, fullName: string, args: string[]): boolean {
    const error = this.routingError(client, spec, args);
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
  private routingError(client: Client, spec: CommandSpec, args: string[]): string | null {
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
    const peer = (this.topology as Topology).peers[slots.owner];
    if (peer === this.myself) return null;
    if (peer.failing) return ERR_CLUSTER_DOWN;
    return `MOVED ${slots.slot} ${peer.host}:${peer.port}`;
  }
}

/** The one slot of a request's keys, checked in Redis's order as the keys come. */
class SlotCheck {
  slot = -1;
  owner = NO_OWNER;
  error: string | null = null;

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
function announceableBind(bind: string): string {
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
