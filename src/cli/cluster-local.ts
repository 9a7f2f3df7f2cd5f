// `ringcache-server --cluster-local N`: a whole cluster on this machine, one process per node, so
// that N nodes use N cores. The launcher starts each node as a child running this same program
// with `--cluster-enabled yes`, the shared `--cluster-nodes` list and its own port and nodes file;
// it passes every other option through, restarts a node that dies, and stops them all on
// SIGINT/SIGTERM.
//
// The children run in their own process group, so a Ctrl-C in the terminal reaches the launcher
// alone and every node gets exactly one SIGTERM from it (a second signal would make a node skip
// its orderly shutdown). Each child keeps an IPC channel to the launcher: it reports on it when it
// listens, and stops by itself when the channel closes, so a launcher killed with SIGKILL leaves
// no orphan holding the ports.

import { spawn, type ChildProcess } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { parse as parsePath, join as joinPath } from 'node:path';
import { announceableBind } from '../cluster/cluster-node.js';
import { readConfigText, type Directive, type FileReader } from '../config/config-file.js';
import type { Config } from '../config/config.js';
import { ServerLogger } from '../server/log.js';
import { REDIS_COMPAT_VERSION, RINGCACHE_VERSION } from '../server/version.js';
import { loadStartupConfig } from './load-config.js';
import type { CliIO } from './main.js';

/** Set in a node's environment: it tells the node to report to its launcher. */
export const LAUNCHER_ENV = 'RINGCACHE_CLUSTER_LOCAL';

/** The first restart waits this long, doubling with each further failure in a row. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A node that ran this long before dying is restarted at once again (its earlier failures are forgotten). */
const STABLE_MS = 30_000;
/** A node that dies this many times in a row before listening is given up on, not retried forever. */
export const MAX_START_FAILURES = 5;

/** Parameters the launcher sets for each node, so the user's values of them are not passed on. */
const PER_NODE = new Set([
  'port',
  'cluster-enabled',
  'cluster-nodes',
  'cluster-config-file',
  'cluster-announce-ip',
  'cluster-announce-port',
  'pidfile',
  'tls-port',
  'metrics-port',
  'unixsocket',
]);

interface ReadyMessage {
  ringcacheReady: number;
}

/**
 * Called by a node once it listens: when a launcher started it, tells the launcher, and stops
 * the node (as SIGTERM would) when the launcher is gone.
 */
export function reportToLauncher(port: number): void {
  if (process.env[LAUNCHER_ENV] !== '1' || process.send === undefined) return;
  const message: ReadyMessage = { ringcacheReady: port };
  process.send(message);
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep a node alive that has otherwise finished.
  process.channel?.unref();
}

export interface ClusterLocalOptions {
  nodes: number;
  configFile: string | null;
  directives: readonly Directive[];
  io: CliIO;
  /** The program each node runs, arguments before the options; default: this process's own. */
  command?: readonly string[];
}

/**
 * Starts the launcher. Resolves with an exit code when there is nothing to run (a bad option or
 * config), or with the running launcher.
 */
export async function runClusterLocal(options: ClusterLocalOptions): Promise<number | ClusterLauncher> {
  const { io } = options;
  // Standard input can be read once only, and every node (and each restart) needs the text.
  let stdinText: string | null = null;
  const read: FileReader = (path) => (path === '-' ? (stdinText ??= readConfigText(path)) : readConfigText(path));
  const loaded = loadStartupConfig(options.configFile, options.directives, read);
  if (!loaded.ok) {
    io.stderr(loaded.message);
    return 1;
  }
  const config = loaded.config;
  const command = options.command ?? defaultCommand();
  if (command === null) {
    io.stderr('error: --cluster-local cannot tell which program to start for each node\n');
    return 1;
  }
  const host = config.get('cluster-announce-ip') || announceableBind(config.get('bind'));
  const base = config.getNumber('port');
  const last = base + options.nodes - 1;
  if (base !== 0 && last > 65535) {
    io.stderr(`error: --cluster-local ${options.nodes} --port ${base} needs ports up to ${last}: pick a lower --port\n`);
    return 1;
  }
  const ports = base === 0 ? await freePorts(options.nodes) : Array.from({ length: options.nodes }, (_, i) => base + i);
  // tls-port and metrics-port also take one port per node (see nodeArgs): the ranges must not meet.
  const taken = new Map<number, string>(ports.map((port) => [port, 'port']));
  for (const name of ['tls-port', 'metrics-port']) {
    const first = config.getNumber(name);
    if (first === 0) continue;
    for (let i = 0; i < options.nodes; i++) {
      const clash = taken.get(first + i);
      if (clash !== undefined) {
        io.stderr(`error: --cluster-local ${options.nodes} gives node ${i + 1} ${name} ${first + i}, which is also a node's ${clash}: pick ranges ${options.nodes} ports apart\n`);
        return 1;
      }
      taken.set(first + i, name);
    }
  }
  const launcher = new ClusterLauncher({ config, command, host, ports, configFile: options.configFile, stdinText, directives: options.directives, io });
  launcher.start();
  return launcher;
}

/** This program again: the script the user started, with the same Node.js flags. */
function defaultCommand(): string[] | null {
  const script = process.argv[1];
  return script === undefined ? null : [process.execPath, ...process.execArgv, script];
}

/** Ports the system has free right now (for --port 0), probed on every interface. */
async function freePorts(count: number): Promise<number[]> {
  const probes: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const probe = net.createServer();
      probes.push(probe);
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(0, resolve);
      });
    }
    return probes.map((probe) => (probe.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
}

/** One supervised node. */
interface LocalNode {
  port: number;
  child: ChildProcess | null;
  startedAt: number;
  ready: boolean;
  /** Deaths in a row before listening; at MAX_START_FAILURES the node is given up on. */
  startFailures: number;
  /** Deaths in a row (within STABLE_MS of their start), which set the restart delay. */
  crashes: number;
  restartTimer: NodeJS.Timeout | null;
  /** Stopped for good: given up on, or shut down on purpose. */
  finished: boolean;
}

interface LauncherSetup {
  config: Config;
  command: readonly string[];
  host: string;
  ports: number[];
  configFile: string | null;
  stdinText: string | null;
  directives: readonly Directive[];
  io: CliIO;
}

export class ClusterLauncher {
  readonly nodes: LocalNode[];
  /** Resolves with the launcher's exit code once every node has stopped. */
  readonly exited: Promise<number>;
  private resolveExit!: (code: number) => void;
  private readonly logger: ServerLogger;
  private stopping = false;
  private announced = false;
  private done = false;
  private readonly nodeList: string;

  constructor(private readonly setup: LauncherSetup) {
    this.nodes = setup.ports.map((port) => ({
      port,
      child: null,
      startedAt: 0,
      ready: false,
      startFailures: 0,
      crashes: 0,
      restartTimer: null,
      finished: false,
    }));
    this.nodeList = setup.ports.map((port) => `${setup.host}:${port}`).join(',');
    this.logger = new ServerLogger(setup.config, setup.io.stdout);
    this.logger.role = 'M';
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get ports(): number[] {
    return this.nodes.map((node) => node.port);
  }

  start(): void {
    this.logger.log(
      'notice',
      `ringcache v${RINGCACHE_VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible) cluster launcher, pid=${process.pid}: starting ${this.nodes.length} nodes, one process each, on ${this.nodeList}`,
    );
    const pidfile = this.setup.config.get('pidfile');
    if (pidfile !== '') {
      try {
        writeFileSync(pidfile, `${process.pid}\n`);
      } catch (err) {
        this.logger.log('warning', `Failed to write PID file ${pidfile}: ${(err as Error).message}`);
      }
    }
    const onSignal = (signal: NodeJS.Signals): void => this.onSignal(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    void this.exited.then((code) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.exitCode = code;
    });
    for (const node of this.nodes) this.spawnNode(node);
  }

  /** Stops every node with SIGTERM; resolves with the exit code once they are all gone. */
  stop(): Promise<number> {
    if (!this.stopping) {
      this.stopping = true;
      for (const node of this.nodes) {
        if (node.restartTimer !== null) clearTimeout(node.restartTimer);
        node.restartTimer = null;
        node.child?.kill('SIGTERM');
      }
      this.finishIfDone();
    }
    return this.exited;
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.stopping) {
      this.logger.log('warning', 'You insist... killing the nodes and exiting now.');
      for (const node of this.nodes) node.child?.kill('SIGKILL');
      process.exit(1);
    }
    this.logger.log('warning', `Received ${signal}: stopping the ${this.nodes.length} nodes...`);
    void this.stop();
  }

  /** The options a node runs with: the user's, then this node's own, which take precedence. */
  private nodeArgs(node: LocalNode): string[] {
    const { config, configFile, directives } = this.setup;
    const index = this.nodes.indexOf(node);
    const args = configFile === null ? [] : [configFile];
    // `--name=value` keeps a value that starts with '-' or is empty a value.
    for (const directive of directives) if (!PER_NODE.has(directive.name)) args.push(`--${directive.name}=${directive.args.join(' ')}`);
    args.push(
      `--port=${node.port}`,
      '--cluster-enabled=yes',
      `--cluster-nodes=${this.nodeList}`,
      `--cluster-announce-ip=${this.setup.host}`,
      '--cluster-announce-port=0',
      `--cluster-config-file=nodes-${node.port}.conf`,
      // The launcher's pid is the one a service manager must signal.
      '--pidfile=',
    );
    // Listeners of their own would collide: each node takes the next port, or its own socket file.
    for (const name of ['tls-port', 'metrics-port']) {
      const port = config.getNumber(name);
      if (port !== 0) args.push(`--${name}=${port + index}`);
    }
    const socket = config.get('unixsocket');
    if (socket !== '') {
      const { dir, name, ext } = parsePath(socket);
      args.push(`--unixsocket=${joinPath(dir, `${name}-${node.port}${ext}`)}`);
    }
    return args;
  }

  private spawnNode(node: LocalNode): void {
    node.restartTimer = null;
    const [program, ...leading] = this.setup.command;
    const stdin = this.setup.stdinText === null ? 'ignore' : 'pipe';
    const child = spawn(program, [...leading, ...this.nodeArgs(node)], {
      stdio: [stdin, 'inherit', 'inherit', 'ipc'],
      detached: true,
      env: { ...process.env, [LAUNCHER_ENV]: '1' },
    });
    if (this.setup.stdinText !== null) child.stdin?.end(Buffer.from(this.setup.stdinText, 'latin1'));
    node.child = child;
    node.ready = false;
    node.startedAt = Date.now();
    child.on('message', (message: unknown) => {
      if ((message as ReadyMessage | null)?.ringcacheReady === node.port) this.onReady(node, child);
    });
    child.once('error', (err) => {
      this.logger.log('warning', `Could not start the node for port ${node.port}: ${err.message}`);
      // A program that could not be run at all sends no exit event.
      if (child.pid === undefined) this.onExit(node, child, 127, null);
    });
    child.once('exit', (code, signal) => this.onExit(node, child, code, signal));
  }

  private onReady(node: LocalNode, child: ChildProcess): void {
    const again = node.crashes > 0 || node.startFailures > 0;
    node.ready = true;
    node.startFailures = 0;
    if (again) this.logger.log('notice', `Node on port ${node.port} is back, pid=${child.pid}`);
    if (!this.announced && this.nodes.every((n) => n.ready)) {
      this.announced = true;
      const first = this.nodes[0].port;
      const hostPart = this.setup.host === '127.0.0.1' ? '' : ` -h ${this.setup.host}`;
      this.logger.log('notice', `Cluster ready: ${this.nodes.length} nodes on ${this.nodeList}; connect with: redis-cli -c${hostPart} -p ${first}`);
    }
  }

  private onExit(node: LocalNode, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (node.child !== child) return;
    node.child = null;
    const how = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
    if (this.stopping) {
      this.finishIfDone();
      return;
    }
    if (signal === null && code === 0) {
      // A clean exit nobody asked the launcher for is a node shut down on purpose (SHUTDOWN).
      this.logger.log('warning', `Node on port ${node.port} (pid ${child.pid}) exited normally; not restarting it`);
      node.finished = true;
      this.finishIfDone();
      return;
    }
    if (!node.ready) {
      node.startFailures++;
      if (node.startFailures >= MAX_START_FAILURES) {
        this.logger.log(
          'warning',
          `Node on port ${node.port} failed to start ${node.startFailures} times in a row (${how}); not restarting it: see its log above for why`,
        );
        node.finished = true;
        this.finishIfDone();
        return;
      }
    }
    node.crashes = Date.now() - node.startedAt >= STABLE_MS ? 1 : node.crashes + 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (node.crashes - 1));
    const when = node.ready ? 'died' : 'died before listening';
    this.logger.log('warning', `Node on port ${node.port} (pid ${child.pid}) ${when} (${how}); restarting it in ${delay / 1000}s`);
    node.restartTimer = setTimeout(() => this.spawnNode(node), delay);
  }

  /** Once no node runs or waits for a restart, the launcher is done. */
  private finishIfDone(): void {
    if (this.done || !this.nodes.every((node) => node.child === null && node.restartTimer === null)) return;
    this.done = true;
    const pidfile = this.setup.config.get('pidfile');
    if (pidfile !== '') {
      try {
        unlinkSync(pidfile);
      } catch {
        // Already gone: nothing to clean.
      }
    }
    const failed = this.nodes.some((node) => node.finished && !this.stopping && node.startFailures >= MAX_START_FAILURES);
    this.logger.log('warning', this.stopping ? 'All nodes stopped, bye bye...' : 'No node left running, exiting.');
    this.resolveExit(failed ? 1 : 0);
  }
}
