// Server log lines in Redis's format (`pid:role date level-mark message`), so tools and people
// that read Redis logs read ringcache's the same way. Verbosity and destination come from the
// loglevel and logfile parameters.

import { appendFileSync } from 'node:fs';
import type { Config } from '../config/config.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Logger {
  log(level: LogLevel, message: string): void;
}

/** Embedded servers stay quiet: a test suite's output is its own. */
export const silentLogger: Logger = { log: () => undefined };

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Redis's timestamp: `23 Nov 2026 15:23:35.537`, local time. */
export function formatLogTime(date: Date): string {
  return (
    `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

/** Writes to the logfile, or to standard output when logfile is empty, as Redis does. */
export class ServerLogger implements Logger {
  private threshold = RANK.notice;
  private file = '';
  /** 'C' while the configuration is read, 'M' once the server runs (Redis's role marks). */
  role: 'C' | 'M' = 'C';

  constructor(
    config: Config,
    private readonly stdout: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    config.watch('loglevel', (value) => (this.threshold = RANK[value as LogLevel] ?? RANK.notice));
    config.watch('logfile', (value) => (this.file = value));
  }

  log(level: LogLevel, message: string): void {
    if (RANK[level] < this.threshold) return;
    const line = `${process.pid}:${this.role} ${formatLogTime(new Date())} ${MARK[level]} ${message}\n`;
    if (this.file === '') {
      this.stdout(line);
      return;
    }
    try {
      appendFileSync(this.file, line);
    } catch {
      // An unwritable log file must not stop the server; say so where someone may see it.
      this.stdout(line);
    }
  }
}
