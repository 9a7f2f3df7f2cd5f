// Config files in redis.conf syntax, and CONFIG REWRITE's write-back. Error reasons and the
// offending line are compared with what the real redis-server prints for the same file.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigFileError,
  applyDirectives,
  formatConfigFileError,
  parseConfigText,
  readConfigFile,
  rewriteConfigFile,
} from '../../src/config/config-file.js';
import { formatMemory, quoteConfigString } from '../../src/config/config-rewrite.js';
import { Config } from '../../src/config/config.js';
import { RINGCACHE_VERSION } from '../../src/server/version.js';
import { REDIS_MISSING } from '../helpers/redis-server.js';

const scratch: string[] = [];

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function load(text: string): Config {
  const config = new Config();
  applyDirectives(config, parseConfigText(text, 'test.conf'));
  return config;
}

function failure(text: string): ConfigFileError {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigFileError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

describe('config file: reading', () => {
  it('reads directives, comments, blank lines, indentation and any letter case', () => {
    const config = load('# ringcache\n\nport 7000\n   MaxMemory   100mb  \n\t# indented comment\nloglevel warning\r\n');
    expect(config.get('port')).to.equal('7000');
    expect(config.get('maxmemory')).to.equal(String(100 * 1024 * 1024));
    expect(config.get('loglevel')).to.equal('warning');
  });

  it('splits arguments with sdssplitargs quoting', () => {
    const config = load('requirepass "a b\\x41\\n"\ndbfilename \'it\\\'s.rdb\'\nbind "127.0.0.1 ::1"\nsave ""\n');
    expect(config.get('requirepass')).to.equal('a bA\n');
    expect(config.get('dbfilename')).to.equal("it's.rdb");
    expect(config.get('bind')).to.equal('127.0.0.1 ::1');
    expect(config.get('save')).to.equal('');
  });

  it('joins the words of multi-word parameters and adds up save lines', () => {
    const config = load('bind 127.0.0.1 ::1\nsave 900 1\nsave 300 10\n');
    expect(config.get('bind')).to.equal('127.0.0.1 ::1');
    expect(config.get('save')).to.equal('900 1 300 10');
  });

  it('later lines win', () => {
    expect(load('databases 4\ndatabases 8\n').get('databases')).to.equal('8');
  });

  it('expands include in place, relative to the working directory', () => {
    const dir = scratchDir('ringcache-conf-');
    writeFileSync(join(dir, 'base.conf'), 'port 7000\nmaxmemory 1mb\n');
    writeFileSync(join(dir, 'main.conf'), `port 6000\ninclude ${join(dir, 'base.conf')}\nmaxmemory 2mb\n`);
    const config = new Config();
    applyDirectives(config, readConfigFile(join(dir, 'main.conf')));
    expect(config.get('port')).to.equal('7000');
    expect(config.get('maxmemory')).to.equal(String(2 * 1024 * 1024));
  });

  it('stops an include loop', () => {
    const dir = scratchDir('ringcache-conf-');
    const path = join(dir, 'loop.conf');
    writeFileSync(path, `include ${path}\n`);
    expect(() => readConfigFile(path)).to.throw(ConfigFileError, 'include nesting too deep');
  });

  it('names the file, the line and the reason in Redis\'s fatal block', () => {
    const err = failure('port 7000\n# comment\nfoobar 12\n');
    expect(formatConfigFileError(err)).to.equal(
      `\n*** FATAL CONFIG FILE ERROR (ringcache ${RINGCACHE_VERSION}) ***\n` +
        'Reading the configuration file test.conf, at line 3\n' +
        ">>> 'foobar 12'\n" +
        'Bad directive or wrong number of arguments\n' +
        '(ringcache-server --help lists every directive ringcache accepts)\n',
    );
    expect(formatConfigFileError(failure('maxmemory abc\n'))).to.equal(
      `\n*** FATAL CONFIG FILE ERROR (ringcache ${RINGCACHE_VERSION}) ***\n` +
        'Reading the configuration file test.conf, at line 1\n' +
        ">>> 'maxmemory abc'\n" +
        'argument must be a memory value\n',
    );
  });

  // Each file is refused by redis-server too, so running it starts no server.
  const refused = [
    'port 0\nfoobar 12\n',
    'port 0\nmaxmemory abc\n',
    'port 0\nport\n',
    'port 0\nport 1 2\n',
    'port "0\n',
    "port 0\ndbfilename 'x'y\n",
    'port 70000\n',
    'port abc\n',
    'port 0\nappendonly maybe\n',
    'port 0\nmaxmemory-policy lru\n',
    'port 0\nloglevel nothing\n',
    'port 0\nsave 900\n',
    'port 0\nsave abc 1\n',
    'port 0\ninclude\n',
    'port 0\ninclude a b\n',
    'port 0\ndatabases 0\n',
    'port 0\nhz x\n',
  ];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)} at the line and with the reason redis-server gives`, () => {
      const dir = scratchDir('ringcache-conf-');
      const path = join(dir, 'bad.conf');
      writeFileSync(path, text);
      const redis = spawnSync('redis-server', [path], { encoding: 'utf8', timeout: 5000 });
      if (redis.error !== undefined) throw new Error(REDIS_MISSING);
      expect(redis.status).to.equal(1);
      const lines = redis.stderr.split('\n');
      const at = lines.findIndex((l) => l.startsWith('Reading the configuration file, at line '));
      expect(at, redis.stderr).to.be.greaterThan(-1);
      const err = failure(text);
      expect(`Reading the configuration file, at line ${err.directive.line}`).to.equal(lines[at]);
      expect(`>>> '${err.directive.text}'`).to.equal(lines[at + 1]);
      expect(err.reason).to.equal(lines[at + 2]);
    });
  }
});

describe('config file: CONFIG REWRITE', () => {
  function rewrite(original: string | null, change: (config: Config) => void): string {
    const dir = scratchDir('ringcache-rewrite-');
    const path = join(dir, 'ringcache.conf');
    const config = new Config();
    if (original !== null) {
      writeFileSync(path, original);
      applyDirectives(config, readConfigFile(path));
    }
    change(config);
    rewriteConfigFile(config, path);
    return readFileSync(path, 'latin1');
  }

  it('rewrites known lines in place, keeps comments and drops duplicates, as Redis 7.0.15 did', () => {
    // Redis's own rewrite of this file after the same CONFIG SETs gave these lines, plus lines
    // for parameters ringcache does not have (daemonize, pidfile, dir, user...).
    const original = 'port 6396\n# keep me\nsave 900 1\nsave 300 10\nmaxmemory 1000\ndatabases 4\ndatabases 8\nbind 127.0.0.1\n';
    const out = rewrite(original, (config) => {
      config.set('maxmemory', '3072');
      config.set('maxmemory-policy', 'allkeys-lru');
    });
    expect(out).to.equal(
      'port 6396\n# keep me\nsave 900 1\nsave 300 10\nmaxmemory 3kb\ndatabases 8\n\nbind 127.0.0.1\n\n' +
        '# Generated by CONFIG REWRITE\nmaxmemory-policy allkeys-lru\n',
    );
  });

  it('writes save "" when the save lines were cleared, and fewer save lines when there are fewer pairs', () => {
    // Redis blanks the line it no longer needs (checked with CONFIG REWRITE on redis-server 7.0.15).
    const original = 'save 900 1\nsave 300 10\n';
    expect(rewrite(original, (config) => config.set('save', ''))).to.equal('save ""\n\n');
    expect(rewrite(original, (config) => config.set('save', '60 5'))).to.equal('save 60 5\n\n');
  });

  it('keeps include lines untouched', () => {
    const included = join(scratchDir('ringcache-rewrite-'), 'extra.conf');
    writeFileSync(included, 'hz 20\n');
    const out = rewrite(`# top\ninclude ${included}\nport 7000\n`, (config) => config.set('timeout', '30'));
    expect(out).to.equal(`# top\ninclude ${included}\nport 7000\n\n# Generated by CONFIG REWRITE\ntimeout 30\nhz 20\n`);
  });

  it('appends below an existing marker instead of adding another', () => {
    const out = rewrite('port 7000\n\n# Generated by CONFIG REWRITE\ntimeout 30\n', (config) => config.set('hz', '20'));
    expect(out).to.equal('port 7000\n\n# Generated by CONFIG REWRITE\ntimeout 30\nhz 20\n');
  });

  it('creates the file when it does not exist, with values that differ from the defaults', () => {
    // As Redis writes an empty file: the marker on the first line.
    const out = rewrite(null, (config) => {
      config.load('port', '7000');
      config.set('requirepass', 'se"cret\\');
    });
    expect(out).to.equal('# Generated by CONFIG REWRITE\nport 7000\nrequirepass "se\\"cret\\\\"\n');
  });

  it('reads back what it wrote', () => {
    const dir = scratchDir('ringcache-rewrite-');
    const path = join(dir, 'ringcache.conf');
    const config = new Config();
    config.set('requirepass', 'p\x01 \xff"x');
    config.set('maxmemory', String(5 * 1024 ** 3));
    config.set('save', '900 1 300 10');
    rewriteConfigFile(config, path);
    const again = new Config();
    applyDirectives(again, readConfigFile(path));
    for (const name of ['requirepass', 'maxmemory', 'save']) expect(again.get(name), name).to.equal(config.get(name));
  });

  it('formats memory and strings as Redis does', () => {
    expect(formatMemory(0)).to.equal('0');
    expect(formatMemory(1000)).to.equal('1000');
    expect(formatMemory(3072)).to.equal('3kb');
    expect(formatMemory(2048000)).to.equal('2000kb');
    expect(formatMemory(1024 ** 3)).to.equal('1gb');
    expect(formatMemory(100 * 1024 ** 2)).to.equal('100mb');
    expect(quoteConfigString('/tmp/dir')).to.equal('"/tmp/dir"');
    expect(quoteConfigString('a\tb\r\n\x07\x08\x00\x7f\xff')).to.equal('"a\\tb\\r\\n\\a\\b\\x00\\x7f\\xff"');
  });
});
