// The declarative command table's types. One entry per command drives arity checks, COMMAND /
// COMMAND INFO / COMMAND DOCS, key extraction for COMMAND GETKEYS and cluster routing.

import type { Client } from '../server/client.js';

/** Redis's command flags, as COMMAND INFO prints them. */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

/** `args` includes the command name at index 0; names and values are latin1 strings (bytes). */
export type Handler = (client: Client, args: string[]) => void;

export interface CommandSpec {
  /** Lowercase name, as COMMAND reports it. For a subcommand, only the subcommand's name. */
  name: string;
  /** Redis convention: counts the name itself; -N means at least N. */
  arity: number;
  flags: readonly CommandFlag[];
  /** Key positions (1-based, counting the name at 0): first, last (-1 = last arg), step. 0 0 0 when keyless. */
  keys: readonly [first: number, last: number, step: number];
  /** COMMAND DOCS group: string, generic, connection, server, transactions, cluster, pubsub... */
  group: string;
  /** Version of Redis that introduced the command, for COMMAND DOCS. */
  since: string;
  summary: string;
  complexity?: string;
  /** ACL categories beyond the ones implied by flags and group (@read, @write, @fast...). */
  aclCategories?: readonly string[];
  /**
   * The argument grammar after the name, in the notation of Redis's docs:
   * `key value [NX | XX] [GET] [EX seconds | PX milliseconds]`. COMMAND DOCS derives its
   * argument tree from it (redis-cli's hints read that).
   */
  syntax?: string;
  /** For commands whose keys are not at fixed positions (movablekeys): the key indexes of args. */
  getKeys?: (args: readonly string[]) => number[];
  /** Subcommands of a container command (CONFIG GET, CLIENT LIST...). */
  subcommands?: readonly CommandSpec[];
  /** The handler; a container command without its own handler dispatches to its subcommands. */
  handler?: Handler;
  /**
   * Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET).
   * Internal: not shown by COMMAND.
   */
  runsInMulti?: boolean;
}

/** A family of commands: one file of src/commands, opening with its table. */
export type CommandFamily = readonly CommandSpec[];
