// Ceiling study for the simulator's hardest cells: how much better than exact LRU the strongest
// published policy designs get at all, each with its knobs swept and the best setting picked in
// hindsight per trace (a bound no deployed tuning reaches), beside the server's allkeys-s3fifo.
// It backs the RESULTS.md statement on issue 5's target "S3-FIFO at least 10% lower miss ratio
// than exact LRU on web07 and web12 at 1%".
//
//   npm run bench:eviction:ceiling -- [--trace FILE]... [--sizes 0.01] [--limit N]
//
// Without --trace: web07 and web12 from ../shared/traces (cache2k project, headissue GmbH,
// Jens Wilke, CC BY 4.0).

import { parseArgs } from 'node:util';
import { belady, exactLru } from './baselines.js';
import { lirs, s3fifoStatic, wTinyLfu } from './reference-policies.js';
import { runServerPolicy } from './simulate.js';
import { loadTrace, type Trace } from './traces.js';

const TRACE_DIR = new URL('../../../shared/traces/', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    trace: { type: 'string', multiple: true },
    sizes: { type: 'string', default: '0.01' },
    limit: { type: 'string', default: 'Infinity' },
  },
});

interface Setting {
  family: string;
  label: string;
  run: (keys: Uint32Array, capacity: number) => number;
}

const grid = <T>(...axes: T[][]): T[][] => axes.reduce<T[][]>((acc, axis) => acc.flatMap((row) => axis.map((v) => [...row, v])), [[]]);

const settings: Setting[] = [
  ...grid([0.05, 0.1, 0.2, 0.3, 0.5], [0.5, 1, 2, 4, 8], [1, 3, 7, 15]).map(([smallShare, ghostSizes, frequencyCap]) => ({
    family: 'S3-FIFO, fixed parameters',
    label: `small ${smallShare}, ghost ${ghostSizes}x, cap ${frequencyCap}`,
    run: (keys: Uint32Array, capacity: number) => s3fifoStatic(keys, capacity, { smallShare, ghostSizes, frequencyCap }),
  })),
  ...[0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5].map((hirShare) => ({
    family: 'LIRS',
    label: `HIR share ${hirShare}`,
    run: (keys: Uint32Array, capacity: number) => lirs(keys, capacity, hirShare),
  })),
  ...grid([0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [10, 100, Infinity]).map(([windowShare, resetSizes]) => ({
    family: 'W-TinyLFU, exact counts',
    label: `window ${windowShare}, halving ${resetSizes === Infinity ? 'never' : `every ${resetSizes}x`}`,
    run: (keys: Uint32Array, capacity: number) => wTinyLfu(keys, capacity, { windowShare, resetSizes }),
  })),
];

const traces: Trace[] = (values.trace ?? [`${TRACE_DIR}web07.trace.xz`, `${TRACE_DIR}web12.trace.xz`]).map((file) => loadTrace(file, Number(values.limit)));
const sizes = values.sizes.split(',').map(Number);
const reduction = (misses: number, lru: number): number => 1 - misses / lru;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Reduction against exact LRU, per setting label, per trace and size (the column order). */
const bySetting = new Map<string, number[]>();
const columns: string[] = [];
console.log(`Ceiling study, ${new Date().toISOString()}, node ${process.version}: miss-ratio reduction against exact LRU (higher is better).`);
for (const trace of traces) {
  const distinct = new Set(trace.keys).size;
  for (const size of sizes) {
    const capacity = Math.max(1, Math.round(distinct * size));
    const column = `${trace.name} ${size * 100}% (${capacity})`;
    columns.push(column);
    const lru = exactLru(trace.keys, capacity);
    const opt = belady(trace.keys, capacity);
    const server = runServerPolicy('allkeys-s3fifo', trace.keys, capacity);
    console.log(`\n### ${column}: exact LRU miss ratio ${(lru / trace.keys.length).toFixed(4)}`);
    console.log('| policy | best setting (chosen in hindsight) | miss ratio | vs LRU | LRU-OPT gap closed |');
    console.log('|---|---|---:|---:|---:|');
    const row = (name: string, setting: string, misses: number): void =>
      console.log(`| ${name} | ${setting} | ${(misses / trace.keys.length).toFixed(4)} | ${pct(reduction(misses, lru))} | ${pct((lru - misses) / (lru - opt))} |`);
    row('OPT (Belady)', '-', opt);
    row('allkeys-s3fifo (the server)', 'adaptive small queue', server);
    const best = new Map<string, { label: string; misses: number }>();
    for (const setting of settings) {
      const misses = setting.run(trace.keys, capacity);
      const list = bySetting.get(`${setting.family}: ${setting.label}`) ?? [];
      list.push(reduction(misses, lru));
      bySetting.set(`${setting.family}: ${setting.label}`, list);
      const current = best.get(setting.family);
      if (current === undefined || misses < current.misses) best.set(setting.family, { label: setting.label, misses });
    }
    for (const [family, { label, misses }] of best) row(family, label, misses);
  }
}

// One setting has to serve every trace in a deployment: the best worst case over the columns.
console.log(`\n### One setting for all of ${columns.join(', ')}: the best worst case per family`);
console.log(`| policy | setting | ${columns.join(' | ')} |`);
console.log(`|---|---|${columns.map(() => '---:').join('|')}|`);
const families = [...new Set(settings.map((s) => s.family))];
for (const family of families) {
  let pick: [string, number[]] | null = null;
  for (const [key, list] of bySetting) {
    if (!key.startsWith(`${family}: `)) continue;
    if (pick === null || Math.min(...list) > Math.min(...pick[1])) pick = [key, list];
  }
  if (pick !== null) console.log(`| ${family} | ${pick[0].slice(family.length + 2)} | ${pick[1].map(pct).join(' | ')} |`);
}
