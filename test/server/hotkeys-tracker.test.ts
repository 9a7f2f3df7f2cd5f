// The Space-Saving tracker behind the hot-key metrics: exact counts while keys fit, the
// inherited count as the error bound once a newcomer takes the smallest counter, and the heap's
// bookkeeping intact under many swaps, for short keys and for long ones of one length (which
// V8 alone would hash by their length).

import { expect } from 'chai';
import { HotKeys } from '../../src/server/hotkeys.js';

/** Keys of one length past V8's content-hashed limit, differing only in their last two bytes. */
const longKey = (i: number): string => 'k'.repeat(16_382) + String.fromCharCode(0x30 + (i >> 6), 0x30 + (i & 63));

describe('HotKeys', () => {
  it('counts exactly while every key has a counter, hottest first', () => {
    const hot = new HotKeys(8, 1);
    for (const [key, n] of [['a', 5], ['b', 3], ['c', 1]] as const) for (let i = 0; i < n; i++) hot.record(key);
    expect(hot.top(3)).to.deep.equal([
      { key: 'a', count: 5, error: 0 },
      { key: 'b', count: 3, error: 0 },
      { key: 'c', count: 1, error: 0 },
    ]);
  });

  it('gives a newcomer the smallest counter, with the count it inherits as its error', () => {
    const hot = new HotKeys(2, 1);
    for (const key of ['a', 'a', 'a', 'a', 'b', 'c', 'c']) hot.record(key);
    // c took b's counter (1), then counted twice more.
    expect(hot.top(2)).to.deep.equal([
      { key: 'a', count: 4, error: 0 },
      { key: 'c', count: 3, error: 1 },
    ]);
    expect(hot.size).to.equal(2);
  });

  for (const [label, keyOf] of [['short', (i: number): string => `key:${i}`], ['16384-byte', longKey]] as const) {
    it(`keeps every count exact through many heap moves, with ${label} keys`, () => {
      const hot = new HotKeys(256, 1);
      // Key i is recorded i + 1 times, in rounds, so counters keep overtaking one another.
      const n = 100;
      for (let round = 0; round < n; round++) for (let i = round; i < n; i++) hot.record(keyOf(i));
      const top = hot.top(n);
      expect(top.map((h) => h.count)).to.deep.equal(Array.from({ length: n }, (_, j) => n - j));
      expect(top.map((h) => h.key)).to.deep.equal(Array.from({ length: n }, (_, j) => keyOf(n - 1 - j)));
      expect(top.every((h) => h.error === 0)).to.equal(true);
    });
  }

  it('forgets everything on reset', () => {
    const hot = new HotKeys(4, 1);
    hot.record(longKey(1));
    hot.record('a');
    hot.reset();
    expect(hot.size).to.equal(0);
    hot.record('a');
    expect(hot.top(4)).to.deep.equal([{ key: 'a', count: 1, error: 0 }]);
  });
});
