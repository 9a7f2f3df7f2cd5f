// Key migration commands: DUMP, RESTORE, RESTORE-ASKING, MIGRATE. Payloads are Redis's own
// (src/persistence/rdb-payload.ts), so keys move between ringcache and Redis in both directions.
// MIGRATE is the one command here that waits on the network: its client runs nothing more
// until the target has answered (Client.blockedOn), as Redis's MIGRATE blocks its caller.

import type { Database } from '../engine/database.js';
import { EXPIRE_NONE } from '../engine/database.js';
import { NO_EXPIRE } from '../engine/shard.js';
import {
  ERR_BAD_DATA_FORMAT,
  ERR_BUSYKEY,
  ERR_DUMP_PAYLOAD,
  ERR_MIGRATE_CONNECT,
  ERR_MIGRATE_IN_MULTI,
  ERR_MIGRATE_IO,
  ERR_MIGRATE_KEYS_KEY,
  ERR_MIGRATE_TARGET,
  ERR_NOT_INTEGER,
  ERR_RESTORE_FREQ,
  ERR_RESTORE_IDLETIME,
  ERR_RESTORE_TTL,
  ERR_SYNTAX,
} from '../errors.js';
import { LinkError, MigrateLinks, type LinkReply } from '../persistence/migrate-link.js';
import { dumpString, loadString, verifyPayload } from '../persistence/rdb-payload.js';
import type { Client } from '../server/client.js';
import type { ServerCore } from '../server/core.js';
import { parseInt64 } from '../util/numbers.js';
import type { CommandFamily, CommandSpec } from './types.js';
import { isLfuPolicy } from '../eviction/lfu.js';

const RESTORE_COMPLEXITY =
  'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).';
const RESTORE_SYNTAX =
  'key ttl:integer serialized-value:string [REPLACE@3.0.0] [ABSTTL@5.0.0] [IDLETIME seconds:integer@5.0.0] [FREQ frequency:integer@5.0.0]';
const RESTORE_HISTORY: readonly (readonly [string, string])[] = [
  ['3.0.0', 'Added the `REPLACE` modifier.'],
  ['5.0.0', 'Added the `ABSTTL` modifier.'],
  ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
];

const restoreSpec = (name: string, extra: Partial<CommandSpec>): CommandSpec => ({
  name,
  arity: -4,
  flags: ['write', 'denyoom'],
  keys: [1, 1, 1],
  group: 'generic',
  since: '2.6.0',
  summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
  complexity: RESTORE_COMPLEXITY,
  aclCategories: ['@dangerous'],
  keySpecFlags: ['OW', 'update'],
  history: RESTORE_HISTORY,
  syntax: RESTORE_SYNTAX,
  handler: restore,
  ...extra,
});

export const migrateCommands: CommandFamily = [
  {
    name: 'dump',
    arity: 2,
    flags: ['readonly'],
    keys: [1, 1, 1],
    group: 'generic',
    since: '2.6.0',
    summary: 'Return a serialized version of the value stored at the specified key.',
    complexity:
      'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    tips: ['nondeterministic_output'],
    syntax: 'key',
    handler: dump,
  },
  restoreSpec('restore', {}),
  restoreSpec('restore-asking', {
    flags: ['write', 'denyoom', 'asking'],
    group: 'server',
    since: '3.0.0',
    summary: 'An internal command for migrating keys in a cluster',
    aclCategories: ['@keyspace', '@dangerous'],
  }),
  {
    name: 'migrate',
    arity: -6,
    flags: ['write'],
    keys: [3, 3, 1],
    group: 'generic',
    since: '2.6.0',
    summary: 'Atomically transfer a key from a Redis instance to another one.',
    complexity:
      'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
    aclCategories: ['@dangerous'],
    tips: ['nondeterministic_output'],
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 3 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ['RW', 'access', 'delete', 'incomplete'],
        begin: { keyword: 'KEYS', startFrom: -2 },
        find: { lastKey: -1, keyStep: 1, limit: 0 },
      },
    ],
    history: [
      ['3.0.0', 'Added the `COPY` and `REPLACE` options.'],
      ['3.0.6', 'Added the `KEYS` option.'],
      ['4.0.7', 'Added the `AUTH` option.'],
      ['6.0.0', 'Added the `AUTH2` option.'],
    ],
    syntax:
      'host port key:<key | EMPTY_STRING:""> destination-db:integer timeout:integer [COPY@3.0.0] [REPLACE@3.0.0] [authentication:<AUTH password@4.0.7 | AUTH2 username password@6.0.0>] [KEYS key@3.0.6 [key ...]]',
    getKeys: migrateKeys,
    handler: migrate,
  },
];

// DUMP key
function dump(c: Client, args: string[]): void {
  const value = c.db.read(args[1], c.now);
  if (value === null) c.reply.nullBulk();
  else c.reply.bulkBuffer(dumpString(value));
}

interface RestoreOptions {
  replace: boolean;
  absTtl: boolean;
  idleSeconds: number;
  freq: number;
}

/** Parses RESTORE's options in Redis's order; null once an error is written. */
function restoreOptions(c: Client, args: string[]): RestoreOptions | null {
  const options: RestoreOptions = { replace: false, absTtl: false, idleSeconds: -1, freq: -1 };
  for (let i = 4; i < args.length; i++) {
    const word = args[i].toLowerCase();
    const more = args.length - i - 1;
    if (word === 'replace') {
      options.replace = true;
    } else if (word === 'absttl') {
      options.absTtl = true;
    } else if (word === 'idletime' && more >= 1 && options.freq === -1) {
      const idle = parseInt64(args[++i]);
      if (idle === null) return fail(c, ERR_NOT_INTEGER);
      if (idle < 0) return fail(c, ERR_RESTORE_IDLETIME);
      options.idleSeconds = Number(idle);
    } else if (word === 'freq' && more >= 1 && options.idleSeconds === -1) {
      const freq = parseInt64(args[++i]);
      if (freq === null) return fail(c, ERR_NOT_INTEGER);
      if (freq < 0 || freq > 255) return fail(c, ERR_RESTORE_FREQ);
      options.freq = Number(freq);
    } else {
      return fail(c, ERR_SYNTAX);
    }
  }
  return options;
}

function fail(c: Client, error: string): null {
  c.reply.error(error);
  return null;
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
// RESTORE-ASKING takes the same arguments; the cluster router lets it in on an importing slot.
function restore(c: Client, args: string[]): void {
  const options = restoreOptions(c, args);
  if (options === null) return;
  const key = args[1];
  if (!options.replace && c.db.exists(key, c.now)) return c.reply.error(ERR_BUSYKEY);
  const ttl = parseInt64(args[2]);
  if (ttl === null) return c.reply.error(ERR_NOT_INTEGER);
  if (ttl < 0) return c.reply.error(ERR_RESTORE_TTL);
  const payload = Buffer.from(args[3], 'latin1');
  if (!verifyPayload(payload)) return c.reply.error(ERR_DUMP_PAYLOAD);
  const loaded = loadString(payload);
  // Lists, hashes and the other types Redis can send have no place in ringcache's string-only
  // engine; they are refused as a payload Redis could not read would be.
  if ('error' in loaded) return c.reply.error(ERR_BAD_DATA_FORMAT);
  let expireAt: number | bigint = NO_EXPIRE;
  if (ttl !== 0) {
    expireAt = options.absTtl ? ttl : typeof ttl === 'bigint' ? ttl + BigInt(c.now) : ttl + c.now;
    // An absolute time already past: Redis answers OK and creates nothing (the old key, if
    // REPLACE removed it, stays removed).
    if (expireAt <= c.now) {
      if (options.replace) c.db.delete(key, c.now);
      return c.reply.ok();
    }
  }
  // REPLACE: a new key, but in the old one's slot, so that a SCAN in progress still returns it.
  c.db.setAsNew(key, loaded.value, c.now, expireAt);
  applyAccessInfo(c, key, options);
  c.reply.ok();
}

/**
 * As Redis's objectSetLRUOrLFU: under an LFU policy FREQ becomes the key's counter (OBJECT FREQ,
 * LFU eviction); under any other, IDLETIME sets its last access back by that many seconds
 * (OBJECT IDLETIME, LRU eviction). The other option has no effect, as in Redis.
 */
function applyAccessInfo(c: Client, key: string, options: RestoreOptions): void {
  if (isLfuPolicy(c.server.config.get('maxmemory-policy'))) {
    if (options.freq >= 0) c.db.setEvictionMeta(key, options.freq, c.now);
  } else if (options.idleSeconds >= 0) {
    c.db.setAccessedAt(key, c.now - options.idleSeconds * 1000, c.now);
  }
}

/** MIGRATE's keys: the key argument, or every argument after KEYS (COMMAND GETKEYS, routing). */
function migrateKeys(args: readonly string[]): number[] {
  for (let i = 6; i < args.length; i++) {
    const word = args[i].toLowerCase();
    if (word === 'auth') i++;
    else if (word === 'auth2') i += 2;
    else if (word === 'keys' && args[3] === '') return Array.from({ length: args.length - i - 1 }, (_, k) => i + 1 + k);
  }
  return args[3] === '' ? [] : [3];
}

interface MigrateOptions {
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  keys: string[];
  db: number;
  timeoutMs: number;
}

/** Parses MIGRATE's arguments in Redis's order; null once an error is written. */
function migrateOptions(c: Client, args: string[]): MigrateOptions | null {
  const options: MigrateOptions = { copy: false, replace: false, username: null, password: null, keys: [args[3]], db: 0, timeoutMs: 0 };
  for (let i = 6; i < args.length; i++) {
    const word = args[i].toLowerCase();
    const more = args.length - 1 - i;
    if (word === 'copy') {
      options.copy = true;
    } else if (word === 'replace') {
      options.replace = true;
    } else if (word === 'auth') {
      if (more < 1) return fail(c, ERR_SYNTAX);
      options.password = args[++i];
    } else if (word === 'auth2') {
      if (more < 2) return fail(c, ERR_SYNTAX);
      options.username = args[++i];
      options.password = args[++i];
    } else if (word === 'keys') {
      if (args[3] !== '') return fail(c, ERR_MIGRATE_KEYS_KEY);
      options.keys = args.slice(i + 1);
      break;
    } else {
      return fail(c, ERR_SYNTAX);
    }
  }
  const timeout = parseInt64(args[5]);
  if (timeout === null) return fail(c, ERR_NOT_INTEGER);
  const db = parseInt64(args[4]);
  if (db === null) return fail(c, ERR_NOT_INTEGER);
  options.timeoutMs = timeout <= 0 ? 1000 : Math.min(Number(timeout), 2 ** 31 - 1);
  options.db = Number(db);
  return options;
}

const linksByServer = new WeakMap<ServerCore, MigrateLinks>();

function linksOf(server: ServerCore): MigrateLinks {
  let links = linksByServer.get(server);
  if (links === undefined) {
    links = new MigrateLinks();
    linksByServer.set(server, links);
  }
  return links;
}

/** A key as it was sent: deleted after the target's OK only if still the same value. */
interface SentKey {
  key: string;
  value: string;
}

// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
//   [AUTH2 username password] [KEYS key [key ...]]
function migrate(c: Client, args: string[]): void {
  const options = migrateOptions(c, args);
  if (options === null) return;
  if (c.multi !== null) return c.reply.error(ERR_MIGRATE_IN_MULTI);
  const present = options.keys.filter((key) => c.db.read(key, c.now) !== null);
  if (present.length === 0) return c.reply.simple('NOKEY');
  const port = Number(args[2]);
  // Other clients' writes to these keys wait until the target has answered (see client-pause.ts);
  // COPY deletes nothing here afterwards, so there is nothing a write could lose.
  const dbIndex = c.dbIndex;
  const locked = options.copy ? [] : present;
  c.server.pause.lockKeys(dbIndex, locked);
  c.blockedOn = runMigration(c, c.db, args[1], port, present, options)
    .catch((err: unknown) => {
      c.server.stats.internalErrors++;
      c.reply.error(`ERR internal error while running 'migrate': ${(err as Error).message}`);
    })
    .finally(() => c.server.pause.unlockKeys(dbIndex, locked));
}

/**
 * The network half of MIGRATE: Redis's try-once-more on a stale cached socket, then the
 * replies matched to the keys. Writes MIGRATE's reply to the client when done.
 */
async function runMigration(c: Client, db: Database, host: string, port: number, keys: string[], options: MigrateOptions): Promise<void> {
  const links = linksOf(c.server);
  for (let attempt = 0; ; attempt++) {
    try {
      const link = await links.get(host, port, options.timeoutMs);
      const now = c.server.clock.now();
      const sent = keysToSend(db, keys, now);
      const select = link.lastDbId !== options.db;
      const request = migrateRequest(c, sent, select, options);
      const preamble = (options.password !== null ? 1 : 0) + (select ? 1 : 0);
      let replies: LinkReply[];
      try {
        replies = await link.request(request, preamble + sent.length, options.timeoutMs);
      } catch (err) {
        if (!(err instanceof LinkError)) throw err;
        link.close();
        // Nothing was answered for a key and the socket simply failed: Redis retries once.
        if (err.replies.length <= preamble && !err.timedOut && attempt === 0) continue;
        const reported = settleReplies(c, db, link, sent, err.replies, preamble, options);
        if (reported === null) c.reply.error(ERR_MIGRATE_IO('reading'));
        return;
      }
      const error = settleReplies(c, db, link, sent, replies, preamble, options);
      if (error === null) {
        link.lastDbId = options.db;
        c.reply.ok();
      }
      return;
    } catch (err) {
      if (!(err instanceof LinkError)) throw err;
      links.drop(host, port);
      if (err.phase === 'connecting') return c.reply.error(ERR_MIGRATE_CONNECT);
      if (!err.timedOut && attempt === 0) continue;
      return c.reply.error(ERR_MIGRATE_IO(err.phase === 'reading' ? 'reading' : 'writing'));
    }
  }
}

/** The keys still live at send time, with their values (keys that expired meanwhile are skipped). */
function keysToSend(db: Database, keys: string[], now: number): (SentKey & { ttl: number })[] {
  const out: (SentKey & { ttl: number })[] = [];
  for (const key of keys) {
    const value = db.peek(key, now);
    if (value === null) continue;
    const expireAt = db.getExpireAt(key, now);
    const ttl = expireAt === EXPIRE_NONE ? 0 : Math.max(1, expireAt - now);
    out.push({ key, value, ttl });
  }
  return out;
}

/** AUTH, SELECT and one RESTORE (RESTORE-ASKING in cluster mode) per key, as one RESP batch. */
function migrateRequest(c: Client, keys: (SentKey & { ttl: number })[], select: boolean, options: MigrateOptions): Buffer {
  const parts: Buffer[] = [];
  if (options.password !== null) {
    parts.push(command(options.username === null ? ['AUTH', options.password] : ['AUTH', options.username, options.password]));
  }
  if (select) parts.push(command(['SELECT', String(options.db)]));
  const restoreName = c.server.cluster !== null ? 'RESTORE-ASKING' : 'RESTORE';
  for (const { key, value, ttl } of keys) {
    const restoreArgs: (string | Buffer)[] = [restoreName, key, String(ttl), dumpString(value)];
    if (options.replace) restoreArgs.push('REPLACE');
    parts.push(command(restoreArgs));
  }
  return Buffer.concat(parts);
}

function command(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/**
 * Deletes (without COPY) every key the target took, and writes the target's first error if any
 * (Redis reports one: AUTH's, else SELECT's, else the first RESTORE's). Returns that error.
 */
function settleReplies(
  c: Client,
  db: Database,
  link: { lastDbId: number },
  sent: SentKey[],
  replies: LinkReply[],
  preamble: number,
  options: MigrateOptions,
): string | null {
  const preambleError = replies.slice(0, preamble).find((r) => r.error !== null)?.error ?? null;
  let reported: string | null = null;
  const now = c.server.clock.now();
  for (let i = 0; i < sent.length && preamble + i < replies.length; i++) {
    const restoreError = replies[preamble + i].error;
    if (preambleError !== null || restoreError !== null) {
      if (reported === null) {
        reported = preambleError ?? restoreError;
        link.lastDbId = -1;
        c.reply.error(ERR_MIGRATE_TARGET(reported as string));
      }
    } else if (!options.copy && db.peek(sent[i].key, now) === sent[i].value) {
      // A client may have written the key while the target was answering; that newer value
      // stays (and moves with the next MIGRATE) rather than being lost.
      db.delete(sent[i].key, now);
    }
  }
  return reported;
}
