// The metrics /metrics serves, read at scrape time from the counters the server keeps anyway
// (ServerStats, EngineStats, the keyspace, the per-command latency histograms), so serving
// metrics costs the command path nothing. Names and labels follow oliver006/redis_exporter
// where it has an equivalent, so existing Redis dashboards work unchanged; the rest are
// ringcache_*. docs/metrics.md lists the mapping.

import type { Metric, Registry } from 'prom-client';
import { estimateMemory, listeningPort, maxmemoryAsInfo } from '../server/info.js';
import type { ServerCore } from '../server/core.js';
import { REDIS_COMPAT_VERSION, RINGCACHE_VERSION } from '../server/version.js';
import { bucketUpperBound, histogramCount } from './latency-histogram.js';

type Labels = Record<string, string | number>;

/** What prom-client's registry reads from a metric when it renders it. */
interface Rendered {
  name: string;
  help: string;
  type: string;
  aggregator: 'sum';
  values: { value: number; labels: Labels; metricName?: string }[];
}
type Sample = [value: number, labels?: Labels];

/** Powers of two microseconds (8 us to 8.4 s) exported as `le` bounds: they are bucket edges. */
const EXPORTED_BOUNDS_USEC = [8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288, 2097152, 8388608];
/** How many hot keys the metrics show: bounded, as every key is a label value. */
const HOT_KEYS_EXPORTED = 10;

/** A metric whose samples are computed when scraped. */
function lazy(name: string, help: string, type: 'gauge' | 'counter', read: () => Sample[]): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: (): Rendered => ({
      name,
      help,
      type,
      aggregator: 'sum',
      values: read().map(([value, labels]) => ({ value, labels: labels ?? {} })),
    }),
  };
  return metric as unknown as Metric;
}

/** The per-command latency histograms as one Prometheus histogram labelled by command. */
function latencyHistogram(core: ServerCore): Metric {
  const name = 'ringcache_command_latency_seconds';
  const help = 'Command execution time, by command';
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: (): Rendered => {
      const values: Rendered['values'] = [];
      for (const [cmd, stat] of core.stats.commandEntries()) {
        const total = histogramCount(stat.histogram);
        if (total === 0) continue;
        let bucket = 0;
        let cumulative = 0;
        for (const bound of EXPORTED_BOUNDS_USEC) {
          while (bucket < stat.histogram.length && bucketUpperBound(bucket) <= bound) cumulative += stat.histogram[bucket++];
          values.push({ metricName: `${name}_bucket`, labels: { cmd, le: bound / 1e6 }, value: cumulative });
        }
        values.push({ metricName: `${name}_bucket`, labels: { cmd, le: '+Inf' }, value: total });
        values.push({ metricName: `${name}_sum`, labels: { cmd }, value: stat.usec / 1e6 });
        values.push({ metricName: `${name}_count`, labels: { cmd }, value: total });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
  return metric as unknown as Metric;
}

function perCommand(core: ServerCore, read: (stat: ReturnType<ServerCore['stats']['command']>) => number, skipZero = true): Sample[] {
  const samples: Sample[] = [];
  for (const [cmd, stat] of core.stats.commandEntries()) {
    const value = read(stat);
    if (skipZero && stat.calls === 0 && stat.rejectedCalls === 0 && stat.failedCalls === 0) continue;
    samples.push([value, { cmd }]);
  }
  return samples;
}

function perDb(core: ServerCore, read: (index: number) => number): Sample[] {
  const samples: Sample[] = [];
  core.keyspace.databases.forEach((db, index) => {
    if (db.size === 0) return;
    samples.push([read(index), { db: `db${index}` }]);
  });
  return samples;
}

/** The cluster view, when the server runs as a cluster node: CLUSTER INFO's figures plus this node's slots. */
export interface ClusterMetricsSource {
  state(): 'ok' | 'fail';
  slotsOwned(): number;
  slotsAssigned(): number;
  slotsOk(): number;
  slotsPfail(): number;
  slotsFail(): number;
  knownNodes(): number;
  size(): number;
  currentEpoch(): number;
  myEpoch(): number;
  messagesSent(): number;
  messagesReceived(): number;
}

/** The server's own cluster node as a metrics source; null when it is not a cluster node (yet). */
export function clusterSourceOf(core: ServerCore): ClusterMetricsSource | null {
  const node = core.cluster;
  if (node === null || node.topology === null) return null;
  const topology = node.topology;
  return {
    state: () => (topology.ok ? 'ok' : 'fail'),
    slotsOwned: () => node.myself?.slotCount ?? 0,
    slotsAssigned: () => topology.assignedSlots,
    slotsOk: () => topology.assignedSlots - topology.failingSlots - topology.pfailSlots,
    slotsPfail: () => topology.pfailSlots,
    slotsFail: () => topology.failingSlots,
    knownNodes: () => topology.peers.length,
    size: () => topology.size,
    currentEpoch: () => topology.currentEpoch,
    myEpoch: () => node.myself?.configEpoch ?? 0,
    messagesSent: () => node.messagesSent,
    messagesReceived: () => node.messagesReceived,
  };
}

/** A gauge read from the cluster view; absent when the server is not a cluster node. */
function clusterGauge(name: string, help: string, cluster: () => ClusterMetricsSource | null, read: (view: ClusterMetricsSource) => number): Metric {
  return lazy(name, help, 'gauge', () => {
    const view = cluster();
    return view === null ? [] : [[read(view)]];
  });
}

/** Registers every ringcache and redis_* metric of `core` into `registry`. */
export function registerServerMetrics(
  registry: Registry,
  core: ServerCore,
  cluster: () => ClusterMetricsSource | null = () => clusterSourceOf(core),
): void {
  const stats = core.stats;
  const engine = core.keyspace.stats;
  const config = core.config;
  const metrics: Metric[] = [
    lazy('redis_up', 'Information about the Redis instance', 'gauge', () => [[1]]),
    lazy('redis_instance_info', 'Information about the Redis instance', 'gauge', () => [
      [
        1,
        {
          role: 'master',
          redis_version: REDIS_COMPAT_VERSION,
          redis_mode: config.getBool('cluster-enabled') ? 'cluster' : 'standalone',
          maxmemory_policy: config.get('maxmemory-policy'),
          tcp_port: String(listeningPort(core)),
          process_id: process.pid,
          ringcache_version: RINGCACHE_VERSION,
        },
      ],
    ]),
    lazy('redis_uptime_in_seconds', 'uptime_in_seconds metric', 'gauge', () => [[Math.floor((core.clock.now() - core.startedAt) / 1000)]]),
    lazy('redis_start_time_seconds', 'Start time of the Redis instance since unix epoch in seconds.', 'gauge', () => [[Math.floor(core.startedAt / 1000)]]),
    lazy('redis_connected_clients', 'connected_clients metric', 'gauge', () => [[core.clients.size]]),
    lazy('redis_blocked_clients', 'blocked_clients metric', 'gauge', () => [[0]]),
    lazy('redis_config_maxclients', 'config_maxclients metric', 'gauge', () => [[config.getNumber('maxclients')]]),
    lazy('redis_connections_received_total', 'connections_received_total metric', 'counter', () => [[stats.connectionsReceived]]),
    lazy('redis_rejected_connections_total', 'rejected_connections_total metric', 'counter', () => [[stats.rejectedConnections]]),
    lazy('redis_commands_processed_total', 'commands_processed_total metric', 'counter', () => [[stats.commandsProcessed]]),
    lazy('redis_instantaneous_ops_per_sec', 'instantaneous_ops_per_sec metric', 'gauge', () => [[Math.floor(stats.opsRate.perSecond)]]),
    lazy('redis_net_input_bytes_total', 'net_input_bytes_total metric', 'counter', () => [[stats.netInputBytes]]),
    lazy('redis_net_output_bytes_total', 'net_output_bytes_total metric', 'counter', () => [[stats.netOutputBytes]]),
    lazy('redis_keyspace_hits_total', 'keyspace_hits_total metric', 'counter', () => [[engine.keyspaceHits]]),
    lazy('redis_keyspace_misses_total', 'keyspace_misses_total metric', 'counter', () => [[engine.keyspaceMisses]]),
    lazy('redis_expired_keys_total', 'expired_keys_total metric', 'counter', () => [[engine.expiredKeys]]),
    lazy('redis_evicted_keys_total', 'evicted_keys_total metric', 'counter', () => [[engine.evictedKeys]]),
    lazy('redis_db_keys', 'Total number of keys by DB', 'gauge', () => perDb(core, (i) => core.keyspace.db(i).size)),
    lazy('redis_db_keys_expiring', 'Total number of expiring keys by DB', 'gauge', () => perDb(core, (i) => core.keyspace.db(i).expiresCount)),
    lazy('redis_memory_used_bytes', 'memory_used_bytes metric', 'gauge', () => [[estimateMemory(core.keyspace).used]]),
    lazy('redis_memory_used_rss_bytes', 'memory_used_rss_bytes metric', 'gauge', () => [[process.memoryUsage.rss()]]),
    lazy('redis_memory_used_peak_bytes', 'memory_used_peak_bytes metric', 'gauge', () => [[Math.max(stats.memoryPeak, estimateMemory(core.keyspace).used)]]),
    // As redis_exporter: memory_max_bytes from INFO's signed maxmemory, config_maxmemory from CONFIG GET's unsigned one.
    lazy('redis_memory_max_bytes', 'memory_max_bytes metric', 'gauge', () => [[Number(maxmemoryAsInfo(config))]]),
    lazy('redis_config_maxmemory', 'config_maxmemory metric', 'gauge', () => [[config.getNumber('maxmemory')]]),
    lazy('redis_commands_total', 'Total number of calls per command', 'counter', () => perCommand(core, (s) => s.calls)),
    lazy('redis_commands_duration_seconds_total', 'Total amount of time in seconds spent per command', 'counter', () => perCommand(core, (s) => s.usec / 1e6)),
    lazy('redis_commands_rejected_calls_total', 'Total number of errors prior command execution per command', 'counter', () => perCommand(core, (s) => s.rejectedCalls)),
    lazy('redis_commands_failed_calls_total', 'Total number of errors within command execution per command', 'counter', () => perCommand(core, (s) => s.failedCalls)),
    lazy('redis_errors_total', 'Total number of errors per error type', 'counter', () => [...stats.errorCodes].map(([err, n]): Sample => [n, { err }])),
    lazy('redis_slowlog_length', 'Total slowlog', 'gauge', () => [[core.slowlog.length]]),
    lazy('redis_slowlog_last_id', 'Last id of slowlog', 'gauge', () => [[Math.max(0, core.slowlog.lastId)]]),
    lazy('redis_latency_spike_last', 'When the latency spike last occurred', 'gauge', () =>
      [...core.latencyMonitor.events].map(([event, s]): Sample => [s.samples[s.samples.length - 1].time, { event_name: event }]),
    ),
    lazy('redis_latency_spike_duration_seconds', 'Length of the last latency spike in seconds', 'gauge', () =>
      [...core.latencyMonitor.events].map(([event, s]): Sample => [s.samples[s.samples.length - 1].latency / 1000, { event_name: event }]),
    ),
    lazy('redis_cluster_enabled', 'cluster_enabled metric', 'gauge', () => [[config.getBool('cluster-enabled') ? 1 : 0]]),
    // CLUSTER INFO's fields under the names redis_exporter gives them (redis_cluster_<field>).
    clusterGauge('redis_cluster_state', 'cluster_state metric', cluster, (v) => (v.state() === 'ok' ? 1 : 0)),
    clusterGauge('redis_cluster_slots_assigned', 'cluster_slots_assigned metric', cluster, (v) => v.slotsAssigned()),
    clusterGauge('redis_cluster_slots_ok', 'cluster_slots_ok metric', cluster, (v) => v.slotsOk()),
    clusterGauge('redis_cluster_slots_pfail', 'cluster_slots_pfail metric', cluster, (v) => v.slotsPfail()),
    clusterGauge('redis_cluster_slots_fail', 'cluster_slots_fail metric', cluster, (v) => v.slotsFail()),
    clusterGauge('redis_cluster_known_nodes', 'cluster_known_nodes metric', cluster, (v) => v.knownNodes()),
    clusterGauge('redis_cluster_size', 'cluster_size metric', cluster, (v) => v.size()),
    clusterGauge('redis_cluster_current_epoch', 'cluster_current_epoch metric', cluster, (v) => v.currentEpoch()),
    clusterGauge('redis_cluster_my_epoch', 'cluster_my_epoch metric', cluster, (v) => v.myEpoch()),
    clusterGauge('redis_cluster_messages_sent_total', 'cluster_messages_sent_total metric', cluster, (v) => v.messagesSent()),
    clusterGauge('redis_cluster_messages_received_total', 'cluster_messages_received_total metric', cluster, (v) => v.messagesReceived()),
    clusterGauge('ringcache_cluster_slots_owned', 'Hash slots served by this node', cluster, (v) => v.slotsOwned()),
    lazy('ringcache_cluster_redirects_total', 'Cluster redirections sent to clients, by kind', 'counter', () => [
      [stats.redirects.moved, { kind: 'moved' }],
      [stats.redirects.ask, { kind: 'ask' }],
    ]),
    lazy('ringcache_hotkey_accesses', 'Estimated accesses of the hottest keys (sampled heavy-hitters sketch)', 'gauge', () =>
      core.hotKeys.top(HOT_KEYS_EXPORTED).map((hot): Sample => [hot.count, { key: printableLabel(hot.key) }]),
    ),
    latencyHistogram(core),
  ];
  for (const metric of metrics) registry.registerMetric(metric);
}

/** Keys are bytes; a label is UTF-8 text. Non-printable bytes are shown as \xhh. */
function printableLabel(key: string): string {
  return key.replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
