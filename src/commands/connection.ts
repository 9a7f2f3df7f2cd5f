// Connection commands: PING, ECHO, SELECT, QUIT, AUTH, HELLO, RESET and the CLIENT container.

import {
  ERR_AUTH_NOT_CONFIGURED,
  ERR_CLIENT_ID_INVALID,
  ERR_CLIENT_ID_POSITIVE,
  ERR_CLIENT_NAME,
  ERR_CLIENT_TYPE,
  ERR_DB_INDEX,
  ERR_HELLO_NOAUTH,
  ERR_HELLO_OPTION,
  ERR_HELLO_PROTOVER,
  ERR_INT_RANGE,
  ERR_NO_SUCH_CLIENT,
  ERR_NO_SUCH_USER,
  ERR_PAUSE_MODE,
  ERR_PAUSE_NEGATIVE,
  ERR_PAUSE_TIMEOUT,
  ERR_NOT_INTEGER,
  ERR_PROTOCOL_VERSION,
  ERR_SELECT_CLUSTER,
  ERR_SETINFO_OPTION,
  ERR_SETINFO_VALUE,
  ERR_SUBCOMMAND_SYNTAX,
  ERR_SYNTAX,
  ERR_WRONG_ARITY,
  ERR_WRONGPASS,
  cString,
} from '../errors.js';
import type { Client } from '../server/client.js';
import { clientInfoLine, clientType, parseClientType, type ClientType } from '../server/client-list.js';
import { REDIS_COMPAT_VERSION } from '../server/version.js';
import { parseInt64 } from '../util/numbers.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandSpec } from './types.js';

import { DEFAULT_USER } from '../acl/registry.js';
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const clientSubcommands: readonly CommandSpec[] = [
  {
    name: 'setname',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '2.6.9',
    summary: 'Set the current connection name',
    complexity: 'O(1)',
    syntax: 'connection-name',
    handler: clientSetname,
  },
  {
    name: 'getname',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '2.6.9',
    summary: 'Get the current connection name',
    complexity: 'O(1)',
    syntax: '',
    handler: clientGetname,
  },
  {
    name: 'id',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '5.0.0',
    summary: 'Returns the client ID for the current connection',
    complexity: 'O(1)',
    syntax: '',
    handler: clientId,
  },
  {
    name: 'setinfo',
    arity: 4,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '7.2.0',
    summary: 'Set client or connection specific info',
    complexity: 'O(1)',
    syntax: '<LIB-NAME libname | LIB-VER libver>',
    handler: clientSetinfo,
  },
  {
    name: 'list',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '2.4.0',
    summary: 'Get the list of client connections',
    complexity: 'O(N) where N is the number of client connections',
    tips: ['nondeterministic_output'],
    history: [
      ['2.8.12', 'Added unique client `id` field.'],
      ['5.0.0', 'Added optional `TYPE` filter.'],
      ['6.0.0', 'Added `user` field.'],
      ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
      ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
      ['7.0.3', 'Added `ssub` field.'],
    ],
    syntax: '[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]',
    handler: clientList,
  },
  {
    name: 'info',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '6.2.0',
    summary: 'Returns information about the current client connection.',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    syntax: '',
    handler: clientInfo,
  },
  {
    name: 'kill',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '2.4.0',
    summary: 'Kill the connection of a client',
    complexity: 'O(N) where N is the number of client connections',
    history: [
      ['2.8.12', 'Added new filter format.'],
      ['2.8.12', '`ID` option.'],
      ['3.2.0', 'Added `master` type in for `TYPE` option.'],
      ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
      ['6.2.0', '`LADDR` option.'],
    ],
    // The old single-address form, or one or more filters: the shape of Redis's docs tree.
    syntax:
      '<ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | ' +
      '[ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [<[ID client-id] | ' +
      '[TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | ' +
      '[LADDR ip:port] | [SKIPME <YES | NO>]> ...]>',
    handler: clientKill,
  },
  {
    name: 'pause',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '3.0.0',
    summary: 'Stop processing commands from clients for some time',
    complexity: 'O(1)',
    history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
    syntax: 'timeout [WRITE | ALL]',
    handler: clientPause,
  },
  {
    name: 'unpause',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '6.2.0',
    summary: 'Resume processing of clients that were paused',
    complexity: 'O(N) Where N is the number of paused clients',
    syntax: '',
    handler: (c) => {
      c.server.pause.unpause();
      c.reply.ok();
    },
  },
  {
    name: 'no-evict',
    arity: 3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '7.0.0',
    summary: 'Set client eviction mode for the current connection',
    complexity: 'O(1)',
    syntax: '<ON | OFF>',
    handler: (c, args) => setClientSwitch(c, args, 'noEvict'),
  },
  {
    name: 'no-touch',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '7.2.0',
    summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys',
    complexity: 'O(1)',
    syntax: '<ON | OFF>',
    handler: (c, args) => setClientSwitch(c, args, 'noTouch'),
  },
  {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '5.0.0',
    summary: 'Show helpful text about the different subcommands',
    complexity: 'O(1)',
    syntax: '',
    handler: clientHelp,
  },
];

export const connectionCommands: CommandFamily = [
  {
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Ping the server',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    syntax: '[message]',
    handler: ping,
  },
  {
    name: 'echo',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Echo the given string',
    complexity: 'O(1)',
    syntax: 'message',
    handler: echo,
  },
  {
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Change the selected database for the current connection',
    complexity: 'O(1)',
    syntax: 'index',
    handler: select,
  },
  {
    name: 'quit',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Close the connection',
    complexity: 'O(1)',
    syntax: '',
    runsInMulti: true,
    handler: quit,
  },
  {
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Authenticate to the server',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    syntax: '[username] password',
    handler: auth,
  },
  {
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '6.0.0',
    summary: 'Handshake with Redis',
    complexity: 'O(1)',
    history: [
      ['6.2.0', "`protover` made optional; when called without arguments the command reports the current connection's context."],
    ],
    syntax: '[protover [AUTH username password] [SETNAME clientname]]',
    handler: hello,
  },
  {
    name: 'reset',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '6.2.0',
    summary: 'Reset the connection',
    complexity: 'O(1)',
    syntax: '',
    runsInMulti: true,
    handler: reset,
  },
  {
    name: 'client',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'connection',
    since: '2.4.0',
    summary: 'A container for client connection commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: clientSubcommands,
  },
];

// PING [message]
function ping(c: Client, args: string[]): void {
  if (args.length > 2) {
    c.reply.error(ERR_WRONG_ARITY('ping'));
    return;
  }
  if (c.subscriptions !== null && c.reply.protocol === 2) {
    // A RESP2 subscriber's replies must look like messages: an array, whatever the argument.
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(args.length === 2 ? args[1] : '');
    return;
  }
  if (args.length === 2) c.reply.bulk(args[1]);
  else c.reply.simple('PONG');
}

// ECHO message
function echo(c: Client, args: string[]): void {
  c.reply.bulk(args[1]);
}

// SELECT index
function select(c: Client, args: string[]): void {
  const index = parseInt64(args[1]);
  if (index === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  // Redis reads the index as a C int, with its own error for a 64-bit integer beyond 32 bits.
  if (index < INT32_MIN || index > INT32_MAX) {
    c.reply.error(ERR_INT_RANGE);
    return;
  }
  if (index !== 0 && c.server.config.getBool('cluster-enabled')) {
    c.reply.error(ERR_SELECT_CLUSTER);
    return;
  }
  if (index < 0 || index >= c.server.keyspace.databases.length) {
    c.reply.error(ERR_DB_INDEX);
    return;
  }
  c.selectDb(Number(index));
  c.reply.ok();
}

// QUIT
function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

// AUTH [username] password
function auth(c: Client, args: string[]): void {
  if (args.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (args.length === 2 && c.server.acl.default.nopass) {
    // The one-argument form is an error without a password, to catch a misconfigured client.
    c.reply.error(ERR_AUTH_NOT_CONFIGURED);
    return;
  }
  const [user, password] = args.length === 2 ? [DEFAULT_USER, args[1]] : [args[1], args[2]];
  if (!authenticate(c, user, password)) {
    c.reply.error(ERR_WRONGPASS);
    return;
  }
  c.reply.ok();
}

/**
 * Logs the client in as an ACL user when the pair is valid (a `nopass` user takes any password);
 * a failed attempt leaves its state as it was.
 */
function authenticate(c: Client, user: string, password: string): boolean {
  const found = c.server.acl.authenticate(user, password);
  if (found === null) return false;
  c.authenticated = true;
  c.user = found.name;
  return true;
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function hello(c: Client, args: string[]): void {
  let protocol: 2 | 3 | null = null;
  let next = 1;
  if (args.length >= 2) {
    const version = parseInt64(args[1]);
    if (version === null) {
      c.reply.error(ERR_HELLO_PROTOVER);
      return;
    }
    if (version !== 2 && version !== 3) {
      c.reply.error(ERR_PROTOCOL_VERSION);
      return;
    }
    protocol = version;
    next = 2;
  }
  let credentials: [string, string] | null = null;
  let name: string | null = null;
  for (let j = next; j < args.length; j++) {
    const more = args.length - 1 - j;
    const option = cString(args[j]).toLowerCase();
    if (option === 'auth' && more >= 2) {
      credentials = [args[j + 1], args[j + 2]];
      j += 2;
    } else if (option === 'setname' && more >= 1) {
      name = args[j + 1];
      j++;
    } else {
      c.reply.error(ERR_HELLO_OPTION(args[j]));
      return;
    }
  }
  if (credentials !== null && !authenticate(c, credentials[0], credentials[1])) {
    c.reply.error(ERR_WRONGPASS);
    return;
  }
  if (!c.authenticated && c.server.acl.authRequired) {
    c.reply.error(ERR_HELLO_NOAUTH);
    return;
  }
  // As in Redis, a bad name fails the command after AUTH has already logged the client in.
  if (name !== null && !setClientName(c, name)) return;
  if (protocol !== null) c.reply.protocol = protocol;
  replyServerInfo(c);
}

/** HELLO's map; its field order is the one Redis sends. */
function replyServerInfo(c: Client): void {
  const r = c.reply;
  r.map(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(REDIS_COMPAT_VERSION);
  r.bulk('proto');
  r.integer(r.protocol);
  r.bulk('id');
  r.integer(c.id);
  r.bulk('mode');
  r.bulk(c.server.config.getBool('cluster-enabled') ? 'cluster' : 'standalone');
  r.bulk('role');
  r.bulk('master');
  r.bulk('modules');
  r.array(0);
}

// RESET
function reset(c: Client): void {
  c.server.discardTransaction(c);
  c.server.pubsub.dropClient(c);
  c.selectDb(0);
  c.reply.protocol = 2;
  c.authenticated = !c.server.acl.authRequired;
  c.user = DEFAULT_USER;
  c.name = '';
  // Redis 7.0 keeps NO-EVICT across RESET; 7.2, which added NO-TOUCH, clears NO-TOUCH.
  c.noTouch = false;
  c.reply.simple('RESET');
}

/**
 * Redis's rule for names and library attributes: printable ASCII without spaces, so that CLIENT
 * LIST stays parseable.
 */
function isClientAttribute(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/** Sets or (with an empty name) clears the name; replies the error itself when it is refused. */
function setClientName(c: Client, name: string): boolean {
  if (!isClientAttribute(name)) {
    c.reply.error(ERR_CLIENT_NAME);
    return false;
  }
  c.name = name;
  return true;
}

// CLIENT SETNAME connection-name
function clientSetname(c: Client, args: string[]): void {
  if (setClientName(c, args[2])) c.reply.ok();
}

// CLIENT GETNAME
function clientGetname(c: Client): void {
  if (c.name === '') c.reply.nullBulk();
  else c.reply.bulk(c.name);
}

// CLIENT ID
function clientId(c: Client): void {
  c.reply.integer(c.id);
}

// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
function clientSetinfo(c: Client, args: string[]): void {
  const attribute = cString(args[2]).toLowerCase();
  if (attribute !== 'lib-name' && attribute !== 'lib-ver') {
    c.reply.error(ERR_SETINFO_OPTION(args[2]));
    return;
  }
  if (!isClientAttribute(args[3])) {
    c.reply.error(ERR_SETINFO_VALUE(args[2]));
    return;
  }
  if (attribute === 'lib-name') c.libName = args[3];
  else c.libVersion = args[3];
  c.reply.ok();
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id ...]
function clientList(c: Client, args: string[]): void {
  let listed: Client[];
  if (args.length === 4 && args[2].toLowerCase() === 'type') {
    const type = parseClientType(args[3]);
    if (type === null) {
      c.reply.error(ERR_CLIENT_TYPE(args[3]));
      return;
    }
    listed = [...c.server.clients.values()].filter((other) => clientType(other) === type);
  } else if (args.length > 3 && args[2].toLowerCase() === 'id') {
    listed = [];
    for (const text of args.slice(3)) {
      const id = parseInt64(text);
      if (id === null) {
        c.reply.error(ERR_CLIENT_ID_INVALID);
        return;
      }
      const found = c.server.clients.get(Number(id));
      if (found !== undefined) listed.push(found);
    }
  } else if (args.length !== 2) {
    c.reply.error(ERR_SYNTAX);
    return;
  } else {
    listed = [...c.server.clients.values()];
  }
  let text = '';
  for (const other of listed) text += describeClient(c, other, args) + '\n';
  c.reply.verbatim(text);
}

// CLIENT INFO
function clientInfo(c: Client, args: string[]): void {
  c.reply.verbatim(describeClient(c, c, args) + '\n');
}

/** A CLIENT LIST line as `asking` sees it: its own line shows the command it is running. */
function describeClient(asking: Client, other: Client, args: readonly string[]): string {
  const running = other === asking ? { fullName: `client|${args[1].toLowerCase()}`, args } : null;
  return clientInfoLine(other, asking.now, running);
}

/** The filters of CLIENT KILL; every one that is set must match. */
interface KillFilter {
  addr: string | null;
  laddr: string | null;
  type: ClientType | null;
  id: number | null;
  user: string | null;
  skipMe: boolean;
}

// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] ...
function clientKill(c: Client, args: string[]): void {
  const oldForm = args.length === 3;
  const filter = oldForm ? { addr: args[2], laddr: null, type: null, id: null, user: null, skipMe: false } : parseKillFilter(c, args);
  if (filter === null) return;
  let killed = 0;
  let killSelf = false;
  for (const other of [...c.server.clients.values()]) {
    if (!killMatches(other, filter)) continue;
    if (other === c) {
      if (filter.skipMe) continue;
      killSelf = true;
    } else {
      disconnect(other);
    }
    killed++;
  }
  if (!oldForm) c.reply.integer(killed);
  else if (killed === 0) c.reply.error(ERR_NO_SUCH_CLIENT);
  else c.reply.ok();
  // Its own connection goes only after this reply has left.
  if (killSelf) c.closeAfterReply = true;
}

/** The new-style filter pairs; replies the error itself and returns null when one is bad. */
function parseKillFilter(c: Client, args: string[]): KillFilter | null {
  const filter: KillFilter = { addr: null, laddr: null, type: null, id: null, user: null, skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i].toLowerCase();
    const value = args[i + 1];
    if (value === undefined) {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
    if (option === 'id') {
      const id = parseInt64(value);
      if (id === null || id < 1) {
        c.reply.error(ERR_CLIENT_ID_POSITIVE);
        return null;
      }
      filter.id = Number(id);
    } else if (option === 'type') {
      filter.type = parseClientType(value);
      if (filter.type === null) {
        c.reply.error(ERR_CLIENT_TYPE(value));
        return null;
      }
    } else if (option === 'addr') {
      filter.addr = value;
    } else if (option === 'laddr') {
      filter.laddr = value;
    } else if (option === 'user') {
      if (!c.server.acl.users.has(value)) {
        c.reply.error(ERR_NO_SUCH_USER(value));
        return null;
      }
      filter.user = value;
    } else if (option === 'skipme' && (value.toLowerCase() === 'yes' || value.toLowerCase() === 'no')) {
      filter.skipMe = value.toLowerCase() === 'yes';
    } else {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return filter;
}

function killMatches(other: Client, filter: KillFilter): boolean {
  return (
    (filter.addr === null || other.address.addr === filter.addr) &&
    (filter.laddr === null || other.address.laddr === filter.laddr) &&
    (filter.type === null || clientType(other) === filter.type) &&
    (filter.id === null || other.id === filter.id) &&
    (filter.user === null || other.user === filter.user)
  );
}

/** Closes another client at once: it leaves the client list now, as Redis's freeClient does. */
function disconnect(other: Client): void {
  other.closeAfterReply = true;
  other.onClose?.();
  other.server.removeClient(other);
}

// CLIENT PAUSE timeout [WRITE|ALL]
function clientPause(c: Client, args: string[]): void {
  const timeout = parseInt64(args[2]);
  if (timeout === null) {
    c.reply.error(ERR_PAUSE_TIMEOUT);
    return;
  }
  if (timeout < 0) {
    c.reply.error(ERR_PAUSE_NEGATIVE);
    return;
  }
  let mode: 'write' | 'all' = 'all';
  if (args.length === 4) {
    const word = args[3].toLowerCase();
    if (word !== 'write' && word !== 'all') {
      c.reply.error(ERR_PAUSE_MODE);
      return;
    }
    mode = word;
  } else if (args.length > 4) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  c.server.pause.pause(mode, c.now + Number(timeout));
  c.reply.ok();
}

// CLIENT NO-EVICT ON|OFF, CLIENT NO-TOUCH ON|OFF
function setClientSwitch(c: Client, args: string[], field: 'noEvict' | 'noTouch'): void {
  const mode = args[2].toLowerCase();
  if (mode !== 'on' && mode !== 'off') {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c[field] = mode === 'on';
  c.reply.ok();
}

// CLIENT HELP
function clientHelp(c: Client, args: string[]): void {
  replyHelp(c, args[0], CLIENT_HELP);
}

/** Redis 7.0's CLIENT HELP, without the subcommands ringcache lacks, with 7.2's SETINFO and NO-TOUCH. */
const CLIENT_HELP: readonly string[] = [
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
];
