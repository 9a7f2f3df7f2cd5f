// DEBUG: the subcommands test suites and client libraries use, with Redis 7.0's replies. Those
// that crash, restart or stall Redis on purpose (SEGFAULT, PANIC, RESTART...) are refused: an
// embedded cache must not die because a test asked it to. Gated by enable-debug-command.

import { createHash } from 'node:crypto';
import {
  ERR_DEBUG_CRASH_REFUSED,
  ERR_DEBUG_NOT_ALLOWED,
  ERR_DEBUG_PROTOCOL_TYPE,
  ERR_DEBUG_RELOAD_OPTION,
  ERR_MUST_BE_POSITIVE,
  ERR_NO_SUCH_KEY,
  ERR_RESP2_NOT_SUPPORTED,
  ERR_SUBCOMMAND_SYNTAX,
} from '../errors.js';
import { stringEncoding } from '../engine/encoding.js';
import type { Database } from '../engine/database.js';
import { NO_EXPIRE } from '../engine/shard.js';
import { isLfuPolicy } from '../eviction/lfu.js';
import { dumpString } from '../persistence/rdb-payload.js';
import type { Client } from '../server/client.js';
import { parseInt64 } from '../util/numbers.js';
import { replyHelp } from './help-reply.js';
import { SHARED_REFCOUNT, isSharedInteger, sharesIntegers } from './keyspace.js';
import type { CommandFamily } from './types.js';

export const debugCommands: CommandFamily = [
  {
    name: 'debug',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'A container for debugging commands',
    complexity: 'Depends on subcommand.',
    syntax: 'subcommand [argument [argument ...]]',
    handler: debug,
  },
];

interface DebugSubcommand {
  /** Argument count including DEBUG and the subcommand; negative: at least that many. */
  arity: number;
  run(c: Client, args: string[]): void;
}

const refuse = (c: Client, args: string[]): void => c.reply.error(ERR_DEBUG_CRASH_REFUSED(args[1]));

const SUBCOMMANDS: Record<string, DebugSubcommand> = {
  help: { arity: 2, run: (c, args) => replyHelp(c, args[0], DEBUG_HELP) },
  sleep: { arity: 3, run: debugSleep },
  object: { arity: 3, run: debugObject },
  'set-active-expire': { arity: 3, run: setActiveExpire },
  digest: { arity: 2, run: debugDigest },
  'digest-value': { arity: -2, run: debugDigestValue },
  protocol: { arity: 3, run: debugProtocol },
  populate: { arity: -3, run: debugPopulate },
  'change-repl-id': { arity: 2, run: (c) => c.reply.ok() },
  log: { arity: 3, run: debugLog },
  error: { arity: 3, run: (c, args) => c.reply.error(args[2]) },
  reload: { arity: -2, run: debugReload },
  segfault: { arity: 2, run: refuse },
  panic: { arity: 2, run: refuse },
  assert: { arity: 2, run: refuse },
  oom: { arity: 2, run: refuse },
  'crash-and-recover': { arity: -2, run: refuse },
  restart: { arity: -2, run: refuse },
};

function debug(c: Client, args: string[]): void {
  const allowed = c.server.config.get('enable-debug-command');
  if (allowed === 'no' || (allowed === 'local' && !isLocalClient(c))) {
    c.reply.error(ERR_DEBUG_NOT_ALLOWED);
    return;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, args[1].toLowerCase()) ? SUBCOMMANDS[args[1].toLowerCase()] : undefined;
  if (sub === undefined || (sub.arity >= 0 ? args.length !== sub.arity : args.length < -sub.arity)) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  sub.run(c, args);
}

/** Redis's islocalClient: the Unix socket, or a peer at exactly 127.0.0.1 or ::1. */
function isLocalClient(c: Client): boolean {
  if (c.address.unixSocket === true) return true;
  const addr = c.address.addr;
  const host = addr.slice(0, Math.max(0, addr.lastIndexOf(':'))).replace(/^\[(.*)\]$/, '$1');
  return host === '127.0.0.1' || host === '::1' || host === '::ffff:127.0.0.1';
}

// DEBUG SLEEP seconds
function debugSleep(c: Client, args: string[]): void {
  sleepSync(parseSeconds(args[2]) * 1000);
  c.reply.ok();
}

/** strtod's reading: the longest leading number, 0 when there is none (DEBUG SLEEP abc sleeps 0). */
function parseSeconds(text: string): number {
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  const seconds = match === null ? 0 : Number(match[0]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/** Blocks the whole server, as DEBUG SLEEP does in Redis: its point is to simulate a stall. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Redis's 24-bit LRU clock, in seconds. */
const LRU_CLOCK_MAX = 0xffffff;

// DEBUG OBJECT key
function debugObject(c: Client, args: string[]): void {
  const key = args[2];
  const value = c.db.peek(key, c.now);
  if (value === null) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  const encoding = stringEncoding(value, c.db.encodingHint(key, c.now));
  const refcount = encoding === 'int' && sharesIntegers(c) && isSharedInteger(value) ? SHARED_REFCOUNT : 1;
  // The RDB encoding of the value alone: the DUMP payload without its type byte and footer.
  const serializedLength = dumpString(value).length - 11;
  const accessedAt = c.db.accessedAt(key, c.now);
  // Under an LFU policy Redis keeps the access minute and the counter in the same 24 bits.
  const lru = isLfuPolicy(c.server.config.get('maxmemory-policy'))
    ? ((Math.floor(accessedAt / 60000) & 0xffff) << 8) | (c.db.evictionMeta(key, c.now) & 0xff)
    : Math.floor(accessedAt / 1000) & LRU_CLOCK_MAX;
  const clock = Math.floor(c.now / 1000) & LRU_CLOCK_MAX;
  const idle = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
  c.reply.simple(
    `Value at:${fakeAddress(key)} refcount:${refcount} encoding:${encoding} serializedlength:${serializedLength} lru:${lru} lru_seconds_idle:${idle}`,
  );
}

/** A stable pointer-looking token for a key: ringcache's values have no address to show. */
function fakeAddress(key: string): string {
  return `0x7f${createHash('sha1').update(key, 'latin1').digest('hex').slice(0, 10)}`;
}

// DEBUG SET-ACTIVE-EXPIRE 0|1: atoi's reading, as Redis: anything not starting with a non-zero number turns it off.
function setActiveExpire(c: Client, args: string[]): void {
  const match = /^\s*[+-]?\d+/.exec(args[2]);
  c.server.activeExpire = match !== null && Number(match[0]) !== 0;
  c.reply.ok();
}

// DEBUG DIGEST: Redis's dataset digest, so a ringcache and a Redis with the same data agree.
function debugDigest(c: Client): void {
  const final = Buffer.alloc(20);
  c.server.keyspace.databases.forEach((db, index) => {
    if (db.size === 0) return;
    const id = Buffer.alloc(4);
    id.writeUInt32BE(index);
    mixDigest(final, id);
    for (const shard of db.shards) {
      for (const slot of shard.liveSlots()) {
        const digest = Buffer.alloc(20);
        mixDigest(digest, Buffer.from(shard.keyAt(slot), 'latin1'));
        valueDigest(digest, shard.valueAt(slot), shard.expireAt[slot] !== NO_EXPIRE);
        xorDigest(final, digest);
      }
    }
  });
  c.reply.simple(final.toString('hex'));
}

// DEBUG DIGEST-VALUE [key ...]: the value part of the digest (no key name), zeros for a missing key.
function debugDigestValue(c: Client, args: string[]): void {
  c.reply.array(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const digest = Buffer.alloc(20);
    const value = c.db.peek(args[i], c.now);
    if (value !== null) valueDigest(digest, value, hasExpire(c.db, args[i], c.now));
    c.reply.simple(digest.toString('hex'));
  }
}

function hasExpire(db: Database, key: string, now: number): boolean {
  return db.getExpireAt(key, now) >= 0;
}

/** Redis's xorObjectDigest for a string: its type (0, big-endian), its bytes, and a mark for a TTL. */
function valueDigest(digest: Buffer, value: string, expires: boolean): void {
  mixDigest(digest, Buffer.alloc(4));
  mixDigest(digest, Buffer.from(value, 'latin1'));
  if (expires) xorDigest(digest, Buffer.from('!!expire!!', 'latin1'));
}

function xorDigest(digest: Buffer, data: Buffer): void {
  const hash = createHash('sha1').update(data).digest();
  for (let i = 0; i < 20; i++) digest[i] ^= hash[i];
}

/** xor in the data's SHA1, then replace the digest by its own SHA1: order-sensitive, unlike xor. */
function mixDigest(digest: Buffer, data: Buffer): void {
  xorDigest(digest, data);
  createHash('sha1').update(digest).digest().copy(digest);
}

// DEBUG PROTOCOL type: one reply of each RESP3 type, for client test suites.
function debugProtocol(c: Client, args: string[]): void {
  const reply = c.reply;
  const resp3 = reply.protocol === 3;
  switch (args[2].toLowerCase()) {
    case 'string':
      reply.bulk('Hello World');
      return;
    case 'integer':
      reply.integer(12345);
      return;
    case 'double':
      reply.double(3.141);
      return;
    case 'bignum':
      if (resp3) reply.raw(Buffer.from('(1234567999999999999999999999999999999\r\n', 'latin1'));
      else reply.bulk('1234567999999999999999999999999999999');
      return;
    case 'null':
      reply.nullBulk();
      return;
    case 'array':
    case 'set':
      if (args[2].toLowerCase() === 'set') reply.set(3);
      else reply.array(3);
      for (let j = 0; j < 3; j++) reply.integer(j);
      return;
    case 'map':
      reply.map(3);
      for (let j = 0; j < 3; j++) {
        reply.integer(j);
        reply.boolean(j === 1);
      }
      return;
    case 'attrib':
      // RESP2 has no attributes: the reply they annotate is sent alone.
      if (resp3) {
        reply.raw(Buffer.from('|1\r\n', 'latin1'));
        reply.bulk('key-popularity');
        reply.array(2);
        reply.bulk('key:123');
        reply.integer(90);
      }
      reply.bulk('Some real reply following the attribute');
      return;
    case 'push':
      if (!resp3) {
        reply.error(ERR_RESP2_NOT_SUPPORTED);
        return;
      }
      reply.push(2);
      reply.bulk('server-cpu-usage');
      reply.integer(42);
      reply.bulk('Some real reply following the push reply');
      return;
    case 'verbatim':
      reply.verbatim('This is a verbatim\nstring');
      return;
    case 'true':
    case 'false':
      reply.boolean(args[2].toLowerCase() === 'true');
      return;
    default:
      reply.error(ERR_DEBUG_PROTOCOL_TYPE);
  }
}

// DEBUG POPULATE count [prefix] [size]: keys prefix:0.. with values value:0.., zero-padded or cut to size.
function debugPopulate(c: Client, args: string[]): void {
  if (args.length > 5) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  const count = positive(args[2]);
  const size = args.length === 5 ? positive(args[4]) : 0;
  if (count === null || size === null) {
    c.reply.error(ERR_MUST_BE_POSITIVE);
    return;
  }
  const prefix = args.length >= 4 ? args[3] : 'key';
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (c.db.exists(key, c.now)) continue;
    const text = `value:${i}`;
    const value = size === 0 ? text : text.length >= size ? text.slice(0, size) : text + '\0'.repeat(size - text.length);
    c.db.set(key, value, c.now);
  }
  c.reply.ok();
}

function positive(text: string): number | null {
  const n = parseInt64(text);
  return n === null || n < 0 || typeof n === 'bigint' ? null : n;
}

// DEBUG LOG message
function debugLog(c: Client, args: string[]): void {
  c.server.logger.log('warning', `DEBUG LOG: ${args[2]}`);
  c.reply.ok();
}

const RELOAD_OPTIONS = new Set(['merge', 'noflush', 'nosave']);

/**
 * DEBUG RELOAD [MERGE|NOFLUSH|NOSAVE ...]: Redis saves, flushes and loads its RDB back. ringcache
 * keeps no RDB, and a save-and-reload round trip would give back the same data, so it keeps the
 * data as it is and answers as Redis does, after checking the options as Redis does.
 */
function debugReload(c: Client, args: string[]): void {
  for (const option of args.slice(2)) {
    if (!RELOAD_OPTIONS.has(option.toLowerCase())) {
      c.reply.error(ERR_DEBUG_RELOAD_OPTION);
      return;
    }
  }
  c.reply.ok();
}

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Redis saves the RDB and loads it back; ringcache keeps no RDB and keeps the',
  '    data as it is. Valid <option> values: MERGE, NOFLUSH, NOSAVE.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];
