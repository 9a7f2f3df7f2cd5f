import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { crc16, keySlot } from '../../src/cluster/crc16.js';
import { freePort } from '../helpers/redis-server.js';

// Slots as `redis-cli -p <redis 7.0.15 cluster node> CLUSTER KEYSLOT <key>` printed them.
const REDIS_SLOTS: [string, number][] = [
  ['123456789', 12739],
  ['foo', 12182],
  ['bar', 5061],
  ['{user1}.a', 8106],
  ['{user1000}.following', 3443],
  ['{}x', 10595],
  ['{{a}}', 10276],
  ['{a', 10276],
  ['{a}}', 15495],
  ['}{a}', 15495],
  ['{}{a}', 13650],
  ['a{b}c{d}', 3300],
  ['{', 4092],
  ['{{}}', 4092],
  ['}', 12090],
  ['a}', 5921],
  ['a{b', 13340],
  ['x{}{y}', 14166],
  ['', 0],
];

describe('cluster key slots', () => {
  it('computes CRC16/XMODEM', () => {
    expect(crc16('123456789')).to.equal(0x31c3);
    expect(crc16('')).to.equal(0);
  });

  it('maps keys and hash tags to the slots Redis gives them', () => {
    for (const [key, slot] of REDIS_SLOTS) expect(keySlot(key), key).to.equal(slot);
  });

  describe('against a real redis-server', function () {
    let dir: string;
    let server: ChildProcess;
    let redis: Redis;

    before(async function () {
      dir = mkdtempSync(join(tmpdir(), 'ringcache-crc-'));
      const socket = join(dir, 'redis.sock');
      server = spawn('redis-server', [
        '--port', '0', '--unixsocket', socket, '--cluster-enabled', 'yes', '--cluster-port', String(await freePort()),
        '--cluster-config-file', join(dir, 'nodes.conf'), '--save', '', '--appendonly', 'no', '--dir', dir,
      ], { stdio: 'ignore' });
      redis = new Redis({ path: socket, retryStrategy: (times) => (times > 50 ? null : 50) });
      // Refused connections while redis-server starts are retried; only the outcome matters.
      redis.on('error', () => undefined);
      await redis.ping();
    });

    after(async () => {
      redis?.disconnect();
      server?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('agrees on random binary keys, tags included', async () => {
      const keys: Buffer[] = [];
      let seed = 12345;
      const random = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      const alphabet = [0x7b, 0x7d, 0x61, 0x62, 0x00, 0xff, 0x0d, 0x0a, 0x80];
      for (let i = 0; i < 2000; i++) {
        const length = random(12);
        keys.push(Buffer.from(Array.from({ length }, () => (random(3) === 0 ? random(256) : alphabet[random(alphabet.length)]))));
      }
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.call('CLUSTER', 'KEYSLOT', key);
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([err, slot], i) => {
        expect(err).to.equal(null);
        expect(keySlot(keys[i].toString('latin1')), keys[i].toString('hex')).to.equal(slot);
      });
    });
  });
});

