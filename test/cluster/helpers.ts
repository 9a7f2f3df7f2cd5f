// Shared setup for the cluster tests: in-process nodes joined to a topology without any network.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeAddress } from '../../src/cluster/addresses.js';
import { keySlot } from '../../src/cluster/crc16.js';
import { Topology } from '../../src/cluster/topology.js';
import { Session } from '../helpers/session.js';

export const THREE_NODES: NodeAddress[] = [7000, 7001, 7002].map((port) => ({ host: '127.0.0.1', port }));

const tempDirs: string[] = [];

/** A fresh directory for nodes files; removeTempDirs deletes them all. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-cluster-test-'));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A session on a cluster node that is member `me` of `members`. */
export function clusterSession(members: NodeAddress[] = THREE_NODES, me: NodeAddress = members[0]): Session {
  const s = new Session({ config: { 'cluster-enabled': 'yes', dir: tempDir() } });
  const topology = new Topology(members, s.core.config.getNumber('cluster-vnodes'), 0);
  (s.core.cluster as NonNullable<typeof s.core.cluster>).join(topology, topology.find(me));
  return s;
}

/** The port of the node serving a key. */
export function ownerPort(s: Session, key: string): number {
  const topology = s.core.cluster?.topology as Topology;
  return topology.peers[topology.owners[keySlot(key)]].port;
}

/** The first key named `prefix<n>` that the node at `port` serves. */
export function keyServedBy(s: Session, port: number, prefix = 'k', skipSlot = -1): string {
  for (let i = 0; ; i++) {
    const key = `${prefix}${i}`;
    if (ownerPort(s, key) === port && keySlot(key) !== skipSlot) return key;
  }
}
