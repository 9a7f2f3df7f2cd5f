// A server on a free port and one other, well-behaved ioredis client of it: the network tests
// check that whatever one misbehaving socket does, this client is still served.

import { Redis } from 'ioredis';
import { startServer, type RingcacheServer } from '../../src/index.js';

export interface ServerWithClient {
  server: RingcacheServer;
  other: Redis;
}

export async function startServerWithClient(): Promise<ServerWithClient> {
  const server = await startServer({ port: 0 });
  // No ready check: these tests are about the network layer, not INFO.
  const other = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false });
  await other.connect();
  return { server, other };
}

export async function stopServerWithClient({ server, other }: ServerWithClient): Promise<void> {
  other.disconnect();
  await server.close();
}
