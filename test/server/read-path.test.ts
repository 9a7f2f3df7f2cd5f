// The read path: accepted TCP and Unix socket clients are read into one buffer shared by every
// connection (src/server/direct-read.ts), which the next read overwrites. Whatever the parser
// keeps between reads must therefore be its own copy. These tests cut requests at every byte,
// spread big bulks over many reads, and make another client read in between, so that a byte kept
// by reference would be overwritten before it is used. The TCP scenarios run against a real
// redis-server too: the expected bytes are Redis's.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { RequestParser } from '../../src/protocol/request-parser.js';
import type { Connection } from '../../src/server/connection.js';
import { directReadAvailable } from '../../src/server/direct-read.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { encodeCommand, replyEnd } from '../helpers/resp-reader.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw client that can half-close and waits for exact byte counts. */
class Peer {
  private data = Buffer.alloc(0);
  ended = false;
  closed = false;
  private waiter: (() => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(target: Target): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = target.unixPath !== undefined ? net.connect(target.unixPath) : net.connect({ port: target.port, host: '127.0.0.1' });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Peer(socket));
      });
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private until(ready: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; have ${JSON.stringify(this.data.toString('latin1').slice(0, 200))}`)), 5000);
      const check = (): void => {
        if (ready()) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`closed while waiting for ${what}; have ${JSON.stringify(this.data.toString('latin1').slice(0, 200))}`));
        } else {
          this.waiter = check;
        }
      };
      check();
    });
  }

  write(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** The next `count` complete replies, as one latin1 string. */
  async replies(count: number): Promise<string> {
    let end = 0;
    await this.until(() => {
      end = 0;
      for (let i = 0; i < count; i++) {
        end = replyEnd(this.data, end);
        if (end === -1) return false;
      }
      return true;
    }, `${count} replies`);
    const out = this.data.toString('latin1', 0, end);
    this.data = this.data.subarray(end);
    return out;
  }

  async call(...args: (string | Buffer)[]): Promise<string> {
    this.write(encodeCommand(args));
    return this.replies(1);
  }

  /** Everything until the server closes the connection. */
  async rest(): Promise<{ data: string; ended: boolean }> {
    await this.until(() => this.closed, 'the close');
    return { data: this.data.toString('latin1'), ended: this.ended };
  }

  close(): void {
    this.socket.destroy();
  }
}

interface Target {
  port: number;
  unixPath?: string;
}

/** Bytes 0-255 in a scrambled order, so a value shows any byte that went astray. */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A round trip on another connection: the server has read from it, into the shared buffer. */
async function readElsewhere(other: Peer, note: string): Promise<void> {
  expect(await other.call('ECHO', note)).to.equal(`$${note.length}\r\n${note}\r\n`);
}

const VALUE = Buffer.from('v\r\n\x00*$\xff', 'latin1');
const SPLIT_PIPELINE = Buffer.concat([
  encodeCommand(['SET', 'split', VALUE]),
  Buffer.from('PING inline\r\n', 'latin1'),
  encodeCommand(['GET', 'split']),
]);
const SPLIT_REPLIES = `+OK\r\n$6\r\ninline\r\n$${VALUE.length}\r\n${VALUE.toString('latin1')}\r\n`;

/** Behaviours every server must show; run against ringcache and against redis-server. */
function scenarios(target: () => Target): void {
  let a: Peer;
  let b: Peer;
  beforeEach(async () => {
    a = await Peer.connect(target());
    b = await Peer.connect(target());
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  it('answers a pipeline cut in two at every byte, another client read in between', async function () {
    this.timeout(20000);
    for (let cut = 1; cut < SPLIT_PIPELINE.length; cut++) {
      a.write(SPLIT_PIPELINE.subarray(0, cut));
      await readElsewhere(b, `cut-${cut}-overwrites-the-read-buffer`);
      a.write(SPLIT_PIPELINE.subarray(cut));
      expect(await a.replies(3), `cut at ${cut}`).to.equal(SPLIT_REPLIES);
    }
  });

  it('answers a pipeline sent one byte per read', async function () {
    this.timeout(20000);
    for (let i = 0; i < SPLIT_PIPELINE.length; i++) {
      a.write(SPLIT_PIPELINE.subarray(i, i + 1));
      await readElsewhere(b, `byte-${i}`);
    }
    expect(await a.replies(3)).to.equal(SPLIT_REPLIES);
  });

  it('stores a big bulk that spans many reads byte for byte', async function () {
    this.timeout(20000);
    const value = pattern(300_000, 7);
    // A command before it, so the bulk's header and first bytes share a read with other bytes.
    const request = Buffer.concat([encodeCommand(['PING']), encodeCommand(['SET', 'big', value]), encodeCommand(['STRLEN', 'big'])]);
    const cuts = [20, 45, 1000, 40_000, 40_001, 100_000, 250_000, request.length - 30, request.length - 1, request.length];
    let from = 0;
    for (const cut of cuts) {
      a.write(request.subarray(from, cut));
      from = cut;
      await readElsewhere(b, 'x'.repeat(cut % 97));
    }
    expect(await a.replies(3)).to.equal(`+PONG\r\n+OK\r\n:${value.length}\r\n`);
    a.write(encodeCommand(['GET', 'big']));
    const reply = Buffer.from(await a.replies(1), 'latin1');
    const header = `$${value.length}\r\n`;
    expect(reply.toString('latin1', 0, header.length)).to.equal(header);
    expect(reply.subarray(header.length, header.length + value.length).equals(value)).to.equal(true);
  });

  it('a bulk of exactly the big-bulk threshold, and one more byte, cut around their ends', async function () {
    for (const length of [32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1]) {
      const value = pattern(length, length);
      const request = encodeCommand(['SET', `k${length}`, value]);
      for (const back of [1, 2, 3]) {
        a.write(request.subarray(0, request.length - back));
        await readElsewhere(b, `back-${back}`);
        a.write(request.subarray(request.length - back));
        expect(await a.replies(1)).to.equal('+OK\r\n');
      }
      const reply = Buffer.from(await a.call('GET', `k${length}`), 'latin1');
      expect(reply.subarray(reply.length - 2 - length, reply.length - 2).equals(value)).to.equal(true);
    }
  });

  it('runs requests that arrived during CLIENT PAUSE, in order, once it ends', async function () {
    this.timeout(10000);
    expect(await b.call('CLIENT', 'PAUSE', '10000', 'WRITE')).to.equal('+OK\r\n');
    const request = Buffer.concat([encodeCommand(['SET', 'paused', 'p1']), encodeCommand(['GET', 'paused']), encodeCommand(['PING'])]);
    for (let i = 0; i < request.length; i += 5) {
      a.write(request.subarray(i, i + 5));
      await readElsewhere(b, `while-paused-${i}`);
    }
    expect(await b.call('CLIENT', 'UNPAUSE')).to.equal('+OK\r\n');
    expect(await a.replies(3)).to.equal('+OK\r\n$2\r\np1\r\n+PONG\r\n');
  });

  it('a client that half-closes gets the replies to what it sent, then the close', async () => {
    a.write(Buffer.concat([encodeCommand(['SET', 'hc', 'v']), encodeCommand(['GET', 'hc'])]));
    a.socket.end();
    expect(await a.rest()).to.deep.equal({ data: '+OK\r\n$1\r\nv\r\n', ended: true });
  });

  it('a client that half-closes inside a request gets the replies to the whole ones before it', async () => {
    a.write(Buffer.concat([encodeCommand(['PING']), encodeCommand(['PING']).subarray(0, 9)]));
    a.socket.end();
    expect(await a.rest()).to.deep.equal({ data: '+PONG\r\n', ended: true });
  });

  it('counts every byte read in total_net_input_bytes', async function () {
    this.timeout(10000);
    const info = encodeCommand(['INFO', 'stats']);
    const inputBytes = (reply: string): number => Number(/total_net_input_bytes:(\d+)/.exec(reply)?.[1]);
    const before = inputBytes(await a.call('INFO', 'stats'));
    const request = encodeCommand(['SET', 'counted', 'abc']);
    for (let i = 0; i < request.length; i++) {
      a.write(request.subarray(i, i + 1));
      await sleep(1);
    }
    expect(await a.replies(1)).to.equal('+OK\r\n');
    // b's connection and its requests are idle meanwhile: only a's bytes count.
    const after = inputBytes(await a.call('INFO', 'stats'));
    expect(after - before).to.equal(request.length + info.length);
  });
}

describe('read path: one shared read buffer', () => {
  describe('ringcache over TCP', () => {
    let server: RingcacheServer;
    before(async () => {
      server = await startServer({ port: 0 });
    });
    after(async () => {
      await server.close();
    });

    it('reads accepted TCP clients into the shared buffer on this Node', async () => {
      expect(directReadAvailable, 'the feature check found Node 20 as expected').to.equal(true);
      const peer = await Peer.connect({ port: server.port });
      expect(await peer.call('PING')).to.equal('+PONG\r\n');
      const connections = (server as unknown as { connections: Set<Connection> }).connections;
      expect([...connections].map((c) => c.directRead)).to.deep.equal([true]);
      peer.close();
    });

    describe('behaviours', () => scenarios(() => ({ port: server.port })));

    // Redis's MIGRATE blocks the whole server, so this one has no reference run: ringcache's
    // blocks only the client, whose later requests keep arriving and must survive other reads.
    it('keeps the requests that arrive while the client is blocked, across other reads', async function () {
      this.timeout(10000);
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const target = net.createServer((socket) => {
        const parser = new RequestParser({ maxBulkLen: 1 << 29, queryBufferLimit: 1 << 30 });
        socket.on('data', (chunk: Buffer) => {
          parser.feed(chunk);
          void released.then(() => {
            while (parser.next() !== null) socket.write('+OK\r\n');
          });
        });
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      const a = await Peer.connect({ port: server.port });
      const b = await Peer.connect({ port: server.port });
      try {
        expect(await a.call('SET', 'moving', 'm')).to.equal('+OK\r\n');
        const targetPort = (target.address() as net.AddressInfo).port;
        a.write(encodeCommand(['MIGRATE', '127.0.0.1', String(targetPort), 'moving', '0', '5000', 'COPY']));
        await readElsewhere(b, 'after-migrate');
        const later = Buffer.concat([encodeCommand(['SET', 'after-block', 'yes']), encodeCommand(['GET', 'after-block'])]);
        for (let i = 0; i < later.length; i += 7) {
          a.write(later.subarray(i, i + 7));
          await readElsewhere(b, `while-blocked-${i}`);
        }
        // Still blocked: b was served meanwhile, a not yet.
        expect(await b.call('EXISTS', 'after-block')).to.equal(':0\r\n');
        release();
        expect(await a.replies(3)).to.equal('+OK\r\n+OK\r\n$3\r\nyes\r\n');
      } finally {
        a.close();
        b.close();
        target.close();
      }
    });
  });

  describe('ringcache over a Unix socket', () => {
    let server: RingcacheServer;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'ringcache-read-path-'));
      server = await startServer({ port: 0, config: { unixsocket: path.join(dir, 'rc.sock') } });
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads Unix socket clients into the shared buffer too', async () => {
      const peer = await Peer.connect({ port: 0, unixPath: path.join(dir, 'rc.sock') });
      expect(await peer.call('PING')).to.equal('+PONG\r\n');
      const connections = (server as unknown as { connections: Set<Connection> }).connections;
      expect([...connections].map((c) => c.directRead)).to.deep.equal([true]);
      peer.close();
    });

    describe('behaviours', () => scenarios(() => ({ port: 0, unixPath: path.join(dir, 'rc.sock') })));
  });

  describe('redis-server (the reference for the expected bytes)', () => {
    let redis: RealRedis;
    before(async () => {
      redis = await startRedisServer();
    });
    after(async () => {
      await redis.stop();
    });
    scenarios(() => ({ port: redis.port }));
  });
});

describe('RequestParser.detach', () => {
  /** Random requests: multibulks with small and big bulks, inline commands, empty requests. */
  function randomStream(seed: number): Buffer {
    let x = seed;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % n;
    };
    const parts: Buffer[] = [];
    for (let i = 0; i < 60; i++) {
      const kind = rand(10);
      if (kind === 0) parts.push(Buffer.from(`PING ${'a'.repeat(rand(20))}\r\n`, 'latin1'));
      else if (kind === 1) parts.push(Buffer.from('*0\r\n', 'latin1'));
      else {
        // Big bulks: around the 32 KB threshold, and up to 300 KB, past the gather buffer's
        // first 64 KB of room, so that it grows and is reused by smaller and larger ones.
        const size = (): number => (rand(9) !== 0 ? rand(60) : rand(3) === 0 ? 60_000 + rand(240_000) : 33_000 + rand(9000));
        const args = Array.from({ length: 1 + rand(4) }, (_, j) => pattern(size(), seed * 100 + i * 7 + j));
        parts.push(encodeCommand(args));
      }
    }
    return Buffer.concat(parts);
  }

  const limits = { maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 };

  it('yields the same requests from one reused, overwritten buffer as from fresh chunks', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const stream = randomStream(seed);
      const reference = new RequestParser(limits);
      reference.feed(stream);
      const expected: string[][] = [];
      for (let r = reference.next(); r !== null; r = reference.next()) expected.push(r);

      const reused = Buffer.alloc(70_000);
      const parser = new RequestParser(limits);
      const got: string[][] = [];
      let x = seed;
      for (let at = 0; at < stream.length; ) {
        x = (Math.imul(x, 22695477) + 1) >>> 0;
        const length = Math.min(1 + ((x >>> 4) % 5000) * (x % 3 === 0 ? 13 : 1), stream.length - at, reused.length);
        stream.copy(reused, 0, at, at + length);
        at += length;
        parser.feed(reused.subarray(0, length));
        // Half the time the requests stay unparsed, as they do while a client is paused.
        if (x % 2 === 0) for (let r = parser.next(); r !== null; r = parser.next()) got.push(r);
        parser.detach();
        reused.fill(0x2a);
      }
      for (let r = parser.next(); r !== null; r = parser.next()) got.push(r);
      expect(got.length, `seed ${seed}`).to.equal(expected.length);
      expect(got, `seed ${seed}`).to.deep.equal(expected);
      expect(parser.pendingBytes).to.equal(0);
    }
  });
});
