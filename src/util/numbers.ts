// Number parsing and printing with Redis's rules. Redis's string2ll accepts only canonical
// integers (no '+', no leading zeros, no spaces) within 64 bits; JS numbers are exact only up to
// 2^53, so values beyond that go through BigInt.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

/**
 * A canonical signed 64-bit integer, as a number when it is exactly representable and a bigint
 * otherwise; null when the text is not one.
 */
export function parseInt64(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n <= 15) {
    // Fast path: up to 15 characters always fits in a double exactly.
    if (!CANONICAL_INT.test(s)) return null;
    return Number(s);
  }
  if (!CANONICAL_INT.test(s)) return null;
  const big = BigInt(s);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** parseInt64 for arguments that must fit a JS number (counts, indexes, timeouts); else null. */
export function parseSafeInt(s: string): number | null {
  const v = parseInt64(s);
  return typeof v === 'number' ? v : null;
}

/** True when a bigint lies within signed 64 bits. */
export function fitsInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX;
}

/** A number or bigint back to the smallest exact representation. */
export function normalizeInt(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** C's `%.17g`, which Redis uses for double replies. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mantissa, expText] = d.toExponential(16).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) {
    const trimmed = trimFraction(mantissa);
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${trimmed}e${sign}${digits}`;
  }
  // Fixed notation with 17 significant digits, built from the same rounded digits.
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exp >= 0) {
    text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return (negative ? '-' : '') + trimFraction(text);
}

function trimFraction(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * C's `%.<digits>f`. toFixed rounds an exact tie away from zero (1.125 -> "1.13") where glibc's
 * printf rounds it to even ("1.12"); everything else is the same, since both round the double's
 * exact binary value.
 */
export function formatFixed(x: number, digits: number): string {
  const fixed = x.toFixed(digits);
  if (!Number.isFinite(x)) return fixed;
  // A double's exact decimal expansion ends within 100 places for any value this is used for.
  const exact = Math.abs(x).toFixed(100);
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (!/^50*$/.test(tail)) return fixed;
  const kept = exact.slice(0, exact.indexOf('.') + 1 + digits);
  const lastDigit = Number(kept[kept.length - 1] === '.' ? kept[kept.length - 2] : kept[kept.length - 1]);
  if (lastDigit % 2 !== 0) return fixed;
  const truncated = digits === 0 ? kept.slice(0, -1) : kept;
  return (x < 0 ? '-' : '') + truncated;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
