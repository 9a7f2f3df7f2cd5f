// COMMAND and its subcommands, the docs grammar behind COMMAND DOCS, and the central pipeline's
// lookup errors. Every raw reply below was copied from redis-server 7.0.15 answering the same
// request; the differential section asks a live redis-server about every command of the table.

import { expect } from 'chai';
import { parseSyntax, type DocArg } from '../../src/commands/docs-grammar.js';
import { commandCommands } from '../../src/commands/command.js';
import { connectionCommands } from '../../src/commands/connection.js';
import { FAMILIES } from '../../src/commands/table.js';
import type { CommandSpec } from '../../src/commands/types.js';
import type { Client } from '../../src/server/client.js';
import { ServerCore } from '../../src/server/core.js';
import { FakeClock } from '../../src/util/clock.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRedisServer, type RealRedis } from '../helpers/redis-server.js';
import { replyEnd } from '../helpers/resp-reader.js';
import { Session, resp } from '../helpers/session.js';

const MULTI_INFO =
  '*10\r\n$5\r\nmulti\r\n:1\r\n*5\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n' +
  '*2\r\n+@fast\r\n+@transaction\r\n*0\r\n*0\r\n*0\r\n';
const EXEC_INFO =
  '*10\r\n$4\r\nexec\r\n:1\r\n*4\r\n+noscript\r\n+loading\r\n+stale\r\n+skip_slowlog\r\n:0\r\n:0\r\n:0\r\n' +
  '*2\r\n+@slow\r\n+@transaction\r\n*0\r\n*0\r\n*0\r\n';
const RANGE_SPEC = (lastKey: number): string =>
  '$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n' +
  '$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n' +
  `*6\r\n$7\r\nlastkey\r\n:${lastKey}\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n`;
const WATCH_INFO =
  '*10\r\n$5\r\nwatch\r\n:-2\r\n*5\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+allow_busy\r\n:1\r\n:-1\r\n:1\r\n' +
  '*2\r\n+@fast\r\n+@transaction\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n' +
  RANGE_SPEC(-1) +
  '*0\r\n';
const GET_INFO =
  '*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n' +
  '*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n' +
  RANGE_SPEC(0) +
  '*0\r\n';

describe('COMMAND', () => {
  describe('INFO', () => {
    it('describes commands in Redis 7 format', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'INFO', 'multi', 'EXEC')).to.equal(`*2\r\n${MULTI_INFO}${EXEC_INFO}`);
      expect(s.call('COMMAND', 'INFO', 'watch')).to.equal(`*1\r\n${WATCH_INFO}`);
      expect(s.call('COMMAND', 'INFO', 'get')).to.equal(`*1\r\n${GET_INFO}`);
    });

    it('answers null for an unknown name, and finds subcommands by full name', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'INFO', 'nosuch', 'config|', '|get', 'command|nosuch')).to.equal(
        '*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n',
      );
      expect(s.call('COMMAND', 'INFO', 'COMMAND|GETKEYS')).to.equal(
        '*1\r\n*10\r\n$15\r\ncommand|getkeys\r\n:-4\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n' +
          '*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n',
      );
    });

    it('uses sets and maps in RESP3', () => {
      const s = new Session();
      s.call('HELLO', '3');
      expect(s.call('COMMAND', 'INFO', 'watch', 'nosuch')).to.equal(
        '*2\r\n*10\r\n$5\r\nwatch\r\n:-2\r\n~5\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+allow_busy\r\n' +
          ':1\r\n:-1\r\n:1\r\n~2\r\n+@fast\r\n+@transaction\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n' +
          '$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n' +
          '$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n' +
          '%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n_\r\n',
      );
    });

    it('lists every command with COMMAND and COMMAND INFO, counted by COMMAND COUNT', () => {
      const s = new Session();
      const count = FAMILIES.flat().length;
      expect(s.call('COMMAND', 'COUNT')).to.equal(resp.int(count));
      const all = s.call('COMMAND');
      expect(all.startsWith(`*${count}\r\n`)).to.equal(true);
      expect(all).to.contain(MULTI_INFO);
      expect(s.call('COMMAND', 'INFO')).to.equal(all);
      expect(replyEnd(Buffer.from(all, 'latin1'))).to.equal(all.length);
    });
  });

  describe('DOCS', () => {
    it('gives summary, since, group, complexity and the argument tree', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'DOCS', 'watch')).to.equal(
        '*2\r\n$5\r\nwatch\r\n*10\r\n$7\r\nsummary\r\n$67\r\nWatch the given keys to determine execution of the MULTI/EXEC block\r\n' +
          '$5\r\nsince\r\n$5\r\n2.2.0\r\n$5\r\ngroup\r\n$12\r\ntransactions\r\n$10\r\ncomplexity\r\n$19\r\nO(1) for every key.\r\n' +
          '$9\r\narguments\r\n*1\r\n*8\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n' +
          '$5\r\nflags\r\n*1\r\n+multiple\r\n',
      );
      expect(s.call('COMMAND', 'DOCS', 'multi')).to.equal(
        '*2\r\n$5\r\nmulti\r\n*8\r\n$7\r\nsummary\r\n$37\r\nMark the start of a transaction block\r\n' +
          '$5\r\nsince\r\n$5\r\n1.2.0\r\n$5\r\ngroup\r\n$12\r\ntransactions\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n',
      );
    });

    it('gives tokens, oneofs and history', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'DOCS', 'command|list')).to.equal(
        '*2\r\n$12\r\ncommand|list\r\n*10\r\n$7\r\nsummary\r\n$35\r\nGet an array of Redis command names\r\n' +
          '$5\r\nsince\r\n$5\r\n7.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n' +
          '$10\r\ncomplexity\r\n$50\r\nO(N) where N is the total number of Redis commands\r\n' +
          '$9\r\narguments\r\n*1\r\n*10\r\n$4\r\nname\r\n$8\r\nfilterby\r\n$4\r\ntype\r\n$5\r\noneof\r\n' +
          '$5\r\ntoken\r\n$8\r\nFILTERBY\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*3\r\n' +
          '*6\r\n$4\r\nname\r\n$11\r\nmodule-name\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nMODULE\r\n' +
          '*6\r\n$4\r\nname\r\n$8\r\ncategory\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nACLCAT\r\n' +
          '*6\r\n$4\r\nname\r\n$7\r\npattern\r\n$4\r\ntype\r\n$7\r\npattern\r\n$5\r\ntoken\r\n$7\r\nPATTERN\r\n',
      );
      expect(s.call('COMMAND', 'DOCS', 'command|info')).to.equal(
        '*2\r\n$12\r\ncommand|info\r\n*12\r\n$7\r\nsummary\r\n$78\r\nGet array of specific Redis command details, or all when no argument is given.\r\n' +
          '$5\r\nsince\r\n$6\r\n2.8.13\r\n$5\r\ngroup\r\n$6\r\nserver\r\n' +
          '$10\r\ncomplexity\r\n$49\r\nO(N) where N is the number of commands to look up\r\n' +
          '$7\r\nhistory\r\n*1\r\n*2\r\n$5\r\n7.0.0\r\n$66\r\nAllowed to be called with no argument to get info on all commands.\r\n' +
          '$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$12\r\ncommand-name\r\n$4\r\ntype\r\n$6\r\nstring\r\n' +
          '$5\r\nflags\r\n*2\r\n+optional\r\n+multiple\r\n',
      );
    });

    it('skips unknown names and repeats repeated ones', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'DOCS', 'nosuch')).to.equal('*0\r\n');
      const multi = s.call('COMMAND', 'DOCS', 'multi').slice('*2\r\n'.length);
      expect(s.call('COMMAND', 'DOCS', 'multi', 'nosuch', 'MULTI')).to.equal(`*4\r\n${multi}${multi}`);
      s.call('HELLO', '3');
      expect(s.call('COMMAND', 'DOCS', 'nosuch')).to.equal('%0\r\n');
    });

    it('documents every command when asked for none', () => {
      const s = new Session();
      const all = s.call('COMMAND', 'DOCS');
      expect(all.startsWith(`*${FAMILIES.flat().length * 2}\r\n`)).to.equal(true);
      expect(replyEnd(Buffer.from(all, 'latin1'))).to.equal(all.length);
    });
  });

  describe('LIST', () => {
    const sorted = (reply: string): string[] => {
      const items: string[] = [];
      const re = /\$\d+\r\n([^\r]*)\r\n/g;
      for (let m = re.exec(reply); m !== null; m = re.exec(reply)) items.push(m[1]);
      return items.sort();
    };

    it('filters by pattern over full names, by ACL category, by module', () => {
      const s = new Session();
      expect(sorted(s.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'COMMAND|GET*'))).to.deep.equal([
        'command|getkeys',
        'command|getkeysandflags',
      ]);
      expect(sorted(s.call('COMMAND', 'LIST', 'filterby', 'aclcat', 'TRANSACTION'))).to.deep.equal([
        'discard',
        'exec',
        'multi',
        'unwatch',
        'watch',
      ]);
      expect(s.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', '@transaction')).to.equal('*0\r\n');
      expect(s.call('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x')).to.equal('*0\r\n');
    });

    it('lists subcommands after their container', () => {
      const s = new Session();
      const all = s.call('COMMAND', 'LIST');
      expect(all).to.contain('$7\r\ncommand\r\n$13\r\ncommand|count\r\n');
      expect(all.startsWith(`*${sorted(all).length}\r\n`)).to.equal(true);
    });

    it('refuses anything but one FILTERBY', () => {
      const s = new Session();
      for (const args of [['foo'], ['FILTERBY'], ['FILTERBY', 'nosuch', 'x'], ['FILTERBY', 'PATTERN', 'x', 'extra']]) {
        expect(s.call('COMMAND', 'LIST', ...args)).to.equal(resp.err('ERR syntax error'));
      }
    });
  });

  describe('GETKEYS and GETKEYSANDFLAGS', () => {
    it('finds keys through the key specs', () => {
      const s = new Session();
      expect(s.call('COMMAND', 'GETKEYS', 'watch', 'a', 'b')).to.equal(resp.bulks(['a', 'b']));
      expect(s.call('COMMAND', 'GETKEYS', 'GET', 'a')).to.equal(resp.bulks(['a']));
      expect(s.call('COMMAND', 'GETKEYSANDFLAGS', 'watch', 'a', 'b')).to.equal(
        '*2\r\n*2\r\n$1\r\na\r\n*1\r\n+RO\r\n*2\r\n$1\r\nb\r\n*1\r\n+RO\r\n',
      );
      expect(s.call('COMMAND', 'GETKEYSANDFLAGS', 'get', 'a')).to.equal('*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n');
    });

    it("answers Redis's errors", () => {
      const s = new Session();
      expect(s.call('COMMAND', 'GETKEYS', 'nosuch', 'a')).to.equal(resp.err('ERR Invalid command specified'));
      expect(s.call('COMMAND', 'GETKEYS', 'config', 'nosuch')).to.equal(resp.err('ERR Invalid command specified'));
      expect(s.call('COMMAND', 'GETKEYS', 'config|get', 'x')).to.equal(resp.err('ERR Invalid command specified'));
      expect(s.call('COMMAND', 'GETKEYS', 'command', 'info')).to.equal(resp.err('ERR The command has no key arguments'));
      expect(s.call('COMMAND', 'GETKEYS', 'multi', 'x')).to.equal(resp.err('ERR The command has no key arguments'));
      expect(s.call('COMMAND', 'GETKEYS', 'get', 'a', 'b')).to.equal(
        resp.err('ERR Invalid number of arguments specified for command'),
      );
      expect(s.call('COMMAND', 'GETKEYS', 'get')).to.equal(
        resp.err("ERR wrong number of arguments for 'command|getkeys' command"),
      );
    });
  });

  it('HELP', () => {
    const s = new Session();
    const lines = [
      'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>',
      '    Return the keys and the access flags from a full Redis command.',
      'HELP',
      '    Prints this help.',
    ];
    expect(s.call('command', 'help')).to.equal(resp.array(lines.map(resp.simple)));
  });
});

/**
 * Entries shaped as Redis 7.0.15 declares XREAD, ZDIFFSTORE and SORT (keyword search, key counts,
 * unknown specs, stated categories), to check that the derivations hold for any family.
 */
const ok = (c: Client): void => c.reply.ok();
const LIKE_REDIS: CommandSpec[] = [
  {
    name: 'xread',
    arity: -4,
    flags: ['readonly', 'blocking'],
    keys: [0, 0, 0],
    keySpecs: [{ flags: ['RO', 'access'], begin: { keyword: 'STREAMS', startFrom: 1 }, find: { lastKey: -1, keyStep: 1, limit: 2 } }],
    group: 'stream',
    since: '5.0.0',
    summary: 'x',
    syntax: '[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]',
    handler: ok,
  },
  {
    name: 'zdiffstore',
    arity: -4,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    group: 'sorted_set',
    since: '6.2.0',
    summary: 'x',
    syntax: 'destination numkeys key [key ...]',
    handler: ok,
  },
  {
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom', 'movablekeys'],
    keys: [1, 1, 1],
    aclCategories: ['@set', '@sortedset', '@list', '@dangerous'],
    keySpecs: [
      { flags: ['RO', 'access'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
        flags: ['RO', 'access'],
        begin: { unknown: true },
        find: { unknown: true },
      },
      {
        notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
        flags: ['OW', 'update'],
        begin: { unknown: true },
        find: { unknown: true },
      },
    ],
    getKeys: () => [1],
    group: 'generic',
    since: '1.0.0',
    summary: 'x',
    syntax: 'key',
    handler: ok,
  },
];

describe('COMMAND on entries of any shape', () => {
  const clock = new FakeClock();
  const session = (): Session => new Session({ clock, core: new ServerCore({ clock, families: [...FAMILIES, LIKE_REDIS] }) });

  it('prints keyword and keynum key specs, unknown ones with notes, and movablekeys', () => {
    const s = session();
    expect(s.call('COMMAND', 'INFO', 'xread')).to.equal(
      '*1\r\n*10\r\n$5\r\nxread\r\n:-4\r\n*3\r\n+readonly\r\n+blocking\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n' +
        '*4\r\n+@read\r\n+@stream\r\n+@slow\r\n+@blocking\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n' +
        '$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n' +
        '$9\r\nstartfrom\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n' +
        '*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:2\r\n*0\r\n',
    );
    expect(s.call('COMMAND', 'INFO', 'zdiffstore')).to.equal(
      '*1\r\n*10\r\n$10\r\nzdiffstore\r\n:-4\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r\n' +
        '*3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n' +
        '$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n' +
        '$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n' +
        '*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n' +
        '*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n' +
        '$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n' +
        '*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n',
    );
    expect(s.call('COMMAND', 'INFO', 'sort')).to.equal(
      '*1\r\n*10\r\n$4\r\nsort\r\n:-2\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r\n' +
        '*6\r\n+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n*0\r\n*3\r\n' +
        '*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n' +
        '$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n' +
        '*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n' +
        "*8\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort\r\n" +
        '$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n' +
        '$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n' +
        "*8\r\n$5\r\nnotes\r\n$116\r\nFor the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array\r\n" +
        '$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n' +
        '$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n*0\r\n',
    );
  });

  it('finds keys after a keyword, by a count, or through the command\'s own extractor', () => {
    const s = session();
    expect(s.call('COMMAND', 'GETKEYS', 'xread', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0')).to.equal(resp.bulks(['a', 'b']));
    expect(s.call('COMMAND', 'GETKEYSANDFLAGS', 'zdiffstore', 'd', '2', 'a', 'b')).to.equal(
      '*3\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n' +
        '*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n',
    );
    expect(s.call('COMMAND', 'GETKEYS', 'sort', 'k', 'BY', 'x')).to.equal(resp.bulks(['k']));
    const invalid = resp.err('ERR Invalid arguments specified for command');
    expect(s.call('COMMAND', 'GETKEYS', 'zdiffstore', 'd', '0', 'a')).to.equal(invalid);
    expect(s.call('COMMAND', 'GETKEYS', 'zdiffstore', 'd', 'x', 'a')).to.equal(invalid);
    expect(s.call('COMMAND', 'GETKEYS', 'xread', 'COUNT', '1', 'a', 'b')).to.equal(invalid);
    expect(s.call('COMMAND', 'GETKEYS', 'xread', 'STREAMS', 'a')).to.equal(resp.err('ERR Invalid number of arguments specified for command'));
  });
});

describe('central lookup errors', () => {
  it('names a container called alone, a subcommand by its full name', () => {
    const s = new Session();
    expect(s.call('CONFIG')).to.equal(resp.err("ERR wrong number of arguments for 'config' command"));
    expect(s.call('client', 'setname')).to.equal(resp.err("ERR wrong number of arguments for 'client|setname' command"));
    expect(s.call('Client', 'SetName')).to.equal(resp.err("ERR wrong number of arguments for 'client|setname' command"));
  });

  it('words an unknown subcommand with the container in capitals and 128 bytes of it at most', () => {
    const s = new Session();
    expect(s.call('CoNfIg', 'NoSuch')).to.equal(resp.err("ERR unknown subcommand 'NoSuch'. Try CONFIG HELP."));
    expect(s.call('command', 'nosuch')).to.equal(resp.err("ERR unknown subcommand 'nosuch'. Try COMMAND HELP."));
    expect(s.call('config', 'a\tb')).to.equal(resp.err("ERR unknown subcommand 'a\tb'. Try CONFIG HELP."));
    expect(s.call('config', 'x'.repeat(200))).to.equal(resp.err(`ERR unknown subcommand '${'x'.repeat(128)}'. Try CONFIG HELP.`));
  });

  it('counts an arity error as a rejected call, an unknown subcommand as nothing', () => {
    const s = new Session();
    s.call('CONFIG');
    s.call('CONFIG', 'nosuch');
    const stat = s.core.stats.command('config');
    expect([stat.calls, stat.rejectedCalls, stat.failedCalls]).to.deep.equal([0, 1, 0]);
    expect([...s.core.stats.commandEntries()].map(([name]) => name)).to.deep.equal(['config']);
  });

  it('remembers the command for CLIENT LIST as soon as it is looked up', () => {
    const s = new Session();
    s.call('GET');
    expect(s.client.lastCommand).to.equal('get');
    s.call('NOSUCH');
    expect(s.client.lastCommand).to.equal('NULL');
    s.call('MULTI');
    s.call('SET', 'a', '1');
    expect(s.client.lastCommand).to.equal('set');
    s.call('EXEC');
    expect(s.client.lastCommand).to.equal('exec');
  });
});

/** A DocArg reduced to what Redis's docs print, for comparing trees briefly. */
function brief(args: readonly DocArg[]): unknown[] {
  return args.map((arg) => {
    const flags = [arg.optional && 'optional', arg.multiple && 'multiple', arg.multipleToken && 'multiple_token'].filter(Boolean);
    return [
      (arg.token === undefined ? '' : `${arg.token}=`) +
        `${arg.name}:${arg.type}` +
        (arg.since === undefined ? '' : `@${arg.since}`) +
        (flags.length > 0 ? `{${flags.join(',')}}` : ''),
      ...(arg.args === undefined ? [] : [brief(arg.args)]),
    ];
  });
}

describe('docs grammar', () => {
  const keyed = { keySpecCount: 1 };
  const parse = (syntax: string, context = keyed): unknown[] => brief(parseSyntax(syntax, context));

  // The expected trees are Redis 7.0.15's COMMAND DOCS for the same command, less `since` fields.
  it('reads SET', () => {
    expect(
      parse('key value condition:[NX | XX] [GET] expiration:[EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]'),
    ).to.deep.equal([
      ['key:key'],
      ['value:string'],
      ['condition:oneof{optional}', [['NX=nx:pure-token'], ['XX=xx:pure-token']]],
      ['GET=get:pure-token{optional}'],
      [
        'expiration:oneof{optional}',
        [
          ['EX=seconds:integer'],
          ['PX=milliseconds:integer'],
          ['EXAT=unix-time-seconds:unix-time'],
          ['PXAT=unix-time-milliseconds:unix-time'],
          ['KEEPTTL=keepttl:pure-token'],
        ],
      ],
    ]);
  });

  it('reads repetitions: MSET, DEL, SORT ... GET, CLIENT LIST ... ID', () => {
    expect(parse('key value [key value ...]')).to.deep.equal([['key_value:block{multiple}', [['key:key'], ['value:string']]]]);
    expect(parse('key [key ...]')).to.deep.equal([['key:key{multiple}']]);
    expect(parse('key [GET pattern [GET pattern ...]]')).to.deep.equal([
      ['key:key'],
      ['GET=pattern:pattern{optional,multiple,multiple_token}'],
    ]);
    expect(parse('[ID client-id [client-id ...]]', { keySpecCount: 0 })).to.deep.equal([['ID=client-id:integer{optional,multiple}']]);
    expect(parse('[section [section ...]]', { keySpecCount: 0 })).to.deep.equal([['section:string{optional,multiple}']]);
  });

  it('reads tokens that open a block, and labels', () => {
    expect(parse('arguments:[protover [AUTH username password] [SETNAME clientname]]', { keySpecCount: 0 })).to.deep.equal([
      [
        'arguments:block{optional}',
        [
          ['protover:integer'],
          ['AUTH=username_password:block{optional}', [['username:string'], ['password:string']]],
          ['SETNAME=clientname:string{optional}'],
        ],
      ],
    ]);
    expect(parse('key [LIMIT offset count]')).to.deep.equal([
      ['key:key'],
      ['LIMIT=offset_count:block{optional}', [['offset:integer'], ['count:integer']]],
    ]);
  });

  it('types by name, or as stated', () => {
    expect(parse('key1 key2 increment:double destination-db pattern ip:port')).to.deep.equal([
      ['key1:key'],
      ['key2:key'],
      ['increment:double'],
      ['destination-db:integer'],
      ['pattern:pattern'],
      ['ip:port:string'],
    ]);
    expect(parse('key', { keySpecCount: 0 }), 'no key specs, no key arguments').to.deep.equal([['key:string']]);
    expect(parse('host port <key | ""> destination-db')).to.deep.equal([
      ['host:string'],
      ['port:integer'],
      ['key_empty_string:oneof', [['key:key'], ['""=empty_string:pure-token']]],
      ['destination-db:integer'],
    ]);
  });

  it('reads the versions that added arguments', () => {
    expect(parse('[username@6.0.0] password condition@7.0.0:[NX | XX] [TYPE@6.0.0 type] [GET@6.2.0]', { keySpecCount: 0 })).to.deep.equal([
      ['username:string@6.0.0{optional}'],
      ['password:string'],
      ['condition:oneof@7.0.0{optional}', [['NX=nx:pure-token'], ['XX=xx:pure-token']]],
      ['TYPE=type:string@6.0.0{optional}'],
      ['GET=get:pure-token@6.2.0{optional}'],
    ]);
  });

  it('points key arguments at key specs in order', () => {
    const args = parseSyntax('source destination [DB destination-db]', { keySpecCount: 2 });
    expect(args.map((arg) => arg.keySpecIndex)).to.deep.equal([0, 1, undefined]);
  });

  it('refuses malformed syntax', () => {
    for (const bad of ['[a', 'a]', '<a | b', '[a | ]', '... a', 'a >']) {
      expect(() => parseSyntax(bad, keyed), bad).to.throw();
    }
    expect(parse('')).to.deep.equal([]);
  });
});

/** Splits a reply that is one array (or set) into its elements' raw bytes. */
function elements(reply: string): string[] {
  const match = /^[*~](\d+)\r\n/.exec(reply);
  if (match === null) throw new Error(`not an array: ${JSON.stringify(reply.slice(0, 60))}`);
  const buf = Buffer.from(reply, 'latin1');
  const items: string[] = [];
  let at = match[0].length;
  for (let i = 0; i < Number(match[1]); i++) {
    const end = replyEnd(buf, at);
    items.push(reply.slice(at, end));
    at = end;
  }
  return items;
}

/** The full names of the subcommands listed in a COMMAND INFO entry. */
function subcommandNames(entry: string): string[] {
  const subs = elements(entry)[9];
  return elements(subs).map((sub) => /^\*10\r\n\$\d+\r\n([^\r]*)/.exec(sub)?.[1] ?? '');
}

/**
 * One COMMAND INFO entry made comparable: subcommands sorted (Redis lists them in hash order,
 * which changes from run to run) and limited to `keep` (the ones both servers have), and with
 * `strip`, tips and key specs masked: those are facts each family states for its commands, which
 * no rule derives; the strict per-command comparison covers them.
 */
function comparableInfo(entry: string, keep: ReadonlySet<string> | null, strip: boolean): string {
  const fields = elements(entry);
  if (strip) {
    fields[7] = '<tips>';
    fields[8] = '<key specs>';
  }
  const subs = elements(fields[9])
    .filter((sub) => keep === null || keep.has(/^\*10\r\n\$\d+\r\n([^\r]*)/.exec(sub)?.[1] ?? ''))
    .map((sub) => comparableInfo(sub, null, strip))
    .sort();
  fields[9] = `[${subs.join(',')}]`;
  return fields.join('');
}

/** A COMMAND DOCS reply with its subcommand map sorted by name, for the same reason. */
function comparableDocs(reply: string): string {
  const marker = '$11\r\nsubcommands\r\n';
  const at = reply.indexOf(marker);
  if (at === -1) return reply;
  const map = reply.slice(at + marker.length);
  const pairs = elements(map.replace(/^%(\d+)/, (_, n: string) => `*${Number(n) * 2}`));
  const sortedPairs: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) sortedPairs.push(pairs[i] + pairs[i + 1]);
  return reply.slice(0, at + marker.length) + sortedPairs.sort().join('');
}

describe('differential: COMMAND against redis-server', function () {
  let redis: RealRedis;
  let client: RawClient;
  const table: CommandSpec[] = FAMILIES.flat();

  before(async function () {
    this.timeout(20000);
    redis = await startRedisServer();
    client = await RawClient.connect(redis.port);
  });

  after(async () => {
    await client?.close();
    await redis?.stop();
  });

  /**
   * SET as a family could declare it, with everything Redis 7.0.15 says about it: labels, the
   * versions that added arguments, history, a key spec with notes. Proves the table can carry
   * all of COMMAND DOCS, byte for byte.
   */
  const FULL_SET: CommandSpec = {
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    keySpecs: [
      {
        notes: 'RW and ACCESS due to the optional `GET` argument',
        flags: ['RW', 'access', 'update', 'variable_flags'],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
    ],
    group: 'string',
    since: '1.0.0',
    summary: 'Set the string value of a key',
    complexity: 'O(1)',
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    syntax:
      'key value condition@2.6.12:[NX | XX] [GET@6.2.0] expiration:[EX@2.6.12 seconds | PX@2.6.12 milliseconds | ' +
      'EXAT@6.2.0 unix-time-seconds | PXAT@6.2.0 unix-time-milliseconds | KEEPTTL@6.0.0]',
    handler: ok,
  };

  for (const protocol of [2, 3]) {
    it(`an entry stating all Redis says matches COMMAND INFO and DOCS byte for byte (RESP${protocol})`, async function () {
      this.timeout(20000);
      const clock = new FakeClock();
      const s = new Session({ clock, core: new ServerCore({ clock, families: [[FULL_SET], commandCommands, connectionCommands] }) });
      await client.call('HELLO', String(protocol));
      s.call('HELLO', String(protocol));
      expect(s.call('COMMAND', 'INFO', 'set')).to.equal(await client.call('COMMAND', 'INFO', 'set'));
      expect(s.call('COMMAND', 'DOCS', 'set')).to.equal(await client.call('COMMAND', 'DOCS', 'set'));
    });
  }

  /** Commands whose every COMMAND INFO and COMMAND DOCS byte ringcache must match. */
  const EXACT = ['get', 'ping', 'echo', 'select', 'quit', 'multi', 'exec', 'discard', 'watch', 'unwatch', 'command'];

  for (const protocol of [2, 3]) {
    it(`COMMAND INFO agrees on every command both have, tips and key-spec flags aside (RESP${protocol})`, async function () {
      this.timeout(20000);
      const s = new Session();
      await client.call('HELLO', String(protocol));
      s.call('HELLO', String(protocol));
      const differing: string[] = [];
      for (const spec of table) {
        const theirs = elements(await client.call('COMMAND', 'INFO', spec.name))[0];
        if (theirs === '$-1\r\n' || theirs === '_\r\n') continue;
        const ours = elements(s.call('COMMAND', 'INFO', spec.name))[0];
        // Subcommands of Redis 7.2 (CLIENT SETINFO) or not implemented (CLIENT CACHING) are left out.
        const theirSubs = new Set(subcommandNames(theirs));
        const both = new Set(subcommandNames(ours).filter((name) => theirSubs.has(name)));
        if (comparableInfo(ours, both, true) !== comparableInfo(theirs, both, true)) differing.push(spec.name);
      }
      expect(differing).to.deep.equal([]);
    });

    it(`COMMAND INFO and DOCS are byte-exact for ${EXACT.join(', ')} (RESP${protocol})`, async function () {
      this.timeout(20000);
      const s = new Session();
      await client.call('HELLO', String(protocol));
      s.call('HELLO', String(protocol));
      for (const name of EXACT) {
        const info = (reply: string): string => comparableInfo(elements(reply)[0], null, false);
        expect(info(s.call('COMMAND', 'INFO', name)), `COMMAND INFO ${name}`).to.equal(info(await client.call('COMMAND', 'INFO', name)));
        expect(comparableDocs(s.call('COMMAND', 'DOCS', name)), `COMMAND DOCS ${name}`).to.equal(
          comparableDocs(await client.call('COMMAND', 'DOCS', name)),
        );
      }
    });
  }
});
