// Profiles ringcache under redis-benchmark with `node --cpu-prof` and prints where the time goes:
// the top frames by self time, the top by inclusive time, and a split between ringcache's own
// code, Node's internals, GC and idle.
//
//   npx tsx benchmarks/profile.ts                      SET and GET, no pipelining
//   npx tsx benchmarks/profile.ts --pipeline 16        the same with -P 16
//   npx tsx benchmarks/profile.ts --analyze file.cpuprofile
//   npx tsx benchmarks/profile.ts --command 'MGET key:__rand_int__ key:__rand_int__'
//                                                      any command line instead of -t tests
//   options: --tests set,get  --requests N  --data-size B (value bytes, redis-benchmark -d)
//            --top N  --server launcher|tsx  --out dir

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runRedisBenchmark } from './lib/redis-benchmark.js';
import { formatCount, renderTable } from './lib/report.js';
import { ROOT, startRingcache, type RingcacheMode } from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    tests: { type: 'string', default: 'set,get' },
    command: { type: 'string' },
    pipeline: { type: 'string', default: '1' },
    'data-size': { type: 'string', default: '3' },
    requests: { type: 'string', default: '300000' },
    top: { type: 'string', default: '25' },
    server: { type: 'string', default: 'launcher' },
    out: { type: 'string', default: path.join(ROOT, 'benchmarks', 'profiles') },
    analyze: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const file = url.startsWith('file://') ? path.relative(ROOT, new URL(url).pathname) : url;
  return `${name} ${file}:${lineNumber + 1}`;
}

function category(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url === '') {
    if (functionName === '(idle)') return 'idle (waiting for I/O)';
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(program)') return 'native/program (syscalls, V8 runtime)';
    return `native: ${functionName}`;
  }
  if (url.startsWith('node:')) return 'Node internals (net, streams)';
  if (url.includes('/src/')) return 'ringcache src/';
  return 'other JS';
}

export function analyze(file: string, top: number, markdown: boolean): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Sample time per node from the sample stream, which is more exact than hitCount.
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const categories = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id) as ProfileNode;
    const name = frameName(node);
    const own = selfUs.get(id) ?? 0;
    self.set(name, (self.get(name) ?? 0) + own);
    categories.set(category(node), (categories.get(category(node)) ?? 0) + own);
    const fresh = !onStack.has(name);
    if (fresh) onStack.add(name);
    let sum = own;
    for (const child of node.children ?? []) sum += walk(child, onStack);
    if (fresh) {
      onStack.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + sum);
    }
    return sum;
  };
  walk(profile.nodes[0].id, new Set());
  const pct = (us: number): string => `${((100 * us) / total).toFixed(1)}%`;
  const busy = total - (categories.get('idle (waiting for I/O)') ?? 0);
  const ofBusy = (name: string, us: number): string => (name.startsWith('(idle)') || name.startsWith('idle') ? '-' : `${((100 * us) / busy).toFixed(1)}%`);
  const rank = (m: Map<string, number>, skip: (name: string) => boolean): string[][] =>
    [...m.entries()]
      .filter(([name]) => !skip(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [pct(us), ofBusy(name, us), name]);
  const structural = (name: string): boolean => /^\((root|program|idle)\)/.test(name);
  return [
    `profile ${path.relative(process.cwd(), file)}: ${(total / 1e6).toFixed(1)} s sampled, ${((100 * busy) / total).toFixed(0)}% busy`,
    '',
    renderTable(
      ['share of all', 'share of busy', 'category'],
      [...categories.entries()]
        .sort((a, b) => b[1] - a[1])
        .filter(([, us]) => us / total >= 0.001)
        .map(([name, us]) => [pct(us), ofBusy(name, us), name]),
      markdown,
    ),
    '',
    `top ${top} frames by self time`,
    renderTable(['self', 'of busy', 'frame'], rank(self, () => false), markdown),
    '',
    `top ${top} frames by inclusive time`,
    renderTable(['inclusive', 'of busy', 'frame'], rank(inclusive, structural), markdown),
  ].join('\n');
}

async function profileRun(): Promise<string> {
  mkdirSync(opts.out, { recursive: true });
  const label = opts.command !== undefined ? opts.command.split(' ')[0].toLowerCase() : opts.tests.replace(/,/g, '-');
  const name = `ringcache-${label}-P${opts.pipeline}-${Date.now()}.cpuprofile`;
  const server = await startRingcache({
    mode: opts.server as RingcacheMode,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', opts.out, '--cpu-prof-name', name],
  });
  const run = await runRedisBenchmark(server.port, [
    '-c', '50', '-n', opts.requests, '-r', '100000', '-P', opts.pipeline, '-d', opts['data-size'],
    ...(opts.command !== undefined ? opts.command.split(' ') : ['-t', opts.tests]),
  ]);
  await server.stop();
  for (const row of run.rows) console.log(`${row.test}: ${formatCount(row.rps)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms`);
  const file = path.join(opts.out, name);
  if (!readdirSync(opts.out).includes(name)) throw new Error(`no profile written at ${file}`);
  return file;
}

const file = opts.analyze ?? (await profileRun());
console.log(analyze(file, Number(opts.top), opts.markdown));
