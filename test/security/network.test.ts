// Security over TCP: AUTH on a real connection, protected mode, maxclients, idle timeout,
// client-output-buffer-limit, and TLS with redis-cli and ioredis (throwaway certificate).

import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { ERR_DENIED_PROTECTED_MODE } from '../../src/errors.js';
import { RawClient } from '../helpers/raw-client.js';
import { freePort } from '../helpers/redis-server.js';

/** Everything a client gets from `host` sent from `localAddress` until the server closes. */
function readAllFrom(port: number, localAddress: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(request));
    socket.on('close', () => resolve(data));
    // Only a server that never closes meets this; a busy machine may take seconds to answer.
    setTimeout(() => socket.destroy(), 15000).unref();
  });
}

/** Polls until `done` holds; the test's own timeout bounds the wait. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** redis-cli runs beside the in-process server, so it must not block the event loop. */
async function redisCli(args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('redis-cli', args, { encoding: 'latin1', timeout: 15000 });
    return stdout;
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string };
    return `failed: ${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
}


describe('security over TCP', function () {
  this.timeout(20000);
  let server: RingcacheServer | null = null;

  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('requires AUTH with requirepass and accepts ACL users', async () => {
    server = await startServer({ port: 0, config: { requirepass: 'secret' } });
    const c = await RawClient.connect(server.port);
    expect(await c.call('GET', 'k')).to.equal('-NOAUTH Authentication required.\r\n');
    expect(await c.call('AUTH', 'bad')).to.equal('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await c.call('AUTH', 'secret')).to.equal('+OK\r\n');
    expect(await c.call('ACL', 'SETUSER', 'app', 'on', '>apppw', '~app:*', '+@read', '+set')).to.equal('+OK\r\n');
    const d = await RawClient.connect(server.port);
    expect(await d.call('AUTH', 'app', 'apppw')).to.equal('+OK\r\n');
    expect(await d.call('SET', 'app:1', 'v')).to.equal('+OK\r\n');
    expect(await d.call('SET', 'other', 'v')).to.equal('-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
    expect(await d.call('DEL', 'app:1')).to.equal("-NOPERM this user has no permissions to run the 'del' command\r\n");
    await c.close();
    await d.close();
  });

  describe('protected mode', () => {
    // Redis 7.0 treats only 127.0.0.1 and ::1 as local, so a client from 127.0.0.2 stands for a
    // remote one while every byte stays on this machine.
    it('refuses a non-loopback peer when the default user has no password', async () => {
      server = await startServer({ port: 0 });
      const before = server.core.stats.rejectedConnections;
      expect(await readAllFrom(server.port, '127.0.0.2', 'PING\r\n')).to.equal(`-${ERR_DENIED_PROTECTED_MODE}\r\n`);
      expect(server.core.stats.rejectedConnections).to.equal(before + 1);
      const local = await RawClient.connect(server.port);
      expect(await local.call('PING')).to.equal('+PONG\r\n');
      await local.close();
    });

    it('lets the peer in with a password or with protected-mode off', async () => {
      server = await startServer({ port: 0, config: { requirepass: 'pw' } });
      expect(await readAllFrom(server.port, '127.0.0.2', 'PING\r\nQUIT\r\n')).to.equal('-NOAUTH Authentication required.\r\n+OK\r\n');
      await server.close();
      server = await startServer({ port: 0, config: { 'protected-mode': 'no' } });
      expect(await readAllFrom(server.port, '127.0.0.2', 'PING\r\nQUIT\r\n')).to.equal('+PONG\r\n+OK\r\n');
    });

    it('follows CONFIG SET protected-mode at once', async () => {
      server = await startServer({ port: 0 });
      const admin = await RawClient.connect(server.port);
      expect(await admin.call('CONFIG', 'SET', 'protected-mode', 'no')).to.equal('+OK\r\n');
      expect(await readAllFrom(server.port, '127.0.0.2', 'PING\r\nQUIT\r\n')).to.equal('+PONG\r\n+OK\r\n');
      await admin.close();
    });
  });

  it('refuses clients past maxclients with Redis error', async () => {
    server = await startServer({ port: 0, config: { maxclients: 2 } });
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    expect(await a.call('PING')).to.equal('+PONG\r\n');
    expect(await b.call('PING')).to.equal('+PONG\r\n');
    const c = await RawClient.connect(server.port);
    expect(await c.readUntilClose()).to.equal('-ERR max number of clients reached\r\n');
    await a.close();
    await b.close();
  });

  it('a refused client that never closes its side does not hold close()', async () => {
    server = await startServer({ port: 0, config: { maxclients: 1 } });
    const a = await RawClient.connect(server.port);
    expect(await a.call('PING')).to.equal('+PONG\r\n');
    // allowHalfOpen: this peer reads the refusal and its end, but never ends its own side.
    const stubborn = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    const refusal = await new Promise<string>((resolve) => {
      let text = '';
      stubborn.on('data', (d: Buffer) => (text += d.toString('latin1')));
      stubborn.once('end', () => resolve(text));
    });
    expect(refusal).to.equal('-ERR max number of clients reached\r\n');
    await a.close();
    await server.close();
    stubborn.destroy();
  });

  it('closes clients idle past timeout', async () => {
    const clock = new FakeClock();
    server = await startServer({ port: 0, clock, config: { timeout: 1, hz: 100 } });
    const idle = await RawClient.connect(server.port);
    expect(await idle.call('PING')).to.equal('+PONG\r\n');
    clock.advance(500);
    const busy = await RawClient.connect(server.port);
    expect(await busy.call('PING')).to.equal('+PONG\r\n');
    clock.advance(600);
    // Only the client idle for more than a second is closed.
    expect(await idle.readUntilClose()).to.equal('');
    expect(await busy.call('PING')).to.equal('+PONG\r\n');
    await busy.close();
  });

  describe('client-output-buffer-limit', () => {
    it('reads and sets the setting in Redis format', async () => {
      server = await startServer({ port: 0 });
      const c = await RawClient.connect(server.port);
      const get = (): Promise<string> => c.call('CONFIG', 'GET', 'client-output-buffer-limit');
      const value = (v: string): string => `*2\r\n$26\r\nclient-output-buffer-limit\r\n$${v.length}\r\n${v}\r\n`;
      expect(await get()).to.equal(value('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 2mb 3')).to.equal('+OK\r\n');
      expect(await get()).to.equal(value('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2097152 3'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1k 2 3')).to.equal('+OK\r\n');
      expect(await get()).to.equal(value('normal 0 0 0 slave 1000 2 3 pubsub 1048576 2097152 3'));
      const failed = (reason: string): string => `-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ${reason}\r\n`;
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 2mb')).to.equal(failed('Wrong number of arguments in buffer limit configuration.'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'foo 1 2 3')).to.equal(failed('Invalid client class specified in buffer limit configuration.'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3')).to.equal(failed('Invalid client class specified in buffer limit configuration.'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal x 2 3')).to.equal(failed('Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
      expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal -1 0 0')).to.equal(failed('Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
      await c.close();
    });

    it('disconnects a client that never reads once past the hard limit', async () => {
      server = await startServer({ port: 0, config: { 'client-output-buffer-limit': 'normal 2mb 0 0' } });
      const admin = await RawClient.connect(server.port);
      expect(await admin.call('SET', 'big', 'x'.repeat(1024 * 1024))).to.equal('+OK\r\n');
      const before = process.memoryUsage().rss;
      const greedy = net.connect({ port: server.port, host: '127.0.0.1' });
      greedy.on('error', () => undefined);
      // Never read: pause at once, then ask for 200 MB of replies.
      greedy.pause();
      await new Promise<void>((resolve) => greedy.on('connect', () => resolve()));
      greedy.write('GET big\r\n'.repeat(200));
      // The paused client cannot see the close itself; the server's side of it is gone.
      const running = server;
      await waitFor(() => running.connectionCount === 1);
      greedy.destroy();
      expect(await admin.call('PING')).to.equal('+PONG\r\n');
      // Far less than the 200 MB asked for stayed in the server.
      expect(process.memoryUsage().rss - before).to.be.below(100 * 1024 * 1024);
      await admin.close();
    });

    it('counts only what passes the first 16 KB of replies, as Redis does for a new client', async () => {
      // Redis's client has a 16 KB reply buffer the limits do not count: with a hard limit of one
      // byte, redis-server 7.0 still sends a new client a 16380-byte reply, and closes the client
      // (sending nothing of it) at a 20000-byte one.
      server = await startServer({ port: 0 });
      const admin = await RawClient.connect(server.port);
      expect(await admin.call('SET', 'edge', 'x'.repeat(16370))).to.equal('+OK\r\n');
      expect(await admin.call('SET', 'big', 'x'.repeat(20000))).to.equal('+OK\r\n');
      expect(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 0 0')).to.equal('+OK\r\n');
      expect(await admin.call('PING')).to.equal('+PONG\r\n');
      const reader = await RawClient.connect(server.port);
      expect(await reader.call('GET', 'edge')).to.equal(`$16370\r\n${'x'.repeat(16370)}\r\n`);
      reader.write('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n');
      expect(await reader.readUntilClose()).to.equal('');
      expect(await admin.call('PING')).to.equal('+PONG\r\n');
      await admin.close();
    });

    it('keeps a reading client under the same limit connected', async () => {
      server = await startServer({ port: 0, config: { 'client-output-buffer-limit': 'normal 2mb 0 0' } });
      const c = await RawClient.connect(server.port);
      expect(await c.call('SET', 'big', 'x'.repeat(512 * 1024))).to.equal('+OK\r\n');
      for (let i = 0; i < 5; i++) expect((await c.call('GET', 'big')).length).to.equal(512 * 1024 + 11);
      expect(await c.call('PING')).to.equal('+PONG\r\n');
      await c.close();
    });
  });

  describe('TLS', () => {
    let dir: string;
    let cert: string;
    let key: string;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ringcache-tls-'));
      cert = join(dir, 'cert.pem');
      key = join(dir, 'key.pem');
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
      ], { stdio: 'ignore' });
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    async function startTls(auth: string): Promise<number> {
      const tlsPort = await freePort();
      server = await startServer({
        port: 0,
        config: { 'tls-port': tlsPort, 'tls-cert-file': cert, 'tls-key-file': key, 'tls-ca-cert-file': cert, 'tls-auth-clients': auth },
      });
      return tlsPort;
    }

    it('serves redis-cli --tls', async () => {
      const port = await startTls('no');
      expect(await redisCli(['--tls', '--cacert', cert, '-h', '127.0.0.1', '-p', String(port), 'ping'])).to.equal('PONG\n');
      // A plain-text client on the TLS port gets nothing it can read as a reply.
      expect(await redisCli(['-h', '127.0.0.1', '-p', String(port), 'ping'])).not.to.equal('PONG\n');
    });

    it('with tls-auth-clients optional, takes clients with or without a certificate', async () => {
      const port = await startTls('optional');
      const args = ['--tls', '--cacert', cert, '-h', '127.0.0.1', '-p', String(port)];
      expect(await redisCli([...args, 'ping'])).to.equal('PONG\n');
      expect(await redisCli([...args, '--cert', cert, '--key', key, 'ping'])).to.equal('PONG\n');
    });

    it('serves ioredis with tls', async () => {
      const port = await startTls('no');
      const redis = new Redis({ port, host: '127.0.0.1', tls: { ca: readFileSync(cert) }, lazyConnect: true, maxRetriesPerRequest: 0 });
      await redis.connect();
      expect(await redis.set('k', 'v')).to.equal('OK');
      expect(await redis.get('k')).to.equal('v');
      redis.disconnect();
    });

    it('with tls-auth-clients yes, wants a client certificate', async () => {
      const port = await startTls('yes');
      const args = ['--tls', '--cacert', cert, '-h', '127.0.0.1', '-p', String(port)];
      expect(await redisCli([...args, '--cert', cert, '--key', key, 'ping'])).to.equal('PONG\n');
      expect(await redisCli([...args, 'ping'])).not.to.equal('PONG\n');
    });
  });
});
