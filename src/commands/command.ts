// COMMAND and its subcommands: the command table described to clients in Redis 7's formats
// (COMMAND INFO's 10-element entries, COMMAND DOCS's argument trees, key specs), all derived
// from the table entries themselves.

import {
  ERR_GETKEYS_ARITY,
  ERR_GETKEYS_INVALID_ARGUMENTS,
  ERR_GETKEYS_INVALID_COMMAND,
  ERR_GETKEYS_NO_KEYS,
  ERR_SYNTAX,
} from '../errors.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { Client } from '../server/client.js';
import { globMatch } from '../util/glob.js';
import { aclCategories, findKeys, hasKeys, keySpecs, orderedKeySpecFlags, printedFlags } from './command-meta.js';
import { parseSyntax, type DocArg } from './docs-grammar.js';
import { replyHelp } from './help-reply.js';
import { arityOk, findSubcommand, fullNameOf, type NamedSpec } from './spec-lookup.js';
import type { CommandFamily, CommandFlag, CommandSpec, KeySpec } from './types.js';

const FLAGS: readonly CommandFlag[] = ['loading', 'stale'];
/** The command family reports on connections' view of the server: Redis files it under @connection. */
const CATEGORIES = ['connection'];

export const commandCommands: CommandFamily = [
  {
    name: 'command',
    arity: -1,
    flags: FLAGS,
    keys: [0, 0, 0],
    group: 'server',
    since: '2.8.13',
    summary: 'Get array of Redis command details',
    complexity: 'O(N) where N is the total number of Redis commands',
    aclCategories: CATEGORIES,
    tips: ['nondeterministic_output_order'],
    syntax: '',
    handler: commandAll,
    subcommands: [
      {
        name: 'count',
        arity: 2,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '2.8.13',
        summary: 'Get total number of Redis commands',
        complexity: 'O(1)',
        aclCategories: CATEGORIES,
        syntax: '',
        handler: commandCount,
      },
      {
        name: 'list',
        arity: -2,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '7.0.0',
        summary: 'Get an array of Redis command names',
        complexity: 'O(N) where N is the total number of Redis commands',
        aclCategories: CATEGORIES,
        tips: ['nondeterministic_output_order'],
        syntax: 'filterby:[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]',
        handler: commandList,
      },
      {
        name: 'info',
        arity: -2,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '2.8.13',
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        complexity: 'O(N) where N is the number of commands to look up',
        aclCategories: CATEGORIES,
        tips: ['nondeterministic_output_order'],
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        syntax: '[command-name [command-name ...]]',
        handler: commandInfo,
      },
      {
        name: 'docs',
        arity: -2,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '7.0.0',
        summary: 'Get array of specific Redis command documentation',
        complexity: 'O(N) where N is the number of commands to look up',
        aclCategories: CATEGORIES,
        tips: ['nondeterministic_output_order'],
        syntax: '[command-name [command-name ...]]',
        handler: commandDocs,
      },
      {
        name: 'getkeys',
        arity: -4,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '2.8.13',
        summary: 'Extract keys given a full Redis command',
        complexity: 'O(N) where N is the number of arguments to the command',
        aclCategories: CATEGORIES,
        // Redis 7.0's docs give GETKEYS and GETKEYSANDFLAGS no arguments; ours say the same.
        syntax: '',
        handler: (c, args) => commandGetKeys(c, args, false),
      },
      {
        name: 'getkeysandflags',
        arity: -4,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '7.0.0',
        summary: 'Extract keys and access flags given a full Redis command',
        complexity: 'O(N) where N is the number of arguments to the command',
        aclCategories: CATEGORIES,
        syntax: '',
        handler: (c, args) => commandGetKeys(c, args, true),
      },
      {
        name: 'help',
        arity: 2,
        flags: FLAGS,
        keys: [0, 0, 0],
        group: 'server',
        since: '5.0.0',
        summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)',
        aclCategories: CATEGORIES,
        syntax: '',
        handler: commandHelp,
      },
    ],
  },
];

const HELP_LINES = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

// COMMAND
function commandAll(c: Client): void {
  const commands = c.server.commands.commands;
  c.reply.array(commands.length);
  for (const spec of commands) writeInfo(c.reply, spec, spec.name);
}

// COMMAND COUNT
function commandCount(c: Client): void {
  c.reply.integer(c.server.commands.commands.length);
}

// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
function commandList(c: Client, args: string[]): void {
  let filter: ((spec: CommandSpec, fullName: string) => boolean) | null = null;
  for (let i = 2; i < args.length; i += 3) {
    if (args[i].toLowerCase() !== 'filterby' || args.length - 1 - i !== 2) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    const value = args[i + 2];
    switch (args[i + 1].toLowerCase()) {
      case 'module':
        // No modules: nothing comes from one.
        filter = () => false;
        break;
      case 'aclcat': {
        const category = value.toLowerCase();
        filter = (spec) => aclCategories(spec).includes(category);
        break;
      }
      case 'pattern':
        filter = (_, fullName) => globMatch(value, fullName, true);
        break;
      default:
        c.reply.error(ERR_SYNTAX);
        return;
    }
  }
  const names: string[] = [];
  for (const { spec, fullName } of everyCommand(c.server.commands.commands)) {
    if (filter === null || filter(spec, fullName)) names.push(fullName);
  }
  c.reply.bulkArray(names);
}

// COMMAND INFO [command-name ...]
function commandInfo(c: Client, args: string[]): void {
  if (args.length === 2) {
    commandAll(c);
    return;
  }
  c.reply.array(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const found = c.server.commands.lookupFullName(args[i]);
    if (found === undefined) c.reply.nullBulk();
    else writeInfo(c.reply, found.spec, found.fullName);
  }
}

// COMMAND DOCS [command-name ...]
function commandDocs(c: Client, args: string[]): void {
  const found: NamedSpec[] = [];
  if (args.length === 2) {
    for (const spec of c.server.commands.commands) found.push({ spec, fullName: spec.name });
  } else {
    // Unknown names are left out rather than answered with a null, as in Redis.
    for (let i = 2; i < args.length; i++) {
      const named = c.server.commands.lookupFullName(args[i]);
      if (named !== undefined) found.push(named);
    }
  }
  c.reply.map(found.length);
  for (const { spec, fullName } of found) {
    c.reply.bulk(fullName);
    writeDocs(c.reply, spec);
  }
}

// COMMAND GETKEYS command [arg ...], COMMAND GETKEYSANDFLAGS command [arg ...]
function commandGetKeys(c: Client, args: string[], withFlags: boolean): void {
  const request = args.slice(2);
  const spec = lookupRequest(c, request);
  if (spec === undefined) {
    c.reply.error(ERR_GETKEYS_INVALID_COMMAND);
    return;
  }
  if (!hasKeys(spec)) {
    c.reply.error(ERR_GETKEYS_NO_KEYS);
    return;
  }
  if (!arityOk(spec.arity, request.length)) {
    c.reply.error(ERR_GETKEYS_ARITY);
    return;
  }
  const keys = findKeys(spec, request);
  if (keys === null || keys.length === 0) {
    if (spec.flags.includes('no_mandatory_keys')) c.reply.array(0);
    else c.reply.error(ERR_GETKEYS_INVALID_ARGUMENTS);
    return;
  }
  c.reply.array(keys.length);
  for (const key of keys) {
    if (withFlags) {
      c.reply.array(2);
      c.reply.bulk(request[key.position]);
      writeStatusSet(c.reply, orderedKeySpecFlags(key.flags));
    } else {
      c.reply.bulk(request[key.position]);
    }
  }
}

// COMMAND HELP
function commandHelp(c: Client, args: string[]): void {
  replyHelp(c, args[0], HELP_LINES);
}

/** The entry a request would run, as Redis's lookupCommand finds it (no arity check). */
function lookupRequest(c: Client, request: readonly string[]): CommandSpec | undefined {
  const spec = c.server.commands.lookup(request[0]);
  if (spec === undefined || spec.subcommands === undefined || request.length < 2) return spec;
  return findSubcommand(spec, request[1]);
}

/** Every command and subcommand, each container followed by its subcommands. */
function* everyCommand(commands: readonly CommandSpec[]): Generator<NamedSpec> {
  for (const spec of commands) {
    yield { spec, fullName: spec.name };
    for (const sub of spec.subcommands ?? []) yield { spec: sub, fullName: fullNameOf(spec, sub) };
  }
}

function writeStatusSet(r: ReplyWriter, items: readonly string[]): void {
  r.set(items.length);
  for (const item of items) r.simple(item);
}

/** One COMMAND INFO entry: name, arity, flags, first/last/step, categories, tips, key specs, subcommands. */
function writeInfo(r: ReplyWriter, spec: CommandSpec, fullName: string): void {
  r.array(10);
  r.bulk(fullName);
  r.integer(spec.arity);
  writeStatusSet(r, printedFlags(spec));
  r.integer(spec.keys[0]);
  r.integer(spec.keys[1]);
  r.integer(spec.keys[2]);
  writeStatusSet(r, aclCategories(spec).map((category) => `@${category}`));
  const tips = spec.tips ?? [];
  r.set(tips.length);
  for (const tip of tips) r.bulk(tip);
  const specs = keySpecs(spec);
  r.set(specs.length);
  for (const ks of specs) writeKeySpec(r, ks);
  if (spec.subcommands === undefined) {
    r.set(0);
  } else {
    r.array(spec.subcommands.length);
    for (const sub of spec.subcommands) writeInfo(r, sub, fullNameOf(spec, sub));
  }
}

function writeKeySpec(r: ReplyWriter, ks: KeySpec): void {
  r.map(ks.notes === undefined ? 3 : 4);
  if (ks.notes !== undefined) {
    r.bulk('notes');
    r.bulk(ks.notes);
  }
  r.bulk('flags');
  writeStatusSet(r, orderedKeySpecFlags(ks.flags));
  r.bulk('begin_search');
  r.map(2);
  r.bulk('type');
  const begin = ks.begin;
  if ('index' in begin) {
    r.bulk('index');
    r.bulk('spec');
    r.map(1);
    r.bulk('index');
    r.integer(begin.index);
  } else if ('keyword' in begin) {
    r.bulk('keyword');
    r.bulk('spec');
    r.map(2);
    r.bulk('keyword');
    r.bulk(begin.keyword);
    r.bulk('startfrom');
    r.integer(begin.startFrom);
  } else {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  }
  r.bulk('find_keys');
  r.map(2);
  r.bulk('type');
  const find = ks.find;
  if ('lastKey' in find) {
    r.bulk('range');
    r.bulk('spec');
    r.map(3);
    r.bulk('lastkey');
    r.integer(find.lastKey);
    r.bulk('keystep');
    r.integer(find.keyStep);
    r.bulk('limit');
    r.integer(find.limit);
  } else if ('keyNumIndex' in find) {
    r.bulk('keynum');
    r.bulk('spec');
    r.map(3);
    r.bulk('keynumidx');
    r.integer(find.keyNumIndex);
    r.bulk('firstkey');
    r.integer(find.firstKey);
    r.bulk('keystep');
    r.integer(find.keyStep);
  } else {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  }
}

/** Parsed argument trees, by table entry: the table never changes while the server runs. */
const docArgsCache = new WeakMap<CommandSpec, DocArg[]>();

/** The argument tree of an entry's syntax; the table invariant tests prove every syntax parses. */
export function docArgs(spec: CommandSpec): DocArg[] {
  let args = docArgsCache.get(spec);
  if (args === undefined) {
    args = spec.syntax === undefined ? [] : parseSyntax(spec.syntax, { keySpecCount: keySpecs(spec).length });
    docArgsCache.set(spec, args);
  }
  return args;
}

/** One COMMAND DOCS map, in Redis's field order. */
function writeDocs(r: ReplyWriter, spec: CommandSpec): void {
  const args = docArgs(spec);
  const fields =
    3 +
    (spec.complexity !== undefined ? 1 : 0) +
    (spec.deprecatedSince !== undefined ? 3 : 0) +
    (spec.history !== undefined ? 1 : 0) +
    (args.length > 0 ? 1 : 0) +
    (spec.subcommands !== undefined ? 1 : 0);
  r.map(fields);
  r.bulk('summary');
  r.bulk(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (spec.complexity !== undefined) {
    r.bulk('complexity');
    r.bulk(spec.complexity);
  }
  if (spec.deprecatedSince !== undefined) {
    r.bulk('doc_flags');
    writeStatusSet(r, ['deprecated']);
    r.bulk('deprecated_since');
    r.bulk(spec.deprecatedSince);
    r.bulk('replaced_by');
    r.bulk(spec.replacedBy ?? '');
  }
  if (spec.history !== undefined) {
    r.bulk('history');
    r.set(spec.history.length);
    for (const [version, change] of spec.history) r.bulkArray([version, change]);
  }
  if (args.length > 0) {
    r.bulk('arguments');
    writeDocArgs(r, args);
  }
  if (spec.subcommands !== undefined) {
    r.bulk('subcommands');
    r.map(spec.subcommands.length);
    for (const sub of spec.subcommands) {
      r.bulk(fullNameOf(spec, sub));
      writeDocs(r, sub);
    }
  }
}

function writeDocArgs(r: ReplyWriter, args: readonly DocArg[]): void {
  r.array(args.length);
  for (const arg of args) {
    const flags: string[] = [];
    if (arg.optional) flags.push('optional');
    if (arg.multiple) flags.push('multiple');
    if (arg.multipleToken) flags.push('multiple_token');
    const fields =
      2 +
      (arg.keySpecIndex !== undefined ? 1 : 0) +
      (arg.token !== undefined ? 1 : 0) +
      (arg.since !== undefined ? 1 : 0) +
      (flags.length > 0 ? 1 : 0) +
      (arg.args !== undefined ? 1 : 0);
    r.map(fields);
    r.bulk('name');
    r.bulk(arg.name);
    r.bulk('type');
    r.bulk(arg.type);
    if (arg.keySpecIndex !== undefined) {
      r.bulk('key_spec_index');
      r.integer(arg.keySpecIndex);
    }
    if (arg.token !== undefined) {
      r.bulk('token');
      r.bulk(arg.token);
    }
    if (arg.since !== undefined) {
      r.bulk('since');
      r.bulk(arg.since);
    }
    if (flags.length > 0) {
      r.bulk('flags');
      writeStatusSet(r, flags);
    }
    if (arg.args !== undefined) {
      r.bulk('arguments');
      writeDocArgs(r, arg.args);
    }
  }
}
