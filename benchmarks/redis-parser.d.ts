// redis-parser 3 ships no types; this is the part of its API the benchmarks use.

declare module 'redis-parser' {
  interface ParserOptions {
    returnReply(reply: unknown): void;
    returnError(error: Error): void;
    returnFatalError?(error: Error): void;
    returnBuffers?: boolean;
    stringNumbers?: boolean;
  }

  class RedisParser {
    constructor(options: ParserOptions);
    execute(chunk: Buffer): void;
    reset(): void;
  }

  export = RedisParser;
}
