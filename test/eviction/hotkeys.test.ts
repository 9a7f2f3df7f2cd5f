import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createServer, type RingcacheServer } from '../../src/server/server.js';
import { RespClient } from '../../benchmarks/lib/resp-client.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';

const run = promisify(execFile);

interface HotKeys {
  sampled: string;
  /** "counter key" lines of the summary, in the order printed. */
  hot: string[];
}

/** `redis-cli --hotkeys` against a port: the summary's sample count and hot-key lines. */
async function hotkeys(port: number): Promise<HotKeys> {
  const { stdout } = await run('redis-cli', ['-p', String(port), '--hotkeys']);
  const summary = stdout.slice(stdout.indexOf('-------- summary -------'));
  const sampled = /Sampled (\d+) keys in the keyspace!/.exec(summary)?.[1] ?? '';
  const hot = [...summary.matchAll(/^hot key found with counter: (\d+)\tkeyname: "([^"]*)"$/gm)].map((m) => `${m[1]} ${m[2]}`);
  return { sampled, hot };
}

/** Ten keys, k1/k2/k3 read 5/10/15 times: with lfu-log-factor 0 every access adds one. */
async function skewedWorkload(port: number): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    for (const [name, value] of [['maxmemory-policy', 'allkeys-lfu'], ['lfu-log-factor', '0']]) {
      expect(await c.call('CONFIG', 'SET', name, value)).to.equal('OK');
    }
    for (let i = 0; i < 10; i++) await c.call('SET', `k${i}`, 'v');
    for (let n = 1; n <= 3; n++) for (let j = 0; j < n * 5; j++) await c.call('GET', `k${n}`);
  } finally {
    c.close();
  }
}

/** The summary with ties (same counter) put in key order: the order within a tie is SCAN order. */
const byCounterThenKey = (lines: string[]): string[] =>
  [...lines].sort((a, b) => Number(b.split(' ')[0]) - Number(a.split(' ')[0]) || a.localeCompare(b));

describe('redis-cli --hotkeys under allkeys-lfu (against a real redis-server)', () => {
  let server: RingcacheServer;
  let redis: RealRedis;

  before(async () => {
    server = createServer({ port: 0 });
    await server.listen();
    redis = await startRedisServer();
  });

  after(async () => {
    await server.close();
    await redis.stop();
  });

  it('lists the hot keys with their LFU counters, hottest first, as redis-server does', async () => {
    await skewedWorkload(server.port);
    await skewedWorkload(redis.port);
    const ours = await hotkeys(server.port);
    const theirs = await hotkeys(redis.port);
    expect(theirs.hot.slice(0, 3)).to.deep.equal(['20 k3', '15 k2', '10 k1']);
    expect(ours.sampled).to.equal(theirs.sampled);
    expect(ours.hot.slice(0, 3)).to.deep.equal(theirs.hot.slice(0, 3));
    // Printed hottest first, and the same keys with the same counters.
    const counters = ours.hot.map((line) => Number(line.split(' ')[0]));
    expect(counters).to.deep.equal([...counters].sort((a, b) => b - a));
    expect(byCounterThenKey(ours.hot)).to.deep.equal(byCounterThenKey(theirs.hot));
  });

  it('fails as redis-cli does against redis-server when no LFU policy is selected', async () => {
    const failures: string[] = [];
    for (const port of [server.port, redis.port]) {
      await RespClient.connect(port).then(async (c) => {
        await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
        c.close();
      });
      const outcome = await run('redis-cli', ['-p', String(port), '--hotkeys']).then(
        () => 'exit 0',
        (err: { code: number; stderr: string; stdout: string }) => `exit ${err.code}: ${err.stderr}${err.stdout.includes('summary') ? ' (summary)' : ''}`,
      );
      failures.push(outcome);
    }
    expect(failures[0]).to.match(/^exit 1: Error: ERR An LFU maxmemory policy is not selected/);
    expect(failures[0]).to.equal(failures[1]);
  });
});
