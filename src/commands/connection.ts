// Connection commands: PING, ECHO, QUIT, SELECT, HELLO, RESET, CLIENT ...

import { ERR_DB_INDEX, ERR_NOT_INTEGER } from '../errors.js';
import type { Client } from '../server/client.js';
import { parseSafeInt } from '../util/numbers.js';
import type { CommandFamily } from './types.js';

export const connectionCommands: CommandFamily = [
  {
    name: 'ping',
    arity: -1,
    flags: ['fast', 'sentinel'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Returns the server\'s liveliness response.',
    complexity: 'O(1)',
    syntax: '[message]',
    handler: ping,
  },
  {
    name: 'echo',
    arity: 2,
    flags: ['fast'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Returns the given string.',
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
    summary: 'Changes the selected database.',
    complexity: 'O(1)',
    syntax: 'index',
    handler: select,
  },
  {
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
    keys: [0, 0, 0],
    group: 'connection',
    since: '1.0.0',
    summary: 'Closes the connection.',
    complexity: 'O(1)',
    syntax: '',
    runsInMulti: true,
    handler: quit,
  },
];

// PING [message]
function ping(c: Client, args: string[]): void {
  if (args.length > 2) {
    c.reply.error("ERR wrong number of arguments for 'ping' command");
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
  const index = parseSafeInt(args[1]);
  if (index === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  if (index < 0 || index >= c.server.keyspace.databases.length) {
    c.reply.error(ERR_DB_INDEX);
    return;
  }
  c.selectDb(index);
  c.reply.ok();
}

// QUIT
function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}
