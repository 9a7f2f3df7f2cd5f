// A bare TCP client for differential and protocol tests: it sends bytes exactly as given and
// reads replies as raw bytes (latin1 strings), one reply at a time, or everything until the
// server closes the connection.

import net from 'node:net';
import { encodeCommand, replyEnd } from './resp-reader.js';

const DEFAULT_TIMEOUT_MS = 5000;

export class RawClient {
  private data: Buffer = Buffer.alloc(0);
  private closed = false;
  private waiter: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = this.data.length === 0 ? chunk : Buffer.concat([this.data, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    // A reset by the server shows up as a close; the tests judge that, not the error.
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Resolves when `ready()` holds, or rejects after `timeoutMs`. */
  private until<T>(ready: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got so far: ${JSON.stringify(this.data.toString('latin1').slice(0, 300))}`));
      }, timeoutMs);
      const check = (): void => {
        let value: T | undefined;
        try {
          value = ready();
        } catch (err) {
          clearTimeout(timer);
          reject(err as Error);
          return;
        }
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.waiter = check;
        }
      };
      check();
    });
  }

  write(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Sends one command as a multibulk and returns its raw reply. */
  async call(...args: (string | Buffer)[]): Promise<string> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** The next complete reply, removed from the input. Rejects if the connection closes first. */
  readReply(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    return this.until(
      () => {
        const end = replyEnd(this.data);
        if (end !== -1) {
          const reply = this.data.toString('latin1', 0, end);
          this.data = this.data.subarray(end);
          return reply;
        }
        if (this.closed) throw new Error(`connection closed before a full reply; got ${JSON.stringify(this.data.toString('latin1'))}`);
        return undefined;
      },
      'a reply',
      timeoutMs,
    );
  }

  /** Everything received until the server closes the connection. */
  readUntilClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    return this.until(() => (this.closed ? this.data.toString('latin1') : undefined), 'the server to close', timeoutMs);
  }

  /**
   * What arrived within `ms`, and whether the server closed meanwhile: for inputs after which a
   * server must stay silent and keep the connection open.
   */
  async settle(ms: number): Promise<{ data: string; closed: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { data: this.data.toString('latin1'), closed: this.closed };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}
