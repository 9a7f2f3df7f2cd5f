// Connection commands against redis-server. HELLO's and CLIENT's replies carry fields that
// legitimately differ between two servers (the version string, the client id): those fields
// are masked, by name, before comparing; everything else must match byte for byte.

import { Differential, same } from '../helpers/differential.js';

/** HELLO's `version` value and `id` value, in RESP2 (flat array) or RESP3 (map) form. */
function maskHello(reply: string): string {
  return reply
    .replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, '$1<version>')
    .replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1<id>');
}

function maskInteger(reply: string): string {
  return reply.replace(/^:\d+\r\n$/, ':<n>\r\n');
}

describe('differential: connection commands', () => {
  const diff = Differential.suite();

  same(diff, 'PING', [['PING'], ['PING', 'hello'], ['PING', ''], ['PING', 'a', 'b'], ['ping'], ['PiNg', '\0\xff']]);
  same(diff, 'ECHO', [['ECHO', 'hello'], ['ECHO', ''], ['ECHO'], ['ECHO', 'a', 'b'], ['ECHO', '\r\n\0']]);
  same(diff, 'inline PING and ECHO', [{ raw: 'PING\r\n' }, { raw: 'PING hi\r\n' }, { raw: 'ECHO "a b"\r\n' }, { raw: 'echo\r\n' }]);
  same(diff, 'a pipeline answered in order', [
    { raw: '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n', replies: 4 },
  ]);

  same(diff, 'SELECT', [
    ['SET', 'k', 'db0'],
    ['SELECT', '1'],
    ['GET', 'k'],
    ['SET', 'k', 'db1'],
    ['SELECT', '15'],
    ['GET', 'k'],
    ['SELECT', '0'],
    ['GET', 'k'],
    ['SELECT', '1'],
    ['GET', 'k'],
  ]);
  same(diff, 'SELECT errors', [
    ['SELECT', '16'],
    ['SELECT', '-1'],
    ['SELECT', 'x'],
    ['SELECT', ''],
    ['SELECT', '1.5'],
    ['SELECT', ' 1'],
    ['SELECT', '01'],
    ['SELECT', '2147483648'],
    ['SELECT', '9223372036854775808'],
    ['SELECT'],
    ['SELECT', '1', '2'],
    ['GET', 'k'],
  ]);

  same(diff, 'HELLO 2 (version and id masked)', [
    { cmd: ['HELLO'], mask: maskHello },
    { cmd: ['HELLO', '2'], mask: maskHello },
    ['GET', 'missing'],
  ]);
  same(diff, 'HELLO 3: maps, nulls (version and id masked)', [
    { cmd: ['HELLO', '3'], mask: maskHello },
    ['GET', 'missing'],
    ['MGET', 'a', 'b'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['INCRBYFLOAT', 'f', '1.5'],
    ['PING'],
    ['SET', 'k', 'v', 'NX', 'GET'],
    ['SET', 'n', 'v', 'XX'],
    ['CONFIG', 'GET', 'databases'],
    ['EXEC'],
    ['MULTI'],
    ['EXEC'],
    { cmd: ['HELLO', '2'], mask: maskHello },
    ['GET', 'missing'],
    ['CONFIG', 'GET', 'databases'],
  ]);
  same(diff, 'HELLO errors', [
    ['HELLO', '4'],
    ['HELLO', '1'],
    ['HELLO', '0'],
    ['HELLO', 'x'],
    ['HELLO', '-1'],
    ['HELLO', '3', 'BOGUS'],
    ['HELLO', '3', 'AUTH', 'default'],
    ['HELLO', '3', 'SETNAME'],
    // Without requirepass the default user takes any password.
    { cmd: ['HELLO', '3', 'AUTH', 'default', 'wrong'], mask: maskHello },
    ['GET', 'missing'],
  ]);
  same(diff, 'HELLO SETNAME', [
    { cmd: ['HELLO', '3', 'SETNAME', 'myname'], mask: maskHello },
    ['CLIENT', 'GETNAME'],
    ['HELLO', '2', 'SETNAME', 'bad name'],
    ['CLIENT', 'GETNAME'],
  ]);

  // CLIENT SETINFO is not compared: it came with Redis 7.2 and 7.0.15 does not know it.
  same(diff, 'CLIENT SETNAME, GETNAME, ID', [
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'worker-1'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'has space'],
    ['CLIENT', 'SETNAME', 'new\nline'],
    ['CLIENT', 'SETNAME', '\x7f'],
    ['CLIENT', 'SETNAME', ''],
    ['CLIENT', 'GETNAME'],
    { cmd: ['CLIENT', 'ID'], mask: maskInteger },
    ['CLIENT', 'BOGUS'],
    ['CLIENT'],
    ['CLIENT', 'SETNAME'],
    ['CLIENT', 'GETNAME', 'x'],
  ]);

  same(diff, 'RESET', [
    ['SELECT', '2'],
    ['SET', 'k', 'db2'],
    ['CLIENT', 'SETNAME', 'x'],
    { cmd: ['HELLO', '3'], mask: maskHello },
    ['MULTI'],
    ['RESET'],
    ['GET', 'k'],
    ['CLIENT', 'GETNAME'],
    ['GET', 'missing'],
    ['EXEC'],
    ['RESET', 'x'],
  ]);

  same(diff, 'QUIT answers OK', [['QUIT']]);
});
