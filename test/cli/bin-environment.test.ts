// The environment and node flags bin/ringcache-server starts with: its shebang line sets them
// (`#!/usr/bin/env -S NAME=value node --flag`), the benchmark harness reads that line to start the
// server the same way, and the Docker image, which runs node directly, repeats them.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binShebang } from '../../benchmarks/lib/servers.js';
import { ROOT, ensureBuilt, stop, waitForBanner } from '../packaging/pack-helpers.js';

const BIN = join(ROOT, 'bin/ringcache-server');

describe('cli: the environment and node flags bin/ringcache-server runs with', function () {
  this.timeout(90000);
  before(() => ensureBuilt());

  it('the harness reads the shebang line as env does: the running server has its variables and flags', async () => {
    const shebang = binShebang();
    // The line sets glibc's mmap threshold (bin's comment says why) and V8's heap flags.
    expect(shebang.env).to.have.property('MALLOC_MMAP_THRESHOLD_');
    expect(shebang.nodeFlags.some((flag) => flag.startsWith('--max-semi-space-size='))).to.equal(true);
    // Started as a user starts it, so the kernel and env(1) read the line, not the harness.
    const child = spawn(BIN, ['--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitForBanner(child);
      const environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1').split('\0');
      for (const [name, value] of Object.entries(shebang.env)) expect(environ).to.include(`${name}=${value}`);
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').split('\0');
      const script = argv.findIndex((arg) => arg.endsWith('ringcache-server'));
      expect(argv.slice(1, script)).to.deep.equal(shebang.nodeFlags);
    } finally {
      await stop(child);
    }
  });

  it('the Docker image sets the same variables and runs node with the same flags', () => {
    const shebang = binShebang();
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const env = new Map<string, string>();
    for (const match of runStage.matchAll(/^ENV (\S+)=(\S*)$/gm)) env.set(match[1], match[2]);
    for (const [name, value] of Object.entries(shebang.env)) expect(env.get(name), name).to.equal(value);
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(runStage);
    expect(entrypoint).to.not.equal(null);
    const command = JSON.parse(entrypoint![1]) as string[];
    expect(command).to.deep.equal(['node', ...shebang.nodeFlags, '/app/bin/ringcache-server']);
  });
});
