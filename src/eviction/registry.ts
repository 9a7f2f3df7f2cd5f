// Every maxmemory-policy by name. Adding a policy: its file under policies/ and one line here
// (and its name in EXTRA_EVICTION_POLICIES of the config table, which validates CONFIG SET).

import type { PolicyFactory } from './policy.js';
import { allkeysLfu } from './policies/allkeys-lfu.js';
import { allkeysLru } from './policies/allkeys-lru.js';
import { allkeysRandom } from './policies/allkeys-random.js';
import { allkeysS3fifo } from './policies/allkeys-s3fifo.js';
import { allkeysSieve } from './policies/allkeys-sieve.js';
import { noeviction } from './policies/noeviction.js';
import { volatileLfu } from './policies/volatile-lfu.js';
import { volatileLru } from './policies/volatile-lru.js';
import { volatileRandom } from './policies/volatile-random.js';
import { volatileS3fifo } from './policies/volatile-s3fifo.js';
import { volatileSieve } from './policies/volatile-sieve.js';
import { volatileTtl } from './policies/volatile-ttl.js';

export const POLICIES: ReadonlyMap<string, PolicyFactory> = new Map([
  ['noeviction', noeviction],
  ['allkeys-lru', allkeysLru],
  ['allkeys-lfu', allkeysLfu],
  ['allkeys-random', allkeysRandom],
  ['volatile-lru', volatileLru],
  ['volatile-lfu', volatileLfu],
  ['volatile-random', volatileRandom],
  ['volatile-ttl', volatileTtl],
  ['allkeys-sieve', allkeysSieve],
  ['allkeys-s3fifo', allkeysS3fifo],
  ['volatile-sieve', volatileSieve],
  ['volatile-s3fifo', volatileS3fifo],
]);
