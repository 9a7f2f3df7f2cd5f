// The reply writer's encodings in RESP2 and RESP3, as redis-server 7.0.15 sends them (the RESP3
// forms were read from `HELLO 3` sessions against it: `%` maps, `_` nulls, `,` doubles, `~` sets,
// `=` verbatim strings with a `txt:` prefix), and its buffer hand-off.

import { expect } from 'chai';
import { ReplyWriter } from '../../src/protocol/reply-writer.js';

function written(protocol: 2 | 3, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.protocol = protocol;
  write(w);
  return w.take()?.toString('latin1') ?? '';
}

describe('reply writer', () => {
  it('writes the scalar types', () => {
    expect(written(2, (w) => w.ok())).to.equal('+OK\r\n');
    expect(written(2, (w) => w.simple('PONG'))).to.equal('+PONG\r\n');
    expect(written(2, (w) => w.integer(0))).to.equal(':0\r\n');
    expect(written(2, (w) => w.integer(-1))).to.equal(':-1\r\n');
    expect(written(2, (w) => w.integer(1234567))).to.equal(':1234567\r\n');
    expect(written(2, (w) => w.integer(-9223372036854775808n))).to.equal(':-9223372036854775808\r\n');
    expect(written(2, (w) => w.bulk(''))).to.equal('$0\r\n\r\n');
    expect(written(2, (w) => w.bulkBuffer(Buffer.from([0, 255])))).to.equal('$2\r\n\x00\xff\r\n');
  });

  it('writes every byte value of a bulk unchanged, short and long', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    expect(written(2, (w) => w.bulk(all))).to.equal(`$256\r\n${all}\r\n`);
    expect(written(2, (w) => w.bulk('\xff\x00\r'))).to.equal('$3\r\n\xff\x00\r\r\n');
  });

  it('turns newlines inside an error into spaces and counts errors', () => {
    const w = new ReplyWriter();
    const seen: string[] = [];
    w.onError = (m) => seen.push(m);
    w.error("ERR Protocol error: expected '$', got '\r'");
    w.error('ERR a\nb');
    expect(w.take()?.toString('latin1')).to.equal("-ERR Protocol error: expected '$', got ' '\r\n-ERR a b\r\n");
    expect(w.errors).to.equal(2);
    expect(seen).to.have.length(2);
  });

  it('degrades RESP3 types to their RESP2 forms', () => {
    const cases: [(w: ReplyWriter) => void, string, string][] = [
      [(w) => w.nullBulk(), '$-1\r\n', '_\r\n'],
      [(w) => w.nullArray(), '*-1\r\n', '_\r\n'],
      [(w) => w.map(2), '*4\r\n', '%2\r\n'],
      [(w) => w.set(3), '*3\r\n', '~3\r\n'],
      [(w) => w.push(3), '*3\r\n', '>3\r\n'],
      [(w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
      [(w) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
      [(w) => w.boolean(true), ':1\r\n', '#t\r\n'],
      [(w) => w.boolean(false), ':0\r\n', '#f\r\n'],
      [(w) => w.verbatim('a\r\nb'), '$4\r\na\r\nb\r\n', '=8\r\ntxt:a\r\nb\r\n'],
      [(w) => w.bulkArray(['a', '']), '*2\r\n$1\r\na\r\n$0\r\n\r\n', '*2\r\n$1\r\na\r\n$0\r\n\r\n'],
    ];
    for (const [write, resp2, resp3] of cases) {
      expect(written(2, write)).to.equal(resp2);
      expect(written(3, write)).to.equal(resp3);
    }
  });

  it('hands over its bytes once: take() empties it, truncate() undoes a partial reply', () => {
    const w = new ReplyWriter();
    expect(w.take()).to.equal(null);
    w.bulk('x'.repeat(100_000));
    const big = w.take();
    expect(big?.length).to.equal(100_000 + 11);
    expect(w.pending).to.equal(0);
    w.ok();
    const mark = w.pending;
    w.array(2);
    w.bulk('partial');
    w.truncate(mark);
    w.error('ERR x');
    expect(w.take()?.toString('latin1')).to.equal('+OK\r\n-ERR x\r\n');
    // A taken buffer is not overwritten by later replies.
    w.bulk('y'.repeat(10));
    expect(big?.toString('latin1', 0, 12)).to.equal('$100000\r\nxxx');
  });

  it('encodes bulks and integers on both sides of the byte-loop thresholds', () => {
    const w = new ReplyWriter();
    for (const n of [0, 1, 9, 10, 63, 64, 65, 99, 100, 200]) {
      const value = String.fromCharCode(...Array.from({ length: n }, (_, i) => (i * 37) % 256));
      w.bulk(value);
      expect(w.take()?.toString('latin1')).to.equal(`$${n}\r\n${value}\r\n`);
    }
    for (const n of [0, 7, 10, 99, 100, 1234567, 12345678901234, 999999999999999, 1e15, 2 ** 53 - 1, -1, -9, -1234]) {
      w.integer(n);
      expect(w.take()?.toString('latin1')).to.equal(`:${String(n)}\r\n`);
    }
    w.integer(-(2n ** 63n));
    expect(w.take()?.toString('latin1')).to.equal(':-9223372036854775808\r\n');
  });

  it('keeps every taken reply intact while later replies fill and outgrow the buffer', () => {
    const w = new ReplyWriter();
    const taken: [Buffer, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const value = `v${i}`.repeat(1 + (i % 7));
      w.bulk(value);
      w.integer(i);
      if (i % 3 === 0) {
        const out = w.take() as Buffer;
        taken.push([out, out.toString('latin1')]);
      }
    }
    const tail = w.take()?.toString('latin1') ?? '';
    for (const [buf, text] of taken) expect(buf.toString('latin1')).to.equal(text);
    let expected = '';
    for (let i = 0; i < 3000; i++) {
      const value = `v${i}`.repeat(1 + (i % 7));
      expected += `$${value.length}\r\n${value}\r\n:${i}\r\n`;
    }
    expect(taken.map(([, text]) => text).join('') + tail).to.equal(expected);
  });

  it('writes over its buffer again only once told the taken bytes were sent, and leaves buffers past 1 MB', () => {
    const w = new ReplyWriter();
    const big = 'a'.repeat(300 * 1024);
    w.bulk(big);
    const first = w.take() as Buffer;
    // Not sent yet: the next reply goes after the taken bytes (in the 512 KB the first one grew
    // the buffer to), which stay as they were.
    w.bulk('b'.repeat(100 * 1024));
    const second = w.take() as Buffer;
    expect(second.buffer).to.equal(first.buffer);
    expect(second.byteOffset).to.equal(first.byteOffset + first.length);
    expect(first.toString('latin1')).to.equal(`$${big.length}\r\n${big}\r\n`);
    // Sent: the same memory serves the next replies from its start, without a new buffer.
    w.sent();
    w.bulk('c'.repeat(100));
    const third = w.take() as Buffer;
    expect(third.buffer).to.equal(first.buffer);
    expect(third.byteOffset).to.equal(first.byteOffset);
    expect(third.toString('latin1')).to.equal(`$100\r\n${'c'.repeat(100)}\r\n`);
    // sent() with replies written since the last take changes nothing.
    w.bulk('d');
    w.sent();
    expect(w.take()?.toString('latin1')).to.equal('$1\r\nd\r\n');
    // Past 1 MB the buffer leaves with its replies.
    w.sent();
    w.bulk('e'.repeat(1100 * 1024));
    const huge = w.take() as Buffer;
    w.integer(1);
    expect((w.take() as Buffer).buffer).not.to.equal(huge.buffer);
    // An idle client's buffer goes (shrink), and a new one starts small.
    w.shrink(0);
    w.integer(2);
    const small = w.take() as Buffer;
    expect(small.buffer.byteLength).to.equal(16 * 1024);
  });
});
