// Self-managed membership: CLUSTER MEET, gossip that relays third parties until every node shows
// the same CLUSTER NODES, failure detection (fail? then fail), FORGET's ban, and the nodes file
// that keeps membership across restarts. Real servers in this process, on free ports.

import { expect } from 'chai';
import { agreedView, allAgree, infoField, startNode, until, type LiveNode } from './self-managed.js';
import { removeTempDirs, tempDir } from './helpers.js';

const FAST = { 'cluster-node-timeout': 400 };
const RANGES = [['0', '5460'], ['5461', '10922'], ['10923', '16383']];

describe('self-managed cluster membership', function () {
  this.timeout(30000);
  let dir: string;
  let nodes: LiveNode[] = [];

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
  });

  after(removeTempDirs);

  /** Three empty nodes given a third of the slots and epochs 1..3 each, as redis-cli --cluster create does, then met through the first. */
  async function threeMasters(): Promise<LiveNode[]> {
    nodes = await Promise.all([0, 1, 2].map((i) => startNode(dir, String(i), 0, FAST)));
    for (const [i, node] of nodes.entries()) {
      expect(await node.call('CLUSTER', 'ADDSLOTSRANGE', ...RANGES[i])).to.equal('OK');
      expect(await node.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))).to.equal('OK');
    }
    for (const node of nodes.slice(1)) expect(await node.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[0].port))).to.equal('OK');
    await until(async () => {
      const views = await Promise.all(nodes.map(agreedView));
      return views.every((v) => v.length === 3 && JSON.stringify(v) === JSON.stringify(views[0]));
    });
    return nodes;
  }

  it('converges on one view after MEET, relaying nodes the others never met', async () => {
    await threeMasters();
    const ids = await Promise.all(nodes.map((n) => n.call('CLUSTER', 'MYID') as Promise<string>));
    const expected = nodes
      .map((n, i) => `${ids[i]} 127.0.0.1:${n.port}@${n.port + 10000} master - ${i + 1} ${RANGES[i].join('-')}`)
      .sort();
    // Polled: with a 400 ms node timeout, a pause of this busy process can show a node fail? for a moment.
    let view: string[] = [];
    await until(async () => JSON.stringify((view = await agreedView(nodes[1]))) === JSON.stringify(expected)).catch(() => undefined);
    expect(view).to.deep.equal(expected);
    for (const node of nodes) {
      await until(async () => (await infoField(node, 'cluster_state')) === 'ok');
      expect(await infoField(node, 'cluster_known_nodes')).to.equal('3');
      expect(await infoField(node, 'cluster_size')).to.equal('3');
      expect(await infoField(node, 'cluster_current_epoch')).to.equal('3');
    }
    // Slot 12182 (foo) is the third node's: the others send clients there.
    expect(String(await nodes[1].call('GET', 'foo'))).to.equal(`-MOVED 12182 127.0.0.1:${nodes[2].port}`);
    expect(await nodes[2].call('SET', 'foo', 'bar')).to.equal('OK');
  });

  it('moves a slot only to a strictly higher config epoch', async () => {
    await threeMasters();
    const [first, second] = nodes;
    const secondId = (await second.call('CLUSTER', 'MYID')) as string;
    // The first node gives slot 0 away locally; the others keep their view, and the first
    // node's claim (epoch 1) cannot take slot 0 back from an owner it does not outrank.
    expect(await first.call('CLUSTER', 'SETSLOT', '0', 'NODE', secondId)).to.equal('OK');
    expect(await second.call('CLUSTER', 'SETSLOT', '0', 'IMPORTING', (await first.call('CLUSTER', 'MYID')) as string)).to.equal('OK');
    expect(await second.call('CLUSTER', 'SETSLOT', '0', 'NODE', secondId)).to.equal('OK');
    // Taking the slot raised the second node to a new highest epoch, which every node adopts.
    await until(async () => {
      const views = await Promise.all(nodes.map(agreedView));
      return views.every((v) => v.some((line) => line.startsWith(`${secondId} `) && line.endsWith(' - 4 0 5461-10922')));
    });
    for (const node of nodes) expect(await infoField(node, 'cluster_current_epoch')).to.equal('4');
  });

  it('lets a lower epoch claim a slot its owner no longer claims, where Redis would keep the stale owner', async () => {
    await threeMasters();
    const [first, second, third] = nodes;
    const [firstId, secondId] = (await Promise.all([first, second].map((n) => n.call('CLUSTER', 'MYID')))) as string[];
    // The first node drops slot 0 and then outranks everyone (epoch 4) before anyone claims it.
    expect(await first.call('CLUSTER', 'DELSLOTS', '0')).to.equal('OK');
    expect(await first.call('CLUSTER', 'BUMPEPOCH')).to.equal('BUMPED 4');
    await until(async () => (await agreedView(third)).some((line) => line.startsWith(`${firstId} `) && line.includes(' - 4 ')));
    // Epochs alone would leave the third node showing the first as owner: the second's claim
    // (epoch 2) does not outrank 4. The first's own messages no longer claim it, so it goes.
    expect(await second.call('CLUSTER', 'DELSLOTS', '0')).to.equal('OK');
    expect(await second.call('CLUSTER', 'ADDSLOTS', '0')).to.equal('OK');
    await until(async () => (await agreedView(third)).some((line) => line === `${secondId} 127.0.0.1:${second.port}@${second.port + 10000} master - 2 0 5461-10922`));
    await allAgree(nodes);
  });

  it('flags a silent node fail? then fail, and the cluster state follows; a restart rejoins from the nodes file', async () => {
    await threeMasters();
    const goneId = (await nodes[2].call('CLUSTER', 'MYID')) as string;
    const gonePort = nodes[2].port;
    await nodes[2].close();
    await until(async () => ((await nodes[0].call('CLUSTER', 'NODES')) as string).includes(`${goneId} 127.0.0.1:${gonePort}@${gonePort + 10000} master,fail `));
    for (const node of nodes.slice(0, 2)) await until(async () => (await infoField(node, 'cluster_state')) === 'fail');
    expect(await infoField(nodes[0], 'cluster_slots_fail')).to.equal('5461');
    expect(String(await nodes[0].call('GET', 'bar'))).to.equal('-CLUSTERDOWN The cluster is down');

    // Same port, same nodes file: it knows the cluster before anyone meets it again.
    const restarted = await startNode(dir, '2', gonePort, FAST).catch(() => null);
    if (restarted === null) return; // the port was taken meanwhile: nothing to check here
    nodes[2] = restarted;
    expect(await restarted.call('CLUSTER', 'MYID')).to.equal(goneId);
    expect(await infoField(restarted, 'cluster_known_nodes')).to.equal('3');
    for (const node of nodes) await until(async () => (await infoField(node, 'cluster_state')) === 'ok');
  });

  it('keeps a forgotten node out while its ban lasts, though it still gossips', async () => {
    await threeMasters();
    const goneId = (await nodes[2].call('CLUSTER', 'MYID')) as string;
    for (const node of nodes.slice(0, 2)) expect(await node.call('CLUSTER', 'FORGET', goneId)).to.equal('OK');
    // Several gossip rounds (every 80 ms here) in which the forgotten node keeps writing to the others.
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const node of nodes.slice(0, 2)) {
      expect(await infoField(node, 'cluster_known_nodes')).to.equal('2');
      expect(String(await node.call('CLUSTER', 'COUNT-FAILURE-REPORTS', goneId))).to.equal(`-ERR Unknown node ${goneId}`);
    }
  });
});
