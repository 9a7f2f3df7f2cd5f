// ringcache's public API for embedding: start a Redis-compatible server from code.

export { createServer, startServer, RingcacheServer, ListenError, type ServerOptions } from './server/server.js';
export { Config, ConfigError } from './config/config.js';
export { rewriteConfigFile } from './config/config-rewrite.js';
export { ServerLogger, type Logger, type LogLevel } from './server/log.js';
export { RINGCACHE_VERSION, REDIS_COMPAT_VERSION } from './server/version.js';
export { FakeClock, type Clock } from './util/clock.js';
export { startCluster, type LocalCluster, type StartClusterOptions } from './cluster/start-cluster.js';
