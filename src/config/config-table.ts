// The one table of configuration parameters. It feeds the command line (one --flag per entry),
// config files, CONFIG GET/SET/REWRITE and INFO, so a parameter is declared exactly once.
// Names, defaults, units and error texts follow redis.conf and Redis 7's CONFIG SET.

import { cwd } from 'node:process';
import { isPowerOfTwo } from '../util/numbers.js';
import { nodeListError } from '../cluster/addresses.js';
import { DEFAULT_VNODES } from '../cluster/ring.js';
import { DEFAULT_OUTPUT_BUFFER_LIMITS, mergeOutputBufferLimits, validateOutputBufferLimits } from '../server/output-buffer-limits.js';

export type ConfigType =
  | { kind: 'bool' }
  | { kind: 'int'; min: number | bigint; max: number | bigint }
  /**
   * Bytes as Redis's memtoull reads them, then taken as the parameter's C type: `unsigned`
   * (unsigned long long) keeps all 64 bits, otherwise values past 2^63 read as negative.
   * `percent` also takes `N%` (N up to -min), kept as Redis keeps it: as a negative number.
   */
  | { kind: 'memory'; min: number | bigint; max: number | bigint; unsigned?: boolean; percent?: boolean }
  | { kind: 'enum'; values: readonly string[]; extra?: readonly string[] }
  | { kind: 'string' };

export interface ConfigParam {
  name: string;
  /** Older names accepted for the same parameter (e.g. slave-read-only). */
  aliases?: readonly string[];
  type: ConfigType;
  /** Default as redis.conf would spell it. */
  default: string | (() => string);
  /** false: settable at start-up only; CONFIG SET answers "can't set immutable config". */
  mutable: boolean;
  /** One line for --help and the README's configuration reference. */
  description: string;
  /** Extra check beyond the type; returns Redis's reason text when the value is refused. */
  validate?: (value: string) => string | null;
  /** ringcache's own parameter, not one of redis.conf's. */
  ringcache?: boolean;
  /**
   * Takes several words (`bind 127.0.0.1 ::1`, `save 900 1 300 10`), joined with spaces, like
   * Redis's multi-argument configs; every other parameter takes exactly one argument.
   */
  multiArg?: boolean;
  /** How --help and the README show a default that depends on the machine. */
  defaultDoc?: string;
  /** Combines a valid new value with the current one (settings that update parts of a list); null when invalid. */
  merge?: (value: string, current: string) => string | null;
}

const INT_MAX = 2147483647;
/** C's LLONG_MAX and ULLONG_MAX, the bounds Redis gives its 64-bit parameters. */
const LLONG_MAX = 2n ** 63n - 1n;
const ULLONG_MAX = 2n ** 64n - 1n;

/** Redis's rule for `save`: empty, or pairs of non-negative integers. */
function validateSave(value: string): string | null {
  const words = value.split(' ').filter((w) => w !== '');
  const valid = words.length % 2 === 0 && words.every((w) => /^\d+$/.test(w));
  return valid ? null : 'Invalid save parameters';
}

const bool = { kind: 'bool' } as const;
const str = { kind: 'string' } as const;
const int = (min: number | bigint, max: number | bigint): ConfigType => ({ kind: 'int', min, max });
const memory = (min: number | bigint, max: number | bigint, unsigned = false): ConfigType => ({ kind: 'memory', min, max, unsigned });
const oneOf = (...values: string[]): ConfigType => ({ kind: 'enum', values });

export const EVICTION_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;
/** ringcache's own policies (src/eviction/policies): accepted, but not listed in Redis's error text. */
export const EXTRA_EVICTION_POLICIES = ['allkeys-sieve', 'allkeys-s3fifo', 'volatile-sieve', 'volatile-s3fifo'] as const;

export const CONFIG_TABLE: readonly ConfigParam[] = [
  // Network
  { name: 'port', type: int(0, 65535), default: '6379', mutable: false, description: 'TCP port to listen on (0 picks a free port)' },
  { name: 'bind', type: str, default: '127.0.0.1', mutable: false, multiArg: true, description: 'Addresses to listen on, space separated (a leading - marks one as optional)' },
  { name: 'unixsocket', type: str, default: '', mutable: false, description: 'Unix socket path to listen on as well (empty: none)' },
  { name: 'tcp-backlog', type: int(0, INT_MAX), default: '511', mutable: false, description: 'Listen backlog' },
  { name: 'timeout', type: int(0, INT_MAX), default: '0', mutable: true, description: 'Close a client idle for this many seconds (0: never)' },
  { name: 'tcp-keepalive', type: int(0, INT_MAX), default: '300', mutable: true, description: 'TCP keepalive interval in seconds' },
  { name: 'protected-mode', type: bool, default: 'yes', mutable: true, description: 'Refuse non-loopback clients when no password is set' },
  // An unsigned int in Redis, hence its CONFIG SET range.
  { name: 'maxclients', type: int(1, 4294967295), default: '10000', mutable: true, description: 'Maximum number of connected clients' },
  // General
  { name: 'databases', type: int(1, INT_MAX), default: '16', mutable: false, description: 'Number of logical databases' },
  {
    name: 'shards',
    type: int(1, 65536),
    default: '64',
    mutable: false,
    ringcache: true,
    description: 'Shards per database (a power of two): bounds the size of each hash table',
    validate: (v) => (isPowerOfTwo(Number(v)) ? null : 'argument must be a power of two'),
  },
  { name: 'hz', type: int(1, 500), default: '10', mutable: true, description: 'Background task frequency (active expiry) per second' },
  { name: 'loglevel', type: oneOf('debug', 'verbose', 'notice', 'warning'), default: 'notice', mutable: true, description: 'Log verbosity' },
  { name: 'logfile', type: str, default: '', mutable: false, description: 'Log file path (empty: standard output)' },
  { name: 'daemonize', type: bool, default: 'no', mutable: false, description: 'Accepted for redis.conf compatibility; ringcache always runs in the foreground' },
  { name: 'pidfile', type: str, default: '', mutable: false, description: 'Write the process id to this file' },
  { name: 'dir', type: str, default: () => cwd(), defaultDoc: 'the working directory', mutable: true, description: 'Working directory for files such as the cluster nodes file' },
  // Persistence: ringcache is a cache and never writes data to disk; these answer clients that ask.
  { name: 'save', type: str, default: '', mutable: true, multiArg: true, description: 'Accepted for compatibility (seconds/changes pairs); ringcache keeps no snapshots', validate: validateSave },
  { name: 'appendonly', type: bool, default: 'no', mutable: true, description: 'Accepted for compatibility; ringcache keeps no append-only file', validate: (v) => (v === 'no' ? null : 'ringcache does not persist data') },
  { name: 'appendfsync', type: oneOf('always', 'everysec', 'no'), default: 'everysec', mutable: true, description: 'Accepted for compatibility' },
  { name: 'dbfilename', type: str, default: 'dump.rdb', mutable: true, description: 'Accepted for compatibility' },
  // Limits
  { name: 'proto-max-bulk-len', type: memory(1024 * 1024, LLONG_MAX), default: '512mb', mutable: true, description: 'Largest bulk string a request may carry' },
  {
    name: 'client-output-buffer-limit',
    type: str,
    default: DEFAULT_OUTPUT_BUFFER_LIMITS,
    mutable: true,
    multiArg: true,
    description: 'Per client class (normal, replica, pubsub): hard limit, soft limit and soft seconds of unsent reply bytes before the client is closed',
    validate: validateOutputBufferLimits,
    merge: mergeOutputBufferLimits,
  },
  { name: 'client-query-buffer-limit', type: memory(1024 * 1024, LLONG_MAX), default: '1gb', mutable: true, description: 'Most unparsed request bytes held for one client' },
  // Memory
  { name: 'maxmemory', type: memory(0, ULLONG_MAX, true), default: '0', mutable: true, description: 'Memory limit for data (0: none)' },
  { name: 'maxmemory-policy', type: { kind: 'enum', values: EVICTION_POLICIES, extra: EXTRA_EVICTION_POLICIES }, default: 'noeviction', mutable: true, description: 'What to evict when maxmemory is reached' },
  { name: 'maxmemory-clients', type: { kind: 'memory', min: -100, max: LLONG_MAX, percent: true }, default: '0', mutable: true, description: 'Accepted for compatibility (bytes, or a percentage of maxmemory); client buffers are not limited as a group' },
  { name: 'maxmemory-eviction-tenacity', type: int(0, 100), default: '10', mutable: true, description: 'How hard one eviction round tries before giving up (0-100)' },
  { name: 'maxmemory-samples', type: int(1, INT_MAX), default: '5', mutable: true, description: 'Keys sampled per eviction by the LRU/LFU/TTL policies' },
  { name: 'lfu-log-factor', type: int(0, INT_MAX), default: '10', mutable: true, description: 'LFU counter growth: higher is slower' },
  { name: 'lfu-decay-time', type: int(0, INT_MAX), default: '1', mutable: true, description: "Minutes after which an idle key's LFU counter drops by one, and by one more each such period (0: never)" },
  // Security
  { name: 'requirepass', type: str, default: '', mutable: true, description: 'Password of the default user (empty: none)' },
  { name: 'aclfile', type: str, default: '', mutable: false, description: 'File of ACL users, read at start and by ACL LOAD, written by ACL SAVE (empty: none)' },
  { name: 'tls-port', type: int(0, 65535), default: '0', mutable: false, description: 'Port for TLS clients (0: no TLS listener)' },
  { name: 'tls-cert-file', type: str, default: '', mutable: false, description: 'Server certificate (PEM) for TLS' },
  { name: 'tls-key-file', type: str, default: '', mutable: false, description: 'Private key (PEM) of the server certificate' },
  { name: 'tls-ca-cert-file', type: str, default: '', mutable: false, description: 'CA certificates (PEM) that client certificates must chain to' },
  { name: 'tls-auth-clients', type: oneOf('no', 'yes', 'optional'), default: 'yes', mutable: false, description: 'Require TLS clients to present a certificate: yes, no, or optional (checked when presented)' },
  // Diagnostics
  { name: 'slowlog-log-slower-than', type: int(-1, LLONG_MAX), default: '10000', mutable: true, description: 'Log commands slower than this many microseconds' },
  { name: 'slowlog-max-len', type: int(0, LLONG_MAX), default: '128', mutable: true, description: 'Entries kept by SLOWLOG' },
  { name: 'latency-monitor-threshold', type: int(0, LLONG_MAX), default: '0', mutable: true, description: 'Record events slower than this many ms (0: off)' },
  { name: 'enable-debug-command', type: oneOf('no', 'yes', 'local'), default: 'no', mutable: false, description: 'Allow DEBUG: never, always, or from loopback clients only' },
  { name: 'hotkeys-sample-every', type: int(0, INT_MAX), default: '64', mutable: true, ringcache: true, description: 'Count one command in N in the hot-keys sketch (0: off)' },
  { name: 'metrics-port', type: int(0, 65535), default: '0', mutable: false, ringcache: true, description: 'Serve Prometheus metrics over HTTP on this port at /metrics (0: off)' },
  { name: 'metrics-bind', type: str, default: '', mutable: false, ringcache: true, description: 'Address of the metrics listener (empty: the first bind address)' },
  { name: 'notify-keyspace-events', type: str, default: '', mutable: true, description: 'Keyspace notifications (accepted, not yet sent)' },
  // Cluster
  { name: 'cluster-enabled', type: bool, default: 'no', mutable: false, description: 'Run as a cluster node' },
  { name: 'cluster-config-file', type: str, default: 'nodes.conf', mutable: false, description: 'Cluster nodes file, relative to dir' },
  { name: 'cluster-node-timeout', type: int(0, LLONG_MAX), default: '15000', mutable: true, description: 'Milliseconds before an unreachable node is failed' },
  { name: 'cluster-announce-ip', type: str, default: '', mutable: true, description: 'Address announced to cluster clients' },
  { name: 'cluster-announce-port', type: int(0, 65535), default: '0', mutable: false, description: 'Port announced to cluster clients (0: the port listened on)' },
  {
    name: 'cluster-nodes',
    type: str,
    default: '',
    mutable: false,
    ringcache: true,
    description: 'Every node of the cluster as host:port, comma separated, this one included (empty: a cluster of this node alone)',
    validate: nodeListError,
  },
  { name: 'cluster-vnodes', type: int(1, 65536), default: String(DEFAULT_VNODES), mutable: false, ringcache: true, description: 'Points per node on the hash ring that places slots; every node must use the same' },
];
