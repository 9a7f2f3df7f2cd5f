// client-output-buffer-limit: per client class, a hard limit of unsent reply bytes that closes the
// client at once, and a soft limit that closes it once passed for longer than soft-seconds.
// Written and read in Redis's own format: `normal 0 0 0 slave 268435456 67108864 60 pubsub ...`.

import { parseMemory } from '../config/config.js';

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

/** The setting's words, checked; Redis's reason text when they are refused. */
function parseWords(value: string): { updates: [LimitClass, OutputBufferLimit][] } | { error: string } {
  const words = value.split(' ').filter((w) => w !== '');
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const updates: [LimitClass, OutputBufferLimit][] = [];
  for (let i = 0; i < words.length; i += 4) {
    const cls = classOf(words[i]);
    if (cls === null) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    const softSeconds = /^\d+$/.test(words[i + 3]) ? Number(words[i + 3]) : -1;
    if (hard === null || soft === null || hard < 0 || soft < 0 || softSeconds < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    updates.push([cls, { hard, soft, softSeconds }]);
  }
  return { updates };
}

export function parseOutputBufferLimits(value: string): OutputBufferLimits {
  const limits = parseFull(DEFAULT_OUTPUT_BUFFER_LIMITS);
  const parsed = parseWords(value);
  if ('updates' in parsed) for (const [cls, limit] of parsed.updates) limits[cls] = limit;
  return limits;
}

function parseFull(value: string): OutputBufferLimits {
  const parsed = parseWords(value);
  const limits = { normal: { hard: 0, soft: 0, softSeconds: 0 }, slave: { hard: 0, soft: 0, softSeconds: 0 }, pubsub: { hard: 0, soft: 0, softSeconds: 0 } };
  if ('updates' in parsed) for (const [cls, limit] of parsed.updates) limits[cls] = limit;
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
  const limits = parseFull(current === '' ? DEFAULT_OUTPUT_BUFFER_LIMITS : current);
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
 * Redis's checkClientOutputBufferLimits: over the hard limit, or over the soft limit for longer
 * than the soft seconds. `softSince` is when the client went over the soft limit (0: it is not);
 * returns whether to close the client and the new softSince.
 */
export function checkOutputLimit(limit: OutputBufferLimit, used: number, now: number, softSince: number): { close: boolean; softSince: number } {
  if (limit.hard > 0 && used >= limit.hard) return { close: true, softSince };
  if (limit.soft > 0 && used >= limit.soft) {
    if (softSince === 0) return { close: false, softSince: now };
    return { close: now - softSince > limit.softSeconds * 1000, softSince };
  }
  return { close: false, softSince: 0 };
}
