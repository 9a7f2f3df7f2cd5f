// The one-line description of a client that CLIENT LIST and CLIENT INFO print: Redis's fields in
// Redis's order (7.0's, plus 7.2's lib-name and lib-ver), so that tools parsing it by position or
// by name both work. Sizes Redis reads from its allocator are estimates here.

import type { Client } from './client.js';

/** What the client that asks is running right now; its own line shows it as Redis's does. */
export interface RunningCommand {
  fullName: string;
  args: readonly string[];
}

/** Bytes of a client's own bookkeeping, counted in tot-mem (Redis's sizeof(client) and friends). */
const CLIENT_OVERHEAD_BYTES = 4 * 1024;
/** Per queued command, on top of its arguments' bytes, as Redis's multi-mem counts it. */
const QUEUED_COMMAND_BYTES = 16;

/** The type CLIENT LIST TYPE and CLIENT KILL TYPE filter on: a client listening to anything is a pubsub one. */
export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

export function clientType(c: Client): ClientType {
  return c.subscriptions !== null ? 'pubsub' : 'normal';
}

/** Redis's getClientTypeByName: `slave` is the old name of `replica`. */
export function parseClientType(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

/** The `flags` field: one letter per state, `N` when there is none. */
function flagsOf(c: Client): string {
  let flags = '';
  if (c.server.monitors.clients.has(c)) flags += 'O';
  if (c.subscriptions !== null) flags += 'P';
  if (c.multi !== null) flags += 'x';
  if (c.postponed) flags += 'b';
  if (c.watchTouched) flags += 'd';
  if (c.closeAfterReply) flags += 'c';
  if (c.address.unixSocket === true) flags += 'U';
  if (c.noEvict) flags += 'e';
  if (c.noTouch) flags += 'T';
  return flags === '' ? 'N' : flags;
}

function argBytes(args: readonly string[]): number {
  let n = 0;
  for (const arg of args) n += arg.length;
  return n;
}

function multiBytes(c: Client): number {
  if (c.multi === null) return 0;
  let n = 0;
  for (const queued of c.multi) n += argBytes(queued.args) + QUEUED_COMMAND_BYTES;
  return n;
}

/** Redis's ages are differences of whole seconds, not rounded differences of milliseconds. */
function secondsBetween(from: number, to: number): number {
  return Math.floor(to / 1000) - Math.floor(from / 1000);
}

/**
 * What a client holds besides its running command's arguments: tot-mem without argv-mem, and
 * what INFO's mem_clients_normal adds up (Redis sums the tot-mem its cron last computed, between
 * commands), including a kept gather buffer of big bulks, as Redis counts its query buffer.
 */
export function clientMemory(c: Client): number {
  return CLIENT_OVERHEAD_BYTES + c.reply.capacity + (c.queryBuffer?.keptBytes ?? 0) + multiBytes(c);
}

/**
 * One CLIENT LIST line, without its trailing newline. `running` is set for the client asking.
 *
 * rbs and rbp follow Redis 7.0's meaning, the reply buffer's size and the most of it used since
 * the peak was last reset (every 5 s), on our writer's buffer, which differs from Redis's: it is
 * allocated at a client's first reply and dropped when idle (rbs=0 where Redis shows 16384 for a
 * new client and 1024 at least later), and it grows to hold a whole flush instead of spilling
 * past 16 KB into a reply list, so rbp can exceed 16384, and exceed rbs once that buffer left
 * (past 1 MB, or given back by the cron) while Redis's rbp never exceeds rbs. Redis also starts
 * rbp at rbs; ours starts at 0, nothing having been used.
 */
export function clientInfoLine(c: Client, now: number, running: RunningCommand | null): string {
  const argvMem = running === null ? 0 : argBytes(running.args);
  const multiMem = multiBytes(c);
  const pending = c.reply.pending;
  const totalMem = clientMemory(c) + argvMem;
  return (
    `id=${c.id} addr=${c.address.addr} laddr=${c.address.laddr} fd=${c.address.fd} name=${c.name}` +
    ` age=${secondsBetween(c.createdAt, now)} idle=${secondsBetween(c.lastInteraction, now)}` +
    ` flags=${flagsOf(c)} db=${c.dbIndex} sub=${c.subscriptions?.channels.size ?? 0} psub=${c.subscriptions?.patterns.size ?? 0} ssub=${c.subscriptions?.shard.size ?? 0} multi=${c.multi === null ? -1 : c.multi.length}` +
    ` qbuf=0 qbuf-free=0 argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=${c.reply.capacity} rbp=${c.reply.recentPeak} obl=${pending} oll=0 omem=0 tot-mem=${totalMem}` +
    ` events=r cmd=${running === null ? c.lastCommand : running.fullName} user=${c.user} redir=-1` +
    ` resp=${c.reply.protocol} lib-name=${c.libName} lib-ver=${c.libVersion}`
  );
}
