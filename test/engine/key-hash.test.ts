import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { halfSipHash13, halfSipHash13Bytes, hashBytes, hashKey } from '../../src/engine/key-hash.js';

// HalfSipHash-1-3 with 32-bit output, key bytes 00 01 .. 07, message bytes 00 01 .. (n - 1) for
// n = 0..63: the vectors Linux's lib/siphash_kunit.c checks its hsiphash against where longs
// are 32 bits (there hsiphash is HalfSipHash-1-3; they derive from the SipHash reference code).
const K0 = 0x03020100;
const K1 = 0x07060504;
const VECTORS = [
  0x5814c896, 0xe7e864ca, 0xbc4b0e30, 0x01539939, 0x7e059ea6, 0x88e3d89b, 0xa0080b65, 0x9d38d9d6,
  0x577999b1, 0xc839caed, 0xe4fa32cf, 0x959246ee, 0x6b28096c, 0x66dd9cd6, 0x16658a7c, 0xd0257b04,
  0x8b31d501, 0x2b1cd04b, 0x06712339, 0x522aca67, 0x911bb605, 0x90a65f0e, 0xf826ef7b, 0x62512deb,
  0x57150ad7, 0x5d473507, 0x1ec47442, 0xab64afd3, 0x0a4100d0, 0x6d2ce652, 0x2331b6a3, 0x08d8791a,
  0xbc6dda8d, 0xe0f6c934, 0xb0652033, 0x9b9851cc, 0x7c46fb7f, 0x732ba8cb, 0xf142997a, 0xfcc9aa1b,
  0x05327eb2, 0xe110131c, 0xf9e5e7c0, 0xa7d708a6, 0x11795ab1, 0x65671619, 0x9f5fff91, 0xd89c5267,
  0x007783eb, 0x95766243, 0xab639262, 0x9c7e1390, 0xc368dda6, 0x38ddc455, 0xfa13d379, 0x979ea4e8,
  0x53ecd77e, 0x2ee80657, 0x33dbb66a, 0xae3f0577, 0x88b4c4cc, 0x3e7f480b, 0x74c1ebf8, 0x87178304,
];

/** A latin1 string of the given byte values. */
const latin1 = (bytes: Iterable<number>): string => Buffer.from([...bytes]).toString('latin1');

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function generator(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('key hash (HalfSipHash-1-3)', () => {
  it('gives the published test vectors, from a string and from bytes at any offset', () => {
    for (let n = 0; n < VECTORS.length; n++) {
      const message = latin1(Array.from({ length: n }, (_, i) => i));
      expect(halfSipHash13(K0, K1, message), `string of ${n} bytes`).to.equal(VECTORS[n]);
      for (const offset of [0, 1, 3]) {
        // Other bytes around the message: the function must read only [offset, offset + n).
        const buf = Buffer.alloc(offset + n + 4, 0xa5);
        buf.write(message, offset, 'latin1');
        expect(halfSipHash13Bytes(K0, K1, buf, offset, n), `${n} bytes at ${offset}`).to.equal(VECTORS[n]);
      }
    }
  });

  it('hashes a key as a string and as its stored bytes alike, for every tail length', () => {
    const rnd = generator(12345);
    for (let length = 0; length <= 70; length++) {
      for (let round = 0; round < 8; round++) {
        const key = latin1(Array.from({ length }, () => Math.floor(rnd() * 256)));
        const offset = Math.floor(rnd() * 8);
        const stored = Buffer.concat([Buffer.alloc(offset, 0xff), Buffer.from(key, 'latin1'), Buffer.alloc(3, 0x00)]);
        expect(hashBytes(stored, offset, length), `length ${length}`).to.equal(hashKey(key));
        expect(halfSipHash13Bytes(K0, K1, stored, offset, length)).to.equal(halfSipHash13(K0, K1, key));
      }
    }
    for (const key of ['', 'a', 'key:000000000001', '\x00\xff\x80binary', 'x'.repeat(300)]) {
      expect(hashBytes(Buffer.from(key, 'latin1'), 0, key.length)).to.equal(hashKey(key));
    }
  });

  it('returns an unsigned 32-bit integer', () => {
    for (let i = 0; i < 1000; i++) {
      const h = hashKey(`key:${i}`);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).to.equal(true);
    }
  });

  it('depends on every byte and on the length (fixed key, so the check is exact)', () => {
    const rnd = generator(777);
    for (let length = 0; length <= 40; length++) {
      const bytes = Array.from({ length }, () => Math.floor(rnd() * 256));
      const h = halfSipHash13(K0, K1, latin1(bytes));
      for (let i = 0; i < length; i++) {
        const changed = bytes.slice();
        changed[i] ^= 1 << Math.floor(rnd() * 8);
        expect(halfSipHash13(K0, K1, latin1(changed)), `byte ${i} of ${length}`).to.not.equal(h);
      }
      // A zero byte more is another key: the length takes part (the last word carries it).
      expect(halfSipHash13(K0, K1, latin1([...bytes, 0]))).to.not.equal(h);
    }
    expect(halfSipHash13(K0, K1, 'key:000000000001')).to.not.equal(halfSipHash13(K0 ^ 1, K1, 'key:000000000001'));
    expect(halfSipHash13(K0, K1, 'key:000000000001')).to.not.equal(halfSipHash13(K0, K1 ^ (1 << 31), 'key:000000000001'));
  });

  it('is keyed at random per process, so nobody can compute keys that collide in the index', () => {
    const keys = ['some key', 'key:000000000123', ''];
    const script = `import('./src/engine/key-hash.ts').then((m) => process.stdout.write(${JSON.stringify(keys)}.map(m.hashKey).join(',')))`;
    const run = (): string => execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    const first = run();
    expect(first).to.match(/^\d+,\d+,\d+$/);
    // Two processes agree on three keys with probability 2^-96; a fixed key would make them always agree.
    expect(run()).to.not.equal(first);
    expect(first).to.not.equal(keys.map(hashKey).join(','));
    expect(hashKey('some key')).to.equal(hashKey('some key'));
  });
});
