// One shard of one database: a Map from key to a slot number, and per-slot columns.
//
// Why slots: a key keeps its slot for as long as it lives, so a SCAN cursor can be a slot number
// and still return every key that stayed present, whatever was added or removed meanwhile; and
// random sampling (active expiry, eviction, RANDOMKEY) is an index into an array. Per-key
// metadata sits in typed arrays, so a key costs no JS object of its own.
//
// Keys and values are latin1 strings: one char per byte, binary safe, and flat in memory.

const INITIAL_CAPACITY = 8;
/** Marks the expireAt column of a slot without a TTL. */
export const NO_EXPIRE = 0;

export class Shard {
  private readonly index = new Map<string, number>();
  /** Key and value per slot; null marks a free slot. */
  keys: (string | null)[] = [];
  values: (string | null)[] = [];
  /** Absolute expiry in ms per slot, NO_EXPIRE when the key has no TTL. */
  expireAt = new Float64Array(INITIAL_CAPACITY);
  /** Last access time in ms per slot (OBJECT IDLETIME, LRU). Seconds would overflow less but lose resolution. */
  accessedAt = new Float64Array(INITIAL_CAPACITY);
  /**
   * 1 when the value was built in place (APPEND, SETRANGE): Redis then reports OBJECT ENCODING
   * `raw` even for a short value, where a value stored whole would be `embstr` or `int`.
   */
  raw = new Uint8Array(INITIAL_CAPACITY);
  /** Dense list of the slots that have a TTL, for sampling by active expiry; ttlPos[slot] = position + 1. */
  ttlSlots = new Int32Array(INITIAL_CAPACITY);
  ttlCount = 0;
  private ttlPos = new Int32Array(INITIAL_CAPACITY);
  private freeSlots: number[] = [];
  /** Sum of key and value bytes, for memory accounting. */
  bytes = 0;

  get size(): number {
    return this.index.size;
  }

  /** Number of slots ever allocated: the bound of a SCAN over this shard. */
  get slotLimit(): number {
    return this.keys.length;
  }

  slotOf(key: string): number {
    const slot = this.index.get(key);
    return slot === undefined ? -1 : slot;
  }

  /** Adds a key that is not present; returns its slot. */
  insert(key: string, value: string, expireAt: number, now: number, raw = false): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.keys.length;
      this.keys.push(key);
      this.values.push(value);
      if (slot >= this.expireAt.length) this.growColumns(slot + 1);
    } else {
      this.keys[slot] = key;
      this.values[slot] = value;
    }
    this.index.set(key, slot);
    this.expireAt[slot] = NO_EXPIRE;
    this.accessedAt[slot] = now;
    this.raw[slot] = raw ? 1 : 0;
    if (expireAt !== NO_EXPIRE) this.setExpire(slot, expireAt);
    this.bytes += key.length + value.length;
    return slot;
  }

  replaceValue(slot: number, value: string, raw = false): void {
    this.bytes += value.length - (this.values[slot] as string).length;
    this.values[slot] = value;
    this.raw[slot] = raw ? 1 : 0;
  }

  remove(slot: number): void {
    const key = this.keys[slot] as string;
    this.bytes -= key.length + (this.values[slot] as string).length;
    this.index.delete(key);
    this.clearExpire(slot);
    this.keys[slot] = null;
    this.values[slot] = null;
    this.freeSlots.push(slot);
  }

  setExpire(slot: number, when: number): void {
    if (this.expireAt[slot] === NO_EXPIRE) {
      if (this.ttlCount === this.ttlSlots.length) this.ttlSlots = grow(this.ttlSlots, this.ttlCount + 1);
      this.ttlSlots[this.ttlCount++] = slot;
      this.ttlPos[slot] = this.ttlCount;
    }
    this.expireAt[slot] = when;
  }

  clearExpire(slot: number): void {
    if (this.expireAt[slot] === NO_EXPIRE) return;
    this.expireAt[slot] = NO_EXPIRE;
    // Swap-remove from the dense TTL list, so removal is O(1).
    const pos = this.ttlPos[slot] - 1;
    const last = this.ttlSlots[--this.ttlCount];
    this.ttlSlots[pos] = last;
    this.ttlPos[last] = pos + 1;
    this.ttlPos[slot] = 0;
  }

  clear(): void {
    this.index.clear();
    this.keys = [];
    this.values = [];
    this.expireAt = new Float64Array(INITIAL_CAPACITY);
    this.accessedAt = new Float64Array(INITIAL_CAPACITY);
    this.raw = new Uint8Array(INITIAL_CAPACITY);
    this.ttlSlots = new Int32Array(INITIAL_CAPACITY);
    this.ttlPos = new Int32Array(INITIAL_CAPACITY);
    this.ttlCount = 0;
    this.freeSlots = [];
    this.bytes = 0;
  }

  private growColumns(min: number): void {
    this.expireAt = grow(this.expireAt, min);
    this.accessedAt = grow(this.accessedAt, min);
    this.raw = grow(this.raw, min);
    this.ttlPos = grow(this.ttlPos, min);
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(arr: T, min: number): T {
  let size = arr.length * 2;
  while (size < min) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}
