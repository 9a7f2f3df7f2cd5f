// MULTI/EXEC/DISCARD/WATCH against redis-server, with a second client where another connection's
// writes must abort a watched transaction.

import { Differential, same } from '../helpers/differential.js';

describe('differential: transactions', () => {
  const diff = Differential.suite();

  same(diff, 'MULTI, queued commands, EXEC', [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['INCR', 'a'],
    ['GET', 'a'],
    ['MGET', 'a', 'b'],
    ['PING'],
    ['EXEC'],
    ['GET', 'a'],
  ]);
  same(diff, 'an empty transaction', [['MULTI'], ['EXEC'], ['EXEC']]);
  same(diff, 'DISCARD', [['MULTI'], ['SET', 'a', '1'], ['DISCARD'], ['GET', 'a'], ['DISCARD'], ['EXEC']]);
  same(diff, 'nested MULTI is an error that does not abort', [['MULTI'], ['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']]);
  same(diff, 'a runtime error inside EXEC does not abort the rest', [
    ['SET', 's', 'abc'],
    ['MULTI'],
    ['INCR', 's'],
    ['SET', 'b', '2'],
    ['SET', 'k', 'v', 'EX', '0'],
    ['GET', 'b'],
    ['EXEC'],
  ]);
  same(diff, 'an unknown command while queueing: EXECABORT', [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['NOSUCHCOMMAND', 'x'],
    ['SET', 'b', '2'],
    ['EXEC'],
    ['GET', 'a'],
    ['EXEC'],
  ]);
  same(diff, 'an arity error while queueing: EXECABORT', [['MULTI'], ['SET', 'a'], ['GET', 'a', 'b'], ['EXEC'], ['GET', 'a']]);
  same(diff, 'a syntax error is found at EXEC time, not queueing time', [
    ['MULTI'],
    ['SET', 'a', '1', 'BOGUS'],
    ['SET', 'b', '2'],
    ['EXEC'],
    ['MGET', 'a', 'b'],
  ]);
  same(diff, 'DISCARD after a queueing error', [['MULTI'], ['NOPE'], ['DISCARD'], ['PING']]);
  same(diff, 'SELECT inside MULTI', [['MULTI'], ['SELECT', '3'], ['SET', 'k', 'db3'], ['EXEC'], ['GET', 'k'], ['SELECT', '0'], ['GET', 'k']]);
  same(diff, 'WATCH inside MULTI', [['MULTI'], ['WATCH', 'a'], ['SET', 'a', '1'], ['EXEC']]);
  same(diff, 'arity of WATCH, MULTI, EXEC, DISCARD, UNWATCH', [['WATCH'], ['MULTI', 'x'], ['EXEC', 'x'], ['DISCARD', 'x'], ['UNWATCH', 'x']]);

  describe('WATCH', () => {
    same(diff, 'an untouched watched key lets EXEC run', [['SET', 'a', '1'], ['WATCH', 'a'], ['MULTI'], ['INCR', 'a'], ['EXEC']]);
    same(diff, "another client's write aborts EXEC", [
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['SET', 'a', '2'], client: 1 },
      ['MULTI'],
      ['INCR', 'a'],
      ['EXEC'],
      ['GET', 'a'],
    ]);
    same(diff, 'a write of the same value still aborts', [
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['SET', 'a', '1'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, "the watching client's own write aborts too", [['WATCH', 'a'], ['SET', 'a', 'x'], ['MULTI'], ['GET', 'a'], ['EXEC']]);
    same(diff, 'creating a watched missing key aborts', [
      ['WATCH', 'new'],
      { cmd: ['SET', 'new', '1'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'deleting a watched key aborts; deleting a missing one does not', [
      ['SET', 'a', '1'],
      ['WATCH', 'a', 'missing'],
      { cmd: ['DEL', 'missing'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'a'],
      { cmd: ['DEL', 'a'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'a write in another database does not abort', [
      ['WATCH', 'a'],
      { cmd: ['SELECT', '1'], client: 1 },
      { cmd: ['SET', 'a', '1'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'FLUSHALL aborts, FLUSHDB of another database does not', [
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['SELECT', '1'], client: 1 },
      { cmd: ['FLUSHDB'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'a'],
      { cmd: ['FLUSHALL'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'SWAPDB aborts', [
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['SWAPDB', '0', '1'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'UNWATCH and EXEC forget the watched keys', [
      ['WATCH', 'a'],
      ['UNWATCH'],
      { cmd: ['SET', 'a', '1'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'a'],
      ['MULTI'],
      ['EXEC'],
      { cmd: ['SET', 'a', '2'], client: 1 },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'an aborted EXEC in RESP3 is a null', [
      ['SET', 'a', '1'],
      ['WATCH', 'a'],
      { cmd: ['SET', 'a', '2'], client: 1 },
      { cmd: ['HELLO', '3'], mask: (r) => r.replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, '$1<v>').replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1<id>') },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
    same(diff, 'a watched key that expires after WATCH aborts', [
      ['SET', 'a', '1', 'PX', '100'],
      ['WATCH', 'a'],
      { cmd: ['MULTI'], waitMs: 300 },
      ['PING'],
      ['EXEC'],
    ]);
  });
});
