// Expected replies were taken from redis-server 7.0.15 running the same commands.
import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

const err = resp.err;
const SAME_OBJECT = err('ERR source and destination objects are the same');
const DB_RANGE = err('ERR DB index is out of range');
const NOT_INTEGER = err('ERR value is not an integer or out of range');
const INT_RANGE = err('ERR value is out of range, value must between -2147483648 and 2147483647');

/** The keys of a KEYS or SCAN reply's key array, sorted (their order is unspecified). */
function keysOf(reply: string): string[] {
  const keys: string[] = [];
  const re = /\$(\d+)\r\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(reply)) !== null) {
    keys.push(reply.substr(re.lastIndex, Number(m[1])));
    re.lastIndex += Number(m[1]) + 2;
  }
  return keys.sort();
}

/** Runs a whole SCAN iteration and returns every key seen. */
function scanAll(s: Session, ...options: string[]): string[] {
  const seen: string[] = [];
  let cursor = '0';
  do {
    const reply = s.call('SCAN', cursor, ...options);
    const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(reply);
    expect(m, reply).to.not.equal(null);
    cursor = (m as RegExpExecArray)[1];
    seen.push(...keysOf(reply.slice((m as RegExpExecArray)[0].length)));
  } while (cursor !== '0');
  return seen.sort();
}

describe('keyspace commands', () => {
  describe('DEL, UNLINK, EXISTS, TYPE, DBSIZE', () => {
    it('counts keys as Redis does', () => {
      const s = new Session();
      s.call('SET', 'a', '1');
      expect(s.call('EXISTS', 'a', 'a', 'b', 'a')).to.equal(resp.int(3));
      expect(s.call('TYPE', 'a')).to.equal(resp.simple('string'));
      expect(s.call('TYPE', 'b')).to.equal(resp.simple('none'));
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
      expect(s.call('DEL', 'a', 'a', 'b')).to.equal(resp.int(1));
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      s.call('SET', 'x', '1');
      s.call('SET', 'y', '1');
      expect(s.call('UNLINK', 'x', 'y', 'z')).to.equal(resp.int(2));
      expect(s.call('DEL', 'x')).to.equal(resp.int(0));
    });

    it('treats an expired key as gone and counts it as expired, not deleted', () => {
      const s = new Session();
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(101);
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
      expect(s.call('DEL', 'k')).to.equal(resp.int(0));
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      expect(s.core.keyspace.stats.expiredKeys).to.equal(1);
    });

    it('counts keyspace hits and misses for EXISTS and TYPE, not for DEL', () => {
      const s = new Session();
      const stats = s.core.keyspace.stats;
      s.call('SET', 'a', '1');
      s.call('EXISTS', 'a', 'b');
      s.call('TYPE', 'a');
      s.call('DEL', 'a', 'zz');
      expect([stats.keyspaceHits, stats.keyspaceMisses]).to.deep.equal([2, 1]);
    });

    it('counts hits and misses for TOUCH, COPY and TTL, not for RENAME, EXPIRE, PERSIST, MOVE', () => {
      const s = new Session();
      const stats = s.core.keyspace.stats;
      s.call('SET', 'a', '1');
      for (const args of [['TOUCH', 'a', 'zz'], ['COPY', 'a', 'b'], ['COPY', 'zz', 'b'], ['RENAME', 'a', 'c']]) s.call(...args);
      for (const args of [['EXPIRE', 'c', '100'], ['TTL', 'c'], ['PERSIST', 'c'], ['MOVE', 'c', '3']]) s.call(...args);
      expect([stats.keyspaceHits, stats.keyspaceMisses]).to.deep.equal([3, 2]);
    });
  });

  describe('FLUSHDB, FLUSHALL', () => {
    it('accept ASYNC or SYNC in any case, and nothing else', () => {
      const s = new Session();
      for (const args of [[], ['async'], ['SYNC'], ['Async']]) {
        s.call('SET', 'a', '1');
        expect(s.call('FLUSHDB', ...args)).to.equal(resp.ok);
        expect(s.call('DBSIZE')).to.equal(resp.int(0));
      }
      expect(s.call('FLUSHDB', 'foo')).to.equal(err('ERR syntax error'));
      expect(s.call('FLUSHDB', 'async', 'sync')).to.equal(err('ERR syntax error'));
      expect(s.call('FLUSHALL', 'x')).to.equal(err('ERR syntax error'));
      expect(s.call('FLUSHALL', 'ASYNC')).to.equal(resp.ok);
    });

    it('FLUSHDB empties the selected database only; FLUSHALL all of them', () => {
      const s = new Session();
      s.call('SET', 'a', '1');
      s.call('SELECT', '1');
      s.call('SET', 'b', '1');
      expect(s.call('FLUSHDB')).to.equal(resp.ok);
      s.call('SELECT', '0');
      expect(s.call('EXISTS', 'a')).to.equal(resp.int(1));
      s.call('SELECT', '2');
      s.call('SET', 'c', '1');
      expect(s.call('FLUSHALL')).to.equal(resp.ok);
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      s.call('SELECT', '0');
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
    });
  });

  describe('KEYS', () => {
    const KEYS = ['abc', 'a', 'ab', 'b', '[', '\\', 'a]', '!'];
    const session = (): Session => {
      const s = new Session();
      for (const k of KEYS) s.call('SET', k, '1');
      return s;
    };

    it('matches globs exactly as Redis', () => {
      const s = session();
      expect(keysOf(s.call('KEYS', '*'))).to.deep.equal([...KEYS].sort());
      expect(keysOf(s.call('KEYS', '[!a]*'))).to.deep.equal(['!', 'a', 'a]', 'ab', 'abc']);
      expect(keysOf(s.call('KEYS', '[^a]*'))).to.deep.equal(['!', '[', '\\', 'b']);
      expect(keysOf(s.call('KEYS', '[a'))).to.deep.equal(['a']);
      expect(keysOf(s.call('KEYS', '*\\'))).to.deep.equal(['\\']);
      expect(keysOf(s.call('KEYS', '[a-]*'))).to.deep.equal(['a']);
      expect(s.call('KEYS', 'a[')).to.equal('*0\r\n');
    });

    it('hides expired keys without deleting them', () => {
      const s = new Session();
      s.call('SET', 'gone', '1', 'PX', '10');
      s.call('SET', 'here', '1');
      s.clock.advance(11);
      expect(s.call('KEYS', '*')).to.equal(resp.bulks(['here']));
      expect(s.call('DBSIZE')).to.equal(resp.int(2));
    });

    it('handles binary keys', () => {
      const s = new Session();
      for (const k of ['\x00', '\xff', '\x80', 'a', '\xe9']) s.call('SET', k, '1');
      expect(keysOf(s.call('KEYS', '[\x00-\xff]'))).to.deep.equal(['\x00', '\xff']);
      expect(keysOf(s.call('KEYS', '?'))).to.have.length(5);
    });
  });

  describe('SCAN', () => {
    it('walks every key once with any COUNT, MATCH and TYPE', () => {
      const s = new Session();
      const all: string[] = [];
      for (let i = 0; i < 300; i++) {
        s.call('SET', `key:${i}`, 'v');
        all.push(`key:${i}`);
      }
      expect(scanAll(s)).to.deep.equal(all.sort());
      expect(scanAll(s, 'COUNT', '1')).to.deep.equal(all);
      expect(scanAll(s, 'count', '1000')).to.deep.equal(all);
      expect(scanAll(s, 'MATCH', 'key:1?')).to.deep.equal(['key:10', 'key:11', 'key:12', 'key:13', 'key:14', 'key:15', 'key:16', 'key:17', 'key:18', 'key:19']);
      expect(scanAll(s, 'TYPE', 'STRING')).to.deep.equal(all);
      expect(scanAll(s, 'TYPE', 'list')).to.deep.equal([]);
      expect(scanAll(s, 'TYPE', 'foo')).to.deep.equal([]);
    });

    it('answers the last page with cursor 0', () => {
      const s = new Session();
      s.call('SET', 'a', '1');
      expect(s.call('SCAN', '0', 'COUNT', '100')).to.equal(`*2\r\n$1\r\n0\r\n${resp.bulks(['a'])}`);
      expect(s.call('SCAN', '', 'COUNT', '100')).to.equal(`*2\r\n$1\r\n0\r\n${resp.bulks(['a'])}`);
      expect(s.call('SCAN', '18446744073709551615')).to.match(/^\*2\r\n\$1\r\n0\r\n/);
    });

    it('returns a key that RENAME, COPY REPLACE or RESTORE REPLACE overwrote during the iteration (present throughout)', () => {
      const probe = new Session();
      probe.call('SET', 'x', 'restored');
      const reply = probe.call('DUMP', 'x');
      const payload = reply.slice(reply.indexOf('\r\n') + 2, -2);
      for (const overwrite of [['RENAME', 'a2', 'a8'], ['COPY', 'a2', 'a8', 'REPLACE'], ['RESTORE', 'a8', '0', payload, 'REPLACE']]) {
        // One shard, so that the slots are in insertion order: a1's slot is free below the
        // cursor, a8's above it. A key moved to the lowest free slot would be skipped.
        const s = new Session({ config: { shards: 1 } });
        for (let i = 0; i < 10; i++) s.call('SET', `a${i}`, 'v');
        s.call('DEL', 'a1');
        const first = s.call('SCAN', '0', 'COUNT', '4');
        const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(first) as RegExpExecArray;
        const seen = keysOf(first.slice(m[0].length));
        expect(seen).to.deep.equal(['a0', 'a2', 'a3', 'a4']);
        expect(s.call(...overwrite), overwrite[0]).to.equal(overwrite[0] === 'COPY' ? resp.int(1) : resp.ok);
        let cursor = m[1];
        while (cursor !== '0') {
          const reply = s.call('SCAN', cursor, 'COUNT', '4');
          const n = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(reply) as RegExpExecArray;
          seen.push(...keysOf(reply.slice(n[0].length)));
          cursor = n[1];
        }
        expect(seen, overwrite[0]).to.include('a8');
      }
    });

    it('rejects bad cursors and options with Redis errors, cursor first', () => {
      const s = new Session();
      const invalid = err('ERR invalid cursor');
      for (const cursor of ['x', ' 1', '1 ', '18446744073709551616', '-', '0x10']) {
        expect(s.call('SCAN', cursor), cursor).to.equal(invalid);
      }
      expect(s.call('SCAN', 'x', 'COUNT', '0')).to.equal(invalid);
      expect(s.call('SCAN', '0', 'COUNT', '0')).to.equal(err('ERR syntax error'));
      expect(s.call('SCAN', '0', 'COUNT', '-1')).to.equal(err('ERR syntax error'));
      expect(s.call('SCAN', '0', 'COUNT', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('SCAN', '0', 'COUNT', '9223372036854775808')).to.equal(NOT_INTEGER);
      expect(s.call('SCAN', '0', 'COUNT', '0', 'COUNT', '1')).to.equal(err('ERR syntax error'));
      expect(s.call('SCAN', '0', 'MATCH')).to.equal(err('ERR syntax error'));
      expect(s.call('SCAN', '0', 'foo', 'bar')).to.equal(err('ERR syntax error'));
    });

    it('deletes expired keys it meets, except that TYPE none returns them (Redis 7.0)', () => {
      const s = new Session();
      s.call('SET', 'a', '1', 'PX', '1');
      s.call('SET', 'c', '1', 'PX', '1');
      s.call('SET', 'd', '1');
      s.clock.advance(2);
      expect(s.call('DBSIZE')).to.equal(resp.int(3));
      expect(scanAll(s, 'TYPE', 'none')).to.deep.equal(['a', 'c']);
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
      s.call('SET', 'a', '1', 'PX', '1');
      s.clock.advance(2);
      expect(scanAll(s)).to.deep.equal(['d']);
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
    });

    it('counts a keyspace hit per key its TYPE filter looks up, after MATCH', () => {
      const s = new Session();
      s.call('MSET', 'a', '1', 'b', '2', 'c', '3');
      const stats = s.core.keyspace.stats;
      const before = stats.keyspaceHits;
      scanAll(s, 'TYPE', 'string');
      scanAll(s, 'MATCH', 'a', 'TYPE', 'string');
      s.call('KEYS', '*');
      s.call('RANDOMKEY');
      expect(stats.keyspaceHits - before).to.equal(4);
    });
  });

  describe('RANDOMKEY', () => {
    it('returns null on an empty database and a live key otherwise', () => {
      const s = new Session();
      expect(s.call('RANDOMKEY')).to.equal(resp.nil);
      s.call('SET', 'only', '1');
      expect(s.call('RANDOMKEY')).to.equal(resp.bulk('only'));
    });

    it('reclaims expired keys it draws', () => {
      const s = new Session();
      for (let i = 0; i < 50; i++) s.call('SET', `old${i}`, 'v', 'PX', '5');
      s.call('SET', 'live', 'v');
      s.clock.advance(6);
      expect(s.call('RANDOMKEY')).to.equal(resp.bulk('live'));
      s.call('DEL', 'live');
      expect(s.call('RANDOMKEY')).to.equal(resp.nil);
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
    });
  });

  describe('RENAME, RENAMENX', () => {
    it('moves the value and its TTL, replacing the target and its TTL', () => {
      const s = new Session();
      expect(s.call('RENAME', 'a', 'b')).to.equal(err('ERR no such key'));
      expect(s.call('RENAMENX', 'a', 'b')).to.equal(err('ERR no such key'));
      expect(s.call('RENAME', 'z', 'z')).to.equal(err('ERR no such key'));
      s.call('SET', 'a', '1');
      expect(s.call('RENAME', 'a', 'a')).to.equal(resp.ok);
      expect(s.call('RENAMENX', 'a', 'a')).to.equal(resp.int(0));
      s.call('PEXPIRE', 'a', '100000');
      expect(s.call('RENAME', 'a', 'b')).to.equal(resp.ok);
      expect(s.call('PTTL', 'b')).to.equal(resp.int(100000));
      expect(s.call('EXISTS', 'a')).to.equal(resp.int(0));
      s.call('SET', 'c', '2');
      expect(s.call('RENAMENX', 'b', 'c')).to.equal(resp.int(0));
      expect(s.call('RENAMENX', 'b', 'd')).to.equal(resp.int(1));
      expect(s.call('GET', 'd')).to.equal(resp.bulk('1'));
      s.call('SET', 'x', '1');
      s.call('SET', 'y', '2', 'PX', '5000');
      expect(s.call('RENAME', 'x', 'y')).to.equal(resp.ok);
      expect(s.call('PTTL', 'y')).to.equal(resp.int(-1));
      expect(s.call('GET', 'y')).to.equal(resp.bulk('1'));
    });

    it('keeps the encoding of a value built in place', () => {
      const s = new Session();
      s.call('SET', 'a', '5');
      s.call('APPEND', 'a', '5');
      s.call('RENAME', 'a', 'b');
      expect(s.call('OBJECT', 'ENCODING', 'b')).to.equal(resp.bulk('raw'));
    });
  });

  describe('TOUCH', () => {
    it('counts existing keys, duplicates included, and refreshes their idle time', () => {
      const s = new Session();
      s.call('SET', 'e', '1');
      s.clock.advance(5000);
      expect(s.call('OBJECT', 'IDLETIME', 'e')).to.equal(resp.int(5));
      expect(s.call('TOUCH', 'e', 'e', 'x')).to.equal(resp.int(2));
      expect(s.call('OBJECT', 'IDLETIME', 'e')).to.equal(resp.int(0));
      expect(s.call('TOUCH', 'nokey')).to.equal(resp.int(0));
    });
  });

  describe('MOVE', () => {
    it('moves a key with its TTL to another database, never over an existing key', () => {
      const s = new Session();
      s.call('SET', 'e', '1', 'PX', '100000');
      expect(s.call('MOVE', 'e', '0')).to.equal(SAME_OBJECT);
      expect(s.call('MOVE', 'e', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('MOVE', 'e', '16')).to.equal(DB_RANGE);
      expect(s.call('MOVE', 'e', '-1')).to.equal(DB_RANGE);
      expect(s.call('MOVE', 'e', '4294967296')).to.equal(INT_RANGE);
      expect(s.call('MOVE', 'e', '-2147483649')).to.equal(INT_RANGE);
      expect(s.call('MOVE', 'nokey', '1')).to.equal(resp.int(0));
      expect(s.call('MOVE', 'e', '1')).to.equal(resp.int(1));
      expect(s.call('EXISTS', 'e')).to.equal(resp.int(0));
      s.call('SELECT', '1');
      expect(s.call('PTTL', 'e')).to.equal(resp.int(100000));
      s.call('SET', 'f', '1');
      s.call('SELECT', '0');
      s.call('SET', 'f', '2');
      expect(s.call('MOVE', 'f', '1')).to.equal(resp.int(0));
      s.call('SELECT', '1');
      expect(s.call('GET', 'f')).to.equal(resp.bulk('1'));
    });
  });

  describe('COPY', () => {
    it('parses DB and REPLACE as Redis, in order', () => {
      const s = new Session();
      expect(s.call('COPY', 'a', 'b', 'DB', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('COPY', 'a', 'b', 'DB')).to.equal(err('ERR syntax error'));
      expect(s.call('COPY', 'a', 'b', 'foo')).to.equal(err('ERR syntax error'));
      expect(s.call('COPY', 'a', 'a')).to.equal(SAME_OBJECT);
      expect(s.call('COPY', 'a', 'a', 'DB', '0')).to.equal(SAME_OBJECT);
      expect(s.call('COPY', 'a', 'a', 'DB', '1')).to.equal(resp.int(0));
      expect(s.call('COPY', 'a', 'b', 'DB', '16')).to.equal(DB_RANGE);
      expect(s.call('COPY', 'a', 'b', 'DB', '2147483648')).to.equal(INT_RANGE);
      expect(s.call('COPY', 'a', 'b', 'DB', '16', 'foo')).to.equal(DB_RANGE);
      expect(s.call('COPY', 'a', 'b', 'foo', 'DB', '16')).to.equal(err('ERR syntax error'));
      expect(s.call('COPY', 'a', 'b', 'REPLACE', 'REPLACE')).to.equal(resp.int(0));
      expect(s.call('COPY', 'a', 'b', 'DB', '1', 'DB', '2')).to.equal(resp.int(0));
    });

    it('copies value and TTL, within a database or to another, replacing only with REPLACE', () => {
      const s = new Session();
      s.call('SET', 'a', '1');
      expect(s.call('COPY', 'a', 'a', 'DB', '1')).to.equal(resp.int(1));
      s.call('SELECT', '1');
      expect(s.call('GET', 'a')).to.equal(resp.bulk('1'));
      s.call('SELECT', '0');
      s.call('PEXPIRE', 'a', '5000');
      expect(s.call('COPY', 'a', 'b')).to.equal(resp.int(1));
      expect(s.call('PTTL', 'b')).to.equal(resp.int(5000));
      s.call('SET', 'c', '5');
      expect(s.call('COPY', 'a', 'c')).to.equal(resp.int(0));
      expect(s.call('GET', 'c')).to.equal(resp.bulk('5'));
      expect(s.call('COPY', 'a', 'c', 'replace')).to.equal(resp.int(1));
      expect(s.call('PTTL', 'c')).to.equal(resp.int(5000));
      expect(s.call('GET', 'c')).to.equal(resp.bulk('1'));
      expect(s.call('PTTL', 'a')).to.equal(resp.int(5000));
    });
  });

  describe('SWAPDB', () => {
    it('validates both indexes before the range', () => {
      const s = new Session();
      expect(s.call('SWAPDB', 'x', '1')).to.equal(err('ERR invalid first DB index'));
      expect(s.call('SWAPDB', '0', 'x')).to.equal(err('ERR invalid second DB index'));
      expect(s.call('SWAPDB', '0', '4294967296')).to.equal(err('ERR invalid second DB index'));
      expect(s.call('SWAPDB', '16', 'x')).to.equal(err('ERR invalid second DB index'));
      expect(s.call('SWAPDB', '0', '16')).to.equal(DB_RANGE);
      expect(s.call('SWAPDB', '-1', '0')).to.equal(DB_RANGE);
      expect(s.call('SWAPDB', '0', '0')).to.equal(resp.ok);
    });

    it('swaps contents under clients that selected either database', () => {
      const s = new Session();
      const other = s.peer();
      s.call('SET', 'in0', '1', 'PX', '9000');
      other.call('SELECT', '1');
      other.call('SET', 'in1', '2');
      expect(s.call('SWAPDB', '0', '1')).to.equal(resp.ok);
      expect(s.call('KEYS', '*')).to.equal(resp.bulks(['in1']));
      expect(other.call('KEYS', '*')).to.equal(resp.bulks(['in0']));
      expect(other.call('PTTL', 'in0')).to.equal(resp.int(9000));
      expect(s.call('SWAPDB', '1', '0')).to.equal(resp.ok);
      expect(s.call('GET', 'in0')).to.equal(resp.bulk('1'));
    });

    it('is refused in cluster mode', () => {
      const s = new Session({ config: { 'cluster-enabled': 'yes' } });
      expect(s.call('SWAPDB', '0', '1')).to.equal(err('ERR SWAPDB is not allowed in cluster mode'));
    });
  });

  describe('OBJECT', () => {
    it('reports encodings by Redis rules', () => {
      const s = new Session();
      const cases: [string, string][] = [
        ['123', 'int'],
        ['-9223372036854775808', 'int'],
        ['9223372036854775808', 'embstr'],
        ['0123', 'embstr'],
        ['-0', 'embstr'],
        ['+1', 'embstr'],
        ['1.5', 'embstr'],
        ['', 'embstr'],
        ['\x001', 'embstr'],
        ['12345678901234567890', 'embstr'],
        ['1234567890123456789', 'int'],
        ['x'.repeat(44), 'embstr'],
        ['x'.repeat(45), 'raw'],
      ];
      for (const [value, encoding] of cases) {
        s.call('SET', 'k', value);
        expect(s.call('OBJECT', 'ENCODING', 'k'), JSON.stringify(value)).to.equal(resp.bulk(encoding));
      }
      expect(s.call('object', 'encoding', 'nokey')).to.equal(resp.nil);
    });

    it('reports the shared refcount for small integers while integers are shared', () => {
      const s = new Session();
      const cases: [string, number][] = [
        ['0', 2147483647],
        ['123', 2147483647],
        ['9999', 2147483647],
        ['10000', 1],
        ['-1', 1],
        ['embstr', 1],
      ];
      for (const [value, refcount] of cases) {
        s.call('SET', 'k', value);
        expect(s.call('OBJECT', 'REFCOUNT', 'k'), value).to.equal(resp.int(refcount));
      }
      s.call('SET', 'm', '5');
      s.call('APPEND', 'm', '5');
      expect(s.call('OBJECT', 'REFCOUNT', 'm')).to.equal(resp.int(1));
      expect(s.call('OBJECT', 'REFCOUNT', 'nokey')).to.equal(resp.nil);
      const lru = new Session({ config: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lru' } });
      lru.call('SET', 'k', '1');
      expect(lru.call('OBJECT', 'REFCOUNT', 'k')).to.equal(resp.int(1));
      expect(lru.call('OBJECT', 'ENCODING', 'k')).to.equal(resp.bulk('int'));
    });

    it('answers FREQ and IDLETIME according to the eviction policy', () => {
      const s = new Session();
      s.call('SET', 'k', 'v');
      expect(s.call('OBJECT', 'FREQ', 'nokey')).to.equal(resp.nil);
      expect(s.call('OBJECT', 'FREQ', 'k')).to.equal(
        err(
          'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
        ),
      );
      s.clock.advance(3999);
      expect(s.call('OBJECT', 'IDLETIME', 'k')).to.equal(resp.int(3));
      expect(s.call('OBJECT', 'IDLETIME', 'nokey')).to.equal(resp.nil);
      const lfu = new Session({ config: { 'maxmemory-policy': 'allkeys-lfu' } });
      lfu.call('SET', 'q', 'abcdef');
      expect(lfu.call('OBJECT', 'FREQ', 'q')).to.equal(resp.int(5));
      expect(lfu.call('OBJECT', 'IDLETIME', 'q')).to.equal(
        err(
          'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
        ),
      );
    });

    it('does not refresh the access time itself, and counts as a read', () => {
      const s = new Session();
      s.call('SET', 'k', 'v');
      s.clock.advance(2000);
      s.call('OBJECT', 'ENCODING', 'k');
      expect(s.call('OBJECT', 'IDLETIME', 'k')).to.equal(resp.int(2));
      expect(s.core.keyspace.stats.keyspaceHits).to.equal(2);
    });

    it('prints HELP and rejects unknown subcommands and wrong arities as Redis', () => {
      const s = new Session();
      const help = s.call('OBJECT', 'HELP');
      expect(help.startsWith('*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n')).to.equal(true);
      expect(help.endsWith('+HELP\r\n+    Prints this help.\r\n')).to.equal(true);
      expect(s.call('object', 'help')).to.equal(help);
      expect(s.call('OBJECT', 'foo')).to.equal(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
      expect(s.call('OBJECT', 'Foo', 'bar')).to.equal(err("ERR unknown subcommand 'Foo'. Try OBJECT HELP."));
      expect(s.call('OBJECT', 'encoding')).to.equal(err("ERR wrong number of arguments for 'object|encoding' command"));
      expect(s.call('OBJECT', 'encoding', 'a', 'b')).to.equal(err("ERR wrong number of arguments for 'object|encoding' command"));
      expect(s.call('OBJECT', 'help', 'x')).to.equal(err("ERR wrong number of arguments for 'object|help' command"));
      expect(s.call('OBJECT')).to.equal(err("ERR wrong number of arguments for 'object' command"));
    });
  });

  describe('WAIT, LASTSAVE', () => {
    it('WAIT answers 0 replicas after checking its arguments', () => {
      const s = new Session();
      expect(s.call('WAIT', '0', '0')).to.equal(resp.int(0));
      expect(s.call('WAIT', '-1', '0')).to.equal(resp.int(0));
      expect(s.call('WAIT', '0', '9223372036854775807')).to.equal(resp.int(0));
      expect(s.call('WAIT', 'x', '0')).to.equal(NOT_INTEGER);
      expect(s.call('WAIT', '0', 'x')).to.equal(err('ERR timeout is not an integer or out of range'));
      expect(s.call('WAIT', '0', '9223372036854775808')).to.equal(err('ERR timeout is not an integer or out of range'));
      expect(s.call('WAIT', '0', '-1')).to.equal(err('ERR timeout is negative'));
    });

    it('LASTSAVE is the start time in seconds', () => {
      const s = new Session();
      s.clock.advance(10_000);
      expect(s.call('LASTSAVE')).to.equal(resp.int(Math.floor(s.core.startedAt / 1000)));
    });
  });
});
