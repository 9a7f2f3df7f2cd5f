// No container engine runs here, so the Dockerfile is checked by doing what it does in a scratch
// folder: unpack the packed package, install its production dependencies from the lockfile, start
// the server with the image's ENTRYPOINT and CMD, and run the image's HEALTHCHECK command.

import { expect } from 'chai';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, npm, offlineLockfile, packTarball, removeScratch, stop, waitForBanner } from './pack-helpers.js';
import { freePort } from '../helpers/redis-server.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

const instructions = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const stages = instructions.reduce<Instruction[][]>((all, ins) => {
  if (ins.keyword === 'FROM') all.push([]);
  all[all.length - 1].push(ins);
  return all;
}, []);
const runStage = stages[stages.length - 1];

function only(stage: Instruction[], keyword: string): Instruction {
  const found = stage.filter((ins) => ins.keyword === keyword);
  expect(found, keyword).to.have.length(1);
  return found[0];
}

function execForm(args: string): string[] {
  return JSON.parse(args) as string[];
}

describe('packaging: Dockerfile', function () {
  // npm ci and two Node starts: 5 s on an idle machine, 26 s was seen on a busy one.
  this.timeout(240000);

  it('builds in two node:20-slim stages and runs as a non-root user', () => {
    expect(stages).to.have.length(2);
    expect(stages[0][0].args).to.equal('node:20-slim AS build');
    expect(runStage[0].args).to.equal('node:20-slim');
    expect(stages[0].some((ins) => ins.keyword === 'RUN' && ins.args.startsWith('npm ci '))).to.equal(true);
    expect(runStage.some((ins) => ins.keyword === 'RUN' && ins.args.includes('npm ci --omit=dev'))).to.equal(true);
    expect(only(runStage, 'USER').args).to.equal('node');
    expect(only(runStage, 'EXPOSE').args.split(/\s+/)).to.deep.equal(['6379', '9121']);
    expect(only(runStage, 'HEALTHCHECK').args).to.match(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+\s+CMD \[/);
  });

  it('ignores local build state in the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git', '*.tgz']) expect(ignored).to.include(entry);
  });

  it('the image steps work: production install, start as CMD, health check passes', async () => {
    // Build stage: the packed package and the lockfile make /app.
    const scratch = mkdtempSync(join(tmpdir(), 'ringcache-image-'));
    const app = join(scratch, 'app');
    const data = join(scratch, 'data');
    mkdirSync(app);
    mkdirSync(data);
    execFileSync('tar', ['-xzf', packTarball(), '-C', app, '--strip-components=1']);
    // The image copies package-lock.json as it is; here its tarball URLs are spelled out so the
    // install needs only the npm cache that `npm ci` filled, not the registry.
    writeFileSync(join(app, 'package-lock.json'), offlineLockfile());
    // Run stage: production dependencies only.
    npm(['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], app);
    expect(() => execFileSync(process.execPath, ['-e', "import('mocha')"], { cwd: app, stdio: 'pipe' })).to.throw();

    const entrypoint = execForm(only(runStage, 'ENTRYPOINT').args).map((arg) => arg.replace(/^\/app\//, `${app}/`));
    const cmd = execForm(only(runStage, 'CMD').args);
    const healthcheck = execForm(only(runStage, 'HEALTHCHECK').args.replace(/^.*?CMD\s+/, ''));
    expect(entrypoint[0]).to.equal('node');

    // The image's CMD on a free port (6379 may be taken on a test machine).
    const child = spawn(process.execPath, [...entrypoint.slice(1), ...cmd, '--port', '0'], {
      cwd: data,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await waitForBanner(child);
      const check = (env: Record<string, string>): number | null =>
        spawnSync(healthcheck[0] === 'node' ? process.execPath : healthcheck[0], healthcheck.slice(1), {
          cwd: data,
          env: { ...process.env, ...env },
          // Node's start, not the check's own 2 s, is what a busy machine slows down.
          timeout: 60000,
        }).status;
      expect(check({ RINGCACHE_PORT: String(port) })).to.equal(0);
      // And the check does fail when nothing answers.
      expect(check({ RINGCACHE_PORT: String(await freePort()) })).to.equal(1);
    } finally {
      expect(await stop(child)).to.equal(0);
      removeScratch(scratch);
    }
  });
});
