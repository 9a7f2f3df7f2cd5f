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

/**
 * Redis 7's key-spec flags: how a command treats the keys one spec finds (COMMAND INFO,
 * COMMAND GETKEYSANDFLAGS). RW/RO/OW/RM say read-write, read-only, overwrite, remove; the
 * lowercase ones say what happens to the value.
 */
export type KeySpecFlag =
  | 'RW'
  | 'RO'
  | 'OW'
  | 'RM'
  | 'access'
  | 'update'
  | 'insert'
  | 'delete'
  | 'not_key'
  | 'incomplete'
  | 'variable_flags';

/** Where a key spec starts looking: a fixed argument index, or after a keyword. */
export type KeySearchBegin =
  | { index: number }
  | { keyword: string; startFrom: number }
  | { unknown: true };

/** How a key spec finds keys from its start: a range, or a count read from the arguments. */
export type KeySearchFind =
  | { lastKey: number; keyStep: number; limit: number }
  | { keyNumIndex: number; firstKey: number; keyStep: number }
  | { unknown: true };

/** One of Redis 7's key specifications. */
export interface KeySpec {
  notes?: string;
  flags: readonly KeySpecFlag[];
  begin: KeySearchBegin;
  find: KeySearchFind;
}

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
  /**
   * ACL categories beyond the ones implied by flags (@read, @write, @fast...) and group (generic
   * implies @keyspace, string @string...). Stating a category of the group kind replaces the
   * group's: WAIT, in group generic, states @connection and is not @keyspace.
   */
  aclCategories?: readonly string[];
  /**
   * Flags of the key spec derived from `keys` (default: RO+access for readonly commands,
   * RW+update for write commands, RO otherwise). Ignored when keySpecs is given.
   */
  keySpecFlags?: readonly KeySpecFlag[];
  /** Redis's key specs, for commands that one range from `keys` does not describe. */
  keySpecs?: readonly KeySpec[];
  /** COMMAND INFO's tips: `nondeterministic_output`, `request_policy:all_shards`... */
  tips?: readonly string[];
  /** COMMAND DOCS history: [version, change] pairs. */
  history?: readonly (readonly [string, string])[];
  /** COMMAND DOCS deprecation: the version that deprecated the command, and what replaces it. */
  deprecatedSince?: string;
  replacedBy?: string;
  /**
   * The argument grammar after the name, in the notation of Redis's docs:
   * `key value [NX | XX] [GET] [EX seconds | PX milliseconds]`. COMMAND DOCS derives its
   * argument tree from it (redis-cli's hints read that). docs-grammar.ts describes the
   * additions that let it say all Redis's docs say: `increment:double` (a type the name does
   * not imply), `condition:[NX | XX]` (a group's name), `GET@6.2.0` (the version that added it).
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
