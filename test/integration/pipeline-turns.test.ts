// A pipeline longer than one turn of work: the server runs part of it, lets the event loop turn,
// and goes on. Replies must still come back complete and in request order, and a second client
// must be served while the long pipeline is in progress.

import { expect } from 'chai';
import net from 'node:net';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { encodeCommand, replyEnd } from '../helpers/resp-reader.js';

const COMMANDS = 60_000;

/** Sends `payload` and collects replies until `count` of them have arrived. */
function exchange(port: number, payload: Buffer, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const replies: string[] = [];
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      let at = 0;
      for (;;) {
        const end = replyEnd(buf, at);
        if (end === -1) break;
        replies.push(buf.toString('latin1', at, end));
        at = end;
      }
      buf = buf.subarray(at);
      if (replies.length >= count) {
        socket.end();
        resolve(replies);
      }
    });
    socket.write(payload);
  });
}

describe('long pipelines', () => {
  let server: RingcacheServer;

  beforeEach(async () => {
    server = await startServer({ port: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers every request of a long pipeline in order, across turns of the event loop', async function () {
    this.timeout(20000);
    const payload = Buffer.concat(Array.from({ length: COMMANDS }, () => encodeCommand(['INCR', 'n'])));
    const other = exchange(server.port, encodeCommand(['PING']), 1);
    const replies = await exchange(server.port, payload, COMMANDS);
    expect(replies.length).to.equal(COMMANDS);
    for (let i = 0; i < COMMANDS; i++) {
      if (replies[i] !== `:${i + 1}\r\n`) expect.fail(`reply ${i} is ${JSON.stringify(replies[i])}`);
    }
    expect(await other).to.deep.equal(['+PONG\r\n']);
    const check = await exchange(server.port, encodeCommand(['GET', 'n']), 1);
    expect(check).to.deep.equal([`$${String(COMMANDS).length}\r\n${COMMANDS}\r\n`]);
  });

  it('keeps the replies of pipelined commands in order when a client interleaves writes', async function () {
    this.timeout(20000);
    const parts: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) {
      parts.push(encodeCommand(['SET', `k${i}`, `v${i}`]), encodeCommand(['GET', `k${i}`]));
    }
    const replies = await exchange(server.port, Buffer.concat(parts), 40_000);
    for (let i = 0; i < 20_000; i++) {
      const value = `v${i}`;
      if (replies[2 * i] !== '+OK\r\n' || replies[2 * i + 1] !== `$${value.length}\r\n${value}\r\n`) {
        expect.fail(`replies ${2 * i}, ${2 * i + 1}: ${JSON.stringify(replies.slice(2 * i, 2 * i + 2))}`);
      }
    }
  });
});
