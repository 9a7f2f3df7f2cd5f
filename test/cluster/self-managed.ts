// Shared setup for tests of self-managed cluster nodes: real servers in this process, each on
// its own port, started empty (no cluster-nodes list) so that MEET and gossip build the cluster.

import { Redis } from 'ioredis';
import { RingcacheServer } from '../../src/server/server.js';

export interface LiveNode {
  server: RingcacheServer;
  port: number;
  client: Redis;
  /** Runs a command and returns its reply; an error comes back as its text after a '-'. */
  call(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts a cluster-enabled node that owns nothing and knows no one, unless its nodes file (`dir`/nodes-`name`.conf) says otherwise. */
export async function startNode(dir: string, name: string, port = 0, config: Record<string, string | number> = {}): Promise<LiveNode> {
  const server = new RingcacheServer({
    port,
    bind: '127.0.0.1',
    config: { dir, 'cluster-enabled': 'yes', 'cluster-config-file': `nodes-${name}.conf`, ...config },
  });
  await server.listen();
  const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await client.connect();
  return {
    server,
    port: server.port,
    client,
    call: (...args) => client.call(args[0], ...args.slice(1)).catch((err: Error) => `-${err.message}`),
    close: async () => {
      client.disconnect();
      await server.close();
    },
  };
}

/** CLUSTER NODES as lines with the fields every node must agree on: id, address, role, master, epoch, slots. */
export async function agreedView(node: LiveNode): Promise<string[]> {
  const text = (await node.call('CLUSTER', 'NODES')) as string;
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const f = line.split(' ');
      return [f[0], f[1], f[2].replace('myself,', ''), f[3], f[6], ...f.slice(8)].join(' ');
    })
    .sort();
}

export async function infoField(node: LiveNode, name: string): Promise<string> {
  const text = (await node.call('CLUSTER', 'INFO')) as string;
  return (text.split('\r\n').find((line) => line.startsWith(`${name}:`)) ?? '').slice(name.length + 1);
}

/**
 * Polls a condition every 50 ms, failing after `ms` (at least: the time the checks take is not
 * counted). The default is far past the second or so gossip takes here, for busy machines.
 */
export async function until(condition: () => Promise<boolean>, ms = 20000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

/**
 * Waits until every node shows the same view of `nodes.length` members (open-slot markers, shown
 * only on a node's own line, left out); on a timeout the error shows the views that differ.
 */
export async function allAgree(nodes: LiveNode[], ms = 30000): Promise<void> {
  let views: string[] = [];
  await until(async () => {
    views = (await Promise.all(nodes.map(agreedView))).map((view) => JSON.stringify(view.map((line) => line.replace(/ \[[^\]]*\]/g, '')), null, 1));
    return JSON.parse(views[0]).length === nodes.length && views.every((view) => view === views[0]);
  }, ms).catch((err: Error) => {
    throw new Error(`${err.message}: views differ:\n${views.join('\n')}`);
  });
}
