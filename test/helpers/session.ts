// An in-process client for command tests: no sockets, a fake clock, and every reply returned as
// the exact RESP bytes the server would send (as a latin1 string, one char per byte).

import { Config } from '../../src/config/config.js';
import type { Client } from '../../src/server/client.js';
import { ServerCore } from '../../src/server/core.js';
import { FakeClock } from '../../src/util/clock.js';

export interface SessionOptions {
  config?: Record<string, string | number | boolean>;
  clock?: FakeClock;
  /** Share a server with another session, to test what one client sees of another's writes. */
  core?: ServerCore;
}

export class Session {
  readonly core: ServerCore;
  readonly clock: FakeClock;
  readonly client: Client;

  constructor(options: SessionOptions = {}) {
    this.clock = options.clock ?? new FakeClock();
    this.core = options.core ?? new ServerCore({ config: new Config(options.config ?? {}), clock: this.clock });
    this.client = this.core.createClient({ addr: '127.0.0.1:50000', laddr: '127.0.0.1:6379', fd: 8 });
  }

  /** Another client of the same server. */
  peer(): Session {
    return new Session({ core: this.core, clock: this.clock });
  }

  /** Runs one command and returns its raw reply. Buffer arguments pass as bytes. */
  call(...args: (string | Buffer | number)[]): string {
    const argv = args.map((a) => (Buffer.isBuffer(a) ? a.toString('latin1') : String(a)));
    this.core.execute(this.client, argv);
    const out = this.client.reply.take();
    return out === null ? '' : out.toString('latin1');
  }
}

/** RESP encodings for writing expected replies briefly. */
export const resp = {
  ok: '+OK\r\n',
  nil: '$-1\r\n',
  nilArray: '*-1\r\n',
  simple: (s: string): string => `+${s}\r\n`,
  err: (s: string): string => `-${s}\r\n`,
  int: (n: number | bigint): string => `:${n}\r\n`,
  bulk: (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`,
  array: (items: string[]): string => `*${items.length}\r\n${items.join('')}`,
  bulks: (items: (string | null)[]): string =>
    `*${items.length}\r\n${items.map((s) => (s === null ? '$-1\r\n' : resp.bulk(s))).join('')}`,
};
