// The request parser against redis-parser on the same pipelined byte streams, cut into 64 KB
// chunks at arbitrary points as a socket delivers them. redis-parser is asked for Buffers and
// each argument is then copied out as a latin1 string, because that is what the server must
// store (a subarray would pin the socket chunk); its utf8-string mode is shown for reference
// only, since it corrupts non-UTF-8 bytes.

import RedisParser from 'redis-parser';
import { RequestParser } from '../../src/protocol/request-parser.js';
import { encodeCommand } from '../lib/resp-client.js';
import { measure, type MicroOptions, type MicroResult } from './harness.js';

const CHUNK = 64 * 1024;

export interface Stream {
  name: string;
  chunks: Buffer[];
  commands: number;
  bytes: number;
}

function chunked(name: string, commands: string[][]): Stream {
  const whole = Buffer.from(commands.map(encodeCommand).join(''), 'latin1');
  const chunks: Buffer[] = [];
  for (let off = 0; off < whole.length; off += CHUNK) chunks.push(whole.subarray(off, off + CHUNK));
  return { name, chunks, commands: commands.length, bytes: whole.length };
}

const key = (i: number): string => `key:${String(i).padStart(12, '0')}`;

export function streams(): Stream[] {
  const small: string[][] = [];
  for (let i = 0; i < 50_000; i++) {
    small.push(['SET', key(i), 'xxx']);
    small.push(['GET', key(i)]);
  }
  const mget: string[][] = [];
  for (let i = 0; i < 10_000; i++) mget.push(['MGET', ...Array.from({ length: 10 }, (_, j) => key(i * 10 + j))]);
  const kilobyte = 'k'.repeat(1024);
  const medium: string[][] = Array.from({ length: 20_000 }, (_, i) => ['SET', key(i), kilobyte]);
  const big = 'b'.repeat(100 * 1024);
  const large: string[][] = Array.from({ length: 300 }, (_, i) => ['SET', key(i), big]);
  return [
    chunked('SET+GET, 3 B values, pipelined', small),
    chunked('MGET 10 keys, pipelined', mget),
    chunked('SET, 1 KB values', medium),
    chunked('SET, 100 KB values', large),
  ];
}

const LIMITS = { maxBulkLen: 512 * 2 ** 20, queryBufferLimit: 2 ** 30 };

export function parseWithRequestParser(stream: Stream): number {
  const parser = new RequestParser(LIMITS);
  let count = 0;
  for (const chunk of stream.chunks) {
    parser.feed(chunk);
    while (parser.next() !== null) count++;
  }
  return count;
}

export function parseWithRedisParser(stream: Stream, latin1Copies: boolean): number {
  let count = 0;
  const parser = new RedisParser({
    returnBuffers: latin1Copies,
    returnReply: (reply) => {
      if (latin1Copies) {
        const parts = reply as Buffer[];
        const args = new Array<string>(parts.length);
        for (let i = 0; i < parts.length; i++) args[i] = parts[i].toString('latin1');
      }
      count++;
    },
    returnError: (err) => {
      throw err;
    },
  });
  for (const chunk of stream.chunks) parser.execute(chunk);
  return count;
}

export function parserBenchmarks(options: MicroOptions): { stream: Stream; ours: MicroResult; reference: MicroResult; utf8: MicroResult }[] {
  const out = [];
  for (const stream of streams()) {
    const counts = [parseWithRequestParser(stream), parseWithRedisParser(stream, true), parseWithRedisParser(stream, false)];
    if (counts.some((c) => c !== stream.commands)) throw new Error(`${stream.name}: parsers disagree on the count: ${counts.join(', ')}`);
    const work = (parse: (s: Stream) => number) => () => ({ ops: parse(stream), bytes: stream.bytes });
    out.push({
      stream,
      ours: measure('RequestParser', work(parseWithRequestParser), options),
      reference: measure('redis-parser, Buffers copied to latin1', work((s) => parseWithRedisParser(s, true)), options),
      utf8: measure('redis-parser, utf8 strings (lossy)', work((s) => parseWithRedisParser(s, false)), options),
    });
  }
  return out;
}
