// Random bytes over TCP on many connections at once. While 80 connections send seeded garbage
// (pure random bytes, mutated RESP with bad and huge lengths, inline commands with quotes and NULs,
// lines past the inline limit, pipelines nobody reads) in random chunks with random pauses, some
// hanging up mid-stream, a well-behaved client keeps writing and reading its own keys, and a set
// of crafted inputs must get Redis's exact replies. Afterwards the server answers PING, every key
// written before the storm holds its exact bytes, every fuzz connection is gone from INFO clients,
// and nothing was thrown outside a handler.
//
// The fuzzers only ever name keys under `fz:`: they may create keys, never touch the good ones.

import { expect } from 'chai';
import net from 'node:net';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { seeded } from '../../benchmarks/eviction/traces.js';
import { RawClient } from '../helpers/raw-client.js';
import { encodeCommand } from '../helpers/resp-reader.js';

/** FUZZ_SEED=n replays (or explores) another storm; the test's title names the seed it used. */
const SEED = Number(process.env.FUZZ_SEED ?? 20240917);
const FUZZERS = 80;
/** A client that never reads is dropped once this much reply waits for it. */
const OUTPUT_LIMIT = 256 * 1024;

type Random = () => number;

const int = (rnd: Random, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function randomBytes(rnd: Random, n: number): Buffer {
  const out = Buffer.alloc(n);
  // Half the bytes from the ones the protocol cares about, so the parser goes deep, not just wide.
  const special = Buffer.from('*$\r\n\r\n-+:0123456789 "\'\\\x00', 'latin1');
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.5 ? special[int(rnd, 0, special.length - 1)] : int(rnd, 0, 255);
  return out;
}

function fuzzValue(rnd: Random): string {
  return pick(rnd, [
    () => randomBytes(rnd, int(rnd, 0, 40)).toString('latin1'),
    () => 'v'.repeat(int(rnd, 0, 3000)),
    () => String(int(rnd, -1000, 1000)),
    () => '\x00\xff\r\n',
  ])();
}

/** A valid command that can only touch `fz:` keys. */
function safeCommand(rnd: Random): string[] {
  const key = `fz:${int(rnd, 0, 9)}`;
  return pick(rnd, [
    () => ['SET', key, fuzzValue(rnd)],
    () => ['GET', key],
    () => ['APPEND', key, fuzzValue(rnd)],
    () => ['INCR', key],
    () => ['ECHO', fuzzValue(rnd)],
    () => ['PING'],
    () => ['MGET', key, `fz:${int(rnd, 0, 9)}`],
    () => ['STRLEN', key],
    () => ['EXISTS', key, key],
  ])();
}

/** Valid requests with a few corruptions: lengths, counts, nesting, cuts, flipped and NUL bytes. */
function mutatedResp(rnd: Random): Buffer {
  let text = Array.from({ length: int(rnd, 1, 12) }, () => encodeCommand(safeCommand(rnd)).toString('latin1')).join('');
  const mutations = int(rnd, 1, 4);
  for (let m = 0; m < mutations; m++) {
    const at = int(rnd, 0, text.length);
    const insert = pick(rnd, [
      '$2147483648\r\n', '$-1\r\n', '$-7\r\n', '$x\r\n', '$\r\n', '$536870913\r\n', '$104857600\r\n',
      '*2147483648\r\n', '*-5\r\n', '*0\r\n', '*1\r\n*1\r\n', '*3\r\n$3\r\n', '*x\r\n', '\r\n', '\n', '\r', '\x00', '*', '$',
      `*1\r\n$${'9'.repeat(int(rnd, 1, 25))}\r\n`,
    ]);
    switch (int(rnd, 0, 3)) {
      case 0:
        text = text.slice(0, at) + insert + text.slice(at);
        break;
      case 1: // overwrite a digit run: a length or count that lies
        text = text.replace(/\d+/, String(int(rnd, 0, 1) === 0 ? int(rnd, 0, 99) : pick(rnd, ['2147483648', '-2', '9223372036854775808'])));
        break;
      case 2: // flip one byte
        if (text.length > 0) text = text.slice(0, at) + String.fromCharCode(int(rnd, 0, 255)) + text.slice(at + 1);
        break;
      default: // cut short: the server must wait, then see the hang-up
        text = text.slice(0, at);
    }
  }
  return Buffer.from(text, 'latin1');
}

/** Inline requests: quotes, escapes, NULs, blank lines, and now and then a line past 64 KB. */
function inlineGarbage(rnd: Random): Buffer {
  const lines: string[] = [];
  for (let i = int(rnd, 1, 10); i > 0; i--) {
    const words = Array.from({ length: int(rnd, 0, 5) }, () =>
      pick(rnd, ['PING', 'ECHO', 'GET', 'SET', `fz:${int(rnd, 0, 9)}`, '"a b"', "'c\\'d'", '"\\x00\\xff\\r\\n"', '"unterminated', "'open", '"x"y', '\x00', 'x'.repeat(int(rnd, 0, 200)), randomBytes(rnd, 5).toString('latin1')]),
    );
    lines.push(words.join(pick(rnd, [' ', '  ', '\t'])) + pick(rnd, ['\r\n', '\n', '\r\n\r\n']));
  }
  if (rnd() < 0.1) lines.push('ECHO ' + 'y'.repeat(70_000));
  return Buffer.from(lines.join(''), 'latin1');
}

/** A pipeline of fat replies sent by a client that never reads: the output limit must cut it off. */
function replyFlood(rnd: Random): Buffer {
  const echo = encodeCommand(['ECHO', 'z'.repeat(int(rnd, 4000, 16000))]);
  return Buffer.concat(Array.from({ length: int(rnd, 20, 80) }, () => echo));
}

interface FuzzPlan {
  payload: Buffer;
  /** Hang up after this many chunks (abruptly, with a reset), or send everything. */
  abortAfter: number | null;
  reads: boolean;
}

function planFuzzer(rnd: Random): FuzzPlan {
  const kind = int(rnd, 0, 9);
  const payload =
    kind <= 2 ? randomBytes(rnd, int(rnd, 1, 8000))
    : kind <= 5 ? mutatedResp(rnd)
    : kind <= 7 ? inlineGarbage(rnd)
    : kind === 8 ? replyFlood(rnd)
    : Buffer.concat([Buffer.from(`*2\r\n$4\r\nECHO\r\n$${int(rnd, 1_000_000, 400_000_000)}\r\n`, 'latin1'), randomBytes(rnd, int(rnd, 0, 3000))]);
  return { payload, abortAfter: rnd() < 0.3 ? int(rnd, 0, 5) : null, reads: kind !== 8 && rnd() < 0.7 };
}

/**
 * Runs one fuzz connection to its end; resolves once the socket is closed. What it reads is not
 * judged: a server that closes on a protocol error while input is still arriving resets the
 * connection, and a reset may discard the error reply before the client reads it (Redis alike).
 * The crafted inputs below check the replies, sent whole so that no reset can hide them.
 */
function runFuzzer(port: number, rnd: Random): Promise<void> {
  const plan = planFuzzer(rnd);
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    if (plan.reads) socket.on('data', () => undefined);
    else socket.pause();
    socket.once('connect', async () => {
      let at = 0;
      let chunks = 0;
      // Big payloads (the reply floods) go in bigger chunks, so no connection takes long.
      const scale = Math.max(1, Math.ceil(plan.payload.length / 8000));
      while (at < plan.payload.length && !socket.destroyed) {
        if (plan.abortAfter !== null && chunks === plan.abortAfter) {
          socket.resetAndDestroy();
          return;
        }
        const size = int(rnd, 1, rnd() < 0.8 ? 64 : 4096) * scale;
        socket.write(plan.payload.subarray(at, at + size));
        at += size;
        chunks++;
        if (rnd() < 0.3) await sleep(int(rnd, 0, 5));
      }
      // Give the server time to answer (or to drop us), then leave: politely or not.
      await sleep(int(rnd, 0, 60));
      if (rnd() < 0.5) socket.destroy();
      else socket.end(() => socket.destroy());
    });
  });
}

/** What a crafted input gets back: everything until the server closes, or the expected bytes. */
function exchange(port: number, input: string, expected: string, closes: boolean): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ data, closed });
    };
    // Only an input the server neither answers in full nor closes on meets this (or a very busy machine).
    const timer = setTimeout(() => finish(false), 15000);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      // Wait a moment past the expected bytes, so an extra reply or a close is seen.
      if (!closes && data.length >= expected.length) setTimeout(() => finish(false), 50);
    });
    socket.on('close', () => finish(true));
    socket.write(Buffer.from(input, 'latin1'));
  });
}

const PING = '*1\r\n$4\r\nPING\r\n';

/** Inputs with one right answer, each checked byte for byte against redis-server 7.0.15. */
const CRAFTED: { input: string; reply: string; closes: boolean }[] = [
  { input: '*1\r\n$2147483648\r\n', reply: '-ERR Protocol error: invalid bulk length\r\n', closes: true },
  { input: '*2\r\n$3\r\nGET\r\n$-1\r\n', reply: '-ERR Protocol error: invalid bulk length\r\n', closes: true },
  { input: '*2147483648\r\n', reply: '-ERR Protocol error: invalid multibulk length\r\n', closes: true },
  { input: '*1\r\nx\r\n', reply: "-ERR Protocol error: expected '$', got 'x'\r\n", closes: true },
  { input: '*3\r\n$3\r\nSET\r\n$1\r\na\r\n*1\r\n', reply: "-ERR Protocol error: expected '$', got '*'\r\n", closes: true },
  { input: 'SET fz:q "a b\r\n', reply: '-ERR Protocol error: unbalanced quotes in request\r\n', closes: true },
  { input: 'x'.repeat(70_000), reply: '-ERR Protocol error: too big inline request\r\n', closes: true },
  { input: `*1\r\n$${'9'.repeat(70_000)}`, reply: '-ERR Protocol error: too big bulk count string\r\n', closes: true },
  { input: `*-2147483649\r\n${PING}`, reply: '+PONG\r\n', closes: false },
  { input: "ECHO 'x\\'y\" z'\r\nECHO \"a\\x00\\xffb\\r\\n\"\r\n", reply: '$6\r\nx\'y" z\r\n$6\r\na\x00\xffb\r\n\r\n', closes: false },
  { input: ':1\r\n', reply: "-ERR unknown command ':1', with args beginning with: \r\n", closes: false },
  { input: 'GET\r\n', reply: "-ERR wrong number of arguments for 'get' command\r\n", closes: false },
  { input: '*1\r\n$4\r\nPINGxx\r\n*0\r\n*-1\r\n', reply: '+PONG\r\n', closes: false },
  { input: '*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n', reply: '$3\r\na\x00b\r\n', closes: false },
];

function infoField(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  if (m === null) throw new Error(`no ${name} in INFO`);
  return m[1].trim();
}

/** The text of a bulk reply. */
function bulkText(reply: string): string {
  const m = /^\$(\d+)\r\n/.exec(reply);
  if (m === null) throw new Error(`not a bulk: ${JSON.stringify(reply.slice(0, 100))}`);
  return reply.slice(m[0].length, m[0].length + Number(m[1]));
}

describe('TCP random-bytes fuzz', function () {
  this.timeout(30000);
  let server: RingcacheServer | null = null;

  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it(`keeps serving and keeps its data through ${FUZZERS} garbage connections (seed ${SEED})`, async () => {
    const thrown: unknown[] = [];
    const record = (err: unknown): void => {
      thrown.push(err);
    };
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
    try {
      server = await startServer({ port: 0, config: { 'client-output-buffer-limit': `normal ${OUTPUT_LIMIT} 0 0` } });
      const port = server.port;
      const rnd = seeded(SEED);

      // Before: known keys, binary values among them, and one big one.
      const good = await RawClient.connect(port);
      const known = new Map<string, string>();
      for (let i = 0; i < 40; i++) known.set(`good:${i}`, randomBytes(rnd, int(rnd, 0, 300)).toString('latin1'));
      known.set('good:empty', '');
      known.set('good:crlf', '\r\n*1\r\n$4\r\nPING\r\n');
      known.set('good:big', randomBytes(rnd, 200_000).toString('latin1'));
      for (const [key, value] of known) expect(await good.call('SET', key, value)).to.equal('+OK\r\n');

      // During: the storm, the crafted inputs, and the good client's round trips.
      let storming = true;
      const storm = Promise.all(Array.from({ length: FUZZERS }, (_, i) => runFuzzer(port, seeded(SEED + 1 + i))));
      const crafted = Promise.all(CRAFTED.map((c) => exchange(port, c.input, c.reply, c.closes)));
      const roundTrips = (async (): Promise<number> => {
        const live = await RawClient.connect(port);
        let n = 0;
        while (storming || n < 10) {
          const value = `${n}:\x00\xff:${'w'.repeat(n % 500)}`;
          expect(await live.call('SET', `good:live:${n % 20}`, value)).to.equal('+OK\r\n');
          expect(await live.call('GET', `good:live:${n % 20}`)).to.equal(`$${value.length}\r\n${value}\r\n`);
          known.set(`good:live:${n % 20}`, value);
          n++;
        }
        await live.close();
        return n;
      })();
      const outcomes = await crafted;
      await storm;
      storming = false;
      const served = await roundTrips;

      for (let i = 0; i < CRAFTED.length; i++) {
        expect(outcomes[i], `crafted input ${JSON.stringify(CRAFTED[i].input.slice(0, 60))}`).to.deep.equal({ data: CRAFTED[i].reply, closed: CRAFTED[i].closes });
      }
      expect(served, 'round trips of the good client during the storm').to.be.at.least(10);

      // After: alive, data intact byte for byte, fuzz connections gone.
      expect(await good.call('PING')).to.equal('+PONG\r\n');
      for (const [key, value] of known) {
        const reply = await good.call('GET', key);
        expect(bulkText(reply) === value, `value of ${key}`).to.equal(true);
      }
      for (;;) {
        const clients = bulkText(await good.call('INFO', 'clients'));
        if (infoField(clients, 'connected_clients') === '1') break;
        await sleep(20);
      }
      expect(server.core.clients.size).to.equal(1);
      expect(thrown).to.deep.equal([]);
      await good.close();
    } finally {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    }
  });

  it('drops a client that never reads once its replies pass the output limit, and serves the others', async () => {
    server = await startServer({ port: 0, config: { 'client-output-buffer-limit': `normal ${OUTPUT_LIMIT} 0 0` } });
    const other = await RawClient.connect(server.port);
    const flood = net.connect({ port: server.port, host: '127.0.0.1' });
    flood.on('error', () => undefined);
    flood.pause();
    await new Promise<void>((resolve) => flood.once('connect', () => resolve()));
    // 64 MB of replies asked for, far past what the kernel buffers can hold for a paused reader.
    const echo = encodeCommand(['ECHO', 'z'.repeat(64 * 1024)]);
    for (let i = 0; i < 1024; i++) flood.write(echo);
    // The server must hang up on it by itself (the test's timeout bounds the wait).
    for (;;) {
      const clients = bulkText(await other.call('INFO', 'clients'));
      if (infoField(clients, 'connected_clients') === '1') break;
      await sleep(20);
    }
    flood.destroy();
    expect(await other.call('PING')).to.equal('+PONG\r\n');
    await other.close();
  });
});
