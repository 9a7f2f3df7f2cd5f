// `ringcache-server --cluster-local 3`: one launcher, three node processes on consecutive ports
// that form one cluster; a node killed with SIGKILL comes back with its id, and SIGTERM to the
// launcher stops every node.

import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { SLOT_COUNT, keySlot } from '../../src/cluster/crc16.js';
import { ROOT, ensureBuilt } from '../packaging/pack-helpers.js';

const BIN = join(ROOT, 'bin/ringcache-server');
const NODES = 3;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A base port with the next NODES ports free too. Below Linux's ephemeral range (32768 and up by
 * default), which outgoing connections and port-0 listeners draw from, so nothing else on the
 * machine is handed one of these ports between this check and the launcher's bind.
 */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    const free = await Promise.all(Array.from({ length: NODES }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One command on a fresh connection; null while the node does not answer. */
async function ask(port: number, ...args: string[]): Promise<string | null> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return String(await client.call(args[0], ...args.slice(1)));
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

/** Polls `probe` every 50 ms until it gives a value; the deadline is far past what an idle machine needs (seconds). */
async function until<T>(what: string, probe: () => Promise<T | null | false>, ms = 45000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function processId(info: string): number {
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

describe('cli: --cluster-local', function () {
  this.timeout(180000);
  let launcher: ChildProcess;
  let output = '';
  let base: number;
  let dir: string;
  let ports: number[];

  before(async () => {
    ensureBuilt();
    if (!existsSync(join(ROOT, 'dist/src/cli/cluster-local.js'))) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
    }
    dir = mkdtempSync(join(tmpdir(), 'ringcache-cluster-local-'));
    base = await freeBase();
    ports = Array.from({ length: NODES }, (_, i) => base + i);
    launcher = spawn(BIN, ['--cluster-local', String(NODES), '--port', String(base), '--dir', dir, '--maxmemory', '50mb'], { stdio: ['ignore', 'pipe', 'pipe'] });
    launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await until('the launcher to say the cluster is ready', async () => output.includes('Cluster ready'));
  });

  after(() => {
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where the nodes listen', () => {
    const list = ports.map((port) => `127.0.0.1:${port}`).join(',');
    expect(output).to.include(`Cluster ready: 3 nodes on ${list}; connect with: redis-cli -c -p ${base}`);
  });

  it('runs every node in its own process, with the options passed through', async () => {
    const pids = new Set<number>();
    for (const port of ports) {
      expect(await ask(port, 'PING')).to.equal('PONG');
      pids.add(processId((await ask(port, 'INFO', 'server')) as string));
      expect(await ask(port, 'CONFIG', 'GET', 'maxmemory')).to.equal(`maxmemory,${50 * 1024 * 1024}`);
      expect(await ask(port, 'CONFIG', 'GET', 'cluster-config-file')).to.equal(`cluster-config-file,nodes-${port}.conf`);
      expect(existsSync(join(dir, `nodes-${port}.conf`))).to.equal(true);
    }
    expect(pids.size).to.equal(NODES);
    expect(pids.has(launcher.pid as number)).to.equal(false);
  });

  it('forms one cluster: three masters covering the 16384 slots', async () => {
    const nodes = ((await ask(base + 1, 'CLUSTER', 'NODES')) as string).trim().split('\n');
    expect(nodes).to.have.length(NODES);
    let covered = 0;
    for (const [i, port] of ports.entries()) {
      const line = nodes.find((l) => l.split(' ')[1] === `127.0.0.1:${port}@${port + 10000}`) as string;
      expect(line, `node ${port}`).to.be.a('string');
      const fields = line.split(' ');
      expect(fields[2]).to.equal(i === 1 ? 'myself,master' : 'master');
      expect(fields[7]).to.equal('connected');
      for (const range of fields.slice(8)) {
        const [start, end = start] = range.split('-').map(Number);
        covered += end - start + 1;
      }
    }
    expect(covered).to.equal(SLOT_COUNT);
    expect(await ask(base, 'CLUSTER', 'INFO')).to.include('cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n');
  });

  it('serves an ioredis Cluster across slots and nodes', async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: base }]);
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `key:${i}`);
      for (const key of keys) expect(await client.set(key, `value of ${key}`)).to.equal('OK');
      for (const key of keys) expect(await client.get(key)).to.equal(`value of ${key}`);
      // The keys really were spread: each node holds some of them.
      for (const port of ports) expect(Number(await ask(port, 'DBSIZE'))).to.be.greaterThan(0);
      expect(new Set(keys.map(keySlot)).size).to.equal(keys.length);
    } finally {
      client.disconnect();
    }
  });

  it('restarts a node killed with SIGKILL, with the same node id, and the cluster is ok again', async () => {
    const victim = base + 1;
    const id = (await ask(victim, 'CLUSTER', 'MYID')) as string;
    const pid = processId((await ask(victim, 'INFO', 'server')) as string);
    process.kill(pid, 'SIGKILL');
    await until('the node to come back', async () => {
      const info = await ask(victim, 'INFO', 'server');
      return info !== null && processId(info) !== pid;
    });
    expect(alive(pid)).to.equal(false);
    expect(await ask(victim, 'CLUSTER', 'MYID')).to.equal(id);
    expect(output).to.include(`Node on port ${victim} (pid ${pid}) died (killed by SIGKILL); restarting it in 0.25s`);
    for (const port of ports) {
      await until(`cluster_state:ok on ${port}`, async () => (await ask(port, 'CLUSTER', 'INFO'))?.includes('cluster_state:ok') ?? false);
    }
    expect((await ask(victim, 'CLUSTER', 'NODES'))?.split('\n').filter((l) => l.includes(id))).to.have.length(1);
  });

  it('stops every node on SIGTERM and exits 0', async () => {
    const pids = await Promise.all(ports.map(async (port) => processId((await ask(port, 'INFO', 'server')) as string)));
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(output).to.include('Received SIGTERM: stopping the 3 nodes...');
    expect(output).to.include('All nodes stopped, bye bye...');
    for (const pid of pids) expect(alive(pid), `node pid ${pid}`).to.equal(false);
    for (const port of ports) expect(await accepts(port), `port ${port}`).to.equal(false);
  });
});

describe('cli: --cluster-local refuses overlapping port ranges', () => {
  before(function () {
    this.timeout(120000);
    ensureBuilt();
  });

  it('names the clash when metrics-port would give a node another node\'s port', () => {
    let failure: { status: number | null; stderr: string } | null = null;
    try {
      execFileSync(BIN, ['--cluster-local', '3', '--port', '7000', '--metrics-port', '7001'], { encoding: 'utf8', stdio: 'pipe', timeout: 10000 });
    } catch (err) {
      failure = err as { status: number | null; stderr: string };
    }
    expect(failure?.status).to.equal(1);
    expect(failure?.stderr).to.equal('error: --cluster-local 3 gives node 1 metrics-port 7001, which is also a node\'s port: pick ranges 3 ports apart\n');
  });
});
