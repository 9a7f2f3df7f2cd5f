// What the command table cannot say about itself, for the README's compatibility table: where a
// command's behaviour differs from Redis 7.0.15's, the subcommands and commands that are missing,
// and the grammar of the few commands whose Redis docs list no arguments. docs.ts refuses a note
// about a command the table does not have, so a note cannot outlive its command.

export interface CommandNote {
  /** Shown instead of the (empty) syntax, for commands whose COMMAND DOCS list no arguments. */
  arguments?: string;
  /** How it differs from Redis 7.0.15; the README's "Differences from Redis" gives the reasons. */
  difference?: string;
}

const ASYNC_AS_SYNC = '`ASYNC` frees memory at once, as `SYNC` does';
const RING_SLOTS = 'Thousands of slot ranges per node: slots are placed by a consistent-hash ring';

/** By upper-case name as the table prints it: `SET`, `CLIENT LIST`. */
export const COMMAND_NOTES: Readonly<Record<string, CommandNote>> = {
  'ACL SETUSER': { difference: 'Selectors (`(...)`, `clearselectors`) are refused; channel rules are kept but not enforced' },
  APPEND: { difference: 'A result longer than 536870888 bytes is refused' },
  'CLIENT INFO': { difference: 'As CLIENT LIST' },
  'CLIENT LIST': {
    difference:
      '`qbuf` and `qbuf-free` are 0, `tot-mem` is estimated; `rbs`/`rbp` are the size and recent peak of the kept reply buffer: 0 before the first reply and when idle, above 16 KB for large flushes; has Redis 7.2\'s `lib-name` and `lib-ver` fields',
  },
  'CLIENT NO-TOUCH': { difference: 'From Redis 7.2 (Redis 7.0 does not have it)' },
  'CLIENT PAUSE': { difference: 'Keys keep expiring during a pause' },
  'CLIENT SETINFO': { difference: 'From Redis 7.2 (Redis 7.0 does not have it)' },
  'CLUSTER INFO': { difference: 'Config epochs are 1..N in address order' },
  'CLUSTER NODES': { difference: RING_SLOTS },
  'CLUSTER REBALANCE-RING': { difference: 'ringcache only' },
  'CLUSTER SHARDS': { difference: RING_SLOTS },
  'CLUSTER SLOTS': { difference: RING_SLOTS },
  COMMAND: { difference: 'Commands in table order (Redis: hash order)' },
  'COMMAND DOCS': { difference: 'Some argument names are generated from the syntax' },
  'COMMAND GETKEYS': { arguments: 'command [arg [arg ...]]' },
  'COMMAND GETKEYSANDFLAGS': { arguments: 'command [arg [arg ...]]', difference: 'Flags are the key spec\'s, not refined from the arguments' },
  'COMMAND LIST': { difference: 'Table order (Redis: hash order)' },
  DEBUG: {
    arguments:
      '<SLEEP seconds | OBJECT key | DIGEST | DIGEST-VALUE [key ...] | SET-ACTIVE-EXPIRE <0 | 1> | PROTOCOL type | POPULATE count [prefix] [size] | ERROR message | LOG message | CHANGE-REPL-ID | RELOAD [option ...] | HELP>',
    difference: 'The subcommands shown; RELOAD keeps the data (no RDB); SEGFAULT, PANIC, ASSERT, OOM, CRASH-AND-RECOVER, RESTART are refused',
  },
  'LATENCY HISTOGRAM': { difference: 'Without names, commands in table order (Redis: hash order)' },
  FLUSHALL: { difference: ASYNC_AS_SYNC },
  FLUSHDB: { difference: ASYNC_AS_SYNC },
  INFO: { difference: 'Memory figures are estimates; the persistence and replication sections describe a server with neither' },
  KEYS: { difference: 'Keys come in a different order' },
  LASTSAVE: { difference: 'The start time: nothing is ever saved' },
  'MEMORY STATS': { difference: 'Figures are estimates' },
  MONITOR: { difference: 'Timestamps have millisecond resolution' },
  'OBJECT ENCODING': { difference: 'Decided when read, from the current maxmemory settings' },
  'OBJECT FREQ': { difference: 'No access counter is kept yet: a new key\'s counter (5), lowered as the key stays idle' },
  'OBJECT IDLETIME': { difference: 'Per key, also for small integers Redis shares between keys' },
  'OBJECT REFCOUNT': { difference: 'Decided when read, from the current maxmemory settings' },
  'RINGCACHE HELP': { difference: 'ringcache only' },
  'RINGCACHE HOTKEYS': { difference: 'ringcache only' },
  SCAN: { difference: 'Different order and cursor values; a cursor the server never issued ends the scan' },
  SETRANGE: { difference: 'A result longer than 536870888 bytes is refused' },
  SHUTDOWN: { difference: 'Nothing to save and no replicas to wait for; every client first gets the replies to what already ran (Redis drops them)' },
  TIME: { difference: 'Millisecond resolution (microseconds end in 000)' },
  WAIT: { difference: 'Replies 0 at once: there are no replicas' },
};

/** Subcommands of Redis 7.0.15 that ringcache did not have when this was written, by container. */
export const MISSING_SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  ACL: ['LOG'],
  CLIENT: ['CACHING', 'GETREDIR', 'REPLY', 'TRACKING', 'TRACKINGINFO', 'UNBLOCK'],
  CLUSTER: [
    'ADDSLOTS', 'ADDSLOTSRANGE', 'BUMPEPOCH', 'COUNT-FAILURE-REPORTS', 'DELSLOTS', 'DELSLOTSRANGE', 'FAILOVER',
    'FLUSHSLOTS', 'FORGET', 'LINKS', 'MEET', 'REPLICAS', 'REPLICATE', 'RESET', 'SAVECONFIG', 'SET-CONFIG-EPOCH',
    'SETSLOT', 'SLAVES',
  ],
  FUNCTION: ['DELETE', 'DUMP', 'KILL', 'LIST', 'LOAD', 'RESTORE', 'STATS'],
  LATENCY: ['GRAPH'],
};

/**
 * Redis 7.0.15's commands, by what they are for, that ringcache did not have when this was
 * written; docs.ts lists those the command table still lacks.
 */
export const REDIS_COMMANDS_NOT_IN_TABLE: readonly (readonly [what: string, commands: readonly string[]])[] = [
  ['Lists', ['BLMOVE', 'BLMPOP', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'LINDEX', 'LINSERT', 'LLEN', 'LMOVE', 'LMPOP', 'LPOP', 'LPOS', 'LPUSH', 'LPUSHX', 'LRANGE', 'LREM', 'LSET', 'LTRIM', 'RPOP', 'RPOPLPUSH', 'RPUSH', 'RPUSHX']],
  ['Hashes', ['HDEL', 'HEXISTS', 'HGET', 'HGETALL', 'HINCRBY', 'HINCRBYFLOAT', 'HKEYS', 'HLEN', 'HMGET', 'HMSET', 'HRANDFIELD', 'HSCAN', 'HSET', 'HSETNX', 'HSTRLEN', 'HVALS']],
  ['Sets', ['SADD', 'SCARD', 'SDIFF', 'SDIFFSTORE', 'SINTER', 'SINTERCARD', 'SINTERSTORE', 'SISMEMBER', 'SMEMBERS', 'SMISMEMBER', 'SMOVE', 'SPOP', 'SRANDMEMBER', 'SREM', 'SSCAN', 'SUNION', 'SUNIONSTORE']],
  ['Sorted sets', ['BZMPOP', 'BZPOPMAX', 'BZPOPMIN', 'ZADD', 'ZCARD', 'ZCOUNT', 'ZDIFF', 'ZDIFFSTORE', 'ZINCRBY', 'ZINTER', 'ZINTERCARD', 'ZINTERSTORE', 'ZLEXCOUNT', 'ZMPOP', 'ZMSCORE', 'ZPOPMAX', 'ZPOPMIN', 'ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZRANK', 'ZREM', 'ZREMRANGEBYLEX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYLEX', 'ZREVRANGEBYSCORE', 'ZREVRANK', 'ZSCAN', 'ZSCORE', 'ZUNION', 'ZUNIONSTORE']],
  ['Streams', ['XACK', 'XADD', 'XAUTOCLAIM', 'XCLAIM', 'XDEL', 'XGROUP', 'XINFO', 'XLEN', 'XPENDING', 'XRANGE', 'XREAD', 'XREADGROUP', 'XREVRANGE', 'XSETID', 'XTRIM']],
  ['Pub/Sub', ['PSUBSCRIBE', 'PUBLISH', 'PUBSUB', 'PUNSUBSCRIBE', 'SPUBLISH', 'SSUBSCRIBE', 'SUBSCRIBE', 'SUNSUBSCRIBE', 'UNSUBSCRIBE']],
  ['Scripting', ['EVAL', 'EVAL_RO', 'EVALSHA', 'EVALSHA_RO', 'FCALL', 'FCALL_RO', 'SCRIPT']],
  ['Bitmaps', ['BITCOUNT', 'BITFIELD', 'BITFIELD_RO', 'BITOP', 'BITPOS', 'GETBIT', 'SETBIT']],
  ['HyperLogLog', ['PFADD', 'PFCOUNT', 'PFDEBUG', 'PFMERGE', 'PFSELFTEST']],
  ['Geo', ['GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUS_RO', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEOSEARCH', 'GEOSEARCHSTORE']],
  ['Persistence', ['BGREWRITEAOF', 'BGSAVE', 'SAVE']],
  ['Replication', ['FAILOVER', 'PSYNC', 'REPLCONF', 'REPLICAOF', 'ROLE', 'SLAVEOF', 'SYNC']],
  ['Key migration', ['DUMP', 'MIGRATE', 'RESTORE', 'RESTORE-ASKING']],
  ['Other', ['LOLWUT', 'MODULE', 'SHUTDOWN', 'SORT', 'SORT_RO']],
];
