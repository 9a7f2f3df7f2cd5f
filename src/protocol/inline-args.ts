// Splits an inline command line into arguments with the quoting rules of Redis's sdssplitargs,
// which redis-cli and telnet users rely on: "double quotes" with \xHH and C escapes, 'single
// quotes' with only \' as escape, and a closing quote that must be followed by a space.

const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** C's isspace: what separates arguments and may follow a closing quote. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

/** What ends an unquoted argument: fewer bytes than isspace, so `a\vb` stays one argument. */
function endsWord(c: number): boolean {
  return c === SPACE || c === 9 || c === 10 || c === 13;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const ESCAPES: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 97: 7 };

/** Arguments as latin1 strings, or null for unbalanced quotes. */
export function splitInlineArgs(buf: Buffer, start: number, end: number): string[] | null {
  const args: string[] = [];
  let i = start;
  for (;;) {
    while (i < end && isSpace(buf[i])) i++;
    if (i >= end) return args;
    const bytes: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (i >= end) {
        if (inDouble || inSingle) return null;
        break;
      }
      const c = buf[i];
      if (inDouble) {
        if (c === BACKSLASH && i + 3 < end && buf[i + 1] === 120 && hexValue(buf[i + 2]) >= 0 && hexValue(buf[i + 3]) >= 0) {
          bytes.push(hexValue(buf[i + 2]) * 16 + hexValue(buf[i + 3]));
          i += 3;
        } else if (c === BACKSLASH && i + 1 < end) {
          i++;
          bytes.push(ESCAPES[buf[i]] ?? buf[i]);
        } else if (c === DQUOTE) {
          if (i + 1 < end && !isSpace(buf[i + 1])) return null;
          done = true;
        } else {
          bytes.push(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && i + 1 < end && buf[i + 1] === SQUOTE) {
          i++;
          bytes.push(SQUOTE);
        } else if (c === SQUOTE) {
          if (i + 1 < end && !isSpace(buf[i + 1])) return null;
          done = true;
        } else {
          bytes.push(c);
        }
      } else if (endsWord(c)) {
        done = true;
      } else if (c === DQUOTE) {
        inDouble = true;
      } else if (c === SQUOTE) {
        inSingle = true;
      } else {
        bytes.push(c);
      }
      i++;
    }
    args.push(Buffer.from(bytes).toString('latin1'));
  }
}
