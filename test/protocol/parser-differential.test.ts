// Property tests of the request parser against `redis-parser`, the RESP parser node clients use,
// as an independent oracle.
//
// redis-parser reads replies, not requests, so only the part of the protocol the two share is
// compared: a request in multibulk form, `*<n>\r\n` followed by n `$<len>\r\n<bytes>\r\n` bulks, is
// also a valid reply (an array of bulk strings). What is compared, exactly:
// 1. Valid streams (requests with 0..6 arguments of random bytes, some over 32 KB, plus `*-1`), cut
//    at random points: the same commands, byte for byte, in the same order, and no error from
//    either. redis-parser returns `*0` as [] and `*-1` as null where Redis (and ringcache) skip
//    them silently, so those two are dropped from its output before comparing.
// 2. Streams with a poison byte where an element's `$` is due (any byte but NUL and the five
//    reply type bytes `$ * + - :` that redis-parser would take as a nested reply), followed by
//    random bytes: both yield the same commands before it, then both fail on that same byte
//    (ours: "expected '$', got 'x'", redis-parser: `got "x" as reply type byte`). After its first
//    error redis-parser is not fed again: it resumes parsing garbage after a fatal error.
// 3. A NUL where `$` is due is where the two part ways on purpose: redis-parser fails at once,
//    while Redis's strchr cannot see the line end past the NUL, so Redis and ringcache wait.
// 4. Any byte stream (biased towards protocol bytes), fed whole or cut anywhere: the parser only
//    ever throws ProtocolError, and the commands and error do not depend on the cuts (streams
//    under 64 KB, where no size limit can depend on the cuts).

import { createRequire } from 'node:module';
import { expect } from 'chai';
import fc from 'fast-check';
import { cutAt, parsePieces } from './parse-helpers.js';

interface ReplyParser {
  execute(chunk: Buffer): void;
}
type ReplyParserClass = new (options: {
  returnReply: (reply: unknown) => void;
  returnError: (error: Error) => void;
  returnFatalError: (error: Error) => void;
  returnBuffers: boolean;
}) => ReplyParser;

const RedisParser = createRequire(import.meta.url)('redis-parser') as ReplyParserClass;

interface OracleOutcome {
  requests: string[][];
  error: Error | null;
}

/** Runs redis-parser over the same pieces, keeping what a request parser would keep. */
function oracle(pieces: Buffer[]): OracleOutcome {
  const requests: string[][] = [];
  let error: Error | null = null;
  const parser = new RedisParser({
    returnBuffers: true,
    returnReply: (reply) => {
      if (reply === null) return;
      const items = reply as Buffer[];
      // Its buffers may be views of a pool it reuses: copy them out at once.
      if (items.length > 0) requests.push(items.map((b) => b.toString('latin1')));
    },
    returnError: (err) => {
      error ??= err;
    },
    returnFatalError: (err) => {
      error ??= err;
    },
  });
  for (const piece of pieces) {
    if (error !== null) break;
    parser.execute(piece);
  }
  return { requests, error };
}

function encode(requests: (string[] | null)[]): Buffer {
  const parts = requests.map((args) =>
    args === null ? '*-1\r\n' : `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`,
  );
  return Buffer.from(parts.join(''), 'latin1');
}

const smallArg = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a).toString('latin1'));
const protocolishArg = fc
  .array(fc.constantFrom('\r', '\n', '\r\n', '$', '*', '0', '1', '-', ' ', '\0'), { maxLength: 12 })
  .map((a) => a.join(''));
/** Over 32 KB: these take the parser's big-bulk path. Built from a seed, as random 40 KB arrays are slow. */
const bigArg = fc.record({ len: fc.integer({ min: 32 * 1024 - 4, max: 80_000 }), seed: fc.integer({ min: 0, max: 255 }) }).map(
  ({ len, seed }) => {
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = (seed + i * 31 + (i >> 7)) & 0xff;
    return b.toString('latin1');
  },
);
const arg = fc.oneof({ arbitrary: smallArg, weight: 10 }, { arbitrary: protocolishArg, weight: 4 }, { arbitrary: bigArg, weight: 1 });
const request = fc.array(arg, { maxLength: 6 });
const requests = fc.array(fc.oneof({ arbitrary: request, weight: 20 }, { arbitrary: fc.constant(null), weight: 1 }), { maxLength: 12 });
/**
 * Without big arguments, for property 4: over 64 KB without a line end, the "too big" checks
 * legitimately depend on how much has arrived (in Redis too).
 */
const smallRequests = fc.array(fc.array(fc.oneof(smallArg, protocolishArg), { maxLength: 6 }), { maxLength: 12 });

/** Up to 40 cut offsets, in [1, length). */
function cutsFor(length: number, raw: number[]): number[] {
  if (length < 2) return [];
  return [...new Set(raw.map((r) => 1 + (r % (length - 1))))].sort((a, b) => a - b);
}
const rawCuts = fc.array(fc.nat(), { maxLength: 40 });

const POISON_EXCLUDED = new Set([0, 0x24, 0x2a, 0x2b, 0x2d, 0x3a]);
const poisonByte = fc.integer({ min: 1, max: 255 }).filter((b) => !POISON_EXCLUDED.has(b));

const RUNS = 300;

describe('request parser against redis-parser (property tests)', () => {
  it('valid streams cut anywhere yield the same commands', () => {
    fc.assert(
      fc.property(requests, rawCuts, (reqs, raw) => {
        const input = encode(reqs);
        const pieces = cutAt(input, cutsFor(input.length, raw));
        const ours = parsePieces(pieces);
        const theirs = oracle(pieces);
        expect(theirs.error).to.equal(null);
        expect(ours.error).to.equal(null);
        expect(ours.requests).to.deep.equal(theirs.requests);
        expect(ours.requests).to.deep.equal(reqs.filter((r): r is string[] => r !== null && r.length > 0));
        expect(ours.pending).to.equal(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("a wrong byte where '$' is due fails both on that byte, after the same commands", () => {
    const poisoned = fc.record({
      before: requests,
      given: fc.array(smallArg, { maxLength: 4 }),
      missing: fc.integer({ min: 1, max: 4 }),
      poison: poisonByte,
      after: fc.uint8Array({ maxLength: 60 }),
      raw: rawCuts,
    });
    fc.assert(
      fc.property(poisoned, ({ before, given, missing, poison, after, raw }) => {
        const head = `*${given.length + missing}\r\n${given.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
        const input = Buffer.concat([encode(before), Buffer.from(head, 'latin1'), Buffer.from([poison, 13, 10]), Buffer.from(after)]);
        const pieces = cutAt(input, cutsFor(input.length, raw));
        const ours = parsePieces(pieces);
        const theirs = oracle(pieces);
        expect(ours.requests).to.deep.equal(theirs.requests);
        expect(ours.error).to.equal(`ERR Protocol error: expected '$', got '${String.fromCharCode(poison)}'`);
        expect(theirs.error?.message).to.equal(`Protocol error, got ${JSON.stringify(String.fromCharCode(poison))} as reply type byte`);
      }),
      { numRuns: RUNS },
    );
  });

  it('a NUL where $ is due: redis-parser fails, Redis and ringcache wait for a line end they cannot see', () => {
    fc.assert(
      fc.property(requests, fc.uint8Array({ maxLength: 200 }), rawCuts, (before, after, raw) => {
        const input = Buffer.concat([encode(before), Buffer.from('*1\r\n\0\r\n', 'latin1'), Buffer.from(after)]);
        const pieces = cutAt(input, cutsFor(input.length, raw));
        const ours = parsePieces(pieces);
        const theirs = oracle(pieces);
        expect(ours.requests).to.deep.equal(theirs.requests);
        expect(theirs.error?.message).to.equal('Protocol error, got "\\u0000" as reply type byte');
        expect(ours.error).to.equal(null);
      }),
      { numRuns: 100 },
    );
  });

  it('any byte stream: only protocol errors, and the same outcome however it is cut', () => {
    const protocolByte = fc.oneof(
      { arbitrary: fc.constantFrom(...Buffer.from('*$\r\n0123456789-+ "\'\\x:\t', 'latin1')), weight: 6 },
      { arbitrary: fc.constantFrom(0, 0xff, 0x0b, 0x0c), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 2 },
    );
    const stream = fc.oneof(
      fc.array(protocolByte, { maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.tuple(smallRequests, fc.array(protocolByte, { maxLength: 80 }), smallRequests).map(([a, junk, b]) =>
        Buffer.concat([encode(a), Buffer.from(junk), encode(b)]),
      ),
    );
    fc.assert(
      fc.property(stream, rawCuts, (input, raw) => {
        const whole = parsePieces([input]);
        const cut = parsePieces(cutAt(input, cutsFor(input.length, raw)));
        expect(cut.requests).to.deep.equal(whole.requests);
        expect(cut.error).to.equal(whole.error);
      }),
      { numRuns: 1000 },
    );
  });
});
