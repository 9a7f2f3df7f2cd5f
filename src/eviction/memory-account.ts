// The logical memory count behind used_memory and maxmemory: a running sum kept by the shards as
// keys come and go, so reading it costs a field load, never a heap walk
// (process.memoryUsage() costs ~7 us; see ../../benchmarks/eviction/measure-key-overhead.ts).

/** What an empty Redis 7.0 reports as used_memory_startup, so ratios read as they would there. */
export const STARTUP_BYTES = 880 * 1024;

/**
 * Bytes per key beyond its key and value bytes. Measured with
 * benchmarks/eviction/measure-key-overhead.ts (node --expose-gc, 1M distinct 16-byte keys in one
 * 64-shard Database, delta of heapUsed + arrayBuffers after forced GC, divided by 1M, minus
 * key+value bytes): 53 B with 32-byte values, 53 B with 100-byte values, 57 B with a TTL. It
 * covers the record header and padding in its slab, the key index entry and the per-slot
 * fields (16 interleaved bytes, see src/engine/slot-layout.ts; keys and values themselves live
 * in slabs off the V8 heap, see src/engine/record-store.ts).
 */
export const KEY_OVERHEAD_BYTES = 54;

export class MemoryAccount {
  /** Sum of key and value bytes of every stored key. */
  dataBytes = 0;
  keys = 0;
  /** Extra bytes per key the current eviction policy's own columns cost (linked-list links). */
  policyBytesPerKey = 0;
  /**
   * Highest used seen by notePeak: the evictor notes it after each command under maxmemory and
   * the cron every tick, so used_memory_peak follows growth without INFO being asked.
   */
  peak = 0;

  /** used_memory: start-up baseline, data, and per-key bookkeeping. */
  get used(): number {
    return STARTUP_BYTES + this.dataBytes + this.keys * (KEY_OVERHEAD_BYTES + this.policyBytesPerKey);
  }

  /** Raises peak to the current used; returns the peak. */
  notePeak(): number {
    const used = this.used;
    if (used > this.peak) this.peak = used;
    return this.peak;
  }

  /** The part of used that is not key and value bytes. */
  get overhead(): number {
    return this.used - this.dataBytes;
  }
}
