// allkeys-random: a random key of any database.

import type { PolicyFactory } from '../policy.js';
import { RandomPolicy } from '../random-policy.js';

export const allkeysRandom: PolicyFactory = () => new RandomPolicy('allkeys-random', false);
