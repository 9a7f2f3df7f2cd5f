// Starting and stopping the servers under test: redis-server, and ringcache either through its
// command-line front end (bin/ringcache-server over dist/) or through benchmarks' own launcher.
// Every process started here is a child of the harness and is stopped by its pid on exit.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitForPing } from './resp-client.js';

export interface LauncherStats {
  eventLoopDelayMs: { count: number; min: number; mean: number; p50: number; p99: number; p999: number; max: number };
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export interface ServerProcess {
  name: 'ringcache' | 'redis';
  port: number;
  pid: number;
  /** How it was started, for the report. */
  how: string;
  /** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
  rss(): number;
  /** CPU time used so far (user + system), from /proc/<pid>/stat, in seconds. */
  cpuSeconds(): { user: number; system: number };
  /** Event-loop delay and heap figures; only the benchmark launcher has them. */
  stats: (() => Promise<LauncherStats>) | null;
  stop(): Promise<void>;
}

/** The repository root: the nearest directory above this file with the project's package.json. */
export const ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'ringcache') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the ringcache repository root');
    dir = parent;
  }
})();

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

function track(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('process did not start');
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child.pid;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** What `command args` prints (a version banner), trimmed; 'unknown' when it cannot run. */
export function versionOf(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** redis-server's version number (`7.0.15`), for report headers. */
export function redisServerVersion(): string {
  return /v=(\S+)/.exec(versionOf('redis-server', ['--version']))?.[1] ?? 'unknown';
}

/** redis-server without persistence; `config` adds directives (e.g. maxmemory) to its command line. */
export async function startRedis(port?: number, config: Record<string, string> = {}): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  for (const [name, value] of Object.entries(config)) args.push(`--${name}`, value);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = track(child);
  await waitForPing(p, 10_000);
  return {
    name: 'redis',
    port: p,
    pid,
    how: `redis-server ${args.join(' ')}`,
    rss: () => rssOf(pid),
    cpuSeconds: () => cpuOf(pid),
    stats: null,
    stop: () => stopChild(child),
  };
}

/**
 * auto: bin/ringcache-server when it and dist/ exist, else the compiled launcher in dist/, else
 * the launcher through tsx. `launcher` picks the compiled launcher when present, tsx otherwise.
 */
export type RingcacheMode = 'auto' | 'bin' | 'launcher' | 'tsx';

export interface RingcacheOptions {
  port?: number;
  mode?: RingcacheMode;
  /** Flags for node itself (--cpu-prof, --max-old-space-size=...). */
  nodeFlags?: string[];
  /** Environment variables for the server process on top of the harness's own (MALLOC_...). */
  env?: Record<string, string>;
  /** Config parameters; honoured by the launcher only. */
  config?: Record<string, string>;
}

const BIN = path.join(ROOT, 'bin', 'ringcache-server');
const DIST_INDEX = path.join(ROOT, 'dist', 'src', 'index.js');
const DIST_LAUNCHER = path.join(ROOT, 'dist', 'benchmarks', 'launch-ringcache.js');
const TS_LAUNCHER = path.join(ROOT, 'benchmarks', 'launch-ringcache.ts');

const shortPath = (arg: string): string => (arg.startsWith(ROOT) ? path.relative(ROOT, arg) : arg);
/** `NAME=value ` for each variable, as a shell command line would show them. */
const envPrefix = (env: Record<string, string>): string => Object.entries(env).map(([name, value]) => `${name}=${value} `).join('');

/** Newest modification time under a directory, to tell whether dist/ lags behind src/. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** A warning when dist/ is older than src/, or null. */
export function staleDistWarning(): string | null {
  if (!existsSync(DIST_INDEX)) return null;
  const src = newestMtime(path.join(ROOT, 'src'));
  const dist = newestMtime(path.join(ROOT, 'dist', 'src'));
  return src > dist ? 'dist/ is older than src/: run `npm run build` to measure the current code' : null;
}

export async function startRingcache(options: RingcacheOptions = {}): Promise<ServerProcess> {
  const mode = options.mode ?? 'auto';
  const nodeFlags = options.nodeFlags ?? [];
  const hasConfig = options.config !== undefined && Object.keys(options.config).length > 0;
  if ((mode === 'bin' || (mode === 'auto' && !hasConfig)) && existsSync(BIN) && existsSync(DIST_INDEX)) {
    try {
      return await startBin(options.port ?? (await freePort()), nodeFlags, options.env ?? {});
    } catch (err) {
      if (mode === 'bin') throw err;
      console.error(`bin/ringcache-server did not come up (${(err as Error).message}); using the benchmark launcher`);
    }
  } else if (mode === 'bin') {
    throw new Error('bin/ringcache-server or dist/ is missing: run `npm run build`');
  }
  const compiled = mode !== 'tsx' && existsSync(DIST_LAUNCHER);
  const entry = compiled ? [DIST_LAUNCHER] : ['--import', 'tsx', TS_LAUNCHER];
  return startLauncher(entry, options.port ?? 0, nodeFlags, options.config ?? {}, options.env ?? {});
}

/**
 * bin/ringcache-server's first line, `#!/usr/bin/env -S [NAME=value]... node [--flag]...`, read as
 * env reads it: the assignments become the server's environment, the rest node's flags.
 */
export function binShebang(): { env: Record<string, string>; nodeFlags: string[] } {
  const first = readFileSync(BIN, 'latin1').split('\n', 1)[0];
  const match = /^#!\S*env(?:\s+-S)?((?:\s+[A-Za-z_][A-Za-z0-9_]*=\S*)*)\s+node((?:\s+--\S+)*)\s*$/.exec(first);
  if (match === null) return { env: {}, nodeFlags: [] };
  const words = (text: string): string[] => text.trim().split(/\s+/).filter((w) => w !== '');
  const env: Record<string, string> = {};
  for (const assignment of words(match[1])) {
    const eq = assignment.indexOf('=');
    env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return { env, nodeFlags: words(match[2]) };
}

/** The node flags on bin/ringcache-server's shebang line. */
export function binShebangFlags(): string[] {
  return binShebang().nodeFlags;
}

/** The environment assignments on bin/ringcache-server's shebang line. */
export function binShebangEnv(): Record<string, string> {
  return binShebang().env;
}

async function startBin(port: number, nodeFlags: string[], extraEnv: Record<string, string>): Promise<ServerProcess> {
  const shebang = binShebang();
  const args = [...shebang.nodeFlags, ...nodeFlags, BIN, '--port', String(port)];
  const env = { ...shebang.env, ...extraEnv };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = track(child);
  try {
    await waitForPing(port, 10_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    name: 'ringcache',
    port,
    pid,
    how: `${envPrefix(env)}node ${args.map(shortPath).join(' ')}`,
    rss: () => rssOf(pid),
    cpuSeconds: () => cpuOf(pid),
    stats: null,
    stop: () => stopChild(child),
  };
}

async function startLauncher(
  entry: string[],
  port: number,
  nodeFlags: string[],
  config: Record<string, string>,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const configArgs = Object.entries(config).flatMap(([name, value]) => ['--config', `${name}=${value}`]);
  const args = [...nodeFlags, ...entry, '--port', String(port), ...configArgs];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = track(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const statsWaiters: { resolve: (stats: LauncherStats) => void; reject: (err: Error) => void }[] = [];
  child.once('exit', (code, signal) => {
    for (const waiter of statsWaiters.splice(0)) waiter.reject(new Error(`ringcache exited (${signal ?? code})`));
  });
  const ready = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ringcache launcher exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('ringcache-bench ready ')) resolve(Number(line.slice(22)));
      else if (line.startsWith('ringcache-bench stats ')) statsWaiters.shift()?.resolve(JSON.parse(line.slice(22)));
      else process.stderr.write(`[ringcache] ${line}\n`);
    });
  });
  const bound = await ready;
  return {
    name: 'ringcache',
    port: bound,
    pid,
    how: `${envPrefix(env)}node ${args.map(shortPath).join(' ')}`,
    rss: () => rssOf(pid),
    cpuSeconds: () => cpuOf(pid),
    stats: () =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`ringcache exited (${child.signalCode ?? child.exitCode})`));
          return;
        }
        statsWaiters.push({ resolve, reject });
        process.kill(pid, 'SIGUSR2');
      }),
    stop: () => stopChild(child),
  };
}

/**
 * Runs `measure` on a fresh ringcache (bin/ringcache-server) and a fresh redis-server in each of
 * `rounds` rounds, the order flipping every round so that a busy machine's drift falls on both
 * alike; warns first when dist/ is stale and reports each round's end on stderr.
 */
export async function alternatingRounds(rounds: number, measure: (server: ServerProcess) => Promise<void>): Promise<void> {
  const stale = staleDistWarning();
  if (stale !== null) console.error(stale);
  for (let round = 0; round < rounds; round++) {
    const order: ServerProcess['name'][] = round % 2 === 0 ? ['ringcache', 'redis'] : ['redis', 'ringcache'];
    for (const name of order) {
      const server = name === 'redis' ? await startRedis() : await startRingcache({ mode: 'bin' });
      try {
        await measure(server);
      } finally {
        await server.stop();
      }
    }
    console.error(`round ${round + 1} of ${rounds} done`);
  }
}
