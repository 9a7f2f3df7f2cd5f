// Bounds memory as Redis's performEvictions: while used_memory is over maxmemory, the current
// policy chooses a key and it is deleted (evicted_keys). The server calls it before a command
// runs (so that a write past the limit is refused with OOM when nothing can be evicted) and after
// (so that used_memory is within maxmemory whenever a command has completed).

import type { Config } from '../config/config.js';
import type { Database } from '../engine/database.js';
import type { Keyspace } from '../engine/keyspace.js';
import type { Shard } from '../engine/shard.js';
import type { EvictionPolicy, EvictionSettings, SelectionContext, Victim } from './policy.js';
import { POLICIES } from './registry.js';

/** Evictions between refreshes of the cached list of non-empty databases. */
const DB_REFRESH_EVERY = 1024;

export class Evictor implements SelectionContext {
  /** maxmemory in bytes; 0 turns eviction off (the server checks this field first). */
  maxmemory = 0;
  readonly settings: EvictionSettings = { samples: 5, lfuLogFactor: 10, lfuDecayTime: 1, random: Math.random };
  policy: EvictionPolicy;
  now = 0;
  private readonly victim: Victim = { db: null, shard: null, slot: -1 };
  private liveDbs: Database[] = [];
  private liveDbSizes: number[] = [];
  private liveTotal = 0;
  private sinceRefresh = DB_REFRESH_EVERY;

  constructor(
    readonly keyspace: Keyspace,
    policyName = 'noeviction',
  ) {
    this.policy = this.build(policyName);
    this.attachAll(null);
  }

  /** Follows maxmemory, maxmemory-policy, maxmemory-samples, lfu-log-factor and lfu-decay-time. */
  bindConfig(config: Config): void {
    config.watch('maxmemory', (v) => (this.maxmemory = Number(v)));
    config.watch('maxmemory-policy', (v) => this.setPolicy(v));
    config.watch('maxmemory-samples', (v) => (this.settings.samples = Number(v)));
    config.watch('lfu-log-factor', (v) => (this.settings.lfuLogFactor = Number(v)));
    config.watch('lfu-decay-time', (v) => (this.settings.lfuDecayTime = Number(v)));
  }

  setPolicy(name: string): void {
    const previous = this.policy.name;
    if (name === previous) return;
    for (const shard of this.allShards()) {
      this.policy.detach(shard);
      shard.tracker = null;
    }
    this.policy = this.build(name);
    this.attachAll(previous);
  }

  get used(): number {
    return this.keyspace.stats.memory.used;
  }

  /**
   * Evicts until used_memory is within maxmemory; false when it is still over because the policy
   * found nothing to evict (Redis's EVICT_FAIL).
   */
  performEvictions(now: number): boolean {
    const stats = this.keyspace.stats;
    const account = stats.memory;
    while (account.used > this.maxmemory) {
      if (!this.evictOne(now)) {
        if (stats.evictionExceededSince < 0) stats.evictionExceededSince = now;
        return false;
      }
    }
    account.notePeak();
    if (stats.evictionExceededSince >= 0) {
      stats.evictionExceededMs += Math.max(0, now - stats.evictionExceededSince);
      stats.evictionExceededSince = -1;
    }
    return true;
  }

  /** Evicts one key chosen by the policy; false when there is none to evict. */
  evictOne(now: number): boolean {
    this.now = now;
    const victim = this.victim;
    if (!this.policy.selectVictim(this, victim)) {
      // The cached database list may predate the keys: look again before giving up.
      this.refreshDatabases();
      if (!this.policy.selectVictim(this, victim)) return false;
    }
    const db = victim.db as Database;
    const shard = victim.shard as Shard;
    // Only a watcher needs the key as a string; an eviction without one never builds it.
    const key = db.observer !== null ? shard.keyAt(victim.slot) : '';
    shard.remove(victim.slot);
    this.keyspace.stats.evictedKeys++;
    db.observer?.keyModified(db, key);
    return true;
  }

  nonEmptyDatabases(): readonly Database[] {
    if (++this.sinceRefresh > DB_REFRESH_EVERY) this.refreshDatabases();
    return this.liveDbs;
  }

  /**
   * A non-empty shard to evict from: a database drawn by its share of the keys, then the larger
   * of two random shards, which keeps the shards of a database evenly filled.
   */
  pickShard(victim: Victim): boolean {
    const dbs = this.nonEmptyDatabases();
    if (this.liveTotal === 0) return false;
    const random = this.settings.random;
    let pick = random() * this.liveTotal;
    let first = 0;
    while (first < dbs.length - 1 && pick >= this.liveDbSizes[first]) pick -= this.liveDbSizes[first++];
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[(first + i) % dbs.length];
      const shards = db.shards;
      const mask = shards.length - 1;
      const a = shards[Math.floor(random() * shards.length)];
      const b = shards[Math.floor(random() * shards.length)];
      let best = a.size >= b.size ? a : b;
      if (best.size === 0) {
        const start = Math.floor(random() * shards.length);
        for (let probe = 0; probe < shards.length && best.size === 0; probe++) best = shards[(start + probe) & mask];
      }
      if (best.size === 0) continue;
      victim.db = db;
      victim.shard = best;
      return true;
    }
    return false;
  }

  private refreshDatabases(): void {
    this.sinceRefresh = 0;
    this.liveDbs = [];
    this.liveDbSizes = [];
    this.liveTotal = 0;
    // Once the sizes add up to every key of the keyspace the rest are empty: with one database in
    // use that skips summing the shards of the 15 others.
    const keys = this.keyspace.stats.memory.keys;
    for (const db of this.keyspace.databases) {
      if (this.liveTotal >= keys) break;
      const size = db.size;
      if (size === 0) continue;
      this.liveDbs.push(db);
      this.liveDbSizes.push(size);
      this.liveTotal += size;
    }
  }

  private build(name: string): EvictionPolicy {
    const factory = POLICIES.get(name);
    if (factory === undefined) throw new RangeError(`unknown maxmemory-policy ${name}`);
    return factory(this.settings);
  }

  private attachAll(previous: string | null): void {
    this.keyspace.stats.memory.policyBytesPerKey = this.policy.bytesPerKey;
    for (const shard of this.allShards()) {
      this.policy.attach(shard, previous);
      shard.tracker = this.policy.tracker;
    }
  }

  private *allShards(): Generator<Shard> {
    for (const db of this.keyspace.databases) yield* db.shards;
  }
}
