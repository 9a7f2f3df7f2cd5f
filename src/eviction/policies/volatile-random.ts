// volatile-random: a random key among those with a TTL.

import type { PolicyFactory } from '../policy.js';
import { RandomPolicy } from '../random-policy.js';

export const volatileRandom: PolicyFactory = () => new RandomPolicy('volatile-random', true);
