// bin/ringcache-server as a user runs it: exit codes and messages, the start-up banner, the
// pidfile and logfile, a port already in use, and an orderly stop on SIGTERM/SIGINT.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP_HINT, VERSION_TEXT } from '../../src/cli/options.js';
import { RINGCACHE_VERSION } from '../../src/server/version.js';
import { ROOT, ensureBuilt, stop, waitForBanner } from '../packaging/pack-helpers.js';

const BIN = join(ROOT, 'bin/ringcache-server');

function runBin(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // Node starts in about a second here, several on a busy machine.
  const result = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function startBin(args: string[]): ReturnType<typeof spawn> {
  return spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Sends one inline command and resolves with the first reply chunk. */
function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString('latin1'));
    });
    socket.write(`${command}\r\n`);
  });
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

const scratch: string[] = [];

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-bin-'));
  scratch.push(dir);
  return dir;
}

describe('cli: bin/ringcache-server', function () {
  this.timeout(90000);
  before(() => ensureBuilt());
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version and exits 0', () => {
    expect(runBin(['--version'])).to.deep.equal({ status: 0, stdout: `${VERSION_TEXT}\n`, stderr: '' });
  });

  it('--help lists the options and exits 0', () => {
    const result = runBin(['--help']);
    expect(result.status).to.equal(0);
    expect(result.stdout).to.include('--port <number>');
    expect(result.stdout).to.include('--shards <number>');
  });

  it('exits 1 with the error on an unknown option or a bad value', () => {
    expect(runBin(['--prot', '7000'])).to.deep.equal({
      status: 1,
      stdout: '',
      stderr: `error: unknown option '--prot'\n(Did you mean --port?)\n${HELP_HINT}\n`,
    });
    expect(runBin(['--databases', 'many'])).to.deep.equal({
      status: 1,
      stdout: '',
      stderr: `error: option '--databases <number>' argument 'many' is invalid. argument couldn't be parsed into an integer\n${HELP_HINT}\n`,
    });
  });

  it('exits 1 naming the file, line and reason of a bad config line', () => {
    const dir = scratchDir();
    const path = join(dir, 'bad.conf');
    writeFileSync(path, 'port 0\n# fine so far\nmaxmemory-policy sometimes\n');
    expect(runBin([path])).to.deep.equal({
      status: 1,
      stdout: '',
      stderr:
        `\n*** FATAL CONFIG FILE ERROR (ringcache ${RINGCACHE_VERSION}) ***\n` +
        `Reading the configuration file ${path}, at line 3\n` +
        ">>> 'maxmemory-policy sometimes'\n" +
        'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\n',
    });
    expect(runBin([join(dir, 'missing.conf')])).to.deep.equal({
      status: 1,
      stdout: '',
      stderr: `Fatal error, can't open config file '${join(dir, 'missing.conf')}': No such file or directory\n`,
    });
  });

  it('starts from a config file, says where it listens, writes its pidfile, and stops on SIGTERM', async () => {
    const dir = scratchDir();
    const pidfile = join(dir, 'ringcache.pid');
    const conf = join(dir, 'ringcache.conf');
    writeFileSync(conf, `port 0\npidfile "${pidfile}"\nmaxmemory 10mb\n`);
    const child = startBin([conf, '--databases', '4']);
    const output = collect(child.stdout);
    const port = await waitForBanner(child);
    expect(port).to.be.greaterThan(0);
    expect(output()).to.include(`Configuration loaded from ${conf}`);
    expect(output()).to.include(`Listening on 127.0.0.1:${port} (tcp)`);
    expect(output()).to.include(`Ready to accept connections on port ${port}; connect with: redis-cli -p ${port}`);
    expect(readFileSync(pidfile, 'utf8')).to.equal(`${child.pid}\n`);
    expect(await ask(port, 'PING')).to.equal('+PONG\r\n');
    expect(await ask(port, 'CONFIG GET databases')).to.equal('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
    expect(await stop(child)).to.equal(0);
    expect(output()).to.include('Received SIGTERM scheduling shutdown...');
    expect(output()).to.include('ringcache is now ready to exit, bye bye...');
    expect(existsSync(pidfile)).to.equal(false);
  });

  it('closes connected clients gracefully on SIGINT', async () => {
    const child = startBin(['--port', '0', '--save', '', '--bind', '127.0.0.1']);
    const port = await waitForBanner(child);
    const socket = net.connect(port, '127.0.0.1');
    // A reply proves the server accepted the connection (a handshake alone does not).
    socket.write('PING\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await ended;
    socket.destroy();
    expect(await exited).to.equal(0);
  });

  it('logs to the logfile and honours loglevel', async () => {
    const dir = scratchDir();
    const logfile = join(dir, 'ringcache.log');
    const pidfile = join(dir, 'ringcache.pid');
    const child = startBin(['--port', '0', '--logfile', logfile, '--loglevel', 'warning', '--pidfile', pidfile]);
    const output = collect(child.stdout);
    // The pidfile appears once the server listens and handles signals; the log stays silent,
    // since notice lines (the banner) are below warning.
    // A SIGTERM sent before that would kill a process that cannot yet shut down cleanly.
    for (const deadline = Date.now() + 60000; !existsSync(pidfile) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(existsSync(pidfile), 'the pidfile, written once the server listens').to.equal(true);
    expect(await stop(child)).to.equal(0);
    expect(output()).to.equal('');
    const log = readFileSync(logfile, 'utf8');
    expect(log).to.match(/^\d+:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} # Received SIGTERM scheduling shutdown\.\.\.\n/);
    expect(log).not.to.include('Ready to accept connections');
  });

  it('exits 1 and says what to do when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = startBin(['--port', String(port)]);
        const output = collect(child.stdout);
        child.once('exit', (code) => resolve({ code, out: output() }));
      });
      expect(result.code).to.equal(1);
      expect(result.out).to.include(`# Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use\n`);
      expect(result.out).to.include(
        `# Failed listening on 127.0.0.1:${port} (tcp), aborting. Another process is using port ${port}: stop it, or pick another port with --port <n> (--port 0 picks a free one).\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('exits 1 and names the setting to fix when a TLS certificate is missing', async () => {
    const exit = (args: string[]): Promise<{ code: number | null; out: string }> =>
      new Promise((resolve) => {
        const child = startBin(args);
        const output = collect(child.stdout);
        child.once('exit', (code) => resolve({ code, out: output() }));
      });
    const missing = join(scratchDir(), 'server.crt');
    const unreadable = await exit(['--port', '0', '--tls-port', '1', '--tls-cert-file', missing, '--tls-key-file', missing]);
    expect(unreadable.code).to.equal(1);
    expect(unreadable.out).to.include(
      `# Failed to configure TLS: cannot read tls-cert-file '${missing}' (no such file); point --tls-cert-file at a readable PEM file. Aborting.\n`,
    );
    const unset = await exit(['--port', '0', '--tls-port', '1']);
    expect(unset.code).to.equal(1);
    expect(unset.out).to.include(
      '# Failed to configure TLS: tls-port is set but tls-cert-file is not; give it with --tls-cert-file /path/to/file.pem. Aborting.\n',
    );
  });
});
