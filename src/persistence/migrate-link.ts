// MIGRATE's connection to a target server: one cached socket per host:port, requests written as
// RESP, replies read with `redis-parser` (the parser node clients use). Redis keeps these sockets
// for 10 seconds of idleness and remembers the database last SELECTed on each, and so does this.

import { Socket } from 'node:net';
import { RedisReplyParser as RedisParser, type ReplyParser } from '../util/redis-reply-parser.js';

/** One reply line as MIGRATE looks at it: an error's text (without `-`), or null for success. */
export type LinkReply = { error: string | null };

/** Redis's MIGRATE_SOCKET_CACHE_TTL. */
const IDLE_CLOSE_MS = 10_000;

/** Why a request got no full answer: the connection failed before or while writing, or replies did not come. */
export class LinkError extends Error {
  constructor(
    readonly phase: 'connecting' | 'writing' | 'reading',
    readonly timedOut: boolean,
    /** Replies that did arrive before the failure. */
    readonly replies: LinkReply[],
  ) {
    super(`${phase} failed`);
  }
}

export class MigrateLink {
  /** The database the target has selected for this connection, -1 when unknown. */
  lastDbId = -1;
  private readonly socket: Socket;
  private readonly parser: ReplyParser;
  private connected = false;
  private closed = false;
  private replies: LinkReply[] = [];
  private waiter: (() => void) | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly onClosed: (link: MigrateLink) => void,
  ) {
    this.parser = new RedisParser({
      returnReply: () => this.push({ error: null }),
      returnError: (err) => this.push({ error: err.message }),
      returnFatalError: () => this.close(),
      returnBuffers: true,
    });
    this.socket = new Socket();
    this.socket.setNoDelay(true);
    // A cached link must not keep a process alive that has nothing else to do.
    this.socket.unref();
    this.socket.on('data', (chunk: Buffer) => this.parser.execute(chunk));
    this.socket.on('error', () => this.close());
    this.socket.on('close', () => this.close());
  }

  /** Connects within timeoutMs; rejects with a 'connecting' LinkError when it times out, 'writing' when refused. */
  connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(new LinkError('connecting', true, []));
      }, timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        this.connected = true;
        resolve();
      });
      // A refused connection shows in Redis at the first write, hence 'writing'.
      this.socket.once('close', () => {
        clearTimeout(timer);
        if (!this.connected) reject(new LinkError('writing', false, []));
      });
      this.socket.connect(this.port, this.host);
    });
  }

  get usable(): boolean {
    return this.connected && !this.closed;
  }

  /**
   * Writes a batch of commands and waits for `expected` replies, each within timeoutMs of the
   * one before, as Redis's syncReadLine waits per line.
   */
  async request(data: Buffer, expected: number, timeoutMs: number): Promise<LinkReply[]> {
    this.stopIdleTimer();
    this.replies = [];
    if (!this.usable) throw new LinkError('writing', false, []);
    this.socket.write(data);
    try {
      while (this.replies.length < expected) {
        const before = this.replies.length;
        const timedOut = await this.nextEvent(timeoutMs);
        if (timedOut) throw new LinkError('reading', true, this.replies);
        if (this.replies.length === before && this.closed) throw new LinkError('reading', false, this.replies);
      }
      return this.replies;
    } finally {
      this.startIdleTimer();
    }
  }

  /** Resolves true on timeout, false when a reply came or the socket closed. */
  private nextEvent(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(true);
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(false);
      };
    });
  }

  private push(reply: LinkReply): void {
    this.replies.push(reply);
    this.waiter?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopIdleTimer();
    this.socket.destroy();
    this.onClosed(this);
    this.waiter?.();
  }

  private startIdleTimer(): void {
    if (this.closed) return;
    this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** The cached links of one server, by host:port (INFO's migrate_cached_sockets counts them). */
export class MigrateLinks {
  private readonly links = new Map<string, MigrateLink>();

  get size(): number {
    return this.links.size;
  }

  /** A connected link to host:port, reusing a cached one. */
  async get(host: string, port: number, timeoutMs: number): Promise<MigrateLink> {
    const name = `${host}:${port}`;
    const cached = this.links.get(name);
    if (cached !== undefined && cached.usable) return cached;
    const link = new MigrateLink(host, port, (gone) => {
      if (this.links.get(name) === gone) this.links.delete(name);
    });
    this.links.set(name, link);
    await link.connect(timeoutMs);
    return link;
  }

  drop(host: string, port: number): void {
    this.links.get(`${host}:${port}`)?.close();
  }

  closeAll(): void {
    for (const link of [...this.links.values()]) link.close();
  }
}
