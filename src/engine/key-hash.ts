// The one hash of a key that the engine computes per command: its low bits pick the shard, and
// the shard's key index probes with all of its bits, so a lookup hashes the key once.
//
// Why a keyed PRF (HalfSipHash-1-3 under a 64-bit random key made per process), not a fast
// seeded hash: keys come from the network, and whoever can compute keys that share a probe start
// in a shard's key index can fill one probe run with them and turn every lookup that lands there
// into a scan of the run (hash flooding), stalling every other client of the server. A seed
// does not stop that when the hash is weak or the seed small: SCAN's cursor tells a client which
// shard a key is in (log2(shards) bits of its hash per key, 6 by default), and that is enough
// to recover the 32-bit seed of the FNV-1a this replaced by trying all 2^32 against a handful of
// keys, after which keys with one probe start are cheap to make. A PRF's outputs say nothing
// usable about its key, and 2^64 keys are out of reach. Redis uses SipHash-1-2 with a 128-bit key
// for the same reason; Linux's hsiphash for hash tables is HalfSipHash-1-3 on 32-bit machines,
// and its 32-bit words suit JS's 32-bit integer operations (SipHash's 64-bit words would each be
// two numbers here). The price: SCAN and KEYS order differ between runs, as they do in Redis.
//
// Written from the specification (Aumasson and Bernstein, "SipHash: a fast short-input PRF", and
// the HalfSipHash variant of their reference code: 32-bit words, rotations 5, 16, 8, 7, 13, 16,
// one round per 4-byte word, three to finish, 32-bit output); test/engine/key-hash.test.ts checks
// it against the published HalfSipHash-1-3 test vectors. Keys arrive as latin1 strings (one char
// per byte) and, once stored, as bytes of a record: the two functions read the same bytes and
// must give the same hash.

import { randomBytes } from 'node:crypto';

const KEY = randomBytes(8);
const K0 = KEY.readInt32LE(0);
const K1 = KEY.readInt32LE(4);

/** The hash of a key given as a latin1 string. */
export function hashKey(key: string): number {
  return halfSipHash13(K0, K1, key);
}

/** hashKey of the key stored as the bytes [start, start + length) of b. */
export function hashBytes(b: Buffer, start: number, length: number): number {
  return halfSipHash13Bytes(K0, K1, b, start, length);
}

/**
 * HalfSipHash-1-3 of a latin1 string's bytes under the key (k0, k1) (its two little-endian
 * 32-bit words), as an unsigned 32-bit number. Exported for the test vectors' fixed key.
 */
export function halfSipHash13(k0: number, k1: number, s: string): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = k0 ^ 0x6c796765;
  let v3 = k1 ^ 0x74656462;
  const length = s.length;
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const m = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  // The last word: the length's low byte on top, the 0-3 trailing bytes below; written out, not
  // looped, because keys are short and this word is a good share of their cost.
  let m = length << 24;
  const rest = length & 3;
  if (rest !== 0) {
    m |= s.charCodeAt(i);
    if (rest > 1) {
      m |= s.charCodeAt(i + 1) << 8;
      if (rest > 2) m |= s.charCodeAt(i + 2) << 16;
    }
  }
  return finish(v0, v1, v2, v3, m);
}

/** halfSipHash13 of the bytes [start, start + length) of b. */
export function halfSipHash13Bytes(k0: number, k1: number, b: Uint8Array, start: number, length: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = k0 ^ 0x6c796765;
  let v3 = k1 ^ 0x74656462;
  const end = start + (length & ~3);
  let i = start;
  for (; i < end; i += 4) {
    const m = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  let m = length << 24;
  const rest = length & 3;
  if (rest !== 0) {
    m |= b[i];
    if (rest > 1) {
      m |= b[i + 1] << 8;
      if (rest > 2) m |= b[i + 2] << 16;
    }
  }
  return finish(v0, v1, v2, v3, m);
}

/**
 * The last word m's round, then the 0xff into v2 and three rounds more; the output is v1 ^ v3.
 * One loop of four rounds rather than the round written out twice more.
 */
function finish(v0: number, v1: number, v2: number, v3: number, m: number): number {
  v3 ^= m;
  for (let r = 0; r < 4; r++) {
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    if (r === 0) {
      v0 ^= m;
      v2 ^= 0xff;
    }
  }
  return (v1 ^ v3) >>> 0;
}
