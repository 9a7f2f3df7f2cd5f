// CLUSTER REBALANCE-RING when a move fails midway: the command answers with the cause, no slot is
// left MIGRATING or IMPORTING on any node, and every key is on a node that owns its slot (the
// slots that were not moved are back, stable, on their old owner with their keys). Real servers
// in this process, formed by MEET and gossip: one owning every slot, one new and empty.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { keySlot, SLOT_COUNT } from '../../src/cluster/crc16.js';
import { placeSlots } from '../../src/cluster/ring.js';
import type { Client } from '../../src/server/client.js';
import { allAgree, startNode, until, type LiveNode } from './self-managed.js';
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

/**
 * Runs `before` on a node right before each request it receives from a connection. The node
 * serves one request at a time, so a side action lands exactly between two requests, with no
 * race. `run` is an in-process client of the node, whose requests skip `before`: what `before`
 * sends with it is served as a client's request arriving at that moment would be. `before`
 * returning 'drop' leaves the request unanswered and not applied. Returns what ends the hook.
 */
function beforeRequests(node: LiveNode, before: (args: string[], from: Client, run: (...args: string[]) => string) => 'drop' | void): () => void {
  const core = node.server.core;
  const execute = core.execute.bind(core);
  const own = core.createClient({ addr: '127.0.0.1:1', laddr: `127.0.0.1:${node.port}`, fd: -1 });
  const run = (...args: string[]): string => {
    execute(own, args);
    return own.reply.take()?.toString('latin1') ?? '';
  };
  core.execute = (client, args) => {
    if (client !== own && before(args, client, run) === 'drop') return true;
    return execute(client, args);
  };
  return () => {
    core.execute = execute;
    core.removeClient(own);
  };
}

const isCommand = (args: string[], ...words: string[]): boolean => words.every((word, i) => args[i]?.toUpperCase() === word);

/** The slots the ring gives the target, in the order the rebalance moves them. */
function slotsForTarget(source: LiveNode, target: LiveNode): number[] {
  const members = [source, target];
  const placed = placeSlots(members.map((n) => `127.0.0.1:${n.port}`), 4096);
  return Array.from({ length: SLOT_COUNT }, (_, slot) => slot).filter((slot) => members[placed[slot]] === target);
}

/**
 * The target refuses keys for lack of memory from the `n`th key the source migrates to it, and
 * has room again when the put-back first asks it for keys: the first batch fails with `n - 1`
 * of its keys on the target, and the put-back then finds a target that accepts writes. `also`
 * sees every request. Returns what ends the hook.
 */
function refuseKeysFrom(target: LiveNode, n: number, also: (args: string[], run: (...args: string[]) => string) => void = () => undefined): () => void {
  let restores = 0;
  let refusing = false;
  return beforeRequests(target, (args, _from, run) => {
    if (isCommand(args, 'RESTORE-ASKING') && ++restores === n) {
      expect(run('CONFIG', 'SET', 'maxmemory', '1')).to.equal('+OK\r\n');
      refusing = true;
    }
    if (refusing && isCommand(args, 'CLUSTER', 'GETKEYSINSLOT')) {
      expect(run('CONFIG', 'SET', 'maxmemory', '0')).to.equal('+OK\r\n');
      refusing = false;
    }
    also(args, run);
  });
}

/** A key name of `slot` (`prefix` and a number, hash-tagged so that several share the slot). */
function keyOfSlot(slot: number, prefix: string): string {
  for (let i = 0; ; i++) if (keySlot(`{${prefix}${i}}`) === slot) return `{${prefix}${i}}`;
}

/** Runs redis-cli --cluster fix on the cluster of `node`, as the failures that leave slots open advise. */
async function runClusterFix(node: LiveNode): Promise<void> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('redis-cli', ['--cluster', 'fix', `127.0.0.1:${node.port}`], { encoding: 'latin1', timeout: 60000 }, (err, stdout) => {
      if (err !== null) reject(new Error(`redis-cli --cluster fix failed: ${err.message}\n${stdout}`));
      else resolve(stdout);
    });
  });
  expect(out).to.include('[OK] All 16384 slots covered.');
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

  describe('its put-back, when clients write meanwhile', () => {
    /** The reply of a rebalance whose first batch failed at its MIGRATE for lack of memory on the target. */
    function stoppedForMemory(moving: number[], outcome: string): string {
      const [source, target] = nodes;
      const s = `127.0.0.1:${source.port}`;
      const batch = moving.slice(0, 256);
      return (
        `-ERR ring rebalance stopped moving 256 slots (${batch[0]}..${batch[255]}) from ${s} to 127.0.0.1:${target.port}: ` +
        `MIGRATE from ${s} failed: ERR Target instance replied with error: ${OOM} (0 of ${moving.length} slots had moved; ${outcome})`
      );
    }

    it('closes the slots without a MULTI when the target stays over maxmemory, which refuses queued commands', async () => {
      const [source, target] = nodes;
      const moving = slotsForTarget(source, target);
      let restores = 0;
      let refused = 0;
      const stop = beforeRequests(target, (args, _from, run) => {
        if (isCommand(args, 'RESTORE-ASKING') && ++restores === 5) expect(run('CONFIG', 'SET', 'maxmemory', '1')).to.equal('+OK\r\n');
        if (isCommand(args, 'EXEC')) refused++;
      });
      const reply = await source.call('CLUSTER', 'REBALANCE-RING');
      stop();
      expect(await target.call('CONFIG', 'SET', 'maxmemory', '0')).to.equal('OK');
      expect(reply).to.equal(stoppedForMemory(moving, `the other 256 slots of the batch are stable on 127.0.0.1:${source.port} again, with their keys`));
      expect(refused).to.equal(1);
      for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
      await expectEveryKeyOnItsOwner(nodes, new Array<number>(SLOT_COUNT).fill(source.port));
    });

    it('brings back a key written on the target after it was emptied, in a second round', async () => {
      const [source, target] = nodes;
      const moving = slotsForTarget(source, target);
      const late = keyOfSlot(moving[100], 'late');
      let multis = 0;
      refuseKeysFrom(target, 5, (args, run) => {
        // Right before the transaction that checks the target is empty and closes the slots: a
        // client sent there by an ASK given before the source closed them writes a key.
        if (isCommand(args, 'MULTI') && ++multis === 1) {
          expect(run('ASKING')).to.equal('+OK\r\n');
          expect(run('SET', late, 'late value')).to.equal('+OK\r\n');
        }
      });
      const reply = await source.call('CLUSTER', 'REBALANCE-RING');
      expect(reply).to.equal(stoppedForMemory(moving, `the other 256 slots of the batch are stable on 127.0.0.1:${source.port} again, with their keys`));
      expect(multis).to.equal(2);
      for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
      for (const node of nodes) expect((await slotPorts(node)).every((port) => port === source.port)).to.equal(true);
      expect(await source.client.get(late)).to.equal('late value');
      expect(await source.call('DEL', late)).to.equal(1);
      await expectEveryKeyOnItsOwner(nodes, new Array<number>(SLOT_COUNT).fill(source.port));
    });

    it('leaves a slot open on the target, for redis-cli --cluster fix, when keys keep arriving there', async () => {
      const [source, target] = nodes;
      const moving = slotsForTarget(source, target);
      const slot = moving[100];
      const tag = keyOfSlot(slot, 'late');
      const late = [0, 1, 2, 3, 4].map((i) => `${tag}:${i}`);
      let multis = 0;
      const stop = refuseKeysFrom(target, 5, (args, run) => {
        if (!isCommand(args, 'MULTI')) return;
        const key = late[multis++];
        expect(run('ASKING')).to.equal('+OK\r\n');
        expect(run('SET', key, `value of ${key}`)).to.equal('+OK\r\n');
      });
      const reply = await source.call('CLUSTER', 'REBALANCE-RING');
      stop();
      const t = `127.0.0.1:${target.port}`;
      expect(reply).to.equal(
        stoppedForMemory(
          moving,
          `the other 256 slots of the batch are stable on 127.0.0.1:${source.port} again, but keys written to ${t} kept arriving in slots ${slot}: run redis-cli --cluster fix`,
        ),
      );
      expect(multis).to.equal(5);
      // Each round brought the key written before it back; the last one stays on the target, in
      // the one slot it still imports, where redis-cli --cluster fix looks for keys to move.
      expect(await openSlots(source)).to.deep.equal([]);
      expect(await openSlots(target)).to.deep.equal([`[${slot}-<-${await source.call('CLUSTER', 'MYID')}]`]);
      for (const node of nodes) expect((await slotPorts(node)).every((port) => port === source.port)).to.equal(true);
      expect(await target.client.dbsize()).to.equal(1);
      expect(await target.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '10')).to.deep.equal([late[4]]);
      for (const key of late.slice(0, 4)) expect(await source.client.get(key)).to.equal(`value of ${key}`);
      // redis-cli keeps the node with the most keys of the slot as its owner: the source, which
      // takes the last key too.
      await runClusterFix(source);
      for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
      for (const node of nodes) expect((await slotPorts(node)).every((port) => port === source.port)).to.equal(true);
      for (const key of late) {
        expect(await source.client.get(key)).to.equal(`value of ${key}`);
        expect(await source.call('DEL', key)).to.equal(1);
      }
      await expectEveryKeyOnItsOwner(nodes, new Array<number>(SLOT_COUNT).fill(source.port));
    });

    it('brings back a key refused as existing that a client then deleted on the owner, as if deleted before', async () => {
      const [source, target] = nodes;
      const moving = slotsForTarget(source, target);
      refuseKeysFrom(target, 5);
      let refused: string | null = null;
      let restores = 0;
      let exists = 0;
      beforeRequests(source, (args, _from, run) => {
        // The source receives keys only from the put-back. A client writes the first one on the
        // source, which serves the slot again, right before it arrives: MIGRATE says BUSYKEY.
        if (isCommand(args, 'RESTORE-ASKING')) {
          if (refused === null) {
            refused = args[1];
            expect(run('SET', refused, 'newer')).to.equal('+OK\r\n');
          }
          if (args[1] === refused) restores++;
        }
        // Then deletes it, right before the put-back checks whether the source has it.
        if (isCommand(args, 'EXISTS')) {
          expect(args.slice(1)).to.deep.equal([refused]);
          if (exists++ === 0) expect(run('DEL', args[1])).to.equal(':1\r\n');
        }
      });
      const reply = await source.call('CLUSTER', 'REBALANCE-RING');
      expect(reply).to.equal(stoppedForMemory(moving, `the other 256 slots of the batch are stable on 127.0.0.1:${source.port} again, with their keys`));
      expect(refused).to.not.equal(null);
      expect([restores, exists]).to.deep.equal([2, 1]);
      for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
      for (const node of nodes) expect((await slotPorts(node)).every((port) => port === source.port)).to.equal(true);
      // The target's copy, the key's value before the rebalance, is back; no other copy is left.
      await expectEveryKeyOnItsOwner(nodes, new Array<number>(SLOT_COUNT).fill(source.port));
    });

    it('gives up bringing keys back when refused keys keep vanishing from the owner', async () => {
      const [source, target] = nodes;
      const moving = slotsForTarget(source, target);
      const stopTarget = refuseKeysFrom(target, 5);
      let refused: string | null = null;
      let restores = 0;
      let exists = 0;
      const stop = beforeRequests(source, (args, _from, run) => {
        if (isCommand(args, 'RESTORE-ASKING') && (refused === null || args[1] === refused)) {
          refused = args[1];
          restores++;
          expect(run('SET', refused, 'newer')).to.equal('+OK\r\n');
        }
        if (isCommand(args, 'EXISTS')) {
          exists++;
          expect(run('DEL', args[1])).to.equal(':1\r\n');
        }
      });
      const reply = await source.call('CLUSTER', 'REBALANCE-RING');
      stop();
      stopTarget();
      const s = `127.0.0.1:${source.port}`;
      const t = `127.0.0.1:${target.port}`;
      expect(reply).to.equal(
        stoppedForMemory(
          moving,
          `the other 256 slots of the batch are stable on ${s} again, but the keys already on ${t} could not be brought back ` +
            `(MIGRATE from ${t} failed: keys refused as existing are not on ${s}): run redis-cli --cluster fix`,
        ),
      );
      expect([restores, exists]).to.deep.equal([5, 5]);
      // The put-back stopped before closing any slot on the target.
      const sourceId = (await source.call('CLUSTER', 'MYID')) as string;
      expect(await openSlots(source)).to.deep.equal([]);
      expect(await openSlots(target)).to.deep.equal(moving.slice(0, 256).map((slot) => `[${slot}-<-${sourceId}]`));
      for (const node of nodes) expect((await slotPorts(node)).every((port) => port === source.port)).to.equal(true);
      const key = refused as unknown as string;
      expect(await target.client.dbsize()).to.equal(1);
      expect(await target.call('CLUSTER', 'GETKEYSINSLOT', String(keySlot(key)), '10')).to.deep.equal([key]);
      expect(await source.client.exists(key)).to.equal(0);
      const rest = keys.filter((other) => other !== key);
      expect(await source.client.dbsize()).to.equal(rest.length);
      const pipeline = source.client.pipeline();
      for (const other of rest) pipeline.get(other);
      expect(((await pipeline.exec()) ?? []).map(([err, value]) => err ?? value)).to.deep.equal(rest.map(valueOf));
      // The target holds the slot's only key: redis-cli makes it the slot's owner.
      expect(await source.call('CLUSTER', 'COUNTKEYSINSLOT', String(keySlot(key)))).to.equal(0);
      await runClusterFix(source);
      await allAgree(nodes);
      for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
      const owners = new Array<number>(SLOT_COUNT).fill(source.port);
      owners[keySlot(key)] = target.port;
      for (const node of nodes) expect(await slotPorts(node)).to.deep.equal(owners);
      await expectEveryKeyOnItsOwner(nodes, owners);
    });
  });

  it('reports the slots the target took as maybe open on the source when the source cannot be told again', async () => {
    const [source, target] = nodes;
    const moving = slotsForTarget(source, target);
    const batch = moving.slice(0, 256);
    // The link to the source drops at the source's first SETSLOT NODE, unanswered and not
    // applied, after the target took every slot of the batch: the repeat cannot reach it.
    let dropped: Client | null = null;
    beforeRequests(source, (args, from) => {
      if (dropped === null && isCommand(args, 'CLUSTER', 'SETSLOT') && args[3]?.toUpperCase() === 'NODE') {
        dropped = from;
        from.onClose?.();
      }
      return from === dropped ? 'drop' : undefined;
    });
    const reply = await source.call('CLUSTER', 'REBALANCE-RING');
    const s = `127.0.0.1:${source.port}`;
    const t = `127.0.0.1:${target.port}`;
    const range = `${batch[0]}..${batch[255]}`;
    expect(reply).to.equal(
      `-ERR ring rebalance stopped moving 256 slots (${range}) from ${s} to ${t}: connection to ${s} closed ` +
        `(256 of ${moving.length} slots had moved; the 256 slots ${t} took (${range}) may still be open on ${s}: run redis-cli --cluster fix)`,
    );
    const owners = new Array<number>(SLOT_COUNT).fill(source.port);
    for (const slot of batch) owners[slot] = target.port;
    expect(await slotPorts(target)).to.deep.equal(owners);
    expect(await openSlots(target)).to.deep.equal([]);
    // The source learns the new owner by gossip, but keeps the slots MIGRATING.
    await until(async () => (await slotPorts(source)).every((port, slot) => port === owners[slot]));
    const targetId = (await target.call('CLUSTER', 'MYID')) as string;
    expect(await openSlots(source)).to.deep.equal(batch.map((slot) => `[${slot}->-${targetId}]`));
    await expectEveryKeyOnItsOwner(nodes, owners);
    await runClusterFix(source);
    for (const node of nodes) expect(await openSlots(node)).to.deep.equal([]);
    expect(await slotPorts(source)).to.deep.equal(owners);
    await expectEveryKeyOnItsOwner(nodes, owners);
  });
});
