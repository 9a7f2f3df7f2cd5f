// The reply writer on the replies the hot path sends, taken out the way the connection takes
// them: after every reply (no pipelining) or after every 16 (redis-benchmark -P 16). The
// baseline builds the same bytes as one JS string and converts it once per take, the obvious
// alternative to a byte buffer.

import { ReplyWriter } from '../../src/protocol/reply-writer.js';
import { measure, type MicroOptions, type MicroResult } from './harness.js';

interface ReplyCase {
  name: string;
  write: (w: ReplyWriter) => void;
  text: () => string;
}

const v3 = 'xxx';
const v32 = 'v'.repeat(32);
const v1k = 'k'.repeat(1024);
const ten = Array.from({ length: 10 }, () => v3);

const CASES: ReplyCase[] = [
  { name: '+OK', write: (w) => w.ok(), text: () => '+OK\r\n' },
  { name: 'bulk 3 B', write: (w) => w.bulk(v3), text: () => `$${v3.length}\r\n${v3}\r\n` },
  { name: 'bulk 32 B', write: (w) => w.bulk(v32), text: () => `$${v32.length}\r\n${v32}\r\n` },
  { name: 'bulk 1 KB', write: (w) => w.bulk(v1k), text: () => `$${v1k.length}\r\n${v1k}\r\n` },
  { name: 'integer', write: (w) => w.integer(123456), text: () => `:${123456}\r\n` },
  { name: 'null bulk', write: (w) => w.nullBulk(), text: () => '$-1\r\n' },
  {
    name: 'array of 10 bulks (MGET)',
    write: (w) => w.bulkArray(ten),
    text: () => {
      let s = `*${ten.length}\r\n`;
      for (const item of ten) s += `$${item.length}\r\n${item}\r\n`;
      return s;
    },
  },
];

const REPLIES_PER_RUN = 16_384;

function writerRun(c: ReplyCase, perTake: number): () => { ops: number; bytes: number } {
  const w = new ReplyWriter();
  return () => {
    let bytes = 0;
    for (let i = 0; i < REPLIES_PER_RUN; i += perTake) {
      for (let j = 0; j < perTake; j++) c.write(w);
      bytes += (w.take() as Buffer).length;
    }
    return { ops: REPLIES_PER_RUN, bytes };
  };
}

function stringRun(c: ReplyCase, perTake: number): () => { ops: number; bytes: number } {
  return () => {
    let bytes = 0;
    for (let i = 0; i < REPLIES_PER_RUN; i += perTake) {
      let s = '';
      for (let j = 0; j < perTake; j++) s += c.text();
      bytes += Buffer.from(s, 'latin1').length;
    }
    return { ops: REPLIES_PER_RUN, bytes };
  };
}

export function writerBenchmarks(options: MicroOptions): { name: string; perTake: number; ours: MicroResult; baseline: MicroResult }[] {
  const out = [];
  for (const perTake of [1, 16]) {
    for (const c of CASES) {
      out.push({
        name: c.name,
        perTake,
        ours: measure('ReplyWriter', writerRun(c, perTake), options),
        baseline: measure('string + Buffer.from', stringRun(c, perTake), options),
      });
    }
  }
  return out;
}
