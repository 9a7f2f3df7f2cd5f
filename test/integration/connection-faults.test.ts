// Clients that misbehave at the socket level must cost nothing to the others: one vanishing in
// the middle of a pipeline, one resetting the connection, one sending garbage.

import { expect } from 'chai';
import net from 'node:net';
import type { Redis } from 'ioredis';
import type { RingcacheServer } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { encodeCommand } from '../helpers/resp-reader.js';
import { startServerWithClient, stopServerWithClient } from '../helpers/server-with-client.js';

function waitFor(condition: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('connection faults', () => {
  let server: RingcacheServer;
  let other: Redis;

  beforeEach(async () => {
    ({ server, other } = await startServerWithClient());
  });

  afterEach(() => stopServerWithClient({ server, other }));

  function halfPipeline(count: number): Buffer {
    const full = Buffer.concat(Array.from({ length: count }, (_, i) => encodeCommand(['SET', `half:${i}`, 'x'.repeat(100)])));
    // Cut in the middle of a bulk, so the server holds a partial request when the peer goes.
    return full.subarray(0, Math.floor(full.length / 2) + 7);
  }

  it('a client vanishing mid-pipeline does not disturb another client', async () => {
    const before = server.core.clients.size;
    const pending = other.pipeline();
    for (let i = 0; i < 200; i++) pending.set(`p:${i}`, String(i));
    const otherDone = pending.exec();

    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(halfPipeline(1000));
    socket.destroy();

    const results = await otherDone;
    expect(results?.map(([err, value]) => [err, value])).to.deep.equal(Array.from({ length: 200 }, () => [null, 'OK']));
    expect(await other.get('p:199')).to.equal('199');
    await waitFor(() => server.core.clients.size === before, 'the vanished client to be removed');
    expect(await other.ping()).to.equal('PONG');
    // The complete requests it sent before vanishing were run; the partial one was not.
    const ran = (await other.mget(Array.from({ length: 1000 }, (_, i) => `half:${i}`))).filter((v) => v !== null);
    expect(ran.length).to.be.above(0);
    expect(ran.length).to.be.below(1000);
    expect(await other.get('half:0')).to.equal('x'.repeat(100));
  });

  it('a reset connection (RST) mid-pipeline is survived', async () => {
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(halfPipeline(500));
    socket.resetAndDestroy();
    expect(await other.set('after', 'reset')).to.equal('OK');
    expect(await other.get('after')).to.equal('reset');
  });

  it('many clients vanishing at once while one keeps working', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect({ port: server.port, host: '127.0.0.1' }, () => resolve(socket));
            socket.on('error', () => undefined);
          }),
      ),
    );
    const work = Promise.all(Array.from({ length: 300 }, (_, i) => other.set(`k:${i}`, String(i))));
    sockets.forEach((socket, i) => {
      socket.write(halfPipeline(50 + i));
      if (i % 2 === 0) socket.destroy();
      else socket.resetAndDestroy();
    });
    expect((await work).every((r) => r === 'OK')).to.equal(true);
    expect(await other.get('k:299')).to.equal('299');
  });

  it('a client sending garbage gets its protocol error, and the others are unaffected', async () => {
    const bad = await RawClient.connect(server.port);
    bad.write(Buffer.from('*1\r\n$4\r\nPING\r\n*zz\r\n', 'latin1'));
    expect(await bad.readUntilClose()).to.equal('+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n');
    expect(await other.ping()).to.equal('PONG');
  });
});
