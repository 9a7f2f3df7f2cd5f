// A whole cluster inside the calling process, for test suites that need a real one: N servers
// on free (or consecutive) ports that share one Topology, so every node sees the others' ids and
// the same slot map from the first command on.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RingcacheServer } from '../server/server.js';
import type { Clock } from '../util/clock.js';
import { Topology } from './topology.js';

export interface StartClusterOptions {
  /** Number of nodes; default 3. */
  nodes?: number;
  /** Address every node binds and announces; default 127.0.0.1. */
  host?: string;
  /** Port of the first node, the others following it; default 0: free ports. */
  port?: number;
  /** Where the nodes files go (each node keeps its id across restarts there); default a temporary directory, removed on close. */
  dir?: string;
  /** Any other parameter for every node, e.g. `{ maxmemory: '100mb' }`. */
  config?: Record<string, string | number | boolean>;
  clock?: Clock;
}

export interface LocalCluster {
  servers: RingcacheServer[];
  /** Where clients start: every node's address, e.g. for `new Redis.Cluster(seeds)`. */
  seeds: { host: string; port: number }[];
  close(): Promise<void>;
}

export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('nodes must be a positive integer');
  const host = options.host ?? '127.0.0.1';
  const basePort = options.port ?? 0;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ringcache-cluster-'));
  const servers: RingcacheServer[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.close()));
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = basePort === 0 ? 0 : basePort + i;
      const server = new RingcacheServer({
        port,
        bind: host,
        clock: options.clock,
        config: {
          ...options.config,
          dir,
          'cluster-enabled': 'yes',
          'cluster-config-file': `nodes-${port === 0 ? i : port}.conf`,
          'cluster-announce-ip': host,
        },
      });
      servers.push(server);
      await server.listen();
    }
    const seeds = servers.map((server) => ({ host, port: server.port }));
    const first = servers[0].core;
    const topology = new Topology(seeds, first.config.getNumber('cluster-vnodes'), first.clock.now());
    servers.forEach((server, i) => server.core.cluster?.join(topology, topology.find(seeds[i])));
    return { servers, seeds, close };
  } catch (err) {
    await close();
    throw err;
  }
}
