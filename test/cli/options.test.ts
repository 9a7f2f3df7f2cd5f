// The command line, in process: redis-server's shape (config file first, then --name value),
// one flag per config parameter, and the exact errors for unknown options and bad values.

import { expect } from 'chai';
import { CONFIG_TABLE } from '../../src/config/config-table.js';
import { HELP_HINT, VERSION_TEXT, defaultText, parseCommandLine, type CommandLine } from '../../src/cli/options.js';
import { loadStartupConfig } from '../../src/cli/load-config.js';

type Run = Extract<CommandLine, { action: 'run' }>;
type Exit = Extract<CommandLine, { action: 'exit' }>;

function run(argv: string[]): Run {
  const parsed = parseCommandLine(argv);
  if (parsed.action !== 'run') throw new Error(`expected a run, got exit ${parsed.code}: ${parsed.stderr}`);
  return parsed;
}

function exit(argv: string[]): Exit {
  const parsed = parseCommandLine(argv);
  if (parsed.action !== 'exit') throw new Error('expected an exit');
  return parsed;
}

/** name → joined value, as the options would be applied. */
function settings(parsed: Run): Record<string, string> {
  return Object.fromEntries(parsed.directives.map((d) => [d.name, d.args.join(' ')]));
}

describe('cli: command line', () => {
  it('runs with the defaults when given nothing', () => {
    const parsed = run([]);
    expect(parsed.configFile).to.equal(null);
    expect(parsed.directives).to.deep.equal([]);
  });

  it('takes an optional config file first, then options', () => {
    const parsed = run(['/etc/ringcache.conf', '--port', '7000', '--maxmemory', '100mb']);
    expect(parsed.configFile).to.equal('/etc/ringcache.conf');
    expect(settings(parsed)).to.deep.equal({ port: '7000', maxmemory: '100mb' });
  });

  it('accepts --save with an empty argument and bind with one or several words', () => {
    expect(settings(run(['--save', '']))).to.deep.equal({ save: '' });
    expect(settings(run(['--save']))).to.deep.equal({ save: '' });
    expect(settings(run(['--save', '900', '1', '300', '10']))).to.deep.equal({ save: '900 1 300 10' });
    expect(settings(run(['--bind', '127.0.0.1 ::1']))).to.deep.equal({ bind: '127.0.0.1 ::1' });
    expect(settings(run(['--bind', '127.0.0.1', '::1', '--port', '0']))).to.deep.equal({ bind: '127.0.0.1 ::1', port: '0' });
  });

  it('accepts --name=value and ringcache-only parameters such as --shards', () => {
    expect(settings(run(['--port=7001', '--shards', '16']))).to.deep.equal({ port: '7001', shards: '16' });
  });

  it('has one flag per config parameter', () => {
    for (const param of CONFIG_TABLE) {
      const sample = param.type.kind === 'bool' ? 'no' : param.type.kind === 'enum' ? param.type.values[0] : defaultText(param) === '""' ? '' : String(defaultText(param));
      if (param.defaultDoc !== undefined) continue;
      const parsed = parseCommandLine([`--${param.name}`, sample]);
      expect(parsed.action, param.name).to.equal('run');
    }
  });

  it('refuses an unknown option with exit code 1', () => {
    const parsed = exit(['--no-such-option', '1']);
    expect(parsed.code).to.equal(1);
    expect(parsed.stdout).to.equal('');
    expect(parsed.stderr).to.equal(`error: unknown option '--no-such-option'\n${HELP_HINT}\n`);
  });

  it('refuses a bad value with the reason Redis gives for it', () => {
    expect(exit(['--port', 'abc']).stderr).to.equal(
      `error: option '--port <number>' argument 'abc' is invalid. argument couldn't be parsed into an integer\n${HELP_HINT}\n`,
    );
    expect(exit(['--port', '70000']).stderr).to.equal(
      `error: option '--port <number>' argument '70000' is invalid. argument must be between 0 and 65535 inclusive\n${HELP_HINT}\n`,
    );
    expect(exit(['--maxmemory', 'lots']).stderr).to.equal(
      `error: option '--maxmemory <bytes>' argument 'lots' is invalid. argument must be a memory value\n${HELP_HINT}\n`,
    );
    expect(exit(['--appendonly', 'maybe']).stderr).to.equal(
      `error: option '--appendonly <yes|no>' argument 'maybe' is invalid. argument must be 'yes' or 'no'\n${HELP_HINT}\n`,
    );
    expect(exit(['--shards', '3']).stderr).to.equal(
      `error: option '--shards <number>' argument '3' is invalid. argument must be a power of two\n${HELP_HINT}\n`,
    );
    expect(exit(['--save', '900']).stderr).to.equal(
      `error: option '--save [seconds changes...]' argument '900' is invalid. Invalid save parameters\n${HELP_HINT}\n`,
    );
    expect(exit(['--port', 'abc']).code).to.equal(1);
  });

  it('refuses an option without its value', () => {
    const parsed = exit(['--port']);
    expect(parsed.code).to.equal(1);
    expect(parsed.stderr).to.equal(`error: option '--port <number>' argument missing\n${HELP_HINT}\n`);
  });

  it('wants the config file in first place, as redis-server does', () => {
    const parsed = exit(['--port', '7000', 'my.conf']);
    expect(parsed.code).to.equal(1);
    expect(parsed.stderr).to.equal(
      `error: the config file must come first: ringcache-server [/path/to/ringcache.conf] [options], got 'my.conf' after an option\n${HELP_HINT}\n`,
    );
    expect(exit(['a.conf', 'b.conf']).stderr).to.equal(`error: too many arguments. Expected 1 argument but got 2.\n${HELP_HINT}\n`);
  });

  it('prints the version', () => {
    for (const flag of ['--version', '-v']) {
      const parsed = exit([flag]);
      expect(parsed.code).to.equal(0);
      expect(parsed.stdout).to.equal(`${VERSION_TEXT}\n`);
    }
    expect(VERSION_TEXT).to.match(/^ringcache v\d+\.\d+\.\d+ \(Redis 7\.0\.15 compatible\)$/);
  });

  it('--help lists every parameter with its default', () => {
    const parsed = exit(['--help']);
    expect(parsed.code).to.equal(0);
    const help = parsed.stdout.replace(/\s+/g, ' ');
    expect(help).to.include('Usage: ringcache-server [/path/to/ringcache.conf]');
    for (const param of CONFIG_TABLE) {
      expect(help, param.name).to.include(`--${param.name} `);
      expect(help, param.name).to.include(`(default: ${defaultText(param)})`);
    }
    expect(help).to.include('(default: 6379)');
    expect(help).to.include('(default: 127.0.0.1)');
  });
});

describe('cli: start-up configuration', () => {
  const files: Record<string, string> = {
    'main.conf': 'port 7000\n# a comment\nmaxmemory 100mb\nsave 900 1\nsave 300 10\ninclude extra.conf\n',
    'extra.conf': 'loglevel warning\n',
  };
  const read = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };

  it('defaults to port 6379 on 127.0.0.1', () => {
    const loaded = loadStartupConfig(null, []);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.config.get('port')).to.equal('6379');
    expect(loaded.config.get('bind')).to.equal('127.0.0.1');
    expect(loaded.config.file).to.equal(null);
  });

  it('applies the file, its includes, then the command line over them', () => {
    const loaded = loadStartupConfig('main.conf', run(['main.conf', '--port', '7001', '--save', '60', '100']).directives, read);
    if (!loaded.ok) throw new Error(loaded.message);
    const config = loaded.config;
    expect(config.get('port')).to.equal('7001');
    expect(config.get('maxmemory')).to.equal(String(100 * 1024 * 1024));
    expect(config.get('loglevel')).to.equal('warning');
    // Redis adds save lines up, whether they come from the file or the command line.
    expect(config.get('save')).to.equal('900 1 300 10 60 100');
    expect(config.file).to.match(/\/main\.conf$/);
  });

  it('--save "" clears the save lines of the file', () => {
    const loaded = loadStartupConfig('main.conf', run(['main.conf', '--save', '']).directives, read);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.config.get('save')).to.equal('');
  });

  it('reports a missing file as Redis does', () => {
    const loaded = loadStartupConfig('nope.conf', [], read);
    expect(loaded).to.deep.equal({ ok: false, message: "Fatal error, can't open config file 'nope.conf': No such file or directory\n" });
  });
});
