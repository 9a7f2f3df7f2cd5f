// allkeys-lfu: Redis's approximated LFU (8-bit logarithmic counter with decay) over every key.

import { LfuTracker, initLfuCounters } from '../lfu-tracker.js';
import type { PolicyFactory } from '../policy.js';
import { SampledPolicy, lfuScore } from '../sampled-policy.js';

export const allkeysLfu: PolicyFactory = (settings) =>
  new SampledPolicy('allkeys-lfu', false, lfuScore, new LfuTracker(settings), initLfuCounters);
