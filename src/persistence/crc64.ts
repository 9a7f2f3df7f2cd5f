// Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected, initial value 0, no final
// xor), which closes every DUMP payload and RDB file. crc64("123456789") = 0xe9c6d914c4b8d9ca.
//
// The 64-bit register is kept as two 32-bit halves: BigInt arithmetic per byte would make a
// megabyte value cost tens of milliseconds.

/** The polynomial with its bits reversed, as a reflected CRC shifts right. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);

for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (carry !== 0) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** The CRC of bytes[start, end), written little-endian into 8 bytes as Redis stores it. */
export function crc64Bytes(bytes: Uint8Array, start = 0, end = bytes.length): Buffer {
  let hi = 0;
  let lo = 0;
  for (let i = start; i < end; i++) {
    const index = (lo ^ bytes[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index];
    hi = (hi >>> 8) ^ TABLE_HI[index];
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(lo >>> 0, 0);
  out.writeUInt32LE(hi >>> 0, 4);
  return out;
}

/** The CRC as a number, for tests and diagnostics. */
export function crc64(bytes: Uint8Array): bigint {
  return crc64Bytes(bytes).readBigUInt64LE(0);
}
