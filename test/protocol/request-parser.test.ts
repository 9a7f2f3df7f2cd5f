// Every case here was first sent to a real redis-server 7.0.15 over a raw socket; the expected
// requests and error texts are what it did (the same inputs run against both servers again in
// test/differential/protocol-errors.test.ts). Each case is fed whole, byte by byte, and cut in two
// at every offset (a spread sample of offsets for inputs over 2 KB): the outcome must not depend
// on how TCP splits the bytes.

import { expect } from 'chai';
import {
  byteByByte,
  bytes,
  cutAt,
  parsePieces,
  twoPieceCuts,
  type ParseOptions,
  type ParseOutcome,
} from './parse-helpers.js';
import { RequestParser } from '../../src/protocol/request-parser.js';

interface Expected {
  requests: string[][];
  /** The error text, or null when Redis accepts the input (and may still wait for more). */
  error?: string | null;
}

function outcomeOf(o: ParseOutcome): Expected {
  return { requests: o.requests, error: o.error };
}

function checkAllSplits(input: Buffer, expected: Expected, options: ParseOptions = {}): void {
  const want = { requests: expected.requests, error: expected.error ?? null };
  expect(outcomeOf(parsePieces([input], options)), 'fed whole').to.deep.equal(want);
  expect(outcomeOf(parsePieces(byteByByte(input), options)), 'fed byte by byte').to.deep.equal(want);
  for (const cut of twoPieceCuts(input)) {
    const got = outcomeOf(parsePieces(cutAt(input, [cut]), options));
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      expect(got, `cut at offset ${cut}`).to.deep.equal(want);
    }
  }
}

function parses(title: string, input: string | Buffer, expected: Expected, options: ParseOptions = {}): void {
  it(title, () => checkAllSplits(typeof input === 'string' ? bytes(input) : input, expected, options));
}

const PING = ['PING'];
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');

function multibulk(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

describe('request parser', () => {
  describe('multibulk requests', () => {
    parses('one request', '*1\r\n$4\r\nPING\r\n', { requests: [PING] });
    parses('arguments with an empty string', '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n', { requests: [['SET', 'k', '']] });
    parses('a pipeline, in order', multibulk('SET', 'a', '1') + multibulk('GET', 'a') + multibulk('PING'), {
      requests: [['SET', 'a', '1'], ['GET', 'a'], PING],
    });
    parses('every byte value 0x00-0xff inside a bulk, CR and LF included', multibulk('ECHO', ALL_BYTES), {
      requests: [['ECHO', ALL_BYTES]],
    });
    parses('a bulk made only of CRLFs', multibulk('ECHO', '\r\n\r\n'), { requests: [['ECHO', '\r\n\r\n']] });
    // Arguments up to 16 bytes are built in JS and longer ones by Buffer's binding: every length
    // on both sides of that boundary, each with high bytes, NUL, CR and LF in it.
    const sized = Array.from({ length: 40 }, (_, n) =>
      Buffer.from(Array.from({ length: n }, (_, j) => [255, 0, 13, 10, 128][j] ?? (n * 37 + j * 101) % 256)).toString('latin1'),
    );
    parses('arguments of 0-39 bytes, cut at every offset', multibulk(...sized), { requests: [sized] });
    parses('*0 and negative counts are skipped', '*0\r\n*-1\r\n*-5\r\n*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n', {
      requests: [PING],
    });
    parses('the two bytes after a bulk are skipped unchecked', '*1\r\n$4\r\nPINGxx', { requests: [PING] });
    parses('then the next request starts right after them', '*1\r\n$4\r\nPINGxxPING\r\n', { requests: [PING, PING] });
    parses('a CR ends the count line; the byte after it is skipped unseen', '*1\r$4\r\nPING\r\n', {
      requests: [],
      error: "ERR Protocol error: expected '$', got '4'",
    });
    parses('a partial request waits', '*2\r\n$4\r\nECHO\r\n$5\r\nhel', { requests: [] });
    parses('a count line without its LF waits', '*1\r', { requests: [] });
    parses('a huge but valid count waits for its arguments', '*2147483647\r\n$4\r\nPING\r\n', { requests: [] });
    parses('a NUL before the CR hides it, as strchr does: Redis waits', '*1\0\r\n$4\r\nPING\r\n', { requests: [] });
    parses('the same in a bulk length line', '*1\r\n$4\0\r\nPING\r\n', { requests: [] });
    parses('mixed with inline requests', 'PING\r\n' + multibulk('ECHO', 'x') + 'ECHO y\r\n', {
      requests: [PING, ['ECHO', 'x'], ['ECHO', 'y']],
    });
  });

  describe('invalid multibulk length', () => {
    const error = 'ERR Protocol error: invalid multibulk length';
    for (const count of ['x', '01', '+1', '-0', '', '1 ', ' 1', '1x', '2147483648', '-9223372036854775809', '9223372036854775808', '99999999999999999999']) {
      parses(`*${count}`, `*${count}\r\n$4\r\nPING\r\n`, { requests: [], error });
    }
    parses('an LF alone does not end the count line', '*1\n$4\r\nPING\r\n', { requests: [], error });
    parses('after the requests before it', '*1\r\n$4\r\nPING\r\n*x\r\n', { requests: [PING], error });
  });

  describe('invalid bulk length', () => {
    const error = 'ERR Protocol error: invalid bulk length';
    for (const len of ['-1', 'x', '', '-0', '04', '+4', '4 ', '536870913', '9223372036854775808']) {
      parses(`$${len}`, `*1\r\n$${len}\r\nPING\r\n`, { requests: [], error });
    }
    parses('a 65530-digit length', `*1\r\n$${'9'.repeat(65530)}\r\n`, { requests: [], error });
    // A documented difference: Redis accepts up to proto-max-bulk-len (536870912 by default), but
    // a JS string holds at most 536870888 chars (buffer.constants.MAX_STRING_LENGTH).
    parses('$536870888, the longest JS string, is accepted and waits', '*1\r\n$536870888\r\n', { requests: [] });
    parses('$536870889 is refused although Redis would wait for it', '*1\r\n$536870889\r\n', { requests: [], error });
    parses('over a lowered proto-max-bulk-len', '*1\r\n$1048577\r\n', { requests: [], error }, { limits: { maxBulkLen: 1048576 } });
    parses('at a lowered proto-max-bulk-len', '*1\r\n$1048576\r\n', { requests: [] }, { limits: { maxBulkLen: 1048576 } });
  });

  describe("expected '$'", () => {
    parses("names the byte found instead of '$'", '*1\r\nx\r\n', { requests: [], error: "ERR Protocol error: expected '$', got 'x'" });
    parses('waits for the whole line before judging it', '*1\r\nx', { requests: [] });
    parses('an empty line: the CR itself', '*1\r\n\r\nPING\r\n', {
      requests: [],
      error: "ERR Protocol error: expected '$', got '\r'",
    });
    parses('an LF', '*1\r\n\nx\r\n', { requests: [], error: "ERR Protocol error: expected '$', got '\n'" });
    parses('a high byte', '*1\r\n\xff\r\n', { requests: [], error: "ERR Protocol error: expected '$', got '\xff'" });
    parses('a nested array', '*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\na\r\n', { requests: [], error: "ERR Protocol error: expected '$', got '*'" });
    parses('a count that promised more arguments than came', '*2\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n', {
      requests: [],
      error: "ERR Protocol error: expected '$', got '*'",
    });
  });

  describe('too big count strings', () => {
    parses('a * line of more than 64 KB', `*${'1'.repeat(70000)}`, { requests: [], error: 'ERR Protocol error: too big mbulk count string' });
    parses('a $ line of more than 64 KB', `*1\r\n$${'1'.repeat(70000)}`, { requests: [], error: 'ERR Protocol error: too big bulk count string' });
    parses("a 64 KB line not starting with '$' is too big before it is unexpected", `*1\r\nx${'y'.repeat(70000)}`, {
      requests: [],
      error: 'ERR Protocol error: too big bulk count string',
    });
    parses('a NUL-blocked count line grows until it is too big', `*1\0${'1'.repeat(70000)}\r\n`, {
      requests: [],
      error: 'ERR Protocol error: too big mbulk count string',
    });
    parses('a 64 KB count line that has ended is only invalid', `*${'1'.repeat(65530)}\r\n`, {
      requests: [],
      error: 'ERR Protocol error: invalid multibulk length',
    });
  });

  describe('inline requests', () => {
    parses('CRLF', 'PING\r\n', { requests: [PING] });
    parses('LF alone', 'PING\n', { requests: [PING] });
    parses('leading and repeated blanks', ' \t PING  \r\n', { requests: [PING] });
    parses('empty lines are skipped', '\r\n\n   \r\nPING\r\n', { requests: [PING] });
    parses('without a line end it waits', 'PING', { requests: [] });
    parses('a CR inside the line separates arguments', 'ECHO a\rb\r\n', { requests: [['ECHO', 'a', 'b']] });
    parses('\\v and \\f do not end a word', 'ECHO a\vb c\fd\r\n', { requests: [['ECHO', 'a\vb', 'c\fd']] });
    parses('but are skipped between words', 'ECHO \v\f a\r\n', { requests: [['ECHO', 'a']] });
    parses('high bytes pass through', 'ECHO \xff\x80\r\n', { requests: [['ECHO', '\xff\x80']] });
    parses('a NUL hides the line end: Redis waits', 'PI\0NG\r\nPING\r\n', { requests: [] });
    parses('double quotes with \\x escapes', 'ECHO "a\\x00b\\xFf"\r\n', { requests: [['ECHO', 'a\0b\xff']] });
    parses('C escapes; unknown escapes keep the letter', 'ECHO "\\n\\r\\t\\b\\a\\z\\\\\\""\r\n', {
      requests: [['ECHO', '\n\r\t\b\x07z\\"']],
    });
    parses('a short or non-hex \\x is a plain x', 'ECHO "\\x4" "\\xZZ"\r\n', { requests: [['ECHO', 'x4', 'xZZ']] });
    parses('single quotes: only \\\' is an escape', "ECHO 'a\\'b' 'c\\nd'\r\n", { requests: [['ECHO', "a'b", 'c\\nd']] });
    parses('empty quoted strings', 'SET "" \'\'\r\n', { requests: [['SET', '', '']] });
    parses('quotes in the middle of a word', 'ECHO a"b c"\r\n', { requests: [['ECHO', 'ab c']] });
    parses('a closing quote followed by a blank', 'ECHO "a"\tb "c"\v\r\n', { requests: [['ECHO', 'a', 'b', 'c']] });
    parses('a request after an inline one', 'PING\r\n*1\r\n$4\r\nPING\r\n', { requests: [PING, PING] });
  });

  describe('unbalanced quotes', () => {
    const error = 'ERR Protocol error: unbalanced quotes in request';
    parses('an unterminated double quote', '"a\r\n', { requests: [], error });
    parses('an unterminated single quote', "ECHO 'abc\r\n", { requests: [], error });
    parses('a closing quote followed by a letter', 'ECHO "a"b\r\n', { requests: [], error });
    parses('the same with single quotes', "ECHO ''x\r\n", { requests: [], error });
    parses('a backslash escaping the closing quote', 'ECHO "a\\"\r\n', { requests: [], error });
    parses('after the requests before it', 'PING\r\nECHO "\r\n', { requests: [PING], error });
  });

  describe('too big inline request', () => {
    const error = 'ERR Protocol error: too big inline request';
    parses('more than 64 KB without a line end', 'x'.repeat(70000), { requests: [], error });
    parses('after a request in the same read', '*1\r\n$4\r\nPING\r\n' + 'x'.repeat(70000), { requests: [PING], error });
    parses('a NUL-blocked line grows until it is too big', 'PI\0NG\r\n' + 'x'.repeat(70000), { requests: [], error });
    parses('64 KB exactly still waits', 'x'.repeat(65536), { requests: [] });
  });

  describe('before authentication', () => {
    const auth = { unauthenticated: true };
    parses('more than 10 arguments', '*11\r\n', { requests: [], error: 'ERR Protocol error: unauthenticated multibulk length' }, auth);
    parses('10 arguments wait', '*10\r\n', { requests: [] }, auth);
    parses('a bulk over 16 KB', '*1\r\n$16385\r\n', { requests: [], error: 'ERR Protocol error: unauthenticated bulk length' }, auth);
    parses('16 KB waits', '*1\r\n$16384\r\n', { requests: [] }, auth);
    parses('an invalid count is invalid first', '*2147483648\r\n', { requests: [], error: 'ERR Protocol error: invalid multibulk length' }, auth);
    parses('an invalid length is invalid first', '*1\r\n$-1\r\n', { requests: [], error: 'ERR Protocol error: invalid bulk length' }, auth);
    parses('inline requests have no such limit', 'ECHO 1 2 3 4 5 6 7 8 9 10 11\r\n', {
      requests: [['ECHO', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']],
    }, auth);

    it('is judged per request: the limit lifts for the requests after AUTH succeeds', () => {
      const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
      parser.unauthenticated = true;
      parser.feed(bytes(multibulk('AUTH', 'pw') + '*11\r\n'));
      expect(parser.next()).to.deep.equal(['AUTH', 'pw']);
      parser.unauthenticated = false;
      expect(parser.next()).to.equal(null);
    });
  });

  describe('big bulks', () => {
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const value = big.toString('latin1');
    const input = bytes(multibulk('SET', 'k', value) + multibulk('GET', 'k'));

    it('a 100 KB bulk of all byte values comes out intact, however it is cut', () => {
      checkAllSplits(input, { requests: [['SET', 'k', value], ['GET', 'k']] });
    });

    it('arrives intact in many small random pieces', () => {
      let seed = 7;
      const cuts = new Set<number>();
      while (cuts.size < 300) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        cuts.add(1 + (seed % (input.length - 1)));
      }
      const out = parsePieces(cutAt(input, [...cuts].sort((a, b) => a - b)));
      expect(out.error).to.equal(null);
      expect(out.requests).to.deep.equal([['SET', 'k', value], ['GET', 'k']]);
      expect(out.pending).to.equal(0);
    });

    it('a declared 500 MB bulk followed by nothing allocates nothing of that size', () => {
      const before = process.memoryUsage().arrayBuffers;
      const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
      parser.feed(bytes(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${500 * 1024 * 1024}\r\n`));
      expect(parser.next()).to.equal(null);
      parser.feed(Buffer.alloc(1000, 0x61));
      expect(parser.next()).to.equal(null);
      expect(parser.pendingBytes).to.equal(1000);
      expect(process.memoryUsage().arrayBuffers - before).to.be.below(50 * 1024 * 1024);
    });

    it('gathers big bulks one after another in one batch, each intact whatever room the last one left', () => {
      const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
      const first = Buffer.alloc(100_000);
      const second = Buffer.alloc(300_000);
      for (let i = 0; i < first.length; i++) first[i] = (i * 31) & 0xff;
      for (let i = 0; i < second.length; i++) second[i] = (i * 17 + 5) & 0xff;
      parser.feed(Buffer.concat([bytes('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$100000\r\n'), first.subarray(0, 50_000)]));
      expect(parser.next()).to.equal(null);
      // The first bulk ends mid-read; 200 KB of the second arrive with it, before it is parsed.
      parser.feed(Buffer.concat([first.subarray(50_000), bytes('\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$300000\r\n'), second.subarray(0, 200_000)]));
      expect(parser.next()).to.deep.equal(['SET', 'a', first.toString('latin1')]);
      expect(parser.next()).to.equal(null);
      expect(parser.pendingBytes).to.equal(200_000);
      parser.feed(Buffer.concat([second.subarray(200_000), bytes('\r\n')]));
      expect(parser.next()).to.deep.equal(['SET', 'b', second.toString('latin1')]);
      expect(parser.next()).to.equal(null);
      expect(parser.pendingBytes).to.equal(0);
    });

    it('keeps the gather buffer for the next big bulk until a trim finds it unused, or a shrink', () => {
      const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
      const send = (n: number): void => {
        parser.feed(bytes(`*2\r\n$4\r\nECHO\r\n$${n}\r\n` + 'a'.repeat(100)));
        expect(parser.next()).to.equal(null);
        parser.feed(bytes('b'.repeat(n - 100) + '\r\n'));
        expect(parser.next()).to.deep.equal(['ECHO', 'a'.repeat(100) + 'b'.repeat(n - 100)]);
      };
      send(40_000);
      expect(parser.keptBytes).to.equal(40_002);
      parser.trim();
      expect(parser.keptBytes, 'used since the last trim').to.equal(40_002);
      parser.trim();
      expect(parser.keptBytes, 'unused since the last trim').to.equal(0);
      send(50_000);
      expect(parser.keptBytes).to.equal(50_002);
      parser.shrink();
      expect(parser.keptBytes).to.equal(0);
      // Over 1 MB: not kept at all.
      send(1_100_000);
      expect(parser.keptBytes).to.equal(0);
    });

    it('counts a big bulk still arriving as pending bytes', () => {
      const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
      parser.feed(bytes('*2\r\n$4\r\nECHO\r\n$40000\r\n' + 'a'.repeat(1000)));
      expect(parser.next()).to.equal(null);
      parser.feed(Buffer.alloc(20000, 0x62));
      expect(parser.pendingBytes).to.equal(21000);
      parser.feed(Buffer.concat([Buffer.alloc(19000, 0x63), bytes('\r\n*1\r\n$4\r\nPING\r\n')]));
      expect(parser.next()).to.deep.equal(['ECHO', 'a'.repeat(1000) + 'b'.repeat(20000) + 'c'.repeat(19000)]);
      expect(parser.next()).to.deep.equal(PING);
      expect(parser.next()).to.equal(null);
      expect(parser.pendingBytes).to.equal(0);
    });
  });

  describe('client-query-buffer-limit', () => {
    const limits = { queryBufferLimit: 1024 * 1024 };

    it('drops the client without a reply once its unparsed bytes pass the limit', () => {
      const header = bytes('*2\r\n$4\r\nECHO\r\n$1500000\r\n');
      const out = parsePieces([header, Buffer.alloc(600_000, 0x78), Buffer.alloc(500_000, 0x78)], { limits });
      expect(out.requests).to.deep.equal([]);
      expect(out.error).to.equal('query buffer limit reached');
      expect(out.errorReplied).to.equal(false);
    });

    it('counts a big bulk with its CRLF, alone: one byte over drops the client', () => {
      const echo = (n: number): Buffer[] => [bytes(`*2\r\n$4\r\nECHO\r\n$${n}\r\n`), Buffer.alloc(n, 0x78), bytes('\r\nPING\r\n')];
      const over = parsePieces(echo(1048575), { limits });
      expect([over.error, over.errorReplied]).to.deep.equal(['query buffer limit reached', false]);
      const exact = parsePieces(echo(1048574), { limits });
      expect(exact.error).to.equal(null);
      expect(exact.requests).to.deep.equal([['ECHO', 'x'.repeat(1048574)], PING]);
    });

    it('lets a request within the limit through', () => {
      const value = 'x'.repeat(1_000_000);
      const out = parsePieces([bytes(multibulk('ECHO', value))], { limits });
      expect(out.error).to.equal(null);
      expect(out.requests).to.deep.equal([['ECHO', value]]);
    });
  });

  it('reads bulks in the middle of a reused buffer after many small reads', () => {
    const parser = new RequestParser({ maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1 << 30 });
    const input = bytes(multibulk('SET', 'key', 'v'.repeat(5000)).repeat(20));
    const got: string[][] = [];
    for (let i = 0; i < input.length; i += 3) {
      parser.feed(Buffer.from(input.subarray(i, i + 3)));
      for (let req = parser.next(); req !== null; req = parser.next()) got.push(req);
    }
    expect(got).to.have.length(20);
    for (const req of got) expect(req).to.deep.equal(['SET', 'key', 'v'.repeat(5000)]);
  });
});
