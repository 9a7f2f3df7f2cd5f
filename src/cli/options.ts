// The command line, read the way redis-server reads its own: an optional config file first, then
// `--<parameter> <value>` for any parameter of the config table, applied after the file. The
// options are generated from the table, so a new parameter is a new flag with no extra code.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CONFIG_TABLE, type ConfigParam } from '../config/config-table.js';
import { Config, ConfigError, defaultOf } from '../config/config.js';
import type { Directive } from '../config/config-file.js';
import { REDIS_COMPAT_VERSION, RINGCACHE_VERSION } from '../server/version.js';

export const PROGRAM = 'ringcache-server';
export const VERSION_TEXT = `ringcache v${RINGCACHE_VERSION} (Redis ${REDIS_COMPAT_VERSION} compatible)`;
export const HELP_HINT = `(run '${PROGRAM} --help' to list every option and its default)`;

export type CommandLine =
  | { action: 'run'; configFile: string | null; directives: Directive[]; clusterLocal?: number }
  | { action: 'exit'; code: number; stdout: string; stderr: string };

/** The default as --help and the README show it. */
export function defaultText(param: ConfigParam): string {
  if (param.defaultDoc !== undefined) return param.defaultDoc;
  const value = defaultOf(param);
  return value === '' ? '""' : value;
}

function placeholder(param: ConfigParam): string {
  if (param.name === 'save') return '[seconds changes...]';
  if (param.multiArg === true) return '<value...>';
  switch (param.type.kind) {
    case 'bool':
      return '<yes|no>';
    case 'int':
      return '<number>';
    case 'memory':
      return '<bytes>';
    case 'enum':
      return '<value>';
    case 'string':
      return '<value>';
  }
}

/** The value check CONFIG SET and config files use, so all three refuse the same values. */
function checkValue(param: ConfigParam, value: string): string | null {
  try {
    new Config().load(param.name, value);
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
}

function optionFor(param: ConfigParam, flagName: string, hidden: boolean): Option {
  const option = new Option(`--${flagName} ${placeholder(param)}`, `${param.description} (default: ${defaultText(param)})`);
  if (param.multiArg !== true) {
    // Single values are checked as they are read, so commander names the option in its error.
    option.argParser((value: string) => {
      const reason = checkValue(param, value);
      if (reason !== null) throw new InvalidArgumentError(reason);
      return value;
    });
  }
  return hidden ? option.hideHelp() : option;
}

/** The commander program, with one option per config parameter (aliases hidden). */
export function buildProgram(out: { stdout: (s: string) => void; stderr: (s: string) => void }): {
  program: Command;
  paramOf: Map<string, ConfigParam>;
} {
  const program = new Command(PROGRAM)
    .usage('[/path/to/ringcache.conf] [--<config-name> <value>]...')
    .description(
      'A Redis-protocol cache server. Every redis.conf parameter is also an option, and options override the config file, as with redis-server.',
    )
    .argument('[config]', "config file in redis.conf syntax ('-' reads standard input)")
    .helpOption('-h, --help', 'show this help and exit')
    .version(VERSION_TEXT, '-v, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showHelpAfterError(HELP_HINT)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        `  ${PROGRAM}                               listen on 127.0.0.1:6379\n` +
        `  ${PROGRAM} --port 0                      listen on a free port (printed at start-up)\n` +
        `  ${PROGRAM} /etc/ringcache.conf --loglevel verbose\n` +
        `  ${PROGRAM} --bind "127.0.0.1 ::1" --maxmemory 100mb --maxmemory-policy allkeys-lru\n` +
        `  ${PROGRAM} --cluster-local 3 --port 7000   a 3-node cluster on ports 7000-7002, one process per node\n`,
    );
  const paramOf = new Map<string, ConfigParam>();
  for (const param of CONFIG_TABLE) {
    for (const name of [param.name, ...(param.aliases ?? [])]) {
      const option = optionFor(param, name, name !== param.name);
      program.addOption(option);
      paramOf.set(option.attributeName(), param);
    }
  }
  // Not a config parameter: it makes this process a launcher of nodes instead of a server.
  program.addOption(
    new Option(
      '--cluster-local <nodes>',
      'Start a cluster of this many nodes, one process each, on consecutive ports from --port, passing every other option to each; restarts a node that dies',
    ).argParser(parseNodeCount),
  );
  return { program, paramOf };
}

/** The most nodes --cluster-local starts: each is a Node.js process of its own. */
export const MAX_LOCAL_NODES = 1000;

function parseNodeCount(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= MAX_LOCAL_NODES)) throw new InvalidArgumentError(`must be a number of nodes from 1 to ${MAX_LOCAL_NODES}`);
  return count;
}

/** Parses argv (without node and the script); never exits the process. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let stdout = '';
  let stderr = '';
  const { program, paramOf } = buildProgram({ stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  const fail = (message: string): CommandLine => ({ action: 'exit', code: 1, stdout, stderr: `error: ${message}\n${HELP_HINT}\n` });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { action: 'exit', code: err.exitCode, stdout, stderr };
    throw err;
  }
  const configFile = program.processedArgs[0] as string | undefined;
  // redis-server takes the file only in first place; anywhere else it is a stray word.
  if (configFile !== undefined && argv[0] !== configFile) {
    return fail(`the config file must come first: ${PROGRAM} [/path/to/ringcache.conf] [options], got '${configFile}' after an option`);
  }
  const directives: Directive[] = [];
  const opts = program.opts<Record<string, string | string[] | true>>();
  for (const [attribute, raw] of Object.entries(opts)) {
    const param = paramOf.get(attribute);
    if (param === undefined) continue;
    const flag = program.options.find((o) => o.attributeName() === attribute) as Option;
    const args = raw === true ? [] : Array.isArray(raw) ? raw : [raw];
    const value = args.join(' ');
    if (param.multiArg === true) {
      const reason = checkValue(param, value);
      if (reason !== null) return fail(`option '${flag.flags}' argument '${value}' is invalid. ${reason}`);
    }
    directives.push({ name: flag.long?.slice(2) ?? param.name, args: [value], file: null, line: directives.length + 1, text: `${flag.long} ${value}` });
  }
  const clusterLocal = program.opts<{ clusterLocal?: number }>().clusterLocal;
  return { action: 'run', configFile: configFile ?? null, directives, ...(clusterLocal === undefined ? {} : { clusterLocal }) };
}
