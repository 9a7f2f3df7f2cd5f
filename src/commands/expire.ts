// Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (one worker, four variants), TTL, PTTL,
// EXPIRETIME, PEXPIRETIME, PERSIST.
//
// Times are signed 64-bit milliseconds as in Redis. JS numbers are exact to 2^53 only, so the
// arithmetic falls back to BigInt beyond that: `PEXPIREAT k 9223372036854775807` is accepted and
// PEXPIRETIME gives those exact digits back, as Redis does.

import {
  ERR_EXPIRE_GT_LT,
  ERR_EXPIRE_NX_COMBINED,
  ERR_INVALID_EXPIRE,
  ERR_NOT_INTEGER,
  ERR_UNSUPPORTED_OPTION,
} from '../errors.js';
import { EXPIRE_MISSING, EXPIRE_NONE } from '../engine/database.js';
import type { Client } from '../server/client.js';
import { normalizeInt, parseInt64 } from '../util/numbers.js';
import type { CommandFamily, CommandSpec } from './types.js';

const LLONG_MAX = 2n ** 63n - 1n;
const LLONG_MIN = -(2n ** 63n);

/** How the time argument is read: relative or absolute, in seconds or milliseconds. */
interface TimeArgument {
  unitMs: 1 | 1000;
  relative: boolean;
}

export const expireCommands: CommandFamily = [
  expireSpec('expire', '1.0.0', "Set a key's time to live in seconds", 'seconds', { unitMs: 1000, relative: true }),
  expireSpec('pexpire', '2.6.0', "Set a key's time to live in milliseconds", 'milliseconds', { unitMs: 1, relative: true }),
  expireSpec('expireat', '1.2.0', 'Set the expiration for a key as a UNIX timestamp', 'unix-time-seconds', {
    unitMs: 1000,
    relative: false,
  }),
  expireSpec(
    'pexpireat',
    '2.6.0',
    'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
    'unix-time-milliseconds',
    { unitMs: 1, relative: false },
  ),
  readSpec('ttl', '1.0.0', 'Get the time to live for a key in seconds', (c, args) => ttl(c, args, 1000)),
  readSpec('pttl', '2.6.0', 'Get the time to live for a key in milliseconds', (c, args) => ttl(c, args, 1)),
  readSpec('expiretime', '7.0.0', 'Get the expiration Unix timestamp for a key', (c, args) => expiretime(c, args, 1000)),
  readSpec('pexpiretime', '7.0.0', 'Get the expiration Unix timestamp for a key in milliseconds', (c, args) =>
    expiretime(c, args, 1),
  ),
  {
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    group: 'generic',
    since: '2.2.0',
    summary: 'Remove the expiration from a key',
    complexity: 'O(1)',
    syntax: 'key',
    handler: persist,
  },
];

function expireSpec(name: string, since: string, summary: string, timeName: string, time: TimeArgument): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    group: 'generic',
    since,
    summary,
    complexity: 'O(1)',
    syntax: `key ${timeName} [NX | XX | GT | LT]`,
    handler: (c, args) => expireGeneric(c, args, name, time),
  };
}

function readSpec(name: string, since: string, summary: string, handler: CommandSpec['handler']): CommandSpec {
  return {
    name,
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    group: 'generic',
    since,
    summary,
    complexity: 'O(1)',
    syntax: 'key',
    handler,
  };
}

/** EXPIRE's NX / XX / GT / LT conditions. */
interface Conditions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

// EXPIRE key seconds [NX|XX|GT|LT], PEXPIRE key ms [...], EXPIREAT key s [...], PEXPIREAT key ms [...]
// Redis's order of checks: options, the number, overflow, then the key.
function expireGeneric(c: Client, args: string[], name: string, time: TimeArgument): void {
  const conditions = parseConditions(c, args);
  if (conditions === null) return;
  const amount = parseInt64(args[2]);
  if (amount === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  const when = absoluteTime(amount, time.unitMs, time.relative ? c.now : 0);
  if (when === null) {
    c.reply.error(ERR_INVALID_EXPIRE(name));
    return;
  }
  const key = args[1];
  if (!c.db.touch(key, c.now)) {
    c.reply.integer(0);
    return;
  }
  if (!conditionsHold(conditions, when, c.db.getExpireAtExact(key, c.now))) {
    c.reply.integer(0);
    return;
  }
  // A time already past deletes the key at once, and still counts as success.
  if (when <= c.now) c.db.delete(key, c.now);
  else c.db.setExpireAt(key, when, c.now);
  c.reply.integer(1);
}

/** The options after the time, or null once an error was replied. */
function parseConditions(c: Client, args: string[]): Conditions | null {
  const conditions: Conditions = { nx: false, xx: false, gt: false, lt: false };
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt') {
      conditions[option] = true;
    } else {
      c.reply.error(ERR_UNSUPPORTED_OPTION(args[i]));
      return null;
    }
  }
  const { nx, xx, gt, lt } = conditions;
  if (nx && (xx || gt || lt)) {
    c.reply.error(ERR_EXPIRE_NX_COMBINED);
    return null;
  }
  if (gt && lt) {
    c.reply.error(ERR_EXPIRE_GT_LT);
    return null;
  }
  return conditions;
}

/**
 * The absolute expiry in ms, or null when it overflows signed 64 bits: seconds beyond
 * LLONG_MAX/1000 either way, or a sum past LLONG_MAX, exactly as Redis checks it.
 */
function absoluteTime(amount: number | bigint, unitMs: 1 | 1000, base: number): number | bigint | null {
  if (typeof amount === 'number') {
    const fast = amount * unitMs + base;
    if (Number.isSafeInteger(fast)) return fast;
  }
  let when = BigInt(amount);
  if (unitMs === 1000) {
    // BigInt division truncates toward zero, as C's does.
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return null;
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(base)) return null;
  return normalizeInt(when + BigInt(base));
}

/** A key without a TTL counts as an infinite one: GT never beats it, LT always does. */
function conditionsHold(conditions: Conditions, when: number | bigint, current: number | bigint): boolean {
  const hasTtl = current !== EXPIRE_NONE;
  if (conditions.nx && hasTtl) return false;
  if (conditions.xx && !hasTtl) return false;
  if (conditions.gt && (!hasTtl || when <= current)) return false;
  if (conditions.lt && hasTtl && when >= current) return false;
  return true;
}

// TTL key / PTTL key: -2 without the key, -1 without a TTL; seconds are rounded to nearest.
function ttl(c: Client, args: string[], unitMs: 1 | 1000): void {
  const at = expireOf(c, args[1]);
  if (at === EXPIRE_MISSING || at === EXPIRE_NONE) {
    c.reply.integer(at);
    return;
  }
  const remaining = typeof at === 'number' ? Math.max(0, at - c.now) : normalizeInt(at - BigInt(c.now));
  c.reply.integer(unitMs === 1 ? remaining : roundedSeconds(remaining));
}

// EXPIRETIME key / PEXPIRETIME key: the absolute expiry; seconds are rounded to nearest, as
// Redis shares TTL's rounding (its unsigned arithmetic keeps that exact even near 2^63).
function expiretime(c: Client, args: string[], unitMs: 1 | 1000): void {
  const at = expireOf(c, args[1]);
  if (at === EXPIRE_MISSING || at === EXPIRE_NONE || unitMs === 1) {
    c.reply.integer(at);
    return;
  }
  c.reply.integer(roundedSeconds(at));
}

/** Milliseconds to seconds rounded to nearest, exactly even where a double could not hold ms + 500. */
function roundedSeconds(ms: number | bigint): number | bigint {
  if (typeof ms === 'number' && ms <= Number.MAX_SAFE_INTEGER - 500) return Math.floor((ms + 500) / 1000);
  return normalizeInt((BigInt(ms) + 500n) / 1000n);
}

/** The exact expiry of a key for the TTL family, whose lookup counts as a read without touching the key. */
function expireOf(c: Client, key: string): number | bigint {
  if (c.db.read(key, c.now, false) === null) return EXPIRE_MISSING;
  return c.db.getExpireAtExact(key, c.now);
}

// PERSIST key
function persist(c: Client, args: string[]): void {
  const key = args[1];
  c.db.touch(key, c.now);
  c.reply.integer(c.db.persist(key, c.now) ? 1 : 0);
}
