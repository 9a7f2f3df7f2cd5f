// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing happens in the central pipeline
// (ServerCore.execute), which also refuses what cannot be queued; WATCH's bookkeeping lives in
// the server's WatchRegistry, told of every key change by the engine.

import {
  ERR_DISCARD_WITHOUT_MULTI,
  ERR_EXECABORT,
  ERR_EXEC_WITHOUT_MULTI,
  ERR_MULTI_NESTED,
  ERR_WATCH_IN_MULTI,
} from '../errors.js';
import type { Client } from '../server/client.js';
import type { CommandFamily, CommandFlag } from './types.js';

/** The flags Redis gives the commands that steer a transaction. */
const STEERING: readonly CommandFlag[] = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'];

export const transactionCommands: CommandFamily = [
  {
    name: 'multi',
    arity: 1,
    flags: STEERING,
    keys: [0, 0, 0],
    group: 'transactions',
    since: '1.2.0',
    summary: 'Mark the start of a transaction block',
    complexity: 'O(1)',
    syntax: '',
    runsInMulti: true,
    handler: multi,
  },
  {
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    keys: [0, 0, 0],
    group: 'transactions',
    since: '1.2.0',
    summary: 'Execute all commands issued after MULTI',
    complexity: 'Depends on commands in the transaction',
    syntax: '',
    runsInMulti: true,
    handler: exec,
  },
  {
    name: 'discard',
    arity: 1,
    flags: STEERING,
    keys: [0, 0, 0],
    group: 'transactions',
    since: '2.0.0',
    summary: 'Discard all commands issued after MULTI',
    complexity: 'O(N), when N is the number of queued commands',
    syntax: '',
    runsInMulti: true,
    handler: discard,
  },
  {
    name: 'watch',
    arity: -2,
    flags: STEERING,
    keys: [1, -1, 1],
    keySpecFlags: ['RO'],
    group: 'transactions',
    since: '2.2.0',
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    complexity: 'O(1) for every key.',
    syntax: 'key [key ...]',
    runsInMulti: true,
    handler: watch,
  },
  {
    // Not runsInMulti: inside MULTI, Redis queues UNWATCH like any other command.
    name: 'unwatch',
    arity: 1,
    flags: STEERING,
    keys: [0, 0, 0],
    group: 'transactions',
    since: '2.2.0',
    summary: 'Forget about all watched keys',
    complexity: 'O(1)',
    syntax: '',
    handler: unwatch,
  },
];

// MULTI
function multi(c: Client): void {
  // Not a rejection: a nested MULTI is refused without spoiling the open transaction.
  if (c.multi !== null) {
    c.reply.error(ERR_MULTI_NESTED);
    return;
  }
  c.multi = [];
  c.reply.ok();
}

// EXEC
function exec(c: Client): void {
  const queued = c.multi;
  if (queued === null) {
    c.reply.error(ERR_EXEC_WITHOUT_MULTI);
    return;
  }
  const server = c.server;
  if (server.watches.anyLapsedSinceWatch(c, c.now)) c.watchTouched = true;
  if (c.multiFailed || c.watchTouched) {
    if (c.multiFailed) c.reply.error(ERR_EXECABORT);
    else c.reply.nullArray();
    server.discardTransaction(c);
    return;
  }
  // The watches are of no more use: dropped first, they cost nothing while the queue writes.
  // The client stays in MULTI while its commands run (CLIENT LIST shows flags=x, as in Redis),
  // and all of them see EXEC's instant, so no key expires halfway through the transaction.
  server.watches.unwatchAll(c);
  c.reply.array(queued.length);
  for (const command of queued) server.run(c, command.spec, command.fullName, command.args);
  server.discardTransaction(c);
}

// DISCARD
function discard(c: Client): void {
  if (c.multi === null) {
    c.reply.error(ERR_DISCARD_WITHOUT_MULTI);
    return;
  }
  c.server.discardTransaction(c);
  c.reply.ok();
}

// WATCH key [key ...]
function watch(c: Client, args: string[]): void {
  if (c.multi !== null) {
    c.reply.error(ERR_WATCH_IN_MULTI);
    return;
  }
  // Once a watched key changed, EXEC fails whatever else is watched.
  if (!c.watchTouched) {
    for (let i = 1; i < args.length; i++) c.server.watches.watch(c, c.db, args[i], c.now);
  }
  c.reply.ok();
}

// UNWATCH
function unwatch(c: Client): void {
  c.server.watches.unwatchAll(c);
  c.watchTouched = false;
  c.reply.ok();
}
