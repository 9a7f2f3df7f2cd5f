// ACL commands in process, with replies checked byte for byte against Redis 7.0.15.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, resp } from '../helpers/session.js';

const ALICE_HASH = 'f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a'; // sha256("p1")
const ALICE_RULES = ['on', '>p1', '~foo*', '%R~bar*', '+get', '+@string', '-set', '+config|get', 'resetchannels', '&ch*'];
const ALICE_LINE = `user alice on #${ALICE_HASH} ~foo* %R~bar* resetchannels &ch* -@all +@string -set +config|get`;
const DEFAULT_LINE = 'user default on nopass ~* &* +@all';

function getuser(flags: string[], passwords: string[], commands: string, keys: string, channels: string): string {
  return resp.array([
    resp.bulk('flags'), resp.bulks(flags),
    resp.bulk('passwords'), resp.bulks(passwords),
    resp.bulk('commands'), resp.bulk(commands),
    resp.bulk('keys'), resp.bulk(keys),
    resp.bulk('channels'), resp.bulk(channels),
    resp.bulk('selectors'), resp.array([]),
  ]);
}

describe('ACL users', () => {
  it('describes the default user', () => {
    const s = new Session();
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks([DEFAULT_LINE]));
    expect(s.call('ACL', 'GETUSER', 'default')).to.equal(getuser(['on', 'nopass'], [], '+@all', '~*', '&*'));
    expect(s.call('ACL', 'WHOAMI')).to.equal(resp.bulk('default'));
    expect(s.call('ACL', 'USERS')).to.equal(resp.bulks(['default']));
  });

  it('creates users and prints them as Redis does', () => {
    const s = new Session();
    expect(s.call('ACL', 'SETUSER', 'alice', ...ALICE_RULES)).to.equal(resp.ok);
    expect(s.call('ACL', 'GETUSER', 'alice')).to.equal(getuser(['on'], [ALICE_HASH], '-@all +@string -set +config|get', '~foo* %R~bar*', '&ch*'));
    expect(s.call('ACL', 'SETUSER', 'bob')).to.equal(resp.ok);
    expect(s.call('ACL', 'GETUSER', 'bob')).to.equal(getuser(['off'], [], '-@all', '', ''));
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks([ALICE_LINE, 'user bob off resetchannels -@all', DEFAULT_LINE]));
    expect(s.call('ACL', 'USERS')).to.equal(resp.bulks(['alice', 'bob', 'default']));
    expect(s.call('ACL', 'GETUSER', 'nosuch')).to.equal(resp.nil);
  });

  it('compacts rules as ACL LIST shows them', () => {
    const s = new Session();
    const line = (...rules: string[]): string => {
      s.call('ACL', 'SETUSER', 't', 'reset', ...rules);
      return s.call('ACL', 'GETUSER', 't').split('commands\r\n')[1].split('\r\n')[1];
    };
    expect(line('+get', '-@string')).to.equal('-@all');
    expect(line('+@string', '-get', '+get')).to.equal('-@all +@string');
    expect(line('+get', '+get')).to.equal('-@all +get');
    expect(line('+@all', '-get')).to.equal('+@all -get');
    expect(line('allcommands', '-@string', '+get')).to.equal('+@all -@string +get');
    expect(line('+@all', '-@all', '+get')).to.equal('-@all +get');
    expect(line('+config', '-config|get')).to.equal('-@all +config -config|get');
    expect(line('+config|get', '-@all')).to.equal('-@all');
    expect(line('nocommands', '+get', '-get')).to.equal('-@all');
    expect(s.call('ACL', 'LIST').includes('user t off sanitize-payload resetchannels -@all')).to.equal(true);
  });

  it('keeps passwords, keys and channels as Redis does', () => {
    const s = new Session();
    const list = (...rules: string[]): string => {
      s.call('ACL', 'SETUSER', 't', 'reset', ...rules);
      return s.call('ACL', 'LIST').split('\r\n')[4];
    };
    expect(list('on', 'nopass')).to.equal('user t on nopass sanitize-payload resetchannels -@all');
    expect(list('on', '>a', '>b', '<a')).to.equal('user t on sanitize-payload #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d resetchannels -@all');
    expect(list('on', '>a', 'nopass')).to.equal('user t on nopass sanitize-payload resetchannels -@all');
    expect(list('allkeys', '~a')).to.equal('user t off sanitize-payload ~* resetchannels -@all');
    expect(list('~a', 'allkeys')).to.equal('user t off sanitize-payload ~* resetchannels -@all');
    expect(list('%RW~a', '%W~b', '%R~c')).to.equal('user t off sanitize-payload ~a %W~b %R~c resetchannels -@all');
    expect(list('~a', 'resetkeys', '~b')).to.equal('user t off sanitize-payload ~b resetchannels -@all');
    expect(list('&a', 'allchannels', '&b')).to.equal('user t off sanitize-payload &* -@all');
    expect(list('skip-sanitize-payload')).to.equal('user t off skip-sanitize-payload resetchannels -@all');
  });

  it('refuses bad rules with Redis errors and changes nothing', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 't', 'on', '+get');
    const err = (rule: string, reason: string): void => {
      expect(s.call('ACL', 'SETUSER', 't', 'off', rule)).to.equal(resp.err(`ERR Error in ACL SETUSER modifier '${rule}': ${reason}`));
    };
    err('badrule', 'Syntax error');
    err('+nosuchcmd', 'Unknown command or category name in ACL');
    err('+@nosuch', 'Unknown command or category name in ACL');
    err('-select|0', 'Unknown command or category name in ACL');
    err('+config|nosuch', 'Unknown command or category name in ACL');
    err('<nope', 'The password you are trying to remove from the user does not exist');
    err('#zz', 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters');
    err('%X~a', 'Syntax error');
    err('%~a', 'Syntax error');
    err('~a b', 'Syntax error');
    expect(s.call('ACL', 'LIST').split('\r\n')[4]).to.equal('user t on resetchannels -@all +get');
    expect(s.call('ACL', 'SETUSER', 'a b', 'on')).to.equal(resp.err("ERR Usernames can't contain spaces or null characters"));
  });

  it('answers the other subcommands as Redis does', () => {
    const s = new Session();
    expect(s.call('ACL', 'DELUSER', 'default')).to.equal(resp.err("ERR The 'default' user cannot be removed"));
    s.call('ACL', 'SETUSER', 'bob');
    expect(s.call('ACL', 'DELUSER', 'nosuch', 'bob')).to.equal(resp.int(1));
    expect(s.call('ACL', 'CAT', 'nosuch')).to.equal(resp.err("ERR Unknown category 'nosuch'"));
    expect(s.call('ACL', 'CAT', 'a', 'b')).to.equal(resp.err("ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP."));
    expect(s.call('ACL', 'CAT').startsWith(resp.array([]).replace('*0', '*21'))).to.equal(true);
    expect(s.call('ACL', 'CAT').includes(resp.bulk('keyspace') + resp.bulk('read') + resp.bulk('write'))).to.equal(true);
    expect(s.call('ACL', 'CAT', 'string')).to.include(resp.bulk('get'));
    expect(s.call('ACL', 'CAT', 'string')).not.to.include(resp.bulk('del'));
    expect(s.call('ACL', 'GENPASS', '0')).to.equal(resp.err('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096'));
    expect(s.call('ACL', 'GENPASS', '5')).to.match(/^\$2\r\n[0-9a-f]{2}\r\n$/);
    expect(s.call('ACL', 'GENPASS')).to.match(/^\$64\r\n[0-9a-f]{64}\r\n$/);
    const noFile = 'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';
    expect(s.call('ACL', 'LOAD')).to.equal(resp.err(noFile));
    expect(s.call('ACL', 'SAVE')).to.equal(resp.err(noFile));
    expect(s.call('ACL', 'USERS', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'acl|users' command"));
    expect(s.call('ACL', 'FOO')).to.equal(resp.err("ERR unknown subcommand 'FOO'. Try ACL HELP."));
    expect(s.call('ACL', 'HELP').split('\r\n')[1]).to.equal('+ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  });

  it('answers DRYRUN as Redis does', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 'u', 'on', '>pw', '~foo*', '+get', '+set');
    expect(s.call('ACL', 'DRYRUN', 'u', 'get', 'foo1')).to.equal(resp.ok);
    expect(s.call('ACL', 'DRYRUN', 'u', 'get', 'bar')).to.equal(resp.bulk("This user has no permissions to access the 'bar' key"));
    expect(s.call('ACL', 'DRYRUN', 'u', 'del', 'x')).to.equal(resp.bulk("This user has no permissions to run the 'del' command"));
    expect(s.call('ACL', 'DRYRUN', 'nosuch', 'get', 'x')).to.equal(resp.err("ERR User 'nosuch' not found"));
    expect(s.call('ACL', 'DRYRUN', 'u', 'nosuchcmd')).to.equal(resp.err("ERR Command 'nosuchcmd' not found"));
    expect(s.call('ACL', 'DRYRUN', 'u', 'get')).to.equal(resp.err("ERR wrong number of arguments for 'get' command"));
  });
});

describe('AUTH with ACL users and NOPERM', () => {
  it('logs in as a user and enforces its commands and keys', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 'u', 'on', '>pw', '~foo*', '%R~bar*', '+get', '+set', '+acl|whoami', '+config|get');
    expect(s.call('AUTH', 'u', 'wrong')).to.equal(resp.err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(s.call('AUTH', 'nosuch', 'x')).to.equal(resp.err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(s.call('ACL', 'WHOAMI')).to.equal(resp.bulk('default'));
    expect(s.call('AUTH', 'u', 'pw')).to.equal(resp.ok);
    expect(s.call('ACL', 'WHOAMI')).to.equal(resp.bulk('u'));
    expect(s.call('SET', 'foo1', 'v')).to.equal(resp.ok);
    expect(s.call('GET', 'foo1')).to.equal(resp.bulk('v'));
    expect(s.call('GET', 'bar1')).to.equal(resp.nil);
    expect(s.call('GET', 'zzz')).to.equal(resp.err('NOPERM this user has no permissions to access one of the keys used as arguments'));
    expect(s.call('SET', 'bar1', '1')).to.equal(resp.err('NOPERM this user has no permissions to access one of the keys used as arguments'));
    expect(s.call('DEL', 'foo1')).to.equal(resp.err("NOPERM this user has no permissions to run the 'del' command"));
    expect(s.call('CONFIG', 'SET', 'x', 'y')).to.equal(resp.err("NOPERM this user has no permissions to run the 'config|set' command"));
    expect(s.call('ACL', 'LIST')).to.equal(resp.err("NOPERM this user has no permissions to run the 'acl|list' command"));
    expect(s.call('PING')).to.equal(resp.err("NOPERM this user has no permissions to run the 'ping' command"));
    expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal(resp.bulks(['maxmemory', '0']));
    // Commands allowed before logging in are never refused by ACL rules.
    expect(s.call('AUTH', 'default', 'x')).to.equal(resp.ok);
    expect(s.call('PING')).to.equal(resp.simple('PONG'));
  });

  it('refuses a disabled user and a wrong HELLO AUTH', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 'w', 'off', '>a', '+@all');
    expect(s.call('AUTH', 'w', 'a')).to.equal(resp.err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(s.call('HELLO', '3', 'AUTH', 'w', 'a')).to.equal(resp.err('WRONGPASS invalid username-password pair or user is disabled.'));
    s.call('ACL', 'SETUSER', 'w', 'on');
    expect(s.call('HELLO', '2', 'AUTH', 'w', 'a').startsWith('*14\r\n')).to.equal(true);
    expect(s.call('ACL', 'WHOAMI')).to.equal(resp.bulk('w'));
  });

  it('makes requirepass the default user password, and back', () => {
    const s = new Session({ config: { requirepass: 'secret' } });
    expect(s.call('GET', 'k')).to.equal(resp.err('NOAUTH Authentication required.'));
    expect(s.call('AUTH', 'default', 'secret')).to.equal(resp.ok);
    expect(s.call('ACL', 'GETUSER', 'default')).to.include(resp.bulk('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b'));
    expect(s.call('CONFIG', 'SET', 'requirepass', 'other')).to.equal(resp.ok);
    const peer = s.peer();
    expect(peer.call('AUTH', 'secret')).to.equal(resp.err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(peer.call('AUTH', 'other')).to.equal(resp.ok);
    s.call('CONFIG', 'SET', 'requirepass', '');
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks([DEFAULT_LINE]));
    expect(s.peer().call('GET', 'k')).to.equal(resp.nil);
    expect(s.call('AUTH', 'x')).to.equal(
      resp.err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
    );
  });

  it('setting a password on the default user by ACL SETUSER requires AUTH from new clients', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 'default', 'resetpass', '>pw');
    const peer = s.peer();
    expect(peer.call('GET', 'k')).to.equal(resp.err('NOAUTH Authentication required.'));
    expect(peer.call('AUTH', 'pw')).to.equal(resp.ok);
    // The client that was in before keeps its login, as in Redis.
    expect(s.call('GET', 'k')).to.equal(resp.nil);
  });

  it('keeps passwords out of the slow log, as Redis redacts them', () => {
    const s = new Session({ config: { 'slowlog-log-slower-than': 0 } });
    s.call('ACL', 'SETUSER', 'zz', 'on', '>secretpw', '~*');
    s.call('CONFIG', 'SET', 'requirepass', 'hunter2');
    s.call('AUTH', 'hunter2');
    const log = s.call('SLOWLOG', 'GET', '5');
    const redacted = resp.bulk('(redacted)');
    expect(log).to.include(resp.bulk('ACL') + resp.bulk('SETUSER') + redacted.repeat(4));
    expect(log).to.include(resp.bulk('CONFIG') + resp.bulk('SET') + resp.bulk('requirepass') + redacted);
    expect(log).to.include(resp.bulk('AUTH') + redacted);
    expect(log).not.to.include('secretpw');
    expect(log).not.to.include('hunter2');
  });

  it('drops the clients of a deleted user', () => {
    const s = new Session();
    s.call('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '~*');
    const peer = s.peer();
    expect(peer.call('AUTH', 'u', 'any')).to.equal(resp.ok);
    expect(s.call('ACL', 'DELUSER', 'u')).to.equal(resp.int(1));
    expect(s.core.clients.has(peer.client.id)).to.equal(false);
  });
});

describe('aclfile', () => {
  let dir: string;
  let file: string;
  const aborted = 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ringcache-acl-'));
    file = join(dir, 'users.acl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is read at start, saved and loaded again as Redis does', () => {
    writeFileSync(file, 'user default on nopass ~* &* +@all\nuser app on >apppw ~app:* +@read\n');
    const s = new Session({ config: { aclfile: file } });
    const app = 'user app on #71d3d4e36cf4bc4309fd7390ba79fc6a1d03d8d7b45ef26f04bcdff3ff116868 ~app:* resetchannels -@all +@read';
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks([app, DEFAULT_LINE]));
    expect(s.call('ACL', 'SETUSER', 'bob', 'on', '>x')).to.equal(resp.ok);
    expect(s.call('ACL', 'SAVE')).to.equal(resp.ok);
    expect(readFileSync(file, 'latin1')).to.equal(
      `${app}\nuser bob on #2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 resetchannels -@all\n${DEFAULT_LINE}\n`,
    );
    // Users missing from the file go; a missing default user comes back as new.
    writeFileSync(file, '\nuser b on nopass +@all ~*\n\n');
    expect(s.call('ACL', 'LOAD')).to.equal(resp.ok);
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks(['user b on nopass ~* resetchannels +@all', DEFAULT_LINE]));
    writeFileSync(file, 'user default on >pw ~* +@all\n');
    expect(s.call('ACL', 'LOAD')).to.equal(resp.ok);
    expect(s.peer().call('GET', 'k')).to.equal(resp.err('NOAUTH Authentication required.'));
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks(['user default on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all']));
  });

  it('refuses a bad file whole, with Redis errors', () => {
    writeFileSync(file, 'user default on nopass ~* &* +@all\n');
    const s = new Session({ config: { aclfile: file } });
    writeFileSync(file, 'user default on nopass ~* &* +@all\nuser bad on +nosuch\n');
    expect(s.call('ACL', 'LOAD')).to.equal(resp.err(`ERR ${file}:2: Error in applying operation '+nosuch': Unknown command or category name in ACL. ${aborted}`));
    writeFileSync(file, 'user default on nopass ~* &* +@all\nfoo bar\n');
    expect(s.call('ACL', 'LOAD')).to.equal(resp.err(`ERR ${file}:2 should start with user keyword followed by the username. ${aborted}`));
    writeFileSync(file, 'user a on\nuser a off\n');
    expect(s.call('ACL', 'LOAD')).to.equal(resp.err(`ERR WARNING: Duplicate user 'a' found on line 2. ${aborted}`));
    expect(s.call('ACL', 'LIST')).to.equal(resp.bulks([DEFAULT_LINE]));
  });
});
