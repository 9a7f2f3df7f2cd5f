// Stopping a running server: SIGTERM, SIGINT and SHUTDOWN stop accepting, send every client the
// replies to the requests already run (here while a client keeps a pipelined burst in flight),
// close every connection, and the command-line server exits 0 with its port closed. An embedded
// server told SHUTDOWN closes without taking its host process down. SHUTDOWN's argument errors
// are compared with redis-server (they never stop either server).

import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { Differential, same } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { BurstClient, incrReplies } from './burst-client.js';
import { killChild, portOpen, startChildServer, type ChildServer } from './child-server.js';

async function askOnce(port: number, ...args: string[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return await client.call(...args);
  } finally {
    await client.close();
  }
}

/** Replies the burst must have received before the stop is asked for: proof it is in full flight. */
const REPLIES_BEFORE_STOP = 20000;

describe('reliability: shutdown', function () {
  // Each test starts a server process (tsx: a second or two here, several on a busy machine).
  this.timeout(90000);

  describe('of the command-line server, under a pipelined burst', () => {
    let server: ChildServer | null = null;
    afterEach(() => killChild(server));

    /** Runs a burst, asks for the stop, and checks what the burst client got and how the server ended. */
    async function stopDuringBurst(stop: (server: ChildServer) => Promise<void>, extraArgs: string[] = []): Promise<void> {
      server = await startChildServer(['--save', '', ...extraArgs]);
      const burst = await BurstClient.connect(server.port);
      burst.start();
      await burst.repliesReach(REPLIES_BEFORE_STOP);
      await stop(server);
      expect(await server.exited).to.equal(0);
      await burst.closed;
      const text = burst.text();
      const complete = text.split('\r\n').length - 1;
      // Every reply sent is whole and in order: the stream stops on a reply boundary.
      expect(complete).to.be.at.least(REPLIES_BEFORE_STOP);
      expect(text === incrReplies(complete), 'replies 1..n, each complete, nothing after').to.equal(true);
      expect(burst.sawEnd, 'the server closed the connection with a FIN, not a reset').to.equal(true);
      expect(await portOpen(server.port)).to.equal(false);
      expect(server.output()).to.include('User requested shutdown...');
      expect(server.output(), server.output()).to.include('ringcache is now ready to exit, bye bye...');
    }

    it('SIGTERM: replies already due arrive, the process exits 0, the port is closed', async () => {
      await stopDuringBurst(async (s) => {
        s.process.kill('SIGTERM');
      });
      expect(server?.output()).to.include('Received SIGTERM scheduling shutdown...');
    });

    it('SIGINT: the same', async () => {
      await stopDuringBurst(async (s) => {
        s.process.kill('SIGINT');
      });
      expect(server?.output()).to.include('Received SIGINT scheduling shutdown...');
    });

    it('SHUTDOWN: the asking client gets the replies before it and none for SHUTDOWN; others get theirs', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringcache-shutdown-'));
      const pidfile = join(dir, 'ringcache.pid');
      try {
        let asker: RawClient | null = null;
        await stopDuringBurst(
          async (s) => {
            expect(readFileSync(pidfile, 'utf8')).to.equal(`${s.pid}\n`);
            asker = await RawClient.connect(s.port);
            // What was sent before SHUTDOWN is answered; SHUTDOWN and what follows it get nothing.
            asker.write('*1\r\n$4\r\nPING\r\n*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n*1\r\n$4\r\nPING\r\n');
          },
          ['--pidfile', pidfile],
        );
        expect(await (asker as unknown as RawClient).readUntilClose()).to.equal('+PONG\r\n');
        expect(existsSync(pidfile)).to.equal(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('of a cluster node, SIGTERM saves the nodes file before the exit', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringcache-shutdown-'));
      try {
        server = await startChildServer(['--save', '', '--cluster-enabled', 'yes', '--dir', dir]);
        const myId = (await askOnce(server.port, 'CLUSTER', 'MYID')).split('\r\n')[1];
        const nodesFile = join(dir, 'nodes.conf');
        expect(readFileSync(nodesFile, 'latin1')).to.include(myId);
        // Gone while it runs: only the save on the way out can bring it back.
        unlinkSync(nodesFile);
        server.process.kill('SIGTERM');
        expect(await server.exited).to.equal(0);
        expect(readFileSync(nodesFile, 'latin1')).to.match(new RegExp(`^${myId} .*myself,master`, 'm'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('of an embedded server', () => {
    let server: RingcacheServer | null = null;
    afterEach(() => server?.close());

    it('SHUTDOWN closes the server and resolves shutdown.done; the host process lives on', async () => {
      server = await startServer({ port: 0 });
      const port = server.port;
      const other = await RawClient.connect(port);
      expect(await other.call('SET', 'k', 'v')).to.equal('+OK\r\n');
      const asker = await RawClient.connect(port);
      asker.write('*1\r\n$8\r\nSHUTDOWN\r\n');
      expect(await server.shutdown.done).to.equal('SHUTDOWN');
      expect(await asker.readUntilClose()).to.equal('');
      expect(await other.readUntilClose()).to.equal('');
      expect(await portOpen(port)).to.equal(false);
      expect(server.shutdown.inProgress).to.equal(true);
    });

    it('a second SHUTDOWN while one is under way joins it', async () => {
      server = await startServer({ port: 0 });
      const a = await RawClient.connect(server.port);
      const b = await RawClient.connect(server.port);
      a.write('*1\r\n$8\r\nSHUTDOWN\r\n');
      b.write('*1\r\n$8\r\nSHUTDOWN\r\n');
      expect(await server.shutdown.done).to.equal('SHUTDOWN');
      expect(await a.readUntilClose()).to.equal('');
      expect(await b.readUntilClose()).to.equal('');
    });
  });

  describe('SHUTDOWN arguments, compared with redis-server', () => {
    const diff = Differential.suite();
    // None of these stops a server: each is refused before anything happens.
    same(diff, 'refuses unknown and contradictory arguments with a syntax error', [
      ['SHUTDOWN', 'FOO'],
      ['SHUTDOWN', 'NOW', 'NOW', 'BAR'],
      ['SHUTDOWN', 'SAVE', 'NOSAVE'],
      ['SHUTDOWN', 'nosave', 'save', 'now'],
      ['SHUTDOWN', 'NOSAVE', 'ABORT'],
      ['SHUTDOWN', 'ABORT', 'NOW'],
      ['SHUTDOWN', 'ABORT', 'FORCE'],
      ['SHUTDOWN', 'SAVE', 'ABORT'],
      ['PING'],
    ]);
    same(diff, 'ABORT with no shutdown in progress', [['SHUTDOWN', 'ABORT'], ['shutdown', 'abort', 'ABORT'], ['PING']]);
    same(diff, 'is refused inside MULTI, which it spoils', [
      ['MULTI'],
      ['SHUTDOWN'],
      ['SHUTDOWN', 'ABORT'],
      ['EXEC'],
      ['PING'],
    ]);
    same(diff, 'COMMAND INFO and COMMAND DOCS', [['COMMAND', 'INFO', 'SHUTDOWN'], ['COMMAND', 'DOCS', 'SHUTDOWN']]);
  });
});
