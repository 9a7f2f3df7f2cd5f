// ringcache's public API for embedding: start a Redis-compatible server from code.

export { createServer, startServer, RingcacheServer, type ServerOptions } from './server/server.js';
export { FakeClock, type Clock } from './util/clock.js';
