// The socket side of a client: feeds bytes to the request parser, runs every complete request
// of one read in order, and sends all their replies in one write. A client whose unsent replies
// pile up is not read from until its socket drains, so it cannot grow the server's memory.

import type { Socket } from 'node:net';
import { ProtocolError, RequestParser } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { ServerCore } from './core.js';
import { clientType } from './client-list.js';
import { checkOutputLimit, outputBufferLimits } from './output-buffer-limits.js';

/** Unsent reply bytes above which the client's requests are no longer read. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

export class Connection {
  readonly parser: RequestParser;
  private processing = false;
  private paused = false;
  private closed = false;
  /** When the unsent replies went over the soft output limit (0: they are not over it). */
  private softLimitSince = 0;
  /** A request CLIENT PAUSE holds back, run first when the pause ends. */
  private held: string[] | null = null;
  private readonly resumeAfterPause = (): void => {
    if (!this.closed) this.runRequests();
  };

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
    try {
      this.parser.feed(chunk);
    } catch (err) {
      this.fail(err);
      this.flush();
      return;
    }
    this.runRequests();
  }

  /**
   * Runs the complete requests buffered in the parser, in order, then sends their replies in one
   * write. Stops early once the replies waiting to leave pass the threshold: one read can hold
   * thousands of pipelined requests, and their replies must not all be built before the socket
   * takes any. The rest stay parsed-but-unrun until the socket drains.
   */
  private runRequests(): void {
    this.processing = true;
    try {
      for (;;) {
        if (this.overOutputLimit()) {
          this.dropForOutputLimit();
          break;
        }
        if (this.backlogged()) {
          this.pause();
          break;
        }
        const args = this.held ?? this.parser.next();
        if (args === null) break;
        this.held = null;
        if (!this.core.execute(this.client, args)) {
          // CLIENT PAUSE holds it: keep it, and everything after it, until the pause ends.
          this.held = args;
          this.core.pause.whenOver(this.resumeAfterPause);
          break;
        }
        this.parser.unauthenticated = !this.client.authenticated;
        if (this.client.closeAfterReply) break;
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.processing = false;
    }
    this.flush();
  }

  private backlogged(): boolean {
    return this.client.reply.pending + this.socket.writableLength > BACKPRESSURE_BYTES;
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /**
   * A protocol error gets its reply (when Redis sends one) and closes the connection. Any other
   * exception is a bug: it is logged and counted, and only this connection pays for it.
   */
  private fail(err: unknown): void {
    if (err instanceof ProtocolError) {
      if (err.reply) {
        this.client.reply.error(err.message);
      } else {
        // Redis drops such a client at once, unsent replies included.
        this.closed = true;
        this.socket.destroy();
      }
    } else {
      this.core.stats.internalErrors++;
      console.error('ringcache: connection dropped after an internal error:', err);
    }
    this.client.closeAfterReply = true;
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
    if (this.overOutputLimit()) {
      this.dropForOutputLimit();
      return;
    }
    if (this.socket.writableLength > BACKPRESSURE_BYTES) this.pause();
  }

  /** Redis drops such a client with its unsent replies: keeping them is what the limit prevents. */
  private dropForOutputLimit(): void {
    this.closed = true;
    this.client.reply.take();
    this.socket.destroy();
  }

  /** client-output-buffer-limit for the client's class (a subscriber is pubsub, else normal). */
  private overOutputLimit(): boolean {
    const limits = outputBufferLimits(this.core.config.get('client-output-buffer-limit'));
    const limit = clientType(this.client) === 'pubsub' ? limits.pubsub : limits.normal;
    if (limit.hard === 0 && limit.soft === 0) return false;
    const used = this.client.reply.pending + this.socket.writableLength;
    const verdict = checkOutputLimit(limit, used, this.core.clock.now(), this.softLimitSince);
    this.softLimitSince = verdict.softSince;
    return verdict.close;
  }

  /** The socket took its replies: run what was left waiting, then read again if still clear. */
  private onDrain(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.runRequests();
    if (!this.paused && !this.closed) this.socket.resume();
  }

  /** True while the client's requests are not read because its replies are not taken. */
  get isPaused(): boolean {
    return this.paused;
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
