// allkeys-lru: Redis's approximated LRU over every key (sampled, pool of 16).

import type { PolicyFactory } from '../policy.js';
import { SampledPolicy, idleTimeScore } from '../sampled-policy.js';

export const allkeysLru: PolicyFactory = () => new SampledPolicy('allkeys-lru', false, idleTimeScore);
