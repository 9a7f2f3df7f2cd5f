// node-redis (the `redis` package, 6.x, whose API is node-redis v5's) against an in-process
// ringcache: the RESP3 handshake (HELLO 3), commands, MULTI, scanning, and binary values.

import { expect } from 'chai';
import { createClient, RESP_TYPES } from 'redis';
import { startServer, type RingcacheServer } from '../../src/index.js';

describe('node-redis', () => {
  let server: RingcacheServer;

  beforeEach(async () => {
    server = await startServer({ port: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  async function connect(resp: 2 | 3) {
    const client = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, RESP: resp });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  for (const resp of [2, 3] as const) {
    describe(`RESP${resp}`, () => {
      it('runs commands', async () => {
        const client = await connect(resp);
        try {
          expect(await client.ping()).to.equal('PONG');
          expect(await client.set('k', 'v')).to.equal('OK');
          expect(await client.get('k')).to.equal('v');
          expect(await client.get('missing')).to.equal(null);
          expect(await client.set('k', 'w', { NX: true })).to.equal(null);
          expect(await client.set('k', 'w', { expiration: { type: 'EX', value: 100 } })).to.equal('OK');
          expect(await client.ttl('k')).to.equal(100);
          expect(await client.incr('n')).to.equal(1);
          expect(await client.incrByFloat('f', 1.5)).to.equal('1.5');
          expect(await client.mGet(['k', 'n', 'x'])).to.deep.equal(['w', '1', null]);
          expect(await client.exists(['k', 'n'])).to.equal(2);
          expect(await client.del('n')).to.equal(1);
          expect(await client.dbSize()).to.equal(2);
        } finally {
          client.destroy();
        }
      });

      it('runs MULTI/EXEC and a pipeline', async () => {
        const client = await connect(resp);
        try {
          expect(await client.multi().set('a', '1').incr('a').get('a').exec()).to.deep.equal(['OK', 2, '2']);
          const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.set(`p:${i}`, String(i))));
          expect(replies.every((r) => r === 'OK')).to.equal(true);
          expect(await client.get('p:999')).to.equal('999');
        } finally {
          client.destroy();
        }
      });

      it('scans every key', async () => {
        const client = await connect(resp);
        try {
          await Promise.all(Array.from({ length: 700 }, (_, i) => client.set(`s:${i}`, 'v')));
          const seen = new Set<string>();
          for await (const keys of client.scanIterator({ MATCH: 's:*', COUNT: 50 })) keys.forEach((k) => seen.add(k));
          expect(seen.size).to.equal(700);
        } finally {
          client.destroy();
        }
      });

      it('round-trips binary values as Buffers', async () => {
        const client = await connect(resp);
        try {
          const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
          await client.set('bin', value);
          const raw = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
          const back = await raw.get('bin');
          expect(Buffer.isBuffer(back)).to.equal(true);
          expect(Buffer.compare(back as Buffer, value)).to.equal(0);
        } finally {
          client.destroy();
        }
      });
    });
  }

  it('negotiates RESP3: the server sees the client on protocol 3', async () => {
    const client = await connect(3);
    try {
      const info = await client.sendCommand(['CLIENT', 'INFO']);
      expect(String(info)).to.match(/ resp=3 /);
      // RESP3 nulls come back as null, RESP3 doubles as numbers where the client maps them.
      expect(await client.sendCommand(['GET', 'missing'])).to.equal(null);
    } finally {
      client.destroy();
    }
  });
});
