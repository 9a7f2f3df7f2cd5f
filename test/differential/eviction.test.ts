// The maxmemory / eviction surface against redis-server: refusals under noeviction, transactions
// over the limit, every policy at `maxmemory 1`, OBJECT FREQ / IDLETIME, the eviction parameters
// of CONFIG, and the maxmemory lines of INFO.
//
// Both servers are driven over their limit deterministically: keys are stored first, then
// `CONFIG SET maxmemory 1`, which neither used_memory is ever below. used_memory itself differs
// (ringcache accounts memory logically), so INFO replies are masked down to the lines that do
// not depend on it. What is left out, and why:
// - allkeys-sieve, allkeys-s3fifo and their volatile- variants: ringcache's own policies, which
//   Redis refuses by name (the refusal text is compared; their behaviour is tested in-process in
//   test/eviction/own-policies-oom.test.ts).
// - OBJECT FREQ of a key stored before an LFU policy was selected, OBJECT IDLETIME after leaving
//   an LFU policy: Redis reads the other policy's bits of the same field (its LRU clock as an LFU
//   counter, or the reverse), which is clock-dependent noise ("LRU and LFU data will take some
//   time to adjust"); ringcache starts such keys at LFU_INIT_VAL and keeps the access time apart.
// - Small integers under an LFU policy with maxmemory 0: Redis shares one object for 0..9999, whose
//   FREQ is that shared object's. The tests use other values.
// - LFU counters are compared with lfu-log-factor 0 (each access adds one, on both servers) and
//   lfu-decay-time 0 (a minute boundary between two commands would otherwise decay them).

import { Differential, infoFields, same, sortedArray, sortedPairs, sortedScan, type Step } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { dumpString } from '../../src/persistence/rdb-payload.js';

/** What a test may change on the shared redis-server, with its defaults. */
const REDIS_DEFAULTS: string[][] = [
  ['maxmemory', '0'],
  ['maxmemory-policy', 'noeviction'],
  ['maxmemory-samples', '5'],
  ['maxmemory-eviction-tenacity', '10'],
  ['lfu-log-factor', '10'],
  ['lfu-decay-time', '1'],
  ['maxmemory-clients', '0'],
];

/** A mask for `INFO stats`: the section's title, its field names in order, and evicted_keys's value. */
function statsShape(reply: string): string {
  const lines = reply.split('\r\n').slice(1).filter((line) => line !== '');
  return lines.map((line) => (line.startsWith('evicted_keys:') || line.startsWith('#') ? line : line.split(':')[0])).join('\n');
}

/**
 * allkeys-lfu with every access adding exactly one to the counter and no decay, so OBJECT FREQ
 * counts accesses on both servers alike.
 */
const COUNTING_LFU: Step[] = [
  ['CONFIG', 'SET', 'lfu-decay-time', '0'],
  ['CONFIG', 'SET', 'lfu-log-factor', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
];

/** Sets a parameter and reads it back. */
function setAndGet(name: string, value: string): Step[] {
  return [['CONFIG', 'SET', name, value], ['CONFIG', 'GET', name]];
}

describe('differential: maxmemory and eviction', () => {
  const diff = Differential.suite();

  async function onRedis(commands: string[][]): Promise<void> {
    const control = await RawClient.connect(diff.redisPort);
    for (const command of commands) await control.call(...command);
    await control.close();
  }

  // The redis-server is shared by the whole suite: each test starts from zeroed statistics (for
  // evicted_keys) and puts back every eviction parameter it may have changed.
  beforeEach(() => onRedis([['CONFIG', 'RESETSTAT']]));
  afterEach(() => onRedis(REDIS_DEFAULTS.map(([name, value]) => ['CONFIG', 'SET', name, value])));

  /** Stores keys in databases 0, 1 and 3 (one with a TTL), then goes over the limit. */
  const OVER_THE_LIMIT: Step[] = [
    ['MSET', 'a', '1', 'b', '2', 's', 'hello', 'n', '10', 'f', '1.5', 'del', 'x', 'gone', 'y'],
    ['SET', 't', 'v', 'EX', '1000'],
    ['SELECT', '1'],
    ['SET', 'k1', 'x'],
    ['SELECT', '3'],
    ['SET', 'only', 'x'],
    ['SELECT', '0'],
    ['CONFIG', 'SET', 'maxmemory', '1'],
  ];

  describe('noeviction over the limit', () => {
    same(diff, 'every denyoom command is refused, whatever its options, after the arity check', [
      ...OVER_THE_LIMIT,
      ['SET', 'a', '2'],
      ['SET', 'new', 'v'],
      ['SET', 'a', 'v', 'NX'],
      ['SET', 'a', 'v', 'XX'],
      ['SET', 'a', 'v', 'GET'],
      ['SET', 'a', 'v', 'EX', '10'],
      ['SET', 'a', 'v', 'PX', '10'],
      ['SET', 'a', 'v', 'EXAT', '99999999999'],
      ['SET', 'a', 'v', 'PXAT', '99999999999999'],
      ['SET', 'a', 'v', 'KEEPTTL'],
      ['SET', 'a', 'v', 'NX', 'GET', 'EX', '5'],
      // Refused before the options are parsed: OOM, not a syntax error.
      ['SET', 'a', 'v', 'BOGUS'],
      ['SET', 'a', 'v', 'EX', 'x'],
      ['SET', 'a'],
      ['SETNX', 'a', '1'],
      ['SETNX', 'zz', '1'],
      ['SETEX', 'a', '10', 'v'],
      ['SETEX', 'a', '0', 'v'],
      ['PSETEX', 'a', '10', 'v'],
      ['SETEX', 'a', '10'],
      ['MSET', 'a', '1'],
      ['MSET', 'a', '1', 'b'],
      ['MSET', 'a'],
      ['MSETNX', 'q', '1'],
      ['MSETNX', 'a', '1'],
      ['APPEND', 's', 'x'],
      ['APPEND', 's', ''],
      ['SETRANGE', 's', '0', 'x'],
      ['SETRANGE', 's', '0', ''],
      ['SETRANGE', 's', '-1', 'x'],
      ['INCR', 'n'],
      ['INCR', 's'],
      ['INCRBY', 'n', '1'],
      ['INCRBY', 'n', 'x'],
      ['INCRBYFLOAT', 'f', '1'],
      ['DECR', 'n'],
      ['DECRBY', 'n', '1'],
      ['GETSET', 'a', 'z'],
      ['COPY', 'a', 'c'],
      ['COPY', 'missing', 'c'],
      ['COPY', 'a', 'a'],
      ['RESTORE', 'r', '0', dumpString('10')],
      ['RESTORE', 'r', '0', 'bad payload'],
      ['MGET', 'a', 'b', 's', 'n', 'f', 'zz', 'q', 'c', 'r', 'new'],
    ]);

    same(diff, 'writes that are not denyoom run: deletions, expiry, renames, moves, flushes', [
      ...OVER_THE_LIMIT,
      ['GETEX', 'a', 'EX', '100'],
      ['GETEX', 'a', 'PERSIST'],
      ['GETEX', 'missing'],
      ['GETDEL', 'b'],
      ['GETDEL', 'b'],
      ['DEL', 'del', 'missing'],
      ['UNLINK', 'gone', 'missing'],
      ['EXPIRE', 'a', '100'],
      ['PEXPIRE', 'a', '100000'],
      ['EXPIREAT', 'a', '99999999999'],
      ['PEXPIREAT', 'a', '99999999999999'],
      ['EXPIRE', 'a', '100', 'GT'],
      ['PERSIST', 'a'],
      ['PERSIST', 'a'],
      ['EXPIRE', 'missing', '100'],
      ['TTL', 'a'],
      ['RENAME', 'a', 'a2'],
      ['RENAMENX', 'a2', 'a3'],
      ['RENAME', 'missing', 'x'],
      ['MOVE', 'a3', '2'],
      ['TOUCH', 's', 'missing'],
      ['SWAPDB', '0', '1'],
      ['DBSIZE'],
      ['SWAPDB', '0', '1'],
      ['DBSIZE'],
      // A key whose expiry is in the past is deleted, even over the limit.
      ['EXPIRE', 'n', '-1'],
      ['EXISTS', 'n'],
      ['SELECT', '1'],
      ['FLUSHDB'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['DBSIZE'],
      ['FLUSHALL'],
      ['DBSIZE'],
      // Empty, and still over a limit of one byte.
      ['SET', 'x', 'y'],
    ]);

    same(diff, 'reads work', [
      ...OVER_THE_LIMIT,
      ['GET', 's'],
      ['GET', 'missing'],
      ['MGET', 's', 'n', 'missing'],
      ['STRLEN', 's'],
      ['GETRANGE', 's', '0', '1'],
      ['SUBSTR', 's', '1', '-1'],
      ['LCS', 's', 'a'],
      ['EXISTS', 's', 'missing', 't'],
      { cmd: ['TTL', 't'], tolerance: 1 },
      ['PTTL', 'missing'],
      ['EXPIRETIME', 'missing'],
      ['TYPE', 's'],
      ['DBSIZE'],
      { cmd: ['SCAN', '0', 'COUNT', '100'], mask: sortedScan },
      { cmd: ['KEYS', '*'], mask: sortedArray },
      ['OBJECT', 'ENCODING', 's'],
      ['DUMP', 'n'],
      ['SELECT', '3'],
      ['RANDOMKEY'],
      ['SELECT', '0'],
      ['PING'],
      ['ECHO', 'x'],
      ['PUBLISH', 'ch', 'm'],
      ['MEMORY', 'USAGE', 'missing'],
      // avg_ttl is an estimate each server updates on its own schedule (the bulk length with it).
      { cmd: ['INFO', 'keyspace'], mask: (r) => r.replace(/avg_ttl=\d+/g, 'avg_ttl=*').replace(/^\$\d+/, '$') },
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['SET', 'late', '1'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['GET', 'late'],
    ]);

    same(diff, 'unknown commands and arity errors come before the memory check', [
      ...OVER_THE_LIMIT,
      ['NOSUCHCOMMAND', 'x'],
      ['SET'],
      ['INCR'],
      ['MSETNX', 'a'],
      ['RESTORE', 'r', '0'],
      ['CONFIG', 'BOGUS'],
    ]);
  });

  describe('MULTI/EXEC over the limit', () => {
    same(diff, 'inside MULTI every command but EXEC, DISCARD and RESET is refused, reads too', [
      ['SET', 'a', '1'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['MULTI'],
      ['GET', 'a'],
      ['SET', 'b', '1'],
      ['EXEC'],
      ['GET', 'b'],
      ['MULTI'],
      ['GET', 'a'],
      ['DEL', 'zz'],
      ['EXEC'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'b', '1'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['EXEC'],
      ['MULTI'],
      ['WATCH', 'a'],
      ['EXEC'],
      ['MULTI'],
      ['EXEC'],
      ['MULTI'],
      ['RESET'],
      ['EXEC'],
      ['DISCARD'],
    ]);

    same(diff, 'a transaction queued under the limit whose EXEC comes over it', [
      ['SET', 'a', '1'],
      // Reads only: EXEC runs them.
      ['MULTI'],
      { cmd: ['GET', 'a'] },
      { cmd: ['CONFIG', 'SET', 'maxmemory', '1'], client: 1 },
      ['STRLEN', 'a'],
      ['EXEC'],
      // A denyoom command queued: EXEC itself is refused and the transaction discarded.
      { cmd: ['CONFIG', 'SET', 'maxmemory', '0'], client: 1 },
      ['MULTI'],
      ['GET', 'a'],
      ['SET', 'b', '1'],
      { cmd: ['CONFIG', 'SET', 'maxmemory', '1'], client: 1 },
      ['EXEC'],
      ['EXEC'],
      ['GET', 'b'],
      // The limit lowered inside the transaction itself: the writes after it still run.
      { cmd: ['CONFIG', 'SET', 'maxmemory', '0'], client: 1 },
      ['MULTI'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SET', 'c', '1'],
      ['INCR', 'a'],
      ['EXEC'],
      ['MGET', 'a', 'c'],
      ['SET', 'd', '1'],
    ]);

    same(diff, 'WATCH: an eviction touches the watched key, a refused EXEC unwatches', [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['CONFIG', 'SET', 'maxmemory', '1'], client: 1 },
      ['MULTI'],
      ['EXEC'],
      { cmd: ['CONFIG', 'SET', 'maxmemory', '0'], client: 1 },
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      ['MULTI'],
      ['SET', 'b', '2'],
      { cmd: ['CONFIG', 'SET', 'maxmemory', '1'], client: 1 },
      ['EXEC'],
      { cmd: ['CONFIG', 'SET', 'maxmemory', '0'], client: 1 },
      ['MULTI'],
      ['SET', 'b', '3'],
      ['EXEC'],
      ['GET', 'b'],
    ]);
  });

  describe('every policy at maxmemory 1', () => {
    const REDIS_POLICIES = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'noeviction'];
    for (const policy of REDIS_POLICIES) {
      same(diff, `${policy}: what is evicted, what a write then gets, evicted_keys`, [
        ['CONFIG', 'SET', 'maxmemory-policy', policy],
        ['MSET', 'a', '1', 'b', '2', 'c', '3'],
        ['SET', 'v1', 'x', 'EX', '100'],
        ['SET', 'v2', 'x', 'PX', '100000'],
        ['SELECT', '1'],
        ['SET', 'd1', 'x'],
        ['SET', 'd1v', 'x', 'EX', '100'],
        ['SELECT', '0'],
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['DBSIZE'],
        { cmd: ['KEYS', '*'], mask: sortedArray },
        ['SET', 'new', 'v'],
        ['SET', 'x', 'y', 'EX', '10'],
        ['DBSIZE'],
        { cmd: ['INFO', 'stats'], mask: infoFields('evicted_keys') },
        ['SELECT', '1'],
        { cmd: ['KEYS', '*'], mask: sortedArray },
        ['SELECT', '0'],
        ['GET', 'a'],
        ['DEL', 'a'],
        ['INCR', 'a'],
        ['EXPIRE', 'b', '10'],
        ['GETEX', 'b', 'EX', '5'],
        ['DBSIZE'],
        { cmd: ['INFO', 'stats'], mask: infoFields('evicted_keys') },
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['SET', 'new', 'v'],
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['DBSIZE'],
        { cmd: ['INFO', 'stats'], mask: infoFields('evicted_keys') },
      ]);
    }

    same(diff, 'INFO stats: evicted_keys is in # Stats, among the same fields', [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
      ['MSET', 'a', '1', 'b', '2'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      { cmd: ['INFO', 'stats'], mask: statsShape },
      ['CONFIG', 'RESETSTAT'],
      { cmd: ['INFO', 'stats'], mask: infoFields('evicted_keys') },
    ]);
  });

  describe('OBJECT FREQ and OBJECT IDLETIME', () => {
    same(diff, 'errors under each policy, missing keys, arity', [
      ['SET', 'k', 'v'],
      ...['noeviction', 'allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-random', 'volatile-ttl', 'allkeys-lfu', 'volatile-lfu'].flatMap((policy): Step[] => [
        ['CONFIG', 'SET', 'maxmemory-policy', policy],
        ['OBJECT', 'FREQ', 'missing'],
        ['OBJECT', 'IDLETIME', 'missing'],
        // The error only for a key that exists; the value itself is compared below.
        { cmd: ['OBJECT', 'FREQ', 'k'], mask: (r) => (r.startsWith(':') ? ':n' : r) },
        { cmd: ['OBJECT', 'IDLETIME', 'k'], mask: (r) => (r.startsWith(':') ? ':n' : r) },
        ['OBJECT', 'FREQ'],
        ['OBJECT', 'FREQ', 'k', 'x'],
        ['OBJECT', 'IDLETIME'],
        ['OBJECT', 'IDLETIME', 'k', 'x'],
        ['OBJECT', 'freq', 'missing'],
      ]),
    ]);

    same(diff, 'IDLETIME of a new key under the LRU policies', [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['SET', 'k', 'v'],
      { cmd: ['OBJECT', 'IDLETIME', 'k'], tolerance: 1 },
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
      { cmd: ['OBJECT', 'IDLETIME', 'k'], tolerance: 1 },
    ]);

    same(diff, 'a new key starts at LFU_INIT_VAL; the first access always counts', [
      ['CONFIG', 'SET', 'lfu-decay-time', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['SET', 'new', 'v'],
      ['OBJECT', 'FREQ', 'new'],
      ['GET', 'new'],
      ['OBJECT', 'FREQ', 'new'],
      ['SET', 'big', '1000000'],
      ['OBJECT', 'FREQ', 'big'],
    ]);

    same(diff, 'which commands count an access (lfu-log-factor 0: each adds one)', [
      ...COUNTING_LFU,
      ['SET', 'k', 'v'],
      ...[
        ['GET', 'k'],
        ['SET', 'k', 'w'],
        ['APPEND', 'k', 'x'],
        ['EXISTS', 'k'],
        ['TYPE', 'k'],
        ['STRLEN', 'k'],
        ['TOUCH', 'k'],
        ['MGET', 'k', 'k'],
        ['GETRANGE', 'k', '0', '1'],
        ['SUBSTR', 'k', '0', '1'],
        ['EXPIRE', 'k', '100'],
        // The TTL counts down between the two servers' replies, and EXPIRETIME may cross a second.
        { cmd: ['TTL', 'k'], tolerance: 1 },
        { cmd: ['PTTL', 'k'], tolerance: 1000 },
        { cmd: ['EXPIRETIME', 'k'], tolerance: 1 },
        ['PERSIST', 'k'],
        ['SETRANGE', 'k', '0', 'z'],
        ['SETRANGE', 'k', '0', ''],
        ['GETSET', 'k', 'q'],
        ['GETEX', 'k'],
        ['SET', 'k', 'q', 'KEEPTTL'],
        ['SET', 'k', 'q', 'GET'],
        ['SET', 'k', 'q', 'XX'],
        ['SET', 'k', 'q', 'NX'],
        ['SET', 'k', 'q', 'NX', 'GET'],
        ['SETNX', 'k', 'q'],
        ['MSETNX', 'k', 'q', 'other', 'q'],
        ['MSET', 'k', 'q', 'other', 'q'],
        ['DUMP', 'k'],
        ['LCS', 'k', 'other'],
        ['OBJECT', 'ENCODING', 'k'],
        ['OBJECT', 'REFCOUNT', 'k'],
        ['MEMORY', 'USAGE', 'k'],
        { cmd: ['SCAN', '0', 'TYPE', 'string'], mask: sortedScan },
        // Which key it names is random; that it touches none is what FREQ shows.
        { cmd: ['RANDOMKEY'], mask: () => 'a key' },
        ['COPY', 'k', 'other'],
        ['COPY', 'k', 'other', 'REPLACE'],
        ['SET', 'n', '1000000'],
        ['INCR', 'n'],
        ['INCRBYFLOAT', 'n', '1.5'],
      ].flatMap((command): Step[] => [command, ['OBJECT', 'FREQ', 'k'], ['OBJECT', 'FREQ', 'other']]),
      ['OBJECT', 'FREQ', 'n'],
    ]);

    same(diff, 'RENAME and MOVE keep the counter (the same object under a new name), COPY starts over', [
      ...COUNTING_LFU,
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['GET', 'k'],
      ['RENAME', 'k', 'r'],
      ['OBJECT', 'FREQ', 'r'],
      ['SET', 'dest', 'x'],
      ['RENAME', 'r', 'dest'],
      ['OBJECT', 'FREQ', 'dest'],
      ['SET', 'busy', 'x'],
      ['RENAMENX', 'dest', 'busy'],
      ['OBJECT', 'FREQ', 'dest'],
      ['OBJECT', 'FREQ', 'busy'],
      ['RENAMENX', 'dest', 'free'],
      ['OBJECT', 'FREQ', 'free'],
      ['RENAME', 'free', 'free'],
      ['OBJECT', 'FREQ', 'free'],
      ['COPY', 'free', 'copy'],
      ['OBJECT', 'FREQ', 'copy'],
      ['OBJECT', 'FREQ', 'free'],
      ['MOVE', 'free', '1'],
      ['SELECT', '1'],
      ['OBJECT', 'FREQ', 'free'],
      ['SET', 'there', 'x'],
      ['SELECT', '0'],
      ['SET', 'there', 'y'],
      ['MOVE', 'there', '1'],
      ['OBJECT', 'FREQ', 'there'],
      ['SWAPDB', '0', '1'],
      ['OBJECT', 'FREQ', 'free'],
    ]);

    same(diff, 'switching between the LFU policies keeps the counters; so does a tuning change', [
      ...COUNTING_LFU,
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['GET', 'k'],
      ['OBJECT', 'FREQ', 'k'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'],
      ['OBJECT', 'FREQ', 'k'],
      ['GET', 'k'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LFU'],
      ['OBJECT', 'FREQ', 'k'],
      ['CONFIG', 'SET', 'lfu-log-factor', '10'],
      ['OBJECT', 'FREQ', 'k'],
    ]);

    same(diff, 'RESTORE with FREQ and IDLETIME', [
      ['CONFIG', 'SET', 'lfu-decay-time', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['RESTORE', 'f', '0', dumpString('value'), 'FREQ', '100'],
      ['OBJECT', 'FREQ', 'f'],
      ['RESTORE', 'f2', '0', dumpString('value'), 'FREQ', '255'],
      ['OBJECT', 'FREQ', 'f2'],
      ['RESTORE', 'f3', '0', dumpString('value'), 'FREQ', '256'],
      ['RESTORE', 'f3', '0', dumpString('value'), 'FREQ', '-1'],
      ['RESTORE', 'f3', '0', dumpString('value'), 'IDLETIME', '100'],
      ['OBJECT', 'FREQ', 'f3'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['RESTORE', 'i', '0', dumpString('value'), 'IDLETIME', '1000'],
      { cmd: ['OBJECT', 'IDLETIME', 'i'], tolerance: 1 },
      ['RESTORE', 'i2', '0', dumpString('value'), 'FREQ', '10'],
      { cmd: ['OBJECT', 'IDLETIME', 'i2'], tolerance: 1 },
      ['RESTORE', 'i3', '0', dumpString('value'), 'IDLETIME', '-1'],
      ['RESTORE', 'i3', '0', dumpString('value'), 'IDLETIME', '10', 'FREQ', '10'],
    ]);
  });

  describe('CONFIG of the eviction parameters', () => {
    same(diff, 'maxmemory-policy: every name, any letter case, bogus ones', [
      ...['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'].flatMap((p) => setAndGet('maxmemory-policy', p)),
      ...['NOEVICTION', 'AllKeys-LRU', 'Volatile-TTL'].flatMap((p) => setAndGet('maxmemory-policy', p)),
      ...['bogus', '', 'allkeys_lru', 'allkeys-lru ', ' allkeys-lru', 'lru', 'allkeys-lru,allkeys-lfu'].flatMap((p) => setAndGet('maxmemory-policy', p)),
      ['CONFIG', 'SET', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'MAXMEMORY-POLICY', 'allkeys-lfu'],
      ['CONFIG', 'GET', 'MAXMEMORY-POLICY'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'maxmemory-policy', 'allkeys-lru'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'bogus'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', 'x', 'maxmemory-policy', 'allkeys-random'],
      ['CONFIG', 'GET', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-random'],
      { cmd: ['CONFIG', 'GET', 'maxmemory*'], mask: sortedPairs },
    ]);

    same(diff, 'maxmemory-samples and maxmemory-eviction-tenacity', [
      ...['1', '0', '64', '65', '1000', '2147483647', '2147483648', '-1', '5.5', 'x', '', '05', '+5', ' 5', '-0', '1k', '10'].flatMap((v) => setAndGet('maxmemory-samples', v)),
      ...['0', '100', '101', '-1', 'x', '050', '1k', '10'].flatMap((v) => setAndGet('maxmemory-eviction-tenacity', v)),
    ]);

    same(diff, 'lfu-log-factor and lfu-decay-time', [
      ...['0', '-1', '2147483647', '2147483648', 'x', '1k', '01', '100', '10'].flatMap((v) => setAndGet('lfu-log-factor', v)),
      ...['0', '-1', '2147483647', '2147483648', 'x', '1.5', '-0', '1'].flatMap((v) => setAndGet('lfu-decay-time', v)),
      { cmd: ['CONFIG', 'GET', 'lfu*'], mask: sortedPairs },
    ]);

    same(diff, 'maxmemory-clients: bytes or a percentage', [
      ...['10%', '100%', '101%', '0%', '-1%', '1.5%', '%', '5%%', '1mb', '1kb%', '18446744073709551615', '9223372036854775808', ' 5%', '05%', '0'].flatMap((v) =>
        setAndGet('maxmemory-clients', v),
      ),
    ]);

    same(diff, 'maxmemory with units, and what memtoull makes of odd values', [
      ...['100mb', '1gb', '1GB', '1Gb', '100k', '100K', '100kb', '100KB', '100m', '100g', '1b', '1B', '00100', '0'].flatMap((v) => setAndGet('maxmemory', v)),
      ...['-1', '-0', '1.5mb', 'x', '1 mb', '+1', '1tb', '1e3', '0x10', ' 1', '1mb ', '1kk', 'k1'].flatMap((v) => setAndGet('maxmemory', v)),
      // No digits reads as 0; digits past 2^64-1 saturate; the unit's product wraps modulo 2^64.
      ...['', 'mb', 'GB'].flatMap((v) => [['CONFIG', 'SET', 'maxmemory', '5'], ...setAndGet('maxmemory', v)]),
      ...[
        '9007199254740993',
        '9223372036854775807',
        '9223372036854775808',
        '18446744073709551615',
        '18446744073709551616',
        '99999999999999999999999',
        '18446744073709551615gb',
        '17179869184gb',
        '17179869185gb',
        '16777216tb',
      ].flatMap((v) => setAndGet('maxmemory', v)),
      ['CONFIG', 'SET', 'maxmemory', '0'],
    ]);
  });

  describe('INFO memory and MEMORY USAGE', () => {
    const values = ['0', '1', '1023', '1024', '1152', '1536', '3200', '1034', '100mb', '1gb', '1099511627776', '1125899906842624', '1152921504606846975', '1152921504606846976', '9223372036854775808', '18446744073709551615'];
    same(diff, 'maxmemory, maxmemory_human and maxmemory_policy', [
      { cmd: ['INFO', 'memory'], mask: infoFields('maxmemory', 'maxmemory_human', 'maxmemory_policy') },
      ...values.flatMap((v): Step[] => [
        ['CONFIG', 'SET', 'maxmemory', v],
        { cmd: ['INFO', 'memory'], mask: infoFields('maxmemory', 'maxmemory_human', 'maxmemory_policy') },
      ]),
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'],
      { cmd: ['INFO'], mask: infoFields('maxmemory', 'maxmemory_human', 'maxmemory_policy') },
      { cmd: ['INFO', 'all'], mask: infoFields('maxmemory', 'maxmemory_human', 'maxmemory_policy', 'evicted_keys') },
      ['CONFIG', 'SET', 'maxmemory', '0'],
    ]);

    same(diff, 'MEMORY USAGE: errors, and nil for a missing key, over the limit as well', [
      ['SET', 'k', 'v'],
      ['MEMORY', 'USAGE', 'missing'],
      ['MEMORY', 'USAGE'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'k', 'BOGUS', '1'],
      ['MEMORY', 'USAGE', 'k', 'samples', '5', 'extra'],
      ['MEMORY', 'USAGE', 'missing', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '99999999999999999999'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['MEMORY', 'USAGE', 'missing'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'],
      ['MEMORY', 'PURGE'],
    ]);
  });
});
