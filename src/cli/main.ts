// `ringcache-server`: reads the command line and config file, starts the server, says where it
// listens and how to connect, and shuts down cleanly on SIGTERM/SIGINT (every client gets the
// replies to what it sent, the pidfile is removed).

import { unlinkSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { ServerLogger } from '../server/log.js';
import { ListenError, createServer, type RingcacheServer } from '../server/server.js';
import { TlsSetupError } from '../server/tls-listener.js';
import { REDIS_COMPAT_VERSION, RINGCACHE_VERSION } from '../server/version.js';
// cluster-local (child processes, the launcher) is loaded only by the commands that use it.
import type { ClusterLauncher } from './cluster-local.js';
import { loadStartupConfig } from './load-config.js';
import { PROGRAM, parseCommandLine } from './options.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** What to type to reach the server from this machine. */
export function connectHint(host: string, port: number): string {
  const hostPart = host === '127.0.0.1' ? '' : ` -h ${host}`;
  return `redis-cli${hostPart} -p ${port}`;
}

/** Why the server could not listen, and what to do about it. */
function listenFix(err: ListenError): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `Another process is using port ${err.port}: stop it, or pick another port with --port <n> (--port 0 picks a free one).`;
    case 'EACCES':
      return `Ports below 1024 need privileges: pick a higher one with --port <n>.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `'${err.host}' is not an address of this machine: fix --bind (e.g. --bind 127.0.0.1).`;
    default:
      return `Check --bind and --port.`;
  }
}

/**
 * Runs the server from a command line. Resolves with the exit code when there is nothing to run
 * (help, version, bad option or config), or with the running server.
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number | RingcacheServer | ClusterLauncher> {
  const parsed = parseCommandLine(argv);
  if (parsed.action === 'exit') {
    if (parsed.stdout !== '') io.stdout(parsed.stdout);
    if (parsed.stderr !== '') io.stderr(parsed.stderr);
    return parsed.code;
  }
  if (parsed.clusterLocal !== undefined) {
    const { runClusterLocal } = await import('./cluster-local.js');
    return runClusterLocal({ nodes: parsed.clusterLocal, configFile: parsed.configFile, directives: parsed.directives, io });
  }
  const loaded = loadStartupConfig(parsed.configFile, parsed.directives);
  if (!loaded.ok) {
    io.stderr(loaded.message);
    return 1;
  }
  const config = loaded.config;
  const logger = new ServerLogger(config, io.stdout);
  logger.log('notice', `ringcache v${RINGCACHE_VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible), pid=${process.pid}, just started`);
  if (config.file !== null) {
    logger.log('notice', `Configuration loaded from ${config.file}`);
  } else if (parsed.configFile === '-') {
    logger.log('notice', 'Configuration loaded from standard input (CONFIG REWRITE has no file to write)');
  } else {
    logger.log('notice', `No config file specified, using the defaults; to give one: ${PROGRAM} /path/to/ringcache.conf`);
  }
  if (config.getBool('daemonize')) logger.log('warning', 'daemonize yes is ignored: ringcache runs in the foreground (use your service manager to detach it)');

  logger.role = 'M';
  const server = createServer({ config, logger });
  try {
    await server.listen();
  } catch (err) {
    if (err instanceof TlsSetupError) {
      logger.log('warning', `${err.message}. Aborting.`);
      return 1;
    }
    if (!(err instanceof ListenError)) throw err;
    logger.log('warning', `Failed listening on ${err.host}:${err.port} (tcp), aborting. ${listenFix(err)}`);
    return 1;
  }
  const pidfile = config.get('pidfile');
  if (pidfile !== '') writePidfile(pidfile, logger);
  logger.log('notice', `Ready to accept connections on port ${server.port}; connect with: ${connectHint(server.host, server.port)}`);
  installShutdown(server, config, logger);
  // Only a node started by --cluster-local's launcher has an IPC channel to report to.
  if (process.send !== undefined) (await import('./cluster-local.js')).reportToLauncher(server.port);
  return server;
}

function writePidfile(path: string, logger: ServerLogger): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (err) {
    logger.log('warning', `Failed to write PID file ${path}: ${(err as Error).message}`);
  }
}

/**
 * SIGTERM, SIGINT and SHUTDOWN take one path (server.shutdown): every connection is closed after
 * its pending replies, then the pidfile goes and the process exits 0. A second signal exits at once.
 */
function installShutdown(server: RingcacheServer, config: Config, logger: ServerLogger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (server.shutdown.inProgress) {
      logger.log('warning', 'You insist... exiting now.');
      process.exit(1);
    }
    logger.log('warning', `Received ${signal} scheduling shutdown...`);
    void server.shutdown.begin(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  void server.shutdown.done.then(() => {
    const pidfile = config.get('pidfile');
    if (pidfile !== '') {
      try {
        unlinkSync(pidfile);
      } catch {
        // Already gone: nothing to clean.
      }
    }
    logger.log('warning', 'ringcache is now ready to exit, bye bye...');
    process.exit(0);
  });
}
