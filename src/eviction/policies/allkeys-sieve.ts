// allkeys-sieve: SIEVE (a FIFO with visited bits and a moving hand) over every key; the
// algorithm is in ../sieve.ts.

import type { PolicyFactory } from '../policy.js';
import { SievePolicy } from '../sieve.js';

export const allkeysSieve: PolicyFactory = () => new SievePolicy('allkeys-sieve', false);
