// Server commands: INFO, TIME, SHUTDOWN, the CONFIG container and the FUNCTION container
// (ringcache has no function engine, so there is never a library to flush).

import { ConfigError, findParam } from '../config/config.js';
import { CONFIG_TABLE, type ConfigParam } from '../config/config-table.js';
import { rewriteConfigFile } from '../config/config-rewrite.js';
import {
  CONFIG_DUPLICATE,
  CONFIG_IMMUTABLE,
  ERR_CONFIG_REWRITE,
  ERR_CONFIG_SET_FAILED,
  ERR_CONFIG_UNKNOWN,
  ERR_FUNCTION_FLUSH_MODE,
  ERR_NO_CONFIG_FILE,
  ERR_NO_SHUTDOWN_IN_PROGRESS,
  ERR_SHUTDOWN_FAILED,
  ERR_SUBCOMMAND_SYNTAX,
  ERR_SYNTAX,
  cString,
} from '../errors.js';
import type { Client } from '../server/client.js';
import { renderInfo } from '../server/info.js';
import { globMatch } from '../util/glob.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandSpec } from './types.js';

const configSubcommands: readonly CommandSpec[] = [
  {
    name: 'get',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.0.0',
    summary: 'Get the values of configuration parameters',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
    syntax: 'parameter [parameter ...]',
    handler: configGet,
  },
  {
    name: 'set',
    arity: -4,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.0.0',
    summary: 'Set configuration parameters to the given values',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
    syntax: 'parameter value [parameter value ...]',
    handler: configSet,
  },
  {
    name: 'resetstat',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.0.0',
    summary: 'Reset the stats returned by INFO',
    complexity: 'O(1)',
    syntax: '',
    handler: configResetstat,
  },
  {
    name: 'rewrite',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.8.0',
    summary: 'Rewrite the configuration file with the in memory configuration',
    complexity: 'O(1)',
    syntax: '',
    handler: configRewrite,
  },
  {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '5.0.0',
    summary: 'Show helpful text about the different subcommands',
    complexity: 'O(1)',
    syntax: '',
    handler: (c, args) => replyHelp(c, args[0], CONFIG_HELP),
  },
];

const functionSubcommands: readonly CommandSpec[] = [
  {
    name: 'flush',
    arity: -2,
    flags: ['write', 'noscript'],
    keys: [0, 0, 0],
    group: 'scripting',
    since: '7.0.0',
    summary: 'Deleting all functions',
    complexity: 'O(N) where N is the number of functions deleted',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    syntax: '[ASYNC | SYNC]',
    handler: functionFlush,
  },
  {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    group: 'scripting',
    since: '7.0.0',
    summary: 'Show helpful text about the different subcommands',
    complexity: 'O(1)',
    syntax: '',
    handler: (c, args) => replyHelp(c, args[0], FUNCTION_HELP),
  },
];

export const serverCommands: CommandFamily = [
  {
    name: 'info',
    arity: -1,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Get information and statistics about the server',
    complexity: 'O(1)',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    aclCategories: ['@dangerous'],
    syntax: '[section [section ...]]',
    handler: info,
  },
  {
    name: 'time',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.6.0',
    summary: 'Return the current server time',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    syntax: '',
    handler: time,
  },
  {
    name: 'shutdown',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Synchronously save the dataset to disk and then shut down the server',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    syntax: '[NOSAVE | SAVE] [NOW@7.0.0] [FORCE@7.0.0] [ABORT@7.0.0]',
    handler: shutdown,
  },
  {
    name: 'config',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'server',
    since: '2.0.0',
    summary: 'A container for server configuration commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: configSubcommands,
  },
  {
    name: 'function',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'scripting',
    since: '7.0.0',
    summary: 'A container for function commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: functionSubcommands,
  },
];

// INFO [section ...]
function info(c: Client, args: string[]): void {
  c.reply.verbatim(renderInfo(c.server, args.slice(1), c.now));
}

// TIME
function time(c: Client): void {
  const seconds = Math.floor(c.now / 1000);
  c.reply.array(2);
  c.reply.bulk(String(seconds));
  c.reply.bulk(String(Math.floor((c.now - seconds * 1000) * 1000)));
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
function shutdown(c: Client, args: string[]): void {
  let save = false;
  let nosave = false;
  let modifier = false;
  let abort = false;
  for (let i = 1; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'nosave') nosave = true;
    else if (option === 'save') save = true;
    else if (option === 'now' || option === 'force') modifier = true;
    else if (option === 'abort') abort = true;
    else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if ((abort && (save || nosave || modifier)) || (save && nosave)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (abort) {
    c.reply.error(ERR_NO_SHUTDOWN_IN_PROGRESS);
    return;
  }
  // Nothing is kept on disk and there are no replicas to wait for, so SAVE, NOSAVE, NOW and FORCE
  // all stop the same way. As in Redis, the client that asked gets no reply: the connection closes.
  // A core without a network server (driven from code) has nothing to stop: say so, as Redis
  // answers when a shutdown cannot proceed, rather than leave the caller without a reply.
  if (c.server.requestShutdown === null) return c.reply.error(ERR_SHUTDOWN_FAILED);
  c.server.requestShutdown();
}

/** Redis looks a name up directly unless it holds one of these glob characters. */
const GLOB_CHARS = /[[*?]/;

// CONFIG GET parameter [parameter ...]
function configGet(c: Client, args: string[]): void {
  // Keyed case-insensitively by the name as it will be printed, as Redis's result dict is.
  const found = new Map<string, { name: string; param: ConfigParam }>();
  for (const pattern of args.slice(2)) {
    if (!GLOB_CHARS.test(cString(pattern))) {
      const param = findParam(pattern);
      if (param !== undefined && !found.has(pattern.toLowerCase())) found.set(pattern.toLowerCase(), { name: pattern, param });
      continue;
    }
    for (const param of CONFIG_TABLE) {
      // An alias is listed only when its parameter has not matched under its own name.
      for (const name of [param.name, ...(param.aliases ?? [])]) {
        if (found.has(param.name)) break;
        if (globMatch(pattern, name, true)) found.set(name, { name, param });
      }
    }
  }
  c.reply.map(found.size);
  for (const { name, param } of found.values()) {
    c.reply.bulk(name);
    c.reply.bulk(c.server.config.get(param.name));
  }
}

// CONFIG SET parameter value [parameter value ...]
function configSet(c: Client, args: string[]): void {
  if (args.length % 2 !== 0) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const params: ConfigParam[] = [];
  for (let i = 2; i < args.length; i += 2) {
    const error = checkSettable(args[i], params);
    if (error !== null) {
      c.reply.error(error);
      return;
    }
  }
  // All or nothing: the first value refused puts back every value set before it.
  const config = c.server.config;
  const previous = params.map((param) => config.get(param.name));
  for (let i = 0; i < params.length; i++) {
    try {
      config.set(params[i].name, args[3 + i * 2]);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (let j = i - 1; j >= 0; j--) config.load(params[j].name, previous[j]);
      c.reply.error(`ERR ${err.message}`);
      return;
    }
  }
  if (params.some((param) => param.name === 'requirepass') && config.get('requirepass') === '') {
    // The default user is `nopass` again: nobody needs to log in any more.
    for (const client of c.server.clients.values()) client.authenticated = true;
  }
  c.reply.ok();
}

/**
 * Redis's checks of a name before any value is tried, in its order; records the parameter in
 * `params` and returns null when it may be set.
 */
function checkSettable(name: string, params: ConfigParam[]): string | null {
  const param = findParam(name);
  if (param === undefined) return ERR_CONFIG_UNKNOWN(cString(name));
  if (!param.mutable) return ERR_CONFIG_SET_FAILED(name, CONFIG_IMMUTABLE);
  if (params.includes(param)) return ERR_CONFIG_SET_FAILED(name, CONFIG_DUPLICATE);
  params.push(param);
  return null;
}

// CONFIG RESETSTAT
function configResetstat(c: Client): void {
  c.server.stats.reset();
  c.server.keyspace.stats.reset();
  c.reply.ok();
}

// CONFIG REWRITE
function configRewrite(c: Client): void {
  if (c.server.config.file === null) {
    c.reply.error(ERR_NO_CONFIG_FILE);
    return;
  }
  try {
    rewriteConfigFile(c.server.config, c.server.config.file);
  } catch (err) {
    c.reply.error(ERR_CONFIG_REWRITE(systemErrorText(err as NodeJS.ErrnoException)));
    return;
  }
  c.reply.ok();
}

/** Redis words a failed write with strerror(); Node's codes map onto the same texts. */
function systemErrorText(err: NodeJS.ErrnoException): string {
  const texts: Record<string, string> = {
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    ENOENT: 'No such file or directory',
    EROFS: 'Read-only file system',
    EISDIR: 'Is a directory',
    ENOSPC: 'No space left on device',
  };
  return (err.code !== undefined ? texts[err.code] : undefined) ?? err.message;
}

// FUNCTION FLUSH [ASYNC|SYNC]
function functionFlush(c: Client, args: string[]): void {
  if (args.length > 3) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], 'function'));
    return;
  }
  const mode = args.length === 3 ? args[2].toLowerCase() : 'sync';
  if (mode !== 'sync' && mode !== 'async') {
    c.reply.error(ERR_FUNCTION_FLUSH_MODE);
    return;
  }
  c.reply.ok();
}

const CONFIG_HELP: readonly string[] = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

/** Redis 7.0's FUNCTION HELP, cut down to the subcommands ringcache has. */
const FUNCTION_HELP: readonly string[] = [
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    ringcache has no function engine: there is never a library to delete.',
  '    Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
];
