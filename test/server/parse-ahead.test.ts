// Pipelined requests that arrive in one read are parsed ahead of running them, so their keys can
// be looked up together (Connection.fillQueue). Redis parses one request, runs it, then parses the
// next; these pipelines, each sent in one write, hold requests whose effect changes what follows
// (SELECT, MULTI, RESET dropping authentication, a malformed request after good ones). Each
// scenario runs against ringcache and against a real redis-server, and the bytes must be equal.

import { expect } from 'chai';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { decodeReply, encodeCommand } from '../helpers/resp-reader.js';

const PASSWORD = 'parse-ahead-pw';
/** Above the 16 KB Redis accepts in one bulk from a client that has not authenticated. */
const BIG = 'v'.repeat(20000);

function pipeline(...commands: string[][]): Buffer {
  return Buffer.concat(commands.map((args) => encodeCommand(args)));
}

/** Sends `payload` in one write and reads `replies` replies. */
async function exchange(port: number, payload: Buffer, replies: number): Promise<string[]> {
  const client = await RawClient.connect(port);
  try {
    client.write(payload);
    const out: string[] = [];
    for (let i = 0; i < replies; i++) out.push(await client.readReply());
    return out;
  } finally {
    await client.close();
  }
}

/** Sends `payload` in one write and returns everything received until the server closes. */
async function untilClose(port: number, payload: Buffer): Promise<string> {
  const client = await RawClient.connect(port);
  client.write(payload);
  return client.readUntilClose();
}

describe('pipelines parsed ahead of running them', function () {
  this.timeout(20000);
  let ours: RingcacheServer;
  let redis: RealRedis;

  before(async () => {
    ours = await startServer({ port: 0, config: { requirepass: PASSWORD } });
    redis = await startRedisServer(['--requirepass', PASSWORD]);
  });

  after(async () => {
    await ours.close();
    await redis.stop();
  });

  /** The replies of both servers to the same bytes, ringcache's first. */
  async function both<T>(run: (port: number) => Promise<T>): Promise<[T, T]> {
    return [await run(ours.port), await run(redis.port)];
  }

  it('runs each keyed request in the database a SELECT earlier in the same read chose', async () => {
    const payload = pipeline(
      ['AUTH', PASSWORD],
      ['SET', 'pa:k', 'zero'],
      ['SELECT', '1'],
      ['SET', 'pa:k', 'one'],
      ['GET', 'pa:k'],
      ['SELECT', '0'],
      ['GET', 'pa:k'],
      ['DEL', 'pa:k'],
      ['SELECT', '1'],
      ['GET', 'pa:k'],
      ['DEL', 'pa:k'],
    );
    const [mine, theirs] = await both((port) => exchange(port, payload, 11));
    expect(mine).to.deep.equal(theirs);
    expect(mine.slice(4, 7)).to.deep.equal(['$3\r\none\r\n', '+OK\r\n', '$4\r\nzero\r\n']);
  });

  it('queues keyed requests after MULTI and runs them at EXEC, in order', async () => {
    const payload = pipeline(
      ['AUTH', PASSWORD],
      ['SET', 'pa:n', '1'],
      ['MULTI'],
      ['INCR', 'pa:n'],
      ['GET', 'pa:n'],
      ['EXEC'],
      ['GET', 'pa:n'],
      ['DEL', 'pa:n'],
    );
    const [mine, theirs] = await both((port) => exchange(port, payload, 8));
    expect(mine).to.deep.equal(theirs);
    expect(mine[5]).to.equal('*2\r\n:2\r\n$1\r\n2\r\n');
  });

  it('parses a big bulk right after AUTH in the same read with the authenticated limits', async () => {
    const payload = pipeline(['AUTH', PASSWORD], ['SET', 'pa:big', BIG], ['STRLEN', 'pa:big'], ['DEL', 'pa:big']);
    const [mine, theirs] = await both((port) => exchange(port, payload, 4));
    expect(mine).to.deep.equal(theirs);
    expect(mine).to.deep.equal(['+OK\r\n', '+OK\r\n', ':20000\r\n', ':1\r\n']);
  });

  it('applies the unauthenticated limits to a request after RESET in the same read', async () => {
    const payload = pipeline(['AUTH', PASSWORD], ['SET', 'pa:r', '1'], ['GET', 'pa:r'], ['RESET'], ['SET', 'pa:r', BIG]);
    const [mine, theirs] = await both((port) => untilClose(port, payload));
    expect(mine).to.equal(theirs);
    expect(mine).to.match(/^\+OK\r\n\+OK\r\n\$1\r\n1\r\n\+RESET\r\n-ERR Protocol error: unauthenticated bulk length\r\n$/);
  });

  it('runs the good requests before a malformed one in the same read, then answers the error', async () => {
    const payload = Buffer.concat([
      pipeline(['AUTH', PASSWORD], ['SET', 'pa:e', 'x'], ['GET', 'pa:e'], ['APPEND', 'pa:e', 'y'], ['GET', 'pa:e']),
      Buffer.from('*2\r\n$3\r\nGET\r\n+pa:e\r\n', 'latin1'),
    ]);
    const [mine, theirs] = await both((port) => untilClose(port, payload));
    expect(mine).to.equal(theirs);
    expect(mine.startsWith('+OK\r\n+OK\r\n$1\r\nx\r\n:2\r\n$2\r\nxy\r\n-ERR Protocol error: ')).to.equal(true);
  });

  it('answers a long pipeline of keyed requests with an unknown command in it, in order', async () => {
    const commands: string[][] = [['AUTH', PASSWORD]];
    for (let i = 0; i < 40; i++) {
      commands.push(i === 17 ? ['NOSUCHCMD', 'pa:x'] : i % 2 === 0 ? ['INCR', `pa:c${i % 6}`] : ['GET', `pa:c${i % 6}`]);
    }
    for (let i = 0; i < 6; i++) commands.push(['DEL', `pa:c${i}`]);
    const payload = pipeline(...commands);
    const [mine, theirs] = await both((port) => exchange(port, payload, commands.length));
    expect(mine).to.deep.equal(theirs);
  });
});

describe('command times in a pipeline run as one batch', function () {
  this.timeout(20000);
  let ours: RingcacheServer;

  before(async () => {
    ours = await startServer({ port: 0, config: { 'enable-debug-command': 'yes', 'slowlog-log-slower-than': '0' } });
  });

  after(async () => {
    await ours.close();
  });

  it('gives each command its own duration in SLOWLOG, and a slow one delays no other', async () => {
    const before = Math.floor(Date.now() / 1000);
    const payload = pipeline(
      ['SLOWLOG', 'RESET'],
      ['SET', 'pa:t', '1'],
      ['GET', 'pa:t'],
      ['DEBUG', 'SLEEP', '0.2'],
      ['GET', 'pa:t'],
      ['INCR', 'pa:n'],
      ['SLOWLOG', 'GET', '10'],
    );
    const replies = await exchange(ours.port, payload, 7);
    const after = Math.ceil(Date.now() / 1000);
    const entries = decodeReply(replies[6]) as [number, number, number, string[], string, string][];
    // Newest first; as in Redis, SLOWLOG RESET logs itself after clearing, SLOWLOG GET is not in yet.
    expect(entries.map((e) => e[3].join(' '))).to.deep.equal(['INCR pa:n', 'GET pa:t', 'DEBUG SLEEP 0.2', 'GET pa:t', 'SET pa:t 1', 'SLOWLOG RESET']);
    for (const [, at, usec, args] of entries) {
      expect(at).to.be.within(before, after);
      if (args[0] === 'DEBUG') expect(usec).to.be.at.least(200000);
      else expect(usec).to.be.below(200000);
    }
  });

  it('sees time pass within one read: a key expiring during a slow command is gone for the next', async () => {
    const payload = pipeline(['SET', 'pa:x', 'v', 'PX', '100'], ['DEBUG', 'SLEEP', '0.2'], ['GET', 'pa:x'], ['PTTL', 'pa:x']);
    expect(await exchange(ours.port, payload, 4)).to.deep.equal(['+OK\r\n', '+OK\r\n', '$-1\r\n', ':-2\r\n']);
  });
});
