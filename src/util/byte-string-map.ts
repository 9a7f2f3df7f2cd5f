// Map and Set for strings a client chooses (channel names, watched keys...), whose lookups stay
// O(1) for strings of any length.
//
// Why not a plain Map<string, V>: V8 hashes a string of more than 16383 chars (its
// String::kMaxHashCalcLength) by its length alone, so every such string of one length lands in
// one bucket and each lookup scans them all, comparing up to the last byte. Measured on Node 20:
// 1000 keys of 16384 bytes took 0.65 s to insert and 0.7 s for 1000 lookups (16383 bytes: 24 ms
// and 0.1 ms), and one SUBSCRIBE of 1000 such channels held the event loop, every other client
// with it, for 2.5 s.
//
// So strings V8 hashes in full stay keys of a native Map (the common path pays one length
// check), and a longer one is replaced in that Map by a stand-in object (objects hash by a
// random identity), found through buckets keyed by the engine's keyed hash: nobody who cannot
// see the per-process key can aim strings at one bucket. Sharing the one native Map keeps
// insertion order across short and long strings, which UNSUBSCRIBE without arguments and
// CLUSTER GETKEYSINSLOT show.

import { hashKey } from '../engine/key-hash.js';

/** The longest string V8 hashes by its contents (String::kMaxHashCalcLength). */
export const LONGEST_CONTENT_HASHED = 16383;

/** A long string's stand-in in the native Map. */
class LongKey {
  constructor(
    readonly text: string,
    readonly hash: number,
  ) {}
}

type Slot = string | LongKey;

// A command looks one name up in several maps in a row (SUBSCRIBE: in the client's set, then in
// the server's map, each a lookup and an insert), and hashKey takes 37 us for 16 KB: the last
// long string hashed is kept with its hash, so each name is hashed once. When it is the same
// string, === is a pointer compare; otherwise a memcmp, still far cheaper than the hash. The
// price is one client string kept alive until the cron lets go of it (forgetLastHashed): held
// until the next long one, an unsubscribed channel name of 500 MB stayed in memory for good.
let lastHashed = '';
let lastHash = 0;

/** Lets go of the long string kept with its hash; the cron calls it, between commands. */
export function forgetLastHashed(): void {
  lastHashed = '';
  lastHash = 0;
}

function hashLong(text: string): number {
  if (text !== lastHashed) {
    lastHash = hashKey(text);
    lastHashed = text;
  }
  return lastHash;
}

/** The stand-ins of the long strings present, by keyed hash (a bucket rarely holds two). */
class LongKeys {
  private readonly buckets = new Map<number, LongKey[]>();
  count = 0;

  constructor(private readonly hash: (text: string) => number) {}

  find(text: string): LongKey | undefined {
    const bucket = this.buckets.get(this.hash(text));
    if (bucket === undefined) return undefined;
    for (const handle of bucket) if (handle.text === text) return handle;
    return undefined;
  }

  /** The stand-in of a string not present yet. */
  add(text: string): LongKey {
    const handle = new LongKey(text, this.hash(text));
    const bucket = this.buckets.get(handle.hash);
    if (bucket === undefined) this.buckets.set(handle.hash, [handle]);
    else bucket.push(handle);
    this.count++;
    return handle;
  }

  remove(handle: LongKey): void {
    const bucket = this.buckets.get(handle.hash) as LongKey[];
    if (bucket.length === 1) this.buckets.delete(handle.hash);
    else bucket.splice(bucket.indexOf(handle), 1);
    this.count--;
  }

  clear(): void {
    this.buckets.clear();
    this.count = 0;
  }
}

function textOf(slot: Slot): string {
  return typeof slot === 'string' ? slot : slot.text;
}

/**
 * What ByteStringMap and ByteStringSet share: a native Map or Set of slots (a string, or a long
 * string's stand-in) and the stand-ins' buckets.
 */
abstract class ByteStringKeyed {
  protected abstract readonly slots: Map<Slot, unknown> | Set<Slot>;
  protected readonly long: LongKeys;

  /** `hash` is for tests, which make long strings collide to check the buckets' scans. */
  constructor(hash: (text: string) => number = hashLong) {
    this.long = new LongKeys(hash);
  }

  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    if (key.length <= LONGEST_CONTENT_HASHED) return this.slots.has(key);
    return this.long.find(key) !== undefined;
  }

  delete(key: string): boolean {
    if (key.length <= LONGEST_CONTENT_HASHED) return this.slots.delete(key);
    const handle = this.long.find(key);
    if (handle === undefined) return false;
    this.long.remove(handle);
    return this.slots.delete(handle);
  }

  clear(): void {
    this.slots.clear();
    this.long.clear();
  }
}

export class ByteStringMap<V> extends ByteStringKeyed implements Iterable<[string, V]> {
  protected readonly slots = new Map<Slot, V>();

  get(key: string): V | undefined {
    if (key.length <= LONGEST_CONTENT_HASHED) return this.slots.get(key);
    const handle = this.long.find(key);
    return handle === undefined ? undefined : this.slots.get(handle);
  }

  set(key: string, value: V): this {
    if (key.length <= LONGEST_CONTENT_HASHED) this.slots.set(key, value);
    else this.slots.set(this.long.find(key) ?? this.long.add(key), value);
    return this;
  }

  /** In insertion order, as a Map. */
  *keys(): IterableIterator<string> {
    for (const slot of this.slots.keys()) yield textOf(slot);
  }

  values(): IterableIterator<V> {
    return this.slots.values();
  }

  /**
   * In insertion order. With no long string present this is the native Map's own iterator (a
   * generator costs PUBLISH's walk over the patterns 4 times as much), so a caller must not add
   * a long string while iterating: copy the entries first, as it must to delete any.
   */
  entries(): IterableIterator<[string, V]> {
    if (this.long.count === 0) return this.slots.entries() as IterableIterator<[string, V]>;
    return this.entriesWithLong();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  private *entriesWithLong(): IterableIterator<[string, V]> {
    for (const [slot, value] of this.slots) yield [textOf(slot), value];
  }
}

export class ByteStringSet extends ByteStringKeyed implements Iterable<string> {
  protected readonly slots = new Set<Slot>();

  add(key: string): this {
    if (key.length <= LONGEST_CONTENT_HASHED) this.slots.add(key);
    else if (this.long.find(key) === undefined) this.slots.add(this.long.add(key));
    return this;
  }

  /** In insertion order; the same fast path and rule as ByteStringMap.entries. */
  values(): IterableIterator<string> {
    if (this.long.count === 0) return this.slots.values() as IterableIterator<string>;
    return this.valuesWithLong();
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.values();
  }

  private *valuesWithLong(): IterableIterator<string> {
    for (const slot of this.slots) yield textOf(slot);
  }
}
