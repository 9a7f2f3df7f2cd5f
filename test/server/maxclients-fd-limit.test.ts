// maxclients against the open-file limit, as Redis 7.0.15 behaves under `ulimit -n`: at
// start-up a maxclients that needs more than (limit - 32) descriptors is lowered to that with
// three warnings, CONFIG SET above it is refused, and the client past it is turned away. The log
// lines, CONFIG GET and the error texts below were read from redis-server run under
// `bash -c 'ulimit -n 200; redis-server ...'` (maxclients 168 there).

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { Config } from '../../src/config/config.js';
import { capMaxclients, openFilesLimit } from '../../src/server/open-files.js';
import type { LogLevel } from '../../src/server/log.js';
import { ROOT, ensureBuilt, stop, waitForBanner } from '../packaging/pack-helpers.js';

const BIN = join(ROOT, 'bin/ringcache-server');
const LIMIT = 128; // ringcache-server needs ~52 descriptors to start: keep a wide margin
const CAP = LIMIT - 32;

/** Sends one RESP command on a connection and resolves with the first reply chunk. */
function send(socket: net.Socket, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (data) => resolve(data.toString('latin1')));
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A log line's message when it has Redis's shape `pid:M date time # message`. */
function warnings(log: string): string[] {
  return log
    .split('\n')
    .map((line) => /^\d+:M \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} # (.*)$/.exec(line)?.[1])
    .filter((message): message is string => message !== undefined);
}

/** Polls until the condition holds: the server's log reaches the pipe after its replies may. */
async function until(condition: () => boolean, ms = 10000): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited >= ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const lowLimitWarnings = (requested: number): string[] => [
  `You requested maxclients of ${requested} requiring at least ${requested + 32} max file descriptors.`,
  `Server can't set maximum open files to ${requested + 32} because of OS error: Operation not permitted.`,
  `Current maximum open files is ${LIMIT}. maxclients has been reduced to ${CAP} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
];

describe('server: maxclients capped by the open-file limit', function () {
  this.timeout(60000);
  let child: ChildProcess | null = null;
  const sockets: net.Socket[] = [];

  before(() => ensureBuilt());
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    if (child !== null) await stop(child);
    child = null;
  });

  it(`under ulimit -n ${LIMIT}: lowers maxclients to ${CAP} with Redis's warnings, refuses CONFIG SET above it, and client ${CAP + 1}`, async () => {
    child = spawn('bash', ['-c', `ulimit -n ${LIMIT} && exec "$0" "$@"`, BIN, '--port', '0', '--save', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const port = await waitForBanner(child);
    expect(warnings(log)).to.deep.equal(lowLimitWarnings(10000));

    const first = await connect(port);
    sockets.push(first);
    expect(await send(first, 'CONFIG', 'GET', 'maxclients')).to.equal(`*2\r\n$10\r\nmaxclients\r\n$2\r\n${CAP}\r\n`);
    expect(await send(first, 'CONFIG', 'SET', 'maxclients', String(CAP + 1))).to.equal(
      `-ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to handle the specified number of clients, try with ${CAP}\r\n`,
    );
    expect(await send(first, 'CONFIG', 'GET', 'maxclients')).to.equal(`*2\r\n$10\r\nmaxclients\r\n$2\r\n${CAP}\r\n`);
    await until(() => warnings(log).length >= 7);
    expect(warnings(log).slice(3)).to.deep.equal([
      ...lowLimitWarnings(CAP + 1),
      'Failed applying new configuration. Possibly related to new maxclients setting. Restoring previous settings.',
    ]);
    expect(await send(first, 'CONFIG', 'SET', 'maxclients', String(CAP))).to.equal('+OK\r\n');

    // The first connection and CAP - 1 more are served; the next one is turned away.
    for (let i = 1; i < CAP; i++) {
      const socket = await connect(port);
      sockets.push(socket);
      expect(await send(socket, 'PING')).to.equal('+PONG\r\n');
    }
    const refused = await connect(port);
    sockets.push(refused);
    expect(await send(refused, 'PING')).to.equal('-ERR max number of clients reached\r\n');
  });

  it('reads the soft limit from /proc/self/limits, and caps nothing without one', () => {
    const limits = (soft: string): string =>
      'Limit                     Soft Limit           Hard Limit           Units     \n' +
      'Max processes             unlimited            unlimited            processes \n' +
      `Max open files            ${soft.padEnd(20)} 1048576              files     \n`;
    expect(openFilesLimit(limits('1024'))).to.equal(1024);
    expect(openFilesLimit(limits('unlimited'))).to.equal(null);
    expect(openFilesLimit('')).to.equal(null);

    const logged: string[] = [];
    const logger = { log: (level: LogLevel, message: string) => logged.push(`${level} ${message}`) };
    const config = new Config({ maxclients: 100000 });
    capMaxclients(config, logger, null);
    expect(config.get('maxclients')).to.equal('100000');
    config.set('maxclients', '200000');
    expect(logged).to.deep.equal([]);

    const roomy = new Config();
    capMaxclients(roomy, logger, 10032);
    expect(roomy.get('maxclients')).to.equal('10000');
    expect(logged).to.deep.equal([]);

    // Redis exits when not even one client fits beside its 32 reserved descriptors.
    const tight = new Config();
    const text = "Your current 'ulimit -n' of 32 is not enough for the server to start. Please increase your open file limit to at least 10032. Exiting.";
    expect(() => capMaxclients(tight, logger, 32)).to.throw(text);
    expect(logged).to.deep.equal([`warning ${text}`]);
  });
});
