// Memory sizes in configuration, read as Redis reads them. A module of its own, with no imports,
// because the config table's validators (output-buffer-limits.ts) need it while config.ts,
// which imports the table, may still be loading.

const U64_MAX = 2n ** 64n - 1n;
const MEMORY_UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n };

/**
 * Redis 7.0's memtoull exactly, as CONFIG SET applies it to memory parameters: digits then an
 * optional unit (any letter case), no sign. Its quirks are kept because they decide what
 * CONFIG GET then shows: no digits at all reads as 0 (`mb`, the empty string), digits past 2^64-1
 * saturate (strtoull), and the product with the unit wraps modulo 2^64.
 */
export function memtoull(text: string): bigint | null {
  const m = /^(\d*)([a-z]*)$/i.exec(text);
  if (m === null) return null;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  // Redis copies the digits into a 128-byte buffer first.
  if (unit === undefined || m[1].length >= 128) return null;
  let digits = m[1] === '' ? 0n : BigInt(m[1]);
  if (digits > U64_MAX) digits = U64_MAX;
  return BigInt.asUintN(64, digits * unit);
}

