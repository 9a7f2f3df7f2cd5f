// A minimal RESP client for the benchmark harness: probes, DBSIZE checks, and the pipelined key
// loader. It speaks to ringcache and redis-server alike, so nothing it does may depend on either.
// Replies are parsed by redis-parser (it is built for exactly this side of the protocol).

import net from 'node:net';
import RedisParser from 'redis-parser';

export type Reply = string | number | null | Error | Reply[];

/** RESP multibulk encoding of one command; arguments are latin1 (one char per byte). */
export function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

export class RespClient {
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private readonly parser: RedisParser;
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    this.parser = new RedisParser({
      returnReply: (reply) => this.settle(reply as Reply),
      returnError: (err) => this.settle(err),
      returnFatalError: (err) => this.fail(err),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.parser.execute(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespClient(socket));
      });
    });
  }

  /** One command; an error reply resolves to an Error instance rather than rejecting. */
  call(...args: string[]): Promise<Reply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(Buffer.from(encodeCommand(args), 'latin1'));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private settle(reply: Reply): void {
    const resolve = this.waiting.shift();
    if (resolve !== undefined) resolve(reply);
  }

  private fail(err: Error): void {
    if (this.failure !== null) return;
    this.failure = err;
    for (const resolve of this.waiting.splice(0)) resolve(err);
  }
}

/** Opens a connection, runs one command, closes. */
export async function callOnce(port: number, ...args: string[]): Promise<Reply> {
  const client = await RespClient.connect(port);
  try {
    return await client.call(...args);
  } finally {
    client.close();
  }
}

/** Resolves once the server answers PING, or rejects after `timeoutMs`. */
export async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const reply = await callOnce(port, 'PING');
      if (reply === 'PONG') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no PONG on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A numeric field of an INFO reply (NaN when absent), matched at the start of its line. */
export function infoNumber(info: string, field: string): number {
  const m = new RegExp(`\\r\\n${field}:(\\d+)`).exec(`\r\n${info}`);
  return m === null ? NaN : Number(m[1]);
}
