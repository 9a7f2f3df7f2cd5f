// A client's reply buffer is written over again once the kernel has taken a flush's bytes, and
// kept (up to 1 MB) between flushes: pipelined batches of large values must still arrive byte for
// byte, whether the socket takes each batch at once or the client reads slowly and writes queue
// up. The cron gives an idle client's buffer back.

import { expect } from 'chai';
import net from 'node:net';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { RequestParser } from '../../src/protocol/request-parser.js';
import { runCron } from '../../src/server/cron.js';
import { RawClient } from '../helpers/raw-client.js';
import { Session, resp } from '../helpers/session.js';

const KEYS = 8;
const SIZE = 40 * 1024;
/** A value per key whose every byte says which key and where, so a mixed-up reply shows. */
const valueOf = (k: number): string => Array.from({ length: SIZE }, (_, i) => String.fromCharCode((k * 31 + i) & 0xff)).join('');
const reply = (k: number): string => `$${SIZE}\r\n${valueOf(k)}\r\n`;
const getCommand = (k: number): string => `*2\r\n$3\r\nGET\r\n$${`key${k}`.length}\r\nkey${k}\r\n`;

/**
 * Sends the batches of requests `gapMs` apart, reading nothing for the first `holdMs`, and reads
 * exactly `bytes` bytes.
 */
function exchange(port: number, batches: string[], bytes: number, holdMs: number, gapMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let got = 0;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) {
        socket.destroy();
        resolve(Buffer.concat(chunks).toString('latin1'));
      }
    });
    socket.on('connect', () => {
      if (holdMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), holdMs);
      }
      // Each batch from the previous one's timer: timers of different delays may fire out of order.
      const send = (i: number): void => {
        socket.write(batches[i], 'latin1');
        if (i + 1 < batches.length) setTimeout(() => send(i + 1), gapMs);
      };
      send(0);
    });
  });
}

/** The GETs of `order`, 16 to a batch. */
function batchesOf(order: number[]): string[] {
  const batches: string[] = [];
  for (let i = 0; i < order.length; i += 16) batches.push(order.slice(i, i + 16).map(getCommand).join(''));
  return batches;
}

describe('reply buffer reuse', function () {
  this.timeout(30000);
  let server: RingcacheServer;

  before(async () => {
    server = await startServer({ port: 0 });
    const c = await RawClient.connect(server.port);
    for (let k = 0; k < KEYS; k++) expect(await c.call('SET', `key${k}`, valueOf(k))).to.equal('+OK\r\n');
    await c.close();
  });

  after(() => server.close());

  it('answers pipelined batches of 40 KB values byte for byte, batch after batch', async () => {
    const order = Array.from({ length: 20 * 16 }, (_, i) => (i * 5) % KEYS);
    const expected = order.map(reply).join('');
    const got = await exchange(server.port, [order.map(getCommand).join('')], expected.length, 0, 0);
    expect(got.length).to.equal(expected.length);
    expect(got === expected).to.equal(true);
  });

  it('answers them byte for byte to a client that reads only after its replies queued up', async () => {
    // Batches of 16 (640 KB of replies, a buffer the client keeps) arriving apart, each its own
    // flush: once the kernel's socket buffer is full, the flushes queue in libuv, whose pending
    // bytes must not be written over.
    const order = Array.from({ length: 20 * 16 }, (_, i) => (i * 3) % KEYS);
    const expected = order.map(reply).join('');
    const got = await exchange(server.port, batchesOf(order), expected.length, 500, 10);
    expect(got.length).to.equal(expected.length);
    expect(got === expected).to.equal(true);
  });

  it('lets the cron take back the reply buffer of a client idle for more than 2 s', () => {
    const s = new Session();
    expect(s.call('SET', 'k', 'v')).to.equal(resp.ok);
    const writer = s.client.reply as unknown as { buf: Buffer };
    expect(writer.buf.length).to.equal(16 * 1024);
    s.clock.advance(2000);
    runCron(s.core);
    expect(writer.buf.length).to.equal(16 * 1024);
    s.clock.advance(1);
    runCron(s.core);
    expect(writer.buf.length).to.equal(0);
    expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
  });

  it('lets the cron take back a kept gather buffer of big bulks as it takes back reply buffers', () => {
    const s = new Session();
    const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
    s.client.queryBuffer = parser;
    const gather = (): void => {
      parser.feed(Buffer.from('*2\r\n$4\r\nECHO\r\n$40000\r\n', 'latin1'));
      expect(parser.next()).to.equal(null);
      parser.feed(Buffer.alloc(40_002, 0x0d));
      expect(parser.next()).to.have.length(2);
    };
    const totMem = (): number => Number(/ tot-mem=(\d+) /.exec(s.call('CLIENT', 'INFO'))?.[1]);
    totMem();
    const without = totMem();
    gather();
    expect(totMem() - without, 'counted in tot-mem').to.equal(40_002);
    runCron(s.core);
    expect(parser.keptBytes, 'used since the last tick').to.equal(40_002);
    runCron(s.core);
    expect(parser.keptBytes, 'unused since the last tick').to.equal(0);
    gather();
    s.clock.advance(2001);
    runCron(s.core);
    expect(parser.keptBytes, 'idle client').to.equal(0);
  });

  it('lets the cron take back a large buffer that an active client no longer fills to half', () => {
    const s = new Session();
    const writer = s.client.reply as unknown as { buf: Buffer };
    expect(s.call('SET', 'big', 'x'.repeat(600 * 1024))).to.equal(resp.ok);
    expect(s.call('GET', 'big').length).to.equal(600 * 1024 + 11);
    expect(writer.buf.length).to.equal(1024 * 1024);
    // Used to more than half since the last tick: kept.
    runCron(s.core);
    expect(writer.buf.length).to.equal(1024 * 1024);
    // Then only small replies, the client active all along: given back at the next tick.
    s.clock.advance(100);
    expect(s.call('PING')).to.equal('+PONG\r\n');
    runCron(s.core);
    expect(writer.buf.length).to.equal(0);
    expect(s.call('GET', 'big').length).to.equal(600 * 1024 + 11);
  });
});
