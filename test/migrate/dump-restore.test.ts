// DUMP and RESTORE in process: Redis's payload bytes, RESTORE's options and its errors in
// Redis's order. Every payload and error text below was copied from redis-server 7.0.15.

import { expect } from 'chai';
import { crc64 } from '../../src/persistence/crc64.js';
import { lzfCompress, lzfDecompress } from '../../src/persistence/lzf.js';
import { dumpString } from '../../src/persistence/rdb-payload.js';
import { Session, resp } from '../helpers/session.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/ /g, ''), 'hex');
/** DUMP replies of redis-server 7.0.15 for a few values. */
const REDIS_DUMPS: [string, string][] = [
  ['hello', '00 05 68656c6c6f 0a00 6372df766534200a'],
  ['12', '00 c00c 0a00 3c2af8515c04bcd5'],
  ['-5', '00 c0fb 0a00 49c4c6f4d7263f68'],
  ['100000', '00 c2a0860100 0a00 f12403506f2fa674'],
  ['3000000000', '00 0a 33303030303030303030 0a00 e7076b7954bb7947'],
  ['a'.repeat(30), '00 c3 09 1e 01 6161 e011 00 01 6161 0a00 45737cbb2b647bbb'],
  ['x'.repeat(21), '00 c3 06 15 01 7878 e00a00 0a00 941a83676017192f'],
  ['x'.repeat(20), `00 14 ${'78'.repeat(20)} 0a00 5b3c81eca58cc56b`],
];

describe('DUMP payloads', () => {
  it('computes Redis\'s CRC-64 (Jones polynomial)', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).to.equal('e9c6d914c4b8d9ca');
  });

  for (const [value, payload] of REDIS_DUMPS) {
    it(`writes the bytes Redis writes for ${JSON.stringify(value.length > 12 ? `${value.slice(0, 3)}...(${value.length})` : value)}`, () => {
      expect(dumpString(value).toString('hex')).to.equal(hex(payload).toString('hex'));
    });
  }

  it('round-trips LZF on compressible and incompressible bytes', () => {
    for (const input of [Buffer.alloc(5000, 7), Buffer.from('abcabcabcabcabcabcabcabcabcabc'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))]) {
      const packed = lzfCompress(input, input.length + 64);
      expect(packed).to.not.equal(null);
      expect(lzfDecompress(packed as Buffer, input.length)?.equals(input)).to.equal(true);
    }
  });

  it('refuses LZF output that would not save more than 4 bytes, as Redis stores such values as they are', () => {
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
    expect(lzfCompress(noise, noise.length - 4)).to.equal(null);
    expect(dumpString(noise.toString('latin1')).subarray(0, 2).toString('hex')).to.equal('0040');
  });
});

describe('DUMP and RESTORE', () => {
  it('dumps nil for a missing key and restores what it dumped', () => {
    const s = new Session();
    expect(s.call('DUMP', 'nokey')).to.equal(resp.nil);
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    s.call('SET', 'bin', value);
    const dumped = s.call('DUMP', 'bin');
    const payload = dumped.slice(dumped.indexOf('\r\n') + 2, -2);
    expect(s.call('RESTORE', 'copy', '0', payload)).to.equal(resp.ok);
    expect(s.call('GET', 'copy')).to.equal(resp.bulk(value));
  });

  it('restores Redis\'s own payloads: int8/16/32, raw and LZF', () => {
    const s = new Session();
    REDIS_DUMPS.forEach(([value, payload], i) => {
      expect(s.call('RESTORE', `k${i}`, '0', hex(payload))).to.equal(resp.ok);
      expect(s.call('GET', `k${i}`)).to.equal(resp.bulk(value));
    });
    expect(s.call('OBJECT', 'ENCODING', 'k1')).to.equal(resp.bulk('int'));
  });

  it('answers RESTORE\'s errors in Redis\'s order', () => {
    const s = new Session();
    const good = hex(REDIS_DUMPS[0][1]);
    s.call('SET', 'hello', 'x');
    expect(s.call('RESTORE', 'hello', '0', 'x')).to.equal(resp.err('BUSYKEY Target key name already exists.'));
    expect(s.call('RESTORE', 'nk', '0', 'x')).to.equal(resp.err('ERR DUMP payload version or checksum are wrong'));
    expect(s.call('RESTORE', 'nk', '-1', 'x')).to.equal(resp.err('ERR Invalid TTL value, must be >= 0'));
    expect(s.call('RESTORE', 'nk', 'abc', 'x')).to.equal(resp.err('ERR value is not an integer or out of range'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'foo')).to.equal(resp.err('ERR syntax error'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'idletime')).to.equal(resp.err('ERR syntax error'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'idletime', '-1')).to.equal(resp.err('ERR Invalid IDLETIME value, must be >= 0'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'idletime', 'abc')).to.equal(resp.err('ERR value is not an integer or out of range'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'freq', '256')).to.equal(resp.err('ERR Invalid FREQ value, must be >= 0 and <= 255'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'freq', '1', 'idletime', '1')).to.equal(resp.err('ERR syntax error'));
    expect(s.call('RESTORE', 'nk', '0', 'x', 'idletime', '1', 'freq', '1')).to.equal(resp.err('ERR syntax error'));
    expect(s.call('RESTORE', 'hello', '-1', 'x', 'replace')).to.equal(resp.err('ERR Invalid TTL value, must be >= 0'));
    expect(s.call('RESTORE', 'nk', '0', '')).to.equal(resp.err('ERR DUMP payload version or checksum are wrong'));
    const tampered = Buffer.from(good);
    tampered[3] ^= 1;
    expect(s.call('RESTORE', 'nk', '0', tampered)).to.equal(resp.err('ERR DUMP payload version or checksum are wrong'));
    expect(s.call('RESTORE', 'hello', '0', good, 'REPLACE')).to.equal(resp.ok);
    expect(s.call('GET', 'hello')).to.equal(resp.bulk('hello'));
  });

  it('refuses a payload of a later RDB version', () => {
    const s = new Session();
    const body = Buffer.from('0005' + Buffer.from('hello').toString('hex') + '0b00', 'hex');
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(body));
    expect(s.call('RESTORE', 'k', '0', Buffer.concat([body, crc]))).to.equal(resp.err('ERR DUMP payload version or checksum are wrong'));
  });

  it('sets a relative or absolute TTL, and creates nothing for an absolute time already past', () => {
    const s = new Session();
    s.clock.set(1_000_000);
    const payload = hex(REDIS_DUMPS[0][1]);
    expect(s.call('RESTORE', 'rel', '5000', payload)).to.equal(resp.ok);
    expect(s.call('PTTL', 'rel')).to.equal(resp.int(5000));
    expect(s.call('RESTORE', 'abs', '1003000', payload, 'ABSTTL')).to.equal(resp.ok);
    expect(s.call('PTTL', 'abs')).to.equal(resp.int(3000));
    s.call('SET', 'old', 'v');
    expect(s.call('RESTORE', 'old', '999999', payload, 'ABSTTL', 'REPLACE')).to.equal(resp.ok);
    expect(s.call('EXISTS', 'old')).to.equal(resp.int(0));
  });

  it('applies IDLETIME to the access time that OBJECT IDLETIME reads, and accepts FREQ', () => {
    const s = new Session();
    s.clock.set(10_000_000);
    const payload = hex(REDIS_DUMPS[0][1]);
    expect(s.call('RESTORE', 'idle', '0', payload, 'IDLETIME', '1000')).to.equal(resp.ok);
    expect(s.call('OBJECT', 'IDLETIME', 'idle')).to.equal(resp.int(1000));
    expect(s.call('RESTORE', 'freq', '0', payload, 'FREQ', '100')).to.equal(resp.ok);
    expect(s.call('GET', 'freq')).to.equal(resp.bulk('hello'));
  });
});
