// Glob matching with the exact rules of Redis's stringmatchlen (KEYS, SCAN MATCH, CONFIG GET,
// PSUBSCRIBE): `*`, `?`, `[abc]`, `[^abc]`, `[a-z]` (reversed ranges allowed), `\x` escapes.
// Redis's quirks are kept on purpose, because clients see them:
// - `[!x]` is not a negation: `!` is an ordinary member of the class;
// - an unterminated class (`[ab`) ends at the end of the pattern and still matches;
// - in `[a-]x]` the range's end is `]`, so the class goes on to the next `]`;
// - bytes compare as C's signed char, so 0x80-0xff sort below 0x00 inside ranges:
//   `[\x00-\xff]` matches only the bytes 0x00 and 0xff, as on x86 Redis.
//
// Patterns and subjects are latin1 strings (one char per byte).

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const DASH = 0x2d;

/** True when `subject` matches the glob `pattern`; nocase folds ASCII letters as C's tolower. */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  // A '*' that fails to match the rest of the pattern at every later position proves that no
  // earlier '*' can do better; this flag stops the search there, as Redis does since 7.0.9,
  // which keeps patterns like `a*a*a*a*b` linear instead of exponential.
  const state = { giveUp: false };
  return matchFrom(pattern, 0, subject, 0, nocase, state);
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, state: { giveUp: boolean }): boolean {
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const c = p.charCodeAt(pi);
    if (c === STAR) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === STAR) pi++;
      if (pi + 1 === plen) return true;
      for (; si < slen; si++) {
        if (matchFrom(p, pi + 1, s, si, nocase, state)) return true;
        if (state.giveUp) return false;
      }
      state.giveUp = true;
      return false;
    } else if (c === QUESTION) {
      si++;
    } else if (c === OPEN) {
      const end = matchClass(p, pi + 1, s.charCodeAt(si), nocase);
      if (end < 0) return false;
      pi = end;
      si++;
    } else {
      // A backslash escapes the next byte; a trailing one is an ordinary byte.
      if (c === BACKSLASH && pi + 1 < plen) pi++;
      if (!sameByte(p.charCodeAt(pi), s.charCodeAt(si), nocase)) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === STAR) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

/**
 * Matches one byte against the class that starts after its '['; returns the index of the class's
 * last pattern char (its ']' or the pattern's last byte when unterminated), or -1 on no match.
 */
function matchClass(p: string, pi: number, byte: number, nocase: boolean): number {
  const plen = p.length;
  const negate = pi < plen && p.charCodeAt(pi) === CARET;
  if (negate) pi++;
  let matched = false;
  for (;;) {
    if (pi >= plen) {
      pi = plen - 1;
      break;
    }
    const c = p.charCodeAt(pi);
    if (c === BACKSLASH && plen - pi >= 2) {
      pi++;
      if (p.charCodeAt(pi) === byte) matched = true;
    } else if (c === CLOSE) {
      break;
    } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === DASH) {
      let start = signedChar(c);
      let end = signedChar(p.charCodeAt(pi + 2));
      let subject = signedChar(byte);
      if (start > end) [start, end] = [end, start];
      if (nocase) {
        start = lower(start);
        end = lower(end);
        subject = lower(subject);
      }
      pi += 2;
      if (subject >= start && subject <= end) matched = true;
    } else if (sameByte(c, byte, nocase)) {
      matched = true;
    }
    pi++;
  }
  return matched !== negate ? pi : -1;
}

function sameByte(a: number, b: number, nocase: boolean): boolean {
  return a === b || (nocase && lower(a) === lower(b));
}

/** C's tolower in the C locale: only ASCII letters change. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/** The byte as x86's signed `char`, which Redis's range comparison uses. */
function signedChar(c: number): number {
  return c >= 0x80 ? c - 0x100 : c;
}
