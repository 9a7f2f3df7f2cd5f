import { expect } from 'chai';
import { belady, exactLru } from '../../benchmarks/eviction/baselines.js';
import {
  arc,
  cacheus,
  hitDensities,
  hyperbolic,
  learnedFeatures,
  learnedRelaxedBelady,
  lecar,
  lhd,
  lrfu,
  type LearnedParams,
} from '../../benchmarks/eviction/reference-policies.js';
import { loop, seeded, zipf } from '../../benchmarks/eviction/traces.js';

// The expected patterns below were traced by hand from each paper's definition of the policy.

/** 'm' or 'h' per request: the misses of each prefix, differenced. */
function pattern(misses: (keys: Uint32Array) => number, sequence: number[]): string {
  const keys = Uint32Array.from(sequence);
  let out = '';
  let before = 0;
  for (let i = 1; i <= keys.length; i++) {
    const now = misses(keys.subarray(0, i));
    out += now > before ? 'm' : 'h';
    before = now;
  }
  return out;
}

describe('ceiling study: ARC, hyperbolic caching and LeCaR', () => {
  it('ARC moves its target p on ghost hits; the same lists with p fixed at 0 miss once more', () => {
    // Cache of 2. The ghost hit on 2 (in B1) raises p to 1, so 4 then takes T2's 1 into B2 instead
    // of T1's 3; the ghost hit on 1 (in B2) lowers p to 0 and 3 goes to B1; 3's ghost hit raises p
    // to 1 again, pushing 1 out of T2, and 4 stays in T1 for the last request's hit. With p fixed
    // at 0, T1 always gives up its key first: 4 goes to B1 on 1's return and misses at the end.
    const sequence = [1, 1, 2, 3, 1, 2, 4, 1, 3, 4];
    expect(pattern((k) => arc(k, 2), sequence)).to.equal('mhmmhmmmmh');
    expect(pattern((k) => arc(k, 2, 0), sequence)).to.equal('mhmmhmmmmm');
    expect(exactLru(Uint32Array.from(sequence), 2)).to.equal(9);
  });

  it('hyperbolic caching evicts the lowest hits / time since insertion, not the least recent', () => {
    // Cache of 3; 1 has 4 requests since step 0 (ages count the current step). At step 6 (key 4):
    // 1 scores 4/7, 2 scores 1/3, 3 scores 1/2, so 2 goes (LRU would drop 1). At 7 (key 2): 4/8,
    // 1/3 and 1/2: 3 goes. 1 hits at 8; at 9 (key 3): 5/10, 4 at 1/4 and 2 at 1/3: 4 goes, and 2
    // hits at 10.
    const sequence = [1, 1, 1, 1, 2, 3, 4, 2, 1, 3, 2];
    expect(pattern((k) => hyperbolic(k, 3), sequence)).to.equal('mhhhmmmmhmh');
    expect(pattern((k) => exactLru(k, 3), sequence)).to.equal('mhhhmmmhmmh');
    // Sampled, 2 draws that always hit slots 0 and 1 (1, 2 and 3 fill slots 0-2): at 6, 1 (4/7)
    // against 2 (1/3): 2 goes and 4 takes slot 1. At 7, 1 (4/8) ties 4 (1/2): the earlier
    // inserted, 1, goes and 2 takes slot 0. At 8 (key 1), 2 (1/2) against 4 (1/3): 4 goes. 3, in
    // the never-drawn slot 2, hits at 9, and 2 at 10.
    const twoSlots = (): (() => number) => {
      let n = 0;
      return () => (n++ % 2 === 0 ? 0 : 0.5);
    };
    expect(pattern((k) => hyperbolic(k, 3, 1, 2, twoSlots()), sequence)).to.equal('mhhhmmmmmhh');
  });

  it('LeCaR shifts weight to LFU after LRU regrets an eviction, and the discount damps the shift', () => {
    // Cache of 2, draws fixed at 0.45 (LRU when 0.45 < wLRU), no discount, learning rate 0.45.
    // Request 4 (key 3): wLRU 0.5, LRU evicts 1 into its history. Request 5 (key 1) is LRU's
    // regret: wLRU = 1 / (1 + e^0.45) = 0.389, so LFU evicts 2 (count 1, older than 3), and 1
    // comes back with its count of 3 plus 1. Request 6 (key 2) is LFU's regret: wLRU is back to
    // 0.5, LRU evicts 3. Request 7 (key 3) again LRU's regret: LFU evicts 2 (count 2 against 1's
    // 4), so 1 hits at the end. Without the remembered count, LFU's tie at 7 takes 1 (older).
    const sequence = [1, 1, 1, 2, 3, 1, 2, 3, 1];
    const fixed = (): number => 0.45;
    const params = { learningRate: 0.45, discountPerCacheSize: 1, historySizes: 1, rememberCounts: true };
    expect(pattern((k) => lecar(k, 2, params, fixed), sequence)).to.equal('mhhmmmmmh');
    expect(pattern((k) => lecar(k, 2, { ...params, rememberCounts: false }, fixed), sequence)).to.equal('mhhmmmmmm');
    // The paper's discount 0.005 per cache size: d = 0.005^(1/2) = 0.0707, a regret one request
    // old moves wLRU only to 0.492, then 0.484, then 0.476: every draw stays LRU, as LRU misses.
    const damped = { ...params, discountPerCacheSize: 0.005 };
    expect(pattern((k) => lecar(k, 2, damped, fixed), sequence)).to.equal('mhhmmmmmm');
    expect(pattern((k) => exactLru(k, 2), sequence)).to.equal('mhhmmmmmm');
  });

  it('OPT is at or below each of them, and each beats exact LRU on Zipf 1.0', () => {
    const trace = zipf(1.0, 10_000, 100_000, 9).keys;
    const opt = belady(trace, 100);
    const lru = exactLru(trace, 100);
    const results = {
      arc: arc(trace, 100),
      hyperbolic: hyperbolic(trace, 100),
      lecar: lecar(trace, 100, { learningRate: 0.45, discountPerCacheSize: 0.005, historySizes: 1, rememberCounts: true }),
    };
    for (const [name, misses] of Object.entries(results)) {
      expect(misses, name).to.be.at.least(opt);
      expect(misses, name).to.be.below(lru);
    }
  });
});

describe('ceiling study: LRFU, LHD and a learned relaxed Belady', () => {
  it('LRFU with lambda 0.5 sits between LFU (lambda 0) and LRU (lambda 1)', () => {
    // Cache of 2; CRF = 1 + CRF(last) * 2^(-lambda * gap). Lambda 0.5: at 3, 1 has 1.707 * 2^-1
    // = 0.854 and 2 has 2^-0.5 = 0.707, so 2 goes (LRU would drop 1), and 1 hits at 4 (CRF 1 +
    // 1.707 * 2^-1.5 = 1.604). At 5, 1 has 1.134 and 3 has 0.5: 3 goes. At 7 (key 5), 1 has
    // 1.604 * 2^-1.5 = 0.567 and 4 (hit at 6) 1.707 * 2^-0.5 = 1.207: 1 goes, so 4 hits at 8.
    // LFU keeps 1 (3 requests) and drops 4 (2) at 7; LRU drops 1 at 3 and misses it at 4.
    const sequence = [1, 1, 2, 3, 1, 4, 4, 5, 4];
    expect(pattern((k) => lrfu(k, 2, { lambda: 0.5, historySizes: 0 }), sequence)).to.equal('mhmmhmhmh');
    expect(pattern((k) => lrfu(k, 2, { lambda: 0, historySizes: 0 }), sequence)).to.equal('mhmmhmhmm');
    expect(pattern((k) => lrfu(k, 2, { lambda: 1, historySizes: 0 }), sequence)).to.equal('mhmmmmhmh');
    expect(pattern((k) => exactLru(k, 2), sequence)).to.equal('mhmmmmhmh');
  });

  it("LRFU with a history resumes an evicted key's CRF", () => {
    // Lambda 0 (counts), cache of 2. Without history, 2 and 3 take turns evicting each other
    // (count 1 against 1's 2). With it, 2 comes back at 4 with count 2 and 3 (count 1) goes; 3
    // comes back at 5 with 2, ties 1 and 2 and the least recent, 1, goes: 2 hits at 6.
    const sequence = [1, 1, 2, 3, 2, 3, 2];
    expect(pattern((k) => lrfu(k, 2, { lambda: 0, historySizes: 0 }), sequence)).to.equal('mhmmmmm');
    expect(pattern((k) => lrfu(k, 2, { lambda: 0, historySizes: 1 }), sequence)).to.equal('mhmmmmh');
  });

  it('LHD hit density: hits at or above an age class over the lifetime still ahead', () => {
    // Class 3: 1 hit / (2 events x 1 class) = 0.5; class 2: 1 / (2 + 2) = 0.25; class 1: 3 hits,
    // 4 events, lifetime 4 + 4 = 8: 0.375; class 0: 3 / (8 + 5) = 3/13.
    const d = hitDensities([0, 2, 0, 1], [1, 0, 0, 1]);
    expect(d[3]).to.equal(0.5);
    expect(d[2]).to.equal(0.25);
    expect(d[1]).to.equal(0.375);
    expect(d[0]).to.be.closeTo(3 / 13, 1e-12);
  });

  it('LHD evicts the younger key once the counts say hits come at age 2', () => {
    // Cache of 2, age classes of 1 request, 4 classes, densities recomputed every 8 requests.
    // Before that it is LRU by age: 1 hits at ages 1, 2, 2, 2 and 2, 3, 4 are evicted at age 2.
    // At 8: densities [4/17, 4/11, 3/5, 0]; key 5 arrives, 1 is at age 1 (4/11) and 4 at age 2
    // (3/5): 1 goes, and misses at 9, where LRU hits.
    const sequence = [1, 1, 2, 1, 3, 1, 4, 1, 5, 1];
    const params = { ageShare: 0.5, ageClasses: 4, reuseClasses: 1, reconfigureSizes: 4, decay: 1, samples: 0 };
    expect(pattern((k) => lhd(k, 2, params), sequence)).to.equal('mhmhmhmhmm');
    expect(pattern((k) => exactLru(k, 2), sequence)).to.equal('mhmhmhmhmh');
  });

  it('CACHEUS: SR-LRU protects reused keys from new ones, CR-LFU evicts the most recent of the least used', () => {
    // Cache of 3, SR share 1/3 (1 key; R holds 2), no adaptation, no discount.
    const params = { learningRate: 0.45, adaptive: false, srShare: 1 / 3, discountPerCacheSize: 1, historySizes: 1 };
    // Draws of 0: always SR-LRU. 1 and 2 hit in SR and move to R; 3 and 4 enter SR, and 4 pushes
    // out 3 (SR's oldest) where LRU drops 1; so 1 and 2 hit at 6 and 7, where LRU misses.
    const scan = [1, 1, 2, 2, 3, 4, 1, 2, 3];
    expect(pattern((k) => cacheus(k, 3, params, () => 0), scan)).to.equal('mhmhmmhhm');
    expect(pattern((k) => exactLru(k, 3), scan)).to.equal('mhmhmmmmm');
    // Draws of 0.999: always CR-LFU. At 4, 2 and 3 have one request each: the more recent, 3,
    // goes. 3 comes back at 5 with its count (now 2); 2 and 4 tie at 1 and 4 goes: 2 hits at 6.
    const churn = [1, 1, 2, 3, 4, 3, 2];
    expect(pattern((k) => cacheus(k, 3, params, () => 0.999), churn)).to.equal('mhmmmmh');
    // Draws of 0.55: CR-LFU (wSR 0.5) evicts 3 at 4; its return at 5 is CR-LFU's regret and wSR
    // becomes e^0.45 / (e^0.45 + 1) = 0.61, so SR-LRU evicts SR's oldest, 2, which misses at 6.
    expect(pattern((k) => cacheus(k, 3, params, () => 0.55), churn)).to.equal('mhmmmmm');
  });

  it('learned: the features of a key requested at 0, 4 and 10, seen at 13', () => {
    // 2 gaps kept (6 then 4), boundary 8: decayed counts with half-lives 4, 8 and 16.
    const f = learnedFeatures([0, 4, 10], 13, 2, 8);
    const l = (x: number): number => Math.log2(1 + x) / 16;
    const edc = (h: number): number => (1 + (1 + 2 ** (-4 / h)) * 2 ** (-6 / h)) * 2 ** (-3 / h);
    const expected = [1, l(3), l(6), l(4), 0, 0, l(3), l(edc(4)), l(edc(8)), l(edc(16))];
    expected.push(l(3) - l(6), Math.abs(l(3) - l(6)), l(3) - l(4), Math.abs(l(3) - l(4)));
    expect(f.length).to.equal(expected.length);
    f.forEach((x, j) => expect(x, `feature ${j}`).to.be.closeTo(expected[j], 1e-12));
    expect(l(edc(4))).to.be.closeTo(Math.log2(1 + 1.53033 * 2 ** -0.75) / 16, 1e-5);
    // Seen once: both gaps missing, so their values and the differences are 0 and the flags 1.
    const once = learnedFeatures([5], 6, 2, 8);
    expect(once.slice(2, 6)).to.deep.equal([0, 0, 1, 1]);
    expect(once.slice(10)).to.deep.equal([0, 0, 0, 0]);
  });

  const learned = (model: LearnedParams['model']): LearnedParams => ({
    model,
    gaps: 8,
    boundarySizes: 0.5,
    samples: 0,
    learningRate: 0.1,
    examplesPerEviction: 4,
    halveSizes: Infinity,
  });

  it('learned: every label comes from requests already replayed, and a prefix decides as the whole trace', () => {
    const keys = zipf(1.0, 500, 3000, 7).keys;
    const boundary = 10;
    let labels = 0;
    for (const model of ['logistic', 'table', 'regression'] as const) {
      const missAt: number[] = [];
      learnedRelaxedBelady(keys, 20, learned(model), seeded(1), {
        miss: (i) => missAt.push(i),
        label: (key, t0, now, label) => {
          labels++;
          expect(now).to.be.above(t0);
          const next = keys.indexOf(key, t0 + 1);
          if (label === 1) {
            // Learned at the very request that showed it, within the boundary.
            expect(next).to.equal(now);
            expect(now - t0).to.be.at.most(boundary);
          } else {
            // Learned once the boundary had passed without a request.
            expect(now).to.equal(t0 + boundary + 1);
            expect(next === -1 || next > t0 + boundary).to.equal(true);
          }
        },
      });
      // A prefix of the trace gets exactly the misses the whole run had up to there: nothing
      // later in the trace changed an earlier decision.
      for (const n of [100, 777, 1500, 2999]) {
        expect(learnedRelaxedBelady(keys.subarray(0, n), 20, learned(model)), `${model} ${n}`).to.equal(missAt.filter((i) => i < n).length);
      }
    }
    expect(labels).to.be.above(1000);
  });

  it('learned: on a loop one key larger than the cache it learns to evict the newest key, where LRU never hits', () => {
    const keys = loop(21, 4000).keys;
    expect(exactLru(keys, 20)).to.equal(4000);
    const opt = belady(keys, 20);
    for (const model of ['logistic', 'table', 'regression'] as const) {
      const misses = learnedRelaxedBelady(keys, 20, learned(model));
      expect(misses, model).to.be.at.least(opt);
      expect(misses, model).to.be.below(4000 * 0.15);
    }
  });
});
