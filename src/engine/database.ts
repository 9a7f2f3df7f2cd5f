// One logical database (SELECT n): keys spread over shards by a hash of the key, so that no
// single Map grows past V8's 2^24-entry cap or stalls the event loop with one huge rehash.
//
// Every method takes `now`, the command's clock snapshot, and treats a key whose expiry has
// passed as absent, deleting it on the spot (Redis's lazy expiry).

import { HINT_BY_VALUE, type EncodingHint } from './encoding.js';
import { hashKey } from './key-hash.js';
import { ByteRange, NO_EXPIRE, Shard } from './shard.js';
import type { EngineStats } from './stats.js';

/** Pass as expireAt to keep the key's current TTL (SET ... KEEPTTL). */
export const KEEP_TTL = -1;
/** Replies of getExpireAt for a missing key and for a key without a TTL, as TTL encodes them. */
export const EXPIRE_MISSING = -2;
export const EXPIRE_NONE = -1;

/** Notified of every change to a key, for WATCH and other observers of the keyspace. */
export interface KeyObserver {
  keyModified(db: Database, key: string): void;
  /**
   * Every key of db is about to be removed (FLUSHDB, FLUSHALL); the keys are still there, so the
   * observer can tell which of the keys it cares about existed. Without this method,
   * keyModified is called for every key instead.
   */
  databaseFlushing?(db: Database): void;
  /**
   * db and other just swapped contents (SWAPDB); called on each database's observer with that
   * database first. A key of db changed if it now exists in either of the two. Without this
   * method, keyModified is called for every key of both, before and after the swap.
   */
  databasesSwapped?(db: Database, other: Database): void;
}

/** Keys warmed per Database.prefetch call: enough to overlap their misses, few enough to stay cached. */
export const PREFETCH_WINDOW = 16;
const warmHashes = new Int32Array(PREFETCH_WINDOW);
const warmSlots = new Int32Array(PREFETCH_WINDOW);
/** What readRange hands out: one object, overwritten by each call. */
const valueBytes = new ByteRange();

/** hashKey of the k-th key the last Database.prefetch warmed, so the lookup need not hash it again. */
export function prefetchedHash(k: number): number {
  return warmHashes[k];
}

export class Database {
  /** Replaced as a whole only by swapContents (SWAPDB). */
  shards: Shard[];
  private readonly mask: number;
  /** Set by find(): the slot of the key found, valid until the next engine call. */
  private foundSlot = -1;
  /** Set by find(): hashKey of the key looked up, found or not (set() inserts with it). */
  private foundHash = 0;
  observer: KeyObserver | null = null;
  /**
   * Estimated mean remaining TTL in ms of the keys with one, as INFO keyspace's avg_ttl: a
   * running average that active expiry updates from the TTLs it samples, the way Redis does
   * (each sample round's mean weighs 1/50); 0 when no key has a TTL.
   */
  avgTtl = 0;

  constructor(
    readonly id: number,
    shardCount: number,
    private readonly stats: EngineStats,
  ) {
    this.mask = shardCount - 1;
    this.shards = Array.from({ length: shardCount }, () => new Shard(stats.memory));
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

  /**
   * Warms the memory that looking up args[from], args[from + step]... will touch (index entry,
   * slot columns, stored key and value), up to PREFETCH_WINDOW keys; returns the index after the
   * last key warmed. Changes nothing. Why: on a keyspace larger than the CPU caches each lookup
   * is a chain of 4-5 dependent cache misses, and key after key they run one at a time. Issued
   * here in short loops that do not depend on each other, the CPU overlaps the misses of all the
   * keys, so the lookups that follow mostly hit the cache (MGET of 10 keys among 100k: engine
   * time ~40% less, measured). A multi-key command calls it once per window of keys.
   */
  prefetch(args: readonly string[], from: number, step: number): number {
    const shards = this.shards;
    const mask = this.mask;
    let n = 0;
    let i = from;
    for (; i < args.length && n < PREFETCH_WINDOW; i += step) warmHashes[n++] = hashKey(args[i]);
    // First the index entries of every key, then what their slots point to: each loop's loads
    // are independent of one another, which is what lets them be in flight together.
    for (let k = 0; k < n; k++) warmSlots[k] = shards[warmHashes[k] & mask].slotCandidate(warmHashes[k]);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const slot = warmSlots[k];
      if (slot === -1) continue;
      const shard = shards[warmHashes[k] & mask];
      // The record's header and key (its value follows them, mostly in the same cache line).
      sum += shard.accessedAt(slot) + shard.keyRange(slot, valueBytes).buf[valueBytes.start];
      if (shard.ttlCount !== 0) sum += shard.expireAt[slot];
    }
    // Kept, so that the compiler cannot drop the loads as unused.
    this.warmth = sum;
    return i;
  }

  /** The sum prefetch() last computed; its only purpose is to be stored. */
  warmth = 0;

  shardOf(key: string): Shard {
    return this.shards[hashKey(key) & this.mask];
  }

  /**
   * The shard holding a live key, with its slot left in foundSlot; null when the key is absent or
   * has just expired (and was deleted).
   */
  private find(key: string, now: number, hash = hashKey(key)): Shard | null {
    this.foundHash = hash;
    const shard = this.shards[hash & this.mask];
    const slot = shard.slotOf(key, hash);
    if (slot === -1) return null;
    // A shard without TTL keys skips the expireAt column: one cache line less per lookup.
    if (shard.ttlCount !== 0) {
      const expireAt = shard.expireAt[slot];
      // As Redis's keyIsExpired: a key lives through its expiry millisecond, gone once now > expireAt.
      if (expireAt !== NO_EXPIRE && expireAt < now) {
        this.expireSlot(shard, slot, hash);
        // An observer told of the expiry may have looked up other keys meanwhile.
        this.foundHash = hash;
        return null;
      }
    }
    this.foundSlot = slot;
    return shard;
  }

  /** Deletes a key whose TTL has passed, counting it as Redis's expired_keys. */
  expireSlot(shard: Shard, slot: number, hash?: number): void {
    const key = this.observer !== null ? shard.keyAt(slot) : '';
    shard.remove(slot, hash);
    this.stats.expiredKeys++;
    this.observer?.keyModified(this, key);
  }

  /**
   * The value for a read command: counts a keyspace hit or miss and refreshes the access time,
   * unless touch is false (Redis's LOOKUP_NOTOUCH: EXISTS, TYPE, TTL, OBJECT still count).
   * `hash`, when the caller has it (prefetchedHash), is hashKey(key).
   */
  read(key: string, now: number, touch = true, hash?: number): string | null {
    const shard = this.lookup(key, now, touch, hash);
    return shard === null ? null : shard.valueAt(this.foundSlot);
  }

  /**
   * As read(), but the value's bytes for a reply to copy, without making a string (GET, MGET).
   * The range is one object shared by every call and valid only until the next engine call.
   */
  readRange(key: string, now: number, hash?: number): ByteRange | null {
    const shard = this.lookup(key, now, true, hash);
    return shard === null ? null : shard.valueRange(this.foundSlot, valueBytes);
  }

  /** A read's lookup: counts the hit or miss and refreshes the access time; the slot is left in foundSlot. */
  private lookup(key: string, now: number, touch: boolean, hash: number | undefined): Shard | null {
    const shard = this.find(key, now, hash);
    if (shard === null) {
      this.stats.keyspaceMisses++;
      return null;
    }
    this.stats.keyspaceHits++;
    if (touch) {
      // The tracker reads the previous access time (LFU decay), so it runs first.
      if (shard.tracker !== null) shard.tracker.accessed(shard, this.foundSlot, now);
      shard.setAccessedAt(this.foundSlot, now);
    }
    return shard;
  }

  /** The value without touching statistics or access time (write commands, DEBUG). */
  peek(key: string, now: number): string | null {
    const shard = this.find(key, now);
    return shard === null ? null : shard.valueAt(this.foundSlot);
  }

  exists(key: string, now: number): boolean {
    return this.find(key, now) !== null;
  }

  /**
   * Whether a key is stored and whether its TTL has passed, without reclaiming it: WATCH asks
   * from inside observer callbacks, where a lazy deletion would notify observers again.
   */
  storedState(key: string, now: number): 'absent' | 'live' | 'lapsed' {
    const shard = this.shardOf(key);
    const slot = shard.slotOf(key);
    if (slot === -1) return 'absent';
    const expireAt = shard.expireAt[slot];
    return expireAt !== NO_EXPIRE && expireAt < now ? 'lapsed' : 'live';
  }

  /**
   * Stores a value. expireAt is an absolute time in ms (a bigint past 2^53 is kept exactly),
   * NO_EXPIRE to clear any TTL, or KEEP_TTL to keep the current one. `encoding` says how the value
   * was written, which decides its OBJECT ENCODING (see encoding.ts). `hash`, when the caller has
   * it (prefetchedHash), is hashKey(key).
   */
  set(
    key: string,
    value: string,
    now: number,
    expireAt: number | bigint = NO_EXPIRE,
    encoding: EncodingHint = HINT_BY_VALUE,
    hash?: number,
  ): void {
    const shard = this.find(key, now, hash);
    if (shard === null) {
      const hash = this.foundHash;
      this.shards[hash & this.mask].insert(key, value, expireAt === KEEP_TTL ? NO_EXPIRE : expireAt, now, encoding, hash);
    } else {
      const slot = this.foundSlot;
      shard.replaceValue(slot, value, encoding);
      if (shard.tracker !== null) shard.tracker.accessed(shard, slot, now);
      shard.setAccessedAt(slot, now);
      if (expireAt === NO_EXPIRE) {
        // A shard without TTL keys has none to clear: skip loading the expireAt column.
        if (shard.ttlCount !== 0) shard.clearExpire(slot);
      } else if (expireAt !== KEEP_TTL) {
        shard.setExpire(slot, expireAt);
      }
    }
    this.observer?.keyModified(this, key);
  }

  /**
   * Stores a value as a new key, as Redis's dbDelete then dbAdd (RENAME or COPY onto a key,
   * RESTORE REPLACE): the policy's per-key state starts over. A key already there keeps its slot
   * (Shard.renew), so that a SCAN in progress still returns it.
   */
  setAsNew(key: string, value: string, now: number, expireAt: number | bigint = NO_EXPIRE, encoding: EncodingHint = HINT_BY_VALUE): void {
    const shard = this.find(key, now);
    if (shard === null) {
      this.set(key, value, now, expireAt, encoding);
      return;
    }
    shard.renew(this.foundSlot, value, expireAt, now, encoding);
    this.observer?.keyModified(this, key);
  }

  delete(key: string, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.remove(this.foundSlot, this.foundHash);
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

  /**
   * Absolute expiry exactly as set: past 2^53 ms (only reachable with EXPIREAT-style commands)
   * a bigint, where getExpireAt rounds to the nearest double.
   */
  getExpireAtExact(key: string, now: number): number | bigint {
    const shard = this.find(key, now);
    if (shard === null) return EXPIRE_MISSING;
    const at = shard.exactExpire(this.foundSlot);
    return at === NO_EXPIRE ? EXPIRE_NONE : at;
  }

  /** Sets an absolute expiry (ms; a bigint past 2^53) on an existing key; false when the key is absent. */
  setExpireAt(key: string, when: number | bigint, now: number): boolean {
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

  /** The encoding hint of a live key (see encoding.ts); HINT_BY_VALUE when absent. */
  encodingHint(key: string, now: number): EncodingHint {
    const shard = this.find(key, now);
    return shard === null ? HINT_BY_VALUE : shard.encodingOf(this.foundSlot);
  }

  /** Last access time in ms of a live key, or -1. */
  accessedAt(key: string, now: number): number {
    const shard = this.find(key, now);
    return shard === null ? -1 : shard.accessedAt(this.foundSlot);
  }

  /** The eviction metadata byte of a live key (the LFU counter under an LFU policy), or -1. */
  evictionMeta(key: string, now: number): number {
    const shard = this.find(key, now);
    return shard === null ? -1 : shard.metaOf(this.foundSlot);
  }

  /** Sets the eviction byte of a live key (RESTORE ... FREQ under an LFU policy); false when the key is absent. */
  setEvictionMeta(key: string, meta: number, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.setMeta(this.foundSlot, meta);
    return true;
  }

  /** Sets the last access time of a live key (RESTORE ... IDLETIME); false when the key is absent. */
  setAccessedAt(key: string, at: number, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    shard.setAccessedAt(this.foundSlot, at);
    return true;
  }

  /** Refreshes the access time (TOUCH); false when the key is absent. */
  touch(key: string, now: number): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    if (shard.tracker !== null) shard.tracker.accessed(shard, this.foundSlot, now);
    shard.setAccessedAt(this.foundSlot, now);
    return true;
  }

  /**
   * Copies a live key's value, TTL and encoding to dest in target (this database or another),
   * replacing whatever dest held; with move, the source key goes away. The caller has checked
   * that the two are not the same key. Returns false when the source is absent.
   *
   * As Redis deletes dest and adds a key, dest starts as a new key (a copy: fresh LFU counter);
   * a moved key keeps its access time and eviction data, being the same object under a new name.
   */
  copyTo(key: string, target: Database, dest: string, now: number, move: boolean): boolean {
    const shard = this.find(key, now);
    if (shard === null) return false;
    const slot = this.foundSlot;
    const value = shard.valueAt(slot);
    const expireAt = shard.exactExpire(slot);
    const encoding = shard.encodingOf(slot);
    const meta = shard.metaOf(slot);
    const accessedAt = shard.accessedAt(slot);
    if (move) {
      shard.remove(slot);
      this.observer?.keyModified(this, key);
    }
    target.setAsNew(dest, value, now, expireAt, encoding);
    if (move) target.carryOver(dest, meta, accessedAt, now);
    return true;
  }

  /** A key that arrived by RENAME or MOVE takes back the access time and eviction data it had. */
  private carryOver(key: string, meta: number, accessedAt: number, now: number): void {
    const shard = this.find(key, now);
    if (shard === null) return;
    shard.setAccessedAt(this.foundSlot, accessedAt);
    if (shard.tracker !== null) shard.tracker.carriedOver?.(shard, this.foundSlot, meta);
  }

  /**
   * A random live key, or null when the database is empty. Expired keys met on the way are
   * deleted and another is drawn, as Redis's dbRandomKey does.
   */
  randomKey(now: number): string | null {
    for (;;) {
      const total = this.size;
      if (total === 0) return null;
      // Weighting shards by size keeps every key about equally likely.
      let pick = Math.floor(Math.random() * total);
      let shard = this.shards[0];
      for (shard of this.shards) {
        if (pick < shard.size) break;
        pick -= shard.size;
      }
      const slot = shard.randomSlot();
      const expireAt = shard.expireAt[slot];
      if (expireAt !== NO_EXPIRE && expireAt < now) {
        this.expireSlot(shard, slot);
        continue;
      }
      return shard.keyAt(slot);
    }
  }

  /**
   * Every live key, for KEYS. Keys whose TTL passed are skipped but not deleted, as Redis's
   * KEYS does.
   */
  *liveKeys(now: number): Generator<string> {
    for (const shard of this.shards) {
      for (const slot of shard.liveSlots()) {
        const at = shard.expireAt[slot];
        if (at === NO_EXPIRE || at >= now) yield shard.keyAt(slot);
      }
    }
  }

  /** Removes every key, telling observers so that WATCHers see the flush. */
  flush(): void {
    const observer = this.observer;
    if (observer?.databaseFlushing !== undefined) observer.databaseFlushing(this);
    else if (observer !== null) this.notifyEveryKey(observer);
    for (const shard of this.shards) shard.clear();
    this.avgTtl = 0;
  }

  /**
   * Exchanges all keys with another database (SWAPDB). Clients keep their Database objects, so a
   * client that selected either one sees the other's keys from its next command on.
   */
  swapContents(other: Database): void {
    if (other === this) return;
    if (this.shards.length !== other.shards.length) throw new RangeError('databases differ in shard count');
    this.notifyBeforeSwap(other);
    [this.shards, other.shards] = [other.shards, this.shards];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    this.notifyAfterSwap(other);
  }

  private notifyBeforeSwap(other: Database): void {
    for (const db of [this, other]) {
      if (db.observer !== null && db.observer.databasesSwapped === undefined) db.notifyEveryKey(db.observer);
    }
  }

  private notifyAfterSwap(other: Database): void {
    for (const [db, peer] of [[this, other], [other, this]] as const) {
      const observer = db.observer;
      if (observer?.databasesSwapped !== undefined) observer.databasesSwapped(db, peer);
      else if (observer !== null) db.notifyEveryKey(observer);
    }
  }

  private notifyEveryKey(observer: KeyObserver): void {
    for (const shard of this.shards) {
      for (const key of shard.liveKeys()) observer.keyModified(this, key);
    }
  }
}

export { hashKey };
