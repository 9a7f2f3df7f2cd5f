// Embedding through the public entry point, as another project's test suite would: listen on a
// port or on 0, read the bound port, and close() only once every connection is gone.

import { expect } from 'chai';
import { Redis } from 'ioredis';
import net from 'node:net';
import { createServer, startServer, type RingcacheServer } from '../../src/index.js';
import { freePort } from '../helpers/redis-server.js';

/** Resolves when the socket is fully closed, with everything it received. */
function received(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(data));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Waits until the server has taken the connection (the TCP handshake alone does not say). */
async function roundTrip(socket: net.Socket): Promise<void> {
  socket.write('PING\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
}

describe('embedding: createServer', () => {
  let server: RingcacheServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('listens on port 0 and reports the bound port; ioredis works against it', async () => {
    server = await createServer({ port: 0 }).listen();
    expect(server.port).to.be.greaterThan(0);
    expect(server.host).to.equal('127.0.0.1');
    const redis = new Redis({ port: server.port, host: server.host, lazyConnect: true });
    await redis.connect();
    expect(await redis.set('greeting', 'hello')).to.equal('OK');
    expect(await redis.get('greeting')).to.equal('hello');
    await redis.quit();
  });

  it('listens on a given port', async () => {
    const port = await freePort();
    server = await startServer({ port, config: { databases: 2 } });
    expect(server.port).to.equal(port);
    const redis = new Redis({ port, lazyConnect: true });
    await redis.connect();
    expect(await redis.config('GET', 'databases')).to.deep.equal(['databases', '2']);
    redis.disconnect();
  });

  it('refuses an invalid configuration when created', () => {
    expect(() => createServer({ config: { databases: 'many' } })).to.throw("argument couldn't be parsed into an integer");
  });

  it('reports the port before listening as an error', () => {
    expect(() => createServer({ port: 0 }).port).to.throw('server is not listening');
  });

  it('close() resolves once idle clients are disconnected', async () => {
    server = await startServer({ port: 0 });
    const sockets = await Promise.all([connect(server.port), connect(server.port), connect(server.port)]);
    for (const socket of sockets) await roundTrip(socket);
    const closed = sockets.map(received);
    expect(server.connectionCount).to.equal(3);
    await server.close();
    expect(server.connectionCount).to.equal(0);
    // Each client saw an orderly end of stream.
    expect(await Promise.all(closed)).to.deep.equal(['', '', '']);
  });

  it('close() resolves with ioredis clients connected', async () => {
    server = await startServer({ port: 0 });
    const clients = [new Redis({ port: server.port, lazyConnect: true, retryStrategy: () => null }), new Redis({ port: server.port, lazyConnect: true, retryStrategy: () => null })];
    for (const client of clients) {
      await client.connect();
      await client.ping();
    }
    const ended = clients.map((client) => new Promise((resolve) => client.once('end', resolve)));
    await server.close();
    await Promise.all(ended);
    expect(server.connectionCount).to.equal(0);
  });

  it('close() lets a client mid-pipeline receive the replies to what it sent, then closes', async () => {
    server = await startServer({ port: 0 });
    const socket = await connect(server.port);
    const all = received(socket);
    // 200 complete commands and half of another: the server runs the 200 and waits for the rest.
    let pipeline = '';
    for (let i = 0; i < 200; i++) pipeline += `*3\r\n$3\r\nSET\r\n$4\r\nk${String(i).padStart(3, '0')}\r\n$1\r\nv\r\n`;
    socket.write(`${pipeline}*2\r\n$3\r\nGET\r\n$4\r\nk0`);
    let seen = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString('latin1');
        if (seen.length >= 200 * 5) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    await server.close();
    expect(await all).to.equal('+OK\r\n'.repeat(200));
  });

  it('close() with a pipeline still arriving: every reply sent is whole and in order', async () => {
    server = await startServer({ port: 0 });
    const socket = await connect(server.port);
    await roundTrip(socket);
    const all = received(socket);
    let pipeline = '';
    for (let i = 0; i < 5000; i++) pipeline += 'INCR counter\r\n';
    socket.write(pipeline);
    const closing = server.close();
    await closing;
    const replies = await all;
    // Whatever ran before the close was answered in order; nothing was cut in half.
    const expected = Array.from({ length: 5000 }, (_, i) => `:${i + 1}\r\n`).join('');
    expect(expected.startsWith(replies)).to.equal(true);
    expect(replies === '' || replies.endsWith('\r\n')).to.equal(true);
  });

  it('close() is idempotent and refuses nothing after it resolved', async () => {
    server = await startServer({ port: 0 });
    const port = server.port;
    await Promise.all([server.close(), server.close()]);
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('error', (err: NodeJS.ErrnoException) => {
        expect(err.code).to.equal('ECONNREFUSED');
        resolve();
      });
    });
  });
});
