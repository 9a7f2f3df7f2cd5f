// Shared steps of the packaging tests: pack the project as npm would publish it, and install
// the tarball's production dependencies in a scratch folder without the network. The
// dependencies come from the npm cache that `npm ci` filled: the scratch project gets a lockfile
// copied from the repository's, so npm needs the tarballs (cached by integrity) and never the
// registry's package listings.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface LockEntry {
  version?: string;
  dev?: boolean;
  [field: string]: unknown;
}

interface Lockfile {
  packages: Record<string, LockEntry>;
}

export function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

/** Builds dist when missing (npm test builds first; a lone mocha run may not have). */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  }
}

let packed: string | null = null;

/** Removes a scratch folder made by these helpers (for the packed tarball: its folder). */
export function removeScratch(path: string): void {
  if (path === packed) {
    packed = null;
    path = dirname(path);
  }
  rmSync(path, { recursive: true, force: true });
}

/** `npm pack` of the current build into a scratch folder; the tarball's path. */
export function packTarball(): string {
  if (packed !== null && existsSync(packed)) return packed;
  ensureBuilt();
  const out = mkdtempSync(join(tmpdir(), 'ringcache-pack-'));
  const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], ROOT)) as { filename: string }[];
  packed = join(out, info.filename);
  return packed;
}

/**
 * The repository lockfile's production packages (what the tarball depends on), each with its
 * tarball URL spelled out: without one npm would ask the registry for the package's listing,
 * which `npm ci` never cached.
 */
function productionLockEntries(): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const registry = npm(['config', 'get', 'registry'], ROOT).trim().replace(/\/$/, '');
  const entries: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.devOptional === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const base = name.slice(name.lastIndexOf('/') + 1);
    entries[path] = { resolved: `${registry}/${name}/-/${base}-${entry.version}.tgz`, ...entry };
  }
  return entries;
}

/**
 * The repository's lockfile with every production package's tarball URL spelled out, for an
 * offline `npm ci --omit=dev` of the package itself (what the Docker image's run stage does).
 */
export function offlineLockfile(): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  lock.packages = { ...lock.packages, ...productionLockEntries() };
  return JSON.stringify(lock, null, 2);
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * An empty project that depends on the tarball, installed offline with production dependencies
 * only. `extra` adds files (name → content) before the install.
 */
export function installTarballProject(tarball: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-consumer-'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
    license: string;
  };
  const tgzName = 'ringcache.tgz';
  execFileSync('cp', [tarball, join(dir, tgzName)]);
  const spec = `file:${tgzName}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { ringcache: spec } }, null, 2));
  const lock = {
    name: 'consumer',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', version: '1.0.0', dependencies: { ringcache: spec } },
      'node_modules/ringcache': {
        version: pkg.version,
        resolved: spec,
        integrity: integrityOf(tarball),
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
      },
      ...productionLockEntries(),
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  npm(['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], dir);
  return dir;
}

/** Waits for the start-up banner and returns the port it reports. */
export function waitForBanner(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let out = '';
    let err = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /Ready to accept connections on port (\d+)/.exec(out);
      if (m !== null) {
        child.stdout?.off('data', onData);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${out}${err}`)));
  });
}

/** Stops a server started by a test and waits for its exit code. */
export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveCode) => {
    if (child.exitCode !== null) return resolveCode(child.exitCode);
    child.once('exit', (code) => resolveCode(code));
    child.kill('SIGTERM');
  });
}

export { spawn };
