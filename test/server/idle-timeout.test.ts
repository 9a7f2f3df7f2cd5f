// Which clients `timeout` closes, beyond the plain idle one (test/security/network.test.ts) and
// the subscriber and MONITOR client (reply-buffer-stats.test.ts). Checked on redis-server 7.0.15
// with `timeout 1`, each kept 4 s: a client sending one byte of a request every 400 ms stayed
// (every read is an interaction), and so did a client whose SET CLIENT PAUSE WRITE held (Redis
// blocks it: CLIENT LIST shows flags=b, flags=xb for an EXEC held inside MULTI); a plain idle
// client, one in MULTI and one that unsubscribed from everything were closed within 2 s.
//
// Each test advances the fake clock past the timeout, waits for a control client that must be
// closed (which proves the cron has judged every client since), then checks the one it spares.

import net from 'node:net';
import { expect } from 'chai';
import { startServer, FakeClock, type RingcacheServer } from '../../src/index.js';
import type { Client } from '../../src/server/client.js';
import type { RequestParser } from '../../src/protocol/request-parser.js';
import { RawClient } from '../helpers/raw-client.js';

/** The flags field of client `id`'s line in a CLIENT LIST reply. */
function flagsOf(list: string, id: string): string {
  const line = list.split('\n').find((l) => l.startsWith(`id=${id} `)) as string;
  return (/ flags=(\S+)/.exec(line) as RegExpExecArray)[1];
}

/** The id CLIENT ID answers, as text. */
async function idOf(c: RawClient): Promise<string> {
  const reply = await c.call('CLIENT', 'ID');
  return reply.slice(1, -2);
}

describe('timeout spares clients Redis does not time out', function () {
  this.timeout(10000);
  let server: RingcacheServer;
  let clock: FakeClock;
  const open: RawClient[] = [];

  async function connect(): Promise<RawClient> {
    const c = await RawClient.connect(server.port);
    open.push(c);
    return c;
  }

  /** Past the timeout for anything silent since now, and until the cron has closed `control`. */
  async function timeOut(control: RawClient, ms = 1500): Promise<void> {
    clock.advance(ms);
    expect(await control.readUntilClose()).to.equal('');
  }

  beforeEach(async () => {
    clock = new FakeClock();
    server = await startServer({ port: 0, clock, config: { timeout: 1, hz: 100 } });
  });

  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await server.close();
  });

  it('counts every read as an interaction: a client still sending a request stays', async () => {
    const slow = await connect();
    const control = await connect();
    expect(await slow.call('PING')).to.equal('+PONG\r\n');
    expect(await control.call('PING')).to.equal('+PONG\r\n');
    const parser = (server.core.clients.get(Number(await idOf(slow))) as Client).queryBuffer as RequestParser;
    clock.advance(900);
    const partial = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n01234';
    slow.write(partial);
    // Read by the server at 0.9 s, before the clock moves on.
    while (parser.pendingBytes === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // 1.8 s after both PINGs, 0.9 s after the slow client's last read.
    await timeOut(control, 900);
    expect((await slow.settle(50)).closed).to.equal(false);
    slow.write('56789\r\n');
    expect(await slow.readReply()).to.equal('+OK\r\n');
  });

  it('spares a client whose request CLIENT PAUSE holds, shown with flag b', async () => {
    const admin = await connect();
    const held = await connect();
    const inMulti = await connect();
    const heldId = await idOf(held);
    const multiId = await idOf(inMulti);
    expect(await inMulti.call('MULTI')).to.equal('+OK\r\n');
    expect(await inMulti.call('SET', 'k', 'v')).to.equal('+QUEUED\r\n');
    expect(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE')).to.equal('+OK\r\n');
    held.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    inMulti.write('*1\r\n$4\r\nEXEC\r\n');
    const list = await admin.call('CLIENT', 'LIST');
    expect(flagsOf(list, heldId)).to.equal('b');
    expect(flagsOf(list, multiId)).to.equal('xb');
    await timeOut(admin);
    expect((await held.settle(50)).closed).to.equal(false);
    expect((await inMulti.settle(0)).closed).to.equal(false);
    const unpauser = await connect();
    expect(await unpauser.call('CLIENT', 'UNPAUSE')).to.equal('+OK\r\n');
    expect(await held.readReply()).to.equal('+OK\r\n');
    expect(await inMulti.readReply()).to.equal('*1\r\n+OK\r\n');
    expect(flagsOf(await unpauser.call('CLIENT', 'LIST'), heldId)).to.equal('N');
  });

  it('spares a client waiting on its MIGRATE', async () => {
    // A target that accepts and never answers, until the test lets go of it.
    const held: net.Socket[] = [];
    let released = false;
    const target = net.createServer((socket) => {
      socket.on('error', () => undefined);
      if (released) socket.destroy();
      else held.push(socket);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const migrator = await connect();
      expect(await migrator.call('SET', 'k', 'v')).to.equal('+OK\r\n');
      const control = await connect();
      const port = String((target.address() as net.AddressInfo).port);
      migrator.write(`*6\r\n$7\r\nMIGRATE\r\n$9\r\n127.0.0.1\r\n$${port.length}\r\n${port}\r\n$1\r\nk\r\n$1\r\n0\r\n$5\r\n60000\r\n`);
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await timeOut(control);
      expect((await migrator.settle(50)).closed).to.equal(false);
      released = true;
      for (const socket of held) socket.destroy();
      expect(await migrator.readReply()).to.match(/^-IOERR /);
    } finally {
      released = true;
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
