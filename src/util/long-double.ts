// An exact emulation of the x87 80-bit `long double` that Redis's INCRBYFLOAT computes with on
// x86-64: glibc's strtold to read, one correctly rounded addition, and `%.17Lf` to print. A JS
// double has 11 fewer mantissa bits, so using one would print different digits (0.1 + 0.2 reads
// back as 0.30000000000000004 instead of Redis's 0.3); BigInt arithmetic reproduces every bit.
//
// A finite value is mant * 2^exp with mant below 2^64: the 64-bit explicit mantissa and the
// weight of its lowest bit. Normal values keep mant's top bit set; subnormals sit at the lowest
// exponent with a shorter mantissa.

const MANT_BITS = 64;
/** Weight of the lowest bit of the smallest subnormal, 2^-16445. */
const MIN_LSB_EXP = -16445;
/** Weight of the lowest bit of the largest finite value, (2^64 - 1) * 2^16320. */
const MAX_LSB_EXP = 16320;
const MANT_LIMIT = 1n << 64n;
const MANT_TOP = 1n << 63n;

/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses any input this long or longer. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** %.17Lf: the number of decimals ld2string prints before trimming zeros. */
const HUMAN_DECIMALS = 17n;
const HUMAN_SCALE = 10n ** HUMAN_DECIMALS;

export type LongDouble =
  | { kind: 'finite'; negative: boolean; mant: bigint; exp: number }
  | { kind: 'infinite'; negative: boolean };

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
/** C's isspace in the C locale. */
const C_SPACE = /^[ \t\n\v\f\r]/;

/**
 * Redis's string2ld: strtold over the whole text, refusing leading space, trailing garbage or NUL, NaN,
 * and a result that overflowed or underflowed to zero (ERANGE). Infinity spelled out is
 * accepted, as strtold sets no error for it. null when refused.
 */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) return null;
  // strtold skips leading space itself, so string2ld refuses it explicitly; a NUL byte ends
  // strtold's parse early, which string2ld's length check then refuses.
  if (C_SPACE.test(text)) return null;
  let m = DECIMAL.exec(text);
  if (m !== null) {
    const fraction = m[4] ?? m[3] ?? '';
    const digits = (m[2] ?? '') + fraction;
    const fractionDigits = fraction.length;
    return parseDecimal(m[1] === '-', digits, fractionDigits, m[5]);
  }
  m = HEX.exec(text);
  if (m !== null) {
    const fraction = m[4] ?? m[3] ?? '';
    const digits = (m[2] ?? '') + fraction;
    const fractionDigits = fraction.length;
    return parseHex(m[1] === '-', digits, fractionDigits, m[5]);
  }
  m = INFINITY.exec(text);
  if (m !== null) return { kind: 'infinite', negative: m[1] === '-' };
  return null;
}

/** digits * 10^(exponent - fractionDigits), rounded to the nearest long double. */
function parseDecimal(negative: boolean, digitText: string, fractionDigits: number, exponentText: string | undefined): LongDouble | null {
  const digits = digitText.replace(/^0+/, '');
  if (digits.length === 0) return zero(negative);
  const exp10 = exponentValue(exponentText) - fractionDigits;
  // Decide hopeless magnitudes before building 10^exp10: the largest long double is about
  // 1.19e4932 and half the smallest subnormal about 1.8e-4951.
  const magnitude = digits.length + exp10;
  if (magnitude > 4934) return null;
  if (magnitude < -4952) return null;
  const d = BigInt(digits);
  const rounded = exp10 >= 0 ? roundRational(negative, d * 10n ** BigInt(exp10), 1n, 0) : roundRational(negative, d, 10n ** BigInt(-exp10), 0);
  return rangeChecked(rounded);
}

/** hexDigits * 2^(exponent - 4 * fractionDigits), rounded to the nearest long double. */
function parseHex(negative: boolean, digitText: string, fractionDigits: number, exponentText: string | undefined): LongDouble | null {
  const digits = digitText.replace(/^0+/, '');
  if (digits.length === 0) return zero(negative);
  const exp2 = exponentValue(exponentText) - 4 * fractionDigits;
  const magnitude = 4 * digits.length + exp2;
  if (magnitude > 16400) return null;
  if (magnitude < -16460) return null;
  return rangeChecked(roundRational(negative, BigInt(`0x${digits}`), 1n, exp2));
}

/** The exponent's value; huge ones saturate, which the magnitude checks then refuse. */
function exponentValue(text: string | undefined): number {
  if (text === undefined) return 0;
  const v = Number(text);
  return Math.max(-1e9, Math.min(1e9, v));
}

/** strtold's ERANGE cases that string2ld refuses: overflow to infinity and underflow to zero. */
function rangeChecked(v: LongDouble): LongDouble | null {
  if (v.kind === 'infinite') return null;
  if (v.mant === 0n) return null;
  return v;
}

function zero(negative: boolean): LongDouble {
  return { kind: 'finite', negative, mant: 0n, exp: MIN_LSB_EXP };
}

/**
 * num / den * 2^exp2 (num, den > 0) rounded to nearest, ties to even, with gradual underflow
 * and overflow to infinity: the rounding the x87 unit and glibc's strtold both perform.
 */
function roundRational(negative: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  // floor(log2(num / den)): the bit-length difference, or one less.
  let top = bitLength(num) - bitLength(den);
  if (!atLeastPowerOfTwo(num, den, top)) top--;
  let lsb = Math.max(top + exp2 - (MANT_BITS - 1), MIN_LSB_EXP);
  if (lsb > MAX_LSB_EXP) return { kind: 'infinite', negative };
  const shift = exp2 - lsb;
  let n = num;
  let d = den;
  if (shift >= 0) n <<= BigInt(shift);
  else d <<= BigInt(-shift);
  let q = n / d;
  const twiceRem = (n - q * d) * 2n;
  if (twiceRem > d || (twiceRem === d && (q & 1n) === 1n)) q++;
  if (q === MANT_LIMIT) {
    q = MANT_TOP;
    lsb++;
    if (lsb > MAX_LSB_EXP) return { kind: 'infinite', negative };
  }
  return { kind: 'finite', negative, mant: q, exp: lsb };
}

/** num / den >= 2^power. */
function atLeastPowerOfTwo(num: bigint, den: bigint, power: number): boolean {
  return power >= 0 ? num >= den << BigInt(power) : num << BigInt(-power) >= den;
}

function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0], 16)) - 28);
}

/** a + b in long double, rounded once. Infinities of opposite signs give null (NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.kind === 'infinite' || b.kind === 'infinite') {
    if (a.kind === 'infinite' && b.kind === 'infinite' && a.negative !== b.negative) return null;
    return a.kind === 'infinite' ? a : b;
  }
  if (a.mant === 0n && b.mant === 0n) return zero(a.negative && b.negative);
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  // The exact sum over the smaller exponent, then a single rounding.
  const base = Math.min(a.exp, b.exp);
  const sa = signed(a, base);
  const sb = signed(b, base);
  const sum = sa + sb;
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return zero(false);
  return sum < 0n ? roundRational(true, -sum, 1n, base) : roundRational(false, sum, 1n, base);
}

function signed(v: { negative: boolean; mant: bigint; exp: number }, base: number): bigint {
  const m = v.mant << BigInt(v.exp - base);
  return v.negative ? -m : m;
}

/** True when the value is an infinity (INCRBYFLOAT refuses to store one). */
export function isInfinite(v: LongDouble): boolean {
  return v.kind === 'infinite';
}

/**
 * Redis's ld2string in LD_STR_HUMAN mode: `%.17Lf` (exact decimal expansion rounded half to
 * even, as glibc prints), trailing zeros and a bare trailing dot removed, and "-0" written "0".
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === 'infinite') return v.negative ? '-inf' : 'inf';
  let text: string;
  if (v.exp >= 0) {
    text = (v.mant << BigInt(v.exp)).toString();
  } else {
    const shift = BigInt(-v.exp);
    const scaled = v.mant * HUMAN_SCALE;
    let q = scaled >> shift;
    const rem = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    const digits = q.toString().padStart(Number(HUMAN_DECIMALS) + 1, '0');
    const whole = digits.slice(0, -Number(HUMAN_DECIMALS));
    const fraction = digits.slice(-Number(HUMAN_DECIMALS)).replace(/0+$/, '');
    text = fraction.length === 0 ? whole : `${whole}.${fraction}`;
  }
  if (!v.negative || text === '0') return text;
  return `-${text}`;
}
