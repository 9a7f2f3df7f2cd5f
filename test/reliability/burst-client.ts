// A client that keeps a pipelined burst of INCR in flight: it writes as fast as the socket takes
// requests and reads every reply, so that at any moment the server holds requests it has read
// and not run, replies it has built and not sent, and bytes still on the wire. The replies of
// INCR on one counter are 1, 2, 3...: any lost, cut or reordered reply shows.

import net from 'node:net';

const INCR = '*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n';
const REQUESTS_PER_WRITE = 1000;
const CHUNK = Buffer.from(INCR.repeat(REQUESTS_PER_WRITE), 'latin1');

export class BurstClient {
  private readonly chunks: Buffer[] = [];
  private replyCount = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  /** True once the server's FIN arrived (not a reset). */
  sawEnd = false;
  /** Resolves once the socket is fully closed. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      for (const byte of chunk) if (byte === 10) this.replyCount++;
      this.waiters = this.waiters.filter((w) => (this.replyCount >= w.count ? (w.resolve(), false) : true));
    });
    socket.on('end', () => (this.sawEnd = true));
    // Writes racing the server's exit fail with EPIPE or ECONNRESET; the replies are what is judged.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(port: number): Promise<BurstClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new BurstClient(socket));
      });
    });
  }

  /** Starts writing, and goes on until the socket closes. */
  start(): void {
    const pump = (): void => {
      while (!this.socket.destroyed && this.socket.writable) {
        if (!this.socket.write(CHUNK)) {
          this.socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  }

  /** Resolves once at least `count` replies have arrived. */
  repliesReach(count: number): Promise<void> {
    if (this.replyCount >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Everything received, as latin1 text. */
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** `:1\r\n:2\r\n...:n\r\n`, the replies of n INCRs of a fresh counter. */
export function incrReplies(n: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) parts.push(`:${i}\r\n`);
  return parts.join('');
}
