// DEBUG's replies, checked against redis-server 7.0.15 started with enable-debug-command yes:
// the digests below are what it answers for the same data.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCron } from '../../src/server/cron.js';
import { createServer } from '../../src/server/server.js';
import { Session, resp } from '../helpers/session.js';

const debugSession = (config: Record<string, string | number> = {}): Session => new Session({ config: { 'enable-debug-command': 'yes', ...config } });
const unknown = (sub: string): string => resp.err(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try DEBUG HELP.`);
const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

describe('DEBUG', () => {
  describe('gate and dispatch', () => {
    it('is allowed for loopback clients under "local" and refused for others', () => {
      const local = new Session({ config: { 'enable-debug-command': 'local' } });
      expect(local.call('DEBUG', 'SLEEP', '0')).to.equal(resp.ok);
      const remote = new Session({ config: { 'enable-debug-command': 'local' } });
      const client = remote.core.createClient({ addr: '10.1.2.3:4000', laddr: '10.1.2.1:6379', fd: 9 });
      remote.core.execute(client, ['DEBUG', 'SLEEP', '0']);
      expect(client.reply.take()?.toString('latin1')).to.equal(resp.err(NOT_ALLOWED));
      expect(new Session().call('DEBUG', 'HELP')).to.equal(resp.err(NOT_ALLOWED));
    });

    it('answers an unknown subcommand or a wrong argument count as Redis does', () => {
      const s = debugSession();
      expect(s.call('DEBUG', 'jmap')).to.equal(unknown('jmap'));
      expect(s.call('DEBUG', 'object')).to.equal(unknown('object'));
      expect(s.call('DEBUG', 'object', 'k', 'extra')).to.equal(unknown('object'));
      expect(s.call('DEBUG', 'digest', 'x')).to.equal(unknown('digest'));
      expect(s.call('DEBUG', 'set-active-expire')).to.equal(unknown('set-active-expire'));
      expect(s.call('DEBUG', 'log')).to.equal(unknown('log'));
      expect(s.call('DEBUG', 'error')).to.equal(unknown('error'));
      expect(s.call('DEBUG', 'protocol')).to.equal(unknown('protocol'));
      expect(s.call('DEBUG', 'change-repl-id', 'x')).to.equal(unknown('change-repl-id'));
      expect(s.call('DEBUG', 'help', 'x')).to.equal(unknown('help'));
      expect(s.call('DEBUG', 'populate', '1', 'p', '2', '4')).to.equal(unknown('populate'));
      expect(s.call('DEBUG')).to.equal(resp.err("ERR wrong number of arguments for 'debug' command"));
    });

    it('lists its subcommands in HELP', () => {
      const help = debugSession().call('DEBUG', 'help');
      expect(help).to.match(/^\*\d+\r\n\+DEBUG <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n/);
      for (const sub of ['DIGEST', 'OBJECT <key>', 'PROTOCOL <type>', 'SET-ACTIVE-EXPIRE <0|1>', 'SLEEP <seconds>']) expect(help).to.contain(`+${sub}\r\n`);
      expect(help.endsWith('+HELP\r\n+    Prints this help.\r\n')).to.equal(true);
    });

    it('refuses the subcommands that crash or restart Redis, and keeps serving', () => {
      const s = debugSession();
      for (const sub of ['SEGFAULT', 'panic', 'ASSERT', 'OOM', 'CRASH-AND-RECOVER', 'RESTART']) {
        expect(s.call('DEBUG', sub)).to.equal(resp.err(`ERR DEBUG ${sub.toUpperCase()} is refused: ringcache does not crash or restart on request`));
      }
      expect(s.call('PING')).to.equal('+PONG\r\n');
    });
  });

  describe('OBJECT', () => {
    it('shows encoding, refcount and RDB length as Redis does', () => {
      const s = debugSession();
      s.call('SET', 'foo', 'bar');
      s.call('SET', 'n', '12345');
      s.call('SET', 'small', '5');
      s.call('SET', 'neg', '-1');
      s.call('SET', 'wide', '99999999999');
      s.call('SET', 'big', 'a'.repeat(100));
      const line = (key: string): string => s.call('DEBUG', 'OBJECT', key);
      const shape = /^\+Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) serializedlength:(\d+) lru:(\d+) lru_seconds_idle:(\d+)\r\n$/;
      const fields = (key: string): string[] => (shape.exec(line(key)) ?? []).slice(1, 4);
      expect(fields('foo')).to.deep.equal(['1', 'embstr', '4']);
      expect(fields('n')).to.deep.equal(['1', 'int', '3']);
      expect(fields('small')).to.deep.equal(['2147483647', 'int', '2']);
      expect(fields('neg')).to.deep.equal(['1', 'int', '2']);
      expect(fields('wide')).to.deep.equal(['1', 'int', '12']);
      expect(fields('big')).to.deep.equal(['1', 'raw', '13']);
      expect(line('nokey')).to.equal(resp.err('ERR no such key'));
    });

    it('reports the LRU clock in seconds and the idle time, without touching the key', () => {
      const s = debugSession();
      s.clock.set(1_795_457_544_000);
      s.call('SET', 'k', 'v');
      s.clock.advance(5000);
      const reply = s.call('DEBUG', 'OBJECT', 'k');
      expect(reply).to.match(new RegExp(` lru:${1_795_457_544 & 0xffffff} lru_seconds_idle:5\\r\\n$`));
      s.clock.advance(2000);
      expect(s.call('DEBUG', 'OBJECT', 'k')).to.match(/ lru_seconds_idle:7\r\n$/);
    });
  });

  describe('DIGEST and DIGEST-VALUE', () => {
    it('give the digests redis-server 7.0.15 gives for the same data', () => {
      const s = debugSession();
      expect(s.call('DEBUG', 'DIGEST')).to.equal(resp.simple('0'.repeat(40)));
      s.call('SET', 'foo', 'bar');
      s.call('SET', 'n', '12345');
      expect(s.call('DEBUG', 'DIGEST')).to.equal(resp.simple('cd5a02343543db03481294f2a80f5609dd27c72b'));
      s.call('SET', 'e', 'v', 'EX', '100');
      s.call('SELECT', '1');
      s.call('SET', 'foo', 'bar');
      s.call('SELECT', '0');
      s.call('SET', 'bin', Buffer.from([0x61, 0xff, 0x62]));
      expect(s.call('DEBUG', 'DIGEST')).to.equal(resp.simple('97d6724b60cd3523f7aeee1b872a854dc5a1b8e1'));
      expect(s.call('DEBUG', 'DIGEST-VALUE', 'foo', 'n', 'e', 'bin', 'nokey')).to.equal(
        resp.array([
          resp.simple('68467c70ae30376e7ce005bcc8827f5ba7fd67dc'),
          resp.simple('e1cf90774e995ae03de66e8109dc5cb9d9c2dc83'),
          resp.simple('311b17018163335616e089f6b951c82c477335ac'),
          resp.simple('ea085a96e0fdccc702c57d033b619e767a0aa3ec'),
          resp.simple('0'.repeat(40)),
        ]),
      );
      expect(s.call('DEBUG', 'DIGEST-VALUE')).to.equal('*0\r\n');
    });

    it('does not depend on the order keys were written in', () => {
      const a = debugSession();
      const b = debugSession();
      for (let i = 0; i < 50; i++) a.call('SET', `k${i}`, `v${i}`);
      for (let i = 49; i >= 0; i--) b.call('SET', `k${i}`, `v${i}`);
      expect(a.call('DEBUG', 'DIGEST')).to.equal(b.call('DEBUG', 'DIGEST'));
      b.call('SET', 'k7', 'changed');
      expect(a.call('DEBUG', 'DIGEST')).to.not.equal(b.call('DEBUG', 'DIGEST'));
    });
  });

  describe('SET-ACTIVE-EXPIRE', () => {
    it('stops and restarts the cron reclaiming expired keys; lazy expiry still applies', () => {
      const s = debugSession();
      s.call('SET', 'a', 'v', 'PX', '100');
      s.call('SET', 'b', 'v', 'PX', '100');
      expect(s.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).to.equal(resp.ok);
      s.clock.advance(1000);
      runCron(s.core);
      expect(s.call('DBSIZE')).to.equal(resp.int(2));
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
      // atoi's reading: any non-zero number turns it back on.
      expect(s.call('DEBUG', 'SET-ACTIVE-EXPIRE', '2')).to.equal(resp.ok);
      runCron(s.core);
      expect(s.call('DBSIZE')).to.equal(resp.int(0));
      expect(s.call('DEBUG', 'SET-ACTIVE-EXPIRE', 'abc')).to.equal(resp.ok);
      expect(s.core.activeExpire).to.equal(false);
    });
  });

  describe('PROTOCOL', () => {
    const TYPES = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false'];

    it('answers each type in RESP2 as Redis does', () => {
      const s = debugSession();
      const replies = TYPES.map((t) => s.call('DEBUG', 'PROTOCOL', t));
      expect(replies).to.deep.equal([
        '$11\r\nHello World\r\n',
        ':12345\r\n',
        '$5\r\n3.141\r\n',
        '$37\r\n1234567999999999999999999999999999999\r\n',
        '$-1\r\n',
        '*3\r\n:0\r\n:1\r\n:2\r\n',
        '*3\r\n:0\r\n:1\r\n:2\r\n',
        '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n',
        '$39\r\nSome real reply following the attribute\r\n',
        '-ERR RESP2 is not supported by this command\r\n',
        '$25\r\nThis is a verbatim\nstring\r\n',
        ':1\r\n',
        ':0\r\n',
      ]);
      expect(s.call('DEBUG', 'PROTOCOL', 'nosuch')).to.equal(
        resp.err('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false'),
      );
    });

    it('answers each type in RESP3 as Redis does', () => {
      const s = debugSession();
      s.call('HELLO', '3');
      expect(TYPES.map((t) => s.call('DEBUG', 'PROTOCOL', t.toUpperCase())).join('')).to.equal(
        '$11\r\nHello World\r\n:12345\r\n,3.141\r\n(1234567999999999999999999999999999999\r\n_\r\n*3\r\n:0\r\n:1\r\n:2\r\n' +
          '~3\r\n:0\r\n:1\r\n:2\r\n%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n' +
          '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n' +
          '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n' +
          '=29\r\ntxt:This is a verbatim\nstring\r\n#t\r\n#f\r\n',
      );
    });
  });

  describe('the other subcommands', () => {
    it('POPULATE creates missing keys only, padding or cutting values to a size', () => {
      const s = debugSession();
      expect(s.call('DEBUG', 'POPULATE', '3')).to.equal(resp.ok);
      expect(s.call('MGET', 'key:0', 'key:2', 'key:3')).to.equal(resp.bulks(['value:0', 'value:2', null]));
      expect(s.call('DEBUG', 'POPULATE', '2', 'p', '10')).to.equal(resp.ok);
      expect(s.call('GET', 'p:1')).to.equal(resp.bulk('value:1\0\0\0'));
      s.call('SET', 'p:0', 'mine');
      expect(s.call('DEBUG', 'POPULATE', '2', 'p', '3')).to.equal(resp.ok);
      expect(s.call('MGET', 'p:0', 'p:1')).to.equal(resp.bulks(['mine', 'value:1\0\0\0']));
      expect(s.call('DEBUG', 'POPULATE', '1', 'q', '3')).to.equal(resp.ok);
      expect(s.call('GET', 'q:0')).to.equal(resp.bulk('val'));
      for (const bad of [['-1'], ['abc'], ['2', 'p', 'abc'], ['2', 'p', '-5']]) {
        expect(s.call('DEBUG', 'POPULATE', ...bad)).to.equal(resp.err('ERR value is out of range, must be positive'));
      }
      expect(s.call('DEBUG', 'POPULATE', '0')).to.equal(resp.ok);
    });

    it('ERROR replies with the text given, LOG writes the server log, CHANGE-REPL-ID and SLEEP 0 say OK', () => {
      const s = debugSession();
      expect(s.call('DEBUG', 'ERROR', 'my error')).to.equal('-my error\r\n');
      expect(s.call('DEBUG', 'ERROR', '-X y')).to.equal('--X y\r\n');
      expect(s.call('DEBUG', 'ERROR', 'a\r\nb')).to.equal('-a  b\r\n');
      const lines: string[] = [];
      s.core.logger = { log: (level, message) => lines.push(`${level} ${message}`) };
      expect(s.call('DEBUG', 'LOG', 'hello there')).to.equal(resp.ok);
      expect(lines).to.deep.equal(['warning DEBUG LOG: hello there']);
      expect(s.call('DEBUG', 'CHANGE-REPL-ID')).to.equal(resp.ok);
      expect(s.call('DEBUG', 'SLEEP', '0')).to.equal(resp.ok);
    });

    it('RELOAD keeps the data, and checks its options as Redis does', () => {
      const s = debugSession();
      s.call('SET', 'k', 'v');
      expect(s.call('DEBUG', 'RELOAD')).to.equal(resp.ok);
      expect(s.call('DEBUG', 'RELOAD', 'nosave', 'MERGE', 'noflush')).to.equal(resp.ok);
      expect(s.call('DEBUG', 'RELOAD', 'bogus')).to.equal(resp.err('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.'));
      expect(s.call('GET', 'k')).to.equal(resp.bulk('v'));
    });
  });

  describe('Unix socket clients', function () {
    this.timeout(30000);

    it('are flagged U in CLIENT LIST and count as local for enable-debug-command', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringcache-debug-'));
      const path = join(dir, 'ringcache.sock');
      const server = await createServer({ port: 0, config: { unixsocket: path, 'enable-debug-command': 'local' } }).listen();
      const socket = net.connect({ path });
      try {
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        let received = '';
        socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
        socket.write('*2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$1\r\n0\r\n');
        const deadline = Date.now() + 15000;
        while (!received.endsWith('+OK\r\n') && !received.includes('-ERR') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(received).to.match(new RegExp(`^\\$\\d+\\r\\nid=\\d+ addr=${path.replace(/[.]/g, '\\.')}:0 laddr=${path.replace(/[.]/g, '\\.')}:0 fd=\\d+ name= age=\\d+ idle=\\d+ flags=U db=0 `));
        expect(received.endsWith('\r\n+OK\r\n')).to.equal(true);
      } finally {
        socket.destroy();
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
