// Reclaims keys whose TTL passed but that nobody reads again, in the manner of Redis's
// activeExpireCycle: sample keys with a TTL per shard, delete the stale ones, and sample the same
// shard again while more than a tenth of a sample was stale, within a time budget per tick.

import { performance } from 'node:perf_hooks';
import type { Keyspace } from './keyspace.js';

/** Keys with a TTL looked at per sample (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
const SAMPLE_SIZE = 20;
/** Keep sampling a shard while more than this share of a sample had expired. */
const ACCEPTABLE_STALE = 0.1;

export function activeExpireCycle(keyspace: Keyspace, now: number, budgetMs: number): void {
  const deadline = performance.now() + budgetMs;
  const dbs = keyspace.databases;
  const shardsPerDb = dbs[0].shards.length;
  const total = dbs.length * shardsPerDb;
  for (let visited = 0; visited < total; visited++) {
    const position = keyspace.expireCursor % total;
    keyspace.expireCursor = position + 1;
    const db = dbs[Math.floor(position / shardsPerDb)];
    const shard = db.shards[position % shardsPerDb];
    for (;;) {
      if (shard.ttlCount === 0) break;
      const sample = Math.min(SAMPLE_SIZE, shard.ttlCount);
      let expired = 0;
      for (let i = 0; i < sample && shard.ttlCount > 0; i++) {
        const slot = shard.ttlSlots[Math.floor(Math.random() * shard.ttlCount)];
        if (shard.expireAt[slot] <= now) {
          db.expireSlot(shard, slot);
          expired++;
        }
      }
      if (expired <= sample * ACCEPTABLE_STALE) break;
      if (performance.now() > deadline) return;
    }
    if (performance.now() > deadline) return;
  }
}
