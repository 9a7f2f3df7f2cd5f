// volatile-s3fifo: S3-FIFO among the keys with a TTL only; keys without one are never queued,
// and with no TTL key left a write past maxmemory gets OOM, as under volatile-lru.

import type { PolicyFactory } from '../policy.js';
import { S3FifoPolicy } from '../s3fifo.js';

export const volatileS3fifo: PolicyFactory = () => new S3FifoPolicy('volatile-s3fifo', true);
