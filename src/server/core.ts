// The server without its sockets: configuration, keyspace, command table, clients, and the one
// check pipeline every command goes through, in Redis's order: lookup, arity, authentication,
// transaction queueing, execution, statistics.

import { performance } from 'node:perf_hooks';
import { Config } from '../config/config.js';
import { Keyspace } from '../engine/keyspace.js';
import type { ParserLimits } from '../protocol/request-parser.js';
import {
  ERR_NOAUTH,
  ERR_UNKNOWN_SUBCOMMAND,
  ERR_WRONG_ARITY,
  unknownCommand,
} from '../errors.js';
import { CommandTable, arityOk, findSubcommand } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { Client, type ClientAddress } from './client.js';
import { ServerStats, type CommandStats } from './stats.js';

export interface CoreOptions {
  config?: Config;
  clock?: Clock;
}

/** A request resolved against the command table, or the error that rejects it. */
export type Resolution = { spec: CommandSpec; fullName: string; error?: undefined } | { error: string };

export class ServerCore {
  readonly config: Config;
  readonly clock: Clock;
  readonly keyspace: Keyspace;
  readonly commands = new CommandTable();
  readonly stats = new ServerStats();
  readonly clients = new Map<number, Client>();
  readonly startedAt: number;
  private nextClientId = 1;
  /** Read by every connection's parser; kept current by config watchers. */
  readonly parserLimits: ParserLimits = { maxBulkLen: 0, queryBufferLimit: 0 };
  /** Set while the server shuts down; the network layer reads it. */
  shuttingDown = false;

  constructor(options: CoreOptions = {}) {
    this.config = options.config ?? new Config();
    this.clock = options.clock ?? systemClock;
    this.keyspace = new Keyspace({
      databases: this.config.getNumber('databases'),
      shards: this.config.getNumber('shards'),
    });
    this.startedAt = this.clock.now();
    this.config.watch('proto-max-bulk-len', (v) => (this.parserLimits.maxBulkLen = Number(v)));
    this.config.watch('client-query-buffer-limit', (v) => (this.parserLimits.queryBufferLimit = Number(v)));
  }

  createClient(address: ClientAddress): Client {
    const client = new Client(this, this.nextClientId++, address);
    this.clients.set(client.id, client);
    this.stats.connectionsReceived++;
    return client;
  }

  removeClient(client: Client): void {
    this.clients.delete(client.id);
  }

  /** Finds the table entry for a request, subcommand included, and checks its arity. */
  resolve(args: readonly string[]): Resolution {
    let spec = this.commands.lookup(args[0]);
    if (spec === undefined) return { error: unknownCommand(args) };
    let fullName = spec.name;
    if (spec.subcommands !== undefined && spec.handler === undefined && args.length >= 2) {
      const sub = findSubcommand(spec, args[1]);
      if (sub === undefined) return { error: ERR_UNKNOWN_SUBCOMMAND(args[1], args[0]) };
      fullName = `${spec.name}|${sub.name}`;
      spec = sub;
    }
    if (!arityOk(spec.arity, args.length)) return { error: ERR_WRONG_ARITY(fullName) };
    return { spec, fullName };
  }

  /** Runs one request from a client through the whole pipeline, writing its reply. */
  execute(client: Client, args: string[]): void {
    client.now = this.clock.now();
    client.lastInteraction = client.now;
    const found = this.resolve(args);
    if (found.error !== undefined) {
      this.reject(client, found.error);
      return;
    }
    const { spec, fullName } = found;
    if (!client.authenticated && !spec.flags.includes('no_auth')) {
      this.reject(client, ERR_NOAUTH, fullName);
      return;
    }
    if (client.multi !== null && spec.runsInMulti !== true) {
      client.multi.push({ args });
      client.reply.simple('QUEUED');
      return;
    }
    this.run(client, spec, fullName, args);
  }

  /** Executes an already resolved command (directly, or from EXEC) and counts it. */
  run(client: Client, spec: CommandSpec, fullName: string, args: string[]): void {
    const stat = this.stats.command(fullName);
    const errorsBefore = client.reply.errors;
    const start = performance.now();
    try {
      (spec.handler as NonNullable<CommandSpec['handler']>)(client, args);
    } catch (err) {
      // Handlers report bad arguments as replies; an exception here is a bug. The client gets
      // an error instead of a dropped connection, and the bug is logged and counted.
      this.stats.internalErrors++;
      client.reply.error(`ERR internal error while running '${fullName}': ${(err as Error).message}`);
      console.error(`ringcache: bug in ${fullName}:`, err);
    }
    stat.calls++;
    stat.usec += (performance.now() - start) * 1000;
    if (client.reply.errors !== errorsBefore) stat.failedCalls++;
    this.stats.commandsProcessed++;
    client.lastCommand = fullName;
  }

  /** A command refused before running: counted as rejected, and it spoils an open MULTI. */
  private reject(client: Client, error: string, fullName?: string): void {
    client.reply.error(error);
    if (fullName !== undefined) this.stats.command(fullName).rejectedCalls++;
    if (client.multi !== null) client.multiFailed = true;
  }
}

export type { CommandStats };
