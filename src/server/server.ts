// The network server: listeners on the configured addresses, one Connection per socket, the
// periodic tasks (Redis's serverCron), and an orderly close for embedding in test suites.

import { unlinkSync } from 'node:fs';
import net from 'node:net';
import { Config } from '../config/config.js';
import { ERR_DENIED_PROTECTED_MODE, ERR_MAX_CLIENTS } from '../errors.js';
import { isLoopbackPeer, listenTls } from './tls-listener.js';
import type { Clock } from '../util/clock.js';
import { Connection } from './connection.js';
import { ServerCore } from './core.js';
import { runCron } from './cron.js';
import type { MetricsServer } from '../metrics/metrics-server.js';
import { startConfiguredMetrics } from '../metrics/start-metrics.js';
import { silentLogger, type Logger } from './log.js';
import { capMaxclients } from './open-files.js';
import { Shutdown } from './shutdown.js';

/** How long close() lets a peer that never closes its side hold the connection open. */
const CLOSE_GRACE_MS = 1000;

export interface ServerOptions {
  /** TCP port; 0 picks a free one (read it back from `server.port`). Default 6379. */
  port?: number;
  /** Addresses to listen on, space separated as in redis.conf. Default 127.0.0.1. */
  bind?: string;
  /**
   * Any redis.conf parameter by name, e.g. `{ maxmemory: '100mb', databases: 4 }`, or a ready
   * Config (the command line passes the one it read from files and options).
   */
  config?: Record<string, string | number | boolean> | Config;
  /** Time source; tests pass a FakeClock. */
  clock?: Clock;
  /** Where log lines go; an embedded server logs nothing unless given a logger. */
  logger?: Logger;
}

export class RingcacheServer {
  readonly core: ServerCore;
  private readonly listeners: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private cronTimer: NodeJS.Timeout | null = null;
  private boundPort = -1;
  private closing: Promise<void> | null = null;
  /** The /metrics listener, when metrics-port is set. */
  metrics: MetricsServer | null = null;
  readonly logger: Logger;
  /** The TLS port actually bound when tls-port is set (tls-port 0 is off, so tests pick one). */
  tlsPort = -1;
  /** The addresses actually bound, as `host:port` (IPv6 in brackets). */
  readonly addresses: string[] = [];
  /** SHUTDOWN and the command line's signals stop the server through it; `shutdown.done` says when. */
  readonly shutdown: Shutdown = new Shutdown(this);

  constructor(options: ServerOptions = {}) {
    let config: Config;
    if (options.config instanceof Config) {
      config = options.config;
      if (options.port !== undefined) config.load('port', String(options.port));
      if (options.bind !== undefined) config.load('bind', options.bind);
    } else {
      const settings: Record<string, string | number | boolean> = { ...options.config };
      if (options.port !== undefined) settings.port = options.port;
      if (options.bind !== undefined) settings.bind = options.bind;
      config = new Config(settings);
    }
    this.logger = options.logger ?? silentLogger;
    // Before anything else reads maxclients, as Redis adjusts it before it listens.
    capMaxclients(config, this.logger);
    this.core = new ServerCore({ config, clock: options.clock });
    this.core.logger = this.logger;
    this.core.requestShutdown = () => void this.shutdown.begin('SHUTDOWN');
  }

  /** The port actually bound (useful after listening on port 0). */
  get port(): number {
    if (this.boundPort < 0) throw new Error('server is not listening');
    return this.boundPort;
  }

  /** The first bound address, as clients should use it (a wildcard means this machine). */
  get host(): string {
    const first = this.core.config.get('bind').split(/\s+/).filter((a) => a !== '')[0] ?? '127.0.0.1';
    const host = first.startsWith('-') ? first.slice(1) : first;
    if (host === '*' || host === '0.0.0.0') return '127.0.0.1';
    if (host === '::' || host === '::*') return '::1';
    return host;
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
        const bound = listener.address() as net.AddressInfo;
        port = bound.port;
        this.listeners.push(listener);
        this.addresses.push(bound.family === 'IPv6' ? `[${bound.address}]:${port}` : `${bound.address}:${port}`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        this.logger.log('warning', `Warning: Could not create server TCP listening socket ${host}:${port}: ${describeListenError(code)}`);
        if (!optional) {
          await this.close();
          throw new ListenError(host, port, code, err as Error);
        }
      }
    }
    this.boundPort = port;
    this.core.tcpPort = port;
    if (this.listeners.length === 0) {
      await this.close();
      throw new ListenError(addresses.join(' '), port, 'ENOADDR', new Error('no address to listen on'));
    }
    if (this.core.cluster !== null) {
      // The cluster's slot map needs this node's port, known only now (port 0 picks one).
      try {
        this.core.cluster.start(port);
      } catch (err) {
        await this.close();
        throw err;
      }
    }
    for (const address of this.addresses) this.logger.log('notice', `Listening on ${address} (tcp)`);
    if (this.core.config.getNumber('tls-port') !== 0) {
      const tlsListener = await listenTls(this.core.config, this.host, (socket) => this.accept(socket)).catch(async (err: Error) => {
        await this.close();
        throw err;
      });
      this.listeners.push(tlsListener);
      this.tlsPort = (tlsListener.address() as net.AddressInfo).port;
    }
    const socketPath = this.core.config.get('unixsocket');
    if (socketPath !== '') await this.listenOnUnixSocket(socketPath);
    const hz = (): number => this.core.config.getNumber('hz');
    const tick = (): void => {
      runCron(this.core);
      this.cronTimer = setTimeout(tick, 1000 / hz());
      this.cronTimer.unref();
    };
    this.cronTimer = setTimeout(tick, 1000 / hz());
    this.cronTimer.unref();
    this.metrics = await startConfiguredMetrics(this.core);
    return this;
  }

  /** A stale socket file from a previous run is replaced, as Redis does. */
  private async listenOnUnixSocket(path: string): Promise<void> {
    try {
      unlinkSync(path);
    } catch {
      // No stale socket.
    }
    const listener = await new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket, path));
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve(server);
      });
    }).catch(async (err: NodeJS.ErrnoException) => {
      this.logger.log('warning', `Failed opening Unix socket: ${err.message}`);
      await this.close();
      throw new ListenError(path, 0, err.code ?? 'error', err);
    });
    this.listeners.push(listener);
    this.logger.log('notice', `The server is now ready to accept connections at ${path}`);
  }

  private listenOn(host: string, port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const listener = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      listener.once('error', reject);
      listener.listen({ host: host === '*' ? '0.0.0.0' : host, port, backlog: this.core.config.getNumber('tcp-backlog') }, () => {
        listener.off('error', reject);
        listener.on('error', (err) => this.logger.log('warning', `Listener error: ${err.message}`));
        resolve(listener);
      });
    });
  }

  /** `unixPath` is set for Unix socket clients, which Redis lists as `path:0`. */
  private accept(socket: net.Socket, unixPath?: string): void {
    const core = this.core;
    if (this.closing !== null || core.clients.size >= core.config.getNumber('maxclients')) {
      this.refuse(socket, ERR_MAX_CLIENTS);
      return;
    }
    // Protected mode, as Redis 7.0's clientAcceptHandler: no password, and a peer not on loopback.
    if (unixPath === undefined && core.config.getBool('protected-mode') && core.acl.default.nopass && !isLoopbackPeer(socket.remoteAddress)) {
      this.refuse(socket, ERR_DENIED_PROTECTED_MODE);
      return;
    }
    const client = core.createClient({
      addr: unixPath !== undefined ? `${unixPath}:0` : `${socket.remoteAddress}:${socket.remotePort}`,
      laddr: unixPath !== undefined ? `${unixPath}:0` : `${socket.localAddress}:${socket.localPort}`,
      fd: (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1,
      unixSocket: unixPath !== undefined,
    });
    const connection = new Connection(core, socket, client, (gone) => {
      this.connections.delete(gone);
      core.removeClient(gone.client);
    });
    this.connections.add(connection);
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Sends a connection its refusal and lets it go, counted as Redis's rejected_connections. */
  private refuse(socket: net.Socket, error: string): void {
    this.core.stats.rejectedConnections++;
    socket.on('error', () => socket.destroy());
    socket.end(`-${error}\r\n`);
    // Read and drop what the peer sent, so its close is seen; a peer that never closes its side
    // must not keep the socket (and the listener's close()) alive.
    socket.resume();
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  /**
   * Stops accepting, lets every client receive the replies of the requests it already sent
   * (nothing read afterwards runs), and resolves once every connection and listener is closed.
   */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.core.shuttingDown = true;
    this.core.cluster?.stop();
    this.core.pubsub.close();
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
          // Sends what is pending, then half-closes; later input is ignored.
          connection.closeSoon();
          // A peer that never closes its side must not hold close() forever.
          setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
        }),
    );
    const metricsClosed = this.metrics?.close() ?? Promise.resolve();
    this.closing = Promise.all([...listenersClosed, ...socketsClosed, metricsClosed]).then(() => undefined);
    return this.closing;
  }
}

/** A listening socket could not be opened; `code` is the system's (EADDRINUSE, EACCES...). */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    override readonly cause: Error,
  ) {
    super(`Could not listen on ${host}:${port}: ${describeListenError(code)}`);
  }
}

/** The system error as Redis words it, plus what to do about it. */
export function describeListenError(code: string): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'bind: Address already in use';
    case 'EACCES':
      return 'bind: Permission denied';
    case 'EADDRNOTAVAIL':
      return 'bind: Cannot assign requested address';
    default:
      return code;
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
