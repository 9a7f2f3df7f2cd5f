// redis-py's RedisCluster (Debian's python3-redis, run by the system /usr/bin/python3) against a
// 3-node ringcache cluster: it discovers the slots with CLUSTER SLOTS and routes PING, SET, GET,
// INCR and a cross-slot MGET (split per slot by mget_nonatomic) to the right nodes.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { startCluster, type LocalCluster } from '../../src/index.js';

const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import sys
from redis.cluster import RedisCluster, ClusterNode
seeds = [ClusterNode(host, int(port)) for host, port in (arg.rsplit(':', 1) for arg in sys.argv[1:])]
rc = RedisCluster(startup_nodes=seeds, decode_responses=True)
print('ping', rc.ping())
print('primaries', sorted(node.port for node in rc.get_primaries()))
keys = ['user:%d' % i for i in range(20)]
print('set', all(rc.set(key, 'v-' + key) for key in keys))
print('get', [rc.get(key) for key in keys[:3]], all(rc.get(key) == 'v-' + key for key in keys))
print('incr', rc.incr('counter'), rc.incr('counter'), rc.incrby('counter', 40))
print('mget', rc.mget_nonatomic(['user:1', 'user:2', 'missing', 'counter']))
print('slots', sorted(set(rc.keyslot(key) for key in ['user:1', 'user:2', 'counter'])))
print('per node', sorted(rc.dbsize(target_nodes=node) for node in rc.get_primaries()))
rc.close()
`;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('redis-py RedisCluster', function () {
  this.timeout(30000);
  let cluster: LocalCluster;

  before(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import redis']);
    if (probe.error !== undefined || probe.status !== 0) {
      throw new Error(`${PYTHON} cannot import redis (apt-get install -y python3-redis): this test needs it`);
    }
    cluster = await startCluster({ nodes: 3 });
  });

  after(async () => {
    await cluster.close();
  });

  it('routes ping, set, get, incr and mget across slots', async () => {
    const { code, stdout, stderr } = await run(['-c', SCRIPT, ...cluster.seeds.map((seed) => `${seed.host}:${seed.port}`)]);
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    const keyCounts = cluster.servers.map((server) => server.core.keyspace.db(0).size).sort((a, b) => a - b);
    expect(keyCounts.reduce((a, b) => a + b)).to.equal(21);
    for (const count of keyCounts) expect(count).to.be.above(0);
    const ports = cluster.seeds.map((seed) => seed.port).sort((a, b) => a - b);
    expect(stdout).to.equal(
      [
        'ping True',
        `primaries [${ports.join(', ')}]`,
        'set True',
        "get ['v-user:0', 'v-user:1', 'v-user:2'] True",
        'incr 1 2 42',
        "mget ['v-user:1', 'v-user:2', None, '42']",
        // counter, user:2 and user:1: CLUSTER KEYSLOT's answers on a real redis-server 7.0.15.
        'slots [6680, 6777, 10778]',
        `per node [${keyCounts.join(', ')}]`,
        '',
      ].join('\n'),
    );
  });
});
