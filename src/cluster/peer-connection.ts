// One client connection from this node to a peer's client port, as the gossip and the probe
// keep: it logs in with the cluster's shared password, remembers which reply each request
// awaits, in order, and hands each whole reply to the subclass. A connection that fails or
// closes is forgotten, so the next request opens a fresh one.

import net from 'node:net';
import type { ClusterPeer } from './topology.js';

export abstract class PeerConnection<Request extends string> {
  protected socket: net.Socket | null = null;
  private buffer = '';
  /** What each reply still due answers, oldest first. */
  protected readonly expected: (Request | 'auth')[] = [];

  constructor(protected readonly peer: ClusterPeer) {}

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.expected.length = 0;
  }

  /** Called once per whole reply; `value` is the bulk string's text, null for any other reply. */
  protected abstract onReply(request: Request | 'auth' | undefined, value: string | null): void;

  protected connect(password: string): void {
    const socket = net.connect({ host: this.peer.host, port: this.peer.port });
    socket.setNoDelay(true);
    socket.unref();
    this.socket = socket;
    this.buffer = '';
    this.expected.length = 0;
    if (password !== '') {
      // Nodes of one cluster share their password, as the nodes of a Redis cluster share masterauth.
      socket.write(`*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(password, 'latin1')}\r\n${password}\r\n`, 'latin1');
      this.expected.push('auth');
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
    const drop = (): void => {
      if (this.socket === socket) {
        this.socket = null;
        this.expected.length = 0;
      }
      socket.destroy();
    };
    socket.on('error', drop);
    socket.on('close', drop);
  }

  /** Consumes whole replies: simple strings, errors, integers and bulk strings. */
  private onData(text: string): void {
    this.buffer += text;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end === -1) return;
      let value: string | null = null;
      let consumed = end + 2;
      if (this.buffer[0] === '$') {
        const length = Number(this.buffer.slice(1, end));
        if (length >= 0) {
          if (this.buffer.length < consumed + length + 2) return;
          value = this.buffer.slice(consumed, consumed + length);
          consumed += length + 2;
        }
      }
      this.buffer = this.buffer.slice(consumed);
      this.onReply(this.expected.shift(), value);
    }
  }
}
