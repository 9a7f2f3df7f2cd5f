// Which of Redis's string encodings (int, embstr, raw) a value has. Redis decides when the value
// is written and reports it in OBJECT ENCODING, OBJECT REFCOUNT and MEMORY USAGE; the engine
// keeps the one fact that decides it beyond the value itself, as a per-slot hint.

import { parseInt64 } from '../util/numbers.js';

/** A value stored whole (SET, INCR...): int, embstr or raw by its bytes, as tryObjectEncoding. */
export const HINT_BY_VALUE = 0;
/** A value built in place (APPEND, SETRANGE): always raw. */
export const HINT_RAW = 1;
/** A value stored as a string object that is never integer-encoded (INCRBYFLOAT's result). */
export const HINT_STRING = 2;
export type EncodingHint = typeof HINT_BY_VALUE | typeof HINT_RAW | typeof HINT_STRING;

export type StringEncoding = 'int' | 'embstr' | 'raw';

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
export const EMBSTR_LIMIT = 44;

export function stringEncoding(value: string, hint: EncodingHint): StringEncoding {
  if (hint === HINT_RAW) return 'raw';
  if (hint === HINT_BY_VALUE && value.length <= 20 && parseInt64(value) !== null) return 'int';
  return value.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
}
