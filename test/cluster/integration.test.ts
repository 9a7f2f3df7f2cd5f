import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { createCluster } from 'redis';
import { keySlot } from '../../src/cluster/crc16.js';
import { startCluster, startServer, type LocalCluster } from '../../src/index.js';
import { freePort, freePorts } from '../helpers/redis-server.js';

const run = promisify(execFile);

async function redisCli(...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', args, { encoding: 'latin1', timeout: 10000 });
  return stdout;
}

/** Sends raw bytes and resolves with what arrived once the reply looks complete. */
function rawExchange(port: number, request: string, complete: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (complete(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.write(request, 'latin1');
  });
}

function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;
}

/** The port of each slot's owner, read from CLUSTER NODES lines. */
function ownersFromNodes(nodesText: string): Int32Array {
  const owners = new Int32Array(16384).fill(-1);
  for (const line of nodesText.trim().split('\n')) {
    const fields = line.split(' ');
    const port = Number(fields[1].split(':')[1].split('@')[0]);
    for (const range of fields.slice(8)) {
      const [start, end] = range.split('-').map(Number);
      owners.fill(port, start, (end ?? start) + 1);
    }
  }
  return owners;
}

function ownerFromNodes(nodesText: string, slot: number): number {
  return ownersFromNodes(nodesText)[slot];
}

describe('a 3-node in-process cluster', function () {
  let cluster: LocalCluster;

  before(async () => {
    cluster = await startCluster({ nodes: 3 });
  });

  after(async () => {
    await cluster.close();
  });

  it('returns the seed addresses of its nodes', () => {
    expect(cluster.seeds).to.have.length(3);
    for (const [i, seed] of cluster.seeds.entries()) expect(seed).to.deep.equal({ host: '127.0.0.1', port: cluster.servers[i].port });
  });

  it('answers MOVED with the slot and the owner\'s address, as CLUSTER NODES shows it', async () => {
    const port = cluster.seeds[0].port;
    const nodes = await redisCli('-p', String(port), 'CLUSTER', 'NODES');
    for (let i = 0; ; i++) {
      const key = `key:${i}`;
      const owner = ownerFromNodes(nodes, keySlot(key));
      if (owner === port) continue;
      const reply = await rawExchange(port, command('GET', key), (t) => t.endsWith('\r\n'));
      expect(reply).to.equal(`-MOVED ${keySlot(key)} 127.0.0.1:${owner}\r\n`);
      break;
    }
  });

  it('shows one view: every node lists the same ids and ranges, each marking itself', async () => {
    const views = await Promise.all(cluster.seeds.map((seed) => redisCli('-p', String(seed.port), 'CLUSTER', 'NODES')));
    // Pong times aside (each node stamps its own), the views are byte-identical.
    const strip = (view: string): string =>
      view.replace('myself,', '').split('\n').map((line) => line.split(' ').map((f, i) => (i === 5 ? 'T' : f)).join(' ')).join('\n');
    for (const [i, view] of views.entries()) {
      expect(strip(view)).to.equal(strip(views[0]));
      const myself = view.split('\n').find((line) => line.includes(' myself,master '));
      expect(myself?.split(' ')[1]).to.equal(`127.0.0.1:${cluster.seeds[i].port}@${cluster.seeds[i].port + 10000}`);
      expect(myself?.split(' ')[0]).to.equal((await redisCli('-p', String(cluster.seeds[i].port), 'CLUSTER', 'MYID')).trim());
    }
  });

  it('gives CLUSTER SLOTS integer slots and ports and the ids of CLUSTER NODES', async () => {
    const client = new Redis(cluster.seeds[1].port);
    try {
      const slots = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string, unknown[]]][];
      const nodes = (await client.call('CLUSTER', 'NODES')) as string;
      const owners = ownersFromNodes(nodes);
      const idByPort = new Map(nodes.trim().split('\n').map((line) => [Number(line.split(' ')[1].split(':')[1].split('@')[0]), line.split(' ')[0]]));
      let next = 0;
      for (const [start, end, [host, port, id, meta]] of slots) {
        expect(start).to.equal(next);
        expect(end).to.be.at.least(start);
        expect(host).to.equal('127.0.0.1');
        expect(meta).to.deep.equal([]);
        expect(owners.subarray(start, end + 1).every((owner) => owner === port)).to.equal(true);
        expect(id).to.equal(idByPort.get(port));
        next = end + 1;
      }
      expect(next).to.equal(16384);
    } finally {
      client.disconnect();
    }
  });

  it('serves ioredis Cluster: 1000 keys set and read back across slots', async () => {
    const client = new Cluster(cluster.seeds);
    try {
      const keys = Array.from({ length: 1000 }, (_, i) => `user:${i}`);
      await Promise.all(keys.map((key, i) => client.set(key, `value-${i}`)));
      const values = await Promise.all(keys.map((key) => client.get(key)));
      expect(values).to.deep.equal(keys.map((_, i) => `value-${i}`));
      expect(await client.mset({ '{t}a': '1', '{t}b': '2' })).to.equal('OK');
      expect(await client.mget('{t}a', '{t}b')).to.deep.equal(['1', '2']);
      const sizes = await Promise.all(cluster.seeds.map((seed) => redisCli('-p', String(seed.port), 'DBSIZE')));
      expect(sizes.map(Number).reduce((a, b) => a + b)).to.equal(1002);
      for (const size of sizes) expect(Number(size)).to.be.greaterThan(200);
    } finally {
      client.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    it(`serves node-redis createCluster over RESP${RESP}`, async () => {
      const client = createCluster({ rootNodes: cluster.seeds.map((s) => ({ url: `redis://${s.host}:${s.port}` })), RESP });
      client.on('error', () => undefined);
      await client.connect();
      try {
        for (let i = 0; i < 200; i++) await client.set(`nr${RESP}:${i}`, String(i));
        for (let i = 0; i < 200; i++) expect(await client.get(`nr${RESP}:${i}`)).to.equal(String(i));
        expect(await client.incr(`nr${RESP}:counter`)).to.equal(1);
      } finally {
        await client.close();
      }
    });
  }

  it('lets redis-cli -c follow MOVED', async () => {
    const port = String(cluster.seeds[2].port);
    expect(await redisCli('-c', '-p', port, 'SET', 'foo', 'bar')).to.equal('OK\n');
    expect(await redisCli('-c', '-p', port, 'GET', 'foo')).to.equal('bar\n');
  });

  it('passes redis-cli --cluster check: all nodes agree, all 16384 slots covered', async () => {
    const output = await redisCli('--cluster', 'check', `127.0.0.1:${cluster.seeds[0].port}`);
    expect(output).to.include('[OK] All nodes agree about slots configuration.');
    expect(output).to.include('[OK] All 16384 slots covered.');
    expect(output).to.not.include('[ERR]');
    expect(output).to.not.include('[WARNING]');
  });

  it('says cluster_enabled:1 in INFO', async () => {
    const reply = await rawExchange(cluster.seeds[0].port, command('INFO', 'cluster'), (t) => t.length >= 37);
    expect(reply).to.equal('$30\r\n# Cluster\r\ncluster_enabled:1\r\n\r\n');
  });
});

describe('cluster nodes in separate servers, given one cluster-nodes list', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ringcache-peers-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('learn each other\'s ids, and report a node that stopped answering while serving their own slots', async () => {
    const ports = await freePorts(2);
    const config = (port: number): Record<string, string | number> => ({
      'cluster-enabled': 'yes',
      'cluster-nodes': ports.map((p) => `127.0.0.1:${p}`).join(','),
      'cluster-config-file': `nodes-${port}.conf`,
      'cluster-node-timeout': 300,
      dir,
    });
    const servers = await Promise.all(ports.map((port) => startServer({ port, config: config(port) })));
    try {
      const ids = servers.map((s) => s.core.cluster?.myId as string);
      const view = (port: number): Promise<string> => redisCli('-p', String(port), 'CLUSTER', 'NODES');
      // The same ids, addresses, epochs and ranges on both nodes; only the pong times differ. Polled:
      // with a 300 ms node timeout, a pause of this busy process can flag a node fail? for a moment.
      const normalize = (text: string): string =>
        text.replace('myself,', '').split('\n').map((line) => line.split(' ').map((f, i) => (i === 5 ? 'T' : f)).join(' ')).join('\n');
      let views: string[] = [];
      await until(async () => {
        views = [normalize(await view(ports[0])), normalize(await view(ports[1]))];
        return views[0].includes(ids[1]) && views[1].includes(ids[0]) && views[0] === views[1];
      }).catch((err: Error) => {
        throw new Error(`${err.message}: views:\n${views.join('\n')}`);
      });
      expect(views[1]).to.equal(views[0]);

      await servers[1].close();
      await until(async () => (await redisCli('-p', String(ports[0]), 'CLUSTER', 'INFO')).startsWith('cluster_state:fail'));
      const line = (await view(ports[0])).split('\n').find((l) => l.startsWith(ids[1])) as string;
      const fields = line.split(' ');
      expect([fields[1], fields[2], fields[3], fields[7]]).to.deep.equal([`127.0.0.1:${ports[1]}@${ports[1] + 10000}`, 'master,fail', '-', 'disconnected']);
      const nodes = await view(ports[0]);
      let mine = '';
      let theirs = '';
      for (let i = 0; mine === '' || theirs === ''; i++) {
        const owner = ownerFromNodes(nodes, keySlot(`k${i}`));
        if (owner === ports[0] && mine === '') mine = `k${i}`;
        if (owner === ports[1] && theirs === '') theirs = `k${i}`;
      }
      expect(await redisCli('-p', String(ports[0]), 'SET', mine, 'v')).to.equal('OK\n');
      const reply = await rawExchange(ports[0], command('GET', theirs), (t) => t.endsWith('\r\n'));
      expect(reply).to.equal('-CLUSTERDOWN The cluster is down\r\n');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('refuses to start when cluster-nodes does not list the node', async () => {
    const port = await freePort();
    let error: Error | null = null;
    try {
      const server = await startServer({ port, config: { 'cluster-enabled': 'yes', 'cluster-nodes': '127.0.0.1:1', dir } });
      await server.close();
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal(`cluster-nodes does not list this node: no entry for port ${port}`);
  });
});

/** Polls a condition every 50 ms, failing after 20 s: far past the second it takes, for busy machines. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20000;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error('condition not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


