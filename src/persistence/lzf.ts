// LZF, the compression of long strings in RDB files and DUMP payloads. The format: a control
// byte 000LLLLL starts a run of L+1 literal bytes; LLLooooo oooooooo copies L+2 bytes from
// `offset + 1` bytes back; 111ooooo LLLLLLLL oooooooo the same with a length of L+9.
//
// The compressor makes the same choices as the liblzf 3.6 build inside Redis 7.0 (a 2^16-slot
// hash of the next three bytes, the "very fast" variant that rehashes only the last two bytes of
// each match), so a DUMP from ringcache is byte-identical to Redis's for the same value.

const HASH_LOG = 16;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_LITERAL = 1 << 5;
const MAX_OFFSET = 1 << 13;
const MAX_REFERENCE = (1 << 8) + (1 << 3);

/** The hash slot of the three bytes whose value (b0 << 16 | b1 << 8 | b2) is v. */
function slotOf(v: number): number {
  return ((v >>> (3 * 8 - HASH_LOG)) - v * 5) & (HASH_SIZE - 1);
}

/**
 * Compresses input into at most outLimit bytes, or returns null when the result would not fit
 * (Redis then stores the string as it is). The limit checks fall where liblzf's do, since they
 * decide which values Redis leaves uncompressed.
 */
export function lzfCompress(input: Uint8Array, outLimit: number): Buffer | null {
  const inEnd = input.length;
  if (inEnd === 0 || outLimit === 0) return null;
  // Slot 0 means "no earlier position": position 0 is never a match source in liblzf either.
  const table = new Int32Array(HASH_SIZE);
  const out = Buffer.alloc(outLimit + 3);
  let ip = 0;
  let op = 1;
  let lit = 0;
  let hval = (input[0] << 8) | input[1];
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
    const slot = slotOf(hval);
    const ref = table[slot];
    table[slot] = ip;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off >= 0 &&
      off < MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let maxLen = inEnd - ip - 2;
      if (maxLen > MAX_REFERENCE) maxLen = MAX_REFERENCE;
      out[op - lit - 1] = lit - 1;
      if (lit === 0) op--;
      if (op + 3 + 1 >= outLimit) return null;
      const len = matchLength(input, ref, ip, maxLen) - 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // Only the last two positions of the match enter the table ("very fast" mode).
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      table[slotOf(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      table[slotOf(hval)] = ip;
      ip++;
    } else {
      if (op >= outLimit) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LITERAL) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLimit) return null;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.subarray(0, op);
}

/**
 * How many bytes from ip repeat those from ref (at least 3, which the caller checked). liblzf
 * compares 16 bytes unchecked when more than 16 may match, which can run up to two bytes past
 * maxLen at the very end of the input; that quirk is kept because it changes the output.
 */
function matchLength(input: Uint8Array, ref: number, ip: number, maxLen: number): number {
  let len = 2;
  if (maxLen > 16) {
    for (let i = 0; i < 16; i++) {
      len++;
      if (input[ref + len] !== input[ip + len]) return len;
    }
  }
  do len++;
  while (len < maxLen && input[ref + len] === input[ip + len]);
  return len;
}

/** Decompresses to exactly `length` bytes, or returns null when the data is not valid LZF. */
export function lzfDecompress(input: Uint8Array, length: number): Buffer | null {
  const out = Buffer.alloc(length);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const control = input[ip++];
    if (control < MAX_LITERAL) {
      const run = control + 1;
      if (op + run > length || ip + run > input.length) return null;
      for (let i = 0; i < run; i++) out[op++] = input[ip++];
      continue;
    }
    let len = control >>> 5;
    if (len === 7) {
      if (ip >= input.length) return null;
      len += input[ip++];
    }
    if (ip >= input.length) return null;
    let ref = op - ((control & 0x1f) << 8) - 1 - input[ip++];
    len += 2;
    if (op + len > length || ref < 0) return null;
    // Byte by byte: the source may overlap the bytes being written (a run of one pattern).
    for (let i = 0; i < len; i++) out[op++] = out[ref++];
  }
  return op === length ? out : null;
}
