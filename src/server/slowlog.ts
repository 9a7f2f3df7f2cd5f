// SLOWLOG's memory: the most recent commands that ran longer than slowlog-log-slower-than, each
// with its arguments trimmed as Redis trims them so a huge request cannot pin its bytes here.

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
const MAX_ARGS = 32;
const MAX_ARG_BYTES = 128;

export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds when the command ran. */
  time: number;
  usec: number;
  args: string[];
  addr: string;
  name: string;
}

export class Slowlog {
  /** Newest first, as SLOWLOG GET lists them. */
  private entries: SlowlogEntry[] = [];
  /** Never rewound, not even by SLOWLOG RESET, as in Redis. */
  private nextId = 0;

  get length(): number {
    return this.entries.length;
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  push(args: readonly string[], usec: number, time: number, addr: string, name: string, maxLen: number): void {
    this.entries.unshift({ id: this.nextId++, time, usec, args: trimArgs(args), addr, name });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  /** The newest `count` entries; -1 for all. */
  newest(count: number): readonly SlowlogEntry[] {
    return count < 0 ? this.entries : this.entries.slice(0, count);
  }

  /** CONFIG SET slowlog-max-len trims at once. */
  trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries = [];
  }
}

function trimArgs(args: readonly string[]): string[] {
  const kept = Math.min(args.length, MAX_ARGS);
  const out: string[] = [];
  for (let i = 0; i < kept; i++) {
    if (kept !== args.length && i === kept - 1) {
      out.push(`... (${args.length - MAX_ARGS + 1} more arguments)`);
      break;
    }
    const arg = args[i];
    // Copied out with a fresh string so the entry never keeps a request buffer alive.
    out.push(arg.length > MAX_ARG_BYTES ? `${arg.slice(0, MAX_ARG_BYTES)}... (${arg.length - MAX_ARG_BYTES} more bytes)` : arg);
  }
  return out;
}
