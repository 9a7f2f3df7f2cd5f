// `redis-parser` (the reply parser node clients use), typed for the places where one ringcache
// node reads another server's replies: MIGRATE's link and the ring rebalance's admin link. It is
// a CommonJS package without types, hence the require.

import { createRequire } from 'node:module';

export interface ReplyParser {
  execute(data: Buffer): void;
}

export type ReplyParserClass = new (options: {
  returnReply: (reply: unknown) => void;
  returnError: (err: Error) => void;
  returnFatalError?: (err: Error) => void;
  returnBuffers?: boolean;
}) => ReplyParser;

export const RedisReplyParser = createRequire(import.meta.url)('redis-parser') as ReplyParserClass;
