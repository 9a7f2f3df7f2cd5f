// Moving bytes between Buffers and latin1 strings (one char per byte, binary safe), which is how
// keys and values travel through ringcache. Short ones are copied in JS: a call into C++ costs
// more than copying so few bytes.

type Latin1Buffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  latin1Write(s: string, offset: number, length: number): number;
};

const fromCharCode = String.fromCharCode;

/** Strings up to this many chars are written byte by byte in JS rather than by Buffer's binding. */
const SHORT_WRITE = 32;

/**
 * The bytes [start, end) as a latin1 string. Up to 16 bytes (command names, most keys, small
 * values) the string is built by String.fromCharCode, a V8 builtin that needs no call into C++;
 * that call costs more than copying so few bytes (measured 50-70 against 85-110 ns per argument
 * of 3-16 bytes). Longer ones use Buffer's own binding behind toString('latin1', ...), called
 * directly to skip three JS wrapper frames.
 */
export function latin1Slice(b: Buffer, s: number, end: number): string {
  switch (end - s) {
    case 0: return '';
    case 1: return fromCharCode(b[s]);
    case 2: return fromCharCode(b[s], b[s + 1]);
    case 3: return fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16: return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default: return (b as Latin1Buffer).latin1Slice(s, end);
  }
}

/** Writes the latin1 string s into b at offset (the caller made room); returns the offset after it. */
export function latin1Write(b: Buffer, s: string, offset: number): number {
  const n = s.length;
  if (n <= SHORT_WRITE) {
    for (let i = 0; i < n; i++) b[offset + i] = s.charCodeAt(i);
    return offset + n;
  }
  return offset + (b as Latin1Buffer).latin1Write(s, offset, n);
}

/** Whether the bytes [start, start + s.length) of b are the latin1 string s. */
export function latin1Equals(b: Buffer, start: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[start + i] !== s.charCodeAt(i)) return false;
  return true;
}
