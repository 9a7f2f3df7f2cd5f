// Reclaims keys whose TTL passed but that nobody reads again, in the manner of Redis's
// activeExpireCycle: sample keys with a TTL per shard, delete the stale ones, and sample the same
// shard again while more than a tenth of a sample was stale, within a time budget per tick.
// Successive ticks resume at the shard where the last one stopped, so every shard of every
// database gets its turn however large the keyspace.
//
// The samples also feed two estimates Redis derives the same way: each database's avg_ttl
// (INFO keyspace) and expired_stale_perc (INFO stats).

import { performance } from 'node:perf_hooks';
import type { Database } from './database.js';
import type { Keyspace } from './keyspace.js';
import type { Shard } from './shard.js';

/** Keys with a TTL looked at per sample (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
const SAMPLE_SIZE = 20;
/** Keep sampling a shard while more than this share of a sample had expired. */
const ACCEPTABLE_STALE = 0.1;
/** Weight of the newest sample round in the running averages, as Redis's 1/50. */
const AVERAGE_WEIGHT = 1 / 50;
/** Weight of one cycle's stale share in expired_stale_perc, as Redis's 0.05. */
const STALE_WEIGHT = 0.05;

/** Where elapsed time is read; tests pass one that advances by a fixed step per reading. */
export interface Stopwatch {
  now(): number;
}

export function activeExpireCycle(
  keyspace: Keyspace,
  now: number,
  budgetMs: number,
  stopwatch: Stopwatch = performance,
): void {
  const start = stopwatch.now();
  const deadline = start + budgetMs;
  const dbs = keyspace.databases;
  const shardsPerDb = dbs[0].shards.length;
  const total = dbs.length * shardsPerDb;
  let sampled = 0;
  let expired = 0;
  let timedOut = false;
  for (let visited = 0; visited < total && !timedOut; visited++) {
    const position = keyspace.expireCursor % total;
    keyspace.expireCursor = position + 1;
    const db = dbs[Math.floor(position / shardsPerDb)];
    const shard = db.shards[position % shardsPerDb];
    for (;;) {
      if (shard.ttlCount === 0) break;
      const round = sampleShard(db, shard, now);
      sampled += round.sampled;
      expired += round.expired;
      if (stopwatch.now() > deadline) {
        timedOut = true;
        break;
      }
      if (round.expired <= round.sampled * ACCEPTABLE_STALE) break;
    }
  }
  const stats = keyspace.stats;
  if (timedOut) stats.expiredTimeCapReachedCount++;
  if (sampled > 0) {
    const stale = expired / sampled;
    stats.expiredStalePerc = stats.expiredStalePerc * (1 - STALE_WEIGHT) + stale * STALE_WEIGHT;
  }
  stats.expireCycleCpuMs += stopwatch.now() - start;
  for (const db of dbs) if (db.expiresCount === 0) db.avgTtl = 0;
}

/** One sample of a shard's keys with a TTL: deletes the stale ones, folds the others' TTLs into avg_ttl. */
function sampleShard(db: Database, shard: Shard, now: number): { sampled: number; expired: number } {
  const sample = Math.min(SAMPLE_SIZE, shard.ttlCount);
  let expired = 0;
  let ttlSum = 0;
  let ttlSamples = 0;
  for (let i = 0; i < sample && shard.ttlCount > 0; i++) {
    const slot = shard.ttlSlots[Math.floor(Math.random() * shard.ttlCount)];
    const ttl = shard.expireAt[slot] - now;
    // Redis's activeExpireCycleTryExpire reclaims only once now > expireAt; a TTL of 0 is still
    // live but, like Redis, left out of avg_ttl.
    if (ttl < 0) {
      db.expireSlot(shard, slot);
      expired++;
    } else if (ttl > 0) {
      ttlSum += ttl;
      ttlSamples++;
    }
  }
  if (ttlSamples > 0) {
    const mean = ttlSum / ttlSamples;
    db.avgTtl = db.avgTtl === 0 ? mean : db.avgTtl * (1 - AVERAGE_WEIGHT) + mean * AVERAGE_WEIGHT;
  }
  return { sampled: sample, expired };
}
