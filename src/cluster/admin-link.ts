// A small RESP client from one node to another's client port, for operations that one node
// drives across the cluster (the ring rebalance): pipelined commands in, whole parsed replies
// out, in order. Replies are read with `redis-parser`, as MIGRATE's link reads them; bulk
// strings come back as latin1 strings, so keys keep their bytes.

import { Socket } from 'node:net';
import { RedisReplyParser as RedisParser, type ReplyParser } from '../util/redis-reply-parser.js';

/** A reply: a string (simple or bulk), an integer, null, an array of replies, or an error. */
export type AdminReply = string | number | null | AdminReply[] | AdminError;

/** An error reply, its text without the leading '-'. */
export class AdminError {
  constructor(readonly message: string) {}
}

interface Pending {
  replies: AdminReply[];
  expected: number;
  resolve: (replies: AdminReply[]) => void;
  reject: (err: Error) => void;
}

export class AdminLink {
  private readonly socket = new Socket();
  private readonly parser: ReplyParser;
  private readonly pending: Pending[] = [];
  private failure: Error | null = null;
  /** Whether the link failed with no request waiting: nothing sent over it was left unanswered. */
  private failedIdle = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    password: string,
    private readonly timeoutMs: number,
  ) {
    this.parser = new RedisParser({
      returnReply: (reply) => this.push(convert(reply)),
      returnError: (err) => this.push(new AdminError(err.message)),
      returnFatalError: (err) => this.fail(err),
      returnBuffers: true,
    });
    this.socket.setNoDelay(true);
    this.socket.unref();
    this.socket.on('data', (chunk: Buffer) => this.parser.execute(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error(`connection to ${host}:${port} closed`)));
    // Writes made before the connection is up wait in the socket until it is.
    this.socket.connect(port, host);
    if (password !== '') {
      // Nodes of one cluster share their password, as gossip assumes (peer-connection.ts).
      void this.call(['AUTH', password]).catch(() => undefined);
    }
  }

  /** One command's reply. */
  async call(args: string[]): Promise<AdminReply> {
    return (await this.pipeline([args]))[0];
  }

  /** Sends the commands in one write and resolves with their replies, in order. */
  pipeline(commands: string[][]): Promise<AdminReply[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const pending: Pending = { replies: [], expected: commands.length, resolve, reject };
      this.pending.push(pending);
      this.socket.write(Buffer.concat(commands.map(encode)));
      this.armTimer();
    });
  }

  close(): void {
    this.fail(new Error('closed'));
  }

  /**
   * Whether the connection went away while no request was waiting on it (the node's `timeout`
   * closed it, or it restarted between requests): a new link can take over without doubt about
   * what the old one did. A link that failed with requests waiting keeps failing instead, since
   * they may or may not have been applied.
   */
  get closedWhileIdle(): boolean {
    return this.failure !== null && this.failedIdle;
  }

  /** A node that stops answering fails the operation rather than hanging it. */
  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    this.timer = setTimeout(() => this.fail(new Error(`${this.host}:${this.port} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    this.timer.unref();
  }

  private push(reply: AdminReply): void {
    const head = this.pending[0];
    if (head === undefined) return;
    head.replies.push(reply);
    if (head.replies.length === head.expected) {
      this.pending.shift();
      head.resolve(head.replies);
    }
    this.armTimer();
  }

  private fail(err: Error): void {
    if (this.failure === null) {
      this.failure = err;
      this.failedIdle = this.pending.length === 0;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    for (const pending of this.pending.splice(0)) pending.reject(this.failure);
  }
}

function convert(reply: unknown): AdminReply {
  if (Buffer.isBuffer(reply)) return reply.toString('latin1');
  if (Array.isArray(reply)) return reply.map(convert);
  if (reply instanceof Error) return new AdminError(reply.message);
  if (typeof reply === 'number' || typeof reply === 'string' || reply === null) return reply;
  return String(reply);
}

function encode(args: string[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
  return Buffer.from(text, 'latin1');
}

/**
 * One link per node for an operation that talks to several nodes over a long time. A link the
 * node closed while it was idle is opened again on next use, as a node's `timeout` closes a link
 * left unused during a long step elsewhere; a link that failed mid-request stays failed.
 */
export class AdminLinks {
  private readonly links = new Map<string, AdminLink>();

  constructor(
    private readonly password: string,
    private readonly timeoutMs: number,
  ) {}

  to(host: string, port: number): AdminLink {
    const address = `${host}:${port}`;
    let link = this.links.get(address);
    if (link === undefined || link.closedWhileIdle) {
      link = new AdminLink(host, port, this.password, this.timeoutMs);
      this.links.set(address, link);
    }
    return link;
  }

  closeAll(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }
}
