// Cases checked against redis-server 7.0.15 with KEYS (which uses stringmatchlen).
import { expect } from 'chai';
import { globMatch } from '../../src/util/glob.js';

const KEYS = ['abc', 'a', 'ab', 'b', '[', '\\', 'a]', '!'];

/** The keys of KEYS that a pattern selects, sorted, as Redis's KEYS answered (sorted). */
function selected(pattern: string, keys = KEYS): string[] {
  return keys.filter((k) => globMatch(pattern, k)).sort();
}

describe('globMatch (Redis stringmatchlen)', () => {
  it('matches *, ? and literals', () => {
    expect(selected('*')).to.deep.equal([...KEYS].sort());
    expect(selected('a*')).to.deep.equal(['a', 'a]', 'ab', 'abc']);
    expect(selected('?')).to.deep.equal(['!', '[', '\\', 'a', 'b']);
    expect(selected('a?c')).to.deep.equal(['abc']);
    expect(globMatch('', '')).to.equal(true);
    expect(globMatch('', 'a')).to.equal(false);
    expect(globMatch('a**', 'a')).to.equal(true);
    expect(globMatch('*a*b', 'xaxb')).to.equal(true);
  });

  it('negates classes with ^ but not with !', () => {
    expect(selected('[!a]*')).to.deep.equal(['!', 'a', 'a]', 'ab', 'abc']);
    expect(selected('[^a]*')).to.deep.equal(['!', '[', '\\', 'b']);
  });

  it('keeps Redis quirks of unterminated classes, ranges and escapes', () => {
    expect(selected('[a')).to.deep.equal(['a']);
    expect(selected('[a-')).to.deep.equal(['a']);
    expect(selected('a[')).to.deep.equal([]);
    expect(selected('\\a*')).to.deep.equal(['a', 'a]', 'ab', 'abc']);
    expect(selected('*\\')).to.deep.equal(['\\']);
    expect(selected('[a-]*')).to.deep.equal(['a']);
    expect(selected('[b-a]')).to.deep.equal(['a', 'b']);
    expect(selected('[\\]]')).to.deep.equal([]);
    expect(selected('a]')).to.deep.equal(['a]']);
    expect(selected('[[]')).to.deep.equal(['[']);
    expect(selected('[a\\')).to.deep.equal(['\\', 'a']);
    expect(globMatch('[^', 'x')).to.equal(true);
    expect(globMatch('[', '[')).to.equal(false);
  });

  it('compares bytes in ranges as signed chars, as x86 Redis does', () => {
    const bytes = ['\x00', '\xff', '\x80', 'a', '\xe9'];
    expect(selected('[\x00-\xff]', bytes)).to.deep.equal(['\x00', '\xff']);
    expect(selected('[a-\xe9]', bytes)).to.deep.equal(['\x00', 'a', '\xe9', '\xff']);
    expect(selected('[\x80-\xff]', bytes)).to.deep.equal(['\x80', '\xe9', '\xff']);
    expect(selected('\xe9', bytes)).to.deep.equal(['\xe9']);
  });

  it('folds ASCII case only when asked', () => {
    expect(globMatch('HELLO*', 'hello world')).to.equal(false);
    expect(globMatch('HELLO*', 'hello world', true)).to.equal(true);
    expect(globMatch('[A-C]x', 'bx', true)).to.equal(true);
    expect(globMatch('\xc9', '\xe9', true)).to.equal(false);
  });

  it('stays fast on patterns that backtrack exponentially without the give-up rule', () => {
    const subject = 'a'.repeat(60);
    expect(globMatch('a*a*a*a*a*a*a*a*a*a*a*a*b', subject)).to.equal(false);
  });
});
