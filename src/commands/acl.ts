// ACL: users, their passwords, and what each may run and touch, with Redis 7.0's replies.

import { randomBytes } from 'node:crypto';
import { loadAclFile, saveAclFile } from '../acl/acl-file.js';
import { DEFAULT_USER } from '../acl/registry.js';
import { AclUser } from '../acl/user.js';
import { ERR_SUBCOMMAND_SYNTAX, ERR_WRONG_ARITY } from '../errors.js';
import type { Client } from '../server/client.js';
import { ACL_CATEGORIES } from './command-meta.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandFlag, CommandSpec } from './types.js';

const ERR_ACL_NO_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ' +
  'ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) ' +
  'in order to store users in the Redis configuration.';
const ERR_GENPASS_BITS =
  'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096';
const ERR_USERNAME = "ERR Usernames can't contain spaces or null characters";
const ERR_DELETE_DEFAULT = "ERR The 'default' user cannot be removed";
const ERR_SETUSER_RULE = (rule: string, reason: string): string => `ERR Error in ACL SETUSER modifier '${rule}': ${reason}`;
const ERR_UNKNOWN_CATEGORY = (name: string): string => `ERR Unknown category '${name}'`;
const ERR_DRYRUN_USER = (name: string): string => `ERR User '${name}' not found`;
const ERR_DRYRUN_COMMAND = (name: string): string => `ERR Command '${name}' not found`;

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: readonly CommandFlag[] = ['noscript', 'loading', 'stale'];

function sub(name: string, arity: number, flags: readonly CommandFlag[], summary: string, syntax: string, handler: CommandSpec['handler'], since = '6.0.0'): CommandSpec {
  return { name, arity, flags, keys: [0, 0, 0], group: 'server', since, summary, complexity: 'O(1)', syntax, handler };
}

const aclSubcommands: readonly CommandSpec[] = [
  sub('cat', -2, PLAIN, 'List the ACL categories or the commands inside a category', '[categoryname]', aclCat),
  sub('deluser', -3, ADMIN, 'Remove the specified ACL users and the associated rules', 'username [username ...]', aclDeluser),
  sub('dryrun', -4, ADMIN, 'Returns whether the user can execute the given command without executing the command.', 'username command [arg [arg ...]]', aclDryrun, '7.0.0'),
  sub('genpass', -2, PLAIN, 'Generate a pseudorandom secure password to use for ACL users', '[bits]', aclGenpass),
  sub('getuser', 3, ADMIN, 'Get the rules for a specific ACL user', 'username', aclGetuser),
  sub('list', 2, ADMIN, 'List the current ACL rules in ACL config file format', '', aclList),
  sub('load', 2, ADMIN, 'Reload the ACLs from the configured ACL file', '', aclLoad),
  sub('save', 2, ADMIN, 'Save the current ACL rules in the configured ACL file', '', aclSave),
  sub('setuser', -3, ADMIN, 'Modify or create the rules for a specific ACL user', 'username [rule [rule ...]]', aclSetuser),
  sub('users', 2, ADMIN, 'List the username of all the configured ACL rules', '', aclUsers),
  sub('whoami', 2, PLAIN, 'Return the name of the user associated to the current connection', '', (c) => c.reply.bulk(c.user)),
  sub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '', (c, args) => replyHelp(c, args[0], ACL_HELP)),
];

export const aclCommands: CommandFamily = [
  {
    name: 'acl',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'server',
    since: '6.0.0',
    summary: 'A container for Access List Control commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: aclSubcommands,
  },
];

// ACL CAT [category]
function aclCat(c: Client, args: string[]): void {
  if (args.length > 3) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  const catalog = c.server.acl.catalog;
  if (args.length === 2) {
    c.reply.bulkArray([...ACL_CATEGORIES]);
    return;
  }
  const category = args[2].toLowerCase();
  if (!catalog.isCategory(category)) {
    c.reply.error(ERR_UNKNOWN_CATEGORY(args[2]));
    return;
  }
  c.reply.bulkArray(catalog.inCategory(category).map((command) => command.name));
}

// ACL SETUSER username [rule ...]
function aclSetuser(c: Client, args: string[]): void {
  const name = args[2];
  if (/[ \0]/.test(name)) {
    c.reply.error(ERR_USERNAME);
    return;
  }
  const acl = c.server.acl;
  const existing = acl.users.get(name);
  // Rules apply to a copy: one refused rule leaves the user as it was.
  const user = existing?.clone() ?? new AclUser(name, acl.catalog);
  for (const rule of args.slice(3)) {
    const reason = user.apply(rule);
    if (reason !== null) {
      c.reply.error(ERR_SETUSER_RULE(rule, reason));
      return;
    }
  }
  if (existing !== undefined) existing.assign(user);
  else acl.users.set(name, user);
  c.reply.ok();
}

// ACL GETUSER username
function aclGetuser(c: Client, args: string[]): void {
  const user = c.server.acl.users.get(args[2]);
  if (user === undefined) {
    c.reply.nullBulk();
    return;
  }
  const r = c.reply;
  r.map(6);
  r.bulk('flags');
  r.bulkArray(user.flags());
  r.bulk('passwords');
  r.bulkArray(user.passwords);
  r.bulk('commands');
  r.bulk(user.describeCommands());
  r.bulk('keys');
  r.bulk(user.describeKeys());
  r.bulk('channels');
  r.bulk(user.describeChannels());
  r.bulk('selectors');
  r.array(0);
}

// ACL DELUSER username [username ...]
function aclDeluser(c: Client, args: string[]): void {
  const acl = c.server.acl;
  if (args.slice(2).includes(DEFAULT_USER)) {
    c.reply.error(ERR_DELETE_DEFAULT);
    return;
  }
  let deleted = 0;
  for (const name of args.slice(2)) {
    if (!acl.users.delete(name)) continue;
    deleted++;
    disconnectUser(c, name);
  }
  c.reply.integer(deleted);
}

/** A deleted user's clients are closed, as Redis does: they must not keep its rights. */
function disconnectUser(c: Client, name: string): void {
  for (const other of [...c.server.clients.values()]) {
    if (other.user !== name) continue;
    other.authenticated = false;
    other.closeAfterReply = true;
    if (other !== c) {
      other.onClose?.();
      c.server.removeClient(other);
    }
  }
}

// ACL LIST
function aclList(c: Client): void {
  c.reply.bulkArray(c.server.acl.sortedUsers().map((user) => user.describe()));
}

// ACL USERS
function aclUsers(c: Client): void {
  c.reply.bulkArray(c.server.acl.sortedUsers().map((user) => user.name));
}

// ACL GENPASS [bits]
function aclGenpass(c: Client, args: string[]): void {
  if (args.length > 3) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  let bits = 256;
  if (args.length === 3) {
    bits = /^-?\d+$/.test(args[2]) ? Number(args[2]) : NaN;
    if (!(bits > 0 && bits <= 4096)) {
      c.reply.error(ERR_GENPASS_BITS);
      return;
    }
  }
  const chars = Math.ceil(bits / 4);
  c.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

// ACL DRYRUN username command [arg ...]
function aclDryrun(c: Client, args: string[]): void {
  const acl = c.server.acl;
  if (!acl.users.has(args[2])) {
    c.reply.error(ERR_DRYRUN_USER(args[2]));
    return;
  }
  const request = args.slice(3);
  const found = c.server.resolve(request);
  if (found.spec === undefined) {
    c.reply.error(ERR_DRYRUN_COMMAND(request[0]));
    return;
  }
  if (found.error !== undefined) {
    c.reply.error(ERR_WRONG_ARITY(request[0]));
    return;
  }
  const denial = acl.denial(args[2], found.spec, found.fullName, request);
  if (denial === null) c.reply.ok();
  else if (denial.key !== undefined) c.reply.bulk(`This user has no permissions to access the '${denial.key}' key`);
  else c.reply.bulk(`This user has no permissions to run the '${found.fullName}' command`);
}

// ACL LOAD
function aclLoad(c: Client): void {
  const path = c.server.config.get('aclfile');
  if (path === '') {
    c.reply.error(ERR_ACL_NO_FILE);
    return;
  }
  try {
    loadAclFile(path, c.server.acl);
  } catch (err) {
    c.reply.error(`ERR ${(err as Error).message}`);
    return;
  }
  c.reply.ok();
}

// ACL SAVE
function aclSave(c: Client): void {
  const path = c.server.config.get('aclfile');
  if (path === '') {
    c.reply.error(ERR_ACL_NO_FILE);
    return;
  }
  try {
    saveAclFile(path, c.server.acl);
  } catch {
    c.reply.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
    return;
  }
  c.reply.ok();
}

/** Redis 7.0's ACL HELP, without LOG, which ringcache does not keep. */
const ACL_HELP: readonly string[] = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];
