// Introspection commands: SLOWLOG, LATENCY, MONITOR, MEMORY, and ringcache's own
// RINGCACHE HOTKEYS. The logs they read are kept by the central pipeline (src/server/core.ts).

import {
  ERR_LATENCY_NO_SAMPLES,
  ERR_NOT_INTEGER,
  ERR_SLOWLOG_COUNT,
  ERR_SUBCOMMAND_SYNTAX,
  ERR_SYNTAX,
} from '../errors.js';
import { stringEncoding, type EncodingHint } from '../engine/encoding.js';
import type { Client } from '../server/client.js';
import { STARTUP_BYTES, estimateMemory } from '../server/info.js';
import { histogramCount, redisLatencyCdf } from '../metrics/latency-histogram.js';
import { latencyGraph } from '../server/latency-graph.js';
import { formatFixed, parseInt64 } from '../util/numbers.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandSpec } from './types.js';

const ADMIN_FLAGS = ['admin', 'loading', 'stale'] as const;
const LATENCY_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

function sub(name: string, arity: number, handler: CommandSpec['handler'], extra: Partial<CommandSpec> & { summary: string; since: string; group: string }): CommandSpec {
  return { name, arity, flags: [], keys: [0, 0, 0], complexity: 'O(1)', syntax: '', handler, ...extra };
}

const slowlogSubcommands: readonly CommandSpec[] = [
  sub('get', -2, slowlogGet, {
    flags: ADMIN_FLAGS, group: 'server', since: '2.2.12', summary: 'Get the slow log\'s entries',
    complexity: 'O(N) where N is the number of entries returned', syntax: '[count]',
    tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
  }),
  sub('len', 2, (c) => c.reply.integer(c.server.slowlog.length), {
    flags: ADMIN_FLAGS, group: 'server', since: '2.2.12', summary: 'Get the slow log\'s length',
    tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
  }),
  sub('reset', 2, slowlogReset, {
    flags: ADMIN_FLAGS, group: 'server', since: '2.2.12', summary: 'Clear all entries from the slow log',
    complexity: 'O(N) where N is the number of entries in the slowlog',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  }),
  sub('help', 2, (c, args) => replyHelp(c, args[0], SLOWLOG_HELP), {
    flags: ['loading', 'stale'], group: 'server', since: '6.2.0', summary: 'Show helpful text about the different subcommands',
  }),
];

const latencySubcommands: readonly CommandSpec[] = [
  sub('latest', 2, latencyLatest, {
    flags: LATENCY_FLAGS, group: 'server', since: '2.8.13', summary: 'Return the latest latency samples for all events.',
    tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
  }),
  sub('history', 3, latencyHistory, {
    flags: LATENCY_FLAGS, group: 'server', since: '2.8.13', summary: 'Return timestamp-latency samples for the event.',
    tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], syntax: 'event',
  }),
  sub('reset', -2, (c, args) => c.reply.integer(c.server.latencyMonitor.reset(args.slice(2))), {
    flags: LATENCY_FLAGS, group: 'server', since: '2.8.13', summary: 'Reset latency data for one or more events.',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], syntax: '[event [event ...]]',
  }),
  sub('doctor', 2, latencyDoctor, {
    flags: LATENCY_FLAGS, group: 'server', since: '2.8.13', summary: 'Return a human readable latency analysis report.',
    tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
  }),
  sub('graph', 3, latencyGraphCommand, {
    flags: LATENCY_FLAGS, group: 'server', since: '2.8.13', summary: 'Return a latency graph for the event.',
    tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], syntax: 'event',
  }),
  sub('histogram', -2, latencyHistogram, {
    flags: LATENCY_FLAGS, group: 'server', since: '7.0.0', summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
    tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], syntax: '[command [command ...]]',
  }),
  sub('help', 2, (c, args) => replyHelp(c, args[0], LATENCY_HELP), {
    flags: ['loading', 'stale'], group: 'server', since: '2.8.13', summary: 'Show helpful text about the different subcommands.',
  }),
];

const memorySubcommands: readonly CommandSpec[] = [
  sub('usage', -3, memoryUsage, {
    flags: ['readonly'], keys: [2, 2, 1], group: 'server', since: '4.0.0', summary: 'Estimate the memory usage of a key',
    complexity: 'O(N) where N is the number of samples.', syntax: 'key [SAMPLES count]',
  }),
  sub('stats', 2, memoryStats, {
    group: 'server', since: '4.0.0', summary: 'Show memory usage details',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  }),
  sub('doctor', 2, memoryDoctor, {
    group: 'server', since: '4.0.0', summary: 'Outputs memory problems report',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  }),
  sub('malloc-stats', 2, (c) => c.reply.verbatim('Stats not supported for the current allocator'), {
    group: 'server', since: '4.0.0', summary: 'Show allocator internal stats',
    complexity: 'Depends on how much memory is allocated, could be slow',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  }),
  sub('purge', 2, (c) => c.reply.ok(), {
    group: 'server', since: '4.0.0', summary: 'Ask the allocator to release memory', complexity: 'Depends on how much memory is allocated, could be slow',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  }),
  sub('help', 2, (c, args) => replyHelp(c, args[0], MEMORY_HELP), {
    flags: ['loading', 'stale'], group: 'server', since: '4.0.0', summary: 'Show helpful text about the different subcommands',
  }),
];

const ringcacheSubcommands: readonly CommandSpec[] = [
  sub('hotkeys', -2, ringcacheHotkeys, {
    flags: ['admin', 'loading', 'stale'], group: 'server', since: '7.0.0', summary: 'Return the most accessed keys, as estimated by a heavy-hitters sketch',
    complexity: 'O(K log K) where K is the size of the sketch', syntax: '[count]', tips: ['nondeterministic_output'],
  }),
  sub('help', 2, (c, args) => replyHelp(c, args[0], RINGCACHE_HELP), {
    flags: ['loading', 'stale'], group: 'server', since: '7.0.0', summary: 'Show helpful text about the different subcommands',
  }),
];

function container(name: string, summary: string, since: string, subcommands: readonly CommandSpec[]): CommandSpec {
  return { name, arity: -2, flags: [], keys: [0, 0, 0], group: 'server', since, summary, complexity: 'Depends on subcommand.', syntax: '', subcommands };
}

export const introspectionCommands: CommandFamily = [
  container('slowlog', 'A container for slow log commands', '2.2.12', slowlogSubcommands),
  container('latency', 'A container for latency diagnostics commands', '2.8.13', latencySubcommands),
  container('memory', 'A container for memory diagnostics commands', '4.0.0', memorySubcommands),
  container('ringcache', 'A container for ringcache diagnostics commands', '7.0.0', ringcacheSubcommands),
  {
    name: 'monitor',
    arity: 1,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    group: 'server',
    since: '1.0.0',
    summary: 'Listen for all requests received by the server in real time',
    syntax: '',
    handler: monitor,
  },
];

// SLOWLOG GET [count]
function slowlogGet(c: Client, args: string[]): void {
  let count = 10;
  if (args.length > 3) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  if (args.length === 3) {
    const n = parseInt64(args[2]);
    if (n === null || n < -1) {
      c.reply.error(ERR_SLOWLOG_COUNT);
      return;
    }
    count = Number(n);
  }
  const entries = c.server.slowlog.newest(count);
  c.reply.array(entries.length);
  for (const entry of entries) {
    c.reply.array(6);
    c.reply.integer(entry.id);
    c.reply.integer(entry.time);
    c.reply.integer(entry.usec);
    c.reply.bulkArray(entry.args);
    c.reply.bulk(entry.addr);
    c.reply.bulk(entry.name);
  }
}

// SLOWLOG RESET
function slowlogReset(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

// LATENCY LATEST
function latencyLatest(c: Client): void {
  const events = c.server.latencyMonitor.events;
  c.reply.array(events.size);
  for (const [name, series] of events) {
    const last = series.samples[series.samples.length - 1];
    c.reply.array(4);
    c.reply.bulk(name);
    c.reply.integer(last.time);
    c.reply.integer(last.latency);
    c.reply.integer(series.max);
  }
}

// LATENCY HISTORY event
function latencyHistory(c: Client, args: string[]): void {
  const series = c.server.latencyMonitor.events.get(args[2]);
  const samples = series?.samples ?? [];
  c.reply.array(samples.length);
  for (const sample of samples) {
    c.reply.array(2);
    c.reply.integer(sample.time);
    c.reply.integer(sample.latency);
  }
}

// LATENCY DOCTOR
function latencyDoctor(c: Client): void {
  if (c.server.config.getNumber('latency-monitor-threshold') === 0) {
    c.reply.verbatim(
      'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n',
    );
    return;
  }
  const events = c.server.latencyMonitor.events;
  if (events.size === 0) {
    c.reply.verbatim(
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n',
    );
    return;
  }
  let text = 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
  let index = 1;
  for (const [name, series] of events) {
    const samples = series.samples;
    const sum = samples.reduce((total, s) => total + s.latency, 0);
    const average = sum / samples.length;
    const deviation = samples.reduce((total, s) => total + Math.abs(s.latency - average), 0) / samples.length;
    const period = Math.max(1, (samples[samples.length - 1].time - samples[0].time) / samples.length);
    text +=
      `${index++}. ${name}: ${samples.length} latency spikes (average ${Math.floor(average)}ms, mean deviation ${Math.floor(deviation)}ms, ` +
      `period ${formatFixed(period, 2)} sec). Worst all time event ${series.max}ms.\n`;
  }
  text +=
    '\nI have a few advices for you:\n\n' +
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n' +
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  c.reply.verbatim(text);
}

// LATENCY GRAPH event
function latencyGraphCommand(c: Client, args: string[]): void {
  const event = c.server.latencyMonitor.events.get(args[2]);
  if (event === undefined) {
    c.reply.error(ERR_LATENCY_NO_SAMPLES(args[2]));
    return;
  }
  c.reply.verbatim(latencyGraph(args[2], event, Math.floor(c.now / 1000)));
}

/**
 * LATENCY HISTOGRAM [command ...]: every command with calls, or the named ones in the order
 * named (repeats repeated, unknown names skipped); a container names its subcommands.
 */
function latencyHistogram(c: Client, args: string[]): void {
  const stats = new Map(c.server.stats.commandEntries());
  const rows: [string, Uint32Array][] = [];
  const add = (fullName: string): void => {
    const stat = stats.get(fullName);
    if (stat !== undefined && histogramCount(stat.histogram) > 0) rows.push([fullName, stat.histogram]);
  };
  if (args.length === 2) {
    for (const name of stats.keys()) add(name);
  } else {
    for (const name of args.slice(2)) {
      const found = c.server.commands.lookupFullName(name);
      if (found === undefined) continue;
      add(found.fullName);
      if (found.spec.subcommands !== undefined) for (const sub of found.spec.subcommands) add(`${found.fullName}|${sub.name}`);
    }
  }
  c.reply.map(rows.length);
  for (const [name, histogram] of rows) {
    c.reply.bulk(name);
    c.reply.map(2);
    c.reply.bulk('calls');
    c.reply.integer(histogramCount(histogram));
    c.reply.bulk('histogram_usec');
    const pairs = redisLatencyCdf(histogram);
    c.reply.map(pairs.length);
    for (const [usec, cumulative] of pairs) {
      c.reply.integer(usec);
      c.reply.integer(cumulative);
    }
  }
}

// MONITOR
function monitor(c: Client): void {
  c.server.monitors.clients.add(c);
  c.reply.ok();
}

/** jemalloc's size classes: 8, then steps of 16 to 128, then four classes per doubling. */
function allocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** Header bytes of the sds Redis would allocate for a string of this length (type 5 for keys). */
function sdsHeader(length: number, allowType5: boolean): number {
  if (length < 32 && allowType5) return 1;
  if (length < 256) return 3;
  if (length < 65536) return 5;
  return 9;
}

/** Redis's robj header, and its dictEntry. */
const OBJECT_BYTES = 16;
const DICT_ENTRY_BYTES = 24;

/**
 * What Redis 7.0's MEMORY USAGE reports for a string key: its key's sds, its value object
 * (int, embedded or raw encoding) and its dict entry, each rounded to jemalloc's size classes.
 */
export function stringKeyUsage(key: string, value: string, hint: EncodingHint): number {
  const keyBytes = allocSize(sdsHeader(key.length, true) + key.length + 1);
  const encoding = stringEncoding(value, hint);
  let valueBytes: number;
  if (encoding === 'int') valueBytes = OBJECT_BYTES;
  else if (encoding === 'embstr') valueBytes = allocSize(OBJECT_BYTES + 3 + value.length + 1);
  else valueBytes = allocSize(sdsHeader(value.length, false) + value.length + 1) + OBJECT_BYTES;
  return keyBytes + valueBytes + DICT_ENTRY_BYTES;
}

// MEMORY USAGE key [SAMPLES count]
function memoryUsage(c: Client, args: string[]): void {
  for (let i = 3; i < args.length; i++) {
    if (args[i].toLowerCase() === 'samples' && i + 1 < args.length) {
      const n = parseInt64(args[i + 1]);
      if (n === null) {
        c.reply.error(ERR_NOT_INTEGER);
        return;
      }
      if (n < 0) {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      i++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const key = args[2];
  const value = c.db.peek(key, c.now);
  if (value === null) {
    c.reply.nullBulk();
    return;
  }
  c.reply.integer(stringKeyUsage(key, value, c.db.encodingHint(key, c.now)));
}

// MEMORY STATS
function memoryStats(c: Client): void {
  const core = c.server;
  const { used, overhead } = estimateMemory(core.keyspace);
  const heap = process.memoryUsage();
  const peak = Math.max(core.stats.memoryPeak, used);
  let clientBuffers = 0;
  for (const client of core.clients.values()) clientBuffers += client.reply.pending;
  let keys = 0;
  const dbs: [number, number][] = [];
  core.keyspace.databases.forEach((db, index) => {
    if (db.size === 0) return;
    keys += db.size;
    dbs.push([index, db.size]);
  });
  const startup = STARTUP_BYTES;
  const dataset = used - overhead;
  const fields: [string, number, 'int' | 'double'][] = [
    ['peak.allocated', peak, 'int'],
    ['total.allocated', used, 'int'],
    ['startup.allocated', startup, 'int'],
    ['replication.backlog', 0, 'int'],
    ['clients.slaves', 0, 'int'],
    ['clients.normal', clientBuffers, 'int'],
    ['cluster.links', 0, 'int'],
    ['aof.buffer', 0, 'int'],
    ['lua.caches', 0, 'int'],
    ['functions.caches', 0, 'int'],
  ];
  c.reply.map(fields.length + dbs.length + 16);
  for (const [name, value] of fields) {
    c.reply.bulk(name);
    c.reply.integer(value);
  }
  c.reply.bulk('overhead.total');
  c.reply.integer(overhead);
  for (const [index, size] of dbs) {
    const db = core.keyspace.db(index);
    c.reply.bulk(`db.${index}`);
    c.reply.map(2);
    c.reply.bulk('overhead.hashtable.main');
    c.reply.integer(size * DICT_ENTRY_BYTES);
    c.reply.bulk('overhead.hashtable.expires');
    c.reply.integer(db.expiresCount * DICT_ENTRY_BYTES);
  }
  const doubles: [string, number][] = [
    ['keys.count', keys],
    ['keys.bytes-per-key', keys === 0 ? 0 : Math.floor((used - startup) / keys)],
    ['dataset.bytes', dataset],
    ['dataset.percentage', (dataset * 100) / Math.max(1, used - startup)],
    ['peak.percentage', (used * 100) / peak],
    ['allocator.allocated', heap.heapUsed],
    ['allocator.active', heap.heapTotal],
    ['allocator.resident', heap.rss],
    ['allocator-fragmentation.ratio', heap.heapTotal / heap.heapUsed],
    ['allocator-fragmentation.bytes', heap.heapTotal - heap.heapUsed],
    ['allocator-rss.ratio', heap.rss / heap.heapTotal],
    ['allocator-rss.bytes', heap.rss - heap.heapTotal],
    ['rss-overhead.ratio', 1],
    ['rss-overhead.bytes', 0],
    ['fragmentation', heap.rss / used],
  ];
  const integers = new Set(['keys.count', 'keys.bytes-per-key', 'dataset.bytes', 'allocator.allocated', 'allocator.active', 'allocator.resident', 'allocator-fragmentation.bytes', 'allocator-rss.bytes', 'rss-overhead.bytes']);
  for (const [name, value] of doubles) {
    c.reply.bulk(name);
    if (integers.has(name)) c.reply.integer(Math.floor(value));
    else c.reply.double(value);
  }
  c.reply.bulk('fragmentation.bytes');
  c.reply.integer(heap.rss - used);
}

/** Below this much data Redis's doctor declines to judge, as in Redis. */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

// MEMORY DOCTOR
function memoryDoctor(c: Client): void {
  const { used } = estimateMemory(c.server.keyspace);
  if (used < DOCTOR_MIN_BYTES) {
    c.reply.verbatim(
      'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.',
    );
    return;
  }
  c.reply.verbatim('Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.');
}

// RINGCACHE HOTKEYS [count]
function ringcacheHotkeys(c: Client, args: string[]): void {
  let count = 10;
  if (args.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (args.length === 3) {
    const n = parseInt64(args[2]);
    if (n === null || n < 0) {
      c.reply.error(ERR_NOT_INTEGER);
      return;
    }
    count = Number(n);
  }
  const top = c.server.hotKeys.top(count);
  c.reply.array(top.length);
  for (const hot of top) {
    c.reply.array(2);
    c.reply.bulk(hot.key);
    c.reply.integer(hot.count);
  }
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

const RINGCACHE_HELP = [
  'HOTKEYS [<count>]',
  '    Return the <count> most accessed keys (default: 10) with their estimated',
  '    number of accesses, from a sampled heavy-hitters sketch.',
];
