// The npm package as users get it: `npm pack` holds only what they need, and the tarball
// installed in an empty project (production dependencies only, from the npm cache: no network)
// gives a working `npx ringcache-server`, a working import, and types that compile.

import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, installTarballProject, npm, packTarball, removeScratch, stop, waitForBanner } from './pack-helpers.js';

const CHECK_IMPORT = `
import net from 'node:net';
import { createServer } from 'ringcache';
const server = await createServer({ port: 0 }).listen();
const reply = await new Promise((resolve, reject) => {
  const socket = net.connect(server.port, '127.0.0.1', () => socket.write('PING\\r\\n'));
  socket.once('data', (data) => { socket.destroy(); resolve(data.toString()); });
  socket.once('error', reject);
});
await server.close();
process.stdout.write(JSON.stringify(reply));
`;

const TYPED = `
import { createServer, startServer, FakeClock, type RingcacheServer, type ServerOptions } from 'ringcache';
const options: ServerOptions = { port: 0, bind: '127.0.0.1', config: { databases: 4 }, clock: new FakeClock() };
const server: RingcacheServer = createServer(options);
const started: Promise<RingcacheServer> = startServer({ port: 0 });
const port: number = server.port;
const closed: Promise<void> = server.close();
void started;
void port;
void closed;
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  },
  files: ['typed.ts'],
});

describe('packaging: npm package', function () {
  // npm pack, npm ci and tsc: 10 s on an idle machine, several times that on a busy one.
  this.timeout(180000);
  let project = '';

  before(() => {
    project = installTarballProject(packTarball(), { 'check.mjs': CHECK_IMPORT, 'typed.ts': TYPED, 'tsconfig.json': TSCONFIG });
  });
  after(() => {
    removeScratch(project);
    removeScratch(packTarball());
  });

  it('packs only dist/src, bin, README.md and LICENSE (plus package.json)', () => {
    const [info] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT)) as { files: { path: string }[] }[];
    const paths = info.files.map((f) => f.path);
    const outside = paths.filter((p) => !p.startsWith('dist/src/') && !['bin/ringcache-server', 'README.md', 'LICENSE', 'package.json'].includes(p));
    expect(outside).to.deep.equal([]);
    for (const needed of ['bin/ringcache-server', 'README.md', 'LICENSE', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js']) {
      expect(paths, needed).to.include(needed);
    }
  });

  it('installs without dev dependencies', () => {
    const installed = JSON.parse(npm(['ls', '--all', '--json'], project)) as { dependencies: Record<string, { dependencies?: Record<string, unknown> }> };
    expect(Object.keys(installed.dependencies)).to.deep.equal(['ringcache']);
    expect(Object.keys(installed.dependencies.ringcache.dependencies ?? {}).sort()).to.deep.equal(['commander', 'prom-client', 'redis-parser']);
  });

  it('npx ringcache-server --version and --port 0 work', async () => {
    expect(execFileSync('npx', ['--no-install', 'ringcache-server', '--version'], { cwd: project, encoding: 'utf8' })).to.match(
      /^ringcache v\d+\.\d+\.\d+ \(Redis 7\.0\.15 compatible\)\n$/,
    );
    // npx runs the bin through npm; the server itself is started from the installed bin link.
    const child = spawn(join(project, 'node_modules/.bin/ringcache-server'), ['--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await waitForBanner(child);
    const reply = execFileSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' });
    expect(reply).to.equal('PONG\n');
    expect(await stop(child)).to.equal(0);
  });

  it("import { createServer } from 'ringcache' works", () => {
    expect(execFileSync(process.execPath, ['check.mjs'], { cwd: project, encoding: 'utf8' })).to.equal(JSON.stringify('+PONG\r\n'));
  });

  it('ships types that compile in a strict project', () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
  });
});
