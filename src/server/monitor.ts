// MONITOR: every command run by any client, sent to the clients that asked, one status line each,
// formatted as Redis's replicationFeedMonitors: `<sec>.<usec> [<db> <addr>] "arg" "arg"...`.

import type { Client } from './client.js';

/** Redis's sdscatrepr: a quoted string with C escapes, non-printable bytes as \xhh. */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    switch (code) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += code >= 0x20 && code <= 0x7e ? s[i] : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/** The password-bearing arguments Redis hides from MONITOR and SLOWLOG. */
export function redactedArgs(args: readonly string[]): readonly string[] {
  const name = args[0].toLowerCase();
  if (name === 'auth') return args.map((a, i) => (i === 0 ? a : '(redacted)'));
  // Passwords never reach the slow log: ACL SETUSER's rules, and CONFIG SET requirepass's value.
  if (name === 'acl' && args.length > 2 && args[1].toLowerCase() === 'setuser') return args.map((a, i) => (i < 2 ? a : '(redacted)'));
  if (name === 'config' && args.length > 2 && args[1].toLowerCase() === 'set') {
    return args.map((a, i) => (i > 2 && i % 2 === 1 && args[i - 1].toLowerCase() === 'requirepass' ? '(redacted)' : a));
  }
  if (name === 'hello') {
    const out = [...args];
    for (let i = 2; i < out.length; i++) {
      if (out[i].toLowerCase() === 'auth' && i + 2 < out.length) {
        out[i + 1] = '(redacted)';
        out[i + 2] = '(redacted)';
        i += 2;
      }
    }
    return out;
  }
  return args;
}

/** `1700000000.123000` from a ms clock (Redis prints gettimeofday's microseconds). */
function timestamp(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  const micros = Math.round((nowMs - seconds * 1000) * 1000);
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

export class MonitorFeed {
  readonly clients = new Set<Client>();

  get active(): boolean {
    return this.clients.size > 0;
  }

  feed(from: Client, args: readonly string[]): void {
    let line = `${timestamp(from.now)} [${from.dbIndex} ${from.address.addr}]`;
    for (const arg of redactedArgs(args)) line += ` ${quoteRepr(arg)}`;
    for (const monitor of this.clients) {
      monitor.reply.simple(line);
      if (monitor !== from) monitor.onPush?.();
    }
  }
}
