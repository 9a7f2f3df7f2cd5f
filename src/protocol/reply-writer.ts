// Encodes replies into one growable buffer per client; the connection sends it in one socket
// write per read, which is what makes pipelining cheap. RESP3-only types degrade to their RESP2
// forms the way Redis's own reply helpers do (maps become flat arrays, doubles bulk strings...).

import { formatDouble } from '../util/numbers.js';

const INITIAL = 16 * 1024;
/**
 * A reply buffer up to this size stays with the client after a flush, to be written over again
 * once the kernel has taken its bytes (sent()); a bigger one leaves with its replies. Without
 * reuse, every pipelined batch of large values grew a fresh buffer from 16 KB by doubling, copying
 * the batch several times and faulting in new pages (GET of 32 KB values, -P 16: 4x slower than
 * Redis). A client gives back a buffer its recent replies do not use (trim(), from the cron),
 * and an idle client any buffer (shrink()).
 */
const KEEP_LIMIT = 1024 * 1024;

/**
 * How long CLIENT LIST's rbp remembers a peak: Redis resets its reply buffer peak this often
 * (reply-buffer-peak-reset-time, 5000 ms by default, in clientsCronResizeOutputBuffer).
 */
const PEAK_REPORT_MS = 5000;

/** The buffer of a writer that holds nothing (see shrink). */
const EMPTY = Buffer.alloc(0);

/** Up to this many bytes a string is copied by a JS loop: cheaper than a call into C++. */
const SMALL_BULK = 64;

/** Writes a non-negative integer below 1e15 as decimal digits at `p`; returns the end. */
function writeDigits(buf: Buffer, p: number, n: number): number {
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  let q = p + digits;
  for (let t = n; q > p; t = Math.floor(t / 10)) buf[--q] = 48 + (t % 10);
  return p + digits;
}

export type Protocol = 2 | 3;

export class ReplyWriter {
  protocol: Protocol = 2;
  /** Error replies written so far; the dispatcher compares it to count failed calls. */
  errors = 0;
  /** Told of every error reply (INFO errorstats); set by whoever owns the counters. */
  onError: ((message: string) => void) | null = null;
  /**
   * Bytes [start, len) are the replies not yet taken. take() hands out that range as a view and
   * later replies are appended after it, so a flush neither allocates nor copies; the bytes a view
   * covers are never written again (a new buffer is started when this one is full), which keeps
   * a write the socket has not finished intact.
   */
  private buf: Buffer = EMPTY;
  private start = 0;
  private len = 0;
  /** The most bytes one take() handed out since the last trim(): what the buffer is kept for. */
  private peak = 0;
  /**
   * The most bytes one take() handed out since `reportSince` (the earlier ticks' peaks; the
   * current tick's is `peak`), and when that report window began (-1: no cron tick yet).
   */
  private reportPeak = 0;
  private reportSince = -1;

  get pending(): number {
    return this.len - this.start;
  }

  /** Bytes of the buffer this writer holds (CLIENT LIST rbs, tot-mem): 0 when it holds none. */
  get capacity(): number {
    return this.buf.length;
  }

  /** The most reply bytes one flush took out within the last 5 to 10 s (CLIENT LIST rbp). */
  get recentPeak(): number {
    return this.peak > this.reportPeak ? this.peak : this.reportPeak;
  }

  /** Takes the encoded bytes out of the writer, leaving it empty. */
  take(): Buffer | null {
    if (this.len === this.start) return null;
    if (this.len - this.start > this.peak) this.peak = this.len - this.start;
    const out = this.buf.subarray(this.start, this.len);
    if (this.buf.length > KEEP_LIMIT) {
      // A big reply's buffer leaves with it rather than stay with the client.
      this.buf = EMPTY;
      this.len = 0;
    }
    this.start = this.len;
    return out;
  }

  /**
   * The bytes taken so far have all left the process (the kernel copied them, and no write holds
   * a view of them): the buffer can be written over from its start again.
   */
  sent(): void {
    if (this.len === this.start) {
      this.start = 0;
      this.len = 0;
    }
  }

  /**
   * Called periodically (the cron): a buffer grown past its first size that the replies since the
   * last call did not use half of is given back, so that a client which once read a large batch
   * does not keep up to 1 MB while it goes on with small replies.
   */
  trim(now: number): void {
    if (this.buf.length > INITIAL && this.peak * 2 < this.buf.length) this.dropIfEmpty();
    this.endTick(now);
  }

  /** Drops the working buffer of an idle client so thousands of idle clients hold no memory. */
  shrink(now: number): void {
    this.dropIfEmpty();
    this.endTick(now);
  }

  /** Gives the buffer back unless replies are waiting in it. */
  private dropIfEmpty(): void {
    if (this.len !== this.start) return;
    this.buf = EMPTY;
    this.start = 0;
    this.len = 0;
  }

  /**
   * Folds the tick's peak into the reported one, which starts over every PEAK_REPORT_MS from
   * what is waiting in the buffer then, as Redis resets buf_peak to bufpos.
   */
  private endTick(now: number): void {
    if (this.reportSince < 0) {
      this.reportSince = now;
    } else if (now - this.reportSince >= PEAK_REPORT_MS) {
      this.reportSince = now;
      this.reportPeak = this.len - this.start;
      this.peak = 0;
      return;
    }
    if (this.peak > this.reportPeak) this.reportPeak = this.peak;
    this.peak = 0;
  }

  /** Undoes everything written after `mark`, a `pending` value (replaces a partial reply by an error). */
  truncate(mark: number): void {
    this.len = this.start + mark;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const pending = this.len - this.start;
    const need = pending + n;
    let size = Math.max(INITIAL, pending * 2);
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, this.start, this.len);
    this.buf = grown;
    this.start = 0;
    this.len = pending;
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
    if (n <= SMALL_BULK) {
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
    } else if (n >= 0 && n < 1e15 && n === Math.floor(n)) {
      this.len = writeDigits(buf, this.len, n);
    } else {
      this.ascii(String(n));
    }
    buf[this.len++] = 13;
    buf[this.len++] = 10;
  }

  /** `+OK\r\n` by hand: Buffer#copy is a call into C++ that costs more than five stores. */
  ok(): void {
    this.reserve(5);
    const buf = this.buf;
    const p = this.len;
    buf[p] = 43; // '+'
    buf[p + 1] = 79; // 'O'
    buf[p + 2] = 75; // 'K'
    buf[p + 3] = 13;
    buf[p + 4] = 10;
    this.len = p + 5;
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
    const n = s.length;
    if (n > SMALL_BULK) {
      this.header(36, n); // '$'
      this.latin1(s);
      this.crlf();
      return;
    }
    // Small bulks, the common GET reply, in one reservation and one byte loop.
    this.reserve(n + 8);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 36;
    if (n < 10) {
      buf[p++] = 48 + n;
    } else {
      buf[p++] = 48 + ((n / 10) | 0);
      buf[p++] = 48 + (n % 10);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  /** A bulk of the bytes [start, end) of b (a stored value, copied without making a string). */
  bulkBytes(b: Buffer, start: number, end: number): void {
    const n = end - start;
    this.header(36, n); // '$'
    this.reserve(n + 2);
    const buf = this.buf;
    let p = this.len;
    if (n <= SMALL_BULK) {
      for (let i = start; i < end; i++) buf[p++] = b[i];
    } else {
      p += b.copy(buf, p, start, end);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  bulkBuffer(b: Buffer): void {
    this.bulkBytes(b, 0, b.length);
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
