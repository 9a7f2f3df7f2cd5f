// The differential harness: the same requests go over raw TCP to a real redis-server and to an
// in-process ringcache, and the raw reply bytes must be equal. One redis-server serves a whole
// suite (FLUSHALL between tests); every test gets a fresh ringcache, so no state leaks between
// tests on our side even while commands like FLUSHALL are still being written.

import { startServer, type RingcacheServer } from '../../src/index.js';
import { RawClient } from './raw-client.js';
import { startRedisServer, type RealRedis } from './redis-server.js';
import { encodeCommand, replyEnd } from './resp-reader.js';

/**
 * How long a server may take to answer one command before the sequence is abandoned: only a
 * missing reply waits this long, so it is far past what a busy machine takes.
 */
const REPLY_TIMEOUT_MS = 10000;

export type Arg = string | Buffer;

/** One step of a sequence: a command as arguments, or a step with options. */
export type Step = Arg[] | StepOptions;

export interface StepOptions {
  /** The command, sent as a multibulk. */
  cmd?: Arg[];
  /** Or raw request bytes (inline commands, pipelines, malformed input), latin1. */
  raw?: string;
  /** How many replies `raw` produces (default 1). */
  replies?: number;
  /**
   * Rewrites both replies before comparing, for fields that legitimately differ (a server
   * version, a client id). The caller says why at the call site.
   */
  mask?: (reply: string) => string;
  /** Integer replies may differ by up to this much (TTLs that depend on elapsed time). */
  tolerance?: number;
  /** Which client of the pair sends it (default 0): for WATCH and other two-client cases. */
  client?: number;
  /** Wait this long before sending (for expiry), on both sides at once. */
  waitMs?: number;
}

export interface Mismatch {
  step: number;
  request: string;
  redis: string;
  ringcache: string;
}

function describeRequest(step: StepOptions): string {
  if (step.raw !== undefined) return `raw ${JSON.stringify(step.raw.length > 120 ? step.raw.slice(0, 120) + '...' : step.raw)}`;
  const words = (step.cmd ?? []).map((a) => {
    const s = typeof a === 'string' ? a : a.toString('latin1');
    const shown = s.length > 40 ? `${s.slice(0, 40)}...(${s.length} bytes)` : s;
    return /^[\x21-\x7e]+$/.test(shown) ? shown : JSON.stringify(shown);
  });
  return `${step.client ? `[client ${step.client}] ` : ''}${words.join(' ')}`;
}

function shorten(reply: string): string {
  const json = JSON.stringify(reply);
  return json.length > 400 ? `${json.slice(0, 400)}... (${reply.length} bytes)` : json;
}

export function formatMismatches(version: string, mismatches: Mismatch[]): string {
  const lines = [`ringcache differs from redis-server ${version}:`];
  for (const m of mismatches) {
    lines.push(`  #${m.step} ${m.request}`, `    redis:     ${shorten(m.redis)}`, `    ringcache: ${shorten(m.ringcache)}`);
  }
  return lines.join('\n');
}

function integerClose(a: string, b: string, tolerance: number): boolean {
  const ia = /^:(-?\d+)\r\n$/.exec(a);
  const ib = /^:(-?\d+)\r\n$/.exec(b);
  return ia !== null && ib !== null && Math.abs(Number(ia[1]) - Number(ib[1])) <= tolerance;
}

async function readOrTimeout(client: RawClient): Promise<string> {
  try {
    return await client.readReply(REPLY_TIMEOUT_MS);
  } catch (err) {
    return `<no reply: ${(err as Error).message.slice(0, 200)}>`;
  }
}

export class Differential {
  redis: RealRedis | null = null;
  ringcache: RingcacheServer | null = null;
  private clients: RawClient[] = [];

  /**
   * Installs the suite's hooks. `config` is passed to ringcache at start; tests that need a
   * setting on both sides set it on redis-server themselves and restore it.
   */
  static suite(config: Record<string, string | number | boolean> = {}): Differential {
    const diff = new Differential();
    before(async function () {
      this.timeout(20000);
      diff.redis = await startRedisServer();
    });
    after(async () => {
      await diff.redis?.stop();
    });
    beforeEach(async () => {
      diff.ringcache = await startServer({ port: 0, config });
      const control = await RawClient.connect(diff.redisPort);
      await control.call('FLUSHALL');
      await control.close();
    });
    afterEach(async () => {
      await Promise.all(diff.clients.map((c) => c.close()));
      diff.clients = [];
      await diff.ringcache?.close();
      diff.ringcache = null;
    });
    return diff;
  }

  get redisPort(): number {
    if (this.redis === null) throw new Error('redis-server is not running');
    return this.redis.port;
  }

  get ringcachePort(): number {
    if (this.ringcache === null) throw new Error('ringcache is not running');
    return this.ringcache.port;
  }

  get version(): string {
    return this.redis?.version ?? '?';
  }

  /** A connected client to each server: [redis, ringcache]. Closed after the test. */
  async pair(): Promise<[RawClient, RawClient]> {
    const pair: [RawClient, RawClient] = [await RawClient.connect(this.redisPort), await RawClient.connect(this.ringcachePort)];
    this.clients.push(...pair);
    return pair;
  }

  /** Runs the steps on both servers and returns every reply that differs. */
  async mismatches(steps: Step[], clientCount = 1): Promise<Mismatch[]> {
    const pairs: [RawClient, RawClient][] = [];
    const needed = Math.max(clientCount, ...steps.map((s) => (Array.isArray(s) ? 0 : (s.client ?? 0) + 1)));
    for (let i = 0; i < needed; i++) pairs.push(await this.pair());
    const found: Mismatch[] = [];
    for (let i = 0; i < steps.length; i++) {
      const step: StepOptions = Array.isArray(steps[i]) ? { cmd: steps[i] as Arg[] } : (steps[i] as StepOptions);
      const [redis, ours] = pairs[step.client ?? 0];
      if (step.waitMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
      const bytes = step.raw !== undefined ? Buffer.from(step.raw, 'latin1') : encodeCommand(step.cmd ?? []);
      redis.write(bytes);
      ours.write(bytes);
      for (let r = 0; r < (step.replies ?? 1); r++) {
        let [want, got] = await Promise.all([readOrTimeout(redis), readOrTimeout(ours)]);
        if (step.mask !== undefined) {
          want = step.mask(want);
          got = step.mask(got);
        }
        const same = want === got || (step.tolerance !== undefined && integerClose(want, got, step.tolerance));
        if (!same) found.push({ step: i + 1, request: describeRequest(step), redis: want, ringcache: got });
        // Past a missing reply the two streams no longer line up: stop here.
        if (want.startsWith('<no reply') || got.startsWith('<no reply')) return found;
      }
    }
    return found;
  }

  /** Runs the steps on both servers; throws an error listing every differing reply. */
  async check(steps: Step[], clientCount = 1): Promise<void> {
    const found = await this.mismatches(steps, clientCount);
    if (found.length > 0) throw new Error(formatMismatches(this.version, found));
  }
}

/** `it(title)` running one sequence of steps through the suite's harness. */
export function same(diff: Differential, title: string, steps: Step[]): void {
  it(title, async function () {
    this.timeout(30000);
    await diff.check(steps);
  });
}

/** The top-level elements of an array reply, each as raw bytes; null if it is not an array. */
function arrayElements(reply: string): { header: string; items: string[] } | null {
  const buf = Buffer.from(reply, 'latin1');
  const match = /^[*~](\d+)\r\n/.exec(reply);
  if (match === null) return null;
  const items: string[] = [];
  let at = match[0].length;
  for (let i = 0; i < Number(match[1]); i++) {
    const end = replyEnd(buf, at);
    if (end === -1) return null;
    items.push(reply.slice(at, end));
    at = end;
  }
  return { header: match[0], items };
}

/**
 * Mask for replies whose element order is unspecified (KEYS, SMEMBERS...): the elements of the
 * array are sorted before comparing, so only the set of elements must match.
 */
export function sortedArray(reply: string): string {
  const parsed = arrayElements(reply);
  if (parsed === null) return reply;
  return parsed.header + [...parsed.items].sort().join('');
}

/**
 * Mask for a finished SCAN, `[cursor, [keys]]`: the keys are sorted. The cursor is compared
 * as sent, so a scan that needs more than one call in either server shows up as a difference.
 */
export function sortedScan(reply: string): string {
  const parsed = arrayElements(reply);
  if (parsed === null || parsed.items.length !== 2) return reply;
  return parsed.header + parsed.items[0] + sortedArray(parsed.items[1]);
}

/** A CONFIG GET reply (flat name/value array) with its pairs sorted by name: Redis answers a glob in hash order. */
export function sortedPairs(reply: string): string {
  const parsed = arrayElements(reply);
  if (parsed === null) return reply;
  const items = parsed.items;
  const pairs: string[] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push(items[i] + items[i + 1]);
  return parsed.header + pairs.sort().join('');
}

/** A mask keeping only the named `field:value` lines of an INFO reply (used_memory legitimately differs). */
export function infoFields(...names: string[]): (reply: string) => string {
  return (reply) => {
    const lines = reply.split('\r\n');
    return names.map((name) => lines.find((line) => line.startsWith(`${name}:`)) ?? `${name} missing`).join('\n');
  };
}
