// What the differential suite (test/differential/eviction.test.ts) cannot compare with Redis:
// ringcache's own policies at `maxmemory 1`, which Redis refuses by name, and the
// eviction-exceeded timer of INFO stats, which counts wall time (a FakeClock here).

import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

function infoField(s: Session, section: string, field: string): string {
  const m = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(s.call('INFO', section));
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return m[1];
}

/** Three plain keys and two with a TTL in db 0, one of each in db 1. */
function fill(s: Session): void {
  expect(s.call('MSET', 'a', '1', 'b', '2', 'c', '3')).to.equal(resp.ok);
  s.call('SET', 'v1', 'x', 'EX', '100');
  s.call('SET', 'v2', 'x', 'PX', '100000');
  s.call('SELECT', '1');
  s.call('SET', 'd1', 'x');
  s.call('SET', 'd1v', 'x', 'EX', '100');
  s.call('SELECT', '0');
}

describe("ringcache's own policies at maxmemory 1", () => {
  for (const policy of ['allkeys-sieve', 'allkeys-s3fifo']) {
    it(`${policy} evicts every key of every database, then refuses writes`, () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'maxmemory-policy', policy)).to.equal(resp.ok);
      fill(s);
      expect(s.call('CONFIG', 'SET', 'maxmemory', '1')).to.equal(resp.ok);
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      expect(s.call('SET', 'new', 'v')).to.equal(resp.err(OOM));
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      expect(s.call('DEL', 'a')).to.equal(resp.int(0));
      s.call('SELECT', '1');
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      expect(infoField(s, 'stats', 'evicted_keys')).to.equal('7');
    });
  }

  for (const policy of ['volatile-sieve', 'volatile-s3fifo']) {
    it(`${policy} evicts only the keys with a TTL, then refuses writes`, () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'maxmemory-policy', policy)).to.equal(resp.ok);
      fill(s);
      expect(s.call('CONFIG', 'SET', 'maxmemory', '1')).to.equal(resp.ok);
      expect(s.call('DBSIZE')).to.equal(resp.int(3));
      expect(s.call('SET', 'x', 'y', 'EX', '10')).to.equal(resp.err(OOM));
      expect(s.call('MGET', 'a', 'v1')).to.equal(resp.bulks(['1', null]));
      // Deleting still works, and frees nothing that would let a write in.
      expect(s.call('DEL', 'a')).to.equal(resp.int(1));
      expect(s.call('INCR', 'a')).to.equal(resp.err(OOM));
      s.call('SELECT', '1');
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
      expect(infoField(s, 'stats', 'evicted_keys')).to.equal('3');
    });
  }

  it("the refusal text of a bogus name lists Redis's eight policies only", () => {
    const s = new Session();
    expect(s.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-fifo')).to.equal(
      resp.err(
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: " +
          'volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction',
      ),
    );
  });
});

describe('INFO stats eviction-exceeded time', () => {
  it('counts the time spent over maxmemory, open periods included, as Redis does', () => {
    const s = new Session();
    s.clock.set(1_000_000);
    s.call('SET', 'a', '1');
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('0');
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('0');
    // Lowering the limit under noeviction opens a period at once.
    s.call('CONFIG', 'SET', 'maxmemory', '1');
    s.clock.advance(300);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('300');
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('300');
    expect(s.call('SET', 'b', '1')).to.equal(resp.err(OOM));
    s.clock.advance(200);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('500');
    // Back within a limit: the next eviction round closes the period into the total.
    s.call('CONFIG', 'SET', 'maxmemory', '1gb');
    s.clock.advance(1000);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('0');
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('500');
    s.call('CONFIG', 'SET', 'maxmemory', '1');
    s.clock.advance(50);
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('550');
    // With no limit no eviction round runs, so (as in Redis 7.0) the open period keeps counting.
    s.call('CONFIG', 'SET', 'maxmemory', '0');
    s.clock.advance(100);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('150');
    expect(s.call('CONFIG', 'RESETSTAT')).to.equal(resp.ok);
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('0');
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('0');
  });

  it('an eviction policy that gets back under the limit opens no period', () => {
    const s = new Session({ config: { 'maxmemory-policy': 'allkeys-lru' } });
    s.clock.set(1_000_000);
    s.call('SET', 'a', '1');
    // The account's start-up baseline alone is above this limit: everything goes, and the
    // round still ends over it.
    s.call('CONFIG', 'SET', 'maxmemory', '1');
    s.clock.advance(40);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('40');
    s.call('CONFIG', 'SET', 'maxmemory', '100mb');
    for (let i = 0; i < 10; i++) s.call('SET', `k${i}`, 'v');
    s.clock.advance(40);
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).to.equal('0');
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).to.equal('40');
  });
});
