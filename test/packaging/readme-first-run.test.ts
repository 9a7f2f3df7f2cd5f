// Follows the README's first set-up command in a clean copy of the repository, as a newcomer
// would: the command is read from the README, not restated here. Only `--port 0` is appended, so
// the run cannot collide with anything already on 6379. (The second command, ./scripts/test.sh,
// is what .ci/run executes in its own clean clone, so CI follows it every time.)

import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, removeScratch } from './pack-helpers.js';

function readmeStartCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Set up\n');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(block, 'a sh block in the Set up section').to.not.equal(null);
  return (block as RegExpExecArray)[1].trim();
}

/** The repository's files as a clean clone has them (tracked and new, never ignored ones). */
function cleanCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-first-run-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'latin1' })
    .split('\0')
    .filter((f) => f !== '');
  for (const file of files) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(dir, file));
    } catch {
      // Deleted in the working tree but still tracked: a clone made after committing lacks it too.
    }
  }
  return dir;
}

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString('latin1'));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe("packaging: the README's start command in a clean copy", function () {
  // npm ci and a build: 40 s on an idle machine, 90 s was seen on a busy one.
  this.timeout(480_000);

  it('installs, builds, starts a server that answers PING, and stops on SIGTERM', async () => {
    const command = readmeStartCommand();
    const dir = cleanCopy();
    let serverPid = 0;
    try {
      const child = spawn('bash', ['-c', `${command} --port 0`], {
        cwd: dir,
        // The npm cache filled by the outer `npm ci` serves the packages; no network is assumed.
        env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString('latin1')));
      child.stderr.on('data', (d: Buffer) => (output += d.toString('latin1')));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // The log lines start with the server's pid, as Redis's do: SIGTERM goes to the server
      // itself, and the shell's exit code is then the server's.
      const [pid, port] = await new Promise<[number, number]>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /^(\d+):M .*Ready to accept connections on port (\d+); connect with: redis-cli -p \2/m.exec(output);
          if (m !== null) {
            clearInterval(timer);
            resolve([Number(m[1]), Number(m[2])]);
          }
        }, 100);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`the start command exited (${code}) before the server was ready:\n${output}`));
        });
      });
      serverPid = pid;
      expect(await ping(port)).to.equal('+PONG\r\n');
      process.kill(pid, 'SIGTERM');
      serverPid = 0;
      expect(await exited).to.equal(0);
    } finally {
      if (serverPid !== 0) process.kill(serverPid, 'SIGKILL');
      removeScratch(dir);
    }
  });
});
