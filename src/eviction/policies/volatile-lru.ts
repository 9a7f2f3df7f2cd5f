// volatile-lru: approximated LRU among the keys with a TTL only.

import type { PolicyFactory } from '../policy.js';
import { SampledPolicy, idleTimeScore } from '../sampled-policy.js';

export const volatileLru: PolicyFactory = () => new SampledPolicy('volatile-lru', true, idleTimeScore);
