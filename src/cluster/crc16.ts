// Redis Cluster's key-to-slot function: CRC16/XMODEM (polynomial 0x1021, initial value 0) of the
// key, or of its hash tag, modulo 16384. Every cluster client computes the same function, so a
// key's slot must match Redis's byte for byte.

export const SLOT_COUNT = 16384;

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** CRC16/XMODEM of the bytes [start, end) of a latin1 string. */
export function crc16(bytes: string, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes.charCodeAt(i)) & 0xff];
  return crc;
}

/**
 * The hash slot of a key. A hash tag, the bytes between the first `{` and the first `}` after
 * it, replaces the key when it is not empty, so that related keys can share a slot.
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
