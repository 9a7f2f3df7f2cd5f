// Expiry commands against redis-server. Relative TTLs depend on the time between commands, so
// TTL and PTTL replies after a relative expire are compared with a tolerance (1 s, 1000 ms);
// absolute expiries use a fixed instant far in the future and are compared exactly.

import { Differential, same } from '../helpers/differential.js';

const FUTURE_S = '4102444800';
const FUTURE_MS = '4102444800123';
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';

describe('differential: expiry commands', () => {
  const diff = Differential.suite();

  for (const [cmd, amount, ttlCmd, tolerance] of [
    ['EXPIRE', '100', 'TTL', 1],
    ['PEXPIRE', '100000', 'PTTL', 1000],
  ] as const) {
    same(diff, `${cmd} and ${ttlCmd}`, [
      ['SET', 'k', 'v'],
      [ttlCmd, 'k'],
      [ttlCmd, 'missing'],
      [cmd, 'k', amount],
      { cmd: [ttlCmd, 'k'], tolerance },
      { cmd: ['TTL', 'k'], tolerance: 1 },
      [cmd, 'missing', amount],
      [cmd, 'k', 'x'],
      [cmd, 'k', '1.5'],
      [cmd, 'k', ''],
      [cmd, 'k', INT64_MAX],
      [cmd, 'k', INT64_MIN],
      [cmd, 'k', '9223372036854775'],
      [cmd, 'k', '9223372036854'],
      { cmd: [ttlCmd, 'k'], tolerance },
      [cmd, 'k', '0'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v'],
      [cmd, 'k', '-1'],
      ['EXISTS', 'k'],
      [cmd, 'k'],
      [ttlCmd],
    ]);
  }

  for (const cmd of ['EXPIREAT', 'PEXPIREAT']) {
    const at = cmd === 'EXPIREAT' ? FUTURE_S : FUTURE_MS;
    same(diff, `${cmd}, EXPIRETIME, PEXPIRETIME`, [
      ['SET', 'k', 'v'],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'missing'],
      ['PEXPIRETIME', 'missing'],
      [cmd, 'k', at],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      [cmd, 'missing', at],
      [cmd, 'k', 'x'],
      [cmd, 'k', INT64_MAX],
      [cmd, 'k', INT64_MIN],
      ['PEXPIRETIME', 'k'],
      [cmd, 'k', '1'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v'],
      [cmd, 'k', '0'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v'],
      [cmd, 'k', '-5'],
      ['EXISTS', 'k'],
      ['EXPIRETIME'],
      ['PEXPIRETIME', 'a', 'b'],
    ]);
  }

  describe('NX, XX, GT, LT', () => {
    same(diff, 'NX and XX', [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'XX'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'NX'],
      ['EXPIRE', 'k', '200', 'NX'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['EXPIRE', 'k', '300', 'XX'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['EXPIRE', 'missing', '100', 'NX'],
      ['EXPIRE', 'missing', '100', 'XX'],
    ]);
    same(diff, 'GT and LT, with and without a TTL', [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'GT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'LT'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['EXPIRE', 'k', '50', 'GT'],
      ['EXPIRE', 'k', '200', 'GT'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['EXPIRE', 'k', '300', 'LT'],
      ['EXPIRE', 'k', '150', 'LT'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      // Not 150 again: whether 150 s from now is greater than 150 s from a moment ago depends
      // on whether a millisecond passed between the two commands.
      ['EXPIRE', 'k', '160', 'XX', 'GT'],
      ['EXPIRE', 'k', '100', 'XX', 'LT'],
      { cmd: ['TTL', 'k'], tolerance: 1 },
      ['PEXPIREAT', 'k', FUTURE_MS, 'GT'],
      ['PEXPIRETIME', 'k'],
      ['EXPIREAT', 'k', FUTURE_S, 'LT'],
      ['PEXPIRETIME', 'k'],
      ['EXPIRE', 'k', '-1', 'GT'],
      ['EXISTS', 'k'],
      ['EXPIRE', 'k', '-1', 'LT'],
      ['EXISTS', 'k'],
    ]);
    same(diff, 'incompatible and unknown options', [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'NX', 'XX'],
      ['EXPIRE', 'k', '100', 'NX', 'GT'],
      ['EXPIRE', 'k', '100', 'NX', 'LT'],
      ['EXPIRE', 'k', '100', 'GT', 'LT'],
      ['EXPIRE', 'k', '100', 'BOGUS'],
      ['EXPIRE', 'k', '100', 'nx', 'nx'],
      ['PEXPIRE', 'k', '100', 'XX', 'NX'],
      ['EXPIREAT', 'k', FUTURE_S, 'LT', 'GT'],
      ['EXPIRE', 'k', 'x', 'BOGUS'],
      ['EXPIRE', 'k', '200', 'gt', 'xx'],
      ['TTL', 'k'],
    ]);
  });

  same(diff, 'PERSIST', [
    ['SET', 'k', 'v', 'EX', '100'],
    ['PERSIST', 'k'],
    ['TTL', 'k'],
    ['PERSIST', 'k'],
    ['PERSIST', 'missing'],
    ['PERSIST'],
    ['PERSIST', 'a', 'b'],
  ]);

  same(diff, 'which commands keep, set or clear a TTL', [
    ['SET', 'k', 'v', 'EX', '100'],
    ['SET', 'k', 'w'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'EXAT', FUTURE_S],
    ['SET', 'k', 'w', 'KEEPTTL'],
    ['EXPIRETIME', 'k'],
    ['APPEND', 'k', 'x'],
    ['SETRANGE', 'k', '0', 'y'],
    ['INCRBYFLOAT', 'n', '1'],
    ['EXPIREAT', 'n', FUTURE_S],
    ['INCR', 'n'],
    ['INCRBYFLOAT', 'n', '0.5'],
    ['EXPIRETIME', 'k'],
    ['EXPIRETIME', 'n'],
    ['GETSET', 'k', 'z'],
    ['EXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'EXAT', FUTURE_S],
    ['MSET', 'k', 'm'],
    ['EXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'EXAT', FUTURE_S],
    ['RENAME', 'k', 'r'],
    ['EXPIRETIME', 'r'],
    ['COPY', 'r', 'c'],
    ['EXPIRETIME', 'c'],
    ['MOVE', 'c', '1'],
    ['SELECT', '1'],
    ['EXPIRETIME', 'c'],
    ['SELECT', '0'],
    ['GETEX', 'r', 'PERSIST'],
    ['EXPIRETIME', 'r'],
    ['SETEX', 'r', '100', 'v'],
    ['GETDEL', 'r'],
    ['EXPIRETIME', 'r'],
  ]);

  same(diff, 'expired keys are invisible to every command', [
    ['SET', 'k', 'v', 'PX', '50'],
    ['SET', 'n', '5', 'PX', '50'],
    { cmd: ['GET', 'k'], waitMs: 150 },
    ['EXISTS', 'k'],
    ['TTL', 'k'],
    ['TYPE', 'k'],
    ['STRLEN', 'k'],
    ['INCR', 'n'],
    ['TTL', 'n'],
    ['APPEND', 'k', 'x'],
    ['TTL', 'k'],
    ['DBSIZE'],
  ]);
});
