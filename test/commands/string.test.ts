// The string family against replies and errors recorded from redis-server 7.0.15. The last
// block replays generated commands on a real redis-server (started by the shared helper) and
// compares every raw reply.

import { HINT_RAW } from '../../src/engine/encoding.js';
import { expect } from 'chai';
import { EXPIRE_MISSING, EXPIRE_NONE } from '../../src/engine/database.js';
import { FakeClock } from '../../src/util/clock.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { encodeCommand } from '../helpers/resp-reader.js';
import { Session, resp } from '../helpers/session.js';
import { INCRBYFLOAT_CASES } from './incrbyfloat-cases.js';

const NOT_INTEGER = resp.err('ERR value is not an integer or out of range');
const NOT_FLOAT = resp.err('ERR value is not a valid float');
const SYNTAX = resp.err('ERR syntax error');
const OVERFLOW = resp.err('ERR increment or decrement would overflow');
const NAN_INF = resp.err('ERR increment would produce NaN or Infinity');
const TOO_LONG = resp.err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
const invalidExpire = (cmd: string): string => resp.err(`ERR invalid expire time in '${cmd}' command`);
const arity = (cmd: string): string => resp.err(`ERR wrong number of arguments for '${cmd}' command`);

function expireAt(s: Session, key: string): number {
  return s.client.db.getExpireAt(key, s.clock.now());
}

function isRaw(s: Session, key: string): boolean {
  return s.client.db.encodingHint(key, s.clock.now()) === HINT_RAW;
}

function stats(s: Session): { hits: number; misses: number } {
  const st = s.core.keyspace.stats;
  return { hits: st.keyspaceHits, misses: st.keyspaceMisses };
}

describe('string commands', () => {
  let s: Session;
  beforeEach(() => {
    s = new Session();
  });

  describe('GET', () => {
    it('returns the value or nil', () => {
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      s.call('SET', 'k', 'v\x00\xff');
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v\x00\xff'));
      expect(s.call('GET', 'k', 'x')).to.equal(arity('get'));
    });

    it('does not see a key past its expiry', () => {
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(99);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
      s.clock.advance(2);
      expect(s.call('GET', 'k')).to.equal(resp.nil);
    });
  });

  describe('SET', () => {
    it('sets, and a plain SET clears the TTL', () => {
      expect(s.call('SET', 'k', 'v', 'EX', '100')).to.equal(resp.ok);
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 100_000);
      expect(s.call('SET', 'k', 'w')).to.equal(resp.ok);
      expect(expireAt(s, 'k')).to.equal(EXPIRE_NONE);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('w'));
      expect(isRaw(s, 'k')).to.equal(false);
    });

    it('sets each expiry option as an absolute time', () => {
      const now = s.clock.now();
      s.call('SET', 'a', 'v', 'ex', '10');
      s.call('SET', 'b', 'v', 'px', '1500');
      s.call('SET', 'c', 'v', 'EXAT', String(Math.floor(now / 1000) + 50));
      s.call('SET', 'd', 'v', 'PXAT', String(now + 1234));
      expect(expireAt(s, 'a')).to.equal(now + 10_000);
      expect(expireAt(s, 'b')).to.equal(now + 1500);
      expect(expireAt(s, 'c')).to.equal((Math.floor(now / 1000) + 50) * 1000);
      expect(expireAt(s, 'd')).to.equal(now + 1234);
    });

    it('keeps the TTL with KEEPTTL', () => {
      s.call('SET', 'k', 'v', 'PX', '5000');
      expect(s.call('SET', 'k', 'w', 'KEEPTTL')).to.equal(resp.ok);
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 5000);
      s.clock.advance(5001);
      expect(s.call('GET', 'k')).to.equal(resp.nil);
    });

    it('lets the last of a repeated option win', () => {
      expect(s.call('SET', 'k', 'v', 'EX', '10', 'EX', '20')).to.equal(resp.ok);
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 20_000);
      // Only the last time argument is parsed at all.
      expect(s.call('SET', 'k', 'v', 'EX', 'abc', 'EX', '10')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v', 'XX', 'XX')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v', 'NX', 'NX')).to.equal(resp.nil);
      expect(s.call('SET', 'k', 'w', 'GET', 'GET')).to.equal(resp.bulk('v'));
    });

    it('refuses contradicting or incomplete options', () => {
      for (const opts of [
        ['NX', 'XX'],
        ['XX', 'NX'],
        ['EX', '10', 'PX', '100'],
        ['PX', '10', 'EXAT', '100'],
        ['EXAT', '10', 'PXAT', '100'],
        ['KEEPTTL', 'EX', '10'],
        ['EX', '10', 'KEEPTTL'],
        ['ex', '10', 'keepttl'],
        ['EX'],
        ['PXAT'],
        ['PERSIST'],
        ['FOO'],
        ['GET', 'X'],
      ]) {
        expect(s.call('SET', 'k', 'v', ...opts), opts.join(' ')).to.equal(SYNTAX);
      }
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      expect(s.call('SET', 'k')).to.equal(arity('set'));
    });

    it('refuses bad times with the set command name', () => {
      expect(s.call('SET', 'k', 'v', 'EX', 'abc')).to.equal(NOT_INTEGER);
      expect(s.call('SET', 'k', 'v', 'EX', '1.5')).to.equal(NOT_INTEGER);
      expect(s.call('SET', 'k', 'v', 'EX', '9223372036854775808')).to.equal(NOT_INTEGER);
      expect(s.call('SET', 'k', 'v', 'EX', '0')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'EX', '-1')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'PX', '0')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'PXAT', '-9223372036854775808')).to.equal(invalidExpire('set'));
      // Seconds whose milliseconds overflow, and a relative time whose sum with now does.
      expect(s.call('SET', 'k', 'v', 'EX', '9223372036854776')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'EX', '9223372036854775')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'PX', '9223372036854775807')).to.equal(invalidExpire('set'));
      expect(s.call('SET', 'k', 'v', 'EXAT', '9223372036854776')).to.equal(invalidExpire('set'));
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      // The largest times that fit are accepted.
      expect(s.call('SET', 'k', 'v', 'EXAT', '9223372036854775')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v', 'PXAT', '9223372036854775807')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v', 'PX', String(2n ** 63n - 1n - BigInt(s.clock.now())))).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v', 'PX', String(2n ** 63n - BigInt(s.clock.now())))).to.equal(invalidExpire('set'));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
    });

    it('keeps expiry times past 2^53 ms exactly', () => {
      s.call('SET', 'k', 'v', 'PXAT', '9223372036854775807');
      expect(s.client.db.getExpireAtExact('k', s.clock.now())).to.equal(9223372036854775807n);
      s.call('SET', 'k', 'v', 'EXAT', '9223372036854775');
      expect(s.client.db.getExpireAtExact('k', s.clock.now())).to.equal(9223372036854775000n);
      s.call('GETEX', 'k', 'PXAT', '9007199254740993');
      expect(s.client.db.getExpireAtExact('k', s.clock.now())).to.equal(9007199254740993n);
    });

    it('stores a key whose absolute time has passed, and lets lazy expiry remove it', () => {
      expect(s.call('SET', 'k', 'v', 'EXAT', '1')).to.equal(resp.ok);
      expect(s.client.db.size).to.equal(1);
      const expired = s.core.keyspace.stats.expiredKeys;
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      expect(s.core.keyspace.stats.expiredKeys).to.equal(expired + 1);
      s.call('SET', 'k', 'v');
      expect(s.call('SET', 'k', 'v2', 'GET', 'PXAT', '1')).to.equal(resp.bulk('v'));
      expect(s.call('GET', 'k')).to.equal(resp.nil);
    });

    it('applies NX and XX', () => {
      expect(s.call('SET', 'k', 'v', 'XX')).to.equal(resp.nil);
      expect(s.call('SET', 'k', 'v', 'NX')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'w', 'NX')).to.equal(resp.nil);
      expect(s.call('SET', 'k', 'w', 'XX')).to.equal(resp.ok);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('w'));
    });

    it('replies the old value with GET, whether or not NX/XX let it write', () => {
      expect(s.call('SET', 'k', 'v', 'GET')).to.equal(resp.nil);
      expect(s.call('SET', 'k', 'w', 'GET')).to.equal(resp.bulk('v'));
      expect(s.call('SET', 'k', 'x', 'NX', 'GET')).to.equal(resp.bulk('w'));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('w'));
      expect(s.call('SET', 'k', 'y', 'XX', 'GET')).to.equal(resp.bulk('w'));
      expect(s.call('SET', 'n', 'v', 'XX', 'GET')).to.equal(resp.nil);
      expect(s.client.db.exists('n', s.clock.now())).to.equal(false);
      expect(s.call('SET', 'm', 'v', 'nx', 'get')).to.equal(resp.nil);
      expect(s.call('GET', 'm')).to.equal(resp.bulk('v'));
    });

    it('counts keyspace hits and misses only with GET', () => {
      s.call('SET', 'k', 'v');
      s.call('SET', 'k', 'v', 'NX');
      expect(stats(s)).to.deep.equal({ hits: 0, misses: 0 });
      s.call('SET', 'k', 'v', 'GET');
      s.call('SET', 'n', 'v', 'GET');
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 1 });
    });

    it('checks the time before applying GET', () => {
      s.call('SET', 'k', 'v');
      expect(s.call('SET', 'k', 'w', 'GET', 'EX', '0')).to.equal(invalidExpire('set'));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
    });
  });

  describe('SETNX, SETEX, PSETEX', () => {
    it('SETNX replies 1 or 0', () => {
      expect(s.call('SETNX', 'k', 'v')).to.equal(resp.int(1));
      expect(s.call('SETNX', 'k', 'w')).to.equal(resp.int(0));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
      expect(s.call('SETNX', 'k')).to.equal(arity('setnx'));
    });

    it('SETEX and PSETEX set a value with a TTL', () => {
      expect(s.call('SETEX', 'k', '10', 'v')).to.equal(resp.ok);
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 10_000);
      expect(s.call('PSETEX', 'p', '1500', 'v')).to.equal(resp.ok);
      expect(expireAt(s, 'p')).to.equal(s.clock.now() + 1500);
      s.clock.advance(1501);
      expect(s.call('GET', 'p')).to.equal(resp.nil);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
    });

    it('name themselves in the expire error', () => {
      expect(s.call('SETEX', 'k', '0', 'v')).to.equal(invalidExpire('setex'));
      expect(s.call('SETEX', 'k', '-5', 'v')).to.equal(invalidExpire('setex'));
      expect(s.call('SETEX', 'k', 'abc', 'v')).to.equal(NOT_INTEGER);
      expect(s.call('SETEX', 'k', '9223372036854775', 'v')).to.equal(invalidExpire('setex'));
      expect(s.call('PSETEX', 'k', '0', 'v')).to.equal(invalidExpire('psetex'));
      expect(s.call('PSETEX', 'k', '9223372036854775807', 'v')).to.equal(invalidExpire('psetex'));
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      expect(s.call('SETEX', 'k', '10')).to.equal(arity('setex'));
      expect(s.call('PSETEX', 'k', '10', 'v', 'x')).to.equal(arity('psetex'));
    });
  });

  describe('MSET, MSETNX, MGET', () => {
    it('MSET sets every pair, the last duplicate winning, clearing TTLs', () => {
      s.call('SET', 'a', 'old', 'EX', '100');
      expect(s.call('MSET', 'a', '1', 'b', '2', 'a', '3')).to.equal(resp.ok);
      expect(s.call('MGET', 'a', 'b', 'c')).to.equal(resp.bulks(['3', '2', null]));
      expect(expireAt(s, 'a')).to.equal(EXPIRE_NONE);
    });

    it('MSET and MSETNX refuse an odd argument count with the arity error', () => {
      expect(s.call('MSET', 'a')).to.equal(arity('mset'));
      expect(s.call('MSET', 'a', '1', 'b')).to.equal(arity('mset'));
      expect(s.call('MSETNX', 'a', '1', 'b')).to.equal(arity('msetnx'));
      expect(s.call('MSETNX', 'a')).to.equal(arity('msetnx'));
      expect(s.call('MGET', 'a')).to.equal(resp.bulks([null]));
    });

    it('MSETNX writes nothing when any key exists', () => {
      expect(s.call('MSETNX', 'a', '1', 'b', '2')).to.equal(resp.int(1));
      expect(s.call('MSETNX', 'b', '3', 'c', '4')).to.equal(resp.int(0));
      expect(s.call('MGET', 'a', 'b', 'c')).to.equal(resp.bulks(['1', '2', null]));
      expect(s.call('MSETNX', 'x', '1', 'x', '2')).to.equal(resp.int(1));
      expect(s.call('GET', 'x')).to.equal(resp.bulk('2'));
    });

    it('MGET counts a hit or miss per key and answers RESP3 nulls', () => {
      s.call('SET', 'k', 'v');
      expect(s.call('MGET')).to.equal(arity('mget'));
      expect(s.call('MGET', 'k', 'x', 'y')).to.equal(resp.bulks(['v', null, null]));
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 2 });
      s.client.reply.protocol = 3;
      expect(s.call('MGET', 'k', 'x')).to.equal('*2\r\n$1\r\nv\r\n_\r\n');
    });
  });

  describe('GETSET, GETDEL, GETEX', () => {
    it('GETSET replies the old value and clears the TTL', () => {
      expect(s.call('GETSET', 'k', 'v')).to.equal(resp.nil);
      s.call('SET', 'k', 'v', 'EX', '100');
      expect(s.call('GETSET', 'k', 'w')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(EXPIRE_NONE);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('w'));
      expect(stats(s)).to.deep.equal({ hits: 2, misses: 1 });
    });

    it('GETDEL replies and deletes', () => {
      s.call('SET', 'k', 'v');
      expect(s.call('GETDEL', 'k')).to.equal(resp.bulk('v'));
      expect(s.call('GETDEL', 'k')).to.equal(resp.nil);
      expect(s.client.db.exists('k', s.clock.now())).to.equal(false);
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 1 });
    });

    it('GETEX without options only reads', () => {
      s.call('SET', 'k', 'v', 'EX', '100');
      expect(s.call('GETEX', 'k')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 100_000);
      expect(s.call('GETEX', 'n')).to.equal(resp.nil);
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 1 });
    });

    it('GETEX sets or removes the TTL', () => {
      s.call('SET', 'k', 'v');
      const now = s.clock.now();
      expect(s.call('GETEX', 'k', 'EX', '10')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(now + 10_000);
      expect(s.call('GETEX', 'k', 'px', '10')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(now + 10);
      expect(s.call('GETEX', 'k', 'EXAT', String(Math.floor(now / 1000) + 7))).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal((Math.floor(now / 1000) + 7) * 1000);
      expect(s.call('GETEX', 'k', 'PXAT', String(now + 77))).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(now + 77);
      expect(s.call('GETEX', 'k', 'PERSIST')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(EXPIRE_NONE);
      expect(s.call('GETEX', 'k', 'EX', '10', 'EX', '20')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(now + 20_000);
      expect(s.call('GETEX', 'k', 'PERSIST', 'PERSIST')).to.equal(resp.bulk('v'));
      expect(expireAt(s, 'k')).to.equal(EXPIRE_NONE);
    });

    it('GETEX deletes the key at once for an absolute time already past', () => {
      s.call('SET', 'k', 'v');
      const expired = s.core.keyspace.stats.expiredKeys;
      expect(s.call('GETEX', 'k', 'EXAT', '1')).to.equal(resp.bulk('v'));
      expect(s.client.db.size).to.equal(0);
      expect(expireAt(s, 'k')).to.equal(EXPIRE_MISSING);
      expect(s.core.keyspace.stats.expiredKeys).to.equal(expired);
      s.call('SET', 'k', 'v');
      expect(s.call('GETEX', 'k', 'PXAT', String(s.clock.now()))).to.equal(resp.bulk('v'));
      expect(s.call('GET', 'k')).to.equal(resp.nil);
    });

    it('GETEX checks its options first, the time only for an existing key', () => {
      expect(s.call('GETEX', 'n', 'foo')).to.equal(SYNTAX);
      expect(s.call('GETEX', 'n', 'EX', '0')).to.equal(resp.nil);
      expect(s.call('GETEX', 'n', 'EX', 'abc')).to.equal(resp.nil);
      s.call('SET', 'k', 'v');
      for (const opts of [['KEEPTTL'], ['NX'], ['XX'], ['GET'], ['EX'], ['EX', '10', 'PERSIST'], ['PERSIST', 'EX', '10'], ['EX', '1', 'PX', '1']]) {
        expect(s.call('GETEX', 'k', ...opts), opts.join(' ')).to.equal(SYNTAX);
      }
      expect(s.call('GETEX', 'k', 'EX', '0')).to.equal(invalidExpire('getex'));
      expect(s.call('GETEX', 'k', 'EX', 'abc')).to.equal(NOT_INTEGER);
      expect(s.call('GETEX', 'k', 'EX', '9223372036854775')).to.equal(invalidExpire('getex'));
      expect(s.call('GETEX', 'k', 'PXAT', '9223372036854775807')).to.equal(resp.bulk('v'));
      expect(s.call('GETEX')).to.equal(arity('getex'));
    });
  });

  describe('INCR, DECR, INCRBY, DECRBY', () => {
    it('counts from a missing key and keeps the TTL', () => {
      expect(s.call('INCR', 'n')).to.equal(resp.int(1));
      expect(s.call('INCRBY', 'n', '41')).to.equal(resp.int(42));
      expect(s.call('DECR', 'n')).to.equal(resp.int(41));
      expect(s.call('DECRBY', 'n', '-9')).to.equal(resp.int(50));
      expect(s.call('DECRBY', 'n', '0')).to.equal(resp.int(50));
      s.call('SET', 't', '5', 'EX', '100');
      for (const cmd of [['INCR', 't'], ['DECR', 't'], ['INCRBY', 't', '3'], ['DECRBY', 't', '3']]) {
        s.call(...cmd);
        expect(expireAt(s, 't')).to.equal(s.clock.now() + 100_000);
      }
      expect(s.call('GET', 't')).to.equal(resp.bulk('5'));
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 0 });
    });

    it('is exact at the 64-bit limits', () => {
      s.call('SET', 'k', '9223372036854775806');
      expect(s.call('INCR', 'k')).to.equal(resp.int(9223372036854775807n));
      expect(s.call('INCR', 'k')).to.equal(OVERFLOW);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('9223372036854775807'));
      s.call('SET', 'k', '-9223372036854775808');
      expect(s.call('DECR', 'k')).to.equal(OVERFLOW);
      expect(s.call('INCRBY', 'k', '-1')).to.equal(OVERFLOW);
      expect(s.call('DECRBY', 'k', '1')).to.equal(OVERFLOW);
      expect(s.call('INCRBY', 'k', '9223372036854775807')).to.equal(resp.int(-1));
      s.call('SET', 'k', '9007199254740991');
      expect(s.call('INCR', 'k')).to.equal(resp.int(9007199254740992n));
      expect(s.call('INCR', 'k')).to.equal(resp.int(9007199254740993n));
      expect(s.call('DECRBY', 'k', '9007199254740994')).to.equal(resp.int(-1));
      expect(s.call('INCRBY', 'k', '-9223372036854775807')).to.equal(resp.int(-9223372036854775808n));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('-9223372036854775808'));
    });

    it('refuses DECRBY of the smallest integer with its own text', () => {
      expect(s.call('DECRBY', 'k', '-9223372036854775808')).to.equal(resp.err('ERR decrement would overflow'));
      expect(s.call('INCRBY', 'k', '-9223372036854775808')).to.equal(resp.int(-9223372036854775808n));
    });

    it('refuses values and arguments that are not canonical 64-bit integers', () => {
      for (const bad of [' 1', '1 ', '01', '-0', '+1', '1.0', '', 'abc', '9223372036854775808', '0x10']) {
        s.call('SET', 'k', bad);
        expect(s.call('INCR', 'k'), JSON.stringify(bad)).to.equal(NOT_INTEGER);
        expect(s.call('INCRBY', 'n', bad), JSON.stringify(bad)).to.equal(NOT_INTEGER);
        expect(s.call('DECRBY', 'n', bad), JSON.stringify(bad)).to.equal(NOT_INTEGER);
      }
      expect(s.client.db.exists('n', s.clock.now())).to.equal(false);
      expect(s.call('INCR', 'k', '1')).to.equal(arity('incr'));
      expect(s.call('INCRBY', 'k')).to.equal(arity('incrby'));
    });
  });

  describe('INCRBYFLOAT', () => {
    it('adds in long double and prints like Redis', () => {
      s.call('SET', 'k', '10.5');
      expect(s.call('INCRBYFLOAT', 'k', '0.1')).to.equal(resp.bulk('10.6'));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('10.6'));
      s.call('SET', 'k', '5.0e3');
      expect(s.call('INCRBYFLOAT', 'k', '2.0e2')).to.equal(resp.bulk('5200'));
      expect(s.call('INCRBYFLOAT', 'new', '0x10')).to.equal(resp.bulk('16'));
      expect(s.call('INCRBYFLOAT', 'new', '-16')).to.equal(resp.bulk('0'));
    });

    it('keeps the TTL and does not count keyspace hits', () => {
      s.call('SET', 'k', '1', 'PX', '500');
      expect(s.call('INCRBYFLOAT', 'k', '1.5')).to.equal(resp.bulk('2.5'));
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 500);
      expect(stats(s)).to.deep.equal({ hits: 0, misses: 0 });
      expect(s.call('OBJECT', 'ENCODING', 'k')).to.equal(resp.bulk('embstr'));
      // Never integer-encoded, even when the result reads as an integer.
      expect(s.call('INCRBYFLOAT', 'k', '12.5')).to.equal(resp.bulk('15'));
      expect(s.call('OBJECT', 'ENCODING', 'k')).to.equal(resp.bulk('embstr'));
      // Past 44 bytes Redis stores the result as a raw string object.
      expect(s.call('INCRBYFLOAT', 'big', '1e60')).to.equal(resp.bulk('999999999999999999999373423426722168652130621984886772203520'));
      expect(s.call('OBJECT', 'ENCODING', 'big')).to.equal(resp.bulk('raw'));
    });

    it('refuses bad floats and infinite results', () => {
      s.call('SET', 'k', '1');
      expect(s.call('INCRBYFLOAT', 'k', 'nan')).to.equal(NOT_FLOAT);
      expect(s.call('INCRBYFLOAT', 'k', '1e5000')).to.equal(NOT_FLOAT);
      expect(s.call('INCRBYFLOAT', 'k', ' 1')).to.equal(NOT_FLOAT);
      expect(s.call('INCRBYFLOAT', 'k', 'inf')).to.equal(NAN_INF);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('1'));
      expect(s.call('INCRBYFLOAT', 'k')).to.equal(arity('incrbyfloat'));
    });

    it(`matches ${INCRBYFLOAT_CASES.length} replies recorded from redis-server`, () => {
      for (const [stored, increment, reply] of INCRBYFLOAT_CASES) {
        s.call('SET', 'k', stored);
        const expected = reply.startsWith('ERR ') ? resp.err(reply) : resp.bulk(reply);
        expect(s.call('INCRBYFLOAT', 'k', increment), `${JSON.stringify(stored)} + ${JSON.stringify(increment)}`).to.equal(expected);
      }
    });
  });

  describe('APPEND and STRLEN', () => {
    it('appends, creating the key as a plain value and growing it as raw', () => {
      expect(s.call('APPEND', 'k', '123')).to.equal(resp.int(3));
      expect(isRaw(s, 'k')).to.equal(false);
      expect(s.call('APPEND', 'k', '4\x00')).to.equal(resp.int(5));
      expect(isRaw(s, 'k')).to.equal(true);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('1234\x00'));
      s.call('SET', 'e', 'x');
      expect(s.call('APPEND', 'e', '')).to.equal(resp.int(1));
      expect(isRaw(s, 'e')).to.equal(true);
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 0 });
    });

    it('keeps the TTL', () => {
      s.call('SET', 'k', 'a', 'EX', '100');
      s.call('APPEND', 'k', 'b');
      expect(expireAt(s, 'k')).to.equal(s.clock.now() + 100_000);
    });

    it('refuses to grow past proto-max-bulk-len', () => {
      const small = new Session({ config: { 'proto-max-bulk-len': 1048576 } });
      small.call('SET', 'k', 'a'.repeat(1048570));
      expect(small.call('APPEND', 'k', 'b'.repeat(6))).to.equal(resp.int(1048576));
      expect(small.call('APPEND', 'k', 'c')).to.equal(TOO_LONG);
      expect(small.call('STRLEN', 'k')).to.equal(resp.int(1048576));
    });

    it('STRLEN counts bytes, 0 for a missing key', () => {
      s.call('SET', 'k', '\xe9\x00\xff');
      expect(s.call('STRLEN', 'k')).to.equal(resp.int(3));
      expect(s.call('STRLEN', 'n')).to.equal(resp.int(0));
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 1 });
      expect(s.call('STRLEN')).to.equal(arity('strlen'));
    });
  });

  describe('GETRANGE and SUBSTR', () => {
    it('applies Redis index rules', () => {
      s.call('SET', 'k', 'hello');
      const cases: [string, string, string][] = [
        ['0', '-1', 'hello'],
        ['-1', '-5', ''],
        ['-100', '-200', ''],
        ['-200', '-100', 'h'],
        ['0', '-100', 'h'],
        ['3', '1', ''],
        ['2', '100', 'llo'],
        ['-3', '-2', 'll'],
        ['-9223372036854775807', '-9223372036854775808', ''],
        ['-9223372036854775808', '-9223372036854775807', 'h'],
        ['9223372036854775807', '9223372036854775807', ''],
      ];
      for (const [start, end, want] of cases) {
        expect(s.call('GETRANGE', 'k', start, end), `${start} ${end}`).to.equal(resp.bulk(want));
      }
      expect(s.call('SUBSTR', 'k', '1', '3')).to.equal(resp.bulk('ell'));
    });

    it('replies an empty string for a missing or empty value, and checks indexes first', () => {
      expect(s.call('GETRANGE', 'n', '0', '-1')).to.equal(resp.bulk(''));
      s.call('SET', 'e', '');
      expect(s.call('GETRANGE', 'e', '0', '0')).to.equal(resp.bulk(''));
      expect(s.call('GETRANGE', 'n', 'a', '1')).to.equal(NOT_INTEGER);
      expect(s.call('GETRANGE', 'e', '0', 'b')).to.equal(NOT_INTEGER);
      expect(s.call('GETRANGE', 'e', '1.5', '2')).to.equal(NOT_INTEGER);
      expect(stats(s)).to.deep.equal({ hits: 1, misses: 1 });
      expect(s.call('GETRANGE', 'e', '0')).to.equal(arity('getrange'));
      expect(s.call('SUBSTR', 'e', '0')).to.equal(arity('substr'));
    });
  });

  describe('SETRANGE', () => {
    it('overwrites, pads with zero bytes, keeps the TTL and stores raw', () => {
      expect(s.call('SETRANGE', 'k', '3', 'ab')).to.equal(resp.int(5));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('\x00\x00\x00ab'));
      expect(isRaw(s, 'k')).to.equal(true);
      s.call('SET', 'w', 'Hello World', 'EX', '100');
      expect(s.call('SETRANGE', 'w', '6', 'Redis')).to.equal(resp.int(11));
      expect(s.call('GET', 'w')).to.equal(resp.bulk('Hello Redis'));
      expect(s.call('SETRANGE', 'w', '10', 'XYZ')).to.equal(resp.int(13));
      expect(s.call('GET', 'w')).to.equal(resp.bulk('Hello RediXYZ'));
      expect(s.call('SETRANGE', 'w', '0', 'h')).to.equal(resp.int(13));
      expect(s.call('GET', 'w')).to.equal(resp.bulk('hello RediXYZ'));
      expect(expireAt(s, 'w')).to.equal(s.clock.now() + 100_000);
    });

    it('writes nothing for an empty value, whatever the offset', () => {
      expect(s.call('SETRANGE', 'n', '0', '')).to.equal(resp.int(0));
      expect(s.call('SETRANGE', 'n', '536870912', '')).to.equal(resp.int(0));
      expect(s.client.db.exists('n', s.clock.now())).to.equal(false);
      s.call('SET', 'k', '12');
      expect(s.call('SETRANGE', 'k', '9223372036854775807', '')).to.equal(resp.int(2));
      expect(isRaw(s, 'k')).to.equal(false);
    });

    it('refuses bad offsets and oversized results', () => {
      s.call('SET', 'k', 'v');
      expect(s.call('SETRANGE', 'k', '-1', 'x')).to.equal(resp.err('ERR offset is out of range'));
      expect(s.call('SETRANGE', 'n', '-1', '')).to.equal(resp.err('ERR offset is out of range'));
      expect(s.call('SETRANGE', 'k', 'abc', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('SETRANGE', 'k', '536870912', 'x')).to.equal(TOO_LONG);
      expect(s.call('SETRANGE', 'k', '9223372036854775807', 'x')).to.equal(TOO_LONG);
      expect(s.call('SETRANGE', 'k', '9223372036854775808', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
      const small = new Session({ config: { 'proto-max-bulk-len': 1048576 } });
      expect(small.call('SETRANGE', 'k', '1048575', 'x')).to.equal(resp.int(1048576));
      expect(small.call('SETRANGE', 'k', '1048576', 'x')).to.equal(TOO_LONG);
      expect(small.call('SETRANGE', 'k', '1048575', 'xy')).to.equal(TOO_LONG);
      expect(s.call('SETRANGE', 'k', '1')).to.equal(arity('setrange'));
    });
  });

  describe('LCS', () => {
    beforeEach(() => {
      s.call('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    });

    it('replies the subsequence, its length, or its matches', () => {
      expect(s.call('LCS', 'a', 'b')).to.equal(resp.bulk('mytext'));
      expect(s.call('LCS', 'a', 'b', 'LEN')).to.equal(resp.int(6));
      expect(s.call('LCS', 'a', 'b', 'IDX')).to.equal(
        '*4\r\n$7\r\nmatches\r\n*2\r\n' +
          '*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n' +
          '*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n' +
          '$3\r\nlen\r\n:6\r\n',
      );
      expect(s.call('LCS', 'a', 'b', 'idx', 'minmatchlen', '4', 'withmatchlen')).to.equal(
        '*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n',
      );
      s.client.reply.protocol = 3;
      expect(s.call('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN')).to.equal(
        '%2\r\n$7\r\nmatches\r\n*2\r\n' +
          '*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n' +
          '*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n' +
          '$3\r\nlen\r\n:6\r\n',
      );
    });

    it('treats missing keys as empty strings', () => {
      expect(s.call('LCS', 'nx', 'ny')).to.equal(resp.bulk(''));
      expect(s.call('LCS', 'nx', 'ny', 'LEN')).to.equal(resp.int(0));
      expect(s.call('LCS', 'a', 'nx', 'IDX')).to.equal('*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n');
    });

    it('refuses bad options', () => {
      expect(s.call('LCS', 'a', 'b', 'LEN', 'IDX')).to.equal(resp.err('ERR If you want both the length and indexes, please just use IDX.'));
      expect(s.call('LCS', 'a', 'b', 'MINMATCHLEN')).to.equal(SYNTAX);
      expect(s.call('LCS', 'a', 'b', 'MINMATCHLEN', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('LCS', 'a', 'b', 'foo')).to.equal(SYNTAX);
      expect(s.call('LCS', 'a')).to.equal(arity('lcs'));
    });

    it('refuses a table larger than proto-max-bulk-len', () => {
      const small = new Session({ config: { 'proto-max-bulk-len': 1048576 } });
      small.call('MSET', 'a', 'a'.repeat(600), 'b', 'b'.repeat(510));
      expect(small.call('LCS', 'a', 'b', 'LEN')).to.equal(
        resp.err('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len'),
      );
    });
  });

  describe('command table', () => {
    it('declares Redis 7.0 arity, flags and key positions', () => {
      const expected: Record<string, [number, string[], number[]]> = {
        get: [2, ['readonly', 'fast'], [1, 1, 1]],
        set: [-3, ['write', 'denyoom'], [1, 1, 1]],
        setnx: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        setex: [4, ['write', 'denyoom'], [1, 1, 1]],
        psetex: [4, ['write', 'denyoom'], [1, 1, 1]],
        mset: [-3, ['write', 'denyoom'], [1, -1, 2]],
        msetnx: [-3, ['write', 'denyoom'], [1, -1, 2]],
        mget: [-2, ['readonly', 'fast'], [1, -1, 1]],
        getset: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        getdel: [2, ['write', 'fast'], [1, 1, 1]],
        getex: [-2, ['write', 'fast'], [1, 1, 1]],
        incr: [2, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        decr: [2, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        incrby: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        decrby: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        incrbyfloat: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        append: [3, ['write', 'denyoom', 'fast'], [1, 1, 1]],
        strlen: [2, ['readonly', 'fast'], [1, 1, 1]],
        getrange: [4, ['readonly'], [1, 1, 1]],
        substr: [4, ['readonly'], [1, 1, 1]],
        setrange: [4, ['write', 'denyoom'], [1, 1, 1]],
        lcs: [-3, ['readonly'], [1, 2, 1]],
      };
      for (const [name, [arityValue, flags, keys]] of Object.entries(expected)) {
        const spec = s.core.commands.lookup(name);
        expect(spec, name).to.not.equal(undefined);
        expect([spec?.arity, spec?.flags, spec?.keys, spec?.group], name).to.deep.equal([arityValue, flags, keys, 'string']);
      }
    });
  });
});

describe('string commands against a real redis-server', () => {
  let redis: RealRedis | null = null;

  before(async () => {
    redis = await startRedisServer();
  });

  after(async () => {
    await redis?.stop();
  });

  /** Sends the commands pipelined to redis-server and one by one to a ringcache session. */
  async function compare(commands: string[][]): Promise<void> {
    if (redis === null) throw new Error('no reference server');
    const client = await RawClient.connect(redis.port);
    const all = [['FLUSHALL'], ...commands];
    client.write(Buffer.concat(all.map((args) => encodeCommand(args))));
    const expected: string[] = [];
    for (let i = 0; i < all.length; i++) expected.push(await client.readReply());
    await client.close();
    const s = new Session({ clock: new FakeClock(Date.now()) });
    for (let i = 0; i < commands.length; i++) {
      expect(s.call(...commands[i]), `#${i} ${JSON.stringify(commands[i])}`).to.equal(expected[i + 1]);
    }
  }

  it('COMMAND INFO and COMMAND DOCS describe every string command as Redis does', async () => {
    const names = ['get', 'set', 'setnx', 'setex', 'psetex', 'mset', 'msetnx', 'mget', 'getset', 'getdel', 'getex', 'incr', 'decr'];
    names.push('incrby', 'decrby', 'incrbyfloat', 'append', 'strlen', 'getrange', 'substr', 'setrange', 'lcs');
    await compare(names.flatMap((name) => [['COMMAND', 'INFO', name], ['COMMAND', 'DOCS', name]]));
  });

  it('INCRBYFLOAT agrees on generated values', async () => {
    const rnd = seeded(7);
    const commands: string[][] = [];
    for (let i = 0; i < 400; i++) commands.push(['SET', 'k', randomFloatText(rnd)], ['INCRBYFLOAT', 'k', randomFloatText(rnd)]);
    await compare(commands);
  });

  it('every string command agrees on generated calls', async () => {
    const rnd = seeded(11);
    const commands: string[][] = [];
    for (let i = 0; i < 1500; i++) commands.push(randomStringCommand(rnd));
    await compare(commands);
  });
});

/** A small deterministic generator, so a failure replays. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function digits(rnd: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(Math.floor(rnd() * 10));
  return out;
}

function randomFloatText(rnd: () => number): string {
  const sign = pick(rnd, ['', '', '-', '+']);
  const n = 1 + Math.floor(rnd() * 20);
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return sign + digits(rnd, n);
    case 1: {
      const d = digits(rnd, n);
      const dot = Math.floor(rnd() * (n + 1));
      return `${sign}${d.slice(0, dot)}.${d.slice(dot)}`;
    }
    case 2:
      return `${sign}${digits(rnd, n)}e${Math.floor(rnd() * 80) - 40}`;
    case 3:
      return `${sign}0.${'0'.repeat(Math.floor(rnd() * 20))}${digits(rnd, n)}`;
    case 4:
      return `${sign}${digits(rnd, 2)}e${Math.floor(rnd() * 9900) - 4950}`;
    case 5:
      return `${sign}0x${Math.floor(rnd() * 2 ** 40).toString(16)}p${Math.floor(rnd() * 200) - 100}`;
    default:
      return pick(rnd, ['0', '-0', 'inf', 'nan', ' 1', '1e', '', '0.1', '1e308', '1e-4940', '9223372036854775807']);
  }
}

const KEYS = ['a', 'b', 'n'];
const VALUES = ['', '0', '1', '-1', '10', '3.5', 'hello', '9223372036854775807', '-9223372036854775808', ' 1', '01', 'x\x00y'];
const INTEGERS = ['0', '1', '-1', '5', '-5', '100', 'abc', '1.5', '9223372036854775807', '-9223372036854775808', '9223372036854775808'];
// Times that cannot expire during the test: invalid, far future, or already past (absolute).
const SET_TIMES: Record<string, readonly string[]> = {
  EX: ['0', '-1', 'abc', '100000', '9223372036854775', '9223372036854776'],
  PX: ['0', '-1', 'abc', '100000000', '9223372036854775807'],
  EXAT: ['0', '1', '99999999999', '9223372036854775', '9223372036854776'],
  PXAT: ['0', '1', '99999999999999', '9223372036854775807'],
};

function randomTimeOption(rnd: () => number): string[] {
  const unit = pick(rnd, Object.keys(SET_TIMES));
  return rnd() < 0.1 ? [unit] : [unit, pick(rnd, SET_TIMES[unit])];
}

function randomStringCommand(rnd: () => number): string[] {
  const key = pick(rnd, KEYS);
  const value = pick(rnd, VALUES);
  const int = (): string => pick(rnd, INTEGERS);
  switch (Math.floor(rnd() * 22)) {
    case 0:
      return ['GET', key];
    case 1: {
      const options: string[] = [];
      const count = Math.floor(rnd() * 4);
      for (let i = 0; i < count; i++) {
        const r = rnd();
        if (r < 0.4) options.push(...randomTimeOption(rnd));
        else options.push(pick(rnd, ['NX', 'XX', 'GET', 'KEEPTTL', 'nx', 'get', 'PERSIST', 'FOO']));
      }
      return ['SET', key, value, ...options];
    }
    case 2:
      return ['SETNX', key, value];
    case 3:
      return ['SETEX', key, pick(rnd, SET_TIMES.EX), value];
    case 4:
      return ['PSETEX', key, pick(rnd, SET_TIMES.PX), value];
    case 5: {
      const args = ['MSET'];
      const n = 1 + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) args.push(pick(rnd, KEYS));
      return args;
    }
    case 6: {
      const args = ['MSETNX'];
      const n = 1 + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) args.push(i % 2 === 0 ? pick(rnd, KEYS) : pick(rnd, VALUES));
      return args;
    }
    case 7:
      return ['MGET', ...KEYS.filter(() => rnd() < 0.7)];
    case 8:
      return ['GETSET', key, value];
    case 9:
      return ['GETDEL', key];
    case 10: {
      const options: string[] = [];
      if (rnd() < 0.7) options.push(...(rnd() < 0.2 ? ['PERSIST'] : randomTimeOption(rnd)));
      if (rnd() < 0.2) options.push(pick(rnd, ['PERSIST', 'KEEPTTL', 'NX', 'EX']));
      return ['GETEX', key, ...options];
    }
    case 11:
      return ['INCR', key];
    case 12:
      return ['DECR', key];
    case 13:
      return ['INCRBY', key, int()];
    case 14:
      return ['DECRBY', key, int()];
    case 15:
      return ['INCRBYFLOAT', key, pick(rnd, [...INTEGERS, '0.1', '-2.5', '1e3', 'inf', 'nan', '0x10'])];
    case 16:
      return ['APPEND', key, value];
    case 17:
      return ['STRLEN', key];
    case 18:
      return [pick(rnd, ['GETRANGE', 'SUBSTR']), key, int(), int()];
    case 19:
      return ['SETRANGE', key, pick(rnd, ['0', '1', '3', '12', '-1', 'abc', '536870912', '9223372036854775807']), value];
    case 20: {
      const options: string[] = [];
      for (const opt of ['IDX', 'LEN', 'WITHMATCHLEN', 'MINMATCHLEN', 'FOO']) {
        if (rnd() >= 0.3) continue;
        if (opt === 'MINMATCHLEN') options.push(opt, pick(rnd, ['-1', '0', '1', '2', 'x']));
        else options.push(opt);
      }
      if (rnd() < 0.1) options.push('MINMATCHLEN');
      return ['LCS', key, pick(rnd, KEYS), ...options];
    }
    default:
      // An argument more or fewer than the grammar wants exercises the arity checks.
      return pick(rnd, [['GET'], ['SETNX', key], ['INCR', key, '1'], ['GETRANGE', key, '0'], ['MSET', key], ['LCS', key]]);
  }
}
