// redis-cli --cluster create, check, info, add-node and del-node, run against ringcache nodes
// started empty, as an operator would run them against fresh redis-server nodes.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { agreedView, allAgree, infoField, startNode, type LiveNode } from './self-managed.js';
import { removeTempDirs, tempDir } from './helpers.js';

const run = promisify(execFile);

/** redis-cli's output, without colour codes; rejects when it exits with an error. */
async function redisCli(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', args, { encoding: 'latin1', timeout: 60000 });
    return stdout.replace(/\x1b\[[0-9;]*m/g, '');
  } catch (err) {
    const { stdout } = err as { stdout: string };
    throw new Error(`redis-cli ${args.join(' ')} failed:\n${stdout}`);
  }
}

const address = (node: LiveNode): string => `127.0.0.1:${node.port}`;

describe('redis-cli --cluster against ringcache nodes', function () {
  // A few seconds on an idle machine; the margin is for busy ones.
  this.timeout(120000);
  let nodes: LiveNode[] = [];

  before(async () => {
    const dir = tempDir();
    nodes = await Promise.all([0, 1, 2, 3].map((i) => startNode(dir, String(i))));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    removeTempDirs();
  });

  it('create: three masters, each with a third of the slots, joined until their configurations agree', async () => {
    const out = await redisCli('--cluster', 'create', ...nodes.slice(0, 3).map(address), '--cluster-yes');
    expect(out).to.include('[OK] All nodes agree about slots configuration.');
    expect(out).to.include('[OK] All 16384 slots covered.');
    for (const node of nodes.slice(0, 3)) {
      expect(await infoField(node, 'cluster_state')).to.equal('ok');
      expect(await infoField(node, 'cluster_known_nodes')).to.equal('3');
    }
    const view = await agreedView(nodes[0]);
    expect(view.map((line) => line.split(' ').slice(5).join(' ')).sort()).to.deep.equal(['0-5460', '10923-16383', '5461-10922']);
  });

  it('check and info: every node agrees, all slots covered, keys counted per master', async () => {
    expect(await nodes[1].client.set('foo', 'bar').catch(() => 'moved')).to.equal('moved');
    expect(await nodes[2].client.set('foo', 'bar')).to.equal('OK');
    const check = await redisCli('--cluster', 'check', address(nodes[1]));
    expect(check).to.include('[OK] All nodes agree about slots configuration.');
    expect(check).to.include('[OK] All 16384 slots covered.');
    expect(check).to.not.include('[WARNING]');
    const info = await redisCli('--cluster', 'info', address(nodes[0]));
    expect(info).to.include(`${address(nodes[2])} (${((await nodes[2].call('CLUSTER', 'MYID')) as string).slice(0, 8)}...) -> 1 keys | 5461 slots | 0 slaves.`);
    expect(info).to.include('[OK] 1 keys in 3 masters.');
  });

  it('add-node: the new node is met and every node comes to know it', async () => {
    const out = await redisCli('--cluster', 'add-node', address(nodes[3]), address(nodes[0]));
    expect(out).to.include('[OK] New node added correctly.');
    await allAgree(nodes);
    const check = await redisCli('--cluster', 'check', address(nodes[3]));
    expect(check).to.include('[OK] All nodes agree about slots configuration.');
    expect(check).to.include('0 slots | 0 slaves.');
  });

  it('del-node: the others forget it for good, and it is reset to know no one', async () => {
    const id = (await nodes[3].call('CLUSTER', 'MYID')) as string;
    const out = await redisCli('--cluster', 'del-node', address(nodes[0]), id);
    expect(out).to.include('>>> Sending CLUSTER FORGET messages to the cluster...');
    expect(out).to.include('>>> Sending CLUSTER RESET SOFT to the deleted node.');
    expect(await infoField(nodes[3], 'cluster_known_nodes')).to.equal('1');
    // Gossip rounds pass; the removed node stays out of every view.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    for (const node of nodes.slice(0, 3)) expect(await infoField(node, 'cluster_known_nodes')).to.equal('3');
    const check = await redisCli('--cluster', 'check', address(nodes[0]));
    expect(check).to.include('[OK] All 16384 slots covered.');
  });
});
