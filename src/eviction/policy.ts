// What an eviction policy is: optional per-key bookkeeping the shards call into (KeyTracker), and
// a way to choose the next key to evict. The server (evictor.ts) and the simulator
// (benchmarks/eviction) drive the same objects.

import type { Database } from '../engine/database.js';
import type { Keyspace } from '../engine/keyspace.js';
import type { Shard } from '../engine/shard.js';

/** The tunables of Redis's eviction, shared by reference so CONFIG SET reaches live policies. */
export interface EvictionSettings {
  /** maxmemory-samples */
  samples: number;
  /** lfu-log-factor */
  lfuLogFactor: number;
  /** lfu-decay-time, minutes */
  lfuDecayTime: number;
  /** Uniform in [0,1): Math.random in the server, a seeded generator in tests and the simulator. */
  random: () => number;
}

/**
 * Per-key bookkeeping, called by the shard (inserted, removed, cleared) and by the database on
 * every access that refreshes the access time (accessed runs before accessedAt is overwritten).
 */
export interface KeyTracker {
  inserted(shard: Shard, slot: number, now: number): void;
  accessed(shard: Shard, slot: number, now: number): void;
  removed(shard: Shard, slot: number): void;
  /** The shard was emptied at once (FLUSHDB): its per-shard state starts over. */
  cleared(shard: Shard): void;
  /** A key gained a TTL (also on insertion with one, before `inserted`); volatile queues only. */
  expireSet?(shard: Shard, slot: number): void;
  /** A key lost its TTL (also on removal, after `removed`); volatile queues only. */
  expireCleared?(shard: Shard, slot: number): void;
  /**
   * A renamed or moved key (RENAME, MOVE) was just inserted at `slot` under its new name: Redis
   * moves the same object, so what the policy kept in the key's eviction byte carries over
   * (`meta`, read before the key left). Policies whose byte means queue membership leave it out.
   */
  carriedOver?(shard: Shard, slot: number, meta: number): void;
}

/** Where a chosen victim lives; filled in by selectVictim. */
export interface Victim {
  db: Database | null;
  shard: Shard | null;
  slot: number;
}

export interface SelectionContext {
  keyspace: Keyspace;
  settings: EvictionSettings;
  now: number;
  /** Picks a non-empty shard to take a victim from, weighting databases by size. */
  pickShard(victim: Victim): boolean;
  /** Databases that currently hold keys (refreshed from time to time; may include emptied ones). */
  nonEmptyDatabases(): readonly Database[];
}

export interface EvictionPolicy {
  /** The maxmemory-policy name. */
  readonly name: string;
  /** Heap bytes per key of the policy's own columns, added to the memory account. */
  readonly bytesPerKey: number;
  readonly tracker: KeyTracker | null;
  /**
   * Takes over a shard that may already hold keys (policy selected at runtime, or at start);
   * `previous` names the policy that had it (null at start), whose per-key data may carry over.
   */
  attach(shard: Shard, previous: string | null): void;
  /** Gives the shard up when another policy is selected. */
  detach(shard: Shard): void;
  /** Chooses the next key to evict into victim; false when no key qualifies (OOM for writes). */
  selectVictim(ctx: SelectionContext, victim: Victim): boolean;
}

/** A policy as the registry builds it, bound to the shared settings. */
export type PolicyFactory = (settings: EvictionSettings) => EvictionPolicy;

/** Base for policies that keep nothing per key beyond the shard's own access time and TTL. */
export abstract class StatelessPolicy implements EvictionPolicy {
  abstract readonly name: string;
  readonly bytesPerKey = 0;
  readonly tracker: KeyTracker | null = null;
  attach(_shard: Shard): void {}
  detach(_shard: Shard): void {}
  abstract selectVictim(ctx: SelectionContext, victim: Victim): boolean;
}
