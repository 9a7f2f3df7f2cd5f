// Model-based tests of the string, keyspace and expiry commands: random command sequences run
// through ringcache and through a small independent reference model (reference-model.ts), and
// every raw reply must be the model's. Keys come from a small alphabet so that commands collide;
// values include NUL, 0xff, CRLF and numbers at the int64 limits; an ADVANCE step moves the fake
// clock of the server and of the model together, so expiry is exercised to the millisecond.
//
// A second property sends the same kind of sequences, minus the clock steps and anything that
// would expire during the run, to a real redis-server and to a ringcache server over sockets and
// compares the bytes: the model checks ringcache, and redis-server checks both.

import { expect } from 'chai';
import fc from 'fast-check';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { Session } from '../helpers/session.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { replyEnd } from '../helpers/resp-reader.js';
import { matchesExpect, ReferenceModel, showExpect } from './reference-model.js';

const DATABASES = 3;
const START_MS = 1_700_000_000_000;
const START_S = START_MS / 1000;
/** A pseudo-command of the sequences: moves both clocks, sends nothing. */
const ADVANCE = 'ADVANCE';

type Step = string[];

/** Which arguments the generators draw from: the fake-clock set, or one safe on a real clock. */
interface Pools {
  seconds: string[];
  millis: string[];
  unixSeconds: string[];
  unixMillis: string[];
  withClock: boolean;
}

const INT_EDGES = ['0', '1', '-1', '9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807'];
const NOT_INTEGERS = ['9223372036854775808', '-9223372036854775809', 'x', '', '007', '-0', '+1', ' 1', '1.5', '1e3'];

const FAKE_CLOCK_POOLS: Pools = {
  seconds: ['-9223372036854775808', '-9223372036854776', '-1', '0', '1', '2', '3', '10', '9223372036854775', '9223372036854776', '9223372036854775807', 'x', '1.5'],
  millis: ['-1', '0', '1', '499', '500', '501', '1000', '1500', '2000', '10000', '9223372036854775807', '9223372036854775806', '-9223372036854775808', 'x'],
  unixSeconds: ['0', '-1', '1', String(START_S - 1), String(START_S), String(START_S + 1), String(START_S + 2), String(START_S + 10), '9223372036854775', '9223372036854776'],
  unixMillis: ['0', '-1', '1', String(START_MS - 1000), String(START_MS), String(START_MS + 500), String(START_MS + 1000), String(START_MS + 2000), '9223372036854775807'],
  withClock: true,
};

// On a real clock nothing may expire while a sequence runs (both servers would reclaim the key at
// their own moment), and times stay far from any rounding edge: only far futures, the past (which
// deletes at once or is refused) and invalid values.
const REAL_CLOCK_POOLS: Pools = {
  seconds: ['-9223372036854775808', '-1', '0', '100000', '9223372036854775', '9223372036854776', 'x'],
  millis: ['-1', '0', '200000000', '9223372036854775807', 'x'],
  unixSeconds: ['0', '-1', '4000000000', '9223372036854776'],
  unixMillis: ['0', '-1', '4000000000000', '9223372036854775807'],
  withClock: false,
};

const keyArb = fc.constantFrom('a', 'b', 'c', '\x00', 'k\r\n', '\xff');

const valueArb = fc.oneof(
  fc.constantFrom('', 'v', 'hello', '\x00', '\xff\x00\r\n', '\r\n', '$-1', '*1'),
  fc.constantFrom(...INT_EDGES, ...NOT_INTEGERS, '42', '-42', '100'),
  fc.uint8Array({ maxLength: 10 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);

const incrementArb = fc.oneof(
  fc.constantFrom(...INT_EDGES, ...NOT_INTEGERS),
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);

const indexArb = fc.oneof(
  fc.integer({ min: -40, max: 40 }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', 'x', '-0'),
);

// 536870911 is left out on purpose: one byte there makes a 512 MB string, in both servers.
const offsetArb = fc.oneof(fc.integer({ min: 0, max: 30 }).map(String), fc.constantFrom('-1', '536870912', '9223372036854775807', 'x'));

const dbArb = fc.constantFrom('0', '1', '2', '3', '-1', '01', 'x', '2147483648');

/** Upper, lower or mixed case: options are case-insensitive in Redis. */
const caseArb = (word: string): fc.Arbitrary<string> => fc.constantFrom(word, word.toLowerCase(), word[0] + word.slice(1).toLowerCase());

function expireOptionArb(p: Pools, forSet: boolean): fc.Arbitrary<string[]> {
  const timed = fc.oneof(
    fc.tuple(caseArb('EX'), fc.constantFrom(...p.seconds)),
    fc.tuple(caseArb('PX'), fc.constantFrom(...p.millis)),
    fc.tuple(caseArb('EXAT'), fc.constantFrom(...p.unixSeconds)),
    fc.tuple(caseArb('PXAT'), fc.constantFrom(...p.unixMillis)),
  );
  const flags = forSet ? ['NX', 'XX', 'GET', 'KEEPTTL'] : ['PERSIST'];
  const broken = fc.constantFrom('BOGUS', 'EX').map((f) => [f]);
  return fc.oneof(timed, fc.constantFrom(...flags).map((f) => [f]), broken);
}

function stepArb(p: Pools): fc.Arbitrary<Step> {
  const options = (forSet: boolean, max: number): fc.Arbitrary<string[]> =>
    fc.array(expireOptionArb(p, forSet), { maxLength: max }).map((lists) => lists.flat());
  const expireFlags = fc.array(fc.constantFrom('NX', 'XX', 'GT', 'LT', 'nx', 'gt', 'FOO'), { maxLength: 2 });
  const keys = (min: number, max: number): fc.Arbitrary<string[]> => fc.array(keyArb, { minLength: min, maxLength: max });
  const commands: fc.Arbitrary<Step>[] = [
    fc.tuple(keyArb, valueArb, options(true, 2)).map(([k, v, o]) => ['SET', k, v, ...o]),
    keyArb.map((k) => ['GET', k]),
    fc.tuple(keyArb, valueArb).map(([k, v]) => ['GETSET', k, v]),
    keyArb.map((k) => ['GETDEL', k]),
    fc.tuple(keyArb, options(false, 2)).map(([k, o]) => ['GETEX', k, ...o]),
    fc.tuple(keyArb, valueArb).map(([k, v]) => ['APPEND', k, v]),
    keyArb.map((k) => ['STRLEN', k]),
    fc.tuple(fc.constantFrom('INCR', 'DECR'), keyArb).map(([c, k]) => [c, k]),
    fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), keyArb, incrementArb).map(([c, k, n]) => [c, k, n]),
    fc.tuple(keyArb, offsetArb, valueArb).map(([k, o, v]) => ['SETRANGE', k, o, v]),
    fc.tuple(keyArb, indexArb, indexArb).map(([k, s, e]) => ['GETRANGE', k, s, e]),
    fc.tuple(fc.constantFrom('MSET', 'MSETNX'), fc.array(fc.tuple(keyArb, valueArb), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([c, pairs, odd]) => [
      c,
      ...pairs.flat(),
      ...(odd ? ['dangling'] : []),
    ]),
    keys(1, 4).map((ks) => ['MGET', ...ks]),
    keys(1, 4).map((ks) => ['DEL', ...ks]),
    keys(1, 4).map((ks) => ['EXISTS', ...ks]),
    fc.tuple(keyArb, fc.constantFrom(...p.seconds), expireFlags).map(([k, t, f]) => ['EXPIRE', k, t, ...f]),
    fc.tuple(keyArb, fc.constantFrom(...p.millis), expireFlags).map(([k, t, f]) => ['PEXPIRE', k, t, ...f]),
    fc.tuple(fc.constantFrom('TTL', 'PTTL', 'PERSIST', 'TYPE'), keyArb).map(([c, k]) => [c, k]),
    fc.tuple(fc.constantFrom('RENAME', 'RENAMENX'), keyArb, keyArb).map(([c, s, d]) => [c, s, d]),
    fc
      .tuple(keyArb, keyArb, fc.array(fc.oneof(fc.constant(['REPLACE']), dbArb.map((d) => ['DB', d]), fc.constantFrom(['DB'], ['NOPE'])), { maxLength: 2 }))
      .map(([s, d, o]) => ['COPY', s, d, ...o.flat()]),
    fc.constant(['DBSIZE']),
    fc.constantFrom(['FLUSHDB'], ['FLUSHDB', 'ASYNC'], ['FLUSHDB', 'sync'], ['FLUSHDB', 'NOW']),
    dbArb.map((d) => ['SELECT', d]),
    fc.constantFrom(['MULTI'], ['EXEC'], ['DISCARD']),
    // Wrong arities: refused before running, and inside MULTI they doom the transaction.
    fc.constantFrom(['GET'], ['SET', 'a'], ['INCRBY', 'a'], ['EXPIRE', 'a'], ['SELECT'], ['DBSIZE', 'a'], ['TTL', 'a', 'b'], ['MULTI', 'x']),
  ];
  const weighted: fc.WeightedArbitrary<Step>[] = commands.map((arbitrary) => ({ arbitrary, weight: 3 }));
  // SET and the clock drive everything else, so they come up more often.
  weighted[0].weight = 12;
  if (p.withClock) {
    // Steps that add up to the generated TTLs land reads exactly on expiry milliseconds.
    weighted.push({ arbitrary: fc.constantFrom(1, 1, 500, 500, 1000, 1000, 999, 1001, 3000).map((ms) => [ADVANCE, String(ms)]), weight: 10 });
  }
  return fc.oneof(...weighted);
}

/** Splits `*<n>` of KEYS into its bulk strings. */
function bulksOf(reply: string): string[] {
  const header = /^\*(\d+)\r\n/.exec(reply);
  if (header === null) throw new Error(`not an array: ${JSON.stringify(reply)}`);
  const out: string[] = [];
  let at = header[0].length;
  for (let i = 0; i < Number(header[1]); i++) {
    const len = /^\$(\d+)\r\n/.exec(reply.slice(at));
    if (len === null) throw new Error(`not a bulk at ${at}: ${JSON.stringify(reply)}`);
    at += len[0].length;
    out.push(reply.slice(at, at + Number(len[1])));
    at += Number(len[1]) + 2;
  }
  return out;
}

function show(step: Step): string {
  return step.map((a) => (/^[\x21-\x7e]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** Runs a sequence in-process and against the model; throws at the first reply that differs. */
function checkAgainstModel(steps: Step[]): void {
  const s = new Session({ config: { databases: DATABASES } });
  s.clock.set(START_MS);
  const model = new ReferenceModel(DATABASES, BigInt(START_MS));
  const history: string[] = [];
  const compare = (step: Step): void => {
    const expected = model.run(step);
    const actual = s.call(...step);
    history.push(`${show(step)} -> ${JSON.stringify(actual)}`);
    if (!matchesExpect(actual, expected)) {
      throw new Error(`${show(step)}\n  model:     ${JSON.stringify(showExpect(expected))}\n  ringcache: ${JSON.stringify(actual)}\n  after:\n    ${history.slice(-12, -1).join('\n    ')}`);
    }
  };
  for (const step of steps) {
    if (step[0] === ADVANCE) {
      s.clock.advance(Number(step[1]));
      model.advance(Number(step[1]));
      history.push(`(clock +${step[1]} ms)`);
    } else {
      compare(step);
    }
  }
  // Close any transaction, then look at every database: its size, its keys, their values and TTLs.
  compare(['DISCARD']);
  for (let db = 0; db < DATABASES; db++) {
    compare(['SELECT', String(db)]);
    compare(['DBSIZE']);
    const keys = bulksOf(s.call('KEYS', '*')).sort();
    expect(keys, `KEYS * in db ${db}`).to.deep.equal(model.liveKeys(db));
    for (const key of keys) {
      compare(['GET', key]);
      compare(['PTTL', key]);
    }
  }
}

describe('command model: random sequences against a reference model', function () {
  this.timeout(60000);

  it('agrees on the string, keyspace, expiry and transaction commands reply for reply', () => {
    fc.assert(
      fc.property(fc.array(stepArb(FAKE_CLOCK_POOLS), { minLength: 1, maxLength: 50 }), (steps) => checkAgainstModel(steps)),
      { numRuns: 200 },
    );
  });

  it('agrees on sequences built on one key with expiry edges', () => {
    // Everything on one key, so each command sees the previous one's result.
    const oneKey = stepArb(FAKE_CLOCK_POOLS).map((step) => step.map((arg, i) => (i > 0 && ['a', 'b', 'c', '\x00', 'k\r\n', '\xff'].includes(arg) ? 'a' : arg)));
    fc.assert(
      fc.property(fc.array(oneKey, { minLength: 1, maxLength: 40 }), (steps) => checkAgainstModel(steps)),
      { numRuns: 150 },
    );
  });

  describe('regressions found by the model', () => {
    // Each sequence here was once a shrunk counterexample (or checks an edge the model found
    // worth pinning): it must keep agreeing with the model.
    const cases: [string, Step[]][] = [
      ['EXPIRE with an already past time deletes at once, even with LT on a key without TTL', [['SET', 'a', 'v'], ['EXPIRE', 'a', '-5', 'LT'], ['EXISTS', 'a']]],
      ['a key is still alive at its expiry millisecond and gone one after', [['SET', 'a', 'v', 'PX', '1000'], [ADVANCE, '1000'], ['PTTL', 'a'], [ADVANCE, '1'], ['GET', 'a'], ['DBSIZE']]],
      ['SET ... EX repeated keeps the last, KEEPTTL after EX is a syntax error', [['SET', 'a', 'v', 'EX', '10', 'EX', '20'], ['TTL', 'a'], ['SET', 'a', 'v', 'EX', '1', 'KEEPTTL']]],
      ['GETEX on a missing key answers nil before looking at a bad expire', [['GETEX', 'a', 'EX', '0'], ['SET', 'a', 'v'], ['GETEX', 'a', 'EX', '0']]],
      ['PEXPIRE at the int64 minimum deletes, EXPIRE there is refused', [['SET', 'a', 'v'], ['EXPIRE', 'a', '-9223372036854775808'], ['PEXPIRE', 'a', '-9223372036854775808'], ['EXISTS', 'a']]],
    ];
    for (const [title, steps] of cases) it(title, () => checkAgainstModel(steps));
  });
});

/** TTL and PTTL replies differ by the time between the two servers' clocks: keep the sign only. */
function maskTtl(reply: string): string {
  return /^:\d+\r\n$/.test(reply) && reply !== ':0\r\n' ? ':<positive>\r\n' : reply;
}

/** The elements of an EXEC reply, for masking the TTLs inside it. */
function arrayElements(reply: string): string[] | null {
  const header = /^\*(\d+)\r\n/.exec(reply);
  if (header === null) return null;
  const buf = Buffer.from(reply, 'latin1');
  const out: string[] = [];
  let at = header[0].length;
  for (let i = 0; i < Number(header[1]); i++) {
    const end = replyEnd(buf, at);
    out.push(reply.slice(at, end));
    at = end;
  }
  return out;
}

describe('command model: the same sequences against redis-server over sockets', function () {
  this.timeout(60000);
  let redis: RealRedis | null = null;
  let ours: RingcacheServer | null = null;

  before(async function () {
    this.timeout(20000);
    redis = await startRedisServer(['--databases', String(DATABASES)]);
    ours = await startServer({ port: 0, config: { databases: DATABASES } });
  });
  after(async () => {
    await ours?.close();
    await redis?.stop();
  });

  it('ringcache sends redis-server\'s bytes for every command', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb(REAL_CLOCK_POOLS), { minLength: 1, maxLength: 40 }), async (steps) => {
        const clients = [await RawClient.connect((redis as RealRedis).port), await RawClient.connect((ours as RingcacheServer).port)];
        try {
          for (const c of clients) expect(await c.call('FLUSHALL')).to.equal('+OK\r\n');
          let queued: string[] | null = null;
          const history: string[] = [];
          for (const step of [...steps, ['DISCARD']]) {
            const [fromRedis, fromUs] = await Promise.all(clients.map((c) => c.call(...step)));
            history.push(`${show(step)} -> ${JSON.stringify(fromRedis)}`);
            const name = step[0].toUpperCase();
            let [a, b] = [fromRedis, fromUs];
            if (name === 'TTL' || name === 'PTTL') [a, b] = [maskTtl(a), maskTtl(b)];
            if (name === 'EXEC' && queued !== null) {
              const names = queued;
              const mask = (reply: string): string => {
                const items = arrayElements(reply);
                return items === null ? reply : `*${items.length}\r\n${items.map((item, i) => (names[i] === 'TTL' || names[i] === 'PTTL' ? maskTtl(item) : item)).join('')}`;
              };
              [a, b] = [mask(a), mask(b)];
            }
            if (a !== b) throw new Error(`${show(step)}\n  redis-server: ${JSON.stringify(fromRedis)}\n  ringcache:    ${JSON.stringify(fromUs)}\n  after:\n    ${history.slice(-12, -1).join('\n    ')}`);
            // Track what a transaction holds, to know where its TTL replies sit in EXEC's array.
            if (name === 'MULTI' && fromRedis === '+OK\r\n') queued = [];
            else if (name === 'EXEC' || name === 'DISCARD') queued = null;
            else if (queued !== null && fromRedis === '+QUEUED\r\n') queued.push(name);
          }
          // Equal replies all along should leave equal data: compare every database's keys.
          for (let db = 0; db < DATABASES; db++) {
            const [k1, k2] = await Promise.all(clients.map(async (c) => {
              await c.call('SELECT', String(db));
              return bulksOf(await c.call('KEYS', '*')).sort();
            }));
            expect(k2, `KEYS * in db ${db}`).to.deep.equal(k1);
          }
        } finally {
          await Promise.all(clients.map((c) => c.close()));
        }
      }),
      { numRuns: 60 },
    );
  });
});
