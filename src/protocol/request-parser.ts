// Incremental parser for client requests: RESP multibulk and inline commands.
//
// Arguments come out as latin1 strings: one JS char per byte, so any byte sequence round-trips
// and the string owns its memory (a Buffer subarray would pin the whole socket chunk).
// The rules mirror Redis's processMultibulkBuffer/processInlineBuffer so that malformed input
// gets the same error at the same point, including their quirks: a line end is searched with
// C's strchr, which never looks past a NUL byte, and a `$` header is judged only once its whole
// line has arrived.

import { constants as bufferConstants } from 'node:buffer';
import {
  ERR_PROTO_BULK_COUNT_TOO_BIG,
  ERR_PROTO_BULK_LENGTH,
  ERR_PROTO_EXPECTED_DOLLAR,
  ERR_PROTO_INLINE_TOO_BIG,
  ERR_PROTO_MBULK_COUNT_TOO_BIG,
  ERR_PROTO_MULTIBULK_LENGTH,
  ERR_PROTO_UNAUTH_BULK,
  ERR_PROTO_UNAUTH_MULTIBULK,
  ERR_PROTO_UNBALANCED_QUOTES,
} from '../errors.js';
import { splitInlineArgs } from './inline-args.js';
import { latin1Slice } from '../util/latin1.js';

/** Longest inline command or length line Redis reads before giving up (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Above this many bytes a bulk is gathered from its chunks instead of through the main buffer. */
const BIG_BULK = 32 * 1024;
/**
 * A big bulk's gather buffer starts at up to this many bytes and doubles as bytes arrive: room is
 * made for what was sent, not for what a `$` header declares.
 */
const BIG_FIRST_ROOM = 64 * 1024;
/**
 * A finished gather buffer up to this size is kept for the client's next big bulk: from 64 KB
 * each new one is a fresh mmap (MALLOC_MMAP_THRESHOLD_) whose every page faults on first write.
 * The cron gives it back when the client stops sending big bulks (trim, shrink).
 */
const BIG_KEEP_LIMIT = 1024 * 1024;
/** Before authentication Redis accepts at most this many arguments and bytes per argument. */
const UNAUTHENTICATED_MAX_ARGS = 10;
const UNAUTHENTICATED_MAX_BULK = 16 * 1024;
const INT_MAX = 2147483647;
/** Longer bulks cannot become JS strings. */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
const EMPTY = Buffer.alloc(0);
const INT64_MAX_DIGITS = Buffer.from('9223372036854775807', 'latin1');
const INT64_MIN_DIGITS = Buffer.from('9223372036854775808', 'latin1');

const NUL = 0;
const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/** Not a reply: Redis logs this and drops the client without a word. */
export const QUERY_BUFFER_LIMIT = 'query buffer limit reached';

/** A malformed request. The message is the reply text without the leading '-'. */
export class ProtocolError extends Error {
  /** false for limits that close the connection without a reply, as Redis does. */
  readonly reply: boolean;
  constructor(message: string, reply = true) {
    super(message);
    this.reply = reply;
  }
}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** client-query-buffer-limit: unparsed bytes held for one client. */
  queryBufferLimit: number;
}

export class RequestParser {
  /** Received bytes; those before `pos` are consumed. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  /**
   * A buffer this parser allocated and `buf` is a prefix of, with spare room: a request arriving
   * in many small reads is appended in place instead of re-copying everything per read.
   */
  private store: Buffer | null = null;
  /** Bytes after `pos` already searched for the current line end, so a slow line is scanned once. */
  private scanned = 0;
  /** Arguments of the multibulk request being read, or null between requests. */
  private args: string[] | null = null;
  private argsLeft = 0;
  private argCount = 0;
  /** Length of the bulk being read, or -1 while its `$` header is still expected. */
  private bulkLen = -1;
  /**
   * The big bulk being gathered across reads: each read's bytes of it are copied here once, and
   * only those (what follows the bulk stays in the read's chunk), so that no chunk is held, copied
   * again at detach, or concatenated with the requests after it.
   */
  private big: Buffer | null = null;
  /** Bytes of the big bulk (CRLF included) in `big`. */
  private bigHave = 0;
  /** The last big bulk's gather buffer, kept for the next one (see BIG_KEEP_LIMIT). */
  private spareBig: Buffer | null = null;
  /** A big bulk was gathered since the last trim(). */
  private bigSinceTrim = false;
  /** `buf` is the caller's chunk itself, not a copy: detach must copy what is left of it. */
  private bufIsChunk = false;
  /**
   * Until a client authenticates Redis caps request sizes, so an anonymous peer cannot make the
   * server buffer much. The connection sets this from its auth state.
   */
  unauthenticated = false;
  /**
   * The command name of the last request, handed out again while the next requests name the same
   * command in the same bytes (a pipeline usually does): no new string, and V8 keeps the hash it
   * computed for the command table lookup.
   */
  private lastName = '';

  constructor(readonly limits: ParserLimits) {}

  /** Bytes received but not yet returned as a request (Redis's query buffer length). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  feed(chunk: Buffer): void {
    if (this.big !== null) {
      this.feedBig(chunk);
      return;
    }
    if (this.pos >= this.buf.length) {
      this.useChunk(chunk);
    } else {
      this.append(chunk);
    }
    if (this.pendingBytes > this.limits.queryBufferLimit) {
      throw new ProtocolError(QUERY_BUFFER_LIMIT, false);
    }
  }

  /**
   * The next complete request, or null when more bytes are needed. Empty requests (`*0`, blank
   * inline lines) are skipped, as Redis skips them. Throws ProtocolError on malformed input; the
   * parser is unusable afterwards, because Redis closes such connections.
   */
  next(): string[] | null {
    for (;;) {
      if (this.args !== null) return this.continueMultibulk();
      if (this.big !== null) return null;
      if (this.pos >= this.buf.length) {
        this.release();
        return null;
      }
      const req = this.buf[this.pos] === STAR ? this.startMultibulk() : this.inline();
      if (req === null) return null;
      if (req.length > 0) return req;
    }
  }

  /** Bytes of the big-bulk gather buffers held: the one in use and the one kept for the next. */
  get keptBytes(): number {
    return (this.big?.length ?? 0) + (this.spareBig?.length ?? 0);
  }

  /**
   * Called periodically (the cron): a kept gather buffer that no big bulk used since the last
   * call is given back, as Redis's cron resizes a query buffer its recent requests did not need.
   */
  trim(): void {
    if (!this.bigSinceTrim) this.spareBig = null;
    this.bigSinceTrim = false;
  }

  /** Gives back the kept gather buffer, for an idle client. */
  shrink(): void {
    this.spareBig = null;
  }

  /** Reads on from the caller's chunk itself, not a copy (see detach). */
  private useChunk(chunk: Buffer): void {
    this.buf = chunk;
    this.pos = 0;
    this.store = null;
    this.scanned = 0;
    this.bufIsChunk = true;
  }

  private release(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.store = null;
    this.scanned = 0;
    this.bufIsChunk = false;
  }

  /**
   * For a caller that reads into one reused buffer: copies the unconsumed bytes that are still
   * views of the chunks fed since the last call, so that the next read may overwrite them. Only
   * what is left over is copied (usually nothing, or the start of a request).
   */
  detach(): void {
    if (!this.bufIsChunk || this.pos >= this.buf.length) return;
    const rest = this.buf.length - this.pos;
    const store = Buffer.allocUnsafe(Math.max(2 * rest, 4096));
    this.buf.copy(store, 0, this.pos);
    this.store = store;
    this.buf = store.subarray(0, rest);
    this.pos = 0;
    this.bufIsChunk = false;
  }

  private append(chunk: Buffer): void {
    const end = this.buf.length;
    const store = this.store;
    if (store !== null && end + chunk.length <= store.length) {
      chunk.copy(store, end);
      this.buf = store.subarray(0, end + chunk.length);
      return;
    }
    const rest = end - this.pos;
    const grown = Buffer.allocUnsafe(Math.max(2 * (rest + chunk.length), 4096));
    this.buf.copy(grown, 0, this.pos, end);
    chunk.copy(grown, rest);
    this.store = grown;
    this.buf = grown.subarray(0, rest + chunk.length);
    this.pos = 0;
    this.bufIsChunk = false;
  }

  /**
   * Index of the first `target` byte from `pos`, or -1 when there is none yet. Like Redis's
   * strchr over its NUL-terminated query buffer, the search never passes a NUL byte.
   */
  private findLineEnd(target: number): number {
    const buf = this.buf;
    const start = this.pos;
    for (let i = start + this.scanned; i < buf.length; i++) {
      const c = buf[i];
      if (c === target) return i;
      if (c === NUL) {
        this.scanned = i - start;
        return -1;
      }
    }
    this.scanned = buf.length - start;
    return -1;
  }

  private consumeTo(next: number): void {
    this.pos = next;
    this.scanned = 0;
  }

  private inline(): string[] | null {
    const nl = this.findLineEnd(LF);
    if (nl === -1) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(ERR_PROTO_INLINE_TOO_BIG);
      return null;
    }
    const buf = this.buf;
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const args = splitInlineArgs(buf, this.pos, end);
    if (args === null) throw new ProtocolError(ERR_PROTO_UNBALANCED_QUOTES);
    this.consumeTo(nl + 1);
    return args;
  }

  /**
   * The index of the CR ending the `*` or `$` line at `pos`, or -1 while the line (CR and the byte
   * after it, which Redis skips unseen) has not fully arrived.
   */
  private lengthLine(tooBig: string): number {
    const cr = this.findLineEnd(CR);
    if (cr === -1) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(tooBig);
      return -1;
    }
    return cr + 1 < this.buf.length ? cr : -1;
  }

  /** Reads `*<count>\r\n`; returns [] for a request that carries no arguments. */
  private startMultibulk(): string[] | null {
    const cr = this.lengthLine(ERR_PROTO_MBULK_COUNT_TOO_BIG);
    if (cr === -1) return null;
    const count = parseInt64(this.buf, this.pos + 1, cr);
    this.consumeTo(cr + 2);
    if (count === undefined || count > INT_MAX) throw new ProtocolError(ERR_PROTO_MULTIBULK_LENGTH);
    if (this.unauthenticated && count > UNAUTHENTICATED_MAX_ARGS) throw new ProtocolError(ERR_PROTO_UNAUTH_MULTIBULK);
    if (count <= 0) return [];
    this.args = argsArray(count);
    this.argCount = count;
    this.argsLeft = count;
    this.bulkLen = -1;
    return this.continueMultibulk();
  }

  private continueMultibulk(): string[] | null {
    const args = this.args as string[];
    while (this.argsLeft > 0) {
      if (this.bulkLen === -1 && !this.quickBulkHeader()) {
        const cr = this.lengthLine(ERR_PROTO_BULK_COUNT_TOO_BIG);
        if (cr === -1) return null;
        const first = this.buf[this.pos];
        if (first !== DOLLAR) throw new ProtocolError(ERR_PROTO_EXPECTED_DOLLAR(first));
        const len = parseInt64(this.buf, this.pos + 1, cr);
        this.consumeTo(cr + 2);
        // A JS string cannot exceed MAX_STRING_LENGTH (2^29-24) chars, a little under Redis's
        // default 512mb: such a bulk is refused as too long rather than crash the conversion.
        if (len === undefined || len < 0 || len > this.limits.maxBulkLen || len > MAX_STRING_LENGTH) {
          throw new ProtocolError(ERR_PROTO_BULK_LENGTH);
        }
        if (this.unauthenticated && len > UNAUTHENTICATED_MAX_BULK) throw new ProtocolError(ERR_PROTO_UNAUTH_BULK);
        this.bulkLen = len;
        if (len >= BIG_BULK && this.buf.length - this.pos < len + 2) {
          this.startBig();
          return null;
        }
      }
      const need = this.bulkLen + 2;
      if (this.buf.length - this.pos < need) return null;
      const at = this.argCount - this.argsLeft;
      args[at] = at === 0 ? this.commandName(this.buf, this.pos, this.bulkLen) : latin1Slice(this.buf, this.pos, this.pos + this.bulkLen);
      // Redis skips the two bytes after a bulk without checking that they are CRLF.
      this.consumeTo(this.pos + need);
      this.bulkLen = -1;
      this.argsLeft--;
    }
    this.args = null;
    return args;
  }

  /** The bytes [start, start + len) as a string: lastName itself when they spell it. */
  private commandName(buf: Buffer, start: number, len: number): string {
    const last = this.lastName;
    if (last.length === len) {
      let i = 0;
      while (i < len && last.charCodeAt(i) === buf[start + i]) i++;
      if (i === len) return last;
    }
    const name = latin1Slice(buf, start, start + len);
    if (len <= 16) this.lastName = name;
    return name;
  }

  /**
   * The common case in one pass: a complete `$<n>\r\n` with a short canonical n, under every
   * limit. Anything else (partial, odd or refused) is left to the general path and its errors.
   */
  private quickBulkHeader(): boolean {
    const buf = this.buf;
    const start = this.pos;
    if (buf[start] !== DOLLAR) return false;
    let i = start + 1;
    let c = buf[i];
    if (c === ZERO) return false;
    let len = 0;
    while (c >= ZERO && c <= NINE && i - start < 9) {
      len = len * 10 + (c - ZERO);
      c = buf[++i];
    }
    if (c !== CR || i === start + 1 || i + 1 >= buf.length) return false;
    if (len >= BIG_BULK || len > this.limits.maxBulkLen || (this.unauthenticated && len > UNAUTHENTICATED_MAX_BULK)) return false;
    this.consumeTo(i + 2);
    this.bulkLen = len;
    return true;
  }

  /** Moves a big bulk out of the main buffer into its gather buffer, with what has arrived of it. */
  private startBig(): void {
    const rest = this.buf.length - this.pos;
    const need = this.bulkLen + 2;
    let big = this.spareBig;
    this.spareBig = null;
    const room = Math.min(need, Math.max(BIG_FIRST_ROOM, 2 * rest));
    if (big === null || big.length < room) big = Buffer.allocUnsafe(room);
    this.buf.copy(big, 0, this.pos);
    this.big = big;
    this.bigHave = rest;
    this.bigSinceTrim = true;
    this.release();
  }

  private feedBig(chunk: Buffer): void {
    const need = this.bulkLen + 2;
    const have = this.bigHave;
    const take = Math.min(chunk.length, need - have);
    // Redis reads a big bulk into its query buffer exactly, CRLF included, so the bulk alone
    // counts against the limit, whatever follows it.
    if (have + take > this.limits.queryBufferLimit) throw new ProtocolError(QUERY_BUFFER_LIMIT, false);
    let big = this.big as Buffer;
    if (have + take > big.length) {
      const grown = Buffer.allocUnsafe(Math.min(need, Math.max(2 * big.length, have + take)));
      big.copy(grown, 0, 0, have);
      big = grown;
      this.big = grown;
    }
    chunk.copy(big, have, 0, take);
    this.bigHave = have + take;
    if (have + take < need) return;
    this.big = null;
    this.bigHave = 0;
    if (big.length <= BIG_KEEP_LIMIT) this.spareBig = big;
    (this.args as string[])[this.argCount - this.argsLeft] = latin1Slice(big, 0, this.bulkLen);
    this.argsLeft--;
    this.bulkLen = -1;
    // What follows the bulk is read from the chunk itself, as any other read's bytes are.
    this.useChunk(chunk.subarray(take));
  }
}

/**
 * The array a request's arguments are stored in. Requests of up to 4 arguments (GET, SET, INCR,
 * EXPIRE...) get one of exactly their size, filled in place: a `[]` grown by push reserves 16
 * slots at once, over twice the bytes of the array and its store, so the young generation fills
 * and is scavenged that much more often under pipelined traffic. Longer ones grow by appending.
 */
function argsArray(count: number): string[] {
  switch (count) {
    case 1: return [''];
    case 2: return ['', ''];
    case 3: return ['', '', ''];
    case 4: return ['', '', '', ''];
    default: return [];
  }
}

/**
 * Redis's string2ll over a byte range: a canonical decimal (no '+', no leading zeros, no
 * spaces, no "-0") within the signed 64-bit range, else undefined. Values beyond 2^53 lose
 * precision, which is harmless: callers only compare them with limits far below that.
 */
function parseInt64(buf: Buffer, start: number, end: number): number | undefined {
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  const digits = end - i;
  if (digits <= 0 || digits > 19) return undefined;
  if (buf[i] === ZERO) return digits === 1 && !negative ? 0 : undefined;
  let value = 0;
  for (let j = i; j < end; j++) {
    const c = buf[j];
    if (c < ZERO || c > NINE) return undefined;
    value = value * 10 + (c - ZERO);
  }
  if (digits === 19 && buf.compare(negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS, 0, 19, i, end) > 0) return undefined;
  return negative ? -value : value;
}
