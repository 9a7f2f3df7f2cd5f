// CLUSTER REBALANCE-RING: a fourth node met by three moves only the slots the consistent-hash
// ring gives it (at most 27% of the keys, 25% being the optimum), every key keeps its value, every
// node agrees on the new map, and a node excluded from the ring gives away only its own slots.
// Real servers in this process, on free ports, formed by MEET and gossip.

import { expect } from 'chai';
import { keySlot, SLOT_COUNT } from '../../src/cluster/crc16.js';
import { placeSlots } from '../../src/cluster/ring.js';
import { allAgree, infoField, startNode, type LiveNode } from './self-managed.js';
import { removeTempDirs, tempDir } from './helpers.js';

// Nothing here fails a node; a short node timeout would only let a busy machine's pauses mark
// nodes fail? and fail, and those flags are part of the views the tests compare.
const NODE_CONFIG = { 'cluster-node-timeout': 15000 };
const KEY_COUNT = 30000;
const VNODES = 4096;
const keys = Array.from({ length: KEY_COUNT }, (_, i) => `key:${i}`);
const valueOf = (key: string): string => `value of ${key}`;

const address = (node: LiveNode): string => `127.0.0.1:${node.port}`;

/** The ring's owner of every slot, as a node of `members`. */
function ringOwners(members: LiveNode[]): LiveNode[] {
  const placed = placeSlots(members.map(address), VNODES);
  return Array.from(placed, (owner) => members[owner]);
}

/** The owner of every slot as one node's CLUSTER SLOTS says, by port (0: none). */
async function slotPorts(node: LiveNode): Promise<number[]> {
  const ports = new Array<number>(SLOT_COUNT).fill(0);
  for (const [start, end, [, port]] of (await node.client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]) {
    for (let slot = start; slot <= end; slot++) ports[slot] = port;
  }
  return ports;
}

/** Which node holds each key now (checked by reading it back with its value), by port. */
async function keyHolders(nodes: LiveNode[], owners: LiveNode[]): Promise<Map<string, number>> {
  const holders = new Map<string, number>();
  for (const node of nodes) {
    const mine = keys.filter((key) => owners[keySlot(key)] === node);
    const pipeline = node.client.pipeline();
    for (const key of mine) pipeline.get(key);
    const results = (await pipeline.exec()) ?? [];
    mine.forEach((key, i) => {
      const [err, value] = results[i];
      expect(err, key).to.equal(null);
      expect(value, key).to.equal(valueOf(key));
      holders.set(key, node.port);
    });
    expect(await node.client.dbsize()).to.equal(mine.length);
  }
  return holders;
}

describe('CLUSTER REBALANCE-RING', function () {
  // A rebalance of a quarter of the slots takes 1-3 s on an idle machine (before the topology's
  // ranges were rebuilt only when read, up to 20 s, and 120 s on a busy one); a timeout that cut
  // it short would also leave it running under the next tests, so it stays generous.
  this.timeout(300000);
  let nodes: LiveNode[] = [];

  before(async () => {
    const dir = tempDir();
    nodes = await Promise.all([0, 1, 2, 3].map((i) => startNode(dir, String(i), 0, NODE_CONFIG)));
    // Three masters holding the ring's placement for three, as a ring-placed cluster starts.
    const first = nodes.slice(0, 3);
    const owners = ringOwners(first);
    for (const [i, node] of first.entries()) {
      const slots = owners.flatMap((owner, slot) => (owner === node ? [String(slot)] : []));
      expect(await node.call('CLUSTER', 'ADDSLOTS', ...slots)).to.equal('OK');
      expect(await node.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))).to.equal('OK');
    }
    for (const node of first.slice(1)) expect(await node.call('CLUSTER', 'MEET', '127.0.0.1', String(first[0].port))).to.equal('OK');
    await allAgree(first);
    for (const node of first) {
      const mine = keys.filter((key) => owners[keySlot(key)] === node);
      const pipeline = node.client.pipeline();
      for (const key of mine) pipeline.set(key, valueOf(key));
      await pipeline.exec();
    }
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    removeTempDirs();
  });

  it('DRYRUN counts what adding a fourth node would move, and moves nothing', async () => {
    expect(await nodes[3].call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[0].port))).to.equal('OK');
    await allAgree(nodes);
    const before = ringOwners(nodes.slice(0, 3));
    const after = ringOwners(nodes);
    const slots = after.filter((owner, slot) => owner !== before[slot]).length;
    const moving = keys.filter((key) => after[keySlot(key)] !== before[keySlot(key)]).length;
    expect(await nodes[1].call('CLUSTER', 'REBALANCE-RING', 'DRYRUN')).to.deep.equal(['slots', slots, 'keys', moving]);
    // What the ring moves goes to the new node, but for the few slots that evening out the shares
    // moves between the others (at most 0.2%, as test/cluster/ring.test.ts bounds it).
    const between = after.filter((owner, slot) => owner !== before[slot] && owner !== nodes[3]).length;
    expect(between / SLOT_COUNT).to.be.at.most(0.002);
    expect(await nodes[3].client.dbsize()).to.equal(0);
    expect(await infoField(nodes[3], 'cluster_slots_assigned')).to.equal(String(SLOT_COUNT));
  });

  it('adding a fourth node moves the slots the ring gives it: at most 27% of the keys', async () => {
    const before = ringOwners(nodes.slice(0, 3));
    const after = ringOwners(nodes);
    const reply = (await nodes[1].call('CLUSTER', 'REBALANCE-RING')) as [string, number, string, number];
    // Every master was told each new owner before the command returned, not left to gossip.
    const expected = after.map((owner) => owner.port);
    for (const node of nodes) expect(await slotPorts(node)).to.deep.equal(expected);
    const holdersBefore = new Map(keys.map((key) => [key, before[keySlot(key)].port]));
    const holdersAfter = await keyHolders(nodes, after);
    const moved = keys.filter((key) => holdersAfter.get(key) !== holdersBefore.get(key)).length;
    expect(moved / KEY_COUNT).to.be.at.most(0.27);
    expect(moved / KEY_COUNT).to.be.at.least(0.2);
    expect(reply).to.deep.equal(['slots', after.filter((owner, slot) => owner !== before[slot]).length, 'keys', moved]);

    await allAgree(nodes);
    for (const node of nodes) {
      expect(await slotPorts(node)).to.deep.equal(expected);
      expect(await infoField(node, 'cluster_state')).to.equal('ok');
      expect(String(await node.call('CLUSTER', 'NODES'))).to.not.match(/\[\d+-[<>]-/);
    }
  });

  it('EXCLUDE moves the excluded node’s slots (and the few evening-out shifts) onto the ring of the others', async () => {
    const before = ringOwners(nodes);
    const kept = [nodes[0], nodes[2], nodes[3]];
    const after = ringOwners(kept);
    const between = after.filter((owner, slot) => owner !== before[slot] && before[slot] !== nodes[1]).length;
    expect(between / SLOT_COUNT).to.be.at.most(0.002);
    const id = (await nodes[1].call('CLUSTER', 'MYID')) as string;
    const reply = (await nodes[0].call('CLUSTER', 'REBALANCE-RING', 'EXCLUDE', id)) as [string, number, string, number];
    for (const node of nodes) expect(await slotPorts(node)).to.deep.equal(after.map((owner) => owner.port));
    const moving = keys.filter((key) => after[keySlot(key)] !== before[keySlot(key)]).length;
    expect(reply).to.deep.equal(['slots', after.filter((owner, slot) => owner !== before[slot]).length, 'keys', moving]);
    await keyHolders(kept, after);
    expect(await nodes[1].client.dbsize()).to.equal(0);
    await allAgree(nodes);
    for (const node of nodes) expect(await slotPorts(node)).to.deep.equal(after.map((owner) => owner.port));
    // Nothing left to move: the same command now moves nothing.
    expect(await nodes[2].call('CLUSTER', 'REBALANCE-RING', 'EXCLUDE', id)).to.deep.equal(['slots', 0, 'keys', 0]);
  });

  it('refuses an unknown node, a bad option, and a transaction', async () => {
    expect(await nodes[0].call('CLUSTER', 'REBALANCE-RING', 'EXCLUDE', 'nosuchnode')).to.equal('-ERR Unknown node nosuchnode');
    expect(await nodes[0].call('CLUSTER', 'REBALANCE-RING', 'EXCLUDE')).to.equal('-ERR syntax error');
    expect(await nodes[0].call('CLUSTER', 'REBALANCE-RING', 'NOW')).to.equal('-ERR syntax error');
    const ids = await Promise.all(nodes.map((n) => n.call('CLUSTER', 'MYID') as Promise<string>));
    expect(await nodes[0].call('CLUSTER', 'REBALANCE-RING', 'EXCLUDE', ...ids)).to.equal('-ERR no master is left to place the slots on');
    const results = await nodes[0].client.multi().call('CLUSTER', 'REBALANCE-RING').exec().catch((err: Error) => err.message);
    expect(results).to.match(/EXECABORT/);
  });

  it('refuses to start while a master has slots in migration, which another move owns', async () => {
    const [first] = (await nodes[0].call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
    const [slot, , [, ownerPort]] = first;
    const owner = nodes.find((n) => n.port === ownerPort) as LiveNode;
    const other = nodes.find((n) => n !== owner) as LiveNode;
    const otherId = (await other.call('CLUSTER', 'MYID')) as string;
    expect(await owner.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', otherId)).to.equal('OK');
    expect(await nodes[0].call('CLUSTER', 'REBALANCE-RING')).to.equal(
      `-ERR node 127.0.0.1:${owner.port} has slots in migration; let it finish, or run redis-cli --cluster fix`,
    );
    expect(await owner.call('CLUSTER', 'SETSLOT', String(slot), 'STABLE')).to.equal('OK');
  });
});
