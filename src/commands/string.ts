// String commands: GET, SET and the rest of Redis's string family.

import { ERR_SYNTAX } from '../errors.js';
import type { Client } from '../server/client.js';
import type { CommandFamily } from './types.js';

export const stringCommands: CommandFamily = [
  {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Returns the string value of a key.',
    complexity: 'O(1)',
    syntax: 'key',
    handler: get,
  },
  {
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Sets the string value of a key, ignoring its type. The key is created if it does not exist.',
    complexity: 'O(1)',
    syntax: 'key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    handler: set,
  },
];

// GET key
function get(c: Client, args: string[]): void {
  const value = c.db.read(args[1], c.now);
  if (value === null) c.reply.nullBulk();
  else c.reply.bulk(value);
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]
function set(c: Client, args: string[]): void {
  if (args.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.db.set(args[1], args[2], c.now);
  c.reply.ok();
}
