// CLUSTER REBALANCE-RING when a move fails midway: the command answers with the cause, no slot is
// left MIGRATING or IMPORTING on any node, and every key is on a node that owns its slot (the
// slots that were not moved are back, stable, on their old owner with their keys). Real servers
// in this process, formed by MEET and gossip: one owning every slot, one new and empty.

import { expect } from 'chai';
import { keySlot, SLOT_COUNT } from '../../src/cluster/crc16.js';
import { placeSlots } from '../../src/cluster/ring.js';
import { allAgree, startNode, type LiveNode } from './self-managed.js';
import { removeTempDirs, tempDir } from './helpers.js';

const NODE_CONFIG = { 'cluster-node-timeout': 15000 };
const KEY_COUNT = 4000;
const VALUE = 'v'.repeat(1000);
const keys = Array.from({ length: KEY_COUNT }, (_, i) => `key:${i}`);
const valueOf = (key: string): string => `${key} ${VALUE}`;
const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** The owner of every slot as one node's CLUSTER SLOTS says, by port (0: none). */
async function slotPorts(node: LiveNode): Promise<number[]> {
  const ports = new Array<number>(SLOT_COUNT).fill(0);
  for (const [start, end, [, port]] of (await node.client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]) {
    for (let slot = start; slot <= end; slot++) ports[slot] = port;
  }
  return ports;
}

/** Open-slot markers on a node's own CLUSTER NODES line (`[slot->-id]`, `[slot-<-id]`). */
async function openSlots(node: LiveNode): Promise<string[]> {
  const text = (await node.call('CLUSTER', 'NODES')) as string;
  const myself = text.split('\n').find((line) => line.includes('myself')) ?? '';
  return myself.match(/\[[^\]]*\]/g) ?? [];
}

async function load(node: LiveNode): Promise<void> {
  const pipeline = node.client.pipeline();
  for (const key of keys) pipeline.set(key, valueOf(key));
  await pipeline.exec();
}

/** Every key read back, without ASKING, from the node that owns its slot; and no copy elsewhere. */
async function expectEveryKeyOnItsOwner(nodes: LiveNode[], owners: number[]): Promise<void> {
  for (const node of nodes) {
    const mine = keys.filter((key) => owners[keySlot(key)] === node.port);
    const pipeline = node.client.pipeline();
    for (const key of mine) pipeline.get(key);
    const results = (await pipeline.exec()) ?? [];
    mine.forEach((key, i) => {
      const [err, value] = results[i];
      expect(err?.message ?? null, key).to.equal(null);
      expect(value, key).to.equal(valueOf(key));
    });
    expect(await node.client.dbsize()).to.equal(mine.length);
  }
}

describe('CLUSTER REBALANCE-RING: a move that fails midway', function () {
  this.timeout(120000);
  let nodes: LiveNode[] = [];

  beforeEach(async () => {
    const dir = tempDir();
    nodes = await Promise.all([0, 1].map((i) => startNode(dir, String(i), 0, NODE_CONFIG)));
    const [source, target] = nodes;
    const all = Array.from({ length: SLOT_COUNT }, (_, slot) => String(slot));
    expect(await source.call('CLUSTER', 'ADDSLOTS', ...all)).to.equal('OK');
    expect(await source.call('CLUSTER', 'SET-CONFIG-EPOCH', '1')).to.equal('OK');
    expect(await target.call('CLUSTER', 'MEET', '127.0.0.1', String(source.port))).to.equal('OK');
    await allAgree(nodes);
    await load(source);
  });

  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    removeTempDirs();
  });

  it('puts the unmoved slots back on their owner when the target runs out of memory, losing no key', async () => {
    const [source, target] = nodes;
    // Room on the target for about a fifth of the keys that move: a batch fails partway through.
    const used = Number(/used_memory:(\d+)/.exec((await target.client.info('memory')) as string)?.[1]);
    expect(await target.call('CONFIG', 'SET', 'maxmemory', String(used + (KEY_COUNT / 10) * VALUE.length))).to.equal('OK');
    expect(await target.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).to.equal('OK');

    const reply = (await source.call('CLUSTER', 'REBALANCE-RING')) as string;
    const s = `127\\.0\\.0\\.1:${source.port}`;
    const t = `127\\.0\\.0\\.1:${target.port}`;
    const shape = new RegExp(
      `^-ERR ring rebalance stopped moving (\\d+) slots \\(\\d+\\.\\.\\d+\\) from ${s} to ${t}: ` +
        `MIGRATE from ${s} failed: ERR Target instance replied with error: ${OOM.replace(/[.()>]/g, '\\$&')} ` +
        `\\((\\d+) of \\d+ slots had moved; the other (\\d+) slots of the batch are stable on ${s} again, with their keys\\)$`,
    );
    const [, batch, moved, back] = shape.exec(reply) ?? [reply];
    expect(batch, reply).to.not.equal(undefined);
    expect(back).to.equal(batch);
    // Some slots went over before the failure: the test checks a partial move, not a refusal.
    const owners = await slotPorts(source);
    expect(owners.filter((port) => port === target.port).length).to.equal(Number(moved)).and.above(0);
    expect(await target.client.dbsize()).to.be.above(0);

    for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
    expect(await slotPorts(target)).to.deep.equal(owners);
    expect(owners.every((port) => port === source.port || port === target.port)).to.equal(true);
    await expectEveryKeyOnItsOwner(nodes, owners);
  });

  it('drops the target’s copy of a key the source also has when it puts a batch back', async () => {
    const [source, target] = nodes;
    // The state a client's write leaves when it reaches the source while the target still
    // holds the key: an older copy on the target of every key the ring moves there.
    const members = [source, target];
    const placed = placeSlots(members.map((n) => `127.0.0.1:${n.port}`), 4096);
    const moving = keys.filter((key) => members[placed[keySlot(key)]] === target);
    const db = target.server.core.keyspace.db(0);
    for (const key of moving) db.set(key, 'stale', Date.now());
    const used = Number(/used_memory:(\d+)/.exec((await target.client.info('memory')) as string)?.[1]);
    expect(await target.call('CONFIG', 'SET', 'maxmemory', String(used + (KEY_COUNT / 10) * VALUE.length))).to.equal('OK');
    expect(await target.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).to.equal('OK');

    const reply = (await source.call('CLUSTER', 'REBALANCE-RING')) as string;
    const [, last] = /moving \d+ slots \(\d+\.\.(\d+)\) .* with their keys\)$/.exec(reply) ?? [reply];
    expect(last, reply).to.not.equal(undefined);
    for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
    const owners = await slotPorts(source);
    // Up to the failed batch, every key is on its slot's owner with its own value, the stale
    // copies overwritten (moved) or dropped (put back); the later slots were never touched.
    const touched = keys.filter((key) => keySlot(key) <= Number(last));
    const untouched = moving.filter((key) => keySlot(key) > Number(last));
    expect(untouched.length).to.be.above(0);
    for (const node of nodes) {
      const mine = touched.filter((key) => owners[keySlot(key)] === node.port);
      expect(mine.length, String(node.port)).to.be.above(0);
      const values = await Promise.all(mine.map((key) => node.client.get(key)));
      expect(values).to.deep.equal(mine.map(valueOf));
    }
    const targetHolds = touched.filter((key) => owners[keySlot(key)] === target.port).length + untouched.length;
    expect(await target.client.dbsize()).to.equal(targetHolds);
    expect(await source.client.dbsize()).to.equal(KEY_COUNT - touched.filter((key) => owners[keySlot(key)] === target.port).length);
  });

  it('blames no key on the target when it goes away before any key moved', async () => {
    const [source, target] = nodes;
    const members = [source, target];
    const placed = placeSlots(members.map((n) => `127.0.0.1:${n.port}`), 4096);
    const moving = Array.from({ length: SLOT_COUNT }, (_, slot) => slot).filter((slot) => members[placed[slot]] === target);
    const batch = moving.slice(0, 256);
    // The target shuts down on the first SETSLOT IMPORTING, unanswered and not applied: the
    // first batch fails at its first step, deterministically.
    const core = target.server.core;
    const execute = core.execute.bind(core);
    let closing: Promise<void> | null = null;
    core.execute = (client, args) => {
      if (args[0].toUpperCase() === 'CLUSTER' && args[1]?.toUpperCase() === 'SETSLOT' && args[3]?.toUpperCase() === 'IMPORTING') {
        closing ??= target.close();
        return true;
      }
      return execute(client, args);
    };
    const reply = (await source.call('CLUSTER', 'REBALANCE-RING')) as string;
    expect(closing).to.not.equal(null);
    await closing;
    nodes = [source];
    const s = `127.0.0.1:${source.port}`;
    const t = `127.0.0.1:${target.port}`;
    expect(reply).to.equal(
      `-ERR ring rebalance stopped moving 256 slots (${batch[0]}..${batch[255]}) from ${s} to ${t}: connection to ${t} closed ` +
        `(0 of ${moving.length} slots had moved; the other 256 slots of the batch are stable on ${s} again, with their keys)`,
    );
    expect(await openSlots(source)).to.deep.equal([]);
    expect((await slotPorts(source)).every((port) => port === source.port)).to.equal(true);
    await expectEveryKeyOnItsOwner([source], new Array<number>(SLOT_COUNT).fill(source.port));
  });

  it('leaves the source stable when the target goes away mid-move', async () => {
    const [source, target] = nodes;
    const targetDb = target.server.core.keyspace.db(0);
    // Closed as soon as the first keys have arrived, with most of the move still to do.
    let closing: Promise<void> | null = null;
    const watch = setInterval(() => {
      if (targetDb.size > 0) {
        clearInterval(watch);
        closing = target.close();
      }
    }, 1);
    const reply = (await source.call('CLUSTER', 'REBALANCE-RING')) as string;
    clearInterval(watch);
    expect(closing).to.not.equal(null);
    await closing;
    nodes = [source];
    expect(reply).to.match(/^-ERR ring rebalance stopped moving /);
    expect(reply).to.include(`to 127.0.0.1:${target.port}: `);
    expect(reply).to.include(`stable on 127.0.0.1:${source.port} again, but the keys already on 127.0.0.1:${target.port} could not be brought back (`);
    expect(await openSlots(source)).to.deep.equal([]);
    // What the source still owns it serves itself (no ASK, no TRYAGAIN): every key with its value,
    // but for keys of the failed batch that had reached the target, which went away with it.
    const [, first, last] = /moving \d+ slots \((\d+)\.\.(\d+)\)/.exec(reply) ?? [];
    expect(first).to.not.equal(undefined);
    const owners = await slotPorts(source);
    const mine = keys.filter((key) => owners[keySlot(key)] === source.port);
    expect(mine.length).to.be.above(KEY_COUNT / 4);
    const pipeline = source.client.pipeline();
    for (const key of mine) pipeline.get(key);
    const results = (await pipeline.exec()) ?? [];
    let present = 0;
    mine.forEach((key, i) => {
      const [err, value] = results[i];
      expect(err?.message ?? null, key).to.equal(null);
      if (value !== null) {
        expect(value, key).to.equal(valueOf(key));
        present++;
      } else {
        expect(keySlot(key), key).to.be.within(Number(first), Number(last));
      }
    });
    expect(await source.client.dbsize()).to.equal(present);
  });
});
