// client-output-buffer-limit: per client class, a hard limit of unsent reply bytes that closes the
// client at once, and a soft limit that closes it once passed for longer than soft-seconds.
// Written and read in Redis's own format: `normal 0 0 0 slave 268435456 67108864 60 pubsub ...`.

import { memtoull } from '../config/memory-value.js';

export interface OutputBufferLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export type LimitClass = 'normal' | 'slave' | 'pubsub';

export type OutputBufferLimits = Record<LimitClass, OutputBufferLimit>;

export const DEFAULT_OUTPUT_BUFFER_LIMITS = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

const CLASS_ORDER: readonly LimitClass[] = ['normal', 'slave', 'pubsub'];

/** Redis's getClientTypeByName for this setting; `master` is not a class one may limit. */
function classOf(name: string): LimitClass | null {
  const lower = name.toLowerCase();
  if (lower === 'normal' || lower === 'pubsub') return lower;
  if (lower === 'slave' || lower === 'replica') return 'slave';
  return null;
}

/** One class's limits as written: bytes exactly as Redis keeps them (unsigned 64-bit). */
interface WrittenLimit {
  hard: bigint;
  soft: bigint;
  softSeconds: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * soft-seconds as Redis 7.0 reads it: strtoll (a sign allowed, saturating at the 64-bit bounds)
 * stored into an int, refused when that is negative. So 4294967301 reads as 5 and 2147483648 is
 * refused, as redis-server answers.
 */
function parseSoftSeconds(word: string): number | null {
  if (!/^[+-]?\d+$/.test(word)) return null;
  let n = BigInt(word);
  if (n > INT64_MAX) n = INT64_MAX;
  if (n < INT64_MIN) n = INT64_MIN;
  const seconds = Number(BigInt.asIntN(32, n));
  return seconds < 0 ? null : seconds;
}

/** The setting's words, checked; Redis's reason text when they are refused. */
function parseWords(value: string): { updates: [LimitClass, WrittenLimit][] } | { error: string } {
  const words = value.split(' ').filter((w) => w !== '');
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const updates: [LimitClass, WrittenLimit][] = [];
  for (let i = 0; i < words.length; i += 4) {
    const cls = classOf(words[i]);
    if (cls === null) return { error: 'Invalid client class specified in buffer limit configuration.' };
    // Sizes as every memory parameter reads them (memtoull): no sign, units, 2^64 saturation.
    const hard = memtoull(words[i + 1]);
    const soft = memtoull(words[i + 2]);
    const softSeconds = parseSoftSeconds(words[i + 3]);
    if (hard === null || soft === null || softSeconds === null) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    updates.push([cls, { hard, soft, softSeconds }]);
  }
  return { updates };
}

/** Every class's limits: the defaults, then what `value` sets. */
function writtenLimits(value: string): Record<LimitClass, WrittenLimit> {
  const limits = {} as Record<LimitClass, WrittenLimit>;
  for (const source of [DEFAULT_OUTPUT_BUFFER_LIMITS, value]) {
    const parsed = parseWords(source);
    if ('updates' in parsed) for (const [cls, limit] of parsed.updates) limits[cls] = limit;
  }
  return limits;
}

/** The limits the connections check (bytes as numbers: past 2^53 the rounding cannot matter). */
export function parseOutputBufferLimits(value: string): OutputBufferLimits {
  const written = writtenLimits(value);
  const limits = {} as OutputBufferLimits;
  for (const cls of CLASS_ORDER) {
    const { hard, soft, softSeconds } = written[cls];
    limits[cls] = { hard: Number(hard), soft: Number(soft), softSeconds };
  }
  return limits;
}

/** The config table's check: null when valid, else the reason. */
export function validateOutputBufferLimits(value: string): string | null {
  const parsed = parseWords(value);
  return 'error' in parsed ? parsed.error : null;
}

/** Setting some classes keeps the others as they were, as CONFIG SET does in Redis. */
export function mergeOutputBufferLimits(value: string, current: string): string | null {
  const parsed = parseWords(value);
  if ('error' in parsed) return null;
  const limits = writtenLimits(current);
  for (const [cls, limit] of parsed.updates) limits[cls] = limit;
  return CLASS_ORDER.map((cls) => `${cls} ${limits[cls].hard} ${limits[cls].soft} ${limits[cls].softSeconds}`).join(' ');
}

let cachedText = '';
let cachedLimits: OutputBufferLimits = parseOutputBufferLimits(DEFAULT_OUTPUT_BUFFER_LIMITS);

/** The parsed setting, parsed again only when its text changed (read on every flush). */
export function outputBufferLimits(text: string): OutputBufferLimits {
  if (text !== cachedText) {
    cachedLimits = parseOutputBufferLimits(text);
    cachedText = text;
  }
  return cachedLimits;
}

/**
 * Reply bytes a limit does not count: Redis counts only what is queued past its client's own
 * reply buffer, so small replies never trip a limit (a hard limit of 1 byte closes a client once
 * a reply spills past that buffer, not at its first +OK). The buffer is 16 KB for a new client;
 * Redis 7 shrinks it for a client whose replies stay small (to 1 KB at least), which this does
 * not follow.
 */
const UNCOUNTED_REPLY_BYTES = 16 * 1024;

/**
 * Redis's checkClientOutputBufferLimits: over the hard limit, or over the soft limit for longer
 * than the soft seconds, counting the `unsent` reply bytes past the first 16 KB. `softSince` is
 * when the client went over the soft limit (0: it is not); returns whether to close the client
 * and the new softSince.
 */
export function checkOutputLimit(limit: OutputBufferLimit, unsent: number, now: number, softSince: number): { close: boolean; softSince: number } {
  const used = Math.max(0, unsent - UNCOUNTED_REPLY_BYTES);
  if (limit.hard > 0 && used >= limit.hard) return { close: true, softSince };
  if (limit.soft > 0 && used >= limit.soft) {
    if (softSince === 0) return { close: false, softSince: now };
    return { close: now - softSince > limit.softSeconds * 1000, softSince };
  }
  return { close: false, softSince: 0 };
}
