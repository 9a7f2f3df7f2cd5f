// The option grammar SET and GETEX share, and the expire-time arithmetic of SET, SETEX, PSETEX
// and GETEX, with Redis's exact acceptance rules: a repeated option is accepted (the last
// time wins), while two options that contradict each other are a syntax error.

import { normalizeInt, parseInt64 } from './numbers.js';

export const OPT_NX = 1;
export const OPT_XX = 2;
export const OPT_GET = 4;
export const OPT_KEEPTTL = 8;
export const OPT_PERSIST = 16;
export const OPT_EX = 32;
export const OPT_PX = 64;
export const OPT_EXAT = 128;
export const OPT_PXAT = 256;

const ANY_EXPIRE = OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT;
const RELATIVE = OPT_EX | OPT_PX;
const IN_SECONDS = OPT_EX | OPT_EXAT;
const LLONG_MAX = 2n ** 63n - 1n;

/** The options after the fixed arguments, or null for a syntax error. */
export interface ExtendedOptions {
  flags: number;
  /** The time argument of EX / PX / EXAT / PXAT, unparsed; null without one. */
  expire: string | null;
}

/**
 * Redis's parseExtendedStringArgumentsOrReply. `forSet` selects SET's options (NX, XX, GET,
 * KEEPTTL) over GETEX's (PERSIST); both take EX, PX, EXAT and PXAT.
 */
export function parseExtendedOptions(args: readonly string[], start: number, forSet: boolean): ExtendedOptions | null {
  let flags = 0;
  let expire: string | null = null;
  for (let i = start; i < args.length; i++) {
    const opt = args[i].toUpperCase();
    const hasNext = i + 1 < args.length;
    let unit = 0;
    if (opt === 'NX' && forSet && (flags & OPT_XX) === 0) flags |= OPT_NX;
    else if (opt === 'XX' && forSet && (flags & OPT_NX) === 0) flags |= OPT_XX;
    else if (opt === 'GET' && forSet) flags |= OPT_GET;
    else if (opt === 'KEEPTTL' && forSet && (flags & (OPT_PERSIST | ANY_EXPIRE)) === 0) flags |= OPT_KEEPTTL;
    else if (opt === 'PERSIST' && !forSet && (flags & (OPT_KEEPTTL | ANY_EXPIRE)) === 0) flags |= OPT_PERSIST;
    else if (opt === 'EX') unit = OPT_EX;
    else if (opt === 'PX') unit = OPT_PX;
    else if (opt === 'EXAT') unit = OPT_EXAT;
    else if (opt === 'PXAT') unit = OPT_PXAT;
    else return null;
    if (unit !== 0) {
      // The same expiry option may repeat, but not be mixed with another or with KEEPTTL/PERSIST.
      const conflicts = OPT_KEEPTTL | OPT_PERSIST | (ANY_EXPIRE & ~unit);
      if ((flags & conflicts) !== 0 || !hasNext) return null;
      flags |= unit;
      expire = args[++i];
    }
  }
  return { flags, expire };
}

/** expireAtFromArgument's failures, as sentinels: a real expiry is always positive. */
export const EXPIRE_NOT_INTEGER = -1;
export const EXPIRE_INVALID = -2;

/**
 * The absolute expiry in ms for a time argument (a bigint past 2^53, which the engine keeps
 * exactly), or EXPIRE_NOT_INTEGER / EXPIRE_INVALID.
 * Redis refuses zero and negative times, seconds whose milliseconds overflow 64 bits, and a
 * relative time whose sum with the clock overflows them. `unitFlag` is one of OPT_EX, OPT_PX,
 * OPT_EXAT, OPT_PXAT.
 */
export function expireAtFromArgument(arg: string, unitFlag: number, now: number): number | bigint {
  const v = parseInt64(arg);
  if (v === null) return EXPIRE_NOT_INTEGER;
  const seconds = (unitFlag & IN_SECONDS) !== 0;
  const relative = (unitFlag & RELATIVE) !== 0;
  if (typeof v === 'number') {
    if (v <= 0) return EXPIRE_INVALID;
    const ms = seconds ? v * 1000 : v;
    const at = relative ? ms + now : ms;
    if (Number.isSafeInteger(at)) return at;
  }
  // Past 2^53 only exact 64-bit arithmetic reproduces Redis's overflow checks.
  let ms = BigInt(v);
  if (ms <= 0n) return EXPIRE_INVALID;
  if (seconds) {
    if (ms > LLONG_MAX / 1000n) return EXPIRE_INVALID;
    ms *= 1000n;
  }
  if (relative) ms += BigInt(Math.floor(now));
  if (ms > LLONG_MAX) return EXPIRE_INVALID;
  return normalizeInt(ms);
}

/** The expiry option among the flags (OPT_EX etc.), 0 when there is none. */
export function expireUnit(flags: number): number {
  return flags & ANY_EXPIRE;
}

/** True for EXAT / PXAT, whose time is absolute. */
export function isAbsoluteExpire(unitFlag: number): boolean {
  return (unitFlag & (OPT_EXAT | OPT_PXAT)) !== 0;
}
