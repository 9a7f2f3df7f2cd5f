import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';
import { seeded } from '../../benchmarks/eviction/traces.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

function session(policy: string, extra: Record<string, string | number> = {}): Session {
  const s = new Session({ config: { 'maxmemory-policy': policy, shards: 1, 'maxmemory-samples': 64, ...extra } });
  s.core.evictor.settings.random = seeded(7);
  return s;
}

/** Sets maxmemory just below used_memory, so that exactly one (small) key has to go. */
function squeezeOneKey(s: Session): void {
  expect(s.call('CONFIG', 'SET', 'maxmemory', String(s.core.evictor.used - 1))).to.equal(resp.ok);
}

function evictedKeys(s: Session): number {
  const m = /evicted_keys:(\d+)/.exec(s.call('INFO', 'stats'));
  return Number(m?.[1]);
}

function present(s: Session, keys: string[]): string[] {
  return keys.filter((k) => s.call('EXISTS', k) === resp.int(1));
}

describe('eviction policies (in-process)', () => {
  it('noeviction: writes get OOM past maxmemory, reads, DEL and DISCARD still work, MULTI queues refuse', () => {
    const s = new Session();
    s.call('SET', 'k', 'v');
    expect(s.call('CONFIG', 'SET', 'maxmemory', '1')).to.equal(resp.ok);
    expect(s.call('SET', 'a', 'b')).to.equal(resp.err(OOM));
    expect(s.call('INCR', 'x')).to.equal(resp.err(OOM));
    expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
    expect(s.call('MULTI')).to.equal(resp.ok);
    expect(s.call('SET', 'a', 'b')).to.equal(resp.err(OOM));
    expect(s.call('GET', 'a')).to.equal(resp.err(OOM));
    expect(s.call('EXEC')).to.equal(resp.err('EXECABORT Transaction discarded because of previous errors.'));
    expect(s.call('MULTI')).to.equal(resp.ok);
    expect(s.call('DISCARD')).to.equal(resp.ok);
    expect(s.call('DEL', 'k')).to.equal(resp.int(1));
    expect(evictedKeys(s)).to.equal(0);
    expect(s.call('CONFIG', 'SET', 'maxmemory', '0')).to.equal(resp.ok);
    expect(s.call('SET', 'a', 'b')).to.equal(resp.ok);
  });

  it('refuses EXEC of a transaction holding a write when memory went over meanwhile', () => {
    const s = new Session();
    const other = s.peer();
    s.call('MULTI');
    expect(s.call('SET', 'a', 'b')).to.equal(resp.simple('QUEUED'));
    other.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(s.call('EXEC')).to.equal(resp.err(`EXECABORT Transaction discarded because of: ${OOM}`));
    s.call('MULTI');
    other.call('CONFIG', 'SET', 'maxmemory', '0');
    expect(s.call('GET', 'a')).to.equal(resp.simple('QUEUED'));
    other.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(s.call('EXEC')).to.equal(resp.array([resp.nil]));
  });

  it('allkeys-lru evicts the least recently used key among the sampled ones', () => {
    const s = session('allkeys-lru');
    for (let i = 1; i <= 5; i++) {
      s.call('SET', `k${i}`, 'v');
      s.clock.advance(1000);
    }
    s.call('GET', 'k1');
    squeezeOneKey(s);
    expect(present(s, ['k1', 'k2', 'k3', 'k4', 'k5'])).to.deep.equal(['k1', 'k3', 'k4', 'k5']);
    expect(evictedKeys(s)).to.equal(1);
  });

  it('allkeys-lru never evicts a new key with the score of a deleted one that held its slot', () => {
    // k1..k10 from oldest to newest; the first eviction samples them all into the pool.
    const s = session('allkeys-lru');
    for (let i = 1; i <= 10; i++) {
      s.call('SET', `k${i}`, 'vvvvvvvvvv');
      s.clock.advance(1000);
    }
    squeezeOneKey(s);
    expect(present(s, ['k1'])).to.deep.equal([]);
    // x takes k1's freed slot; then k2, the pool's best candidate now, is deleted and f2 takes
    // its slot and its record's place.
    s.call('SET', 'x', 'vvvvvvvvvv');
    s.call('DEL', 'k2');
    s.call('SET', 'f2', 'vvvvvvvvvv');
    squeezeOneKey(s);
    expect(present(s, ['f2', 'k3', 'x'])).to.deep.equal(['f2', 'x']);
    // After FLUSHALL the pool's candidates are gone too: n1 is the oldest of the new keys.
    s.call('FLUSHALL');
    for (let i = 1; i <= 5; i++) {
      s.call('SET', `n${i}`, 'vvvvvvvvvv');
      s.clock.advance(1000);
    }
    squeezeOneKey(s);
    expect(present(s, ['n1', 'n2', 'n3', 'n4', 'n5'])).to.deep.equal(['n2', 'n3', 'n4', 'n5']);
  });

  it('allkeys-lru finds a key to evict in a shard of mostly free slots', () => {
    // One shard, 2000 slots of which only the top one holds a key: a 10-slot sampling window
    // almost never meets it, yet the write must evict it rather than be refused with OOM.
    const s = session('allkeys-lru', { 'maxmemory-samples': 1 });
    for (let i = 0; i < 2000; i++) s.call('SET', `k${i}`, 'v');
    for (let i = 0; i < 1999; i++) s.call('DEL', `k${i}`);
    squeezeOneKey(s);
    expect(s.call('DBSIZE')).to.equal(resp.int(0));
    expect(evictedKeys(s)).to.equal(1);
  });

  it('allkeys-lfu evicts the least frequently used key, and OBJECT FREQ reports the real counter', () => {
    const s = session('allkeys-lfu');
    s.core.evictor.settings.random = () => 0;
    for (const k of ['a', 'b', 'c']) s.call('SET', k, 'v');
    expect(s.call('OBJECT', 'FREQ', 'a')).to.equal(resp.int(5));
    s.call('GET', 'a');
    expect(s.call('OBJECT', 'FREQ', 'a')).to.equal(resp.int(6));
    s.call('GET', 'a');
    s.call('GET', 'c');
    expect(s.call('OBJECT', 'FREQ', 'a')).to.equal(resp.int(7));
    // Two idle minutes at lfu-decay-time 1: two steps down, on reading and on the next access.
    s.clock.advance(120000);
    expect(s.call('OBJECT', 'FREQ', 'a')).to.equal(resp.int(5));
    expect(s.call('OBJECT', 'FREQ', 'b')).to.equal(resp.int(3));
    s.core.evictor.settings.random = seeded(7);
    squeezeOneKey(s);
    expect(present(s, ['a', 'b', 'c'])).to.deep.equal(['a', 'c']);
  });

  it('volatile-lru evicts only keys with a TTL, and refuses writes with OOM when none is left', () => {
    const s = session('volatile-lru');
    s.call('SET', 'old', 'v');
    s.clock.advance(5000);
    s.call('SET', 'ttl1', 'v', 'EX', '100');
    s.clock.advance(5000);
    s.call('SET', 'ttl2', 'v', 'EX', '100');
    squeezeOneKey(s);
    expect(present(s, ['old', 'ttl1', 'ttl2'])).to.deep.equal(['old', 'ttl2']);
    squeezeOneKey(s);
    expect(present(s, ['old', 'ttl1', 'ttl2'])).to.deep.equal(['old']);
    squeezeOneKey(s);
    expect(s.call('SET', 'new', 'v')).to.equal(resp.err(OOM));
    expect(s.call('GET', 'old')).to.equal(resp.bulk('v'));
    expect(evictedKeys(s)).to.equal(2);
  });

  it('volatile-ttl evicts the key expiring soonest; volatile-random and volatile-lfu keep keys without TTL', () => {
    const s = session('volatile-ttl');
    s.call('SET', 'late', 'v', 'EX', '300');
    s.call('SET', 'soon', 'v', 'EX', '10');
    s.call('SET', 'never', 'v');
    squeezeOneKey(s);
    expect(present(s, ['late', 'soon', 'never'])).to.deep.equal(['late', 'never']);
    for (const policy of ['volatile-random', 'volatile-lfu']) {
      const v = session(policy);
      v.call('SET', 'never', 'v');
      v.call('SET', 'ttl', 'v', 'EX', '100');
      squeezeOneKey(v);
      expect(present(v, ['never', 'ttl'])).to.deep.equal(['never']);
      squeezeOneKey(v);
      expect(v.call('SET', 'x', 'y')).to.equal(resp.err(OOM));
    }
  });

  it('OBJECT IDLETIME answers under every non-LFU policy and refuses under LFU ones', () => {
    for (const policy of ['noeviction', 'allkeys-lru', 'allkeys-random', 'volatile-ttl', 'allkeys-sieve', 'allkeys-s3fifo']) {
      const s = session(policy);
      s.call('SET', 'k', 'v');
      s.clock.advance(4200);
      expect(s.call('OBJECT', 'IDLETIME', 'k'), policy).to.equal(resp.int(4));
    }
    const lfu = session('volatile-lfu');
    lfu.call('SET', 'k', 'v');
    expect(lfu.call('OBJECT', 'IDLETIME', 'k')).to.match(/^-ERR An LFU maxmemory policy is selected/);
    expect(lfu.call('OBJECT', 'FREQ', 'k')).to.equal(resp.int(5));
  });

  it('allkeys-sieve keeps visited keys and evicts the oldest unvisited one, moving its hand on', () => {
    const s = session('allkeys-sieve');
    for (let i = 1; i <= 5; i++) s.call('SET', `k${i}`, 'v');
    s.call('GET', 'k1');
    s.call('GET', 'k3');
    squeezeOneKey(s);
    expect(present(s, ['k1', 'k2', 'k3', 'k4', 'k5'])).to.deep.equal(['k1', 'k3', 'k4', 'k5']);
    squeezeOneKey(s);
    expect(present(s, ['k1', 'k3', 'k4', 'k5'])).to.deep.equal(['k1', 'k3', 'k5']);
  });

  it('allkeys-s3fifo evicts one-hit wonders first and readmits a recently evicted key to main', () => {
    const s = session('allkeys-s3fifo');
    for (let i = 1; i <= 10; i++) s.call('SET', `k${i}`, 'v');
    s.call('GET', 'k1');
    s.call('GET', 'k2');
    squeezeOneKey(s);
    // k1 and k2 were re-accessed in the small queue: promoted; k3 is the oldest one-hit wonder.
    expect(s.call('EXISTS', 'k3')).to.equal(resp.int(0));
    expect(present(s, ['k1', 'k2'])).to.deep.equal(['k1', 'k2']);
    s.call('CONFIG', 'SET', 'maxmemory', '0');
    s.call('SET', 'k3', 'v');
    s.call('SET', 'k11', 'v');
    squeezeOneKey(s);
    // k3 came back from the ghost queue into main, so k4 is the small queue's oldest now.
    expect(present(s, ['k3', 'k4'])).to.deep.equal(['k3']);
  });

  it('volatile-sieve queues only keys with a TTL, following EXPIRE and PERSIST, and gets OOM without one', () => {
    const s = session('volatile-sieve');
    s.call('SET', 'never', 'v');
    for (const k of ['t1', 't2', 't3']) s.call('SET', k, 'v', 'EX', '100');
    s.call('GET', 't1');
    s.call('GET', 'never');
    squeezeOneKey(s);
    // t1 was visited: the hand clears it and evicts t2; 'never' is no candidate.
    expect(present(s, ['never', 't1', 't2', 't3'])).to.deep.equal(['never', 't1', 't3']);
    expect(s.call('PERSIST', 't3')).to.equal(resp.int(1));
    squeezeOneKey(s);
    expect(present(s, ['never', 't1', 't3'])).to.deep.equal(['never', 't3']);
    squeezeOneKey(s);
    expect(s.call('SET', 'x', 'y')).to.equal(resp.err(OOM));
    expect(s.call('SET', 'x', 'y', 'EX', '10')).to.equal(resp.err(OOM));
    expect(s.call('GET', 'never')).to.equal(resp.bulk('v'));
    // A key that gains a TTL becomes a candidate.
    expect(s.call('EXPIRE', 'never', '100')).to.equal(resp.int(1));
    squeezeOneKey(s);
    expect(present(s, ['never', 't3'])).to.deep.equal(['t3']);
    expect(evictedKeys(s)).to.equal(3);
  });

  it('volatile-s3fifo promotes, readmits from the ghost and evicts among keys with a TTL only', () => {
    const s = session('volatile-s3fifo');
    s.call('SET', 'plain', 'v');
    for (let i = 1; i <= 5; i++) s.call('SET', `t${i}`, 'v', 'EX', '100');
    s.call('GET', 't1');
    s.call('GET', 'plain');
    squeezeOneKey(s);
    // t1 was re-accessed in the small queue: promoted; t2 is the oldest one-hit wonder.
    expect(present(s, ['plain', 't1', 't2', 't3'])).to.deep.equal(['plain', 't1', 't3']);
    s.call('CONFIG', 'SET', 'maxmemory', '0');
    s.call('SET', 't2', 'v', 'EX', '100');
    squeezeOneKey(s);
    // t2 came back from the ghost into main, so t3 is the small queue's oldest.
    expect(present(s, ['t2', 't3', 't4'])).to.deep.equal(['t2', 't4']);
    // SET without a TTL takes t4 out of the queues: t5 goes next.
    s.call('SET', 't4', 'v');
    squeezeOneKey(s);
    expect(present(s, ['t4', 't5'])).to.deep.equal(['t4']);
    squeezeOneKey(s);
    squeezeOneKey(s);
    expect(present(s, ['plain', 't1', 't2', 't4'])).to.deep.equal(['plain', 't4']);
    squeezeOneKey(s);
    expect(s.call('SET', 'x', 'y')).to.equal(resp.err(OOM));
    expect(evictedKeys(s)).to.equal(5);
  });

  it('the volatile queue policies take over the TTL keys already stored when selected at runtime', () => {
    for (const policy of ['volatile-sieve', 'volatile-s3fifo']) {
      const s = session('allkeys-lfu');
      s.call('SET', 'a', 'v');
      s.call('SET', 'b', 'v', 'EX', '100');
      s.call('SET', 'c', 'v');
      expect(s.call('CONFIG', 'SET', 'maxmemory-policy', policy)).to.equal(resp.ok);
      expect(s.call('CONFIG', 'GET', 'maxmemory-policy')).to.equal(resp.bulks(['maxmemory-policy', policy]));
      squeezeOneKey(s);
      expect(present(s, ['a', 'b', 'c']), policy).to.deep.equal(['a', 'c']);
      squeezeOneKey(s);
      expect(s.call('SET', 'd', 'v'), policy).to.equal(resp.err(OOM));
    }
  });

  it('switching policy at runtime takes over the keys already stored', () => {
    const s = session('noeviction');
    for (let i = 1; i <= 4; i++) s.call('SET', `k${i}`, 'v');
    for (const policy of ['allkeys-s3fifo', 'allkeys-sieve', 'allkeys-lfu', 'allkeys-random']) {
      expect(s.call('CONFIG', 'SET', 'maxmemory-policy', policy)).to.equal(resp.ok);
      s.call('SET', `new-${policy}`, 'v');
      squeezeOneKey(s);
      s.call('CONFIG', 'SET', 'maxmemory', '0');
    }
    expect(evictedKeys(s)).to.equal(4);
    expect(s.call('DBSIZE')).to.equal(resp.int(4));
  });

  it('a destination RENAME or COPY REPLACE overwrites is queued as the new key it is, under every policy', () => {
    const policies = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'allkeys-sieve', 'allkeys-s3fifo', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'volatile-sieve', 'volatile-s3fifo'];
    for (const policy of policies) {
      const s = session(policy);
      s.call('SET', 'plain', 'v');
      s.call('SET', 'ttl', 'v', 'EX', '100');
      for (const key of ['d1', 'd2', 'd3', 'd4']) s.call('SET', key, 'old', 'EX', '100');
      s.call('SET', 'd5', 'old');
      // A TTL key onto TTL keys, a plain key onto TTL keys (which thereby leave the volatile
      // queues), a TTL key onto a plain one.
      s.call('COPY', 'ttl', 'd1', 'REPLACE');
      s.call('COPY', 'plain', 'd2', 'REPLACE');
      s.call('SET', 'p2', 'v');
      s.call('RENAME', 'p2', 'd3');
      s.call('SET', 't2', 'v', 'EX', '100');
      s.call('RENAME', 't2', 'd5');
      expect(s.call('DBSIZE'), policy).to.equal(resp.int(7));
      expect(s.call('CONFIG', 'SET', 'maxmemory', '1')).to.equal(resp.ok);
      // Left: the keys without a TTL under a volatile policy (plain, d2, d3), none otherwise.
      const left = policy.startsWith('volatile-') ? ['plain', 'd2', 'd3'] : [];
      expect(present(s, ['plain', 'ttl', 'd1', 'd2', 'd3', 'd4', 'd5']), policy).to.deep.equal(left);
      expect(evictedKeys(s), policy).to.equal(7 - left.length);
    }
  });

  it('FLUSHALL and SWAPDB leave the queues of the list policies consistent', () => {
    const s = session('allkeys-s3fifo', { databases: 2 });
    for (let i = 0; i < 20; i++) s.call('SET', `k${i}`, 'v');
    s.call('SWAPDB', '0', '1');
    s.call('FLUSHALL');
    for (let i = 0; i < 20; i++) s.call('SET', `n${i}`, 'v');
    squeezeOneKey(s);
    expect(s.call('DBSIZE')).to.equal(resp.int(19));
  });
});
