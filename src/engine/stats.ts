// Counters the engine keeps for INFO stats and the metrics endpoint.

import { MemoryAccount } from '../eviction/memory-account.js';

export class EngineStats {
  /** The running used_memory count; CONFIG RESETSTAT leaves it alone (it is a level, not a counter). */
  readonly memory = new MemoryAccount();
  /** Lookups by read commands that found a live key / found none (INFO keyspace_hits/misses). */
  keyspaceHits = 0;
  keyspaceMisses = 0;
  /** Keys deleted because their TTL passed, lazily or by active expiry (INFO expired_keys). */
  expiredKeys = 0;
  evictedKeys = 0;
  /**
   * Redis's eviction-exceeded timer (INFO total/current_eviction_exceeded_time): ms spent over
   * maxmemory in finished periods, and when the current period began (-1: none). A period begins
   * when an eviction round ends still over the limit and ends when one ends within it.
   */
  evictionExceededMs = 0;
  evictionExceededSince = -1;
  /**
   * Share (0..1) of sampled keys with a TTL found already expired, a running average over active
   * expiry cycles (INFO expired_stale_perc prints it times 100).
   */
  expiredStalePerc = 0;
  /** Active expiry cycles that stopped because their time budget ran out. */
  expiredTimeCapReachedCount = 0;
  /** Time spent in active expiry, in ms (INFO expire_cycle_cpu_milliseconds, rounded down). */
  expireCycleCpuMs = 0;

  reset(): void {
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.evictionExceededMs = 0;
    this.evictionExceededSince = -1;
    this.expiredStalePerc = 0;
    this.expiredTimeCapReachedCount = 0;
    this.expireCycleCpuMs = 0;
  }
}
