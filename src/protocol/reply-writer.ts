// Encodes replies into one growable buffer per client; the connection sends it in one socket
// write per read, which is what makes pipelining cheap. RESP3-only types degrade to their RESP2
// forms the way Redis's own reply helpers do (maps become flat arrays, doubles bulk strings...).

import { formatDouble } from '../util/numbers.js';

const INITIAL = 16 * 1024;
/** A reply buffer bigger than this is handed to the socket instead of being copied and kept. */
const KEEP_LIMIT = 64 * 1024;

/** The bytes of precomputed replies that the hot path sends often. */
const OK = Buffer.from('+OK\r\n');
const CRLF = Buffer.from('\r\n');

export type Protocol = 2 | 3;

export class ReplyWriter {
  protocol: Protocol = 2;
  /** Error replies written so far; the dispatcher compares it to count failed calls. */
  errors = 0;
  /** Told of every error reply (INFO errorstats); set by whoever owns the counters. */
  onError: ((message: string) => void) | null = null;
  private buf: Buffer = Buffer.allocUnsafe(0);
  private len = 0;

  get pending(): number {
    return this.len;
  }

  /** Takes the encoded bytes out of the writer, leaving it empty. */
  take(): Buffer | null {
    if (this.len === 0) return null;
    let out: Buffer;
    if (this.buf.length > KEEP_LIMIT) {
      out = this.buf.subarray(0, this.len);
      this.buf = Buffer.allocUnsafe(0);
    } else {
      out = Buffer.allocUnsafe(this.len);
      this.buf.copy(out, 0, 0, this.len);
    }
    this.len = 0;
    return out;
  }

  /** Drops the working buffer of an idle client so thousands of idle clients hold no memory. */
  shrink(): void {
    if (this.len === 0) this.buf = Buffer.allocUnsafe(0);
  }

  /** Undoes everything written after `mark` (used to replace a partial reply by an error). */
  truncate(mark: number): void {
    this.len = mark;
  }

  private reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = Math.max(INITIAL, this.buf.length * 2);
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  /** Appends raw protocol bytes (precomputed replies, forwarded RESP). */
  raw(bytes: Buffer): void {
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  private ascii(s: string): void {
    this.reserve(s.length);
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.len = p;
  }

  private latin1(s: string): void {
    const n = s.length;
    this.reserve(n);
    if (n < 32) {
      const buf = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
      this.len = p;
    } else {
      this.len += this.buf.write(s, this.len, n, 'latin1');
    }
  }

  private crlf(): void {
    this.reserve(2);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** `<prefix><n>\r\n`, the header shared by integers, bulks and aggregates. */
  private header(prefix: number, n: number): void {
    this.reserve(24);
    const buf = this.buf;
    buf[this.len++] = prefix;
    if (n >= 0 && n < 10) {
      buf[this.len++] = 48 + n;
    } else {
      this.ascii(String(n));
    }
    this.crlf();
  }

  ok(): void {
    this.raw(OK);
  }

  simple(s: string): void {
    this.reserve(s.length + 3);
    this.buf[this.len++] = 43; // '+'
    this.latin1(s);
    this.crlf();
  }

  /**
   * An error reply. `message` includes the code (`ERR ...`, `WRONGTYPE ...`). Newlines would
   * break the protocol, so they become spaces, as in Redis's addReplyError.
   */
  error(message: string): void {
    this.errors++;
    this.onError?.(message);
    this.reserve(message.length + 3);
    this.buf[this.len++] = 45; // '-'
    this.latin1(/[\r\n]/.test(message) ? message.replace(/[\r\n]/g, ' ') : message);
    this.crlf();
  }

  integer(n: number | bigint): void {
    if (typeof n === 'bigint') {
      this.reserve(24);
      this.buf[this.len++] = 58;
      this.ascii(n.toString());
      this.crlf();
    } else {
      this.header(58, n); // ':'
    }
  }

  bulk(s: string): void {
    this.header(36, s.length); // '$'
    this.latin1(s);
    this.crlf();
  }

  bulkBuffer(b: Buffer): void {
    this.header(36, b.length);
    this.raw(b);
    this.raw(CRLF);
  }

  /** A missing bulk: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    if (this.protocol === 3) this.ascii('_\r\n');
    else this.ascii('$-1\r\n');
  }

  /** A missing aggregate: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    if (this.protocol === 3) this.ascii('_\r\n');
    else this.ascii('*-1\r\n');
  }

  array(n: number): void {
    this.header(42, n); // '*'
  }

  /** A map of n pairs; RESP2 sends it as a flat array of 2n elements. */
  map(n: number): void {
    if (this.protocol === 3) this.header(37, n); // '%'
    else this.header(42, n * 2);
  }

  set(n: number): void {
    this.header(this.protocol === 3 ? 126 : 42, n); // '~'
  }

  /** An out-of-band message (pub/sub); RESP2 has only arrays for it. */
  push(n: number): void {
    this.header(this.protocol === 3 ? 62 : 42, n); // '>'
  }

  double(d: number): void {
    const text = formatDouble(d);
    if (this.protocol === 3) {
      this.reserve(text.length + 3);
      this.buf[this.len++] = 44; // ','
      this.ascii(text);
      this.crlf();
    } else {
      this.bulk(text);
    }
  }

  boolean(b: boolean): void {
    if (this.protocol === 3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.header(58, b ? 1 : 0);
  }

  /** Text meant for humans (INFO, CLIENT LIST...): RESP3's verbatim string, else a bulk. */
  verbatim(text: string, format = 'txt'): void {
    if (this.protocol === 3) {
      this.header(61, text.length + 4); // '='
      this.ascii(format);
      this.ascii(':');
      this.latin1(text);
      this.crlf();
    } else {
      this.bulk(text);
    }
  }

  bulkArray(items: readonly string[]): void {
    this.array(items.length);
    for (const item of items) this.bulk(item);
  }
}
