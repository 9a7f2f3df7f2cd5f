// The string family, every option and error path, sent to redis-server and ringcache alike and
// compared byte for byte. TTL replies that depend on elapsed time are compared with a tolerance.

import { Differential, same } from '../helpers/differential.js';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';
/** A fixed instant far in the future (2100-01-01), so EXPIRETIME replies are exact. */
const FUTURE_S = '4102444800';
const FUTURE_MS = '4102444800123';

describe('differential: string commands', () => {
  const diff = Differential.suite();

  describe('GET and SET', () => {
    same(diff, 'set, get, overwrite, missing key', [
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['SET', 'k', 'other'],
      ['GET', 'k'],
      ['GET', 'missing'],
      ['SET', 'k'],
      ['GET'],
      ['GET', 'k', 'extra'],
    ]);
    same(diff, 'empty values and empty keys', [
      ['SET', 'k', ''],
      ['GET', 'k'],
      ['STRLEN', 'k'],
      ['SET', '', 'empty key'],
      ['GET', ''],
      ['EXISTS', ''],
      ['DEL', ''],
    ]);
    same(diff, 'binary values and keys: every byte 0x00-0xff', [
      ['SET', 'bin', ALL_BYTES],
      ['GET', 'bin'],
      ['STRLEN', 'bin'],
      ['SET', ALL_BYTES, 'v'],
      ['GET', ALL_BYTES],
      ['SET', 'k\r\nwith\0nul', '\r\n'],
      ['GET', 'k\r\nwith\0nul'],
      ['APPEND', 'bin', '\0\xff'],
      ['GETRANGE', 'bin', '-3', '-1'],
    ]);
    // Stored values and keys cross every size the record store treats differently: the reply
    // writer's byte loop (64 B), a record of its own slab (over 8 KB), the long record header
    // (0xffff bytes and up), and values that grow or shrink across them in place.
    const sized = (n: number, salt: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + salt) & 0xff));
    same(diff, 'values and keys across the record-size boundaries, overwritten both ways', [
      ['SET', 'v64', sized(64, 1)],
      ['SET', 'v65', sized(65, 2)],
      ['SET', 'v8k', sized(8192, 3)],
      ['SET', 'v8k1', sized(8193, 4)],
      ['SET', 'v65534', sized(65534, 5)],
      ['SET', 'v65535', sized(65535, 6)],
      ['SET', sized(70000, 7), sized(10, 8)],
      ['MGET', 'v64', 'v65', 'v8k', 'v8k1', 'v65534', 'v65535', 'missing'],
      ['GET', sized(70000, 7)],
      ['APPEND', 'v65534', 'xy'],
      ['GET', 'v65534'],
      ['SET', 'v65535', 'short now'],
      ['GET', 'v65535'],
      ['SETRANGE', 'v64', '100000', 'far'],
      ['STRLEN', 'v64'],
      ['GETRANGE', 'v64', '99990', '-1'],
      ['SET', 'v8k1', sized(3, 9)],
      ['GETSET', 'v8k1', sized(9000, 10)],
      ['GET', 'v8k1'],
      ['DEL', 'v8k', sized(70000, 7)],
      ['GET', 'v65'],
    ]);
    same(diff, 'keys with spaces', [
      ['SET', 'a key with spaces', 'a value with spaces'],
      ['GET', 'a key with spaces'],
      ['GET', 'a'],
      ['EXISTS', 'a key with spaces'],
    ]);
    same(diff, 'mixed-case command names and options', [
      ['sEt', 'k', 'v', 'nX'],
      ['SeT', 'k', 'w', 'xX', 'gEt'],
      ['gEt', 'k'],
      ['set', 'k', 'v', 'ex', '100', 'Get'],
      ['Incr', 'n'],
      ['incrBY', 'n', '5'],
      ['mGeT', 'k', 'n'],
    ]);
    same(diff, 'SET NX and XX', [
      ['SET', 'k', '1', 'NX'],
      ['SET', 'k', '2', 'NX'],
      ['GET', 'k'],
      ['SET', 'k', '3', 'XX'],
      ['SET', 'missing', '3', 'XX'],
      ['GET', 'k'],
      ['GET', 'missing'],
      ['SET', 'k', '4', 'NX', 'XX'],
      ['SET', 'k', '4', 'XX', 'NX'],
      ['SET', 'k', '4', 'NX', 'NX'],
    ]);
    same(diff, 'SET GET', [
      ['SET', 'k', '1', 'GET'],
      ['SET', 'k', '2', 'GET'],
      ['SET', 'k', '3', 'NX', 'GET'],
      ['SET', 'k', '4', 'XX', 'GET'],
      ['SET', 'n', '4', 'XX', 'GET'],
      ['SET', 'n2', '5', 'NX', 'GET'],
      ['GET', 'k'],
      ['GET', 'n2'],
      ['SET', 'k', '5', 'GET', 'GET'],
    ]);
    same(diff, 'SET expiry options', [
      ['SET', 'k', 'v', 'EX', '100'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['SET', 'k', 'v', 'PX', '100000'],
      { cmd: ['PTTL', 'k'], tolerance: 1000 },
      ['SET', 'k', 'v', 'EXAT', FUTURE_S],
      ['EXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'PXAT', FUTURE_MS],
      ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'w', 'KEEPTTL'],
      ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'x'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'EX', '100', 'KEEPTTL'],
      ['SET', 'k', 'v', 'KEEPTTL', 'PX', '100'],
      ['SET', 'k', 'v', 'EX', '10', 'PX', '100'],
      ['SET', 'k', 'v', 'EX', '10', 'EX', '10'],
      ['SET', 'k', 'v', 'EXAT', FUTURE_S, 'PXAT', FUTURE_MS],
      ['SET', 'k', 'v', 'EX'],
      ['SET', 'k', 'v', 'PX'],
      ['SET', 'k', 'v', 'NX', 'EX', '10', 'GET'],
      ['SET', 'k', 'v', 'XX', 'PX', '10000', 'GET'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
    ]);
    same(diff, 'SET invalid expire times', [
      ['SET', 'k', 'v', 'EX', '0'],
      ['SET', 'k', 'v', 'EX', '-1'],
      ['SET', 'k', 'v', 'PX', '0'],
      ['SET', 'k', 'v', 'PX', '-100'],
      ['SET', 'k', 'v', 'EXAT', '0'],
      ['SET', 'k', 'v', 'PXAT', '-1'],
      ['SET', 'k', 'v', 'EX', 'abc'],
      ['SET', 'k', 'v', 'EX', '1.5'],
      ['SET', 'k', 'v', 'EX', ''],
      ['SET', 'k', 'v', 'EX', ' 1'],
      ['SET', 'k', 'v', 'EX', INT64_MAX],
      ['SET', 'k', 'v', 'EX', '9223372036854776'],
      ['SET', 'k', 'v', 'EX', '9223372036854775'],
      ['SET', 'k', 'v', 'PX', INT64_MAX],
      ['SET', 'k', 'v', 'PX', '9223372036854775808'],
      ['SET', 'k', 'v', 'EXAT', INT64_MAX],
      ['SET', 'k', 'v', 'PXAT', INT64_MAX],
      ['GET', 'k'],
    ]);
    same(diff, 'SET with a past EXAT/PXAT deletes or does not create', [
      ['SET', 'k', 'v'],
      ['SET', 'k', 'v2', 'EXAT', '1'],
      ['GET', 'k'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v', 'PXAT', '1', 'GET'],
      ['EXISTS', 'k'],
    ]);
    same(diff, 'SET syntax errors', [
      ['SET', 'k', 'v', 'BOGUS'],
      ['SET', 'k', 'v', 'NX', 'BOGUS'],
      ['SET', 'k', 'v', '10'],
      ['SET', 'k', 'v', 'EX', '10', 'BOGUS'],
      ['GET', 'k'],
    ]);
  });

  describe('SETNX, SETEX, PSETEX, GETSET, GETDEL', () => {
    same(diff, 'SETNX', [['SETNX', 'k', '1'], ['SETNX', 'k', '2'], ['GET', 'k'], ['SETNX', 'k'], ['SETNX', 'k', 'v', 'x']]);
    same(diff, 'SETEX and PSETEX', [
      ['SETEX', 'k', '100', 'v'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['GET', 'k'],
      ['PSETEX', 'p', '100000', 'v'],
      { cmd: ['PTTL', 'p'], tolerance: 1000 },
      ['SETEX', 'k', '0', 'v'],
      ['SETEX', 'k', '-5', 'v'],
      ['PSETEX', 'k', '0', 'v'],
      ['SETEX', 'k', 'x', 'v'],
      ['SETEX', 'k', INT64_MAX, 'v'],
      ['PSETEX', 'k', INT64_MAX, 'v'],
      ['SETEX', 'k', '100'],
      ['GET', 'k'],
    ]);
    same(diff, 'GETSET', [
      ['GETSET', 'k', '1'],
      ['GETSET', 'k', '2'],
      ['GET', 'k'],
      ['SET', 't', 'v', 'EX', '100'],
      ['GETSET', 't', 'w'],
      ['TTL', 't'],
      ['GETSET', 'k'],
    ]);
    same(diff, 'GETDEL', [['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'], ['GETDEL'], ['GETDEL', 'a', 'b']]);
  });

  describe('GETEX', () => {
    same(diff, 'options', [
      ['SET', 'k', 'v'],
      ['GETEX', 'k'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'EX', '100'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['GETEX', 'k', 'PX', '100000'],
      { cmd: ['PTTL', 'k'], tolerance: 1000 },
      ['GETEX', 'k', 'EXAT', FUTURE_S],
      ['EXPIRETIME', 'k'],
      ['GETEX', 'k', 'PXAT', FUTURE_MS],
      ['PEXPIRETIME', 'k'],
      ['GETEX', 'k', 'PERSIST'],
      ['TTL', 'k'],
      ['GETEX', 'missing'],
      ['GETEX', 'missing', 'EX', '10'],
      ['GETEX', 'k', 'ex', '10', 'persist'],
      ['GETEX', 'k', 'EX', '10', 'PX', '10'],
      ['GETEX', 'k', 'PERSIST', 'EX', '10'],
      ['GETEX', 'k', 'EX'],
      ['GETEX', 'k', 'BOGUS'],
      ['GETEX', 'k', 'EX', '0'],
      ['GETEX', 'k', 'EX', '-1'],
      ['GETEX', 'k', 'PX', 'x'],
      ['GETEX', 'k', 'EX', INT64_MAX],
      ['GETEX', 'k', 'EXAT', '1'],
      ['EXISTS', 'k'],
    ]);
  });

  describe('MSET, MSETNX, MGET', () => {
    same(diff, 'MSET and MGET', [
      ['MSET', 'a', '1', 'b', '2', 'a', '3'],
      ['MGET', 'a', 'b', 'c'],
      ['MSET', 'a'],
      ['MSET', 'a', '1', 'b'],
      ['MGET'],
      ['MGET', 'missing'],
      ['SET', 't', 'v', 'EX', '100'],
      ['MSET', 't', 'w'],
      ['TTL', 't'],
    ]);
    // More keys than Database.prefetch warms in one window (16), keys and values of every length
    // around the parser's 16-byte boundary with every byte value, repeated keys, a key whose TTL
    // lapses in between, and keys that live in a shard with TTLs next to ones that do not.
    const many = Array.from({ length: 40 }, (_, i) => Buffer.from(Array.from({ length: i }, (_, j) => (i * 31 + j * 7) % 256)));
    same(diff, 'MSET and MGET over 40 keys of 0-39 bytes, repeats, lapsed and volatile keys', [
      ['MSET', ...many.flatMap((k, i) => [k, many[39 - i]])],
      ['MGET', ...many],
      ['MGET', ...many.slice(0, 20), 'missing', ...many.slice(0, 20)],
      ['SET', 'short-lived', 'v', 'PX', '30'],
      ['SET', many[17], 'volatile', 'EX', '100'],
      { cmd: ['MGET', ...many.slice(10, 30), 'short-lived', ...many.slice(10, 30)], waitMs: 60 },
      ['MSET', ...many.slice(0, 35).flatMap((k) => [k, k]), 'short-lived', 'back'],
      ['MGET', ...many, 'short-lived'],
      ['TTL', many[17]],
      ['EXISTS', ...many],
    ]);
    same(diff, 'MSETNX', [
      ['MSETNX', 'a', '1', 'b', '2'],
      ['MSETNX', 'b', '3', 'c', '4'],
      ['MGET', 'a', 'b', 'c'],
      ['MSETNX', 'x', '1', 'x', '2'],
      ['GET', 'x'],
      ['MSETNX', 'a'],
      ['MSETNX', 'a', '1', 'b'],
    ]);
  });

  describe('INCR, DECR, INCRBY, DECRBY', () => {
    same(diff, 'counting', [
      ['INCR', 'n'],
      ['INCR', 'n'],
      ['DECR', 'n'],
      ['DECR', 'd'],
      ['INCRBY', 'n', '10'],
      ['INCRBY', 'n', '-20'],
      ['DECRBY', 'n', '5'],
      ['DECRBY', 'n', '-5'],
      ['GET', 'n'],
      ['INCRBY', 'n', '0'],
      ['SET', 'n', '-0'],
      ['SET', 'm', '007'],
      ['INCR', 'm'],
    ]);
    same(diff, 'values that are not integers', [
      ['SET', 's', 'abc'],
      ['INCR', 's'],
      ['SET', 's', '1.5'],
      ['INCR', 's'],
      ['SET', 's', ' 1'],
      ['INCR', 's'],
      ['SET', 's', '1 '],
      ['INCR', 's'],
      ['SET', 's', '+1'],
      ['INCR', 's'],
      ['SET', 's', ''],
      ['INCR', 's'],
      ['SET', 's', '12345678901234567890'],
      ['INCR', 's'],
      ['SET', 's', '-0'],
      ['INCR', 's'],
      ['SET', 's', '0x10'],
      ['DECR', 's'],
      ['GET', 's'],
    ]);
    same(diff, 'increments that are not integers', [
      ['INCRBY', 'n', 'abc'],
      ['INCRBY', 'n', '1.0'],
      ['INCRBY', 'n', ''],
      ['INCRBY', 'n', '9223372036854775808'],
      ['DECRBY', 'n', 'x'],
      ['EXISTS', 'n'],
    ]);
    same(diff, '64-bit limits', [
      ['SET', 'n', INT64_MAX],
      ['INCR', 'n'],
      ['INCRBY', 'n', '0'],
      ['DECR', 'n'],
      ['INCRBY', 'n', '1'],
      ['INCRBY', 'n', '2'],
      ['SET', 'n', INT64_MIN],
      ['DECR', 'n'],
      ['INCR', 'n'],
      ['DECRBY', 'n', '1'],
      ['DECRBY', 'n', '2'],
      ['SET', 'z', '0'],
      ['INCRBY', 'z', INT64_MIN],
      ['INCRBY', 'z', INT64_MAX],
      ['DECRBY', 'z', INT64_MIN],
      ['SET', 'z', '0'],
      ['DECRBY', 'z', INT64_MIN],
      ['DECRBY', 'z', INT64_MAX],
      ['SET', 'o', '1'],
      ['INCRBY', 'o', INT64_MAX],
      ['SET', 'o', '-1'],
      ['DECRBY', 'o', INT64_MAX],
      ['INCRBY', 'o', INT64_MIN],
      ['GET', 'o'],
    ]);
    same(diff, 'INCR keeps the TTL', [
      ['SET', 'n', '1', 'EX', '100'],
      ['INCR', 'n'],
      { cmd: ['TTL', 'n'], tolerance: 1 },
      ['INCRBY', 'n', '5'],
      { cmd: ['TTL', 'n'], tolerance: 1 },
    ]);
  });

  describe('INCRBYFLOAT', () => {
    same(diff, 'formatting', [
      ['SET', 'f', '10.5'],
      ['INCRBYFLOAT', 'f', '0.1'],
      ['INCRBYFLOAT', 'f', '-5'],
      ['INCRBYFLOAT', 'g', '3.0e3'],
      ['INCRBYFLOAT', 'g', '1e2'],
      ['INCRBYFLOAT', 'g', '1E-2'],
      ['INCRBYFLOAT', 'h', '0.1'],
      ['INCRBYFLOAT', 'h', '0.2'],
      ['INCRBYFLOAT', 'i', '1.1'],
      ['INCRBYFLOAT', 'i', '2.2'],
      ['INCRBYFLOAT', 'j', '5'],
      ['INCRBYFLOAT', 'j', '-5'],
      ['INCRBYFLOAT', 'k', '-0.0'],
      ['INCRBYFLOAT', 'l', '1234567890.123456789'],
      ['INCRBYFLOAT', 'm', '1e20'],
      ['INCRBYFLOAT', 'm', '1e20'],
      ['INCRBYFLOAT', 'n', '0.0000001'],
      ['INCRBYFLOAT', 'o', '.5'],
      ['INCRBYFLOAT', 'p', '5.'],
      ['INCRBYFLOAT', 'q', '1.7976931348623157e308'],
      ['INCRBYFLOAT', 'r', '3.14159265358979323846'],
      ['INCRBYFLOAT', 's', '-1e-300'],
      ['SET', 'int', '10'],
      ['INCRBYFLOAT', 'int', '5'],
      ['OBJECT', 'ENCODING', 'int'],
    ]);
    same(diff, 'invalid increments and values', [
      ['INCRBYFLOAT', 'f', 'abc'],
      ['INCRBYFLOAT', 'f', ''],
      ['INCRBYFLOAT', 'f', ' 1'],
      ['INCRBYFLOAT', 'f', '1 '],
      ['INCRBYFLOAT', 'f', 'inf'],
      ['INCRBYFLOAT', 'f', '-inf'],
      ['INCRBYFLOAT', 'f', '+inf'],
      ['INCRBYFLOAT', 'f', 'nan'],
      ['INCRBYFLOAT', 'f', '1e400'],
      ['INCRBYFLOAT', 'f', '0x10'],
      ['INCRBYFLOAT', 'f', '1,5'],
      ['SET', 'big', '1.7976931348623157e308'],
      ['INCRBYFLOAT', 'big', '1.7976931348623157e308'],
      ['GET', 'big'],
      ['SET', 's', 'abc'],
      ['INCRBYFLOAT', 's', '1'],
      ['SET', 's', '1.5.5'],
      ['INCRBYFLOAT', 's', '1'],
      ['SET', 's', 'inf'],
      ['INCRBYFLOAT', 's', '1'],
      ['EXISTS', 'f'],
    ]);
    same(diff, 'keeps the TTL', [['SET', 'f', '1', 'EX', '100'], ['INCRBYFLOAT', 'f', '1.5'], { cmd: ['TTL', 'f'], tolerance: 1 }]);
  });

  describe('APPEND, STRLEN', () => {
    same(diff, 'append and length', [
      ['APPEND', 'k', 'hello'],
      ['APPEND', 'k', ' world'],
      ['APPEND', 'k', ''],
      ['GET', 'k'],
      ['STRLEN', 'k'],
      ['STRLEN', 'missing'],
      ['APPEND', 'e', ''],
      ['EXISTS', 'e'],
      ['SET', 'n', '12'],
      ['APPEND', 'n', '34'],
      ['GET', 'n'],
      ['INCR', 'n'],
      ['SET', 't', 'v', 'EX', '100'],
      ['APPEND', 't', 'w'],
      { cmd: ['TTL', 't'], tolerance: 1 },
      ['STRLEN', 'a', 'b'],
    ]);
  });

  describe('GETRANGE, SUBSTR', () => {
    for (const name of ['GETRANGE', 'SUBSTR']) {
      same(diff, `${name} ranges, negative and out of range`, [
        ['SET', 'k', 'Hello World'],
        [name, 'k', '0', '4'],
        [name, 'k', '0', '-1'],
        [name, 'k', '-5', '-1'],
        [name, 'k', '-1', '-5'],
        [name, 'k', '5', '2'],
        [name, 'k', '-100', '100'],
        [name, 'k', '-100', '-50'],
        [name, 'k', '100', '200'],
        [name, 'k', '10', '10'],
        [name, 'k', '11', '11'],
        [name, 'k', '0', '0'],
        [name, 'k', '-1', '-1'],
        [name, 'k', INT64_MIN, INT64_MAX],
        [name, 'k', INT64_MAX, INT64_MAX],
        [name, 'k', '0', 'x'],
        [name, 'k', '1.5', '2'],
        [name, 'missing', '0', '-1'],
        [name, 'missing', '0', 'x'],
        ['SET', 'e', ''],
        [name, 'e', '0', '-1'],
        [name, 'e', '0', '0'],
        [name, 'e', '-1', '-1'],
        ['SET', 'n', '12345'],
        [name, 'n', '1', '3'],
        [name, 'k', '0'],
      ]);
    }
  });

  describe('SETRANGE', () => {
    same(diff, 'overwrite, extend, pad with NULs', [
      ['SET', 'k', 'Hello World'],
      ['SETRANGE', 'k', '6', 'Redis'],
      ['GET', 'k'],
      ['SETRANGE', 'k', '20', 'tail'],
      ['GET', 'k'],
      ['SETRANGE', 'new', '3', 'x'],
      ['GET', 'new'],
      ['SETRANGE', 'k', '0', ''],
      ['SETRANGE', 'k', '100', ''],
      ['STRLEN', 'k'],
      ['SETRANGE', 'missing', '0', ''],
      ['SETRANGE', 'missing', '10', ''],
      ['EXISTS', 'missing'],
      ['SETRANGE', 'k', '-1', 'x'],
      ['SETRANGE', 'missing', '-1', ''],
      ['SETRANGE', 'k', 'x', 'v'],
      ['SETRANGE', 'k', INT64_MAX, 'x'],
      ['SETRANGE', 'k', '536870912', 'x'],
      ['SETRANGE', 'k', '536870911', ''],
      ['SET', 'n', '123'],
      ['SETRANGE', 'n', '1', '9'],
      ['GET', 'n'],
      ['SET', 't', 'v', 'EX', '100'],
      ['SETRANGE', 't', '1', 'w'],
      { cmd: ['TTL', 't'], tolerance: 1 },
      ['SETRANGE', 'k', '0'],
    ]);
    same(diff, 'size limit under a lowered proto-max-bulk-len', [
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'],
      ['SETRANGE', 'k', '1048576', 'x'],
      ['SETRANGE', 'k', '1048575', 'x'],
      ['STRLEN', 'k'],
      ['APPEND', 'k', 'y'],
      ['SETRANGE', 'k', '1048574', 'zz'],
      ['SETRANGE', 'k', '1048574', 'zzz'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'],
    ]);
  });

  describe('LCS', () => {
    same(diff, 'LCS and its options', [
      ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'],
      ['LCS', 'a', 'b'],
      ['LCS', 'a', 'b', 'LEN'],
      ['LCS', 'a', 'b', 'IDX'],
      ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4'],
      ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      ['LCS', 'a', 'b', 'LEN', 'IDX'],
      ['LCS', 'a', 'missing'],
      ['LCS', 'a', 'b', 'BOGUS'],
      ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'],
    ]);
  });

  describe('inside MULTI', () => {
    same(diff, 'queued and executed in order', [
      ['MULTI'],
      ['SET', 'k', '1'],
      ['INCR', 'k'],
      ['INCRBYFLOAT', 'k', '0.5'],
      ['APPEND', 'k', 'x'],
      ['INCR', 'k'],
      ['GETRANGE', 'k', '0', '-1'],
      ['SET', 'k', 'v', 'EX', '0'],
      ['GET', 'k'],
      ['EXEC'],
    ]);
  });
});
