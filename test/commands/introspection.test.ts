import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

describe('introspection commands', () => {
  describe('SLOWLOG', () => {
    it('logs every command at threshold 0, newest first, with addr and name', () => {
      const s = new Session({ config: { 'slowlog-log-slower-than': 0 } });
      s.call('CLIENT', 'SETNAME', 'nm');
      s.call('SET', 'k', 'v');
      const reply = s.call('SLOWLOG', 'GET', '1');
      expect(s.call('SLOWLOG', 'LEN')).to.equal(resp.int(3));
      const prefix = `*1\r\n*6\r\n:1\r\n:${Math.floor(s.clock.now() / 1000)}\r\n:`;
      expect(reply.startsWith(prefix)).to.equal(true);
      expect(reply.endsWith(`\r\n${resp.bulks(['SET', 'k', 'v'])}${resp.bulk('127.0.0.1:50000')}${resp.bulk('nm')}`)).to.equal(true);
    });

    it('trims arguments and long strings as Redis does', () => {
      const s = new Session({ config: { 'slowlog-log-slower-than': 0 } });
      const many = Array.from({ length: 35 }, (_, i) => String.fromCharCode(97 + (i % 26)));
      s.call('SET', 'k', 'b'.repeat(200));
      s.call('DEL', ...many);
      const reply = s.call('SLOWLOG', 'GET', '2');
      expect(reply).to.contain(resp.bulk(`${'b'.repeat(128)}... (72 more bytes)`));
      expect(reply).to.contain(`*32\r\n$3\r\nDEL\r\n`);
      expect(reply).to.contain(resp.bulk('... (5 more arguments)'));
    });

    it('keeps ids across RESET and refuses a count below -1', () => {
      const s = new Session({ config: { 'slowlog-log-slower-than': 0 } });
      s.call('PING');
      expect(s.call('SLOWLOG', 'RESET')).to.equal(resp.ok);
      expect(s.call('SLOWLOG', 'GET', '0')).to.equal('*0\r\n');
      expect(s.call('SLOWLOG', 'GET', '-2')).to.equal(resp.err('ERR count should be greater than or equal to -1'));
      expect(s.call('SLOWLOG', 'GET', 'abc')).to.equal(resp.err('ERR count should be greater than or equal to -1'));
      expect(s.call('SLOWLOG', 'GET', '1', '2')).to.equal(
        resp.err("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."),
      );
      expect(s.call('SLOWLOG', 'GET', '-1').startsWith('*5\r\n*6\r\n:5\r\n')).to.equal(true);
    });

    it('logs nothing at the default threshold for fast commands, and redacts AUTH', () => {
      const quiet = new Session();
      quiet.call('SET', 'k', 'v');
      // Judged by what the SET took: a busy machine can stall even a SET past the 10 ms default,
      // and then the slow log rightly holds it.
      const took = quiet.core.stats.command('set').usec;
      expect(quiet.call('SLOWLOG', 'LEN')).to.equal(resp.int(took >= 10000 ? 1 : 0));
      const s = new Session({ config: { 'slowlog-log-slower-than': 0 } });
      s.call('AUTH', 'secret');
      expect(s.call('SLOWLOG', 'GET', '1')).to.contain(resp.bulks(['AUTH', '(redacted)']));
    });
  });

  describe('LATENCY', () => {
    it('explains that monitoring is off, and reports nothing', () => {
      const s = new Session();
      expect(s.call('LATENCY', 'DOCTOR')).to.contain("I'm sorry, Dave, I can't do that. Latency monitoring is disabled");
      expect(s.call('LATENCY', 'LATEST')).to.equal('*0\r\n');
      expect(s.call('LATENCY', 'HISTORY', 'command')).to.equal('*0\r\n');
      expect(s.call('LATENCY', 'RESET', 'command', 'foo')).to.equal(resp.int(0));
    });

    it('records a slow command as a "command" event', () => {
      const s = new Session({ config: { 'latency-monitor-threshold': 20, 'enable-debug-command': 'yes' } });
      expect(s.call('DEBUG', 'SLEEP', '0.03')).to.equal(resp.ok);
      const latest = s.call('LATENCY', 'LATEST');
      expect(latest.startsWith(`*1\r\n*4\r\n${resp.bulk('command')}:${Math.floor(s.clock.now() / 1000)}\r\n`)).to.equal(true);
      expect(s.call('LATENCY', 'HISTORY', 'command').startsWith('*1\r\n*2\r\n')).to.equal(true);
      expect(s.call('LATENCY', 'DOCTOR')).to.contain('1. command: 1 latency spikes');
      expect(s.call('LATENCY', 'RESET')).to.equal(resp.int(1));
    });
  });

  describe('MEMORY USAGE', () => {
    // Values measured on redis-server 7.0.15 (jemalloc).
    const cases: [string, string, number][] = [
      ['k', 'v', 64],
      ['k', 'v'.repeat(44), 96],
      ['k', 'v'.repeat(45), 112],
      ['k'.repeat(10), 'v'.repeat(200), 280],
      ['k'.repeat(30), 'v'.repeat(100), 184],
      ['k'.repeat(50), 'v'.repeat(1000), 1128],
      ['kk', '12345', 48],
      ['kk', '1234567890123', 48],
    ];
    for (const [key, value, expected] of cases) {
      it(`estimates a ${key.length}-byte key with ${value.length}-byte value as Redis does`, () => {
        const s = new Session();
        s.call('SET', key, value);
        expect(s.call('MEMORY', 'USAGE', key)).to.equal(resp.int(expected));
      });
    }

    it('answers nil for a missing key and checks SAMPLES', () => {
      const s = new Session();
      s.call('SET', 'k', 'v');
      expect(s.call('MEMORY', 'USAGE', 'nokey')).to.equal(resp.nil);
      expect(s.call('MEMORY', 'USAGE', 'k', 'SAMPLES', '0')).to.equal(resp.int(64));
      expect(s.call('MEMORY', 'USAGE', 'k', 'foo')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('MEMORY', 'USAGE', 'k', 'SAMPLES', '-1')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('MEMORY', 'USAGE', 'k', 'SAMPLES', 'x')).to.equal(resp.err('ERR value is not an integer or out of range'));
    });

    it('has a doctor that declines on a small instance', () => {
      expect(new Session().call('MEMORY', 'DOCTOR')).to.contain('Hi Sam, this instance is empty or is using very little memory');
    });
  });

  describe('DEBUG', () => {
    it('is refused unless enable-debug-command allows it', () => {
      expect(new Session().call('DEBUG', 'SLEEP', '0')).to.equal(
        resp.err(
          'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
        ),
      );
    });

    it('sleeps, reads the time as strtod, and refuses unknown subcommands', () => {
      const s = new Session({ config: { 'enable-debug-command': 'yes' } });
      expect(s.call('DEBUG', 'SLEEP', '0')).to.equal(resp.ok);
      expect(s.call('DEBUG', 'SLEEP', 'abc')).to.equal(resp.ok);
      expect(s.call('DEBUG', 'foo')).to.equal(resp.err("ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP."));
      expect(s.call('DEBUG', 'SLEEP')).to.equal(resp.err("ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP."));
    });
  });

  describe('CLIENT PAUSE', () => {
    it('checks its arguments as Redis does', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'PAUSE', 'abc')).to.equal(resp.err('ERR timeout is not an integer or out of range'));
      expect(s.call('CLIENT', 'PAUSE', '-1')).to.equal(resp.err('ERR timeout is negative'));
      expect(s.call('CLIENT', 'PAUSE', '10', 'foo')).to.equal(resp.err('ERR CLIENT PAUSE mode must be WRITE or ALL'));
      expect(s.call('CLIENT', 'PAUSE', '10', 'write', 'x')).to.equal(
        resp.err("ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."),
      );
      expect(s.call('CLIENT', 'PAUSE', '10', 'write')).to.equal(resp.ok);
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      expect(s.call('CLIENT', 'UNPAUSE')).to.equal(resp.ok);
      expect(s.call('SET', 'k', 'v')).to.equal(resp.ok);
    });
  });

  describe('MONITOR', () => {
    it('streams commands as Redis formats them, escaping bytes and redacting AUTH', () => {
      const watcher = new Session();
      const s = watcher.peer();
      expect(watcher.call('MONITOR')).to.equal(resp.ok);
      s.call('SET', 'a\x00\xff\n"\\ b', '12');
      s.call('CONFIG', 'GET', 'maxmemory');
      s.call('NOSUCHCOMMAND');
      s.call('AUTH', 'pw');
      s.call('SELECT', '2');
      const time = `${Math.floor(s.clock.now() / 1000)}.000000`;
      expect(watcher.client.reply.take()?.toString('latin1')).to.equal(
        `+${time} [0 127.0.0.1:50000] "SET" "a\\x00\\xff\\n\\"\\\\ b" "12"\r\n` +
          `+${time} [0 127.0.0.1:50000] "AUTH" "(redacted)"\r\n` +
          `+${time} [2 127.0.0.1:50000] "SELECT" "2"\r\n`,
      );
    });

    it('feeds the commands of a transaction when EXEC runs them', () => {
      const watcher = new Session();
      const s = watcher.peer();
      watcher.call('MONITOR');
      s.call('MULTI');
      s.call('SET', 'x', '1');
      s.call('EXEC');
      const lines = watcher.client.reply.take()?.toString('latin1').split('\r\n').filter((l) => l !== '') ?? [];
      expect(lines.map((l) => l.slice(l.indexOf(']') + 2))).to.deep.equal(['"MULTI"', '"SET" "x" "1"', '"EXEC"']);
    });
  });

  describe('RINGCACHE HOTKEYS', () => {
    it('finds the true top 10 of a Zipf workload', () => {
      const s = new Session({ config: { 'hotkeys-sample-every': 4 } });
      const keys = 5000;
      // Zipf(1.0) over 5000 keys, drawn by inverting the CDF with a seeded generator.
      const weights = Array.from({ length: keys }, (_, i) => 1 / (i + 1));
      const total = weights.reduce((a, b) => a + b, 0);
      const cdf: number[] = [];
      let acc = 0;
      for (const w of weights) cdf.push((acc += w / total));
      // mulberry32: a seeded generator without the LCG's short-period correlations, which
      // one-in-N sampling would pick up.
      let seed = 12345;
      const random = (): number => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const counts = new Map<string, number>();
      for (let i = 0; i < 200000; i++) {
        const r = random();
        let lo = 0;
        let hi = keys - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < r) lo = mid + 1;
          else hi = mid;
        }
        const key = `key:${lo}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        s.core.hotKeys.sample(key);
      }
      const trueTop = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k]) => k);
      const reported = s.core.hotKeys.top(10).map((h) => h.key);
      expect([...reported].sort()).to.deep.equal([...trueTop].sort());
      const reply = s.call('RINGCACHE', 'HOTKEYS', '3');
      expect(reply.startsWith(`*3\r\n*2\r\n${resp.bulk(reported[0])}:`)).to.equal(true);
    });

    it('counts the keys of commands that run', () => {
      const s = new Session({ config: { 'hotkeys-sample-every': 1 } });
      for (let i = 0; i < 5; i++) s.call('GET', 'hot');
      s.call('GET', 'cold');
      expect(s.call('RINGCACHE', 'HOTKEYS', '2')).to.equal(
        resp.array([resp.array([resp.bulk('hot'), resp.int(5)]), resp.array([resp.bulk('cold'), resp.int(1)])]),
      );
      expect(s.call('RINGCACHE', 'HOTKEYS', '-1')).to.equal(resp.err('ERR value is not an integer or out of range'));
    });
  });
});
