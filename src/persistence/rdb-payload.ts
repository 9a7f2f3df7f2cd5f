// DUMP payloads in Redis's own format, so that keys move between ringcache and Redis both ways:
//   <type byte><RDB-encoded value><RDB version, 2 bytes LE><CRC-64 of all before, 8 bytes LE>.
// Only strings (RDB type 0) exist in ringcache. A string is written as Redis 7.0 writes it: up to
// 11 bytes that are a canonical 32-bit integer as an int8/16/32, over 20 bytes LZF-compressed
// when that saves more than 4 bytes, else length-prefixed bytes.

import { crc64Bytes } from './crc64.js';
import { lzfCompress, lzfDecompress } from './lzf.js';

/** The RDB version Redis 7.0 writes; payloads of a later version are refused, as Redis does. */
export const RDB_VERSION = 10;
const RDB_TYPE_STRING = 0;
const FOOTER_LENGTH = 10;

const LEN_6BIT = 0;
const LEN_14BIT = 1;
const LEN_32BIT = 0x80;
const LEN_64BIT = 0x81;
const ENCODED = 3;
const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/** Redis compresses only strings longer than this (rdbSaveRawString). */
const COMPRESS_ABOVE = 20;
/** Redis tries an integer encoding only up to this length (rdbTryIntegerEncoding). */
const INT_ENCODE_MAX_LENGTH = 11;

/** The DUMP payload of a string value (a latin1 string, one char per byte). */
export function dumpString(value: string): Buffer {
  const body = Buffer.concat([Buffer.of(RDB_TYPE_STRING), encodeString(value), versionBytes()]);
  return Buffer.concat([body, crc64Bytes(body)]);
}

function versionBytes(): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(RDB_VERSION, 0);
  return out;
}

function encodeString(value: string): Buffer {
  if (value.length <= INT_ENCODE_MAX_LENGTH) {
    const asInt = encodeInteger(value);
    if (asInt !== null) return asInt;
  }
  const bytes = Buffer.from(value, 'latin1');
  if (bytes.length > COMPRESS_ABOVE) {
    const compressed = lzfCompress(bytes, bytes.length - 4);
    if (compressed !== null) {
      return Buffer.concat([
        Buffer.of((ENCODED << 6) | ENC_LZF),
        encodeLength(compressed.length),
        encodeLength(bytes.length),
        compressed,
      ]);
    }
  }
  return Buffer.concat([encodeLength(bytes.length), bytes]);
}

/** int8/16/32 when the value is an integer written the one way Redis would print it. */
function encodeInteger(value: string): Buffer | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(value)) return null;
  const n = Number(value);
  if (n >= -128 && n <= 127) return Buffer.of((ENCODED << 6) | ENC_INT8, n & 0xff);
  if (n >= -32768 && n <= 32767) {
    const out = Buffer.of((ENCODED << 6) | ENC_INT16, 0, 0);
    out.writeInt16LE(n, 1);
    return out;
  }
  if (n >= -2147483648 && n <= 2147483647) {
    const out = Buffer.of((ENCODED << 6) | ENC_INT32, 0, 0, 0, 0);
    out.writeInt32LE(n, 1);
    return out;
  }
  return null;
}

function encodeLength(length: number): Buffer {
  if (length < 1 << 6) return Buffer.of((LEN_6BIT << 6) | length);
  if (length < 1 << 14) return Buffer.of((LEN_14BIT << 6) | (length >> 8), length & 0xff);
  if (length <= 0xffffffff) {
    const out = Buffer.alloc(5);
    out[0] = LEN_32BIT;
    out.writeUInt32BE(length, 1);
    return out;
  }
  const out = Buffer.alloc(9);
  out[0] = LEN_64BIT;
  out.writeBigUInt64BE(BigInt(length), 1);
  return out;
}

/**
 * True when the payload carries a version this server reads and its CRC matches (Redis's
 * verifyDumpPayload). A CRC of all zeros is not special-cased: Redis 7.0 checks it too.
 */
export function verifyPayload(payload: Buffer): boolean {
  if (payload.length < FOOTER_LENGTH) return false;
  const footer = payload.length - FOOTER_LENGTH;
  if (payload.readUInt16LE(footer) > RDB_VERSION) return false;
  return crc64Bytes(payload, 0, payload.length - 8).equals(payload.subarray(payload.length - 8));
}

/** Why a verified payload could not be loaded. */
export const UNSUPPORTED_TYPE = 'unsupported-type';
export const BAD_FORMAT = 'bad-format';

export type LoadResult = { value: string } | { error: typeof UNSUPPORTED_TYPE | typeof BAD_FORMAT };

/** The string a verified payload holds (the version and CRC are not looked at again). */
export function loadString(payload: Buffer): LoadResult {
  const reader = new PayloadReader(payload.subarray(0, payload.length - FOOTER_LENGTH));
  const type = reader.byte();
  if (type === null) return { error: BAD_FORMAT };
  if (type !== RDB_TYPE_STRING) return { error: UNSUPPORTED_TYPE };
  const value = reader.string();
  return value === null ? { error: BAD_FORMAT } : { value };
}

/** Reads RDB lengths and strings; every method answers null past the end or on bad data. */
class PayloadReader {
  private pos = 0;

  constructor(private readonly bytes: Buffer) {}

  byte(): number | null {
    return this.pos < this.bytes.length ? this.bytes[this.pos++] : null;
  }

  private take(n: number): Buffer | null {
    if (this.pos + n > this.bytes.length) return null;
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length, or the special encoding number when `encoded` is set in the result. */
  private length(): { n: number; encoded: boolean } | null {
    const first = this.byte();
    if (first === null) return null;
    const kind = first >> 6;
    if (kind === LEN_6BIT) return { n: first & 0x3f, encoded: false };
    if (kind === LEN_14BIT) {
      const second = this.byte();
      return second === null ? null : { n: ((first & 0x3f) << 8) | second, encoded: false };
    }
    if (kind === ENCODED) return { n: first & 0x3f, encoded: true };
    if (first === LEN_32BIT) {
      const b = this.take(4);
      return b === null ? null : { n: b.readUInt32BE(0), encoded: false };
    }
    if (first === LEN_64BIT) {
      const b = this.take(8);
      if (b === null) return null;
      const n = b.readBigUInt64BE(0);
      return n > BigInt(Number.MAX_SAFE_INTEGER) ? null : { n: Number(n), encoded: false };
    }
    return null;
  }

  string(): string | null {
    const len = this.length();
    if (len === null) return null;
    if (!len.encoded) {
      const b = this.take(len.n);
      return b === null ? null : b.toString('latin1');
    }
    switch (len.n) {
      case ENC_INT8: {
        const b = this.take(1);
        return b === null ? null : String(b.readInt8(0));
      }
      case ENC_INT16: {
        const b = this.take(2);
        return b === null ? null : String(b.readInt16LE(0));
      }
      case ENC_INT32: {
        const b = this.take(4);
        return b === null ? null : String(b.readInt32LE(0));
      }
      case ENC_LZF:
        return this.compressedString();
      default:
        return null;
    }
  }

  private compressedString(): string | null {
    const compressedLength = this.length();
    const length = this.length();
    if (compressedLength === null || length === null || compressedLength.encoded || length.encoded) return null;
    const data = this.take(compressedLength.n);
    if (data === null) return null;
    const out = lzfDecompress(data, length.n);
    return out === null ? null : out.toString('latin1');
  }
}
