// A reference model of the string, keyspace and expiry commands, written from Redis 7.0's
// documented and observed behaviour (each error text checked against redis-server 7.0.15), and
// deliberately sharing no code with ringcache: the command-model test runs random sequences
// through both and compares the raw replies.
//
// Keys and values are latin1 strings (one char per byte); numbers that can reach the int64 range
// (increments, expire times, offsets) are bigints so that the model never rounds.
//
// Expiry follows Redis: a key is gone once `now > expireAt`, while EXPIRE, GETEX EXAT/PXAT and
// friends delete at once when the new time is `<= now`. Physical removal of an expired key is
// the server's business (lazy on lookup, active in cron), so DBSIZE is only known to lie between
// the number of live keys and the number of keys that may still be stored: the model answers it
// with a range rather than a number.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
/** proto-max-bulk-len's default: the largest string SETRANGE may produce. */
const MAX_STRING = 512n * 1024n * 1024n;

const ERR_SYNTAX = 'ERR syntax error';
const ERR_NOT_INT = 'ERR value is not an integer or out of range';
const ERR_INT32 = 'ERR value is out of range, value must between -2147483648 and 2147483647';
const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
const ERR_DECR_MIN = 'ERR decrement would overflow';
const ERR_OFFSET = 'ERR offset is out of range';
const ERR_TOO_BIG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const ERR_NO_KEY = 'ERR no such key';
const ERR_SAME = 'ERR source and destination objects are the same';
const ERR_DB_RANGE = 'ERR DB index is out of range';
const ERR_EXPIRE_NX = 'ERR NX and XX, GT or LT options at the same time are not compatible';
const ERR_EXPIRE_GTLT = 'ERR GT and LT options at the same time are not compatible';
const ERR_NESTED = 'ERR MULTI calls can not be nested';
const ERR_EXEC = 'ERR EXEC without MULTI';
const ERR_DISCARD = 'ERR DISCARD without MULTI';
const ERR_EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
const errExpireTime = (cmd: string): string => `ERR invalid expire time in '${cmd}' command`;
const errArity = (cmd: string): string => `ERR wrong number of arguments for '${cmd}' command`;

/** One piece of an expected reply: exact bytes, or an integer reply known only within bounds. */
export type ExpectPart = string | { min: number; max: number };
export type Expect = ExpectPart[];

/** Redis arities (negative: at least that many arguments, the name included). */
const ARITY: Record<string, number> = {
  get: 2, set: -3, getset: 3, getdel: 2, getex: -2, append: 3, strlen: 2, incr: 2, decr: 2,
  incrby: 3, decrby: 3, setrange: 4, getrange: 4, mset: -3, msetnx: -3, mget: -2, del: -2,
  exists: -2, expire: -3, pexpire: -3, ttl: 2, pttl: 2, persist: 2, rename: 3, renamenx: 3,
  copy: -3, type: 2, dbsize: 1, flushdb: -1, select: 2, multi: 1, exec: 1, discard: 1,
};

export const MODEL_COMMANDS: readonly string[] = Object.keys(ARITY);

interface Entry {
  value: string;
  /** Absolute ms, or null for no expiry. */
  expireAt: bigint | null;
}

const ok: Expect = ['+OK\r\n'];
const nil: Expect = ['$-1\r\n'];
const err = (text: string): Expect => [`-${text}\r\n`];
const int = (n: bigint | number): Expect => [`:${n}\r\n`];
const bulk = (s: string): Expect => [`$${s.length}\r\n${s}\r\n`];

/** Redis's string2ll: canonical decimal only (no '+', no leading zeros, no "-0", no spaces). */
export function parseInt64(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/** C's integer division truncates towards zero, as BigInt's does. */
const LLONG_MAX_DIV_1000 = INT64_MAX / 1000n;
const LLONG_MIN_DIV_1000 = INT64_MIN / 1000n;

type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

interface StringOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  unit: ExpireUnit | null;
  expire: string | null;
}

export class ReferenceModel {
  private readonly dbs: Map<string, Entry>[];
  private db = 0;
  private queue: string[][] | null = null;
  private queueBroken = false;

  constructor(
    readonly databases: number,
    private now: bigint,
  ) {
    this.dbs = Array.from({ length: databases }, () => new Map<string, Entry>());
  }

  advance(ms: number): void {
    this.now += BigInt(ms);
  }

  get inMulti(): boolean {
    return this.queue !== null;
  }

  get selectedDb(): number {
    return this.db;
  }

  /** The live keys of a database, sorted by bytes. */
  liveKeys(db: number): string[] {
    return [...this.dbs[db].keys()].filter((k) => this.live(this.dbs[db].get(k))).sort(byBytes);
  }

  /** The value and expiry of every live key, for the final comparison. */
  liveEntries(db: number): { key: string; value: string; expireAt: bigint | null }[] {
    return this.liveKeys(db).map((key) => ({ key, ...(this.dbs[db].get(key) as Entry) }));
  }

  /** Runs one command (as sent, name first) and returns its expected reply. */
  run(argv: string[]): Expect {
    const name = argv[0].toLowerCase();
    const arity = ARITY[name];
    if (arity === undefined) throw new Error(`the model does not know ${argv[0]}`);
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      if (this.queue !== null) this.queueBroken = true;
      return err(errArity(name));
    }
    if (this.queue !== null && name !== 'exec' && name !== 'discard' && name !== 'multi') {
      this.queue.push(argv);
      return ['+QUEUED\r\n'];
    }
    return this.execute(name, argv);
  }

  private execute(name: string, a: string[]): Expect {
    switch (name) {
      case 'multi':
        if (this.queue !== null) return err(ERR_NESTED);
        this.queue = [];
        this.queueBroken = false;
        return ok;
      case 'exec': {
        if (this.queue === null) return err(ERR_EXEC);
        const queued = this.queue;
        const broken = this.queueBroken;
        this.queue = null;
        if (broken) return err(ERR_EXECABORT);
        const out: Expect = [`*${queued.length}\r\n`];
        for (const argv of queued) out.push(...this.execute(argv[0].toLowerCase(), argv));
        return out;
      }
      case 'discard':
        if (this.queue === null) return err(ERR_DISCARD);
        this.queue = null;
        return ok;
      case 'get': {
        const e = this.lookup(a[1]);
        return e === undefined ? nil : bulk(e.value);
      }
      case 'set':
        return this.set(a);
      case 'getset': {
        const e = this.lookup(a[1]);
        this.store(a[1], a[2], null);
        return e === undefined ? nil : bulk(e.value);
      }
      case 'getdel': {
        const e = this.lookup(a[1]);
        if (e === undefined) return nil;
        this.keys.delete(a[1]);
        return bulk(e.value);
      }
      case 'getex':
        return this.getex(a);
      case 'append': {
        const e = this.lookup(a[1]);
        const value = (e?.value ?? '') + a[2];
        this.store(a[1], value, e?.expireAt ?? null);
        return int(value.length);
      }
      case 'strlen':
        return int(this.lookup(a[1])?.value.length ?? 0);
      case 'incr':
        return this.incrBy(a[1], 1n);
      case 'decr':
        return this.incrBy(a[1], -1n);
      case 'incrby': {
        const by = parseInt64(a[2]);
        return by === null ? err(ERR_NOT_INT) : this.incrBy(a[1], by);
      }
      case 'decrby': {
        const by = parseInt64(a[2]);
        if (by === null) return err(ERR_NOT_INT);
        if (by === INT64_MIN) return err(ERR_DECR_MIN);
        return this.incrBy(a[1], -by);
      }
      case 'setrange':
        return this.setrange(a[1], a[2], a[3]);
      case 'getrange':
        return this.getrange(a[1], a[2], a[3]);
      case 'mset':
      case 'msetnx': {
        if (a.length % 2 === 0) return err(errArity(name));
        if (name === 'msetnx') {
          for (let i = 1; i < a.length; i += 2) if (this.lookup(a[i]) !== undefined) return int(0);
        }
        for (let i = 1; i < a.length; i += 2) this.store(a[i], a[i + 1], null);
        return name === 'mset' ? ok : int(1);
      }
      case 'mget': {
        const out: Expect = [`*${a.length - 1}\r\n`];
        for (const key of a.slice(1)) out.push(...(this.lookup(key) === undefined ? nil : bulk((this.lookup(key) as Entry).value)));
        return out;
      }
      case 'del': {
        let n = 0;
        for (const key of a.slice(1)) {
          if (this.lookup(key) !== undefined) {
            this.keys.delete(key);
            n++;
          }
        }
        return int(n);
      }
      case 'exists':
        return int(a.slice(1).filter((key) => this.lookup(key) !== undefined).length);
      case 'expire':
      case 'pexpire':
        return this.expire(name, a);
      case 'ttl':
      case 'pttl': {
        const e = this.lookup(a[1]);
        if (e === undefined) return int(-2);
        if (e.expireAt === null) return int(-1);
        const left = e.expireAt - this.now;
        return int(name === 'pttl' ? left : (left + 500n) / 1000n);
      }
      case 'persist': {
        const e = this.lookup(a[1]);
        if (e === undefined || e.expireAt === null) return int(0);
        e.expireAt = null;
        return int(1);
      }
      case 'rename':
      case 'renamenx':
        return this.rename(a[1], a[2], name === 'renamenx');
      case 'copy':
        return this.copy(a);
      case 'type':
        return [this.lookup(a[1]) === undefined ? '+none\r\n' : '+string\r\n'];
      case 'dbsize': {
        const stored = this.keys.size;
        return [{ min: this.liveKeys(this.db).length, max: stored }];
      }
      case 'flushdb':
        if (a.length > 2 || (a.length === 2 && !/^(async|sync)$/i.test(a[1]))) return err(ERR_SYNTAX);
        this.keys.clear();
        return ok;
      case 'select': {
        const index = this.parseInt32(a[1]);
        if (typeof index === 'string') return err(index);
        if (index < 0 || index >= this.databases) return err(ERR_DB_RANGE);
        this.db = index;
        return ok;
      }
      default:
        throw new Error(`the model does not know ${name}`);
    }
  }

  private get keys(): Map<string, Entry> {
    return this.dbs[this.db];
  }

  private live(e: Entry | undefined): e is Entry {
    return e !== undefined && (e.expireAt === null || this.now <= e.expireAt);
  }

  private lookup(key: string, db = this.db): Entry | undefined {
    const e = this.dbs[db].get(key);
    return this.live(e) ? e : undefined;
  }

  /** Writing over an expired key replaces it: a stored key is counted once either way. */
  private store(key: string, value: string, expireAt: bigint | null, db = this.db): void {
    this.dbs[db].set(key, { value, expireAt });
  }

  /** getIntFromObjectOrReply: an int64 first, then the int range. Returns the error text on failure. */
  private parseInt32(s: string): number | string {
    const n = parseInt64(s);
    if (n === null) return ERR_NOT_INT;
    if (n < INT32_MIN || n > INT32_MAX) return ERR_INT32;
    return Number(n);
  }

  /**
   * SET's and GETEX's option parser: options may repeat, and each one is refused (syntax error)
   * only when it conflicts with one already seen, so `EX 1 EX 2` is fine and the last one wins.
   */
  private parseStringOptions(a: string[], from: number, forSet: boolean): StringOptions | null {
    const o: StringOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, unit: null, expire: null };
    for (let j = from; j < a.length; j++) {
      const opt = a[j].toUpperCase();
      const hasNext = j < a.length - 1;
      if (opt === 'NX' && forSet && !o.xx) o.nx = true;
      else if (opt === 'XX' && forSet && !o.nx) o.xx = true;
      else if (opt === 'GET' && forSet) o.get = true;
      else if (opt === 'KEEPTTL' && forSet && !o.persist && o.unit === null) o.keepTtl = true;
      else if (opt === 'PERSIST' && !forSet && o.unit === null && !o.keepTtl) o.persist = true;
      else if ((opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') && !o.keepTtl && !o.persist && (o.unit === null || o.unit === opt) && hasNext) {
        o.unit = opt;
        o.expire = a[++j];
      } else return null;
    }
    return o;
  }

  /** getExpireMillisecondsOrReply: the absolute expiry in ms, or the error text. */
  private expireMs(cmd: string, unit: ExpireUnit, text: string): bigint | string {
    let ms = parseInt64(text);
    if (ms === null) return ERR_NOT_INT;
    const seconds = unit === 'EX' || unit === 'EXAT';
    if (ms <= 0n || (seconds && ms > LLONG_MAX_DIV_1000)) return errExpireTime(cmd);
    if (seconds) ms *= 1000n;
    if (unit === 'EX' || unit === 'PX') {
      ms += this.now;
      // Redis adds in a signed 64-bit integer: past the maximum it wraps negative.
      if (ms > INT64_MAX) return errExpireTime(cmd);
    }
    return ms;
  }

  private set(a: string[]): Expect {
    const o = this.parseStringOptions(a, 3, true);
    if (o === null) return err(ERR_SYNTAX);
    let expireAt: bigint | null = null;
    if (o.unit !== null) {
      const ms = this.expireMs('set', o.unit, o.expire as string);
      if (typeof ms === 'string') return err(ms);
      expireAt = ms;
    }
    const old = this.lookup(a[1]);
    const reply = o.get ? (old === undefined ? nil : bulk(old.value)) : ok;
    if ((o.nx && old !== undefined) || (o.xx && old === undefined)) return o.get ? reply : nil;
    if (o.unit === null && o.keepTtl && old !== undefined) expireAt = old.expireAt;
    this.store(a[1], a[2], expireAt);
    return reply;
  }

  private getex(a: string[]): Expect {
    const o = this.parseStringOptions(a, 2, false);
    if (o === null) return err(ERR_SYNTAX);
    const e = this.lookup(a[1]);
    if (e === undefined) return nil;
    const reply = bulk(e.value);
    if (o.unit !== null) {
      const ms = this.expireMs('getex', o.unit, o.expire as string);
      if (typeof ms === 'string') return err(ms);
      if ((o.unit === 'EXAT' || o.unit === 'PXAT') && ms <= this.now) this.keys.delete(a[1]);
      else e.expireAt = ms;
    } else if (o.persist) {
      e.expireAt = null;
    }
    return reply;
  }

  private incrBy(key: string, by: bigint): Expect {
    const e = this.lookup(key);
    let value = 0n;
    if (e !== undefined) {
      const parsed = parseInt64(e.value);
      if (parsed === null) return err(ERR_NOT_INT);
      value = parsed;
    }
    const result = value + by;
    if (result < INT64_MIN || result > INT64_MAX) return err(ERR_OVERFLOW);
    this.store(key, String(result), e?.expireAt ?? null);
    return int(result);
  }

  private setrange(key: string, offsetText: string, piece: string): Expect {
    const offset = parseInt64(offsetText);
    if (offset === null) return err(ERR_NOT_INT);
    if (offset < 0n) return err(ERR_OFFSET);
    const e = this.lookup(key);
    if (piece.length === 0) return int(e?.value.length ?? 0);
    if (offset + BigInt(piece.length) > MAX_STRING) return err(ERR_TOO_BIG);
    const at = Number(offset);
    const old = e?.value ?? '';
    const padded = old.length < at ? old + '\0'.repeat(at - old.length) : old;
    const value = padded.slice(0, at) + piece + padded.slice(at + piece.length);
    this.store(key, value, e?.expireAt ?? null);
    return int(value.length);
  }

  private getrange(key: string, startText: string, endText: string): Expect {
    let start = parseInt64(startText);
    if (start === null) return err(ERR_NOT_INT);
    let end = parseInt64(endText);
    if (end === null) return err(ERR_NOT_INT);
    const value = this.lookup(key)?.value ?? '';
    const len = BigInt(value.length);
    if (start < 0n && end < 0n && start > end) return bulk('');
    if (start < 0n) start += len;
    if (end < 0n) end += len;
    if (start < 0n) start = 0n;
    if (end < 0n) end = 0n;
    if (end >= len) end = len - 1n;
    if (start > end || len === 0n) return bulk('');
    return bulk(value.slice(Number(start), Number(end) + 1));
  }

  private expire(name: string, a: string[]): Expect {
    let nx = false;
    let xx = false;
    let gt = false;
    let lt = false;
    for (const opt of a.slice(3)) {
      const upper = opt.toUpperCase();
      if (upper === 'NX') nx = true;
      else if (upper === 'XX') xx = true;
      else if (upper === 'GT') gt = true;
      else if (upper === 'LT') lt = true;
      else return err(`ERR Unsupported option ${opt}`);
    }
    if (nx && (xx || gt || lt)) return err(ERR_EXPIRE_NX);
    if (gt && lt) return err(ERR_EXPIRE_GTLT);
    let when = parseInt64(a[2]);
    if (when === null) return err(ERR_NOT_INT);
    if (name === 'expire') {
      if (when > LLONG_MAX_DIV_1000 || when < LLONG_MIN_DIV_1000) return err(errExpireTime(name));
      when *= 1000n;
    }
    if (when > INT64_MAX - this.now) return err(errExpireTime(name));
    when += this.now;
    const e = this.lookup(a[1]);
    if (e === undefined) return int(0);
    const current = e.expireAt;
    if (nx && current !== null) return int(0);
    if (xx && current === null) return int(0);
    // No expiry counts as an infinite one: never smaller, never exceeded.
    if (gt && (current === null || when <= current)) return int(0);
    if (lt && current !== null && when >= current) return int(0);
    if (when <= this.now) this.keys.delete(a[1]);
    else e.expireAt = when;
    return int(1);
  }

  private rename(src: string, dst: string, nx: boolean): Expect {
    const e = this.lookup(src);
    if (e === undefined) return err(ERR_NO_KEY);
    if (src === dst) return nx ? int(0) : ok;
    if (this.lookup(dst) !== undefined && nx) return int(0);
    this.keys.delete(src);
    this.store(dst, e.value, e.expireAt);
    return nx ? int(1) : ok;
  }

  private copy(a: string[]): Expect {
    let replace = false;
    let target = this.db;
    for (let j = 3; j < a.length; j++) {
      const opt = a[j].toUpperCase();
      if (opt === 'REPLACE') replace = true;
      else if (opt === 'DB' && j + 1 < a.length) {
        const index = this.parseInt32(a[j + 1]);
        if (typeof index === 'string') return err(index);
        if (index < 0 || index >= this.databases) return err(ERR_DB_RANGE);
        target = index;
        j++;
      } else return err(ERR_SYNTAX);
    }
    if (target === this.db && a[1] === a[2]) return err(ERR_SAME);
    const e = this.lookup(a[1]);
    if (e === undefined) return int(0);
    if (this.lookup(a[2], target) !== undefined && !replace) return int(0);
    this.store(a[2], e.value, e.expireAt, target);
    return int(1);
  }
}

function byBytes(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The expectation as text, ranges shown as `:<min..max>`, for failure messages. */
export function showExpect(expect: Expect): string {
  return expect.map((p) => (typeof p === 'string' ? p : `:<${p.min}..${p.max}>\r\n`)).join('');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a raw reply is what the model expects: exact bytes, integers within their ranges. */
export function matchesExpect(actual: string, expect: Expect): boolean {
  if (expect.every((p) => typeof p === 'string')) return actual === expect.join('');
  const ranges = expect.filter((p): p is { min: number; max: number } => typeof p !== 'string');
  const pattern = expect.map((p) => (typeof p === 'string' ? escapeRegExp(p) : ':(-?\\d+)\\r\\n')).join('');
  const m = new RegExp(`^${pattern}$`, 's').exec(actual);
  if (m === null) return false;
  return ranges.every((r, i) => {
    const n = Number(m[i + 1]);
    return n >= r.min && n <= r.max;
  });
}
