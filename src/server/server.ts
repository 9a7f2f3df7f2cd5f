// The network server: listeners on the configured addresses, one Connection per socket, the
// periodic tasks (Redis's serverCron), and an orderly close for embedding in test suites.

import net from 'node:net';
import { Config } from '../config/config.js';
import { ERR_MAX_CLIENTS } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { Connection } from './connection.js';
import { ServerCore } from './core.js';
import { runCron } from './cron.js';

export interface ServerOptions {
  /** TCP port; 0 picks a free one (read it back from `server.port`). Default 6379. */
  port?: number;
  /** Addresses to listen on, space separated as in redis.conf. Default 127.0.0.1. */
  bind?: string;
  /** Any redis.conf parameter by name, e.g. `{ maxmemory: '100mb', databases: 4 }`. */
  config?: Record<string, string | number | boolean>;
  /** Time source; tests pass a FakeClock. */
  clock?: Clock;
}

export class RingcacheServer {
  readonly core: ServerCore;
  private readonly listeners: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private cronTimer: NodeJS.Timeout | null = null;
  private boundPort = -1;
  private closing: Promise<void> | null = null;

  constructor(options: ServerOptions = {}) {
    const settings: Record<string, string | number | boolean> = { ...options.config };
    if (options.port !== undefined) settings.port = options.port;
    if (options.bind !== undefined) settings.bind = options.bind;
    this.core = new ServerCore({ config: new Config(settings), clock: options.clock });
  }

  /** The port actually bound (useful after listening on port 0). */
  get port(): number {
    if (this.boundPort < 0) throw new Error('server is not listening');
    return this.boundPort;
  }

  /** The first bound address, as clients should use it. */
  get host(): string {
    return this.core.config.get('bind').split(/\s+/)[0];
  }

  /** Starts listening on every bind address; resolves once all are bound. */
  async listen(): Promise<this> {
    const addresses = this.core.config.get('bind').split(/\s+/).filter((a) => a !== '');
    let port = this.core.config.getNumber('port');
    for (const address of addresses) {
      // Redis's "-::1" means "::1 if available"; a leading dash marks an optional address.
      const optional = address.startsWith('-');
      const host = optional ? address.slice(1) : address;
      try {
        const listener = await this.listenOn(host, port);
        port = (listener.address() as net.AddressInfo).port;
        this.listeners.push(listener);
      } catch (err) {
        if (!optional) {
          await this.close();
          throw err;
        }
      }
    }
    this.boundPort = port;
    const hz = (): number => this.core.config.getNumber('hz');
    const tick = (): void => {
      runCron(this.core);
      this.cronTimer = setTimeout(tick, 1000 / hz());
      this.cronTimer.unref();
    };
    this.cronTimer = setTimeout(tick, 1000 / hz());
    this.cronTimer.unref();
    return this;
  }

  private listenOn(host: string, port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const listener = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      listener.once('error', reject);
      listener.listen({ host: host === '*' ? '0.0.0.0' : host, port, backlog: this.core.config.getNumber('tcp-backlog') }, () => {
        listener.off('error', reject);
        listener.on('error', (err) => console.error('ringcache: listener error:', err));
        resolve(listener);
      });
    });
  }

  private accept(socket: net.Socket): void {
    const core = this.core;
    if (this.closing !== null || core.clients.size >= core.config.getNumber('maxclients')) {
      core.stats.rejectedConnections++;
      socket.on('error', () => socket.destroy());
      socket.end(`-${ERR_MAX_CLIENTS}\r\n`);
      return;
    }
    const client = core.createClient({
      addr: `${socket.remoteAddress}:${socket.remotePort}`,
      laddr: `${socket.localAddress}:${socket.localPort}`,
      fd: (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1,
    });
    const connection = new Connection(core, socket, client, (gone) => {
      this.connections.delete(gone);
      core.removeClient(gone.client);
    });
    this.connections.add(connection);
  }

  /**
   * Stops accepting, lets every client receive its pending replies, and resolves once every
   * connection and listener is closed.
   */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.core.shuttingDown = true;
    if (this.cronTimer !== null) clearTimeout(this.cronTimer);
    const listenersClosed = this.listeners.map(
      (listener) => new Promise<void>((resolve) => listener.close(() => resolve())),
    );
    const socketsClosed = [...this.connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          const socket = connection.socket;
          if (socket.destroyed) return resolve();
          socket.once('close', () => resolve());
          connection.flush();
          socket.end();
          // A peer that never closes its side must not hold close() forever.
          setTimeout(() => socket.destroy(), 1000).unref();
        }),
    );
    this.closing = Promise.all([...listenersClosed, ...socketsClosed]).then(() => undefined);
    return this.closing;
  }
}

/** A server, not yet listening. */
export function createServer(options: ServerOptions = {}): RingcacheServer {
  return new RingcacheServer(options);
}

/** A server listening and ready for clients. */
export function startServer(options: ServerOptions = {}): Promise<RingcacheServer> {
  return createServer(options).listen();
}
