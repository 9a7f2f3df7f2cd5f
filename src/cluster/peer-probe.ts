// How a node in its own process learns the other nodes' ids and notices when one is gone,
// before a cluster bus exists: it keeps one connection to each peer's client port and asks
// CLUSTER MYID once a second (more often with a short cluster-node-timeout). An answer
// refreshes the peer's pong time (and its id, which the peer may have changed if it lost its
// nodes file); a peer silent for longer than cluster-node-timeout is marked failing, and marked
// healthy again when it answers.

import type { ClusterNode } from './cluster-node.js';
import { NODE_ID_PATTERN } from './nodes-file.js';
import { PeerConnection } from './peer-connection.js';
import type { ClusterPeer } from './topology.js';

/** Ask at least twice per node timeout, so a healthy peer's last answer is never that old. */
const MAX_PROBE_INTERVAL_MS = 1000;
const MIN_PROBE_INTERVAL_MS = 50;
const MYID_REQUEST = '*2\r\n$7\r\nCLUSTER\r\n$4\r\nMYID\r\n';

/** One connection to one peer, asking it for its id. */
class PeerLink extends PeerConnection<'myid'> {
  constructor(
    peer: ClusterPeer,
    private readonly onId: (peer: ClusterPeer, id: string) => void,
  ) {
    super(peer);
  }

  /** Sends one MYID question, connecting first if needed; skipped while an answer is due. */
  ask(password: string): void {
    if (this.socket === null) this.connect(password);
    if (this.expected.includes('myid')) return;
    this.expected.push('myid');
    this.socket?.write(MYID_REQUEST);
  }

  protected override onReply(request: 'myid' | 'auth' | undefined, value: string | null): void {
    if (request === 'myid' && value !== null && NODE_ID_PATTERN.test(value)) this.onId(this.peer, value);
  }
}

export class PeerProbe {
  private readonly links: PeerLink[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly node: ClusterNode) {
    for (const peer of node.topology?.peers ?? []) {
      if (peer !== node.myself) this.links.push(new PeerLink(peer, (p, id) => this.answered(p, id)));
    }
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const link of this.links) link.close();
  }

  private tick(): void {
    const now = this.node.now;
    const timeout = this.node.nodeTimeout;
    for (const peer of this.node.topology?.peers ?? []) {
      if (peer !== this.node.myself && now - peer.lastPongAt > timeout) peer.failing = true;
    }
    for (const link of this.links) link.ask(this.node.password);
    const interval = Math.min(MAX_PROBE_INTERVAL_MS, Math.max(MIN_PROBE_INTERVAL_MS, timeout / 2));
    this.timer = setTimeout(() => this.tick(), interval);
    this.timer.unref();
  }

  private answered(peer: ClusterPeer, id: string): void {
    peer.lastPongAt = this.node.now;
    peer.failing = false;
    if (peer.id === id && peer.idKnown) return;
    peer.id = id;
    peer.idKnown = true;
    this.node.save();
  }
}
