// The server without its sockets: configuration, keyspace, command table, clients, and the one
// check pipeline every command goes through, in Redis's order: lookup, arity, authentication,
// transaction queueing, execution, statistics.

import { performance } from 'node:perf_hooks';
import { Config } from '../config/config.js';
import { Keyspace } from '../engine/keyspace.js';
import type { ParserLimits } from '../protocol/request-parser.js';
import {
  ERR_EXECABORT_BECAUSE,
  ERR_NOAUTH,
  ERR_NOT_IN_MULTI,
  ERR_SUBSCRIBED_CONTEXT,
  ERR_OOM,
  ERR_UNKNOWN_SUBCOMMAND,
  ERR_WRONG_ARITY,
  unknownCommand,
} from '../errors.js';
import { CommandTable, arityOk, findSubcommand, fullNameOf } from '../commands/table.js';
import type { CommandFamily, CommandSpec } from '../commands/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { Client, type ClientAddress } from './client.js';
import { ServerStats, type CommandStats } from './stats.js';
import { bucketOf } from '../metrics/latency-histogram.js';
import { ClientPause } from './client-pause.js';
import { HotKeys } from './hotkeys.js';
import { LatencyMonitor } from './latency-monitor.js';
import { MonitorFeed, redactedArgs } from './monitor.js';
import { Slowlog } from './slowlog.js';
import { silentLogger, type Logger } from './log.js';
import { WatchRegistry } from './watch.js';
import { hotOf, statsOf } from './spec-hot.js';
import { ClusterNode } from '../cluster/cluster-node.js';
import { AclRegistry } from '../acl/registry.js';
import { Evictor } from '../eviction/evictor.js';
import { loadAclFile } from '../acl/acl-file.js';
import { PubSubHub } from '../pubsub/hub.js';
import { refusedWhileSubscribed } from '../pubsub/subscribed-mode.js';

export interface CoreOptions {
  config?: Config;
  clock?: Clock;
  /** The command families to serve; all of ringcache's by default (tests add their own). */
  families?: readonly CommandFamily[];
}

/**
 * A request resolved against the command table: the entry, and the error that rejects it (an
 * arity error keeps its entry, which Redis counts as a rejected call); an unknown command or
 * subcommand has no entry.
 */
export type Resolution =
  | { spec: CommandSpec; fullName: string; error?: string }
  | { spec?: undefined; fullName?: undefined; error: string };

export class ServerCore {
  readonly config: Config;
  readonly clock: Clock;
  readonly keyspace: Keyspace;
  /** maxmemory and its policy; `evictor.maxmemory !== 0` is the only check a command pays without a limit. */
  readonly evictor: Evictor;
  readonly commands: CommandTable;
  /** ACL users; `requirepass` is the default user's password. */
  readonly acl: AclRegistry;
  readonly stats = new ServerStats();
  readonly clients = new Map<number, Client>();
  readonly watches: WatchRegistry;
  /** Channels, patterns and shard channels, with their subscribers. */
  readonly pubsub = new PubSubHub();
  /** This server's cluster state with cluster-enabled, else null (and no routing check runs). */
  readonly cluster: ClusterNode | null;
  readonly startedAt: number;
  private nextClientId = 1;
  /** Read by every connection's parser; kept current by config watchers. */
  readonly parserLimits: ParserLimits = { maxBulkLen: 0, queryBufferLimit: 0 };
  readonly slowlog = new Slowlog();
  readonly latencyMonitor = new LatencyMonitor();
  readonly monitors = new MonitorFeed();
  readonly hotKeys = new HotKeys();
  readonly pause: ClientPause;
  /** Diagnostics thresholds, kept current by config watchers so the hot path reads a field. */
  private slowlogThresholdUsec = 10000;
  private slowlogMaxLen = 128;
  private latencyThresholdMs = 0;
  /** Set while the server shuts down; the network layer reads it. */
  shuttingDown = false;
  /**
   * The TCP port the server listens on, once it does (0 before, or for a core without a
   * listener): INFO's tcp_port, which with `port 0` (pick a free port) is the one picked.
   */
  tcpPort = 0;
  /** Cleared by DEBUG SET-ACTIVE-EXPIRE 0: the cron then leaves expired keys to lazy expiry. */
  activeExpire = true;
  /** The server log (DEBUG LOG writes to it); the network server sets its own. */
  logger: Logger = silentLogger;
  /** What SHUTDOWN calls: the network server's shutdown; null for a core without sockets. */
  requestShutdown: (() => void) | null = null;
  /**
   * Error replies already accounted to a command, as Redis's prev_err_count: EXEC counts as
   * failed only for errors after its last queued command, not for theirs.
   */
  private errorsAccounted = 0;
  /**
   * Between beginBatch and endBatch (one read's requests, run back to back by a connection), the
   * monotonic reading that ended the previous command, which is the next one's start; -1 outside
   * a batch, or while a command runs (a command EXEC runs reads its own start).
   */
  private batchMark = -1;
  /** The wall clock (ms) and the monotonic reading taken together at the batch's start. */
  private batchWall = 0;
  private batchBase = 0;

  constructor(options: CoreOptions = {}) {
    this.config = options.config ?? new Config();
    this.clock = options.clock ?? systemClock;
    this.commands = new CommandTable(options.families);
    this.acl = new AclRegistry(this.commands.commands);
    this.config.watch('requirepass', (v) => this.acl.setDefaultPassword(v));
    // Read after requirepass, so the file's default user wins, as in Redis.
    if (this.config.get('aclfile') !== '') loadAclFile(this.config.get('aclfile'), this.acl);
    this.keyspace = new Keyspace({
      databases: this.config.getNumber('databases'),
      shards: this.config.getNumber('shards'),
    });
    this.evictor = new Evictor(this.keyspace);
    this.evictor.bindConfig(this.config);
    this.startedAt = this.clock.now();
    this.watches = new WatchRegistry(this.clock);
    this.cluster = this.config.getBool('cluster-enabled') ? new ClusterNode(this) : null;
    this.config.watch('proto-max-bulk-len', (v) => (this.parserLimits.maxBulkLen = Number(v)));
    this.config.watch('client-query-buffer-limit', (v) => (this.parserLimits.queryBufferLimit = Number(v)));
    this.pause = new ClientPause(() => this.clock.now());
    this.config.watch('slowlog-log-slower-than', (v) => {
      this.slowlogThresholdUsec = Number(v);
      this.updateSlowestUnobserved();
    });
    this.config.watch('slowlog-max-len', (v) => {
      this.slowlogMaxLen = Number(v);
      this.slowlog.trim(this.slowlogMaxLen);
    });
    this.config.watch('latency-monitor-threshold', (v) => {
      this.latencyThresholdMs = Number(v);
      this.updateSlowestUnobserved();
    });
    this.config.watch('hotkeys-sample-every', (v) => (this.hotKeys.sampleEvery = Number(v)));
  }

  createClient(address: ClientAddress): Client {
    const client = new Client(this, this.nextClientId++, address);
    this.clients.set(client.id, client);
    this.stats.connectionsReceived++;
    return client;
  }

  removeClient(client: Client): void {
    this.clients.delete(client.id);
    this.monitors.clients.delete(client);
    this.watches.unwatchAll(client);
    this.pubsub.dropClient(client);
  }

  /** Leaves MULTI and forgets every WATCH (EXEC, DISCARD, RESET), as Redis's discardTransaction. */
  discardTransaction(client: Client): void {
    client.multi = null;
    client.multiFailed = false;
    client.watchTouched = false;
    this.watches.unwatchAll(client);
  }

  /**
   * Finds the table entry for a request and checks its arity, as Redis's lookupCommand: a
   * container given a second argument always means a subcommand; alone, it is checked (and
   * refused) by its own arity.
   */
  resolve(args: readonly string[]): Resolution {
    let spec = this.lookupCommand(args[0]);
    if (spec === undefined) return { error: unknownCommand(args) };
    let fullName = spec.name;
    if (spec.subcommands !== undefined && args.length >= 2) {
      const sub = findSubcommand(spec, args[1]);
      if (sub === undefined) return { error: ERR_UNKNOWN_SUBCOMMAND(args[1], args[0]) };
      fullName = fullNameOf(spec, sub);
      spec = sub;
    }
    if (!arityOk(spec.arity, args.length)) return { spec, fullName, error: ERR_WRONG_ARITY(fullName) };
    return { spec, fullName };
  }

  /**
   * The table entry named `name` (any letter case). The last name found is remembered: pipelined
   * requests repeat one command, and the parser hands out the same string for it, so the compare
   * is one pointer check where the table lookup is a Map probe (2% of samples under -P 16).
   */
  lookupCommand(name: string): CommandSpec | undefined {
    if (name === this.lastCommandName) return this.lastCommandSpec;
    const spec = this.commands.lookup(name);
    if (spec !== undefined) {
      this.lastCommandName = name;
      this.lastCommandSpec = spec;
    }
    return spec;
  }

  private lastCommandName = '';
  private lastCommandSpec: CommandSpec | undefined = undefined;

  /**
   * Runs one request from a client through the whole pipeline, writing its reply. Returns false
   * when CLIENT PAUSE holds it: nothing was done, and the caller runs it again once the pause
   * is over (`pause.whenOver`).
   */
  execute(client: Client, args: string[]): boolean {
    const mark = this.batchMark;
    // In a batch the wall clock is the batch's plus the monotonic time since, never ahead of
    // Date.now: one clock read per command instead of three (each ~50-70 ns on this machine).
    client.now = mark >= 0 ? Math.floor(this.batchWall + (mark - this.batchBase)) : this.clock.now();
    client.lastInteraction = client.now;
    const found = this.resolve(args);
    // Redis remembers the command as soon as it is looked up, queued or refused (CLIENT LIST cmd=).
    client.lastCommand = found.fullName ?? 'NULL';
    if (found.spec === undefined) {
      this.reject(client, found.error);
      return true;
    }
    const { spec, fullName } = found;
    if (found.error !== undefined) {
      this.reject(client, found.error, fullName);
      return true;
    }
    const hot = hotOf(spec);
    if (!client.authenticated && !hot.noAuth && this.acl.authRequired) {
      this.reject(client, ERR_NOAUTH, fullName);
      return true;
    }
    const denied = this.acl.check(client.user, spec, fullName, args);
    if (denied !== null) {
      this.reject(client, denied, fullName);
      return true;
    }
    if (this.cluster !== null && this.cluster.redirect(client, spec, fullName, args)) return true;
    if (this.evictor.maxmemory !== 0 && this.refusedForMemory(client, spec)) {
      this.reject(client, ERR_OOM, fullName);
      return true;
    }
    // After the memory check, as in Redis's processCommand.
    if (client.subscriptions !== null && refusedWhileSubscribed(client, fullName)) {
      this.reject(client, ERR_SUBSCRIBED_CONTEXT(fullName), fullName);
      return true;
    }
    if (this.pause.paused && this.pause.holds(client, spec, args)) return false;
    if (client.multi !== null && spec.runsInMulti !== true) {
      if (hot.noMulti) {
        this.reject(client, ERR_NOT_IN_MULTI, fullName);
        return true;
      }
      client.multi.push({ args, spec, fullName });
      client.reply.simple('QUEUED');
      return true;
    }
    this.run(client, spec, fullName, args);
    return true;
  }

  /**
   * Starts a batch: requests run one after another with nothing else in between, so each
   * command's clock readings come from the one that ended the previous command (see execute and
   * run). Only with the system clock: a test's FakeClock is read per command as always.
   */
  beginBatch(): void {
    if (this.clock !== systemClock) return;
    this.batchWall = this.clock.now();
    this.batchBase = this.batchMark = performance.now();
  }

  endBatch(): void {
    this.batchMark = -1;
  }

  /** Executes an already resolved command (directly, or from EXEC) and counts it. */
  run(client: Client, spec: CommandSpec, fullName: string, args: string[]): void {
    this.errorsAccounted = client.reply.errors;
    // In a batch the previous command's end is this one's start, so the time between them
    // (parsing, lookup, checks: a few hundred ns) counts towards this command's usec.
    const mark = this.batchMark;
    this.batchMark = -1;
    const start = mark >= 0 ? mark : performance.now();
    try {
      (spec.handler as NonNullable<CommandSpec['handler']>)(client, args);
    } catch (err) {
      // Handlers report bad arguments as replies; an exception here is a bug. The client gets
      // an error instead of a dropped connection, and the bug is logged and counted.
      this.stats.internalErrors++;
      client.reply.error(`ERR internal error while running '${fullName}': ${(err as Error).message}`);
      console.error(`ringcache: bug in ${fullName}:`, err);
    }
    const end = performance.now();
    if (mark >= 0) this.batchMark = end;
    const usec = (end - start) * 1000;
    const hot = hotOf(spec);
    const stat = statsOf(hot, this.stats, fullName);
    stat.calls++;
    stat.usec += usec;
    stat.histogram[bucketOf(usec)]++;
    if (client.reply.errors > this.errorsAccounted) stat.failedCalls++;
    this.errorsAccounted = client.reply.errors;
    this.stats.commandsProcessed++;
    // Evicting after the command too keeps used_memory within maxmemory between commands, where
    // Redis only evicts before the next one.
    if (this.evictor.maxmemory !== 0) this.evictor.performEvictions(client.now);
    // Each diagnostic is off or idle nearly always: one combined test skips them all. The
    // hot-key sampler's countdown runs here, so that the 63 commands in 64 it skips cost no call.
    const firstKey = hot.firstKey;
    const sampleKey = firstKey > 0 && firstKey < args.length && this.hotKeys.due();
    if (sampleKey || this.monitors.active || usec >= this.slowestUnobservedUsec) this.observe(client, spec, args, usec, sampleKey);
  }

  /**
   * Commands faster than this reach neither the slow log nor the latency monitor, so while no
   * MONITOR client is on they skip observe() after one comparison. Kept current by the watchers
   * of the two thresholds.
   */
  private slowestUnobservedUsec = Infinity;

  private updateSlowestUnobserved(): void {
    let limit = Infinity;
    if (this.slowlogThresholdUsec >= 0) limit = this.slowlogThresholdUsec;
    if (this.latencyThresholdMs > 0) limit = Math.min(limit, this.latencyThresholdMs * 1000);
    this.slowestUnobservedUsec = limit;
  }

  /**
   * What the diagnostics see of a command once it ran, as Redis's call(): the slow log, the
   * latency monitor, MONITOR clients, and the hot-keys sketch. Each costs a comparison unless on.
   */
  private observe(client: Client, spec: CommandSpec, args: string[], usec: number, sampleKey: boolean): void {
    const hot = hotOf(spec);
    if (this.slowlogThresholdUsec >= 0 && usec >= this.slowlogThresholdUsec && !hot.skipSlowlog) {
      const name = client.name;
      this.slowlog.push(redactedArgs(args), Math.floor(usec), Math.floor(client.now / 1000), client.address.addr, name, this.slowlogMaxLen);
    }
    if (this.latencyThresholdMs > 0 && usec >= this.latencyThresholdMs * 1000) {
      const event = hot.fast ? 'fast-command' : 'command';
      this.latencyMonitor.add(event, Math.floor(usec / 1000), Math.floor(client.now / 1000));
    }
    if (this.monitors.active && !hot.hiddenFromMonitor) {
      this.monitors.feed(client, args);
    }
    if (sampleKey) this.hotKeys.record(args[hot.firstKey]);
  }

  /**
   * Redis's maxmemory check in processCommand: evict what the policy allows, and when memory is
   * still over the limit refuse commands that may grow it (denyoom, EXEC of a transaction holding
   * one) and anything queued inside MULTI except EXEC, DISCARD, QUIT and RESET.
   */
  private refusedForMemory(client: Client, spec: CommandSpec): boolean {
    if (this.evictor.performEvictions(client.now)) return false;
    if (hotOf(spec).denyoom) return true;
    const name = spec.name;
    if (client.multi === null) return false;
    if (name === 'exec') return client.multi.some((queued) => queued.spec.flags.includes('denyoom'));
    return name !== 'discard' && name !== 'quit' && name !== 'reset';
  }

  /**
   * A command refused before running (`fullName` when the table knows it): counted as rejected,
   * and it spoils an open MULTI. A refused EXEC discards the transaction there and then, as
   * Redis's execCommandAbort does.
   */
  reject(client: Client, error: string, fullName?: string): void {
    if (fullName !== undefined) this.stats.command(fullName).rejectedCalls++;
    if (fullName === 'exec') {
      this.discardTransaction(client);
      client.reply.error(ERR_EXECABORT_BECAUSE(error));
      return;
    }
    client.reply.error(error);
    if (client.multi !== null) client.multiFailed = true;
  }
}

export type { CommandStats };
