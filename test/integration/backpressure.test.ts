// A client that pipelines many GETs of a big value and never reads its replies: the server must
// stop reading from it once its unsent replies pass the threshold (so the replies it holds stay
// bounded), keep serving everyone else, and finish the job once the client reads again.

import { expect } from 'chai';
import net from 'node:net';
import type { Redis } from 'ioredis';
import type { RingcacheServer } from '../../src/index.js';
import { encodeCommand } from '../helpers/resp-reader.js';
import { startServerWithClient, stopServerWithClient } from '../helpers/server-with-client.js';

const VALUE_BYTES = 256 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('backpressure', () => {
  let server: RingcacheServer;
  let other: Redis;

  beforeEach(async () => {
    ({ server, other } = await startServerWithClient());
  });

  afterEach(() => stopServerWithClient({ server, other }));

  async function slowClient(): Promise<net.Socket> {
    const slow = net.connect({ port: server.port, host: '127.0.0.1' });
    slow.on('error', () => undefined);
    await new Promise((resolve) => slow.once('connect', resolve));
    // Do not read: the server's writes fill the socket buffers and stop draining.
    slow.pause();
    return slow;
  }

  /** Waits until the server's output counter stops moving. */
  async function settle(): Promise<void> {
    const stats = server.core.stats;
    let last = -1;
    for (let i = 0; i < 60 && stats.netOutputBytes !== last; i++) {
      last = stats.netOutputBytes;
      await sleep(50);
    }
  }

  const replyBytes = (gets: number): number => gets * (VALUE_BYTES + `$${VALUE_BYTES}\r\n\r\n`.length);

  it('stops reading a client that does not read its replies, and keeps serving others', async function () {
    this.timeout(30000);
    await other.set('big', Buffer.alloc(VALUE_BYTES, 0x61));
    const stats = server.core.stats;
    const slow = await slowClient();
    // 20000 GETs would be 5 GB of replies; the request bytes alone are 460 KB.
    const pipeline = Buffer.concat(Array.from({ length: 20000 }, () => encodeCommand(['GET', 'big'])));
    const inputBefore = stats.netInputBytes;
    const outputBefore = stats.netOutputBytes;
    slow.write(pipeline);
    await settle();

    const accepted = stats.netInputBytes - inputBefore;
    const produced = stats.netOutputBytes - outputBefore;
    expect(accepted, 'request bytes the server read').to.be.above(0);
    expect(accepted, 'request bytes the server read').to.be.below(pipeline.length / 2);
    // The replies built for it stay within the 4 MB threshold plus what the kernel buffers hold.
    expect(produced, 'reply bytes built for the non-reading client').to.be.below(24 * 1024 * 1024);

    expect(await other.ping()).to.equal('PONG');
    expect((await other.getBuffer('big'))?.length).to.equal(VALUE_BYTES);
    await other.set('meanwhile', '1');
    expect(await other.get('meanwhile')).to.equal('1');

    const clientsBefore = server.core.clients.size;
    slow.destroy();
    for (const deadline = Date.now() + 15000; server.core.clients.size === clientsBefore && Date.now() < deadline; ) await sleep(10);
    expect(server.core.clients.size).to.equal(clientsBefore - 1);
    expect(await other.ping()).to.equal('PONG');
  });

  it('runs the requests it held back once the client reads again: every reply, in order', async function () {
    this.timeout(30000);
    await other.set('big', Buffer.alloc(VALUE_BYTES, 0x62));
    const gets = 400;
    const slow = await slowClient();
    const stats = server.core.stats;
    const outputBefore = stats.netOutputBytes;
    slow.write(Buffer.concat(Array.from({ length: gets }, () => encodeCommand(['GET', 'big']))));
    await settle();
    expect(stats.netOutputBytes - outputBefore).to.be.below(replyBytes(gets) / 4);

    const header = Buffer.from(`$${VALUE_BYTES}\r\n`, 'latin1');
    let received = 0;
    let corrupt = false;
    const done = new Promise<void>((resolve, reject) => {
      slow.on('data', (chunk: Buffer) => {
        // Each reply is header + value + CRLF: check the bytes where every header must start.
        for (let i = 0; i < chunk.length; i++) {
          const at = (received + i) % (header.length + VALUE_BYTES + 2);
          const want = at < header.length ? header[at] : at < header.length + VALUE_BYTES ? 0x62 : at === header.length + VALUE_BYTES ? 13 : 10;
          if (chunk[i] !== want) corrupt = true;
        }
        received += chunk.length;
        if (received >= replyBytes(gets)) resolve();
      });
      slow.once('close', () => reject(new Error(`closed after ${received} of ${replyBytes(gets)} bytes`)));
    });
    slow.resume();
    await done;
    expect(received).to.equal(replyBytes(gets));
    expect(corrupt).to.equal(false);
    slow.destroy();
  });
});
