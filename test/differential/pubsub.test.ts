// Pub/Sub against redis-server: confirmations, counts, messages seen by a second client, the
// RESP2 subscribed mode and RESP3 pushes. A message that arrives on its own is read with an
// empty raw step on the receiving client. Channel lists come from hash tables in Redis, so
// listings of several channels are compared sorted.

import { Differential, same, sortedArray, type Step } from '../helpers/differential.js';

/** Reads one message pushed to `client`, sending nothing. */
const message = (client: number): Step => ({ raw: '', client });

describe('differential: pub/sub', () => {
  const diff = Differential.suite();

  same(diff, 'unsubscribing while subscribed to nothing', [
    ['UNSUBSCRIBE'],
    ['PUNSUBSCRIBE'],
    ['SUNSUBSCRIBE'],
    { cmd: ['UNSUBSCRIBE', 'x', 'y'], replies: 2 },
    { cmd: ['PUNSUBSCRIBE', 'x*'], replies: 1 },
    ['GET', 'k'],
  ]);

  same(diff, 'confirmations count channels and patterns together, shard channels apart', [
    { cmd: ['SUBSCRIBE', 'c1', 'c2', 'c1'], replies: 3 },
    { cmd: ['PSUBSCRIBE', 'c*', 'h?llo'], replies: 2 },
    { cmd: ['SSUBSCRIBE', 's1', 's2'], replies: 2 },
    { cmd: ['PUNSUBSCRIBE', 'h?llo', 'nope'], replies: 2 },
    { cmd: ['UNSUBSCRIBE', 'c2'], replies: 1 },
    ['SUNSUBSCRIBE', 's2'],
    ['UNSUBSCRIBE'],
    ['PUNSUBSCRIBE'],
    ['GET', 'k'],
    ['SUNSUBSCRIBE'],
    ['GET', 'k'],
  ]);

  same(diff, 'RESP2 subscribed mode', [
    ['SUBSCRIBE', 'c'],
    ['GET', 'k'],
    ['SET', 'k', 'v'],
    ['MULTI'],
    ['CLIENT', 'LIST'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['PUBLISH', 'c', 'm'],
    ['PING'],
    ['PING', 'hi'],
    ['ping', 'a', 'b'],
    ['get'],
    ['nosuchcommand', 'x'],
    ['SUBSCRIBE'],
    ['UNSUBSCRIBE'],
    ['PING'],
    ['DBSIZE'],
  ]);

  same(diff, 'messages, pattern messages and shard messages reach another client', [
    { cmd: ['SUBSCRIBE', 'news', 'sport'], replies: 2 },
    { cmd: ['PSUBSCRIBE', 'n*', 'h[ae]llo', 'a\\*b'], replies: 3 },
    ['SSUBSCRIBE', 'shard'],
    { cmd: ['PUBLISH', 'news', 'first'], client: 1 },
    message(0),
    message(0),
    { cmd: ['PUBLISH', 'sport', '\x00\xff\r\n'], client: 1 },
    message(0),
    { cmd: ['PUBLISH', 'hello', 'p'], client: 1 },
    message(0),
    { cmd: ['PUBLISH', 'a*b', 'escaped'], client: 1 },
    message(0),
    { cmd: ['PUBLISH', 'axb', 'none'], client: 1 },
    { cmd: ['PUBLISH', 'shard', 'plain'], client: 1 },
    { cmd: ['SPUBLISH', 'shard', 'sharded'], client: 1 },
    message(0),
    { cmd: ['SPUBLISH', 'news', 'none'], client: 1 },
    ['PING'],
  ]);

  same(diff, 'RESP3: pushes, no subscribed mode, and a publisher that hears itself', [
    { cmd: ['HELLO', '3'], mask: () => '<hello>' },
    ['UNSUBSCRIBE'],
    ['SUBSCRIBE', 'c1'],
    ['PSUBSCRIBE', '*'],
    ['SSUBSCRIBE', 's1'],
    ['GET', 'k'],
    ['PING'],
    { cmd: ['PUBLISH', 'c1', 'self'], replies: 3 },
    { cmd: ['PUBLISH', 'c1', 'other'], client: 1 },
    message(0),
    message(0),
    ['SUNSUBSCRIBE'],
    ['PUNSUBSCRIBE'],
    ['UNSUBSCRIBE'],
    ['RESET'],
    ['GET', 'k'],
  ]);

  same(diff, 'PUBSUB introspection', [
    { cmd: ['SUBSCRIBE', 'c1', 'c2'], replies: 2 },
    { cmd: ['PSUBSCRIBE', 'p*', 'q*'], replies: 2 },
    { cmd: ['SSUBSCRIBE', 's1', 's2'], replies: 2 },
    { cmd: ['SUBSCRIBE', 'c1', 'other'], replies: 2, client: 1 },
    { cmd: ['PUBSUB', 'CHANNELS'], client: 2, mask: sortedArray },
    { cmd: ['PUBSUB', 'CHANNELS', 'c*'], client: 2, mask: sortedArray },
    { cmd: ['PUBSUB', 'CHANNELS', 'o*'], client: 2 },
    { cmd: ['PUBSUB', 'NUMSUB', 'c1', 'c2', 'zz'], client: 2 },
    { cmd: ['PUBSUB', 'NUMSUB'], client: 2 },
    { cmd: ['PUBSUB', 'NUMPAT'], client: 2 },
    { cmd: ['PUBSUB', 'SHARDCHANNELS'], client: 2, mask: sortedArray },
    { cmd: ['PUBSUB', 'SHARDCHANNELS', 's1'], client: 2 },
    { cmd: ['PUBSUB', 'SHARDNUMSUB', 's1', 'x'], client: 2 },
    { cmd: ['PUBLISH', 'c1', 'two'], client: 2 },
    message(0),
    message(1),
    { cmd: ['PUBSUB', 'HELP'], client: 2 },
    { cmd: ['PUBSUB'], client: 2 },
    { cmd: ['PUBSUB', 'foo'], client: 2 },
    { cmd: ['PUBSUB', 'NUMPAT', 'x'], client: 2 },
    { cmd: ['PUBSUB', 'CHANNELS', 'a', 'b'], client: 2 },
    { cmd: ['PUBSUB', 'shardchannels', 'a', 'b'], client: 2 },
    ['RESET'],
    { cmd: ['PUBSUB', 'NUMPAT'], client: 2 },
    { cmd: ['PUBSUB', 'NUMSUB', 'c1'], client: 2 },
    { cmd: ['PUBSUB', 'SHARDCHANNELS'], client: 2 },
  ]);

  same(diff, 'inside MULTI', [
    ['MULTI'],
    ['SUBSCRIBE', 'm'],
    ['SSUBSCRIBE', 's'],
    ['PSUBSCRIBE', 'p'],
    ['GET', 'k'],
    ['EXEC'],
    ['GET', 'k'],
    ['PING'],
  ]);

  same(diff, 'wrong arity', [['SUBSCRIBE'], ['PSUBSCRIBE'], ['SSUBSCRIBE'], ['PUBLISH', 'x'], ['SPUBLISH', 'x'], ['PUBLISH', 'a', 'b', 'c']]);
});
