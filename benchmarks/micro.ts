// `npm run bench:micro`: the request parser, the reply writer and the engine, without sockets.
//
//   npm run bench:micro                    all three (about a minute)
//   npm run bench:micro -- --quick         seconds-long smoke
//   options: --only parser,writer,engine,dispatch  --keys N (engine, default 1M)  --markdown
//   (dispatch: parser + ServerCore.execute + handler + engine + writer, -P 16 style, 100k keys)
//
// Run under `node --expose-gc` (the npm script does) to get the engine's bytes per key.

import os from 'node:os';
import { parseArgs } from 'node:util';
import { dispatchBenchmarks } from './micro/dispatch.bench.js';
import { engineBenchmarks } from './micro/engine.bench.js';
import type { MicroOptions, MicroResult } from './micro/harness.js';
import { parserBenchmarks } from './micro/parser.bench.js';
import { writerBenchmarks } from './micro/writer.bench.js';
import { formatCount, formatRatio, renderTable } from './lib/report.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'parser,writer,engine,dispatch' },
    keys: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});

const options: MicroOptions = opts.quick ? { samples: 3, sampleMs: 50 } : { samples: 5, sampleMs: 400 };
const only = new Set(opts.only.split(','));
const engineKeys = Number(opts.keys ?? (opts.quick ? 100_000 : 1_000_000));
const md = opts.markdown;

const mbps = (r: MicroResult): string => (r.bytesPerSec === null ? '' : `${(r.bytesPerSec / 2 ** 20).toFixed(0)} MB/s`);

console.log(`date: ${new Date().toISOString()}; node ${process.version}; ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(opts.quick ? 'QUICK MODE: a smoke test, not a measurement' : `samples: ${options.samples} x ${options.sampleMs} ms, median`);

if (only.has('parser')) {
  const rows = parserBenchmarks(options).map(({ stream, ours, reference, utf8 }) => [
    stream.name,
    `${formatCount(ours.opsPerSec)} cmd/s (${mbps(ours)})`,
    `${formatCount(reference.opsPerSec)} cmd/s (${mbps(reference)})`,
    formatRatio(ours.opsPerSec / reference.opsPerSec),
    `${formatCount(utf8.opsPerSec)} cmd/s`,
  ]);
  console.log('\nRequest parser, 64 KB chunks');
  console.log(
    renderTable(['stream', 'RequestParser', 'redis-parser (latin1 copies)', 'ratio', 'redis-parser (utf8, lossy)'], rows, md),
  );
}

if (only.has('writer')) {
  const rows = writerBenchmarks(options).map(({ name, perTake, ours, baseline }) => [
    name,
    String(perTake),
    `${formatCount(ours.opsPerSec)}/s`,
    `${formatCount(baseline.opsPerSec)}/s`,
    formatRatio(ours.opsPerSec / baseline.opsPerSec),
  ]);
  console.log('\nReply writer (replies per take(): 1 = no pipelining, 16 = -P 16)');
  console.log(renderTable(['reply', 'per take', 'ReplyWriter', 'string + Buffer.from', 'ratio'], rows, md));
}

if (only.has('engine')) {
  const report = engineBenchmarks(engineKeys, options);
  const rows = report.results.map(({ name, ours, baseline }) => [
    name,
    `${formatCount(ours.opsPerSec)}/s`,
    baseline === null ? '' : `${formatCount(baseline.opsPerSec)}/s`,
    baseline === null ? '' : formatRatio(ours.opsPerSec / baseline.opsPerSec),
  ]);
  console.log(`\nEngine, ${formatCount(engineKeys)} keys of 16 B, values of 32 B`);
  console.log(renderTable(['operation', 'Database', 'Map<string,string>', 'ratio'], rows, md));
  if (report.bytesPerKey.length > 0) {
    console.log(`\nRetained heap + typed arrays per key after full GC (${formatCount(engineKeys)} keys, key and value strings included)`);
    console.log(renderTable(['store', 'bytes/key'], report.bytesPerKey.map((b) => [b.name, b.bytes.toFixed(0)]), md));
  } else {
    console.log('\n(run with node --expose-gc for bytes per key)');
  }
}

if (only.has('dispatch')) {
  const keys = opts.quick ? 10_000 : 100_000;
  const rows = dispatchBenchmarks(keys, options).map(({ name, result }) => [
    name,
    `${formatCount(result.opsPerSec)}/s`,
    `${(1e6 / result.opsPerSec).toFixed(2)} us`,
  ]);
  console.log(`\nDispatch: parser + ServerCore.execute + handler + engine + writer, 16 requests per read, ${formatCount(keys)} keys`);
  console.log(renderTable(['request', 'requests/s', 'per request'], rows, md));
}
