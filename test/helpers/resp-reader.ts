// Finds where one RESP2/RESP3 reply ends in a byte stream, so a test client can read exactly one
// reply per command and compare raw bytes, whatever the reply's type.

const CR = 13;

/** Offset just past the line starting at `from` (after its CRLF), or -1 if it is incomplete. */
function lineEnd(buf: Buffer, from: number): number {
  const cr = buf.indexOf(CR, from);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  return cr + 2;
}

/**
 * The offset just past the reply starting at `from`, or -1 while it is incomplete. Throws on a
 * byte that starts no RESP type: the peer broke the protocol.
 */
export function replyEnd(buf: Buffer, from = 0): number {
  if (from >= buf.length) return -1;
  const type = String.fromCharCode(buf[from]);
  const afterLine = lineEnd(buf, from);
  if (afterLine === -1) return -1;
  const header = buf.toString('latin1', from + 1, afterLine - 2);
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return afterLine;
    case '$':
    case '!':
    case '=': {
      const len = Number(header);
      if (len < 0) return afterLine;
      const end = afterLine + len + 2;
      return end <= buf.length ? end : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let count = Number(header);
      if (count < 0) return afterLine;
      if (type === '%' || type === '|') count *= 2;
      let at = afterLine;
      for (let i = 0; i < count; i++) {
        at = replyEnd(buf, at);
        if (at === -1) return -1;
      }
      // An attribute decorates the reply that follows it.
      return type === '|' ? replyEnd(buf, at) : at;
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(buf.toString('latin1', from, Math.min(buf.length, from + 40)))}`);
  }
}

/** Encodes a request the way clients do: a multibulk of bulk strings. */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

export type RespValue = string | number | null | RespValue[] | { error: string };

/** Decodes one RESP2 reply (strings as latin1), for tests that need to look inside a reply. */
export function decodeReply(reply: string): RespValue {
  const buf = Buffer.from(reply, 'latin1');
  const read = (at: number): [RespValue, number] => {
    const type = reply[at];
    const eol = buf.indexOf(13, at);
    const header = reply.slice(at + 1, eol);
    const next = eol + 2;
    switch (type) {
      case '+':
        return [header, next];
      case '-':
        return [{ error: header }, next];
      case ':':
        return [Number(header), next];
      case '$': {
        const len = Number(header);
        if (len < 0) return [null, next];
        return [reply.slice(next, next + len), next + len + 2];
      }
      case '*': {
        const count = Number(header);
        if (count < 0) return [null, next];
        const items: RespValue[] = [];
        let pos = next;
        for (let i = 0; i < count; i++) {
          const [item, after] = read(pos);
          items.push(item);
          pos = after;
        }
        return [items, pos];
      }
      default:
        throw new Error(`cannot decode RESP type ${JSON.stringify(type)}`);
    }
  };
  return read(0)[0];
}
