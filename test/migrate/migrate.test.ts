// DUMP/RESTORE and MIGRATE across processes: ringcache and a real redis-server 7.0.15 exchange
// payloads in both directions (binary bytes, integers, long compressible values), and MIGRATE
// moves keys between two ringcache servers and between ringcache and Redis.

import { expect } from 'chai';
import { createServer, type RingcacheServer } from '../../src/server/server.js';
import { RawClient } from '../helpers/raw-client.js';
import { freePort, startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { resp } from '../helpers/session.js';

const VALUES: string[] = [
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1'),
  '0',
  '-128',
  '127',
  '-32768',
  '2147483647',
  '-2147483649',
  '9223372036854775807',
  '007',
  'x'.repeat(21),
  'abc'.repeat(5000),
  Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * i) & 0xff)).toString('latin1'),
  '',
];

/** The bulk payload of a raw `$n\r\n...\r\n` reply. */
function bulkOf(reply: string): string {
  return reply.slice(reply.indexOf('\r\n') + 2, -2);
}

describe('migration between ringcache and redis-server', function () {
  let redis: RealRedis;
  let ours: RingcacheServer;
  let other: RingcacheServer;
  let toRedis: RawClient;
  let toOurs: RawClient;
  let toOther: RawClient;

  before(async () => {
    redis = await startRedisServer();
    ours = createServer({ port: 0 });
    await ours.listen();
    other = createServer({ port: 0 });
    await other.listen();
    toRedis = await RawClient.connect(redis.port);
    toOurs = await RawClient.connect(ours.port);
    toOther = await RawClient.connect(other.port);
  });

  after(async () => {
    await toRedis.close();
    await toOurs.close();
    await toOther.close();
    await ours.close();
    await other.close();
    await redis.stop();
  });

  beforeEach(async () => {
    for (const client of [toRedis, toOurs, toOther]) expect(await client.call('FLUSHALL')).to.equal(resp.ok);
  });

  it('dumps the same bytes as Redis, and each restores the other\'s payloads', async () => {
    for (const [i, value] of VALUES.entries()) {
      await toRedis.call('SET', `k${i}`, Buffer.from(value, 'latin1'));
      await toOurs.call('SET', `k${i}`, Buffer.from(value, 'latin1'));
      const theirs = await toRedis.call('DUMP', `k${i}`);
      expect(await toOurs.call('DUMP', `k${i}`)).to.equal(theirs);
      const payload = Buffer.from(bulkOf(theirs), 'latin1');
      expect(await toOurs.call('RESTORE', `r${i}`, '0', payload)).to.equal(resp.ok);
      expect(await toOurs.call('GET', `r${i}`)).to.equal(resp.bulk(value));
      expect(await toRedis.call('RESTORE', `r${i}`, '0', payload)).to.equal(resp.ok);
      expect(await toRedis.call('GET', `r${i}`)).to.equal(resp.bulk(value));
    }
  });

  it('migrates single keys and KEYS lists between two ringcache servers', async () => {
    await toOurs.call('SET', 'a', 'A');
    await toOurs.call('SET', 'b', 'B', 'PX', '100000');
    await toOurs.call('SET', 'c', 'C');
    const host = '127.0.0.1';
    expect(await toOurs.call('MIGRATE', host, String(other.port), 'a', '0', '5000')).to.equal(resp.ok);
    expect(await toOurs.call('EXISTS', 'a')).to.equal(resp.int(0));
    expect(await toOther.call('GET', 'a')).to.equal(resp.bulk('A'));
    expect(await toOurs.call('MIGRATE', host, String(other.port), '', '0', '5000', 'COPY', 'KEYS', 'b', 'c', 'missing')).to.equal(resp.ok);
    expect(await toOurs.call('EXISTS', 'b', 'c')).to.equal(resp.int(2));
    const pttl = Number((await toOther.call('PTTL', 'b')).slice(1, -2));
    expect(pttl).to.be.within(90000, 100000);
    expect(await toOurs.call('MIGRATE', host, String(other.port), '', '0', '5000', 'KEYS', 'b', 'c')).to.equal(
      resp.err('ERR Target instance replied with error: BUSYKEY Target key name already exists.'),
    );
    expect(await toOurs.call('EXISTS', 'b', 'c')).to.equal(resp.int(2));
    expect(await toOurs.call('MIGRATE', host, String(other.port), '', '0', '5000', 'REPLACE', 'KEYS', 'b', 'c')).to.equal(resp.ok);
    expect(await toOurs.call('EXISTS', 'b', 'c')).to.equal(resp.int(0));
    expect(await toOurs.call('MIGRATE', host, String(other.port), 'gone', '0', '5000')).to.equal(resp.simple('NOKEY'));
    expect(await toOurs.call('MIGRATE', host, String(other.port), 'a', '0', '5000', 'KEYS', 'a')).to.equal(
      resp.err('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string'),
    );
  });

  it('runs the requests pipelined behind a MIGRATE after its reply, in order', async () => {
    await toOurs.call('SET', 'p', 'P');
    const migrate = ['MIGRATE', '127.0.0.1', String(other.port), 'p', '3', '5000'];
    const encode = (args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
    toOurs.write(encode(migrate) + encode(['EXISTS', 'p']) + encode(['PING']));
    expect(await toOurs.readReply()).to.equal(resp.ok);
    expect(await toOurs.readReply()).to.equal(resp.int(0));
    expect(await toOurs.readReply()).to.equal('+PONG\r\n');
    await toOther.call('SELECT', '3');
    expect(await toOther.call('GET', 'p')).to.equal(resp.bulk('P'));
    await toOther.call('SELECT', '0');
  });

  it('migrates from ringcache to redis-server and back, with AUTH and binary values', async () => {
    for (const [i, value] of VALUES.entries()) await toOurs.call('SET', `m${i}`, Buffer.from(value, 'latin1'));
    const keys = VALUES.map((_, i) => `m${i}`);
    expect(await toOurs.call('MIGRATE', '127.0.0.1', String(redis.port), '', '0', '5000', 'KEYS', ...keys)).to.equal(resp.ok);
    expect(await toOurs.call('DBSIZE')).to.equal(resp.int(0));
    for (const [i, value] of VALUES.entries()) expect(await toRedis.call('GET', `m${i}`)).to.equal(resp.bulk(value));
    expect(await toRedis.call('MIGRATE', '127.0.0.1', String(ours.port), '', '0', '5000', 'KEYS', ...keys)).to.equal(resp.ok);
    for (const [i, value] of VALUES.entries()) expect(await toOurs.call('GET', `m${i}`)).to.equal(resp.bulk(value));
    // AUTH to a server without a password: Redis forwards the target's error, and the keys stay.
    const authError = await toOurs.call('MIGRATE', '127.0.0.1', String(redis.port), 'm1', '0', '5000', 'AUTH', 'pw');
    expect(authError).to.equal(await toRedis.call('MIGRATE', '127.0.0.1', String(ours.port), 'm1', '0', '5000', 'AUTH', 'pw'));
    expect(authError.startsWith('-ERR Target instance replied with error: ')).to.equal(true);
    expect(await toOurs.call('EXISTS', 'm1')).to.equal(resp.int(1));
  });

  it('answers IOERR when the target does not listen, as Redis does', async () => {
    const port = String(await freePort());
    await toOurs.call('SET', 'k', 'v');
    await toRedis.call('SET', 'k', 'v');
    const theirs = await toRedis.call('MIGRATE', '127.0.0.1', port, 'k', '0', '1000');
    expect(theirs).to.equal(resp.err('IOERR error or timeout writing to target instance'));
    expect(await toOurs.call('MIGRATE', '127.0.0.1', port, 'k', '0', '1000')).to.equal(theirs);
    expect(await toOurs.call('EXISTS', 'k')).to.equal(resp.int(1));
  });
});
