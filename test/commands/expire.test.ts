// Expected replies were taken from redis-server 7.0.15 running the same commands (times relative
// to the fake clock where Redis's were relative to its own).
import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

const err = resp.err;
const NX_COMBINED = err('ERR NX and XX, GT or LT options at the same time are not compatible');
const GT_LT = err('ERR GT and LT options at the same time are not compatible');
const NOT_INTEGER = err('ERR value is not an integer or out of range');
const invalidExpire = (command: string): string => err(`ERR invalid expire time in '${command}' command`);

function withKey(...setArgs: string[]): Session {
  const s = new Session();
  s.call('SET', 'a', '1', ...setArgs);
  return s;
}

describe('expire commands', () => {
  describe('EXPIRE options', () => {
    it('rejects incompatible and unknown options, before reading the time', () => {
      const s = withKey();
      expect(s.call('EXPIRE', 'a', '100', 'nx', 'xx')).to.equal(NX_COMBINED);
      expect(s.call('EXPIRE', 'a', '100', 'NX', 'GT')).to.equal(NX_COMBINED);
      expect(s.call('EXPIRE', 'a', '100', 'nx', 'lt')).to.equal(NX_COMBINED);
      expect(s.call('EXPIRE', 'a', '100', 'gt', 'lt')).to.equal(GT_LT);
      expect(s.call('EXPIRE', 'a', '100', 'xx', 'xx', 'nx')).to.equal(NX_COMBINED);
      expect(s.call('EXPIRE', 'a', '100', 'foo')).to.equal(err('ERR Unsupported option foo'));
      expect(s.call('EXPIRE', 'a', '100', 'fo\x00o')).to.equal(err('ERR Unsupported option fo'));
      expect(s.call('EXPIRE', 'a', '100', 'fo\no')).to.equal(err('ERR Unsupported option fo o'));
      expect(s.call('EXPIRE', 'a', 'x', 'foo')).to.equal(err('ERR Unsupported option foo'));
      expect(s.call('EXPIRE', 'nokey', '100', 'nx', 'xx')).to.equal(NX_COMBINED);
      expect(s.call('EXPIRE', 'a', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('EXPIRE', 'nokey', 'x')).to.equal(NOT_INTEGER);
      expect(s.call('EXPIRE', 'a', '1.5')).to.equal(NOT_INTEGER);
      expect(s.call('TTL', 'a')).to.equal(resp.int(-1));
    });

    it('applies NX, XX, GT and LT, a missing TTL counting as infinite', () => {
      const s = withKey();
      expect(s.call('EXPIRE', 'a', '100', 'xx', 'gt')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '100', 'nx', 'nx')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'a', '100', 'NX')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '50', 'nx')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '200', 'gt')).to.equal(resp.int(1));
      expect(s.call('TTL', 'a')).to.equal(resp.int(200));
      expect(s.call('EXPIRE', 'a', '300', 'lt')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '200', 'gt')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '100', 'lt')).to.equal(resp.int(1));
      expect(s.call('TTL', 'a')).to.equal(resp.int(100));
      expect(s.call('PERSIST', 'a')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'a', '100', 'gt')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '100', 'lt')).to.equal(resp.int(1));
      expect(s.call('PERSIST', 'a')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'a', '100', 'xx')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '100', 'xx', 'lt')).to.equal(resp.int(0));
      expect(s.call('EXPIRE', 'a', '100', 'nx')).to.equal(resp.int(1));
      expect(s.call('PEXPIRE', 'a', '100000', 'XX')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'nokey', '100')).to.equal(resp.int(0));
    });
  });

  describe('times in the past', () => {
    it('delete the key and reply 1, for every variant and sign', () => {
      const cases = [
        ['EXPIRE', '-1'],
        ['EXPIRE', '0'],
        ['PEXPIRE', '0'],
        ['PEXPIREAT', '1'],
        ['EXPIREAT', '0'],
        ['EXPIREAT', '-9223372036854775'],
        ['EXPIRE', '-9223372036854775'],
        ['PEXPIRE', '-9223372036854775808'],
      ];
      for (const [command, time] of cases) {
        const s = withKey();
        expect(s.call(command, 'a', time), `${command} ${time}`).to.equal(resp.int(1));
        expect(s.call('EXISTS', 'a')).to.equal(resp.int(0));
        expect(s.core.keyspace.stats.expiredKeys).to.equal(0);
      }
    });

    it('still obey the conditions first', () => {
      const s = withKey();
      expect(s.call('EXPIRE', 'a', '-1', 'gt')).to.equal(resp.int(0));
      expect(s.call('EXISTS', 'a')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'a', '-1', 'lt')).to.equal(resp.int(1));
      expect(s.call('EXISTS', 'a')).to.equal(resp.int(0));
      s.call('SET', 'd', '1', 'PX', '100000');
      expect(s.call('PEXPIRE', 'd', '-5', 'gt')).to.equal(resp.int(0));
      expect(s.call('EXISTS', 'd')).to.equal(resp.int(1));
      expect(s.call('EXPIRE', 'nokey', '-1')).to.equal(resp.int(0));
    });
  });

  describe('overflow', () => {
    it('is refused exactly at the 64-bit limits', () => {
      const s = withKey();
      expect(s.call('EXPIRE', 'a', '9223372036854775807')).to.equal(invalidExpire('expire'));
      expect(s.call('EXPIRE', 'a', '9223372036854775')).to.equal(invalidExpire('expire'));
      expect(s.call('EXPIRE', 'a', '9223372036854776')).to.equal(invalidExpire('expire'));
      expect(s.call('EXPIRE', 'a', '-9223372036854776')).to.equal(invalidExpire('expire'));
      expect(s.call('pexpire', 'a', '9223372036854775807')).to.equal(invalidExpire('pexpire'));
      expect(s.call('EXPIREAT', 'a', '9223372036854776')).to.equal(invalidExpire('expireat'));
      expect(s.call('EXPIREAT', 'a', '-9223372036854775808')).to.equal(invalidExpire('expireat'));
      expect(s.call('EXPIRE', 'a', '9223372036854775808')).to.equal(NOT_INTEGER);
      expect(s.call('EXPIRE', 'nokey', '9223372036854775807')).to.equal(invalidExpire('expire'));
      expect(s.call('TTL', 'a')).to.equal(resp.int(-1));
    });

    it('accepts the largest times and gives them back digit for digit', () => {
      const s = withKey();
      const now = BigInt(s.clock.now());
      expect(s.call('EXPIREAT', 'a', '9223372036854775')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9223372036854775000n));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(9223372036854775n));
      expect(s.call('PEXPIREAT', 'a', '9223372036854775807')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9223372036854775807n));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(9223372036854776n));
      expect(s.call('PTTL', 'a')).to.equal(resp.int(9223372036854775807n - now));
      expect(s.call('TTL', 'a')).to.equal(resp.int((9223372036854775807n - now + 500n) / 1000n));
      expect(s.call('PEXPIREAT', 'a', '9223372036854775806', 'lt')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9223372036854775806n));
      expect(s.call('PEXPIREAT', 'a', '9223372036854775807', 'gt')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9223372036854775807n));
      expect(s.call('PEXPIREAT', 'a', '9007199254740993')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9007199254740993n));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(9007199254741));
      expect(s.call('PEXPIREAT', 'a', '9007199254740992', 'lt')).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(9007199254740992n));
      expect(s.call('PEXPIREAT', 'a', '9007199254740499')).to.equal(resp.int(1));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(9007199254740));
      const big = 9223370000000000000n;
      expect(s.call('PEXPIRE', 'a', String(big))).to.equal(resp.int(1));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(big + now));
    });
  });

  describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME', () => {
    it('answer -2 without the key and -1 without a TTL', () => {
      const s = withKey();
      for (const command of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
        expect(s.call(command, 'nokey')).to.equal(resp.int(-2));
        expect(s.call(command, 'a')).to.equal(resp.int(-1));
      }
    });

    it('round seconds to nearest', () => {
      const s = withKey();
      const now = s.clock.now();
      s.call('PEXPIRE', 'a', '1500');
      expect(s.call('TTL', 'a')).to.equal(resp.int(2));
      expect(s.call('PTTL', 'a')).to.equal(resp.int(1500));
      s.call('PEXPIRE', 'a', '1499');
      expect(s.call('TTL', 'a')).to.equal(resp.int(1));
      s.call('PEXPIREAT', 'a', String(now + 10_499));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(Math.floor((now + 10_499 + 500) / 1000)));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(now + 10_499));
      s.clock.advance(10_498);
      expect(s.call('PTTL', 'a')).to.equal(resp.int(1));
      expect(s.call('TTL', 'a')).to.equal(resp.int(0));
      s.clock.advance(1);
      // As in Redis, a key lives through its expiry millisecond (gone once now > expireAt).
      expect(s.call('PTTL', 'a')).to.equal(resp.int(0));
      s.clock.advance(1);
      expect(s.call('PTTL', 'a')).to.equal(resp.int(-2));
    });

    it('EXPIREAT and EXPIRETIME agree in seconds', () => {
      const s = withKey();
      expect(s.call('EXPIREAT', 'a', '4102444800')).to.equal(resp.int(1));
      expect(s.call('EXPIRETIME', 'a')).to.equal(resp.int(4102444800));
      expect(s.call('PEXPIRETIME', 'a')).to.equal(resp.int(4102444800000));
    });

    it('count as reads without refreshing the access time', () => {
      const s = withKey('PX', '100000');
      s.clock.advance(3000);
      s.call('TTL', 'a');
      s.call('PTTL', 'nokey');
      s.call('EXPIRETIME', 'a');
      expect(s.call('OBJECT', 'IDLETIME', 'a')).to.equal(resp.int(3));
      const stats = s.core.keyspace.stats;
      expect([stats.keyspaceHits, stats.keyspaceMisses]).to.deep.equal([3, 1]);
    });
  });

  describe('PERSIST', () => {
    it('removes a TTL and says whether there was one', () => {
      const s = withKey('EX', '100');
      expect(s.call('PERSIST', 'a')).to.equal(resp.int(1));
      expect(s.call('TTL', 'a')).to.equal(resp.int(-1));
      expect(s.call('PERSIST', 'a')).to.equal(resp.int(0));
      expect(s.call('PERSIST', 'nokey')).to.equal(resp.int(0));
    });
  });

  describe('expired keys', () => {
    it('are never visible, and are counted as expired once reclaimed', () => {
      const s = withKey('PX', '100');
      s.clock.advance(99);
      expect(s.call('PTTL', 'a')).to.equal(resp.int(1));
      s.clock.advance(2);
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      expect(s.call('TTL', 'a')).to.equal(resp.int(-2));
      expect(s.call('EXPIRE', 'a', '100')).to.equal(resp.int(0));
      expect(s.core.keyspace.stats.expiredKeys).to.equal(1);
    });

    it('a write that replaces the value clears the TTL', () => {
      const s = withKey('EX', '100');
      s.call('SET', 'a', '2');
      expect(s.call('TTL', 'a')).to.equal(resp.int(-1));
      expect(s.call('EXPIREAT', 'a', '0')).to.equal(resp.int(1));
      expect(s.call('EXISTS', 'a')).to.equal(resp.int(0));
    });

    it('an EXPIRE refreshes the access time, as Redis writes do', () => {
      const s = withKey();
      s.clock.advance(5000);
      s.call('EXPIRE', 'a', '100');
      expect(s.call('OBJECT', 'IDLETIME', 'a')).to.equal(resp.int(0));
    });
  });
});
