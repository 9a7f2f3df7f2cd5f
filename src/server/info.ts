// INFO's text: Redis 7.0's sections, fields and formatting (`# Section`, `field:value`, CRLF line
// ends, a blank line between sections), so that clients and monitoring tools that parse INFO
// (ioredis's ready check reads `loading`, exporters read most of the rest) work unchanged.
// Fields that describe machinery ringcache does not have (persistence, replication, forks,
// allocator internals) keep Redis's names with the values of a Redis that never used it.

import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database } from '../engine/database.js';
import type { Keyspace } from '../engine/keyspace.js';
import type { ServerCore } from './core.js';
import { REDIS_COMPAT_VERSION, RINGCACHE_VERSION } from './version.js';
import { clientMemory } from './client-list.js';
import { histogramCount, valueAtPercentile } from '../metrics/latency-histogram.js';

type Field = readonly [name: string, value: string | number];

interface Section {
  /** Lower-case name, as `INFO <section>` selects it. */
  name: string;
  title: string;
  inDefault: boolean;
  fields: (core: ServerCore, now: number) => Field[];
}

/** Every section in the order Redis prints them, whatever order they were asked in. */
const SECTIONS: readonly Section[] = [
  { name: 'server', title: 'Server', inDefault: true, fields: serverFields },
  { name: 'clients', title: 'Clients', inDefault: true, fields: clientsFields },
  { name: 'memory', title: 'Memory', inDefault: true, fields: memoryFields },
  { name: 'persistence', title: 'Persistence', inDefault: true, fields: persistenceFields },
  { name: 'stats', title: 'Stats', inDefault: true, fields: statsFields },
  { name: 'replication', title: 'Replication', inDefault: true, fields: replicationFields },
  { name: 'cpu', title: 'CPU', inDefault: true, fields: cpuFields },
  // No modules are ever loaded: the section is its title alone, as in a Redis without modules.
  { name: 'modules', title: 'Modules', inDefault: true, fields: () => [] },
  { name: 'commandstats', title: 'Commandstats', inDefault: false, fields: commandstatsFields },
  { name: 'errorstats', title: 'Errorstats', inDefault: true, fields: errorstatsFields },
  { name: 'latencystats', title: 'Latencystats', inDefault: false, fields: latencystatsFields },
  { name: 'cluster', title: 'Cluster', inDefault: true, fields: (core) => [['cluster_enabled', clusterEnabled(core) ? 1 : 0]] },
  { name: 'keyspace', title: 'Keyspace', inDefault: true, fields: keyspaceFields },
];

/**
 * INFO's reply for the requested section names: none means `default`; `all` and `everything`
 * mean every section; an unknown name adds nothing (and alone gives an empty text).
 */
export function renderInfo(core: ServerCore, requested: readonly string[], now: number): string {
  const names = new Set(requested.map((name) => name.toLowerCase()));
  if (names.size === 0) names.add('default');
  const everything = names.has('all') || names.has('everything');
  const defaults = names.has('default');
  let text = '';
  for (const section of SECTIONS) {
    if (!everything && !names.has(section.name) && !(defaults && section.inDefault)) continue;
    if (text !== '') text += '\r\n';
    text += `# ${section.title}\r\n`;
    for (const [name, value] of section.fields(core, now)) text += `${name}:${value}\r\n`;
  }
  return text;
}

function clusterEnabled(core: ServerCore): boolean {
  return core.config.getBool('cluster-enabled');
}

/** Identifiers Redis draws at start-up; here once per server, on first use. */
interface Identity {
  runId: string;
  replId: string;
}

const identities = new WeakMap<ServerCore, Identity>();

function identityOf(core: ServerCore): Identity {
  let identity = identities.get(core);
  if (identity === undefined) {
    identity = { runId: randomBytes(20).toString('hex'), replId: randomBytes(20).toString('hex') };
    identities.set(core, identity);
  }
  return identity;
}

const BUILD_ID = createHash('sha1').update(`ringcache ${RINGCACHE_VERSION}`).digest('hex').slice(0, 16);

const MULTIPLEXING_API: Readonly<Record<string, string>> = { linux: 'epoll', darwin: 'kqueue', freebsd: 'kqueue', sunos: 'evport' };

function serverFields(core: ServerCore, now: number): Field[] {
  const uptime = Math.floor((now - core.startedAt) / 1000);
  const hz = core.config.get('hz');
  return [
    ['redis_version', REDIS_COMPAT_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', BUILD_ID],
    ['redis_mode', clusterEnabled(core) ? 'cluster' : 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', /64/.test(os.arch()) ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', MULTIPLEXING_API[process.platform] ?? 'select'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', identityOf(core).runId],
    ['tcp_port', listeningPort(core)],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    // Redis's LRU clock: seconds, wrapping at 24 bits.
    ['lru_clock', Math.floor(now / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? ''],
    ['config_file', core.config.file ?? ''],
    ['io_threads_active', 0],
    ['ringcache_version', RINGCACHE_VERSION],
  ];
}

function clientsFields(core: ServerCore): Field[] {
  return [
    ['connected_clients', core.clients.size],
    ['cluster_connections', 0],
    ['maxclients', core.config.get('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', 0],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', 0],
  ];
}

import { STARTUP_BYTES } from '../eviction/memory-account.js';
import { formatFixed } from '../util/numbers.js';
export { STARTUP_BYTES };

export interface MemoryEstimate {
  used: number;
  /** The part that is not key and value bytes: start-up baseline plus per-key bookkeeping. */
  overhead: number;
}

/**
 * used_memory: the running memory account the shards keep (src/eviction/memory-account.ts), the
 * same number maxmemory is enforced against. Logical, not the V8 heap, so it moves with the data
 * only and costs no heap walk.
 */
export function estimateMemory(keyspace: Keyspace): MemoryEstimate {
  const account = keyspace.stats.memory;
  return { used: account.used, overhead: account.overhead };
}

/**
 * Redis's bytesToHuman: `%.2f` of the value in the largest unit up to P, in bytes from 2^60 on.
 * A bigint (maxmemory goes up to 2^64-1) is compared and printed exactly, as the C code does.
 */
export function bytesToHuman(n: number | bigint): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    if (n < 1024 ** (i + 2)) return `${formatFixed(Number(n) / 1024 ** (i + 1), 2)}${units[i]}`;
  }
  return `${n}B`;
}

function ratio(a: number, b: number): string {
  return formatFixed(b === 0 ? 0 : a / b, 2);
}

/** The port clients reach this server on: the one bound, else the configured one. */
export function listeningPort(core: ServerCore): number {
  return core.tcpPort !== 0 ? core.tcpPort : core.config.getNumber('port');
}

/** INFO's maxmemory: Redis prints its unsigned value with %lld, so past 2^63 it reads negative. */
export function maxmemoryAsInfo(config: ServerCore['config']): bigint {
  return BigInt.asIntN(64, BigInt(config.get('maxmemory')));
}

function memoryFields(core: ServerCore): Field[] {
  const { used, overhead } = estimateMemory(core.keyspace);
  const stats = core.stats;
  stats.memoryPeak = Math.max(stats.memoryPeak, used, core.keyspace.stats.memory.peak);
  const peak = stats.memoryPeak;
  const heap = process.memoryUsage();
  const rss = heap.rss;
  const dataset = used - overhead;
  const netUsage = used > STARTUP_BYTES ? used - STARTUP_BYTES : 1;
  const maxmemory = BigInt(core.config.get('maxmemory'));
  // Every client: Redis's mem_clients_normal counts normal, pubsub and MONITOR clients alike.
  let clientsMemory = 0;
  for (const client of core.clients.values()) clientsMemory += clientMemory(client);
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${formatFixed((used * 100) / peak, 2)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', STARTUP_BYTES],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${formatFixed((dataset * 100) / netUsage, 2)}%`],
    // The allocator figures are V8's: the heap in use, the heap reserved, and the process.
    ['allocator_allocated', heap.heapUsed],
    ['allocator_active', heap.heapTotal],
    ['allocator_resident', rss],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', bytesToHuman(os.totalmem())],
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemoryAsInfo(core.config).toString()],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', core.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(heap.heapTotal, heap.heapUsed)],
    ['allocator_frag_bytes', heap.heapTotal - heap.heapUsed],
    ['allocator_rss_ratio', ratio(rss, heap.heapTotal)],
    ['allocator_rss_bytes', rss - heap.heapTotal],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', ratio(rss, used)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', clientsMemory],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'v8'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

function persistenceFields(core: ServerCore): Field[] {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', 0],
    ['rdb_bgsave_in_progress', 0],
    // Nothing is ever saved: like a Redis that never saved, the start time (as LASTSAVE says).
    ['rdb_last_save_time', Math.floor(core.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

function totalErrors(core: ServerCore): number {
  let total = 0;
  for (const count of core.stats.errorCodes.values()) total += count;
  return total;
}

function statsFields(core: ServerCore): Field[] {
  const stats = core.stats;
  const engine = core.keyspace.stats;
  const exceededNow = engine.evictionExceededSince < 0 ? 0 : Math.max(0, core.clock.now() - engine.evictionExceededSince);
  return [
    ['total_connections_received', stats.connectionsReceived],
    ['total_commands_processed', stats.commandsProcessed],
    ['instantaneous_ops_per_sec', Math.floor(stats.opsRate.perSecond)],
    ['total_net_input_bytes', stats.netInputBytes],
    ['total_net_output_bytes', stats.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', formatFixed(stats.netInputRate.perSecond / 1024, 2)],
    ['instantaneous_output_kbps', formatFixed(stats.netOutputRate.perSecond / 1024, 2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', stats.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', engine.expiredKeys],
    ['expired_stale_perc', formatFixed(engine.expiredStalePerc * 100, 2)],
    ['expired_time_cap_reached_count', engine.expiredTimeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', Math.floor(engine.expireCycleCpuMs)],
    ['evicted_keys', engine.evictedKeys],
    ['evicted_clients', 0],
    // As in Redis, a period still open counts in both; it stays open when maxmemory is set to 0
    // (no eviction round runs any more to close it) until CONFIG RESETSTAT.
    ['total_eviction_exceeded_time', engine.evictionExceededMs + exceededNow],
    ['current_eviction_exceeded_time', exceededNow],
    ['keyspace_hits', engine.keyspaceHits],
    ['keyspace_misses', engine.keyspaceMisses],
    ['pubsub_channels', core.pubsub.channels.size],
    ['pubsub_patterns', core.pubsub.patterns.size],
    ['pubsubshard_channels', core.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', totalErrors(core)],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', stats.readsProcessed],
    ['total_writes_processed', stats.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

function replicationFields(core: ServerCore): Field[] {
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', identityOf(core).replId],
    ['master_replid2', '0'.repeat(40)],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

/** Redis prints CPU seconds as `%ld.%06ld`. */
function cpuSeconds(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function cpuFields(): Field[] {
  const usage = process.cpuUsage();
  // Node runs commands on one thread; its helper threads (GC, I/O) are part of the process figure.
  return [
    ['used_cpu_sys', cpuSeconds(usage.system)],
    ['used_cpu_user', cpuSeconds(usage.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', cpuSeconds(usage.system)],
    ['used_cpu_user_main_thread', cpuSeconds(usage.user)],
  ];
}

function commandstatsFields(core: ServerCore): Field[] {
  const fields: Field[] = [];
  for (const [name, stat] of core.stats.commandEntries()) {
    if (stat.calls === 0 && stat.rejectedCalls === 0 && stat.failedCalls === 0) continue;
    const usec = Math.floor(stat.usec);
    const perCall = stat.calls === 0 ? 0 : usec / stat.calls;
    fields.push([
      `cmdstat_${name}`,
      `calls=${stat.calls},usec=${usec},usec_per_call=${formatFixed(perCall, 2)},rejected_calls=${stat.rejectedCalls},failed_calls=${stat.failedCalls}`,
    ]);
  }
  return fields;
}

/** Redis's default latency-tracking-info-percentiles. */
const LATENCY_PERCENTILES: readonly [label: string, percentile: number][] = [
  ['p50', 50],
  ['p99', 99],
  ['p99.9', 99.9],
];

function latencystatsFields(core: ServerCore): Field[] {
  const fields: Field[] = [];
  for (const [name, stat] of core.stats.commandEntries()) {
    if (histogramCount(stat.histogram) === 0) continue;
    const parts = LATENCY_PERCENTILES.map(([label, p]) => `${label}=${formatFixed(valueAtPercentile(stat.histogram, p), 3)}`);
    fields.push([`latency_percentiles_usec_${name}`, parts.join(',')]);
  }
  return fields;
}

/** Sorted by error code, as Redis keeps them in a radix tree. */
function errorstatsFields(core: ServerCore): Field[] {
  const codes = [...core.stats.errorCodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.map(([code, count]): Field => [`errorstat_${code}`, `count=${count}`]);
}

/** TTLs sampled per shard for avg_ttl: enough for a stable mean, bounded for huge databases. */
const TTL_SAMPLES_PER_SHARD = 128;

/**
 * Mean remaining TTL in ms of the keys that have one. Redis keeps a running estimate from its
 * expiry sampling; here a bounded sample of each shard's TTL list, exact for small databases.
 */
function averageTtl(db: Database, now: number): number {
  let sum = 0;
  let count = 0;
  for (const shard of db.shards) {
    const n = Math.min(shard.ttlCount, TTL_SAMPLES_PER_SHARD);
    for (let i = 0; i < n; i++) {
      const remaining = shard.expireAt[shard.ttlSlots[i]] - now;
      if (remaining <= 0) continue;
      sum += remaining;
      count++;
    }
  }
  return count === 0 ? 0 : Math.floor(sum / count);
}

function keyspaceFields(core: ServerCore, now: number): Field[] {
  const fields: Field[] = [];
  core.keyspace.databases.forEach((db, index) => {
    const keys = db.size;
    if (keys === 0) return;
    fields.push([`db${index}`, `keys=${keys},expires=${db.expiresCount},avg_ttl=${averageTtl(db, now)}`]);
  });
  return fields;
}
