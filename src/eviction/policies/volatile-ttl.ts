// volatile-ttl: among the keys with a TTL, the sampled one expiring soonest.

import type { PolicyFactory } from '../policy.js';
import { SampledPolicy, ttlScore } from '../sampled-policy.js';

export const volatileTtl: PolicyFactory = () => new SampledPolicy('volatile-ttl', true, ttlScore);
