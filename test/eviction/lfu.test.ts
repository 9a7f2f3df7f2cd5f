import { expect } from 'chai';
import { LFU_INIT_VAL, lfuDecrAndReturn, lfuLogIncr, lfuMinutes, lfuTimeElapsed } from '../../src/eviction/lfu.js';

describe('eviction: LFU counter (Redis LFULogIncr / LFUDecrAndReturn)', () => {
  it('increments surely up to LFU_INIT_VAL, then with probability 1/((c - 5) * factor + 1)', () => {
    expect(LFU_INIT_VAL).to.equal(5);
    expect(lfuLogIncr(3, 10, 0.999)).to.equal(4);
    expect(lfuLogIncr(5, 10, 0.999)).to.equal(6);
    // c = 6, factor 10: p = 1/11 = 0.0909...
    expect(lfuLogIncr(6, 10, 0.09)).to.equal(7);
    expect(lfuLogIncr(6, 10, 0.091)).to.equal(6);
    // c = 15, factor 100: p = 1/1001.
    expect(lfuLogIncr(15, 100, 0.000998)).to.equal(16);
    expect(lfuLogIncr(15, 100, 0.001)).to.equal(15);
    // factor 0: every access counts.
    expect(lfuLogIncr(200, 0, 0.999)).to.equal(201);
    expect(lfuLogIncr(255, 0, 0)).to.equal(255);
  });

  it('grows logarithmically, as redis.conf tabulates for factor 10 (100 hits ~10, 1000 hits ~18)', () => {
    let r = 1;
    const rand = (): number => {
      r = (r * 16807) % 2147483647;
      return r / 2147483647;
    };
    let counter = LFU_INIT_VAL;
    for (let i = 0; i < 100; i++) counter = lfuLogIncr(counter, 10, rand());
    // Redis's table (redis.conf): factor 10 reaches ~10 after 100 hits, ~18 after 1000.
    expect(counter).to.be.within(8, 13);
    for (let i = 0; i < 900; i++) counter = lfuLogIncr(counter, 10, rand());
    expect(counter).to.be.within(15, 21);
  });

  it('decays one step per lfu-decay-time minutes of idle time, to 0 at most, not at all with 0', () => {
    const t0 = 10 * 60000;
    expect(lfuDecrAndReturn(10, t0, t0 + 59999, 1)).to.equal(10);
    expect(lfuDecrAndReturn(10, t0, t0 + 3 * 60000, 1)).to.equal(7);
    expect(lfuDecrAndReturn(10, t0, t0 + 7 * 60000, 2)).to.equal(7);
    expect(lfuDecrAndReturn(10, t0, t0 + 11 * 60000, 1)).to.equal(0);
    expect(lfuDecrAndReturn(10, t0, t0 + 600 * 60000, 0)).to.equal(10);
  });

  it('measures idle minutes on a 16-bit clock that wraps as Redis\'s LFUTimeElapsed', () => {
    expect(lfuMinutes(65536 * 60000 + 120000)).to.equal(2);
    expect(lfuTimeElapsed(65530, 5 * 60000)).to.equal(10);
    expect(lfuTimeElapsed(3, 5 * 60000)).to.equal(2);
  });
});
