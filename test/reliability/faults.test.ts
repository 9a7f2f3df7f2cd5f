// kill -9 of one node of a 3-node cluster of processes, under load from an ioredis Cluster
// client: only the dead node's slots fail, the live nodes serve their own slots throughout, and
// the node restarted with the same arguments comes back under its old id from its nodes file,
// the cluster is whole again on every node, and its slots serve again. Its data is gone: a
// cache keeps nothing on disk.

import { expect } from 'chai';
import { Cluster } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keySlot } from '../../src/cluster/crc16.js';
import { ERR_CLUSTER_DOWN } from '../../src/errors.js';
import { RawClient } from '../helpers/raw-client.js';
import { freePorts } from '../helpers/redis-server.js';
import { infoField, killChild, startChildServer, waitUntil, type ChildServer } from './child-server.js';

/** Short, for a quick detection, but past the pauses a busy machine gives a live node. */
const NODE_TIMEOUT_MS = 2000;
const KEYS = 3000;
/** How long the load runs with a node dead at least; it goes on until the live nodes have failed it. */
const OUTAGE_MS = 3000;
/** How long the live nodes may take to fail the dead node, far past its few seconds. */
const DETECTION_TIMEOUT_MS = 60000;
/**
 * A request that gets no answer in this time counts as failed (a dead node's may hang): far
 * longer than a live node takes on a busy machine, so that only the dead node's requests fail.
 */
const REQUEST_TIMEOUT_MS = 5000;
/** How long the cluster may take to form or heal, and a node to serve, on a busy machine. */
const SETTLE_TIMEOUT_MS = 30000;

async function ask(port: number, ...args: string[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return await client.call(...args);
  } finally {
    await client.close();
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('no answer')), REQUEST_TIMEOUT_MS))]);
}

/** The port serving each slot, from CLUSTER SLOTS of one node. */
async function slotOwners(port: number): Promise<number[]> {
  const reply = await ask(port, 'CLUSTER', 'SLOTS');
  const owners: number[] = Array(16384).fill(-1);
  // Each range is *3 or more: start, end, then [host, port, id] of the master first.
  const range = /\*\d+\r\n:(\d+)\r\n:(\d+)\r\n\*\d+\r\n\$\d+\r\n[^\r]*\r\n:(\d+)\r\n/g;
  for (let m = range.exec(reply); m !== null; m = range.exec(reply)) {
    for (let slot = Number(m[1]); slot <= Number(m[2]); slot++) owners[slot] = Number(m[3]);
  }
  return owners;
}

/** Per owner port, requests that succeeded and failed. */
type Outcomes = Map<number, { ok: number; failed: number; errors: Set<string> }>;

/**
 * SET then GET of random keys until told to stop, each request counted under its key's owner.
 * Each worker has keys of its own: with shared ones, another worker's SET landing between a SET
 * and its GET made the GET see the other value, more often the busier the machine.
 */
async function runLoad(client: Cluster, owners: number[], running: () => boolean, outcomes: Outcomes, worker: number): Promise<void> {
  for (let n = 0; running(); n++) {
    const key = `key:${worker}:${Math.floor(Math.random() * KEYS)}`;
    const owner = owners[keySlot(key)];
    const tally = outcomes.get(owner) ?? { ok: 0, failed: 0, errors: new Set<string>() };
    outcomes.set(owner, tally);
    try {
      expect(await withTimeout(client.set(key, `v${n}`))).to.equal('OK');
      expect(await withTimeout(client.get(key))).to.equal(`v${n}`);
      tally.ok++;
    } catch (err) {
      tally.failed++;
      tally.errors.add(String(err).slice(0, 160));
      // A dead node's keys fail fast or time out; do not spin on them.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('reliability: kill -9 of a cluster node under load', function () {
  this.timeout(240000);
  const nodes: (ChildServer | null)[] = [];
  const dirs: string[] = [];
  let client: Cluster | null = null;
  after(async () => {
    client?.disconnect();
    await Promise.all(nodes.map((node) => killChild(node)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fails only its slots, and the restarted node rejoins under its old id', async () => {
    const ports = await freePorts(3);
    const list = ports.map((p) => `127.0.0.1:${p}`).join(',');
    const argsOf = (i: number): string[] => {
      dirs[i] ??= mkdtempSync(join(tmpdir(), 'ringcache-fault-'));
      return ['--port', String(ports[i]), '--save', '', '--cluster-enabled', 'yes', '--cluster-nodes', list, '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--dir', dirs[i]];
    };
    nodes.push(...(await Promise.all(ports.map((_, i) => startChildServer(argsOf(i))))));
    const state = async (port: number): Promise<string> => infoField(await ask(port, 'CLUSTER', 'INFO'), 'cluster_state');
    const allOk = async (): Promise<boolean> => (await Promise.all(ports.map(state))).every((s) => s === 'ok');
    await waitUntil(allOk, 'cluster_state:ok on every node', SETTLE_TIMEOUT_MS);

    const owners = await slotOwners(ports[0]);
    expect(new Set(owners)).to.deep.equal(new Set(ports));
    const victim = 1;
    const victimPort = ports[victim];
    const oldId = await ask(victimPort, 'CLUSTER', 'MYID');
    // Outside the load's key names, so that only this test writes it.
    const deadKey = Array.from({ length: KEYS }, (_, i) => `held:${i}`).find((k) => owners[keySlot(k)] === victimPort) as string;

    client = new Cluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 0, connectTimeout: 500 }, clusterRetryStrategy: () => 100, retryDelayOnClusterDown: 100 },
    );
    const cluster = client;
    await new Promise((resolve) => cluster.once('ready', resolve));
    const warmup: Outcomes = new Map();
    let loading = true;
    let load = Promise.all(Array.from({ length: 4 }, (_, worker) => runLoad(cluster, owners, () => loading, warmup, worker)));
    await waitUntil(() => ports.every((port) => (warmup.get(port)?.ok ?? 0) >= 20), 'every node to serve its keys', SETTLE_TIMEOUT_MS);
    loading = false;
    await load;
    for (const port of ports) {
      const tally = warmup.get(port);
      expect(tally?.failed, `before the kill, node ${port} failed: ${[...(tally?.errors ?? [])].join('; ')}`).to.equal(0);
    }
    expect(await cluster.set(deadKey, 'held by the victim')).to.equal('OK');

    // The kill, with the load running throughout the outage.
    const outage: Outcomes = new Map();
    loading = true;
    load = Promise.all(Array.from({ length: 4 }, (_, worker) => runLoad(cluster, owners, () => loading, outage, worker)));
    nodes[victim]?.process.kill('SIGKILL');
    expect(await nodes[victim]?.exited).to.equal(null);
    // Detected as failed: the live nodes answer CLUSTERDOWN for its slots, and say the cluster is down.
    const live = ports.filter((p) => p !== victimPort);
    const failedEverywhere = async (): Promise<boolean> => {
      for (const port of live) {
        if ((await ask(port, 'GET', deadKey)) !== `-${ERR_CLUSTER_DOWN}\r\n` || (await state(port)) !== 'fail') return false;
      }
      return true;
    };
    await Promise.all([
      new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)),
      waitUntil(failedEverywhere, 'the live nodes to fail the killed node', DETECTION_TIMEOUT_MS, 100),
    ]);
    for (const port of live) {
      expect(await ask(port, 'GET', deadKey)).to.equal(`-${ERR_CLUSTER_DOWN}\r\n`);
      expect(await state(port)).to.equal('fail');
    }
    loading = false;
    await load;
    for (const port of live) {
      const tally = outage.get(port);
      expect(tally?.failed, `live node ${port} failed: ${[...(tally?.errors ?? [])].join('; ')}`).to.equal(0);
      expect(tally?.ok).to.be.greaterThan(0);
    }
    expect(outage.get(victimPort)?.failed, 'requests for the dead node failed').to.be.greaterThan(0);
    console.log(`      errors for the dead node's keys: ${[...(outage.get(victimPort)?.errors ?? [])].join('; ')}`);

    // The restart: same arguments, same nodes file.
    nodes[victim] = await startChildServer(argsOf(victim));
    expect(await ask(victimPort, 'CLUSTER', 'MYID')).to.equal(oldId);
    await waitUntil(allOk, 'cluster_state:ok on every node after the restart', SETTLE_TIMEOUT_MS);
    const after: Outcomes = new Map();
    loading = true;
    load = Promise.all(Array.from({ length: 4 }, (_, worker) => runLoad(cluster, owners, () => loading, after, worker)));
    await waitUntil(() => (after.get(victimPort)?.ok ?? 0) > 20, 'the restarted node to serve its slots again', SETTLE_TIMEOUT_MS);
    loading = false;
    await load;
    for (const port of live) {
      const tally = after.get(port);
      expect(tally?.failed, `live node ${port} after the restart failed: ${[...(tally?.errors ?? [])].join('; ')}`).to.equal(0);
    }
    // It is a cache: what the killed node held died with it.
    expect(await cluster.get(deadKey)).to.equal(null);
  });
});
