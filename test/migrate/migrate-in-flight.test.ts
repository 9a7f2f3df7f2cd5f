// Writes racing a MIGRATE. Redis's MIGRATE blocks the whole server, so no client can touch a key
// between the moment it is dumped and the moment it is deleted; ringcache keeps serving while the
// target answers, so writes to the keys in flight must wait for the MIGRATE to settle. Without
// that, a DEL acknowledged in the window is undone by the copy the target keeps.
//
// The target here is a stand-in that reads the RESTORE batch and answers only when the test says.

import { expect } from 'chai';
import net from 'node:net';
import { RequestParser } from '../../src/protocol/request-parser.js';
import { createServer, type RingcacheServer } from '../../src/server/server.js';
import { RawClient } from '../helpers/raw-client.js';
import { encodeCommand } from '../helpers/resp-reader.js';
import { resp } from '../helpers/session.js';

/** A target that records the commands it receives and replies +OK to all of them on release(). */
class HeldTarget {
  readonly commands: string[][] = [];
  private readonly sockets: net.Socket[] = [];
  private answered = 0;
  private waiters: (() => void)[] = [];
  private readonly server = net.createServer((socket) => {
    const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 });
    this.sockets.push(socket);
    socket.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      for (let args = parser.next(); args !== null; args = parser.next()) this.commands.push(args);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves once a RESTORE has arrived. */
  async restoreArrived(): Promise<void> {
    while (!this.commands.some((args) => args[0].toUpperCase() === 'RESTORE')) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  release(): void {
    const pending = this.commands.length - this.answered;
    this.answered = this.commands.length;
    for (const socket of this.sockets) socket.write('+OK\r\n'.repeat(pending));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Replies that arrive within `ms` (none expected while the write is held). */
async function nothingWithin(client: RawClient, ms: number): Promise<string> {
  return (await client.settle(ms)).data;
}

describe('MIGRATE: writes to the keys in flight wait for it to settle', () => {
  let server: RingcacheServer;
  let target: HeldTarget;
  let migrator: RawClient;
  let writer: RawClient;
  let other: RawClient;

  beforeEach(async () => {
    server = createServer({ port: 0 });
    await server.listen();
    target = new HeldTarget();
    migrator = await RawClient.connect(server.port);
    writer = await RawClient.connect(server.port);
    other = await RawClient.connect(server.port);
  });

  afterEach(async () => {
    await Promise.all([migrator.close(), writer.close(), other.close()]);
    await target.close();
    await server.close();
  });

  async function startMigration(...keys: string[]): Promise<void> {
    const port = String(await target.listen());
    const args = keys.length === 1 ? ['MIGRATE', '127.0.0.1', port, keys[0], '0', '5000'] : ['MIGRATE', '127.0.0.1', port, '', '0', '5000', 'KEYS', ...keys];
    migrator.write(encodeCommand(args));
    await target.restoreArrived();
  }

  it('holds a DEL of a key in flight, so the key does not come back from the target', async () => {
    expect(await writer.call('SET', 'k', 'v')).to.equal(resp.ok);
    await startMigration('k');
    writer.write(encodeCommand(['DEL', 'k']));
    expect(await nothingWithin(writer, 100)).to.equal('');
    // Reads and writes to other keys are served meanwhile.
    expect(await other.call('GET', 'k')).to.equal(resp.bulk('v'));
    expect(await other.call('SET', 'x', '1')).to.equal(resp.ok);
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    // The DEL runs after the key has left: nothing here to delete, as after a blocking MIGRATE.
    expect(await writer.readReply()).to.equal(resp.int(0));
    expect(await other.call('EXISTS', 'k')).to.equal(resp.int(0));
  });

  it('holds EXPIRE and SET on a key in flight, then runs them on what is left here', async () => {
    expect(await writer.call('MSET', 'a', '1', 'b', '2')).to.equal(resp.ok);
    await startMigration('a', 'b');
    writer.write(Buffer.concat([encodeCommand(['EXPIRE', 'a', '100']), encodeCommand(['SET', 'b', 'new'])]));
    expect(await nothingWithin(writer, 100)).to.equal('');
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    expect(await writer.readReply()).to.equal(resp.int(0));
    expect(await writer.readReply()).to.equal(resp.ok);
    expect(await other.call('MGET', 'a', 'b')).to.equal(resp.array([resp.nil, resp.bulk('new')]));
  });

  it('holds an EXEC whose transaction writes a key in flight, but not the queueing', async () => {
    expect(await writer.call('SET', 'k', 'v')).to.equal(resp.ok);
    await startMigration('k');
    expect(await writer.call('MULTI')).to.equal(resp.ok);
    expect(await writer.call('INCR', 'n')).to.equal('+QUEUED\r\n');
    expect(await writer.call('DEL', 'k')).to.equal('+QUEUED\r\n');
    writer.write(encodeCommand(['EXEC']));
    expect(await nothingWithin(writer, 100)).to.equal('');
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    expect(await writer.readReply()).to.equal(resp.array([resp.int(1), resp.int(0)]));
  });

  it('follows the SELECTs queued in a transaction to the database of the key in flight', async () => {
    expect(await migrator.call('SELECT', '1')).to.equal(resp.ok);
    expect(await migrator.call('SET', 'k', 'v')).to.equal(resp.ok);
    await startMigration('k');
    for (const args of [['MULTI'], ['SELECT', '1'], ['DEL', 'k']]) writer.write(encodeCommand(args));
    expect(await writer.readReply()).to.equal(resp.ok);
    expect(await writer.readReply()).to.equal('+QUEUED\r\n');
    expect(await writer.readReply()).to.equal('+QUEUED\r\n');
    writer.write(encodeCommand(['EXEC']));
    expect(await nothingWithin(writer, 100)).to.equal('');
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    expect(await writer.readReply()).to.equal(resp.array([resp.ok, resp.int(0)]));
  });

  it('holds nothing for MIGRATE ... COPY, which leaves the key here', async () => {
    expect(await writer.call('SET', 'k', 'v')).to.equal(resp.ok);
    const port = String(await target.listen());
    migrator.write(encodeCommand(['MIGRATE', '127.0.0.1', port, 'k', '0', '5000', 'COPY']));
    await target.restoreArrived();
    expect(await writer.call('DEL', 'k')).to.equal(resp.int(1));
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    expect(await other.call('EXISTS', 'k')).to.equal(resp.int(0));
  });

  it('holds FLUSHDB, which would touch the key in flight, until the target answers', async () => {
    expect(await writer.call('SET', 'k', 'v')).to.equal(resp.ok);
    await startMigration('k');
    writer.write(encodeCommand(['FLUSHDB']));
    expect(await nothingWithin(writer, 100)).to.equal('');
    target.release();
    expect(await migrator.readReply()).to.equal(resp.ok);
    expect(await writer.readReply()).to.equal(resp.ok);
    expect(await other.call('DBSIZE')).to.equal(resp.int(0));
  });

  it('lets a held write run when the MIGRATE fails, on the key that stayed', async () => {
    expect(await writer.call('SET', 'k', 'v')).to.equal(resp.ok);
    await startMigration('k');
    writer.write(encodeCommand(['APPEND', 'k', 'w']));
    expect(await nothingWithin(writer, 100)).to.equal('');
    await target.close();
    // The target hung up: an IOERR (which phase depends on when the retry notices).
    expect(await migrator.readReply()).to.match(/^-IOERR error or timeout (reading|writing) to target instance\r\n$/);
    expect(await writer.readReply()).to.equal(resp.int(2));
    expect(await other.call('GET', 'k')).to.equal(resp.bulk('vw'));
  });
});
