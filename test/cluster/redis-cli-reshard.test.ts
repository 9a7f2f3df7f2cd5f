// redis-cli --cluster reshard, rebalance, fix and import, run against ringcache nodes with keys
// in them: every key must end up on the node that owns its slot, with its value and its TTL,
// none lost. The open-slot markers an interrupted reshard leaves must survive a restart.

import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { keySlot } from '../../src/cluster/crc16.js';
import { allAgree, startNode, type LiveNode } from './self-managed.js';
import { removeTempDirs, tempDir } from './helpers.js';
import { freePort } from '../helpers/redis-server.js';

const address = (node: LiveNode | number): string => `127.0.0.1:${typeof node === 'number' ? node : node.port}`;

/**
 * redis-cli's output without colour codes. `input` answers its prompts (fix asks before covering
 * slots even with --cluster-yes). A hang is killed by the timeout and fails the test; the timeout
 * is far past a rebalance's few seconds, which grow tenfold on a busy machine.
 */
function redisCli(args: string[], input = ''): Promise<{ out: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile('redis-cli', args, { encoding: 'latin1', timeout: 150000, maxBuffer: 64 << 20 }, (err, stdout) => {
      const failure = err as (Error & { code?: number | string; killed?: boolean }) | null;
      if (failure?.killed === true) reject(new Error(`redis-cli ${args.join(' ')} timed out:\n${stdout}`));
      else resolve({ out: stdout.replace(/\x1b\[[0-9;]*m/g, ''), code: typeof failure?.code === 'number' ? failure.code : 0 });
    });
    child.stdin?.end(input);
  });
}

/** redis-cli output; rejects when it exits with an error. */
async function cli(...args: string[]): Promise<string> {
  const { out, code } = await redisCli(args);
  if (code !== 0) throw new Error(`redis-cli ${args.join(' ')} exited with ${code}:\n${out}`);
  return out;
}


/** Keys named `prefix<n>` whose slots are in [from, to], `perSlot` of them per slot. */
function keysInSlots(prefix: string, from: number, to: number, perSlot: number): string[] {
  const counts = new Map<number, number>();
  const keys: string[] = [];
  const wanted = (to - from + 1) * perSlot;
  for (let i = 0; keys.length < wanted; i++) {
    const key = `${prefix}${i}`;
    const slot = keySlot(key);
    if (slot < from || slot > to) continue;
    const n = counts.get(slot) ?? 0;
    if (n === perSlot) continue;
    counts.set(slot, n + 1);
    keys.push(key);
  }
  return keys;
}

/** The value a key's payload has in these tests: its own name, so a misplaced value shows. */
const valueOf = (key: string): string => `value of ${key} ${'x'.repeat(keySlot(key) % 40)}`;

describe('redis-cli --cluster reshard, rebalance, fix and import against ringcache nodes', function () {
  // A test here takes up to 7 s on an idle machine; a timeout that cut a rebalance short would
  // also leave slots open for the tests after it.
  this.timeout(240000);
  // Made in before(): a directory made while mocha loads the files would be deleted by an earlier
  // file's removeTempDirs.
  let dir = '';
  let nodes: LiveNode[] = [];
  let ids: string[] = [];
  let redis: ChildProcess | null = null;
  let redisPort = 0;
  /** Every key written to the cluster, with whether it was given a TTL. */
  const written = new Map<string, boolean>();
  /** How many of `nodes` are cluster members (the fourth joins with add-node). */
  let joined = 3;

  /** The node a command must go to: follows MOVED from the first node. */
  async function call(...args: string[]): Promise<unknown> {
    let node = nodes[0];
    for (let hops = 0; hops < 4; hops++) {
      const reply = await node.call(...args);
      const moved = typeof reply === 'string' ? /^-MOVED \d+ 127\.0\.0\.1:(\d+)$/.exec(reply) : null;
      if (moved === null) return reply;
      node = nodeAt(Number(moved[1]));
    }
    throw new Error(`redirected too often: ${args.join(' ')}`);
  }

  const nodeAt = (port: number): LiveNode => nodes.find((n) => n.port === port) as LiveNode;

  async function writeKeys(keys: string[], ttlEvery = 2): Promise<void> {
    const replies = await Promise.all(
      keys.map((key, i) => {
        const withTtl = i % ttlEvery === 0;
        written.set(key, withTtl);
        return call('SET', key, valueOf(key), ...(withTtl ? ['EX', '100000'] : []));
      }),
    );
    expect(new Set(replies)).to.deep.equal(new Set(['OK']));
  }

  /** Slot → its owner's port, as `node` sees it (CLUSTER SLOTS). */
  async function slotOwners(node: LiveNode): Promise<Map<number, number>> {
    const owners = new Map<number, number>();
    for (const [start, end, [, port]] of (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]) {
      for (let slot = start; slot <= end; slot++) owners.set(slot, port);
    }
    return owners;
  }

  /**
   * Every key written is on its slot's owner (served there without a redirect), with its value,
   * and with a TTL exactly when it was given one; no node holds a key its slot's owner lacks.
   */
  async function expectEveryKeyHome(): Promise<void> {
    const owners = await slotOwners(nodes[0]);
    const found = await Promise.all(
      [...written.keys()].map(async (key) => {
        const owner = nodeAt(owners.get(keySlot(key)) as number);
        return [key, await owner.call('GET', key), await owner.call('PTTL', key)] as const;
      }),
    );
    for (const [key, value, ttl] of found) {
      expect(value, key).to.equal(valueOf(key));
      if (written.get(key) === true) expect(ttl, `PTTL ${key}`).to.be.within(1, 100000000);
      else expect(ttl, `PTTL ${key}`).to.equal(-1);
    }
    let total = 0;
    for (const node of nodes) total += (await node.call('DBSIZE')) as number;
    expect(total).to.equal(written.size);
  }

  async function slotCount(node: LiveNode): Promise<number> {
    const line = ((await node.call('CLUSTER', 'NODES')) as string).split('\n').find((l) => l.includes('myself')) as string;
    let count = 0;
    for (const range of line.split(' ').slice(8)) {
      if (range.startsWith('[')) continue;
      const [start, end] = range.split('-').map(Number);
      count += (end ?? start) - start + 1;
    }
    return count;
  }

  /** Waits until every node shows the same view (gossip carries the last SETSLOTs). */
  const converged = (members = nodes.slice(0, joined)): Promise<void> => allAgree(members, 30000);

  before(async () => {
    dir = tempDir();
    nodes = await Promise.all([0, 1, 2, 3].map((i) => startNode(dir, String(i))));
    redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const out = await cli('--cluster', 'create', ...nodes.slice(0, 3).map(address), '--cluster-yes');
    expect(out).to.include('[OK] All 16384 slots covered.');
    ids = (await Promise.all(nodes.map((n) => n.call('CLUSTER', 'MYID')))) as string[];
    await converged();
  });

  after(async () => {
    redis?.kill();
    await Promise.all(nodes.map((n) => n.close()));
    removeTempDirs();
  });

  it('reshard: 100 slots with their keys move to the target, TTLs kept, none lost', async () => {
    // create gives the first node 0-5460; reshard takes a source's slots from its lowest.
    const moving = keysInSlots('r:', 0, 99, 2);
    await writeKeys(moving);
    // Keys elsewhere (not in the slots the tests move first), a third of them with a TTL.
    const elsewhere = Array.from({ length: 300 }, (_, i) => `o:${i}`).filter((key) => keySlot(key) >= 100 && (keySlot(key) < 5461 || keySlot(key) > 5470));
    await writeKeys(elsewhere.concat(['foo', 'bar', '{user1}.a']), 3);
    const before = await Promise.all([0, 50, 99].map((slot) => nodes[0].call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))));
    expect(before).to.deep.equal([2, 2, 2]);

    const out = await cli('--cluster', 'reshard', address(nodes[0]), '--cluster-from', ids[0], '--cluster-to', ids[1], '--cluster-slots', '100', '--cluster-yes');
    expect(out).to.include(`Moving slot 99 from ${address(nodes[0])} to ${address(nodes[1])}: ..\n`);
    for (const slot of ['0', '50', '99']) {
      expect(await nodes[0].call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(0);
      expect(await nodes[1].call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(2);
    }
    expect(await nodes[0].call('GET', moving[0])).to.equal(`-MOVED ${keySlot(moving[0])} ${address(nodes[1])}`);
    expect(await slotCount(nodes[1])).to.equal(5462 + 100);
    await expectEveryKeyHome();
    const check = await cli('--cluster', 'check', address(nodes[2]));
    expect(check).to.include('[OK] All nodes agree about slots configuration.');
    expect(check).to.include('[OK] All 16384 slots covered.');
    expect(check).to.not.include('[WARNING]');
  });

  it('reshard with --cluster-pipeline: keys move in batches of that size', async () => {
    // Ten keys in one slot: with a pipeline of 3, MIGRATE runs four times for it, once for
    // each of the 100 slots with two keys; the source now holds 0-99 and 5461-10922.
    const crowded = keysInSlots('p:', 5461, 5461, 10);
    await writeKeys(crowded);
    const migrateCalls = async (): Promise<number> => {
      const info = (await nodes[1].call('INFO', 'commandstats')) as string;
      return Number(/cmdstat_migrate:calls=(\d+)/.exec(info)?.[1] ?? 0);
    };
    const before = await migrateCalls();
    const out = await cli('--cluster', 'reshard', address(nodes[0]), '--cluster-from', ids[1], '--cluster-to', ids[2], '--cluster-slots', '101', '--cluster-yes', '--cluster-pipeline', '3');
    expect(out).to.include(`Moving slot 5461 from ${address(nodes[1])} to ${address(nodes[2])}: ..........\n`);
    expect((await migrateCalls()) - before).to.equal(100 + 4);
    expect(await nodes[1].call('CLUSTER', 'COUNTKEYSINSLOT', '5461')).to.equal(0);
    expect(await nodes[2].call('CLUSTER', 'COUNTKEYSINSLOT', '5461')).to.equal(10);
    expect(await nodes[2].call('CLUSTER', 'COUNTKEYSINSLOT', '50')).to.equal(2);
    await expectEveryKeyHome();
  });

  it('rebalance: an added empty master takes its weighted share with --cluster-use-empty-masters, and weight 0 drains it', async () => {
    const added = await cli('--cluster', 'add-node', address(nodes[3]), address(nodes[0]));
    expect(added).to.include('[OK] New node added correctly.');
    joined = 4;
    await converged();
    // A small weight keeps the run short: 16384 * 0.1/3.1 slots, as redis-cli rounds them.
    const weight = `${ids[3]}=0.1`;
    const out = await cli('--cluster', 'rebalance', address(nodes[0]), '--cluster-use-empty-masters', '--cluster-weight', weight);
    expect(out).to.include('>>> Rebalancing across 4 nodes. Total weight = 3.10');
    expect(out).to.include(`to ${address(nodes[3])}\n`);
    expect(await slotCount(nodes[3])).to.be.within(528, 529);
    await converged();
    await expectEveryKeyHome();
    const again = await cli('--cluster', 'rebalance', address(nodes[0]), '--cluster-use-empty-masters', '--cluster-weight', weight);
    expect(again).to.include('*** No rebalancing needed! All nodes are within the 2.00% threshold.');

    const drained = await cli('--cluster', 'rebalance', address(nodes[0]), '--cluster-weight', `${ids[3]}=0`);
    expect(drained).to.include('>>> Rebalancing across 4 nodes. Total weight = 3.00');
    expect(drained).to.include(`from ${address(nodes[3])} to`);
    expect(await slotCount(nodes[3])).to.equal(0);
    expect(await nodes[3].call('DBSIZE')).to.equal(0);
    await converged();
    await expectEveryKeyHome();
    const check = await cli('--cluster', 'check', address(nodes[3]));
    expect(check).to.include('[OK] All nodes agree about slots configuration.');
    expect(check).to.include('[OK] All 16384 slots covered.');
    expect(check).to.not.include('[WARNING]');
  });

  /** A slot served by one of the first three nodes, that node, and another of them. */
  async function openSlot(prefix: string): Promise<{ slot: number; source: LiveNode; target: LiveNode; sourceId: string; targetId: string }> {
    const slot = keySlot(`${prefix}0`);
    const owners = await slotOwners(nodes[0]);
    const source = nodeAt(owners.get(slot) as number);
    const target = nodes.slice(0, 3).find((n) => n !== source) as LiveNode;
    return { slot, source, target, sourceId: ids[nodes.indexOf(source)], targetId: ids[nodes.indexOf(target)] };
  }

  it('fix: a reshard interrupted after SETSLOT IMPORTING and MIGRATING is finished (the keys go to the target)', async () => {
    const { slot, source, target, sourceId, targetId } = await openSlot('cut:');
    await writeKeys(keysInSlots('cut:', slot, slot, 5));
    expect(await target.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId)).to.equal('OK');
    expect(await source.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId)).to.equal('OK');
    const broken = await redisCli(['--cluster', 'check', address(nodes[0])]);
    expect(broken.out).to.include(`[WARNING] Node ${address(source)} has slots in migrating state ${slot}.`);
    expect(broken.out).to.include(`[WARNING] Node ${address(target)} has slots in importing state ${slot}.`);
    expect(broken.out).to.include(`[WARNING] The following slots are open: ${slot}.`);

    const out = await cli('--cluster', 'fix', address(nodes[0]));
    expect(out, out).to.include(`>>> Case 1: Moving slot ${slot} from ${address(source)} to ${address(target)}`);
    expect(await target.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(5);
    expect(await source.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(0);
    await converged();
    expect((await slotOwners(nodes[2])).get(slot)).to.equal(target.port);
    await expectEveryKeyHome();
    const check = await cli('--cluster', 'check', address(nodes[0]));
    expect(check).to.include('[OK] All 16384 slots covered.');
    expect(check).to.not.include('[WARNING]');
  });

  it('fix: a reshard interrupted after moving some keys: the node holding most keys keeps the slot and gets them all', async () => {
    const { slot, source, target, sourceId, targetId } = await openSlot('half:');
    const keys = keysInSlots('half:', slot, slot, 6);
    await writeKeys(keys);
    expect(await target.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId)).to.equal('OK');
    expect(await source.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId)).to.equal('OK');
    expect(await source.call('MIGRATE', '127.0.0.1', String(target.port), '', '0', '5000', 'KEYS', ...keys.slice(0, 2))).to.equal('OK');

    const out = await cli('--cluster', 'fix', address(nodes[0]));
    expect(out, out).to.include(`*** Found keys about slot ${slot} in non-owner node ${address(target)}!`);
    expect(out).to.include(`*** Configuring ${address(source)} as the slot owner`);
    expect(out).to.include(`>>> Case 2: Moving all the ${slot} slot keys to its owner ${address(source)}`);
    expect(await source.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(6);
    expect(await target.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(0);
    await converged();
    await expectEveryKeyHome();
    const check = await cli('--cluster', 'check', address(nodes[0]));
    expect(check).to.not.include('[WARNING]');
  });

  it('fix: a slot left IMPORTING alone, with a key written there after ASKING, has its keys moved to the owner', async () => {
    const slot = keySlot('stray:0');
    const owners = await slotOwners(nodes[0]);
    const owner = nodeAt(owners.get(slot) as number);
    const importer = nodes.slice(0, 3).find((n) => n !== owner) as LiveNode;
    // The owner holds more keys of the slot than the importer, so redis-cli keeps it as owner.
    await writeKeys(keysInSlots('stray:', slot, slot, 3).slice(1));
    expect(await importer.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', ids[nodes.indexOf(owner)])).to.equal('OK');
    const pipeline = importer.client.pipeline().call('ASKING').call('SET', 'stray:0', valueOf('stray:0'));
    expect((await pipeline.exec())?.map(([, reply]) => reply)).to.deep.equal(['OK', 'OK']);
    written.set('stray:0', false);

    const out = await cli('--cluster', 'fix', address(nodes[0]));
    expect(out, out).to.include(`>>> Case 2: Moving all the ${slot} slot keys to its owner ${address(owner)}`);
    expect(out).to.include(`Set as importing in: ${address(importer)}`);
    expect(out).to.include(`>>> Case 2: Moving all the ${slot} slot keys to its owner ${address(owner)}`);
    expect(out).to.include(`>>> Setting ${slot} as STABLE in ${address(importer)}`);
    expect(await owner.call('GET', 'stray:0')).to.equal(valueOf('stray:0'));
    expect(await importer.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(0);
    expect(await owner.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).to.equal(3);
    await expectEveryKeyHome();
  });

  it('fix: slots left unassigned by DELSLOTS are covered again, those with keys by the node holding them', async () => {
    const owners = await slotOwners(nodes[0]);
    const holder = nodeAt(owners.get(keySlot('foo')) as number);
    const mine = [...owners].filter(([, port]) => port === holder.port).map(([slot]) => slot);
    const empty: number[] = [];
    for (const slot of mine) {
      if (empty.length < 3 && (await holder.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))) === 0) empty.push(slot);
    }
    const withKeys = keySlot('foo');
    expect(await holder.call('CLUSTER', 'DELSLOTS', String(withKeys), ...empty.map(String))).to.equal('OK');
    const broken = await redisCli(['--cluster', 'check', address(nodes[0])]);
    expect(broken.code).to.equal(1);
    expect(broken.out).to.include('[ERR] Not all 16384 slots are covered by nodes.');

    // fix asks before covering slots even with --cluster-yes: answer its two prompts.
    const { out, code } = await redisCli(['--cluster', 'fix', address(nodes[0]), '--cluster-yes'], 'yes\nyes\n');
    expect(code, out).to.equal(0);
    expect(out).to.include('The following uncovered slots have no keys across the cluster:');
    expect(out).to.include('The following uncovered slots have keys in just one node:');
    expect(out).to.include(`>>> Covering slot ${withKeys} with ${address(holder)}`);
    await converged();
    const check = await cli('--cluster', 'check', address(nodes[0]));
    expect(check, check).to.include('[OK] All nodes agree about slots configuration.');
    expect(check).to.include('[OK] All 16384 slots covered.');
    for (const node of nodes.slice(0, joined)) expect(((await node.call('CLUSTER', 'INFO')) as string).split('\r\n')[0]).to.equal('cluster_state:ok');
    await expectEveryKeyHome();
  });

  it('import: keys of a real non-cluster redis-server arrive on the nodes owning their slots, with values and TTLs', async () => {
    const source = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, retryStrategy: (n) => (n < 50 ? 100 : null) });
    await source.connect();
    try {
      // Integers, short strings, strings real Redis LZF-compresses, binary bytes; a third with a TTL.
      const imported = new Map<string, Buffer>();
      for (let i = 0; i < 60; i++) imported.set(`imp:${i}`, Buffer.from(i % 3 === 0 ? String(i * 1000) : `${'payload '.repeat(i % 7)}${i}`, 'latin1'));
      imported.set('imp:binary\xff', Buffer.from([0, 255, 13, 10, 128]));
      imported.set('imp:big', Buffer.from('abc'.repeat(5000), 'latin1'));
      const pipeline = source.pipeline().flushall();
      [...imported].forEach(([key, value], i) => pipeline.set(Buffer.from(key, 'latin1'), value, ...((i % 3 === 1 ? ['EX', 50000] : []) as [])));
      await pipeline.exec();

      const out = await cli('--cluster', 'import', address(nodes[0]), '--cluster-from', address(redisPort), '--cluster-copy');
      expect(out).to.include(`>>> Importing data from ${address(redisPort)} to cluster ${address(nodes[0])}`);
      expect(out).to.include(`*** Importing ${imported.size} keys from DB 0`);
      expect(await source.dbsize()).to.equal(imported.size);
      const owners = await slotOwners(nodes[0]);
      let i = 0;
      for (const [key, value] of imported) {
        const owner = nodeAt(owners.get(keySlot(key)) as number);
        expect(await owner.client.getBuffer(Buffer.from(key, 'latin1')), key).to.deep.equal(value);
        const ttl = await owner.client.pttl(Buffer.from(key, 'latin1'));
        if (i++ % 3 === 1) expect(ttl, key).to.be.within(1, 50000000);
        else expect(ttl, key).to.equal(-1);
        written.set(key, false);
      }

      // Without --cluster-replace a key already there stops the import, with Redis's error.
      await source.set('imp:1', 'changed');
      const refused = await redisCli(['--cluster', 'import', address(nodes[0]), '--cluster-from', address(redisPort), '--cluster-copy']);
      expect(refused.code).to.equal(1);
      expect(refused.out).to.include('ERR Target instance replied with error: BUSYKEY Target key name already exists.');

      const replaced = await cli('--cluster', 'import', address(nodes[0]), '--cluster-from', address(redisPort), '--cluster-replace');
      expect(replaced).to.include(`*** Importing ${imported.size} keys from DB 0`);
      expect(await source.dbsize()).to.equal(0);
      expect(await call('GET', 'imp:1')).to.equal('changed');
      expect(await call('GET', 'imp:3')).to.equal('3000');
    } finally {
      source.disconnect();
    }
  });

  it('the open-slot markers are kept in the nodes file and restored after a restart, and fix then closes them', async () => {
    const owners = await slotOwners(nodes[0]);
    const slots = [...owners.keys()];
    const outgoing = slots.find((slot) => owners.get(slot) === nodes[0].port) as number;
    const incoming = slots.find((slot) => owners.get(slot) === nodes[2].port) as number;
    expect(await nodes[0].call('CLUSTER', 'SETSLOT', String(outgoing), 'MIGRATING', ids[1])).to.equal('OK');
    expect(await nodes[0].call('CLUSTER', 'SETSLOT', String(incoming), 'IMPORTING', ids[2])).to.equal('OK');
    const markers = ` [${outgoing}->-${ids[1]}] [${incoming}-<-${ids[2]}]`;
    const myLine = async (): Promise<string> => ((await nodes[0].call('CLUSTER', 'NODES')) as string).split('\n').find((line) => line.includes('myself')) as string;
    expect(await myLine()).to.match(new RegExp(`${escape(markers)}$`));
    expect(readFileSync(join(dir, 'nodes-0.conf'), 'latin1')).to.include(`${markers}\n`);

    const port = nodes[0].port;
    await nodes[0].close();
    nodes[0] = await startNode(dir, '0', port);
    expect(await nodes[0].call('CLUSTER', 'MYID')).to.equal(ids[0]);
    expect(await myLine()).to.match(new RegExp(`${escape(markers)}$`));
    // The restarted node routes by them again: a key of the incoming slot is served after ASKING.
    const pipeline = nodes[0].client.pipeline().call('ASKING').call('GET', keysInSlots('in:', incoming, incoming, 1)[0]);
    expect((await pipeline.exec())?.map(([, reply]) => reply)).to.deep.equal(['OK', null]);
    await converged();
    const broken = await redisCli(['--cluster', 'check', address(nodes[1])]);
    expect(broken.out).to.include(`[WARNING] Node ${address(nodes[0])} has slots in migrating state ${outgoing}.`);
    expect(broken.out).to.include(`[WARNING] Node ${address(nodes[0])} has slots in importing state ${incoming}.`);

    const { out, code } = await redisCli(['--cluster', 'fix', address(nodes[1])]);
    expect(code, out).to.equal(0);
    const check = await cli('--cluster', 'check', address(nodes[1]));
    expect(check).to.not.include('[WARNING]');
    expect(await myLine()).to.not.include('[');
  });
});

function escape(text: string): string {
  return text.replace(/[[\]\\^$.|?*+()]/g, '\\$&');
}
