// Channel names, patterns and watched keys longer than V8 hashes by content (16383 bytes), many
// of one length and differing only at their end, against redis-server: ringcache looks such
// names up by their keyed hash (src/util/byte-string-map.ts), and every reply must stay exact.
// How fast it is goes in the benchmark, not here.

import { expect } from 'chai';
import { Differential, same, sortedArray, type Step } from '../helpers/differential.js';
import { decodeReply, encodeCommand, type RespValue } from '../helpers/resp-reader.js';
import type { RawClient } from '../helpers/raw-client.js';

const LENGTH = 16384;
const COUNT = 150;

/** The i-th name of `length` bytes: all share every byte but the last two. */
function named(prefix: string, i: number, length = LENGTH): string {
  return prefix.repeat(length - 2) + String.fromCharCode(i >> 8, i & 0xff);
}

const channels = Array.from({ length: COUNT }, (_, i) => named('c', i));
const patterns = Array.from({ length: 20 }, (_, i) => named('c', i, LENGTH - 1) + '*');
const shardChannels = Array.from({ length: 20 }, (_, i) => named('s', i));
const keys = Array.from({ length: COUNT }, (_, i) => named('k', i));

/** Reads one message pushed to `client`, sending nothing. */
const message = (client: number): Step => ({ raw: '', client });

async function replies(client: RawClient, count: number): Promise<RespValue[]> {
  const out: RespValue[] = [];
  for (let i = 0; i < count; i++) out.push(decodeReply(await client.readReply()));
  return out;
}

describe('differential: long same-length names in pub/sub and WATCH', () => {
  const diff = Differential.suite();

  same(diff, 'SUBSCRIBE, PUBLISH, PUBSUB and UNSUBSCRIBE by name', [
    { cmd: ['SUBSCRIBE', ...channels, channels[7], channels[COUNT - 1]], replies: COUNT + 2 },
    { cmd: ['PUBSUB', 'NUMSUB', channels[0], channels[COUNT - 1], named('c', COUNT), named('c', 0, LENGTH + 1)], client: 1 },
    { cmd: ['PUBSUB', 'CHANNELS', channels[65]], client: 1 },
    // The last byte of channels[42] is '*': as a pattern it matches all of them.
    { cmd: ['PUBSUB', 'CHANNELS', channels[42]], client: 1, mask: sortedArray },
    { cmd: ['PUBLISH', channels[COUNT - 1], 'last'], client: 1 },
    message(0),
    { cmd: ['PUBLISH', named('c', COUNT), 'nobody'], client: 1 },
    { cmd: ['PUBLISH', named('c', 0, LENGTH - 1), 'shorter'], client: 1 },
    { cmd: ['UNSUBSCRIBE', ...channels.slice(0, COUNT / 2), channels[0], named('c', COUNT)], replies: COUNT / 2 + 2 },
    { cmd: ['PUBLISH', channels[0], 'gone'], client: 1 },
    { cmd: ['PUBLISH', channels[COUNT / 2], 'kept'], client: 1 },
    message(0),
    { cmd: ['PUBSUB', 'NUMSUB', channels[0], channels[COUNT / 2]], client: 1 },
    { cmd: ['SUBSCRIBE', channels[0]], replies: 1 },
    { cmd: ['UNSUBSCRIBE', ...channels.slice(COUNT / 2), channels[0]], replies: COUNT / 2 + 1 },
    ['PING'],
  ]);

  same(diff, 'long patterns and shard channels', [
    { cmd: ['PSUBSCRIBE', ...patterns, patterns[3]], replies: patterns.length + 1 },
    { cmd: ['SSUBSCRIBE', ...shardChannels], replies: shardChannels.length },
    { cmd: ['PUBSUB', 'NUMPAT'], client: 1 },
    { cmd: ['PUBLISH', named('c', 5, LENGTH - 1) + 'tail', 'by pattern'], client: 1 },
    message(0),
    { cmd: ['SPUBLISH', shardChannels[19], 'sharded'], client: 1 },
    message(0),
    { cmd: ['SPUBLISH', named('s', 20), 'nobody'], client: 1 },
    { cmd: ['PUBSUB', 'SHARDNUMSUB', shardChannels[0], named('s', 20)], client: 1 },
    { cmd: ['PUNSUBSCRIBE', patterns[3], patterns[0]], replies: 2 },
    { cmd: ['PUBSUB', 'NUMPAT'], client: 1 },
    { cmd: ['SUNSUBSCRIBE', ...shardChannels.slice(0, 10)], replies: 10 },
    { cmd: ['PUBSUB', 'SHARDNUMSUB', shardChannels[0], shardChannels[10]], client: 1 },
  ]);

  // Redis drops a client's subscriptions in its hash table's order, ringcache in the order they
  // were made: the confirmations are compared as a set of names and a sequence of counts.
  it('UNSUBSCRIBE without arguments confirms every long channel once', async function () {
    this.timeout(30000);
    const [redis, ours] = await diff.pair();
    const subscribe = ['SUBSCRIBE', ...channels, 'short'];
    for (const client of [redis, ours]) client.write(encodeCommand(subscribe));
    const [redisSubscribed, oursSubscribed] = await Promise.all([replies(redis, COUNT + 1), replies(ours, COUNT + 1)]);
    expect(oursSubscribed).to.deep.equal(redisSubscribed);
    for (const client of [redis, ours]) client.write(encodeCommand(['UNSUBSCRIBE']));
    const [want, got] = await Promise.all([replies(redis, COUNT + 1), replies(ours, COUNT + 1)]);
    const names = (all: RespValue[]): string[] => all.map((r) => (r as RespValue[])[1] as string).sort();
    const counts = (all: RespValue[]): RespValue[] => all.map((r) => (r as RespValue[])[2]);
    expect(names(got)).to.deep.equal(names(want));
    expect(names(got)).to.deep.equal([...channels, 'short'].sort());
    expect(counts(got)).to.deep.equal(counts(want));
    expect(await ours.call('PING')).to.equal(await redis.call('PING'));
  });

  same(diff, 'WATCH of many long keys: a write to one of them aborts EXEC', [
    ['SET', keys[COUNT - 1], 'v'],
    ['WATCH', ...keys],
    { cmd: ['SET', keys[COUNT - 1], 'w'], client: 1 },
    ['MULTI'],
    ['GET', keys[COUNT - 1]],
    ['EXEC'],
    ['WATCH', ...keys],
    { cmd: ['SET', named('k', COUNT), 'not watched'], client: 1 },
    { cmd: ['DEL', keys[COUNT - 1], named('k', COUNT + 1)], client: 1 },
    ['MULTI'],
    ['EXISTS', keys[COUNT - 1]],
    ['EXEC'],
  ]);

  same(diff, 'WATCH of many long keys: writes to other keys of that length let EXEC run', [
    ['WATCH', ...keys, keys[0]],
    { cmd: ['SET', named('k', COUNT), 'v'], client: 1 },
    { cmd: ['SET', named('k', 0, LENGTH + 1), 'v'], client: 1 },
    { cmd: ['SET', named('k', 0, LENGTH - 1), 'v'], client: 1 },
    ['MULTI'],
    ['SET', keys[0], 'mine'],
    ['EXEC'],
    ['UNWATCH'],
    ['WATCH', keys[0], keys[1]],
    ['UNWATCH'],
    { cmd: ['SET', keys[1], 'after unwatch'], client: 1 },
    ['MULTI'],
    ['STRLEN', keys[1]],
    ['EXEC'],
  ]);
});
