// The socket side of a client: feeds bytes to the request parser, runs every complete request
// of one read in order, and sends all their replies in one write. A client whose unsent replies
// pile up is not read from until its socket drains, so it cannot grow the server's memory.

import type { Socket } from 'node:net';
import { ProtocolError, RequestParser } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { ServerCore } from './core.js';

/** Unsent reply bytes above which the client's requests are no longer read. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

export class Connection {
  readonly parser: RequestParser;
  private processing = false;
  private paused = false;
  private closed = false;

  constructor(
    private readonly core: ServerCore,
    readonly socket: Socket,
    readonly client: Client,
    private readonly onGone: (connection: Connection) => void,
  ) {
    this.parser = new RequestParser(core.parserLimits);
    this.parser.unauthenticated = !client.authenticated;
    client.onClose = () => this.closeSoon();
    client.onPush = () => {
      if (!this.processing) this.flush();
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    // A vanished peer is routine; the error must not escape and take the process down.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onSocketClose());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.core.stats.netInputBytes += chunk.length;
    this.processing = true;
    try {
      this.parser.feed(chunk);
      for (;;) {
        const args = this.parser.next();
        if (args === null) break;
        this.core.execute(this.client, args);
        this.parser.unauthenticated = !this.client.authenticated;
        if (this.client.closeAfterReply) break;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      if (err.reply) this.client.reply.error(err.message);
      this.client.closeAfterReply = true;
    } finally {
      this.processing = false;
    }
    this.flush();
  }

  /** Sends whatever replies are pending, then closes if a command or error asked for it. */
  flush(): void {
    if (this.closed) return;
    const out = this.client.reply.take();
    if (out !== null) {
      this.core.stats.netOutputBytes += out.length;
      this.socket.write(out);
    }
    if (this.client.closeAfterReply) {
      this.closed = true;
      this.socket.end();
      return;
    }
    if (!this.paused && this.socket.writableLength > BACKPRESSURE_BYTES) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private onDrain(): void {
    if (this.paused && !this.closed) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Closes after the current batch of replies (QUIT, CLIENT KILL, shutdown). */
  closeSoon(): void {
    this.client.closeAfterReply = true;
    if (!this.processing) this.flush();
  }

  private onSocketClose(): void {
    this.closed = true;
    this.onGone(this);
  }
}
