// Keyspace commands: DEL, UNLINK, EXISTS, TYPE, DBSIZE, FLUSHDB, FLUSHALL, KEYS, SCAN, RANDOMKEY,
// RENAME, RENAMENX, TOUCH, MOVE, COPY, SWAPDB, OBJECT, WAIT, LASTSAVE.
//
// Which lookups count keyspace hits/misses and refresh a key's access time follows Redis 7.0:
// reads count (EXISTS, TYPE, OBJECT and SCAN's TYPE filter without touching the key), writes
// refresh the access time without counting, DEL/UNLINK/KEYS/RANDOMKEY do neither.

import {
  ERR_COPY_CLUSTER,
  ERR_DB_INDEX,
  ERR_INT_RANGE,
  ERR_INVALID_CURSOR,
  ERR_LFU_NOT_SELECTED,
  ERR_LFU_SELECTED,
  ERR_MOVE_CLUSTER,
  ERR_NO_SUCH_KEY,
  ERR_NOT_INTEGER,
  ERR_SAME_OBJECT,
  ERR_SWAPDB_CLUSTER,
  ERR_SWAPDB_FIRST_INDEX,
  ERR_SWAPDB_SECOND_INDEX,
  ERR_SYNTAX,
  ERR_TIMEOUT_INVALID,
  ERR_TIMEOUT_NEGATIVE,
} from '../errors.js';
import type { Database } from '../engine/database.js';
import { stringEncoding } from '../engine/encoding.js';
import { parseScanCursor, scanKeys } from '../engine/scan.js';
import type { Client } from '../server/client.js';
import { globMatch } from '../util/glob.js';
import { parseInt64 } from '../util/numbers.js';
import { isLfuPolicy, lfuDecrAndReturn } from '../eviction/lfu.js';
import type { CommandFamily, CommandSpec, Handler } from './types.js';

export const keyspaceCommands: CommandFamily = [
  {
    name: 'del',
    arity: -2,
    flags: ['write'],
    keys: [1, -1, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Delete a key',
    complexity:
      'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    syntax: 'key [key ...]',
    handler: del,
  },
  {
    name: 'unlink',
    arity: -2,
    flags: ['write', 'fast'],
    keys: [1, -1, 1],
    group: 'generic',
    since: '4.0.0',
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    complexity:
      'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    syntax: 'key [key ...]',
    handler: del,
  },
  {
    name: 'exists',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: [1, -1, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Determine if a key exists',
    complexity: 'O(N) where N is the number of keys to check.',
    syntax: 'key [key ...]',
    handler: exists,
  },
  {
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Determine the type stored at key',
    complexity: 'O(1)',
    syntax: 'key',
    handler: type,
  },
  {
    name: 'dbsize',
    arity: 1,
    flags: ['readonly', 'fast'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Return the number of keys in the selected database',
    complexity: 'O(1)',
    aclCategories: ['@keyspace'],
    syntax: '',
    handler: dbsize,
  },
  {
    name: 'flushdb',
    arity: -1,
    flags: ['write'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Remove all keys from the current database',
    complexity: 'O(N) where N is the number of keys in the selected database',
    aclCategories: ['@keyspace', '@dangerous'],
    syntax: '[ASYNC | SYNC]',
    handler: flushdb,
  },
  {
    name: 'flushall',
    arity: -1,
    flags: ['write'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Remove all keys from all databases',
    complexity: 'O(N) where N is the total number of keys in all databases',
    aclCategories: ['@keyspace', '@dangerous'],
    syntax: '[ASYNC | SYNC]',
    handler: flushall,
  },
  {
    name: 'keys',
    arity: 2,
    flags: ['readonly'],
    keys: [0, 0, 0],
    group: 'generic',
    since: '1.0.0',
    summary: 'Find all keys matching the given pattern',
    complexity:
      'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    aclCategories: ['@dangerous'],
    syntax: 'pattern',
    handler: keys,
  },
  {
    name: 'scan',
    arity: -2,
    flags: ['readonly'],
    keys: [0, 0, 0],
    group: 'generic',
    since: '2.8.0',
    summary: 'Incrementally iterate the keys space',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    syntax: 'cursor [MATCH pattern] [COUNT count] [TYPE type]',
    handler: scan,
  },
  {
    name: 'randomkey',
    arity: 1,
    flags: ['readonly'],
    keys: [0, 0, 0],
    group: 'generic',
    since: '1.0.0',
    summary: 'Return a random key from the keyspace',
    complexity: 'O(1)',
    syntax: '',
    handler: randomkey,
  },
  {
    name: 'rename',
    arity: 3,
    flags: ['write'],
    keys: [1, 2, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Rename a key',
    complexity: 'O(1)',
    syntax: 'key newkey',
    handler: (c, args) => rename(c, args, false),
  },
  {
    name: 'renamenx',
    arity: 3,
    flags: ['write', 'fast'],
    keys: [1, 2, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Rename a key, only if the new key does not exist',
    complexity: 'O(1)',
    syntax: 'key newkey',
    handler: (c, args) => rename(c, args, true),
  },
  {
    name: 'touch',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: [1, -1, 1],
    group: 'generic',
    since: '3.2.1',
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    syntax: 'key [key ...]',
    handler: touch,
  },
  {
    name: 'move',
    arity: 3,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    group: 'generic',
    since: '1.0.0',
    summary: 'Move a key to another database',
    complexity: 'O(1)',
    syntax: 'key db',
    handler: move,
  },
  {
    name: 'copy',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, 2, 1],
    group: 'generic',
    since: '6.2.0',
    summary: 'Copy a key',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    syntax: 'source destination [DB destination-db] [REPLACE]',
    handler: copy,
  },
  {
    name: 'swapdb',
    arity: 3,
    flags: ['write', 'fast'],
    keys: [0, 0, 0],
    group: 'server',
    since: '4.0.0',
    summary: 'Swaps two Redis databases',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    aclCategories: ['@keyspace', '@dangerous'],
    syntax: 'index1 index2',
    handler: swapdb,
  },
  {
    name: 'object',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'generic',
    since: '2.2.3',
    summary: 'A container for object introspection commands',
    complexity: 'Depends on subcommand.',
    subcommands: [
      objectSubcommand('encoding', '2.2.3', 'Inspect the internal encoding of a Redis object', objectEncoding),
      objectSubcommand('freq', '4.0.0', 'Get the logarithmic access frequency counter of a Redis object', objectFreq),
      objectSubcommand('idletime', '2.2.3', 'Get the time since a Redis object was last accessed', objectIdletime),
      objectSubcommand('refcount', '2.2.3', 'Get the number of references to the value of the key', objectRefcount),
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        group: 'generic',
        since: '6.2.0',
        summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)',
        aclCategories: ['@keyspace'],
        syntax: '',
        handler: objectHelp,
      },
    ],
  },
  {
    name: 'wait',
    arity: 3,
    flags: ['noscript'],
    keys: [0, 0, 0],
    group: 'generic',
    since: '3.0.0',
    summary:
      'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
    complexity: 'O(1)',
    aclCategories: ['@connection'],
    syntax: 'numreplicas timeout',
    handler: wait,
  },
  {
    name: 'lastsave',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Get the UNIX time stamp of the last successful save to disk',
    complexity: 'O(1)',
    aclCategories: ['@admin', '@dangerous'],
    syntax: '',
    handler: lastsave,
  },
];

function objectSubcommand(name: string, since: string, summary: string, handler: Handler): CommandSpec {
  return { name, arity: 3, flags: ['readonly'], keys: [2, 2, 1], group: 'generic', since, summary, complexity: 'O(1)', syntax: 'key', handler };
}

// DEL key [key ...] / UNLINK key [key ...]
function del(c: Client, args: string[]): void {
  let deleted = 0;
  for (let i = 1; i < args.length; i++) if (c.db.delete(args[i], c.now)) deleted++;
  c.reply.integer(deleted);
}

// EXISTS key [key ...]: a key named twice counts twice.
function exists(c: Client, args: string[]): void {
  let found = 0;
  for (let i = 1; i < args.length; i++) if (c.db.read(args[i], c.now, false) !== null) found++;
  c.reply.integer(found);
}

// TYPE key
function type(c: Client, args: string[]): void {
  c.reply.simple(c.db.read(args[1], c.now, false) === null ? 'none' : 'string');
}

// DBSIZE: keys whose TTL passed but that were not reclaimed yet still count, as in Redis.
function dbsize(c: Client): void {
  c.reply.integer(c.db.size);
}

// FLUSHDB [ASYNC|SYNC]: both flavours free at once: dropping the shards' columns is O(shards),
// and the garbage collector reclaims the rest off the command path.
function flushdb(c: Client, args: string[]): void {
  if (!flushModeOk(args)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.db.flush();
  c.reply.ok();
}

// FLUSHALL [ASYNC|SYNC]
function flushall(c: Client, args: string[]): void {
  if (!flushModeOk(args)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.server.keyspace.flushAll();
  c.reply.ok();
}

function flushModeOk(args: string[]): boolean {
  if (args.length === 1) return true;
  const mode = args[1].toLowerCase();
  return args.length === 2 && (mode === 'async' || mode === 'sync');
}

// KEYS pattern
function keys(c: Client, args: string[]): void {
  const pattern = args[1];
  const all = pattern === '*';
  const found: string[] = [];
  for (const key of c.db.liveKeys(c.now)) if (all || globMatch(pattern, key)) found.push(key);
  c.reply.bulkArray(found);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scan(c: Client, args: string[]): void {
  const cursor = parseScanCursor(args[1]);
  if (cursor === null) {
    c.reply.error(ERR_INVALID_CURSOR);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i].toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === 'count' && hasValue) {
      const n = parseInt64(args[i + 1]);
      if (n === null) {
        c.reply.error(ERR_NOT_INTEGER);
        return;
      }
      if (n < 1) {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      count = Math.min(Number(n), 2 ** 31);
    } else if (option === 'match' && hasValue) {
      pattern = args[i + 1] === '*' ? null : args[i + 1];
    } else if (option === 'type' && hasValue) {
      typeName = args[i + 1].toLowerCase();
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const batch = scanKeys(c.db, cursor, count);
  const found = batch.keys.filter((key) => scanKeeps(c, key, pattern, typeName));
  c.reply.array(2);
  c.reply.bulk(String(batch.cursor));
  c.reply.bulkArray(found);
}

/**
 * SCAN's filters in Redis 7.0's order: the pattern; then the type, looked up as a read (counting
 * a hit or miss); then expiry, which deletes a stale key. A key that the type lookup found
 * stale is already gone by the expiry check, so `TYPE none` returns it, as Redis does.
 */
function scanKeeps(c: Client, key: string, pattern: string | null, typeName: string | null): boolean {
  if (pattern !== null && !globMatch(pattern, key)) return false;
  if (typeName !== null) {
    const live = c.db.read(key, c.now, false) !== null;
    if (typeName !== (live ? 'string' : 'none')) return false;
    if (!live) return true;
  }
  return c.db.exists(key, c.now);
}

// RANDOMKEY
function randomkey(c: Client): void {
  const key = c.db.randomKey(c.now);
  if (key === null) c.reply.nullBulk();
  else c.reply.bulk(key);
}

// RENAME key newkey / RENAMENX key newkey: the value keeps its TTL under the new name.
function rename(c: Client, args: string[], nx: boolean): void {
  const [, source, dest] = args;
  if (!c.db.touch(source, c.now)) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  if (source === dest) {
    if (nx) c.reply.integer(0);
    else c.reply.ok();
    return;
  }
  if (nx && c.db.touch(dest, c.now)) {
    c.reply.integer(0);
    return;
  }
  c.db.copyTo(source, c.db, dest, c.now, true);
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

// TOUCH key [key ...]
function touch(c: Client, args: string[]): void {
  let found = 0;
  for (let i = 1; i < args.length; i++) if (c.db.read(args[i], c.now) !== null) found++;
  c.reply.integer(found);
}

// MOVE key db
function move(c: Client, args: string[]): void {
  if (c.server.config.getBool('cluster-enabled')) {
    c.reply.error(ERR_MOVE_CLUSTER);
    return;
  }
  const target = targetDatabase(c, args[2]);
  if (typeof target === 'string') {
    c.reply.error(target);
    return;
  }
  if (target === c.db) {
    c.reply.error(ERR_SAME_OBJECT);
    return;
  }
  const key = args[1];
  if (!c.db.touch(key, c.now) || target.touch(key, c.now)) {
    c.reply.integer(0);
    return;
  }
  c.db.copyTo(key, target, key, c.now, true);
  c.reply.integer(1);
}

// COPY source destination [DB destination-db] [REPLACE]
function copy(c: Client, args: string[]): void {
  let target = c.db;
  let replace = false;
  for (let i = 3; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'replace') {
      replace = true;
    } else if (option === 'db' && i + 1 < args.length) {
      const db = targetDatabase(c, args[++i]);
      if (typeof db === 'string') {
        c.reply.error(db);
        return;
      }
      target = db;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (c.server.config.getBool('cluster-enabled') && (c.db.id !== 0 || target.id !== 0)) {
    c.reply.error(ERR_COPY_CLUSTER);
    return;
  }
  const [, source, dest] = args;
  if (target === c.db && source === dest) {
    c.reply.error(ERR_SAME_OBJECT);
    return;
  }
  if (c.db.read(source, c.now) === null || (target.touch(dest, c.now) && !replace)) {
    c.reply.integer(0);
    return;
  }
  c.db.copyTo(source, target, dest, c.now, false);
  c.reply.integer(1);
}

/** The database a MOVE or COPY names, or the error to reply. */
function targetDatabase(c: Client, text: string): Database | string {
  const index = parseInt32(text);
  if (typeof index === 'string') return index;
  const databases = c.server.keyspace.databases;
  if (index < 0 || index >= databases.length) return ERR_DB_INDEX;
  return databases[index];
}

/** Redis's getIntFromObjectOrReply: a 64-bit integer first, then the 32-bit range check. */
function parseInt32(text: string): number | string {
  const n = parseInt64(text);
  if (n === null) return ERR_NOT_INTEGER;
  if (n < -2147483648 || n > 2147483647) return ERR_INT_RANGE;
  return Number(n);
}

// SWAPDB index1 index2
function swapdb(c: Client, args: string[]): void {
  if (c.server.config.getBool('cluster-enabled')) {
    c.reply.error(ERR_SWAPDB_CLUSTER);
    return;
  }
  const first = parseInt32(args[1]);
  if (typeof first === 'string') {
    c.reply.error(ERR_SWAPDB_FIRST_INDEX);
    return;
  }
  const second = parseInt32(args[2]);
  if (typeof second === 'string') {
    c.reply.error(ERR_SWAPDB_SECOND_INDEX);
    return;
  }
  if (!c.server.keyspace.swap(first, second)) {
    c.reply.error(ERR_DB_INDEX);
    return;
  }
  c.reply.ok();
}

/** Redis's OBJ_SHARED_INTEGERS: values 0..9999 share one preallocated object when allowed. */
const SHARED_INTEGERS = 10000;
/** The refcount Redis reports for a shared object (OBJ_SHARED_REFCOUNT = INT_MAX). */
export const SHARED_REFCOUNT = 2147483647;

// OBJECT ENCODING key
function objectEncoding(c: Client, args: string[]): void {
  const value = c.db.read(args[2], c.now, false);
  if (value === null) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulk(stringEncoding(value, c.db.encodingHint(args[2], c.now)));
}


// OBJECT FREQ key
function objectFreq(c: Client, args: string[]): void {
  const key = args[2];
  if (c.db.read(key, c.now, false) === null) {
    c.reply.nullBulk();
    return;
  }
  if (!lfuPolicy(c)) {
    c.reply.error(ERR_LFU_NOT_SELECTED);
    return;
  }
  // The stored counter, decayed by the idle time as Redis's LFUDecrAndReturn (not stored back).
  const decayMinutes = c.server.config.getNumber('lfu-decay-time');
  c.reply.integer(lfuDecrAndReturn(c.db.evictionMeta(key, c.now), c.db.accessedAt(key, c.now), c.now, decayMinutes));
}

// OBJECT IDLETIME key: whole seconds since the last access.
function objectIdletime(c: Client, args: string[]): void {
  const key = args[2];
  if (c.db.read(key, c.now, false) === null) {
    c.reply.nullBulk();
    return;
  }
  if (lfuPolicy(c)) {
    c.reply.error(ERR_LFU_SELECTED);
    return;
  }
  c.reply.integer(Math.max(0, Math.floor((c.now - c.db.accessedAt(key, c.now)) / 1000)));
}

// OBJECT REFCOUNT key
function objectRefcount(c: Client, args: string[]): void {
  const key = args[2];
  const value = c.db.read(key, c.now, false);
  if (value === null) {
    c.reply.nullBulk();
    return;
  }
  const shared =
    stringEncoding(value, c.db.encodingHint(key, c.now)) === 'int' && sharesIntegers(c) && isSharedInteger(value);
  c.reply.integer(shared ? SHARED_REFCOUNT : 1);
}

export function isSharedInteger(value: string): boolean {
  if (value.length > 4) return false;
  const n = parseInt64(value);
  return n !== null && n >= 0 && n < SHARED_INTEGERS;
}

/** Redis stops sharing integers under a maxmemory LRU/LFU policy, which needs per-key access data. */
export function sharesIntegers(c: Client): boolean {
  const policy = c.server.config.get('maxmemory-policy');
  return c.server.config.getNumber('maxmemory') === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

function lfuPolicy(c: Client): boolean {
  return isLfuPolicy(c.server.config.get('maxmemory-policy'));
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

// OBJECT HELP
function objectHelp(c: Client): void {
  c.reply.array(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) c.reply.simple(line);
}

// WAIT numreplicas timeout: there are no replicas, so nothing to wait for. Redis would block
// for the timeout (forever with 0) when asked for more replicas than it has; ringcache answers
// 0 at once rather than hold the client for acknowledgements that cannot come.
function wait(c: Client, args: string[]): void {
  if (parseInt64(args[1]) === null) {
    c.reply.error(ERR_NOT_INTEGER);
    return;
  }
  const timeout = parseInt64(args[2]);
  if (timeout === null) {
    c.reply.error(ERR_TIMEOUT_INVALID);
    return;
  }
  if (timeout < 0) {
    c.reply.error(ERR_TIMEOUT_NEGATIVE);
    return;
  }
  c.reply.integer(0);
}

// LASTSAVE: nothing is ever saved; like a Redis that never saved, it reports its start time.
function lastsave(c: Client): void {
  c.reply.integer(Math.floor(c.server.startedAt / 1000));
}
