import { expect } from 'chai';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keySlot } from '../../src/cluster/crc16.js';
import { startCluster, type LocalCluster } from '../../src/cluster/start-cluster.js';
import { MetricsServer } from '../../src/metrics/metrics-server.js';
import { createServer } from '../../src/server/server.js';
import { RawClient } from '../helpers/raw-client.js';
import { freePort } from '../helpers/redis-server.js';

function scrape(port: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const samples = new Map<string, number>();
          for (const line of body.split('\n')) {
            if (line === '' || line.startsWith('#')) continue;
            const space = line.lastIndexOf(' ');
            samples.set(line.slice(0, space), Number(line.slice(space + 1)));
          }
          resolve(samples);
        });
      })
      .on('error', reject);
  });
}


describe('cluster metrics', function () {
  this.timeout(15000);
  let cluster: LocalCluster;
  let metrics: MetricsServer[];
  let clients: RawClient[];

  before(async () => {
    cluster = await startCluster({ nodes: 3 });
    metrics = await Promise.all(cluster.servers.map((server) => new MetricsServer(server.core, { port: 0, host: '127.0.0.1' }).listen()));
    clients = await Promise.all(cluster.servers.map((server) => RawClient.connect(server.port)));
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(metrics.map((m) => m.close()));
    await cluster.close();
  });

  it('shows CLUSTER INFO under redis_exporter names, and slots owned that cover the ring once', async () => {
    const scraped = await Promise.all(metrics.map((m) => scrape(m.port)));
    let owned = 0;
    for (const m of scraped) {
      expect(m.get('redis_cluster_enabled')).to.equal(1);
      expect(m.get('redis_cluster_state')).to.equal(1);
      expect(m.get('redis_cluster_slots_assigned')).to.equal(16384);
      expect(m.get('redis_cluster_slots_ok')).to.equal(16384);
      expect(m.get('redis_cluster_slots_pfail')).to.equal(0);
      expect(m.get('redis_cluster_slots_fail')).to.equal(0);
      expect(m.get('redis_cluster_known_nodes')).to.equal(3);
      expect(m.get('redis_cluster_size')).to.equal(3);
      expect(m.has('redis_cluster_current_epoch')).to.equal(true);
      expect(m.has('redis_cluster_my_epoch')).to.equal(true);
      const mine = m.get('ringcache_cluster_slots_owned') as number;
      expect(mine).to.be.greaterThan(0);
      owned += mine;
    }
    expect(owned).to.equal(16384);
  });

  it('agrees with CLUSTER INFO on every field it exports', async () => {
    const info = await clients[1].call('CLUSTER', 'INFO');
    const m = await scrape(metrics[1].port);
    let compared = 0;
    for (const line of info.split('\r\n')) {
      const match = /^cluster_(slots_\w+|known_nodes|size|current_epoch|my_epoch):(\d+)$/.exec(line);
      if (match === null) continue;
      expect(m.get(`redis_cluster_${match[1]}`), match[1]).to.equal(Number(match[2]));
      compared++;
    }
    expect(compared).to.equal(8);
  });

  it('counts a MOVED redirect on the node that sent it, by kind', async () => {
    const before = await Promise.all(metrics.map((m) => scrape(m.port)));
    const replies = await Promise.all(clients.map((client) => client.call('GET', 'metrics-key')));
    const after = await Promise.all(metrics.map((m) => scrape(m.port)));
    const movedBy = replies.map((reply) => reply.startsWith('-MOVED '));
    expect(movedBy.filter(Boolean)).to.have.length(2);
    replies.forEach((reply, i) => {
      const moved = (after[i].get('ringcache_cluster_redirects_total{kind="moved"}') as number) - (before[i].get('ringcache_cluster_redirects_total{kind="moved"}') as number);
      expect(moved, reply).to.equal(movedBy[i] ? 1 : 0);
      expect(after[i].get('ringcache_cluster_redirects_total{kind="ask"}')).to.equal(0);
    });
  });

  it('counts an ASK redirect while a slot migrates away', async () => {
    const slot = keySlot('asked-key');
    const ownerIndex = cluster.servers.findIndex((server) => server.core.cluster?.topology?.peers[server.core.cluster.topology.owners[slot]] === server.core.cluster?.myself);
    const owner = clients[ownerIndex];
    const target = cluster.servers[(ownerIndex + 1) % 3].core.cluster?.myId as string;
    expect(await owner.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target)).to.equal('+OK\r\n');
    try {
      expect(await owner.call('GET', 'asked-key')).to.match(/^-ASK \d+ 127\.0\.0\.1:\d+\r\n$/);
      const m = await scrape(metrics[ownerIndex].port);
      expect(m.get('ringcache_cluster_redirects_total{kind="ask"}')).to.equal(1);
    } finally {
      await owner.call('CLUSTER', 'SETSLOT', String(slot), 'STABLE');
    }
  });

  it('is wired by the server itself when metrics-port is set on a cluster node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringcache-metrics-'));
    const server = await createServer({ port: 0, config: { 'cluster-enabled': 'yes', dir, 'metrics-port': await freePort() } }).listen();
    try {
      const m = await scrape((server.metrics as MetricsServer).port);
      // A self-managed node on its own owns no slot yet: the cluster is down.
      expect(m.get('redis_cluster_state')).to.equal(0);
      expect(m.get('redis_cluster_slots_assigned')).to.equal(0);
      expect(m.get('redis_cluster_known_nodes')).to.equal(1);
      expect(m.get('ringcache_cluster_slots_owned')).to.equal(0);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the cluster gauges out on a standalone server', async () => {
    const server = await createServer({ port: 0 }).listen();
    const m = await new MetricsServer(server.core, { port: 0, host: '127.0.0.1' }).listen();
    try {
      const samples = await scrape(m.port);
      expect(samples.get('redis_cluster_enabled')).to.equal(0);
      expect(samples.has('redis_cluster_state')).to.equal(false);
      expect(samples.has('ringcache_cluster_slots_owned')).to.equal(false);
    } finally {
      await m.close();
      await server.close();
    }
  });
});
