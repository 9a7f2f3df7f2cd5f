import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';
import { seeded } from '../../benchmarks/eviction/traces.js';

const MAXMEMORY = 2 * 1024 * 1024;

function infoField(s: Session, section: string, field: string): string {
  const m = new RegExp(`${field}:([^\\r]*)\\r\\n`).exec(s.call('INFO', section));
  return m === null ? '' : m[1];
}

describe('eviction: the memory bound', () => {
  for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'allkeys-sieve', 'allkeys-s3fifo', 'volatile-ttl', 'volatile-sieve', 'volatile-s3fifo']) {
    it(`${policy}: used_memory never exceeds maxmemory after a command, under a stream of SETs`, () => {
      const s = new Session({ config: { maxmemory: '2mb', 'maxmemory-policy': policy } });
      const random = seeded(42);
      s.core.evictor.settings.random = random;
      const volatile = policy.startsWith('volatile');
      let peak = 0;
      for (let i = 0; i < 12000; i++) {
        const key = `key:${Math.floor(random() * 50000)}`;
        const value = 'x'.repeat(20 + Math.floor(random() * 200));
        const reply = volatile ? s.call('SET', key, value, 'EX', '1000') : s.call('SET', key, value);
        expect(reply).to.equal(resp.ok);
        if (i % 7 === 0) s.call('GET', `key:${Math.floor(random() * 50000)}`);
        const used = s.core.evictor.used;
        peak = Math.max(peak, used);
        if (used > MAXMEMORY) expect.fail(`used_memory ${used} > maxmemory after SET #${i}`);
      }
      // The limit was reached and kept by evicting, and INFO reports the same account.
      expect(peak).to.be.greaterThan(MAXMEMORY - 1024);
      expect(Number(infoField(s, 'stats', 'evicted_keys'))).to.be.greaterThan(1000);
      expect(Number(infoField(s, 'memory', 'used_memory'))).to.equal(s.core.evictor.used);
      expect(infoField(s, 'memory', 'maxmemory')).to.equal(String(MAXMEMORY));
      expect(infoField(s, 'memory', 'maxmemory_human')).to.equal('2.00M');
      expect(infoField(s, 'memory', 'maxmemory_policy')).to.equal(policy);
    });
  }

  it('used_memory follows the data: grows with SET, returns to the start after DEL and FLUSHALL', () => {
    const s = new Session();
    const empty = s.core.evictor.used;
    s.call('SET', 'key', 'value');
    const one = s.core.evictor.used;
    expect(one - empty).to.be.greaterThan('keyvalue'.length);
    s.call('APPEND', 'key', '12345');
    expect(s.core.evictor.used - one).to.equal(5);
    s.call('DEL', 'key');
    expect(s.core.evictor.used).to.equal(empty);
    for (let i = 0; i < 100; i++) s.call('SET', `k${i}`, 'v', 'EX', '10');
    s.call('FLUSHALL');
    expect(s.core.evictor.used).to.equal(empty);
    for (let i = 0; i < 10; i++) s.call('SET', `k${i}`, 'v', 'PX', '10');
    s.clock.advance(20);
    for (let i = 0; i < 10; i++) s.call('GET', `k${i}`);
    expect(s.core.evictor.used).to.equal(empty);
  });

  it('used_memory_peak follows growth between INFO calls (noted after each command under maxmemory)', () => {
    const s = new Session({ config: { maxmemory: '8mb', 'maxmemory-policy': 'allkeys-lru' } });
    for (let i = 0; i < 100; i++) s.call('SET', `big${i}`, 'x'.repeat(10_000));
    const high = s.core.evictor.used;
    for (let i = 0; i < 100; i++) s.call('DEL', `big${i}`);
    expect(Number(infoField(s, 'memory', 'used_memory'))).to.be.below(high - 1_000_000);
    expect(Number(infoField(s, 'memory', 'used_memory_peak'))).to.equal(high);
  });

  it('a single value larger than maxmemory is evicted again at once, leaving memory within the limit', () => {
    const s = new Session({ config: { maxmemory: '1mb', 'maxmemory-policy': 'allkeys-lru' } });
    expect(s.call('SET', 'big', 'x'.repeat(300 * 1024))).to.equal(resp.ok);
    expect(s.call('EXISTS', 'big')).to.equal(resp.int(0));
    expect(s.core.evictor.used).to.be.at.most(1024 * 1024);
  });
});
