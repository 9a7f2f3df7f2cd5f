import { expect } from 'chai';
import { belady, exactLru } from '../../benchmarks/eviction/baselines.js';
import { arc, hyperbolic, lecar } from '../../benchmarks/eviction/reference-policies.js';
import { zipf } from '../../benchmarks/eviction/traces.js';

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
