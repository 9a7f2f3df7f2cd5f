// The whole store: the numbered databases of one server, and the counters they share.

import { Database } from './database.js';
import { EngineStats } from './stats.js';
import { isPowerOfTwo } from '../util/numbers.js';

export interface KeyspaceOptions {
  databases: number;
  /** Shards per database; a power of two. */
  shards: number;
}

export class Keyspace {
  readonly stats = new EngineStats();
  readonly databases: Database[];
  /** Where active expiry stopped, so successive ticks walk every shard of every database. */
  expireCursor = 0;

  constructor(options: KeyspaceOptions) {
    if (!isPowerOfTwo(options.shards)) throw new RangeError('shards must be a power of two');
    this.databases = Array.from({ length: options.databases }, (_, id) => new Database(id, options.shards, this.stats));
  }

  db(index: number): Database {
    return this.databases[index];
  }

  flushAll(): void {
    for (const db of this.databases) db.flush();
  }

  /** SWAPDB: the two databases exchange their keys; false when an index is out of range. */
  swap(a: number, b: number): boolean {
    const count = this.databases.length;
    if (a < 0 || b < 0 || a >= count || b >= count) return false;
    this.databases[a].swapContents(this.databases[b]);
    return true;
  }
}
