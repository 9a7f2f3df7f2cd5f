// ioredis against an in-process ringcache over TCP: plain commands, a 1000-command pipeline,
// MULTI through .multi(), scanStream over more keys than one SCAN call returns, and binary
// values read back as Buffers.

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startServer, type RingcacheServer } from '../../src/index.js';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('ioredis', () => {
  let server: RingcacheServer;
  let redis: Redis;

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
  });

  afterEach(async () => {
    redis.disconnect();
    await server.close();
  });

  it('connects (ready check reads INFO) and runs commands', async () => {
    expect(redis.status).to.equal('ready');
    expect(await redis.ping()).to.equal('PONG');
    expect(await redis.set('k', 'v')).to.equal('OK');
    expect(await redis.get('k')).to.equal('v');
    expect(await redis.get('missing')).to.equal(null);
    expect(await redis.set('k', 'w', 'EX', 100, 'GET')).to.equal('v');
    expect(await redis.ttl('k')).to.equal(100);
    expect(await redis.incr('n')).to.equal(1);
    expect(await redis.incrby('n', 41)).to.equal(42);
    expect(await redis.incrbyfloat('f', '10.5')).to.equal('10.5');
    expect(await redis.incrbyfloat('f', '0.1')).to.equal('10.6');
    expect(await redis.mset({ a: '1', b: '2' })).to.equal('OK');
    expect(await redis.mget('a', 'b', 'c')).to.deep.equal(['1', '2', null]);
    expect(await redis.del('a', 'b', 'c')).to.equal(2);
    expect(await redis.exists('k')).to.equal(1);
    expect(await redis.expire('k', 50)).to.equal(1);
    expect(await redis.persist('k')).to.equal(1);
    expect(await redis.dbsize()).to.equal(3);
  });

  it('surfaces error replies as ReplyErrors with Redis texts', async () => {
    await redis.set('s', 'abc');
    let caught: Error | null = null;
    await redis.incr('s').catch((err: Error) => (caught = err));
    expect(caught).to.be.instanceOf(Error);
    expect((caught as unknown as Error).message).to.equal('ERR value is not an integer or out of range');
    expect(await redis.ping()).to.equal('PONG');
  });

  it('runs a pipeline of 1000 commands, replies in order', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 500; i++) pipeline.set(`key:${i}`, `value:${i}`);
    for (let i = 0; i < 500; i++) pipeline.get(`key:${i}`);
    const results = await pipeline.exec();
    expect(results).to.have.length(1000);
    for (let i = 0; i < 500; i++) {
      expect(results?.[i]).to.deep.equal([null, 'OK']);
      expect(results?.[500 + i]).to.deep.equal([null, `value:${i}`]);
    }
  });

  it('runs MULTI/EXEC with .multi(), and reports a watched key that changed', async () => {
    const results = await redis.multi().set('a', '1').incr('a').get('a').exec();
    expect(results).to.deep.equal([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);

    const other = redis.duplicate();
    try {
      await redis.watch('a');
      await other.set('a', 'changed');
      expect(await redis.multi().incr('a').exec()).to.equal(null);
    } finally {
      other.disconnect();
    }
  });

  it('scanStream returns every key at least once', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 1500; i++) pipeline.set(`scan:${i}`, 'v');
    await pipeline.exec();
    await redis.set('other', 'v');
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const stream = redis.scanStream({ match: 'scan:*', count: 100 });
      stream.on('data', (keys: string[]) => keys.forEach((k) => seen.add(k)));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(seen.size).to.equal(1500);
    expect(seen.has('other')).to.equal(false);
  });

  it('stores and returns binary values as Buffers (getBuffer)', async () => {
    expect(await redis.set('bin', ALL_BYTES)).to.equal('OK');
    const back = await redis.getBuffer('bin');
    expect(Buffer.compare(back as Buffer, ALL_BYTES)).to.equal(0);
    expect(await redis.strlen('bin')).to.equal(256);

    const key = Buffer.from([0, 0xff, 13, 10, 0x80]);
    await redis.set(key, Buffer.from([1, 2, 3]));
    expect(await redis.getBuffer(key)).to.deep.equal(Buffer.from([1, 2, 3]));
    await redis.append(key, Buffer.from([0xfe]));
    expect(await redis.getBuffer(key)).to.deep.equal(Buffer.from([1, 2, 3, 0xfe]));

    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 131) & 0xff;
    await redis.set('big', big);
    expect(Buffer.compare((await redis.getBuffer('big')) as Buffer, big)).to.equal(0);
  });
});
