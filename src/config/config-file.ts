// Configuration files in redis.conf syntax: one directive per line, arguments split with the
// quoting rules of Redis's sdssplitargs, `#` comments, `include other.conf`. A directive that is
// unknown or has a bad value stops start-up with Redis's fatal error block, naming the file and
// line so the fix is obvious.

import { readFileSync } from 'node:fs';
import { splitInlineArgs } from '../protocol/inline-args.js';
import { RINGCACHE_VERSION } from '../server/version.js';
import { Config, ConfigError, findParam } from './config.js';

export { rewriteConfigFile } from './config-rewrite.js';

/** One configuration line, from a file or from the command line. */
export interface Directive {
  /** Lower-case name as written (an alias stays an alias). */
  name: string;
  args: string[];
  /** The file it came from, or null for the command line. */
  file: string | null;
  /** 1-based line in that file (for the command line: the position of the option). */
  line: number;
  /** The line as shown in error messages: trimmed, as Redis prints it. */
  text: string;
}

/** A directive that cannot be applied; `reason` is Redis's wording. */
export class ConfigFileError extends Error {
  constructor(
    readonly directive: Pick<Directive, 'file' | 'line' | 'text'>,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A config file (or an included one) that cannot be read. */
export class ConfigOpenError extends Error {}

export const BAD_DIRECTIVE = 'Bad directive or wrong number of arguments';
export const WRONG_ARGS = 'wrong number of arguments';
export const UNBALANCED_QUOTES = 'Unbalanced quotes in configuration line';

/** Includes deeper than this are a loop (Redis itself would recurse until it crashes). */
const MAX_INCLUDE_DEPTH = 16;

/** Redis's fatal block for a bad line, with the file named so the reader knows where to look. */
export function formatConfigFileError(err: ConfigFileError): string {
  const where = err.directive.file === null ? 'the command line' : `the configuration file ${err.directive.file}`;
  let text =
    `\n*** FATAL CONFIG FILE ERROR (ringcache ${RINGCACHE_VERSION}) ***\n` +
    `Reading ${where}, at line ${err.directive.line}\n` +
    `>>> '${err.directive.text}'\n` +
    `${err.reason}\n`;
  if (err.reason === BAD_DIRECTIVE) text += `(ringcache-server --help lists every directive ringcache accepts)\n`;
  return text;
}

/** Redis's message when a config file cannot be opened. */
export function formatOpenError(path: string, err: NodeJS.ErrnoException): string {
  const reason = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message;
  return `Fatal error, can't open config file '${path}': ${reason}`;
}

/** Splits one line with sdssplitargs rules; null for unbalanced quotes. */
export function splitConfigLine(line: string): string[] | null {
  const bytes = Buffer.from(line, 'latin1');
  return splitInlineArgs(bytes, 0, bytes.length);
}

export type FileReader = (path: string) => string;

/** Reads a file as bytes-in-latin1, so quoted binary values survive; '-' is standard input. */
export const readConfigText: FileReader = (path) => readFileSync(path === '-' ? 0 : path).toString('latin1');

/**
 * Parses configuration text into directives, expanding `include` lines in place (paths as
 * written, relative to the working directory, as Redis resolves them).
 */
export function parseConfigText(text: string, file: string, read: FileReader = readConfigText, depth = 0): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const where = { file, line: i + 1, text: trimmed };
    const words = splitConfigLine(trimmed);
    if (words === null) throw new ConfigFileError(where, UNBALANCED_QUOTES);
    if (words.length === 0) continue;
    const name = words[0].toLowerCase();
    if (name === 'include') {
      if (words.length !== 2) throw new ConfigFileError(where, BAD_DIRECTIVE);
      if (depth >= MAX_INCLUDE_DEPTH) throw new ConfigFileError(where, 'include nesting too deep (does a file include itself?)');
      directives.push(...readConfigFile(words[1], read, depth + 1));
      continue;
    }
    directives.push({ name, args: words.slice(1), ...where });
  }
  return directives;
}

/** Reads one config file and the files it includes. Throws ConfigOpenError or ConfigFileError. */
export function readConfigFile(path: string, read: FileReader = readConfigText, depth = 0): Directive[] {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    throw new ConfigOpenError(formatOpenError(path, err as NodeJS.ErrnoException));
  }
  return parseConfigText(text, path, read, depth);
}

/**
 * Applies directives in order, as Redis loads its config text: later lines win, except `save`,
 * whose lines add up (the first one replaces the default, `save ""` clears them).
 */
export function applyDirectives(config: Config, directives: readonly Directive[]): void {
  let saveLoaded = false;
  for (const directive of directives) {
    const param = findParam(directive.name);
    if (param === undefined) throw new ConfigFileError(directive, BAD_DIRECTIVE);
    const count = directive.args.length;
    // A bare `save` means `save ""` in Redis 7.
    const minArgs = param.name === 'save' ? 0 : 1;
    if (param.multiArg === true ? count < minArgs : count !== 1) throw new ConfigFileError(directive, WRONG_ARGS);
    let value = directive.args.join(' ');
    if (param.name === 'save') {
      if (saveLoaded && value !== '') value = `${config.get('save')} ${value}`.trim();
      saveLoaded = true;
    }
    try {
      config.load(param.name, value);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new ConfigFileError(directive, err.message);
    }
  }
}
