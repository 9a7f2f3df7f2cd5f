// volatile-sieve: SIEVE among the keys with a TTL only; keys without one are never queued, and
// with no TTL key left a write past maxmemory gets OOM, as under volatile-lru.

import type { PolicyFactory } from '../policy.js';
import { SievePolicy } from '../sieve.js';

export const volatileSieve: PolicyFactory = () => new SievePolicy('volatile-sieve', true);
