// Pub/Sub with real clients over TCP: ioredis's subscriber mode (RESP2: subscribe, psubscribe,
// ssubscribe, and the messages delivered to another connection), node-redis over RESP3 (pushes),
// and a 3-node cluster where a message published on one node reaches a subscriber on another.

import { expect } from 'chai';
import { Cluster, Redis } from 'ioredis';
import { createClient } from 'redis';
import { startCluster, startServer, type LocalCluster, type RingcacheServer } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';

/** Resolves with the first event's arguments, or rejects after a while (a lost message). */
function nextEvent(emitter: { once(event: string, fn: (...args: unknown[]) => void): unknown }, event: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event`)), 15000);
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

describe('pub/sub over TCP', () => {
  describe('one server', () => {
    let server: RingcacheServer;
    const clients: { quit(): Promise<unknown> }[] = [];

    beforeEach(async () => {
      server = await startServer({ port: 0 });
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => undefined)));
      await server.close();
    });

    function ioredis(): Redis {
      const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    }

    it('ioredis: subscribe, psubscribe and ssubscribe receive what another client publishes', async () => {
      const sub = ioredis();
      const pub = ioredis();
      expect(await sub.subscribe('news', 'sport')).to.equal(2);
      expect(await sub.psubscribe('n*')).to.equal(3);
      expect(await sub.ssubscribe('shard')).to.equal(1);

      const message = nextEvent(sub, 'message');
      const pmessage = nextEvent(sub, 'pmessage');
      expect(await pub.publish('news', 'hello')).to.equal(2);
      expect(await message).to.deep.equal(['news', 'hello']);
      expect(await pmessage).to.deep.equal(['n*', 'news', 'hello']);

      const smessage = nextEvent(sub, 'smessage');
      expect(await pub.spublish('shard', 'sharded')).to.equal(1);
      expect(await smessage).to.deep.equal(['shard', 'sharded']);

      expect(await pub.pubsub('NUMSUB', 'news', 'sport')).to.deep.equal(['news', 1, 'sport', 1]);
      expect(await pub.pubsub('NUMPAT')).to.equal(1);
      // The subscriber connection is in subscribed mode: ioredis itself refuses GET there, so
      // the restriction is checked with a raw call.
      expect(await sub.call('PING')).to.deep.equal(['pong', '']);
      // Named: ioredis waits forever on an argument-less UNSUBSCRIBE once it has shard channels
      // (against redis-server 7.0.15 too).
      expect(await sub.unsubscribe('news', 'sport')).to.equal(1);
      expect(await sub.punsubscribe('n*')).to.equal(0);
      expect(await sub.sunsubscribe('shard')).to.equal(0);
      expect(await pub.pubsub('NUMSUB', 'news')).to.deep.equal(['news', 0]);
      expect(await sub.get('k')).to.equal(null);
    });

    it('a subscriber that disconnects stops counting', async () => {
      const sub = ioredis();
      const pub = ioredis();
      await sub.subscribe('c');
      expect(await pub.publish('c', 'x')).to.equal(1);
      sub.disconnect();
      const deadline = Date.now() + 15000;
      while ((await pub.publish('c', 'x')) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(await pub.publish('c', 'x')).to.equal(0);
      expect(await pub.pubsub('CHANNELS')).to.deep.equal([]);
    });

    it('node-redis over RESP3: subscribe, pSubscribe, sSubscribe', async () => {
      const sub = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, RESP: 3 });
      const pub = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, RESP: 3 });
      sub.on('error', () => undefined);
      pub.on('error', () => undefined);
      await sub.connect();
      await pub.connect();
      clients.push({ quit: () => sub.close() }, { quit: () => pub.close() });

      const got: string[] = [];
      let notify: () => void = () => undefined;
      const arrived = (n: number): Promise<void> =>
        new Promise((resolve) => {
          notify = () => {
            if (got.length >= n) resolve();
          };
          notify();
        });
      await sub.subscribe('news', (message, channel) => {
        got.push(`message ${channel} ${message}`);
        notify();
      });
      await sub.pSubscribe('n*', (message, channel) => {
        got.push(`pmessage ${channel} ${message}`);
        notify();
      });
      await sub.sSubscribe('shard', (message, channel) => {
        got.push(`smessage ${channel} ${message}`);
        notify();
      });
      // RESP3 has no subscribed mode: the same connection still runs commands.
      expect(await sub.get('k')).to.equal(null);
      expect(await pub.publish('news', 'hi')).to.equal(2);
      expect(await pub.sPublish('shard', 'sh')).to.equal(1);
      await arrived(3);
      expect(got).to.deep.equal(['message news hi', 'pmessage news hi', 'smessage shard sh']);
      await sub.unsubscribe('news');
      expect(await pub.publish('news', 'again')).to.equal(1);
    });
  });

  describe('a 3-node cluster', () => {
    let cluster: LocalCluster;

    before(async function () {
      this.timeout(20000);
      cluster = await startCluster({ nodes: 3 });
    });

    after(async () => {
      await cluster.close();
    });

    it('PUBLISH on one node reaches subscribers on the others', async () => {
      const [a, b, c] = cluster.seeds;
      const subA = new Redis({ ...a, maxRetriesPerRequest: 0 });
      const subC = new Redis({ ...c, maxRetriesPerRequest: 0 });
      const pubB = new Redis({ ...b, maxRetriesPerRequest: 0 });
      try {
        await subA.subscribe('events');
        await subC.psubscribe('ev*');
        const onA = nextEvent(subA, 'message');
        const onC = nextEvent(subC, 'pmessage');
        // Only the node's own subscribers are counted, as in Redis.
        expect(await pubB.publish('events', 'across')).to.equal(0);
        expect(await onA).to.deep.equal(['events', 'across']);
        expect(await onC).to.deep.equal(['ev*', 'events', 'across']);
      } finally {
        subA.disconnect();
        subC.disconnect();
        pubB.disconnect();
      }
    });

    it('ioredis Cluster: subscribe on one node, publish through another', async () => {
      const sub = new Cluster(cluster.seeds);
      const pub = new Cluster(cluster.seeds);
      try {
        await sub.subscribe('cluster-wide');
        const got = nextEvent(sub, 'message');
        await pub.publish('cluster-wide', 'hello');
        expect(await got).to.deep.equal(['cluster-wide', 'hello']);
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    });

    it('SSUBSCRIBE and SPUBLISH are routed by slot and stay on their node', async () => {
      // Raw connections: ioredis's generic call() cannot carry SSUBSCRIBE.
      const nodes = await Promise.all(cluster.seeds.map((seed) => RawClient.connect(seed.port)));
      try {
        // foo is slot 12182, bar 5061: never one request.
        expect(await nodes[0].call('SSUBSCRIBE', 'foo', 'bar')).to.equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
        // One node serves slot 12182; the two others send the client there.
        const answers = await Promise.all(nodes.map((node) => node.call('SSUBSCRIBE', 'foo')));
        const owner = answers.indexOf('*3\r\n$10\r\nssubscribe\r\n$3\r\nfoo\r\n:1\r\n');
        expect(owner).to.not.equal(-1);
        const moved = `-MOVED 12182 ${cluster.seeds[owner].host}:${cluster.seeds[owner].port}\r\n`;
        expect(answers.filter((answer) => answer === moved)).to.have.length(2);
      } finally {
        await Promise.all(nodes.map((node) => node.close()));
      }
      // ioredis sends SSUBSCRIBE to the slot's node only with shardedSubscribers on.
      const sub = new Cluster(cluster.seeds, { shardedSubscribers: true });
      const pub = new Cluster(cluster.seeds);
      try {
        await sub.ssubscribe('{user1}.feed');
        const got = nextEvent(sub, 'smessage');
        expect(await pub.spublish('{user1}.feed', 'routed')).to.equal(1);
        // ioredis's cluster subscriber passes a third, undefined argument.
        expect((await got).slice(0, 2)).to.deep.equal(['{user1}.feed', 'routed']);
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    });
  });
});
