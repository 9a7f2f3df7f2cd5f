// Starts a real redis-server for differential tests: a free port, a throwaway directory, no
// persistence. When redis-server is missing the tests that need it fail, loudly: CI installs it,
// and a differential suite that skips itself proves nothing.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REDIS_MISSING =
  'redis-server is not installed or not on PATH: the differential tests compare ringcache with a real ' +
  'redis-server and cannot run without it (apt-get install -y redis-server redis-tools)';

export interface RealRedis {
  readonly port: number;
  readonly version: string;
  stop(): Promise<void>;
}

/** The installed redis-server's version, or throws REDIS_MISSING. */
export function redisServerVersion(): string {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(REDIS_MISSING);
  const match = /v=(\S+)/.exec(probe.stdout);
  return match === null ? 'unknown' : match[1];
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `count` different ports nobody listens on right now. They are held together until all are
 * picked: one freePort() after another may get a port back that the previous call just freed.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)))));
  }
}

/** True when something accepts connections on the port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function tryStart(extraArgs: readonly string[], version: string): Promise<RealRedis | null> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ringcache-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) {
      cleanup();
      // Someone took the port between our probe and redis-server's bind: try another one.
      if (/Address already in use/i.test(output)) return null;
      throw new Error(`redis-server exited at start-up (code ${child.exitCode}):\n${output}`);
    }
    if (await portOpen(port)) {
      return {
        port,
        version,
        async stop(): Promise<void> {
          child.kill('SIGTERM');
          await exited(child);
          cleanup();
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  await exited(child);
  cleanup();
  throw new Error(`redis-server did not accept connections on port ${port} within 5 s:\n${output}`);
}

/** A running redis-server on a free port. Throws REDIS_MISSING when it is not installed. */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RealRedis> {
  const version = redisServerVersion();
  for (let attempt = 0; attempt < 5; attempt++) {
    const server = await tryStart(extraArgs, version);
    if (server !== null) return server;
  }
  throw new Error('could not find a free port for redis-server after 5 attempts');
}
