// `npm run bench:large`: SET and GET of large values (redis-benchmark -d), ringcache against
// redis-server in the same run, as ratios. `npm run bench` uses 3-byte values, so it does not see
// the costs that grow with the value: gathering a bulk that spans reads, turning it into a string,
// copying it into the record store, and writing big replies.
//
// Each round starts both servers afresh and measures every (size, pipelining, test) case on each
// in turn, the order flipping every round; ratios are medians of the per-round ratios. Besides
// requests per second it reports the server's CPU time per request (user + system, from /proc),
// which a machine busy with other work disturbs far less than throughput: compare trees by it.
//
//   npm run bench:large
//   options: --sizes 4096,32768  --pipelines 1,16  --rounds 3  --tests set,get
//            --requests N (per case; default scales down with the value size)  --markdown

import { parseArgs } from 'node:util';
import { runRedisBenchmark } from './lib/redis-benchmark.js';
import { formatCount, formatRatio, median, renderTable } from './lib/report.js';
import { alternatingRounds, redisServerVersion, type ServerProcess } from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '4096,32768' },
    pipelines: { type: 'string', default: '1,16' },
    rounds: { type: 'string', default: '3' },
    tests: { type: 'string', default: 'set,get' },
    requests: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});

const sizes = opts.sizes.split(',').map(Number);
const pipelines = opts.pipelines.split(',').map(Number);
const tests = opts.tests.split(',');
const rounds = Number(opts.rounds);

/** About 800 MB of values per case, within 50k-200k requests: a few seconds per case. */
const requestsFor = (size: number): number => Number(opts.requests ?? Math.round(Math.min(200_000, Math.max(50_000, 8e8 / size))));

interface Case {
  size: number;
  pipeline: number;
}
const cases: Case[] = sizes.flatMap((size) => pipelines.map((pipeline) => ({ size, pipeline })));
const caseId = (c: Case, test: string): string => `${test} ${c.size} B -P ${c.pipeline}`;

interface Sample {
  rps: number;
  /** Server CPU seconds per request, in microseconds. */
  cpuUs: number;
}
/** One sample per round for each case and test, for each server. */
const samples = { ringcache: new Map<string, Sample[]>(), redis: new Map<string, Sample[]>() };

const cpuOf = (server: ServerProcess): number => {
  const { user, system } = server.cpuSeconds();
  return user + system;
};

async function measure(server: ServerProcess): Promise<void> {
  for (const c of cases) {
    for (const test of tests) {
      const requests = requestsFor(c.size);
      const args = ['-t', test, '-d', String(c.size), '-P', String(c.pipeline), '-r', '10000', '-n', String(requests)];
      const cpuBefore = cpuOf(server);
      const run = await runRedisBenchmark(server.port, args);
      const cpuUs = ((cpuOf(server) - cpuBefore) / requests) * 1e6;
      if (run.serverError !== null) throw new Error(`${server.name}: ${run.serverError}`);
      const id = caseId(c, test);
      const list = samples[server.name].get(id) ?? [];
      list.push({ rps: run.rows[0].rps, cpuUs });
      samples[server.name].set(id, list);
    }
  }
}

await alternatingRounds(rounds, measure);

const rows: string[][] = [];
for (const c of cases) {
  for (const test of tests) {
    const id = caseId(c, test);
    const ours = samples.ringcache.get(id) ?? [];
    const theirs = samples.redis.get(id) ?? [];
    const rpsRatio = median(ours.map((s, i) => s.rps / theirs[i].rps));
    const cpuRatio = median(ours.map((s, i) => s.cpuUs / theirs[i].cpuUs));
    rows.push([
      test.toUpperCase(),
      `${c.size} B`,
      String(c.pipeline),
      formatCount(median(ours.map((s) => s.rps))),
      formatCount(median(theirs.map((s) => s.rps))),
      formatRatio(rpsRatio),
      median(ours.map((s) => s.cpuUs)).toFixed(1),
      median(theirs.map((s) => s.cpuUs)).toFixed(1),
      formatRatio(cpuRatio),
    ]);
  }
}
console.log(`${new Date().toISOString()}, node ${process.version}, ${redisServerVersion()}, ${rounds} rounds`);
console.log(
  renderTable(
    ['test', 'value', '-P', 'ringcache rps', 'redis rps', 'rps ratio', 'ringcache CPU µs/req', 'redis CPU µs/req', 'CPU ratio'],
    rows,
    opts.markdown,
  ),
);
