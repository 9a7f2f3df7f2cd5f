// The one hash of a key that the engine computes per command: its low bits pick the shard, and
// the shard's key index probes with all of its bits, so a lookup hashes the key once.
//
// The hash is seeded at random per process, as Redis seeds its SipHash: with a fixed hash anyone
// could compute keys that all land on one probe run of a key index and turn every lookup into a
// scan of that run (a hash-flooding attack on a server that takes keys from the network). The
// price is that SCAN and KEYS order differ between runs, which Redis's do as well.

import { randomBytes } from 'node:crypto';

const SEED = randomBytes(4).readUInt32LE(0);

/** FNV-1a over the key's bytes from a random start, then MurmurHash3's finalizer to spread it. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return finish(h);
}

/** hashKey of the key stored as the bytes [start, start + length) of b. */
export function hashBytes(b: Buffer, start: number, length: number): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = start; i < start + length; i++) {
    h ^= b[i];
    h = Math.imul(h, 0x01000193);
  }
  return finish(h);
}

/** MurmurHash3's finalizer: spreads FNV-1a's weak high bits over the whole word. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
