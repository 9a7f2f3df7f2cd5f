import { expect } from 'chai';
import { belady, exactLru, fifo } from '../../benchmarks/eviction/baselines.js';
import { runServerPolicy } from '../../benchmarks/eviction/simulate.js';
import { loop, zipf } from '../../benchmarks/eviction/traces.js';

describe('eviction simulator (the server policies on a trace)', () => {
  const trace = zipf(1.0, 10_000, 100_000, 9).keys;
  const capacity = 100;

  it('OPT is at or below every policy; S3-FIFO and SIEVE beat exact LRU on Zipf 1.0', () => {
    const opt = belady(trace, capacity);
    const lru = exactLru(trace, capacity);
    const results: Record<string, number> = { fifo: fifo(trace, capacity), lru };
    for (const p of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'allkeys-sieve', 'allkeys-s3fifo']) {
      results[p] = runServerPolicy(p, trace, capacity);
    }
    for (const [name, misses] of Object.entries(results)) expect(opt, name).to.be.at.most(misses);
    expect(results['allkeys-s3fifo']).to.be.below(lru * 0.9);
    expect(results['allkeys-sieve']).to.be.below(lru * 0.95);
    // Redis's sampled LRU stays close to the exact one.
    expect(Math.abs(results['allkeys-lru'] - lru) / lru).to.be.below(0.05);
  });

  it('OPT on a loop one larger than the cache misses far less than LRU, which misses every request', () => {
    const keys = loop(11, 1100).keys;
    expect(exactLru(keys, 10)).to.equal(1100);
    expect(belady(keys, 10)).to.be.below(200);
  });
});
