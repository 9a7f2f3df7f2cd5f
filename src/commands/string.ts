// String commands: Redis 7's string family, with its exact replies, errors and TTL rules. Read
// commands go through db.read (keyspace hits and misses), write commands through db.peek/set.
// Commands that build a value in place (APPEND on an existing key, SETRANGE) store it as raw;
// commands that modify a value keep its TTL, commands that replace it (SET, GETSET, MSET) clear it.

import { constants as bufferConstants } from 'node:buffer';
import { KEEP_TTL, prefetchedHash } from '../engine/database.js';
import { HINT_RAW, HINT_STRING } from '../engine/encoding.js';
import { NO_EXPIRE } from '../engine/shard.js';
import {
  ERR_DECREMENT_OVERFLOW,
  ERR_INCR_NAN_INF,
  ERR_INVALID_EXPIRE,
  ERR_LCS_IDX_AND_LEN,
  ERR_LCS_MEMORY,
  ERR_NOT_FLOAT,
  ERR_NOT_INTEGER,
  ERR_OFFSET_RANGE,
  ERR_OVERFLOW,
  ERR_STRING_TOO_LONG,
  ERR_SYNTAX,
  ERR_WRONG_ARITY,
} from '../errors.js';
import type { Client } from '../server/client.js';
import { lcsTableBytes, longestCommonSubsequence } from '../util/lcs.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble, type LongDouble } from '../util/long-double.js';
import { fitsInt64, normalizeInt, parseInt64 } from '../util/numbers.js';
import {
  EXPIRE_INVALID,
  EXPIRE_NOT_INTEGER,
  OPT_EX,
  OPT_GET,
  OPT_KEEPTTL,
  OPT_NX,
  OPT_PERSIST,
  OPT_PX,
  OPT_XX,
  expireAtFromArgument,
  expireUnit,
  isAbsoluteExpire,
  parseExtendedOptions,
} from '../util/string-args.js';
import type { CommandFamily } from './types.js';

const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const stringCommands: CommandFamily = [
  {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Get the value of a key',
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
    summary: 'Set the string value of a key',
    complexity: 'O(1)',
    keySpecs: [
      {
        notes: 'RW and ACCESS due to the optional `GET` argument',
        flags: ['RW', 'access', 'update', 'variable_flags'],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
    ],
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    syntax:
      'key value condition@2.6.12:[NX | XX] [GET@6.2.0] expiration:[EX@2.6.12 seconds | PX@2.6.12 milliseconds | EXAT@6.2.0 unix-time-seconds | PXAT@6.2.0 unix-time-milliseconds | KEEPTTL@6.0.0]',
    handler: set,
  },
  {
    name: 'setnx',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Set the value of a key, only if the key does not exist',
    keySpecFlags: ['OW', 'insert'],
    complexity: 'O(1)',
    syntax: 'key value',
    handler: setnx,
  },
  {
    name: 'setex',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.0.0',
    summary: 'Set the value and expiration of a key',
    keySpecFlags: ['OW', 'update'],
    complexity: 'O(1)',
    syntax: 'key seconds value',
    handler: setex,
  },
  {
    name: 'psetex',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.6.0',
    summary: 'Set the value and expiration in milliseconds of a key',
    keySpecFlags: ['OW', 'update'],
    complexity: 'O(1)',
    syntax: 'key milliseconds value',
    handler: psetex,
  },
  {
    name: 'mset',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, -1, 2],
    group: 'string',
    since: '1.0.1',
    summary: 'Set multiple keys to multiple values',
    keySpecFlags: ['OW', 'update'],
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    complexity: 'O(N) where N is the number of keys to set.',
    syntax: 'key value [key value ...]',
    handler: mset,
  },
  {
    name: 'msetnx',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, -1, 2],
    group: 'string',
    since: '1.0.1',
    summary: 'Set multiple keys to multiple values, only if none of the keys exist',
    keySpecFlags: ['OW', 'insert'],
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    complexity: 'O(N) where N is the number of keys to set.',
    syntax: 'key value [key value ...]',
    handler: msetnx,
  },
  {
    name: 'mget',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: [1, -1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Get the values of all the given keys',
    tips: ['request_policy:multi_shard'],
    complexity: 'O(N) where N is the number of keys to retrieve.',
    syntax: 'key [key ...]',
    handler: mget,
  },
  {
    name: 'getset',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Set the string value of a key and return its old value',
    keySpecFlags: ['RW', 'access', 'update'],
    deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
    complexity: 'O(1)',
    syntax: 'key value',
    handler: getset,
  },
  {
    name: 'getdel',
    arity: 2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '6.2.0',
    summary: 'Get the value of a key and delete the key',
    keySpecFlags: ['RW', 'access', 'delete'],
    complexity: 'O(1)',
    syntax: 'key',
    handler: getdel,
  },
  {
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '6.2.0',
    summary: 'Get the value of a key and optionally set its expiration',
    complexity: 'O(1)',
    keySpecs: [
      {
        notes: 'RW and UPDATE because it changes the TTL',
        flags: ['RW', 'access', 'update'],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
    ],
    syntax: 'key expiration:[EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]',
    handler: getex,
  },
  {
    name: 'incr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Increment the integer value of a key by one',
    keySpecFlags: ['RW', 'access', 'update'],
    complexity: 'O(1)',
    syntax: 'key',
    handler: incr,
  },
  {
    name: 'decr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Decrement the integer value of a key by one',
    keySpecFlags: ['RW', 'access', 'update'],
    complexity: 'O(1)',
    syntax: 'key',
    handler: decr,
  },
  {
    name: 'incrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Increment the integer value of a key by the given amount',
    keySpecFlags: ['RW', 'access', 'update'],
    complexity: 'O(1)',
    syntax: 'key increment',
    handler: incrby,
  },
  {
    name: 'decrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Decrement the integer value of a key by the given number',
    keySpecFlags: ['RW', 'access', 'update'],
    complexity: 'O(1)',
    syntax: 'key decrement',
    handler: decrby,
  },
  {
    name: 'incrbyfloat',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.6.0',
    summary: 'Increment the float value of a key by the given amount',
    keySpecFlags: ['RW', 'access', 'update'],
    complexity: 'O(1)',
    syntax: 'key increment:double',
    handler: incrbyfloat,
  },
  {
    name: 'append',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.0.0',
    summary: 'Append a value to a key',
    keySpecFlags: ['RW', 'insert'],
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    syntax: 'key value',
    handler: append,
  },
  {
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.2.0',
    summary: 'Get the length of the value stored in a key',
    keySpecFlags: ['RO'],
    complexity: 'O(1)',
    syntax: 'key',
    handler: strlen,
  },
  {
    name: 'getrange',
    arity: 4,
    flags: ['readonly'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.4.0',
    summary: 'Get a substring of the string stored at a key',
    complexity: RANGE_COMPLEXITY,
    syntax: 'key start end',
    handler: getrange,
  },
  {
    name: 'substr',
    arity: 4,
    flags: ['readonly'],
    keys: [1, 1, 1],
    group: 'string',
    since: '1.0.0',
    summary: 'Get a substring of the string stored at a key',
    deprecatedSince: '2.0.0',
    replacedBy: '`GETRANGE`',
    complexity: RANGE_COMPLEXITY,
    syntax: 'key start end',
    handler: getrange,
  },
  {
    name: 'setrange',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    group: 'string',
    since: '2.2.0',
    summary: 'Overwrite part of a string at key starting at the specified offset',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    syntax: 'key offset value',
    handler: setrange,
  },
  {
    name: 'lcs',
    arity: -3,
    flags: ['readonly'],
    keys: [1, 2, 1],
    group: 'string',
    since: '7.0.0',
    summary: 'Find longest common substring',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    syntax: 'key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]',
    handler: lcs,
  },
];

// GET key
function get(c: Client, args: string[]): void {
  const value = c.db.readRange(args[1], c.now);
  if (value === null) c.reply.nullBulk();
  else c.reply.bulkBytes(value.buf, value.start, value.end);
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]
function set(c: Client, args: string[]): void {
  if (args.length === 3) {
    c.db.set(args[1], args[2], c.now, NO_EXPIRE);
    c.reply.ok();
    return;
  }
  const options = parseExtendedOptions(args, 3, true);
  if (options === null) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  let expireAt: number | bigint = (options.flags & OPT_KEEPTTL) !== 0 ? KEEP_TTL : NO_EXPIRE;
  if (options.expire !== null) {
    expireAt = expireAtOrReply(c, options.expire, expireUnit(options.flags), 'set');
    if (expireAt < 0) return;
  }
  setGeneric(c, options.flags, args[1], args[2], expireAt, false);
}

/**
 * The common tail of SET, SETNX, SETEX and PSETEX. With GET the old value is the reply whether
 * or not the condition lets the write happen; otherwise OK/nil, or 1/0 for SETNX (`asInteger`).
 * An expiry already in the past still stores the key: Redis lets lazy expiry remove it.
 */
function setGeneric(c: Client, flags: number, key: string, value: string, expireAt: number | bigint, asInteger: boolean): void {
  let found: boolean;
  if ((flags & OPT_GET) !== 0) {
    const old = c.db.read(key, c.now);
    if (old === null) c.reply.nullBulk();
    else c.reply.bulk(old);
    found = old !== null;
  } else {
    found = (flags & (OPT_NX | OPT_XX)) !== 0 && c.db.exists(key, c.now);
  }
  if (((flags & OPT_NX) !== 0 && found) || ((flags & OPT_XX) !== 0 && !found)) {
    // Redis looked the key up for writing before giving up, which counts as an access (LRU/LFU).
    if (found) c.db.touch(key, c.now);
    if ((flags & OPT_GET) !== 0) return;
    if (asInteger) c.reply.integer(0);
    else c.reply.nullBulk();
    return;
  }
  c.db.set(key, value, c.now, expireAt);
  if ((flags & OPT_GET) !== 0) return;
  if (asInteger) c.reply.integer(1);
  else c.reply.ok();
}

/** The absolute expiry for a time argument, or a negative number after replying the error. */
function expireAtOrReply(c: Client, arg: string, unit: number, command: string): number | bigint {
  const at = expireAtFromArgument(arg, unit, c.now);
  if (at === EXPIRE_NOT_INTEGER) c.reply.error(ERR_NOT_INTEGER);
  else if (at === EXPIRE_INVALID) c.reply.error(ERR_INVALID_EXPIRE(command));
  return at;
}

// SETNX key value
function setnx(c: Client, args: string[]): void {
  setGeneric(c, OPT_NX, args[1], args[2], NO_EXPIRE, true);
}

// SETEX key seconds value
function setex(c: Client, args: string[]): void {
  const expireAt = expireAtOrReply(c, args[2], OPT_EX, 'setex');
  if (expireAt < 0) return;
  setGeneric(c, 0, args[1], args[3], expireAt, false);
}

// PSETEX key milliseconds value
function psetex(c: Client, args: string[]): void {
  const expireAt = expireAtOrReply(c, args[2], OPT_PX, 'psetex');
  if (expireAt < 0) return;
  setGeneric(c, 0, args[1], args[3], expireAt, false);
}

// MSET key value [key value ...]
function mset(c: Client, args: string[]): void {
  // Arity -3 lets an even count through; Redis rejects it in the handler, with the arity text.
  if (args.length % 2 === 0) {
    c.reply.error(ERR_WRONG_ARITY('mset'));
    return;
  }
  // Keys are warmed and hashed a window at a time (Database.prefetch), then stored by those
  // hashes; one key has no other misses to overlap with.
  let windowStart = 1;
  let windowEnd = args.length > 3 ? 1 : 0;
  for (let i = 1; i < args.length; i += 2) {
    if (i === windowEnd) {
      windowStart = i;
      windowEnd = c.db.prefetch(args, i, 2);
    }
    c.db.set(args[i], args[i + 1], c.now, NO_EXPIRE, undefined, i < windowEnd ? prefetchedHash((i - windowStart) >> 1) : undefined);
  }
  c.reply.ok();
}

// MSETNX key value [key value ...]
function msetnx(c: Client, args: string[]): void {
  if (args.length % 2 === 0) {
    c.reply.error(ERR_WRONG_ARITY('msetnx'));
    return;
  }
  for (let i = 1; i < args.length; i += 2) {
    // The first existing key was looked up for writing, an access as in Redis.
    if (c.db.touch(args[i], c.now)) {
      c.reply.integer(0);
      return;
    }
  }
  for (let i = 1; i < args.length; i += 2) c.db.set(args[i], args[i + 1], c.now, NO_EXPIRE);
  c.reply.integer(1);
}

// MGET key [key ...]
function mget(c: Client, args: string[]): void {
  c.reply.array(args.length - 1);
  // As in MSET: warmed and hashed a window at a time, looked up by those hashes.
  let windowStart = 1;
  let windowEnd = args.length > 2 ? 1 : 0;
  for (let i = 1; i < args.length; i++) {
    if (i === windowEnd) {
      windowStart = i;
      windowEnd = c.db.prefetch(args, i, 1);
    }
    const value = c.db.readRange(args[i], c.now, i < windowEnd ? prefetchedHash(i - windowStart) : undefined);
    if (value === null) c.reply.nullBulk();
    else c.reply.bulkBytes(value.buf, value.start, value.end);
  }
}

// GETSET key value
function getset(c: Client, args: string[]): void {
  const old = c.db.read(args[1], c.now);
  if (old === null) c.reply.nullBulk();
  else c.reply.bulk(old);
  c.db.set(args[1], args[2], c.now, NO_EXPIRE);
}

// GETDEL key
function getdel(c: Client, args: string[]): void {
  const value = c.db.read(args[1], c.now);
  if (value === null) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulk(value);
  c.db.delete(args[1], c.now);
}

// GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]
function getex(c: Client, args: string[]): void {
  const options = parseExtendedOptions(args, 2, false);
  if (options === null) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const key = args[1];
  const value = c.db.read(key, c.now);
  if (value === null) {
    c.reply.nullBulk();
    return;
  }
  // The time is checked only once the key is known to exist: a missing key replies nil.
  const unit = expireUnit(options.flags);
  let expireAt: number | bigint = 0;
  if (options.expire !== null) {
    expireAt = expireAtOrReply(c, options.expire, unit, 'getex');
    if (expireAt < 0) return;
  }
  c.reply.bulk(value);
  if (options.expire !== null) {
    // An absolute time already past deletes the key at once (not counted as an expiry).
    if (isAbsoluteExpire(unit) && expireAt <= c.now) c.db.delete(key, c.now);
    else c.db.setExpireAt(key, expireAt, c.now);
  } else if ((options.flags & OPT_PERSIST) !== 0) {
    c.db.persist(key, c.now);
  }
}

// INCR key
function incr(c: Client, args: string[]): void {
  incrDecr(c, args[1], 1);
}

// DECR key
function decr(c: Client, args: string[]): void {
  incrDecr(c, args[1], -1);
}

// INCRBY key increment
function incrby(c: Client, args: string[]): void {
  const by = parseInt64(args[2]);
  if (by === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  incrDecr(c, args[1], by);
}

// DECRBY key decrement
function decrby(c: Client, args: string[]): void {
  const by = parseInt64(args[2]);
  if (by === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  if (typeof by === 'bigint') {
    // -(-2^63) does not fit in 64 bits: Redis refuses it before looking at the key.
    if (by === -(2n ** 63n)) {
      c.reply.error(ERR_DECREMENT_OVERFLOW);
      return;
    }
    incrDecr(c, args[1], normalizeInt(-by));
  } else {
    incrDecr(c, args[1], by === 0 ? 0 : -by);
  }
}

/** Adds to a key's 64-bit integer value, keeping its TTL. Numbers while exact, BigInt past 2^53. */
function incrDecr(c: Client, key: string, by: number | bigint): void {
  const old = c.db.peek(key, c.now);
  let value: number | bigint = 0;
  if (old !== null) {
    const parsed = parseInt64(old);
    if (parsed === null) {
      c.reply.error(ERR_NOT_INTEGER);
      return;
    }
    value = parsed;
  }
  let result: number | bigint;
  const sum = typeof value === 'number' && typeof by === 'number' ? value + by : NaN;
  if (Number.isSafeInteger(sum)) {
    result = sum;
  } else {
    const exact = BigInt(value) + BigInt(by);
    if (!fitsInt64(exact)) {
      c.reply.error(ERR_OVERFLOW);
      return;
    }
    result = normalizeInt(exact);
  }
  c.db.set(key, String(result), c.now, KEEP_TTL);
  c.reply.integer(result);
}

// INCRBYFLOAT key increment
function incrbyfloat(c: Client, args: string[]): void {
  const key = args[1];
  const old = c.db.peek(key, c.now);
  let value: LongDouble | null = LONG_DOUBLE_ZERO;
  if (old !== null) value = parseLongDouble(old);
  const increment = value === null ? null : parseLongDouble(args[2]);
  if (value === null || increment === null) {
    c.reply.error(ERR_NOT_FLOAT);
    return;
  }
  const sum = addLongDouble(value, increment);
  if (sum === null || sum.kind === 'infinite') {
    c.reply.error(ERR_INCR_NAN_INF);
    return;
  }
  const text = formatLongDoubleHuman(sum);
  // Redis stores the printed result as a string object, never integer-encoded ("15" is embstr).
  c.db.set(key, text, c.now, KEEP_TTL, HINT_STRING);
  c.reply.bulk(text);
}


const LONG_DOUBLE_ZERO: LongDouble = { kind: 'finite', negative: false, mant: 0n, exp: 0 };

/** The longest value a Redis request may carry (proto-max-bulk-len) bounds APPEND and SETRANGE. */
function maxValueLength(c: Client): number {
  return c.server.parserLimits.maxBulkLen;
}

/**
 * V8 caps a one-byte string a little below 512 MB (2^29 - 24 chars), the default
 * proto-max-bulk-len: a value that long cannot exist here, so it is refused like one past the limit.
 */
function exceedsStringLimit(c: Client, length: number): boolean {
  return length > maxValueLength(c) || length > bufferConstants.MAX_STRING_LENGTH;
}

// APPEND key value
function append(c: Client, args: string[]): void {
  const key = args[1];
  const tail = args[2];
  const old = c.db.peek(key, c.now);
  if (old === null) {
    // A new key takes the argument as it is, encoded like a SET value, not as raw.
    c.db.set(key, tail, c.now, NO_EXPIRE);
    c.reply.integer(tail.length);
    return;
  }
  if (exceedsStringLimit(c, old.length + tail.length)) {
    c.reply.error(ERR_STRING_TOO_LONG);
    return;
  }
  const value = old + tail;
  c.db.set(key, value, c.now, KEEP_TTL, HINT_RAW);
  c.reply.integer(value.length);
}

// STRLEN key
function strlen(c: Client, args: string[]): void {
  // The stored length, without copying the value into a string.
  const value = c.db.readRange(args[1], c.now);
  c.reply.integer(value === null ? 0 : value.end - value.start);
}

// GETRANGE key start end (also SUBSTR)
function getrange(c: Client, args: string[]): void {
  const start = parseInt64(args[2]);
  const end = start === null ? null : parseInt64(args[3]);
  if (start === null || end === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  const value = c.db.read(args[1], c.now);
  if (value === null) {
    c.reply.bulk('');
    return;
  }
  const range = clampRange(start, end, value.length);
  if (range === null) c.reply.bulk('');
  else c.reply.bulk(value.slice(range[0], range[1] + 1));
}

/**
 * Redis's GETRANGE index rules: negative indexes count from the end, both ends clamp into the
 * string, and a range that is empty after that (or two negative indexes in reverse) gives null.
 * Indexes beyond 2^53 are compared exactly first; after that only their sign and side matter.
 */
function clampRange(startArg: number | bigint, endArg: number | bigint, length: number): [number, number] | null {
  if (startArg < 0 && endArg < 0 && startArg > endArg) return null;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return null;
  return [start, end];
}

// SETRANGE key offset value
function setrange(c: Client, args: string[]): void {
  const key = args[1];
  const patch = args[3];
  const offset = parseInt64(args[2]);
  if (offset === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  if (offset < 0) {
    c.reply.error(ERR_OFFSET_RANGE);
    return;
  }
  const old = c.db.peek(key, c.now);
  // Writing nothing changes nothing, whatever the offset: the reply is the current length.
  // Redis has looked an existing key up for writing by then, which counts as an access (LRU/LFU).
  if (patch.length === 0) {
    if (old !== null) c.db.touch(key, c.now);
    c.reply.integer(old === null ? 0 : old.length);
    return;
  }
  if (typeof offset === 'bigint' || exceedsStringLimit(c, offset + patch.length)) {
    if (old !== null) c.db.touch(key, c.now);
    c.reply.error(ERR_STRING_TOO_LONG);
    return;
  }
  const value = overwrite(old ?? '', offset, patch);
  c.db.set(key, value, c.now, KEEP_TTL, HINT_RAW);
  c.reply.integer(value.length);
}

/** `base` with `patch` written at `offset`, zero bytes filling any gap past its end. */
function overwrite(base: string, offset: number, patch: string): string {
  const end = offset + patch.length;
  if (offset >= base.length) return base + '\0'.repeat(offset - base.length) + patch;
  return base.slice(0, offset) + patch + (end < base.length ? base.slice(end) : '');
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
function lcs(c: Client, args: string[]): void {
  const a = c.db.read(args[1], c.now) ?? '';
  const b = c.db.read(args[2], c.now) ?? '';
  let wantLen = false;
  let wantIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let i = 3; i < args.length; i++) {
    const opt = args[i].toUpperCase();
    if (opt === 'IDX') wantIdx = true;
    else if (opt === 'LEN') wantLen = true;
    else if (opt === 'WITHMATCHLEN') withMatchLen = true;
    else if (opt === 'MINMATCHLEN' && i + 1 < args.length) {
      const v = parseInt64(args[++i]);
      if (v === null) {
        c.reply.error(ERR_NOT_INTEGER);
        return;
      }
      minMatchLen = v < 0 ? 0 : Number(v);
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (wantIdx && wantLen) {
    c.reply.error(ERR_LCS_IDX_AND_LEN);
    return;
  }
  if (lcsTableBytes(a, b) > maxValueLength(c)) {
    c.reply.error(ERR_LCS_MEMORY);
    return;
  }
  const result = longestCommonSubsequence(a, b, wantIdx || !wantLen, minMatchLen);
  if (wantIdx) {
    c.reply.map(2);
    c.reply.bulk('matches');
    c.reply.array(result.matches.length);
    for (const m of result.matches) {
      c.reply.array(withMatchLen ? 3 : 2);
      c.reply.array(2);
      c.reply.integer(m.aStart);
      c.reply.integer(m.aEnd);
      c.reply.array(2);
      c.reply.integer(m.bStart);
      c.reply.integer(m.bEnd);
      if (withMatchLen) c.reply.integer(m.aEnd - m.aStart + 1);
    }
    c.reply.bulk('len');
    c.reply.integer(result.length);
  } else if (wantLen) {
    c.reply.integer(result.length);
  } else {
    c.reply.bulk(result.text);
  }
}
