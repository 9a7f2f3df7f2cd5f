// `npm run bench:cluster`: does a local cluster use more cores? ringcache runs one event loop per
// process, so the way to more throughput on one machine is more nodes: `--cluster-local 2` (two
// processes) against `--cluster-local 1` (one), both cluster nodes running the same code, driven
// by redis-benchmark (with --cluster for 2 nodes: it refuses a 1-node cluster), so that only the
// number of processes differs.
// redis-server is measured the same way (a 1-node and a 2-node Redis Cluster, slots split in
// halves) for reference. Runs alternate between the targets round by round, so that a busy
// moment on the machine hits every target alike; the table shows each one's median.
//
//   npm run build && npm run bench:cluster -- [--rounds 3] [--requests 200000] [--markdown] [--no-redis]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runRedisBenchmark } from './lib/redis-benchmark.js';
import { formatCount, formatRatio, median, renderTable } from './lib/report.js';
import { callOnce } from './lib/resp-client.js';
import { ROOT, freePort, redisServerVersion, staleDistWarning } from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '50' },
    markdown: { type: 'boolean', default: false },
    'no-redis': { type: 'boolean', default: false },
  },
});

const ROUNDS = Number(opts.rounds);
const REQUESTS = Number(opts.requests);
const CLIENTS = Number(opts.clients);
const SCENARIOS: { name: string; args: string[] }[] = [
  { name: `-c ${CLIENTS}`, args: [] },
  { name: `-c ${CLIENTS} -P 16`, args: ['-P', '16'] },
];
const TESTS = ['SET', 'GET'];

interface Target {
  name: string;
  /** One seed port: redis-benchmark --cluster reads the rest from CLUSTER NODES. */
  port: number;
  /** redis-benchmark --cluster refuses a 1-node cluster ("Invalid cluster"): that one is driven without it. */
  nodes: number;
  stop(): Promise<void>;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'ringcache-bench-cluster-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      children.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** `ringcache-server --cluster-local <nodes> --port 0`; resolves once the launcher says the cluster is ready. */
async function startRingcacheCluster(nodes: number): Promise<Target> {
  const dir = mkdtempSync(path.join(scratch, 'ringcache-'));
  const args = [path.join(ROOT, 'bin', 'ringcache-server'), '--cluster-local', String(nodes), '--port', '0', '--save', '', '--dir', dir];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /Cluster ready: \d+ nodes on [^:]+:(\d+)/.exec(out);
      if (ready !== null) resolve(Number(ready[1]));
    });
    child.once('exit', (code) => reject(new Error(`ringcache --cluster-local exited with ${code}:\n${out}`)));
  });
  child.stdout?.resume();
  return { name: `ringcache, ${nodes} node${nodes > 1 ? 's' : ''}`, port, nodes, stop: () => stopChild(child) };
}

/** A Redis Cluster of `nodes` masters, the slots split evenly, without redis-cli (which wants 3). */
async function startRedisCluster(nodes: number): Promise<Target> {
  const ports: number[] = [];
  const procs: ChildProcess[] = [];
  for (let i = 0; i < nodes; i++) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes'];
    args.push('--cluster-config-file', path.join(scratch, `redis-nodes-${port}.conf`), '--dir', scratch);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    children.add(child);
    procs.push(child);
    ports.push(port);
  }
  for (const port of ports) await waitFor(async () => (await callOnce(port, 'PING').catch(() => null)) === 'PONG');
  const share = Math.ceil(16384 / nodes);
  for (const [i, port] of ports.entries()) {
    await callOnce(port, 'CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(16383, (i + 1) * share - 1)));
    await callOnce(port, 'CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
  }
  for (const port of ports.slice(1)) await callOnce(port, 'CLUSTER', 'MEET', '127.0.0.1', String(ports[0]));
  for (const port of ports) {
    await waitFor(async () => {
      const info = String(await callOnce(port, 'CLUSTER', 'INFO'));
      return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${nodes}`);
    });
  }
  return {
    name: `redis-server, ${nodes} node${nodes > 1 ? 's' : ''}`,
    port: ports[0],
    nodes,
    stop: async () => {
      await Promise.all(procs.map(stopChild));
    },
  };
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a cluster to form');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const stale = staleDistWarning();
  if (stale !== null) console.error(`warning: ${stale}`);
  const targets: Target[] = [await startRingcacheCluster(1), await startRingcacheCluster(2)];
  if (!opts['no-redis']) targets.push(await startRedisCluster(1), await startRedisCluster(2));
  // rps[target][scenario][test] = one figure per round
  const rps = targets.map(() => SCENARIOS.map(() => TESTS.map(() => [] as number[])));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [s, scenario] of SCENARIOS.entries()) {
        for (const [t, target] of targets.entries()) {
          const args = [...(target.nodes > 1 ? ['--cluster'] : []), '-t', TESTS.join(',').toLowerCase(), '-n', String(REQUESTS), '-c', String(CLIENTS), '-r', '100000', ...scenario.args];
          const run = await runRedisBenchmark(target.port, args);
          if (run.serverError !== null) throw new Error(`${target.name}: ${run.serverError}`);
          for (const row of run.rows) {
            const i = TESTS.indexOf(row.test);
            if (i >= 0) rps[t][s][i].push(row.rps);
          }
          console.error(`round ${round}/${ROUNDS} ${scenario.name} ${target.name}: ${run.rows.map((r) => `${r.test} ${formatCount(r.rps)}`).join(', ')}`);
        }
      }
    }
  } finally {
    for (const target of targets) await target.stop();
  }

  const header = ['scenario', 'test', ...targets.map((t) => t.name), 'ringcache 2 / 1'];
  if (targets.length > 2) header.push('redis 2 / 1');
  const rows: string[][] = [];
  for (const [s, scenario] of SCENARIOS.entries()) {
    for (const [i, test] of TESTS.entries()) {
      const medians = targets.map((_, t) => median(rps[t][s][i]));
      const row = [scenario.name, test, ...medians.map(formatCount), formatRatio(medians[1] / medians[0])];
      if (targets.length > 2) row.push(formatRatio(medians[3] / medians[2]));
      rows.push(row);
    }
  }
  const redisVersion = redisServerVersion();
  console.log(
    `requests/s, median of ${ROUNDS} alternating rounds; redis-benchmark [--cluster] -t set,get -n ${REQUESTS} -c ${CLIENTS} -r 100000; ` +
      `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, Redis ${redisVersion}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(renderTable(header, rows, opts.markdown));
}

await main();
