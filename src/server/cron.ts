// Periodic work, run hz times a second as Redis's serverCron: reclaiming expired keys nobody
// reads again, closing clients idle past `timeout`, and taking back idle clients' reply and
// query buffers.

import { activeExpireCycle } from '../engine/active-expire.js';
import { forgetLastHashed } from '../util/byte-string-map.js';
import type { ServerCore } from './core.js';

/** Share of each tick active expiry may use, as Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC. */
const EXPIRE_TIME_SHARE = 0.25;

export function runCron(core: ServerCore): void {
  const now = core.clock.now();
  const hz = core.config.getNumber('hz');
  if (core.activeExpire) activeExpireCycle(core.keyspace, now, (1000 / hz) * EXPIRE_TIME_SHARE);
  closeIdleClients(core, now);
  releaseKeptBuffers(core, now);
  forgetLastHashed();
  core.stats.sampleRates(now);
  core.stats.memoryPeak = Math.max(core.stats.memoryPeak, core.keyspace.stats.memory.notePeak());
}

/**
 * As Redis's clientsCronHandleTimeout, a subscriber and a MONITOR client are never timed out: they
 * may wait for messages as long as they like (redis-server 7.0 with timeout 1 kept a subscriber
 * and a MONITOR client silent for 3 s, idle=3, and closed a normal client silent as long). Nor is
 * a blocked client: one whose request CLIENT PAUSE holds (Redis blocks it, flag `b`; 7.0.15 kept
 * one held 4 s with timeout 1), or one waiting on its MIGRATE, during which Redis's whole
 * server is blocked and its cron cannot run.
 */
function closeIdleClients(core: ServerCore, now: number): void {
  const timeout = core.config.getNumber('timeout');
  if (timeout === 0) return;
  for (const client of core.clients.values()) {
    if (now - client.lastInteraction <= timeout * 1000) continue;
    if (client.subscriptions !== null || core.monitors.clients.has(client)) continue;
    if (client.postponed || client.blockedOn !== null) continue;
    client.onClose?.();
  }
}

/** A client idle this long gives back its kept buffers, whatever their size. */
const KEPT_BUFFER_IDLE_MS = 2000;

/**
 * Reply buffers (up to 1 MB) and big bulks' gather buffers (request-parser.ts) are kept between
 * uses for clients that keep using them: one that the use since the last tick did not need is
 * given back (for a reply buffer: did not fill to half), and an idle client's too.
 */
function releaseKeptBuffers(core: ServerCore, now: number): void {
  for (const client of core.clients.values()) {
    if (now - client.lastInteraction > KEPT_BUFFER_IDLE_MS) {
      client.reply.shrink(now);
      client.queryBuffer?.shrink();
    } else {
      client.reply.trim(now);
      client.queryBuffer?.trim();
    }
  }
}
