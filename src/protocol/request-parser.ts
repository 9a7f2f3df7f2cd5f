// Incremental parser for client requests: RESP multibulk and inline commands.
//
// Arguments come out as latin1 strings: one JS char per byte, so any byte sequence round-trips
// and the string owns its memory (a Buffer subarray would pin the whole socket chunk).
// The rules mirror Redis's processMultibulkBuffer/processInlineBuffer so that malformed input
// gets the same error at the same point.

import { splitInlineArgs } from './inline-args.js';

/** Longest inline command or length line Redis reads before giving up (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Above this many bytes a bulk is gathered from its chunks instead of through the main buffer. */
const BIG_BULK = 32 * 1024;
const INT_MAX = 2147483647;
const EMPTY = Buffer.alloc(0);

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

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
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Arguments of the multibulk request being read, or null between requests. */
  private args: string[] | null = null;
  private argsLeft = 0;
  /** Length of the bulk being read, or -1 while its `$` header is still expected. */
  private bulkLen = -1;
  /** Pieces of a big bulk gathered across reads. */
  private bigPieces: Buffer[] | null = null;
  private bigHave = 0;
  /**
   * Until a client authenticates Redis caps request sizes, so an anonymous peer cannot make the
   * server buffer much. The connection sets this from its auth state.
   */
  unauthenticated = false;

  constructor(readonly limits: ParserLimits) {}

  /** Bytes received but not yet returned as a request (Redis's query buffer length). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  feed(chunk: Buffer): void {
    if (this.bigPieces !== null) {
      this.feedBig(chunk);
    } else if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    }
    if (this.pendingBytes > this.limits.queryBufferLimit) {
      throw new ProtocolError('query buffer limit reached', false);
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
      if (this.bigPieces !== null) return null;
      if (this.pos >= this.buf.length) {
        this.release();
        return null;
      }
      const req = this.buf[this.pos] === STAR ? this.startMultibulk() : this.inline();
      if (req === null) return null;
      if (req.length > 0) return req;
    }
  }

  private release(): void {
    this.buf = EMPTY;
    this.pos = 0;
  }

  private inline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('ERR Protocol error: too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const args = splitInlineArgs(buf, this.pos, end);
    if (args === null) throw new ProtocolError('ERR Protocol error: unbalanced quotes in request');
    this.pos = nl + 1;
    return args;
  }

  /** Reads `*<count>\r\n`; returns [] for a request that carries no arguments. */
  private startMultibulk(): string[] | null {
    const count = this.readLengthLine('multibulk');
    if (count === null) return null;
    if (count === undefined || count > INT_MAX) throw new ProtocolError('ERR Protocol error: invalid multibulk length');
    if (count <= 0) return [];
    if (this.unauthenticated && count > 10) throw new ProtocolError('ERR Protocol error: unauthenticated multibulk length');
    this.args = [];
    this.argsLeft = count;
    this.bulkLen = -1;
    return this.continueMultibulk();
  }

  private continueMultibulk(): string[] | null {
    const args = this.args as string[];
    while (this.argsLeft > 0) {
      if (this.bulkLen === -1) {
        if (this.pos >= this.buf.length) return null;
        const first = this.buf[this.pos];
        if (first !== DOLLAR) {
          // Redis's message prints the byte as a C char.
          throw new ProtocolError(`ERR Protocol error: expected '$', got '${String.fromCharCode(first)}'`);
        }
        const len = this.readLengthLine('bulk');
        if (len === null) return null;
        if (len === undefined || len < 0 || len > this.limits.maxBulkLen) {
          throw new ProtocolError('ERR Protocol error: invalid bulk length');
        }
        if (this.unauthenticated && len > 16384) throw new ProtocolError('ERR Protocol error: unauthenticated bulk length');
        this.bulkLen = len;
        if (len >= BIG_BULK && this.buf.length - this.pos < len + 2) {
          this.startBig();
          return null;
        }
      }
      const need = this.bulkLen + 2;
      if (this.buf.length - this.pos < need) return null;
      args.push(this.buf.toString('latin1', this.pos, this.pos + this.bulkLen));
      // Redis skips the two bytes after a bulk without checking that they are CRLF.
      this.pos += need;
      this.bulkLen = -1;
      this.argsLeft--;
    }
    this.args = null;
    return args;
  }

  /**
   * Moves a big bulk out of the main buffer: its bytes are gathered piece by piece as they arrive,
   * so neither a declared size is allocated up front nor the buffer re-concatenated per read.
   */
  private startBig(): void {
    const rest = this.buf.subarray(this.pos);
    this.bigPieces = rest.length > 0 ? [rest] : [];
    this.bigHave = rest.length;
    this.release();
  }

  private feedBig(chunk: Buffer): void {
    const pieces = this.bigPieces as Buffer[];
    pieces.push(chunk);
    this.bigHave += chunk.length;
    const need = this.bulkLen + 2;
    if (this.bigHave < need) return;
    const all = Buffer.concat(pieces, this.bigHave);
    this.bigPieces = null;
    this.bigHave = 0;
    (this.args as string[]).push(all.toString('latin1', 0, this.bulkLen));
    this.argsLeft--;
    this.bulkLen = -1;
    this.buf = all;
    this.pos = need;
  }

  /**
   * Parses the number on a `*` or `$` line. null: the line is not complete yet; undefined: not a
   * valid integer (Redis's string2ll rules: no '+', no leading zeros, no spaces).
   */
  private readLengthLine(kind: 'multibulk' | 'bulk'): number | null | undefined {
    const buf = this.buf;
    const cr = buf.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) {
        throw new ProtocolError(`ERR Protocol error: too big ${kind === 'multibulk' ? 'mbulk' : 'bulk'} count string`);
      }
      return null;
    }
    const value = parseDecimal(buf, this.pos + 1, cr);
    this.pos = cr + 2;
    return value;
  }
}

/** Redis's string2ll over a byte range; undefined when the text is not a canonical integer. */
function parseDecimal(buf: Buffer, start: number, end: number): number | undefined {
  if (start >= end || end - start > 20) return undefined;
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) {
    i++;
    if (i >= end) return undefined;
  }
  if (buf[i] === ZERO) return end - i === 1 && !negative ? 0 : undefined;
  let value = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < ZERO || c > NINE) return undefined;
    value = value * 10 + (c - ZERO);
  }
  return negative ? -value : value;
}
