// One logical database (SELECT n): keys spread over shards by a hash of the key, so that no
// single Map grows past V8's 2^24-entry cap or stalls the event loop with one huge rehash.
//
// Every method takes `now`, the command's clock snapshot, and treats a key whose expiry has
// passed as absent, deleting it on the spot (Redis's lazy expiry).

import { NO_EXPIRE, Shard } from './shard.js';
import type { EngineStats } from './stats.js';

/** Pass as expireAt to keep the key's current TTL (SET ... KEEPTTL). */
export const KEEP_TTL = -1;
/** Replies of getExpireAt for a missing key and for a key without a TTL, as TTL encodes them. */
export const EXPIRE_MISSING = -2;
export const EXPIRE_NONE = -1;

/** Notified of every change to a key, for WATCH and other observers of the keyspace. */
export interface KeyObserver {
  keyModified(db: Database, key: string): void;
}

export class Database {
  readonly shards: Shard[];
  private readonly mask: number;
  /** Set by find(): the slot of the key found, valid until the next engine call. */
  private foundSlot = -1;
  observer: KeyObserver | null = null;

  constructor(
    readonly id: number,
    shardCount: number,
    private readonly stats: EngineStats,
  ) {
    this.mask = shardCount - 1;
    this.shards = Array.from({ length: shardCount }, () => new Shard());
  }

  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.size;
    return n;
  }

  get expiresCount(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.ttlCount;
    return n;
  }

  shardOf(key: string): Shard {
    return this.shards[hashKey(key) & this.mask];
  }

  /**
   * The shard holding a live key, with its slot left in foundSlot; null when the key is absent or
   * has just expired (and was deleted).
   */
  private find(key: string, now: number): Shard | null {
    const shard = this.shards[hashKey(key) & this.mask];
    const slot = shard.slotOf(key);
    if (slot === -1) return null;
    const expireAt = shard.expireAt[slot];
    if (expireAt !== NO_EXPIRE && expireAt <= now) {
      this.expireSlot(shard, slot);
      return null;
    }
    this.foundSlot = slot;
    return shard;
  }

  /** Deletes a key whose TTL has passed, counting it as Redis's expired_keys. */
  expireSlot(shard: Shard, slot: number): void {
    const key = shard.keys[slot] as string;
    shard.remove(slot);
    this.stats.expiredKeys++;
    this.observer?.keyModified(this, key);
  }

  /** The value for a read command: counts a keyspace hit or miss and refreshes the access time. */
  read(key: string, now: number): string | null {
    const shard = this.find(key, now);
    if (shard === null) {
      this.stats.keyspaceMisses++;
      return null;
    }
    this.stats.keyspaceHits++;
    shard.accessedAt[this.foundSlot] = now;
    return shard.values[this.foundSlot];
  }

  /** The value without touching statistics or access time (write commands, OBJECT, DEBUG). */
  peek(key: string, now: number): string | null {
    const shard = this.find(key, now);
    return shard === null ? null : shard.values[this.foundSlot];
  }

  exists(key: string, now: number): boolean {
    return this.find(key, now) !== null;
  }

  /**
   * Stores a value. expireAt is an absolute time in ms, NO_EXPIRE to clear any TTL, or KEEP_TTL
   * to keep the current one. `raw` marks a value built in place (APPEND, SETRANGE), which Redis
   * encodes as `raw` whatever its length.
   */
  set(key: string, value: string, now: number, expireAt: number = NO_EXPIRE, raw = false): void {
    const shard = this.find(key, now);
    if (shard === null) {
      this.shardOf(key).insert(key, value, expireAt === KEEP_TTL ? NO_EXPIRE : expireAt, now, raw);
    } else {
      const slot = this.foundSlot;
      shard.replaceValue(slot, value, raw);
      shard.accessedAt[slot] = now;
      if (expireAt === NO_EXPIRE) shard.clearExpire(slot);
      else if (expireAt !== KEEP_TTL) shard.setExpire(slot, expireAt);
    }
    this.observer?.keyModified(this, key);
  }

  delete(key: string, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.remove(this.foundSlot);
    this.observer?.keyModified(this, key);
    return true;
  }

  /** Absolute expiry in ms, EXPIRE_NONE without a TTL, EXPIRE_MISSING without the key. */
  getExpireAt(key: string, now: number): number {
    const shard = this.find(key, now);
    if (shard === null) return EXPIRE_MISSING;
    const at = shard.expireAt[this.foundSlot];
    return at === NO_EXPIRE ? EXPIRE_NONE : at;
  }

  /** Sets an absolute expiry on an existing key; false when the key is absent. */
  setExpireAt(key: string, when: number, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.setExpire(this.foundSlot, when);
    this.observer?.keyModified(this, key);
    return true;
  }

  /** Removes a key's TTL; true only when it had one. */
  persist(key: string, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null || shard.expireAt[this.foundSlot] === NO_EXPIRE) return false;
    shard.clearExpire(this.foundSlot);
    this.observer?.keyModified(this, key);
    return true;
  }

  /** True when a live key's value was built in place (see set's `raw`). */
  isRaw(key: string, now: number): boolean {
    const shard = this.find(key, now);
    return shard !== null && shard.raw[this.foundSlot] === 1;
  }

  /** Last access time in ms of a live key, or -1. */
  accessedAt(key: string, now: number): number {
    const shard = this.find(key, now);
    return shard === null ? -1 : shard.accessedAt[this.foundSlot];
  }

  /** Refreshes the access time (TOUCH); false when the key is absent. */
  touch(key: string, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.accessedAt[this.foundSlot] = now;
    return true;
  }

  /** Removes every key, telling observers of each so that WATCHers see the flush. */
  flush(): void {
    if (this.observer !== null) {
      for (const shard of this.shards) {
        for (const key of shard.keys) if (key !== null) this.observer.keyModified(this, key);
      }
    }
    for (const shard of this.shards) shard.clear();
  }
}

/** FNV-1a over the key's bytes: cheap, and spreads keys that differ only in their last bytes. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
