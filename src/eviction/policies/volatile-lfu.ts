// volatile-lfu: approximated LFU among the keys with a TTL only (every key's counter is kept).

import { LfuTracker, initLfuCounters } from '../lfu-tracker.js';
import type { PolicyFactory } from '../policy.js';
import { SampledPolicy, lfuScore } from '../sampled-policy.js';

export const volatileLfu: PolicyFactory = (settings) =>
  new SampledPolicy('volatile-lfu', true, lfuScore, new LfuTracker(settings), initLfuCounters);
