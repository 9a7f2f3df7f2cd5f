// Connection commands. Every expected reply and error text below was checked against
// redis-server 7.0.15 (CLIENT SETINFO and NO-TOUCH against Redis 7.2's source, as 7.0 lacks them).

import { expect } from 'chai';
import { FakeClock } from '../../src/util/clock.js';
import { Session, resp } from '../helpers/session.js';

/** HELLO's map in RESP2 (a flat array) or RESP3, for a client id. */
function helloReply(protocol: 2 | 3, id: number, mode = 'standalone'): string {
  const pairs = [
    resp.bulk('server') + resp.bulk('redis'),
    resp.bulk('version') + resp.bulk('7.0.15'),
    resp.bulk('proto') + resp.int(protocol),
    resp.bulk('id') + resp.int(id),
    resp.bulk('mode') + resp.bulk(mode),
    resp.bulk('role') + resp.bulk('master'),
    resp.bulk('modules') + '*0\r\n',
  ];
  return (protocol === 3 ? '%7\r\n' : '*14\r\n') + pairs.join('');
}

const NOAUTH = resp.err('NOAUTH Authentication required.');
const WRONGPASS = resp.err('WRONGPASS invalid username-password pair or user is disabled.');
const BAD_NAME = resp.err('ERR Client names cannot contain spaces, newlines or special characters.');

/**
 * CLIENT INFO's line for the Session's client: fixed addresses, fd 8, our size estimates. The
 * reply buffer fields default to a client no reply was written to yet (no buffer: rbs=0 rbp=0,
 * where Redis shows its 16 KB static buffer, 16384 for both); tot-mem counts the buffer.
 */
function infoLine(fields: Record<string, string | number> = {}): string {
  const base: Record<string, string | number> = {
    id: 1,
    addr: '127.0.0.1:50000',
    laddr: '127.0.0.1:6379',
    fd: 8,
    name: '',
    age: 0,
    idle: 0,
    flags: 'N',
    db: 0,
    sub: 0,
    psub: 0,
    ssub: 0,
    multi: -1,
    qbuf: 0,
    'qbuf-free': 0,
    'argv-mem': 10,
    'multi-mem': 0,
    rbs: 0,
    rbp: 0,
    obl: 0,
    oll: 0,
    omem: 0,
    'tot-mem': 0,
    events: 'r',
    cmd: 'client|info',
    user: 'default',
    redir: -1,
    resp: 2,
    'lib-name': '',
    'lib-ver': '',
  };
  const line = { ...base, ...fields };
  if (fields['tot-mem'] === undefined) line['tot-mem'] = 4096 + Number(line.rbs) + Number(line['argv-mem']) + Number(line['multi-mem']);
  return Object.entries(line)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Records the longest reply the session's client got so far, which is what rbp shows while no
 * cron tick ran (in-process, each reply is taken on its own, as one flush), with the 16 KB
 * buffer that small replies are written in: the reply buffer fields of infoLine.
 */
function bufferFields(s: Session): () => { rbs: number; rbp: number } {
  let peak = 0;
  const call = s.call.bind(s);
  s.call = (...args) => {
    const reply = call(...args);
    if (reply.length > peak) peak = reply.length;
    return reply;
  };
  return () => ({ rbs: peak === 0 ? 0 : 16384, rbp: peak });
}

describe('connection commands', () => {
  describe('PING', () => {
    it('answers PONG, or echoes its argument as a bulk', () => {
      const s = new Session();
      expect(s.call('PING')).to.equal('+PONG\r\n');
      expect(s.call('ping', 'hello')).to.equal(resp.bulk('hello'));
      expect(s.call('PING', '')).to.equal('$0\r\n\r\n');
    });

    it('refuses more than one argument with the arity error', () => {
      expect(new Session().call('PING', 'a', 'b')).to.equal(resp.err("ERR wrong number of arguments for 'ping' command"));
    });

    it('answers the same in RESP3', () => {
      const s = new Session();
      s.client.reply.protocol = 3;
      expect(s.call('PING')).to.equal('+PONG\r\n');
      expect(s.call('PING', 'x')).to.equal(resp.bulk('x'));
    });
  });

  describe('ECHO', () => {
    it('returns its argument byte for byte', () => {
      const s = new Session();
      const bytes = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
      expect(s.call('ECHO', bytes)).to.equal(`$5\r\n${bytes.toString('latin1')}\r\n`);
      expect(s.call('ECHO')).to.equal(resp.err("ERR wrong number of arguments for 'echo' command"));
    });
  });

  describe('SELECT', () => {
    it('switches the database of this client only', () => {
      const s = new Session();
      const other = s.peer();
      expect(s.call('SELECT', '1')).to.equal(resp.ok);
      s.call('SET', 'k', 'one');
      expect(other.call('GET', 'k')).to.equal(resp.nil);
      expect(s.call('SELECT', '0')).to.equal(resp.ok);
      expect(s.call('GET', 'k')).to.equal(resp.nil);
      expect(s.call('SELECT', '1')).to.equal(resp.ok);
      expect(s.call('GET', 'k')).to.equal(resp.bulk('one'));
    });

    it('refuses indexes out of range and non-integers with Redis errors', () => {
      const s = new Session();
      expect(s.call('SELECT', '16')).to.equal(resp.err('ERR DB index is out of range'));
      expect(s.call('SELECT', '-1')).to.equal(resp.err('ERR DB index is out of range'));
      expect(s.call('SELECT', 'abc')).to.equal(resp.err('ERR value is not an integer or out of range'));
      expect(s.call('SELECT', '01')).to.equal(resp.err('ERR value is not an integer or out of range'));
      // A C int in Redis: a 64-bit integer beyond 32 bits has an error of its own.
      const intRange = resp.err('ERR value is out of range, value must between -2147483648 and 2147483647');
      expect(s.call('SELECT', '4294967296')).to.equal(intRange);
      expect(s.call('SELECT', '-2147483649')).to.equal(intRange);
      expect(s.call('SELECT', '99999999999999999999')).to.equal(resp.err('ERR value is not an integer or out of range'));
      expect(s.call('SELECT', '2147483647')).to.equal(resp.err('ERR DB index is out of range'));
    });

    it('follows the databases setting', () => {
      const s = new Session({ config: { databases: 4 } });
      expect(s.call('SELECT', '3')).to.equal(resp.ok);
      expect(s.call('SELECT', '4')).to.equal(resp.err('ERR DB index is out of range'));
    });

    it('allows only database 0 in cluster mode', () => {
      const s = new Session({ config: { 'cluster-enabled': 'yes' } });
      expect(s.call('SELECT', '0')).to.equal(resp.ok);
      expect(s.call('SELECT', '1')).to.equal(resp.err('ERR SELECT is not allowed in cluster mode'));
    });
  });

  describe('QUIT', () => {
    it('replies OK and asks for the connection to close, whatever its arguments', () => {
      const s = new Session();
      expect(s.call('QUIT', 'ignored')).to.equal(resp.ok);
      expect(s.client.closeAfterReply).to.equal(true);
    });
  });

  describe('AUTH', () => {
    it('without requirepass: the one-argument form is an error, the default user takes any password', () => {
      const s = new Session();
      expect(s.call('AUTH', 'x')).to.equal(
        resp.err(
          'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
        ),
      );
      expect(s.call('AUTH', 'default', 'anything')).to.equal(resp.ok);
      expect(s.call('AUTH', 'bob', 'x')).to.equal(WRONGPASS);
      expect(s.call('AUTH', 'a', 'b', 'c')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('AUTH')).to.equal(resp.err("ERR wrong number of arguments for 'auth' command"));
    });

    it('with requirepass: commands wait for the password, which both forms accept', () => {
      const s = new Session({ config: { requirepass: 'secret' } });
      expect(s.call('PING')).to.equal(NOAUTH);
      expect(s.call('AUTH', 'wrong')).to.equal(WRONGPASS);
      expect(s.call('PING')).to.equal(NOAUTH);
      expect(s.call('AUTH', 'secret')).to.equal(resp.ok);
      expect(s.call('PING')).to.equal('+PONG\r\n');

      const other = s.peer();
      expect(other.call('AUTH', 'DEFAULT', 'secret')).to.equal(WRONGPASS);
      expect(other.call('AUTH', 'default', 'secret')).to.equal(resp.ok);
      expect(other.call('GET', 'k')).to.equal(resp.nil);
    });

    it('a failed AUTH does not log out a client that was logged in', () => {
      const s = new Session({ config: { requirepass: 'secret' } });
      expect(s.call('AUTH', 'secret')).to.equal(resp.ok);
      expect(s.call('AUTH', 'nope')).to.equal(WRONGPASS);
      expect(s.call('PING')).to.equal('+PONG\r\n');
    });
  });

  describe('HELLO', () => {
    it('replies the server map in RESP2 and switches to RESP3 with HELLO 3', () => {
      const s = new Session();
      expect(s.call('HELLO')).to.equal(helloReply(2, 1));
      expect(s.call('HELLO', '3')).to.equal(helloReply(3, 1));
      expect(s.client.reply.protocol).to.equal(3);
      expect(s.call('GET', 'missing')).to.equal('_\r\n');
      // Without a version HELLO reports, and keeps, the current protocol.
      expect(s.call('HELLO')).to.equal(helloReply(3, 1));
      expect(s.call('HELLO', '2')).to.equal(helloReply(2, 1));
      expect(s.call('GET', 'missing')).to.equal(resp.nil);
    });

    it('reports cluster mode', () => {
      const s = new Session({ config: { 'cluster-enabled': 'yes' } });
      expect(s.call('HELLO', '2')).to.equal(helloReply(2, 1, 'cluster'));
    });

    it('refuses bad versions and options with Redis texts', () => {
      const s = new Session();
      expect(s.call('HELLO', '4')).to.equal(resp.err('NOPROTO unsupported protocol version'));
      expect(s.call('HELLO', '1')).to.equal(resp.err('NOPROTO unsupported protocol version'));
      expect(s.call('HELLO', 'abc')).to.equal(resp.err('ERR Protocol version is not an integer or out of range'));
      expect(s.call('HELLO', '3.0')).to.equal(resp.err('ERR Protocol version is not an integer or out of range'));
      expect(s.call('HELLO', '2', 'AUTH')).to.equal(resp.err("ERR Syntax error in HELLO option 'AUTH'"));
      expect(s.call('HELLO', '2', 'AUTH', 'a')).to.equal(resp.err("ERR Syntax error in HELLO option 'AUTH'"));
      expect(s.call('HELLO', '2', 'SETNAME')).to.equal(resp.err("ERR Syntax error in HELLO option 'SETNAME'"));
      expect(s.call('HELLO', '2', 'FOO')).to.equal(resp.err("ERR Syntax error in HELLO option 'FOO'"));
      expect(s.call('HELLO', '4', 'AUTH', 'default', 'bad')).to.equal(resp.err('NOPROTO unsupported protocol version'));
      expect(s.client.reply.protocol).to.equal(2);
    });

    it('sets the client name; the last SETNAME wins and an empty one clears it', () => {
      const s = new Session();
      expect(s.call('HELLO', '3', 'SETNAME', 'foo')).to.equal(helloReply(3, 1));
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.bulk('foo'));
      expect(s.call('HELLO', '2', 'SETNAME', 'a', 'setname', 'b')).to.equal(helloReply(2, 1));
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.bulk('b'));
      expect(s.call('HELLO', '2', 'SETNAME', '')).to.equal(helloReply(2, 1));
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.nil);
      expect(s.call('HELLO', '3', 'SETNAME', 'a b')).to.equal(BAD_NAME);
      expect(s.client.reply.protocol).to.equal(2);
    });

    it('with requirepass: asks for AUTH, logs in with it, and refuses a wrong password', () => {
      const s = new Session({ config: { requirepass: 'secret' } });
      const noauth = resp.err(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
      expect(s.call('HELLO')).to.equal(noauth);
      expect(s.call('HELLO', '3')).to.equal(noauth);
      expect(s.call('HELLO', '3', 'AUTH', 'default', 'bad')).to.equal(WRONGPASS);
      expect(s.call('HELLO', '3', 'AUTH', 'default', 'bad', 'SETNAME', 'a')).to.equal(WRONGPASS);
      expect(s.client.reply.protocol).to.equal(2);
      expect(s.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'n')).to.equal(helloReply(3, 1));
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.bulk('n'));
    });

    it('logs in before it checks the name, as Redis does', () => {
      const s = new Session({ config: { requirepass: 'secret' } });
      expect(s.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'a b')).to.equal(BAD_NAME);
      expect(s.call('PING')).to.equal('+PONG\r\n');
      expect(s.client.reply.protocol).to.equal(2);
    });

    it('counts NOPROTO under its own code in errorstats', () => {
      const s = new Session();
      s.call('HELLO', '9');
      expect(s.call('INFO', 'errorstats')).to.equal(resp.bulk('# Errorstats\r\nerrorstat_NOPROTO:count=1\r\n'));
    });
  });

  describe('RESET', () => {
    it('restores db 0, RESP2, no name, no transaction, and answers +RESET', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      s.call('SELECT', '3');
      s.call('CLIENT', 'SETNAME', 'foo');
      s.call('HELLO', '3');
      s.call('CLIENT', 'NO-TOUCH', 'on');
      s.call('WATCH', 'w');
      s.call('MULTI');
      expect(s.call('SET', 'a', 'b')).to.equal('+QUEUED\r\n');
      // RESET is not queued by MULTI: it runs at once.
      expect(s.call('RESET')).to.equal('+RESET\r\n');
      expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      // The WATCH is gone too: a change to the key no longer spoils the next transaction.
      s.peer().call('SET', 'w', '1');
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('*0\r\n');
      const expected = resp.bulk(infoLine(buffers()) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(expected);
    });

    it('keeps CLIENT NO-EVICT, as Redis 7.0 does', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      s.call('CLIENT', 'NO-EVICT', 'on');
      s.call('RESET');
      const expected = resp.bulk(infoLine({ flags: 'e', ...buffers() }) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(expected);
    });

    it('logs the client out when a password is required', () => {
      const s = new Session({ config: { requirepass: 'secret' } });
      s.call('AUTH', 'secret');
      expect(s.call('RESET')).to.equal('+RESET\r\n');
      expect(s.call('PING')).to.equal(NOAUTH);
    });

    it('takes no arguments', () => {
      expect(new Session().call('RESET', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'reset' command"));
    });
  });

  describe('CLIENT SETNAME / GETNAME / ID', () => {
    it('names the connection; GETNAME is a null without a name', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.nil);
      expect(s.call('CLIENT', 'SETNAME', 'worker-1')).to.equal(resp.ok);
      expect(s.call('client', 'getname')).to.equal(resp.bulk('worker-1'));
      expect(s.call('CLIENT', 'SETNAME', '')).to.equal(resp.ok);
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.nil);
      s.client.reply.protocol = 3;
      expect(s.call('CLIENT', 'GETNAME')).to.equal('_\r\n');
    });

    it('refuses names with spaces, control or non-ASCII bytes', () => {
      const s = new Session();
      for (const name of ['a b', 'a\nb', 'tab\t', '\x7f', 'caf\xe9']) {
        expect(s.call('CLIENT', 'SETNAME', name)).to.equal(BAD_NAME);
      }
      expect(s.call('CLIENT', 'GETNAME')).to.equal(resp.nil);
    });

    it('checks arity per subcommand, with the full name in the error', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'SETNAME')).to.equal(resp.err("ERR wrong number of arguments for 'client|setname' command"));
      expect(s.call('CLIENT', 'GETNAME', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'client|getname' command"));
      expect(s.call('CLIENT')).to.equal(resp.err("ERR wrong number of arguments for 'client' command"));
      expect(s.call('CLIENT', 'PAUSEX')).to.equal(resp.err("ERR unknown subcommand 'PAUSEX'. Try CLIENT HELP."));
    });

    it('returns the client id', () => {
      const s = new Session();
      const other = s.peer();
      expect(s.call('CLIENT', 'ID')).to.equal(resp.int(1));
      expect(other.call('CLIENT', 'ID')).to.equal(resp.int(2));
    });
  });

  describe('CLIENT SETINFO', () => {
    it('sets lib-name and lib-ver, shown by CLIENT INFO', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      expect(s.call('CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis')).to.equal(resp.ok);
      expect(s.call('CLIENT', 'SETINFO', 'lib-ver', '5.9.3')).to.equal(resp.ok);
      const info1 = resp.bulk(infoLine({ 'lib-name': 'ioredis', 'lib-ver': '5.9.3', ...buffers() }) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(info1);
      expect(s.call('CLIENT', 'SETINFO', 'lib-name', '')).to.equal(resp.ok);
      const info2 = resp.bulk(infoLine({ 'lib-ver': '5.9.3', ...buffers() }) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(info2);
    });

    it('refuses unknown attributes and bad values, naming the attribute as sent', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'SETINFO', 'lib-version', 'x')).to.equal(resp.err("ERR Unrecognized option 'lib-version'"));
      expect(s.call('CLIENT', 'SETINFO', 'LIB-NAME', 'a b')).to.equal(
        resp.err('ERR LIB-NAME cannot contain spaces, newlines or special characters.'),
      );
      expect(s.call('CLIENT', 'SETINFO', 'lib-name')).to.equal(resp.err("ERR wrong number of arguments for 'client|setinfo' command"));
    });
  });

  describe('CLIENT INFO and CLIENT LIST', () => {
    it('prints Redis 7.0 fields in order, then lib-name and lib-ver', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'INFO')).to.equal(resp.bulk(infoLine() + '\n'));
      // Its first reply now sits in the buffer it keeps.
      const first = infoLine() + '\n';
      expect(s.call('CLIENT', 'INFO')).to.equal(resp.bulk(infoLine({ rbs: 16384, rbp: resp.bulk(first).length }) + '\n'));
    });

    it('shows name, db, age and idle time from the clock, and the last command of other clients', () => {
      const s = new Session();
      const other = s.peer();
      s.call('CLIENT', 'SETNAME', 'me');
      s.call('SELECT', '2');
      other.call('GET', 'k');
      s.clock.advance(61_000);
      // Each has written only +OK (5 bytes) and $-1 (5 bytes).
      const mine = infoLine({ name: 'me', db: 2, age: 61, cmd: 'client|list', 'argv-mem': 10, rbs: 16384, rbp: 5 });
      const theirs = infoLine({ id: 2, age: 61, idle: 61, cmd: 'get', 'argv-mem': 0, rbs: 16384, rbp: 5 });
      expect(s.call('CLIENT', 'LIST')).to.equal(resp.bulk(`${mine}\n${theirs}\n`));
    });

    it('counts ages in whole seconds of the clock, as Redis does', () => {
      const s = new Session({ clock: new FakeClock(1_700_000_000_900) });
      s.clock.advance(200);
      expect(s.call('CLIENT', 'INFO')).to.equal(resp.bulk(infoLine({ id: 1, age: 1 }) + '\n'));
    });

    it('shows argv-mem of the running command and the client flags', () => {
      const s = new Session();
      s.client.watchTouched = true;
      s.call('CLIENT', 'NO-EVICT', 'on');
      s.call('CLIENT', 'NO-TOUCH', 'on');
      expect(s.call('CLIENT', 'LIST', 'ID', '1')).to.equal(
        resp.bulk(infoLine({ flags: 'deT', cmd: 'client|list', 'argv-mem': 13, rbs: 16384, rbp: 5 }) + '\n'),
      );
    });

    it('shows a transaction in progress: flag x, queued count and their memory', () => {
      const s = new Session();
      const other = s.peer();
      s.call('MULTI');
      s.call('SET', 'key', 'value');
      const queued = 3 + 3 + 5 + 16;
      expect(other.call('CLIENT', 'LIST', 'ID', '1')).to.equal(
        resp.bulk(
          // Its longest reply so far: +QUEUED.
          infoLine({ flags: 'x', multi: 1, 'argv-mem': 0, 'multi-mem': queued, rbs: 16384, rbp: 9, cmd: 'set' }) + '\n',
        ),
      );
    });

    it('answers a verbatim string in RESP3', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      s.call('HELLO', '3');
      const text = infoLine({ resp: 3, ...buffers() }) + '\n';
      expect(s.call('CLIENT', 'INFO')).to.equal(`=${text.length + 4}\r\ntxt:${text}\r\n`);
    });

    it('filters by TYPE and by ID', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      s.peer();
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'normal')).to.match(/^\$\d+\r\nid=1 .*\nid=2 .*\n\r\n$/);
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'MASTER')).to.equal('$0\r\n\r\n');
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'replica')).to.equal('$0\r\n\r\n');
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'slave')).to.equal('$0\r\n\r\n');
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).to.equal('$0\r\n\r\n');
      const line = infoLine({ cmd: 'client|list', 'argv-mem': 16, ...buffers() });
      expect(s.call('CLIENT', 'LIST', 'ID', '1', '99', '1')).to.equal(
        resp.bulk(`${line}\n`.repeat(2)),
      );
      expect(s.call('CLIENT', 'LIST', 'ID', '99999', '-1')).to.equal('$0\r\n\r\n');
    });

    it('refuses bad filters with Redis errors', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'foo')).to.equal(resp.err("ERR Unknown client type 'foo'"));
      expect(s.call('CLIENT', 'LIST', 'ID', 'abc')).to.equal(resp.err('ERR Invalid client ID'));
      expect(s.call('CLIENT', 'LIST', 'ID')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'LIST', 'foo')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'LIST', 'TYPE', 'normal', 'x')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'INFO', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'client|info' command"));
    });
  });

  describe('CLIENT KILL', () => {
    it('old form: kills by address, itself included, and answers OK or an error', () => {
      const s = new Session();
      const other = s.peer();
      expect(s.call('CLIENT', 'KILL', '1.2.3.4:5')).to.equal(resp.err('ERR No such client'));
      expect(s.call('CLIENT', 'KILL', 'ID')).to.equal(resp.err('ERR No such client'));
      // Both sessions share the address 127.0.0.1:50000: the old form kills every match.
      expect(s.call('CLIENT', 'KILL', '127.0.0.1:50000')).to.equal(resp.ok);
      expect(other.client.closeAfterReply).to.equal(true);
      expect(s.client.closeAfterReply).to.equal(true);
      expect([...s.core.clients.keys()]).to.deep.equal([1]);
    });

    it('new form: counts the killed clients and skips the caller unless SKIPME no', () => {
      const s = new Session();
      const a = s.peer();
      const b = s.peer();
      expect(s.call('CLIENT', 'KILL', 'ID', '2')).to.equal(resp.int(1));
      expect(a.client.closeAfterReply).to.equal(true);
      expect(b.client.closeAfterReply).to.equal(false);
      expect(s.call('CLIENT', 'KILL', 'ID', '99999')).to.equal(resp.int(0));
      expect(s.call('CLIENT', 'KILL', 'USER', 'default')).to.equal(resp.int(1));
      expect(b.client.closeAfterReply).to.equal(true);
      expect(s.client.closeAfterReply).to.equal(false);
      expect(s.call('CLIENT', 'LIST')).to.match(/^\$\d+\r\nid=1 [^\n]*\n\r\n$/);
      expect(s.call('CLIENT', 'KILL', 'ADDR', '127.0.0.1:50000', 'SKIPME', 'no')).to.equal(resp.int(1));
      expect(s.client.closeAfterReply).to.equal(true);
    });

    it('matches LADDR and TYPE', () => {
      const s = new Session();
      const other = s.peer();
      expect(s.call('CLIENT', 'KILL', 'LADDR', '127.0.0.1:1')).to.equal(resp.int(0));
      expect(s.call('CLIENT', 'KILL', 'TYPE', 'pubsub')).to.equal(resp.int(0));
      expect(s.call('CLIENT', 'KILL', 'LADDR', '127.0.0.1:6379', 'TYPE', 'normal')).to.equal(resp.int(1));
      expect(other.client.closeAfterReply).to.equal(true);
    });

    it('refuses bad filters with Redis errors', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'KILL', 'ID', '0')).to.equal(resp.err('ERR client-id should be greater than 0'));
      expect(s.call('CLIENT', 'KILL', 'ID', 'abc')).to.equal(resp.err('ERR client-id should be greater than 0'));
      expect(s.call('CLIENT', 'KILL', 'foo', 'bar')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'KILL', 'USER', 'bob')).to.equal(resp.err("ERR No such user 'bob'"));
      expect(s.call('CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'maybe')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'KILL', 'TYPE', 'foo')).to.equal(resp.err("ERR Unknown client type 'foo'"));
      expect(s.call('CLIENT', 'KILL', 'SKIPME', 'yes', 'ID')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'KILL')).to.equal(resp.err("ERR wrong number of arguments for 'client|kill' command"));
    });
  });

  describe('CLIENT NO-EVICT / NO-TOUCH', () => {
    it('switch on and off, shown as flags e and T', () => {
      const s = new Session();
      const buffers = bufferFields(s);
      expect(s.call('CLIENT', 'NO-EVICT', 'ON')).to.equal(resp.ok);
      const info1 = resp.bulk(infoLine({ flags: 'e', ...buffers() }) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(info1);
      expect(s.call('CLIENT', 'NO-TOUCH', 'on')).to.equal(resp.ok);
      const info2 = resp.bulk(infoLine({ flags: 'eT', ...buffers() }) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(info2);
      expect(s.call('CLIENT', 'NO-EVICT', 'off')).to.equal(resp.ok);
      expect(s.call('CLIENT', 'NO-TOUCH', 'OFF')).to.equal(resp.ok);
      const info3 = resp.bulk(infoLine(buffers()) + '\n');
      expect(s.call('CLIENT', 'INFO')).to.equal(info3);
    });

    it('refuses anything but ON or OFF', () => {
      const s = new Session();
      expect(s.call('CLIENT', 'NO-EVICT', 'maybe')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CLIENT', 'NO-TOUCH', 'yes')).to.equal(resp.err('ERR syntax error'));
    });
  });

  describe('CLIENT HELP', () => {
    it('is an array of status lines shaped as Redis prints it', () => {
      const reply = new Session().call('client', 'help');
      const lines = reply.split('\r\n').slice(1, -1);
      expect(reply.startsWith(`*${lines.length}\r\n`)).to.equal(true);
      expect(lines[0]).to.equal('+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      expect(lines.slice(-2)).to.deep.equal(['+HELP', '+    Prints this help.']);
      expect(lines).to.include.members(['+SETNAME <name>', '+    Assign the name <name> to the current connection.']);
      expect(lines.every((line) => line.startsWith('+'))).to.equal(true);
      expect(new Session().call('CLIENT', 'HELP', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'client|help' command"));
    });
  });
});
