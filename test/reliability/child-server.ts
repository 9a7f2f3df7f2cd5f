// The reliability tests run the server the way it runs in production: the command-line server
// in its own process (from the TypeScript sources, so a stale build cannot fool them), talked to
// over loopback, watched through /proc, stopped by signals or killed outright.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./server-entry.ts', import.meta.url));
/** Far past the second or two tsx takes to start the server here: it takes many more on a busy machine. */
const START_TIMEOUT_MS = 60000;

export interface ChildServer {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** Everything the server printed so far (its log goes to stdout). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process and its output are gone. */
  readonly exited: Promise<number | null>;
}

/** Starts `ringcache-server <args>` and resolves once it listens; `--port` defaults to 0. */
export function startChildServer(args: readonly string[]): Promise<ChildServer> {
  const argv = args.includes('--port') ? [...args] : ['--port', '0', ...args];
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // 'close' comes after the output pipes are drained, so output() then holds the last log lines.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = (): void => {
      const m = /Ready to accept connections on port (\d+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({ process: child, pid: child.pid as number, port: Number(m[1]), output: () => out, exited });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
}

/** SIGKILLs a server a failed test left running; no-op once it has exited. */
export function killChild(server: ChildServer | null): Promise<unknown> {
  if (server === null || server.process.exitCode !== null || server.process.signalCode !== null) return Promise.resolve();
  server.process.kill('SIGKILL');
  return server.exited;
}

export { portOpen } from '../helpers/redis-server.js';

/** The process's resident set size in kB, from /proc. */
export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** How many file descriptors the process has open, from /proc. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Polls until `check` holds, or throws with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One field of an INFO reply (`connected_clients`...), as text. */
export function infoField(info: string, field: string): string {
  const m = new RegExp(`^${field}:(.*)\r$`, 'm').exec(info);
  if (m === null) throw new Error(`INFO has no ${field}`);
  return m[1];
}
