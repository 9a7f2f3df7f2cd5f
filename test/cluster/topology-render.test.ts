// The slot ranges of a topology are rebuilt when something reads them, not on every ownership
// change: a reshard sends each master one SETSLOT per slot, and rebuilding thousands of ranges
// each time was most of a ring rebalance's time. Every reader must still see the current map.

import { expect } from 'chai';
import type { ClusterNode } from '../../src/cluster/cluster-node.js';
import { SLOT_COUNT } from '../../src/cluster/crc16.js';
import { newNodeId } from '../../src/cluster/nodes-file.js';
import { NO_OWNER, slotRuns } from '../../src/cluster/ring.js';
import { newPeer, Topology, type ClusterPeer } from '../../src/cluster/topology.js';
import { Session, resp } from '../helpers/session.js';
import { removeTempDirs, tempDir, THREE_NODES } from './helpers.js';

const sessions: Session[] = [];

/** A self-managed node on 127.0.0.1:7100 that owns every slot and knows one other master. */
function nodeWithPeer(): { s: Session; node: ClusterNode; other: ClusterPeer } {
  const s = new Session({ config: { 'cluster-enabled': 'yes', 'cluster-announce-ip': '127.0.0.1', dir: tempDir() } });
  sessions.push(s);
  const node = s.core.cluster as ClusterNode;
  node.start(7100);
  expect(s.call('CLUSTER', 'ADDSLOTSRANGE', '0', String(SLOT_COUNT - 1))).to.equal(resp.ok);
  const other = newPeer({ host: '127.0.0.1', port: 1 }, newNodeId(), s.clock.now());
  node.view.add(other);
  node.changed();
  return { s, node, other };
}

/** What the ranges of every member must read, computed from the owners alone. */
function expectedRanges(topology: Topology): string[] {
  const ranges = topology.peers.map((): string[] => []);
  for (const [start, end, owner] of slotRuns(topology.owners)) {
    if (owner !== NO_OWNER) ranges[owner].push(start === end ? String(start) : `${start}-${end}`);
  }
  return ranges.map((list) => list.join(' '));
}

function expectedCounts(topology: Topology): number[] {
  const counts = topology.peers.map(() => 0);
  for (const owner of topology.owners) if (owner !== NO_OWNER) counts[owner]++;
  return counts;
}

/** Counts full rebuilds of the ranges: calls of render() while the ranges were out of date. */
function countRebuilds(): { readonly count: number; restore(): void } {
  const proto = Topology.prototype;
  const original = proto.render;
  let count = 0;
  proto.render = function (this: Topology) {
    // The flag is private; reading it is what tells a rebuild from a render that had nothing to do.
    if ((this as unknown as { rangesStale: boolean }).rangesStale) count++;
    original.call(this);
  };
  return {
    get count() {
      return count;
    },
    restore() {
      proto.render = original;
    },
  };
}

describe('cluster topology: ranges rebuilt on read', () => {
  after(() => {
    for (const s of sessions.splice(0)) (s.core.cluster as ClusterNode).stop();
    removeTempDirs();
  });

  it('a reshard pipeline of 256 SETSLOT NODE rebuilds the ranges once, when CLUSTER NODES reads them', () => {
    const { s, node, other } = nodeWithPeer();
    expect(s.call('CLUSTER', 'NODES')).to.include(' 0-16383\n');
    const rebuilds = countRebuilds();
    try {
      // Every other slot of the first 512, as a ring's scattered slots move; keyed commands between.
      for (let slot = 0; slot < 512; slot += 2) {
        expect(s.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', other.id)).to.equal(resp.ok);
        expect(s.call('SET', 'k', 'v')).to.match(/^(\+OK|-MOVED \d+ 127\.0\.0\.1:1)\r\n$/);
      }
      expect(rebuilds.count).to.equal(0);
      // Odd slots up to 509 stay, and 511 joins the run from 512 up.
      const mine = Array.from({ length: 255 }, (_, i) => String(2 * i + 1)).join(' ');
      const lines = s.call('CLUSTER', 'NODES');
      expect(lines).to.include(`${node.myId} 127.0.0.1:7100@17100 myself,master - 0 0 0 connected ${mine} 511-16383\n`);
      expect(lines).to.match(new RegExp(`${other.id} 127\\.0\\.0\\.1:1@10001 master - 0 \\d+ 0 connected ${Array.from({ length: 256 }, (_, i) => String(2 * i)).join(' ')}\n`));
      s.call('CLUSTER', 'SLOTS');
      s.call('CLUSTER', 'SHARDS');
      s.call('CLUSTER', 'INFO');
      node.save(true);
      expect(rebuilds.count).to.equal(1);
    } finally {
      rebuilds.restore();
    }
  });

  it('shows every change at once to CLUSTER NODES, SLOTS, SHARDS and INFO', () => {
    const { s, node, other } = nodeWithPeer();
    const infoField = (name: string): string => {
      const line = s.call('CLUSTER', 'INFO').split('\r\n').find((l) => l.startsWith(`${name}:`)) as string;
      return line.slice(name.length + 1);
    };
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'NODE', other.id)).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'NODES')).to.include(`${node.myId} 127.0.0.1:7100@17100 myself,master - 0 0 0 connected 0-99 101-16383\n`);
    expect(s.call('CLUSTER', 'NODES')).to.match(new RegExp(`${other.id} 127\\.0\\.0\\.1:1@10001 master - 0 \\d+ 0 connected 100\n`));
    expect(s.call('CLUSTER', 'SLOTS')).to.include(`*3\r\n:100\r\n:100\r\n*4\r\n$9\r\n127.0.0.1\r\n:1\r\n$40\r\n${other.id}\r\n`);
    expect(s.call('CLUSTER', 'SHARDS')).to.include('*4\r\n:0\r\n:99\r\n:101\r\n:16383\r\n');
    expect(infoField('cluster_size')).to.equal('2');
    expect(s.call('CLUSTER', 'DELSLOTS', '5000')).to.equal(resp.ok);
    expect(infoField('cluster_slots_assigned')).to.equal('16383');
    expect(infoField('cluster_state')).to.equal('fail');
    expect(s.call('GET', 'k')).to.equal(resp.err('CLUSTERDOWN The cluster is down'));
    expect(s.call('CLUSTER', 'ADDSLOTS', '5000')).to.equal(resp.ok);
    expect(infoField('cluster_state')).to.equal('ok');
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'NODE', node.myId)).to.equal(resp.ok);
    expect(infoField('cluster_size')).to.equal('1');
    expect(s.call('CLUSTER', 'NODES')).to.include(' connected 0-16383\n');
  });

  it('keeps ranges and counts right through assigns, removals and a reset, read at any time', () => {
    const topology = new Topology(THREE_NODES, 64, 0);
    const check = (): void => {
      expect(topology.peers.map((p) => p.slotCount)).to.deep.equal(expectedCounts(topology));
      expect(topology.peers.map((p) => p.ranges)).to.deep.equal(expectedRanges(topology));
    };
    check();
    const extra = newPeer({ host: '127.0.0.1', port: 7003 }, newNodeId(), 0);
    topology.add(extra);
    // A fixed pseudo-random walk: counts read between assigns, ranges only now and then.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const who = next(5);
      topology.assign(next(SLOT_COUNT), who === 4 ? null : topology.peers[who]);
      expect(topology.peers.map((p) => p.slotCount)).to.deep.equal(expectedCounts(topology));
      if (i % 97 === 0) check();
    }
    check();
    expect(topology.assignedSlots).to.equal(expectedCounts(topology).reduce((a, b) => a + b, 0));
    const removed = topology.peers[1];
    topology.remove(removed);
    check();
    expect(removed.ranges).to.equal('');
    expect(removed.slotCount).to.equal(0);
    topology.assign(0, extra);
    check();
    topology.unassignAll();
    check();
    expect(topology.assignedSlots).to.equal(0);
  });
});
