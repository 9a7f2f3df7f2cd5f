// allkeys-s3fifo: S3-FIFO (small FIFO, main FIFO with lazy promotion, ghost) over every key;
// the algorithm and its refinements are in ../s3fifo.ts.

import type { PolicyFactory } from '../policy.js';
import { S3FifoPolicy } from '../s3fifo.js';

export const allkeysS3fifo: PolicyFactory = () => new S3FifoPolicy('allkeys-s3fifo', false);
