// MULTI, EXEC, DISCARD, WATCH, UNWATCH: every expected reply below was taken from redis-server
// 7.0.15 running the same sequence (WATCH expiry cases with `DEBUG SET-ACTIVE-EXPIRE 0` and real
// sleeps, which the fake clock replaces here). The differential section replays the two-client
// cases against a real redis-server.

import { expect } from 'chai';
import { FAMILIES } from '../../src/commands/table.js';
import { activeExpireCycle } from '../../src/engine/active-expire.js';
import { ServerCore } from '../../src/server/core.js';
import { FakeClock } from '../../src/util/clock.js';
import { Differential, type Step } from '../helpers/differential.js';
import { Session, resp } from '../helpers/session.js';

const QUEUED = resp.simple('QUEUED');
const EXECABORT = resp.err('EXECABORT Transaction discarded because of previous errors.');
const NOT_INTEGER = resp.err('ERR value is not an integer or out of range');

/** Runs WATCH key, then `meanwhile`, then MULTI PING EXEC, and returns EXEC's reply. */
function execAfter(s: Session, key: string, meanwhile: () => void): string {
  expect(s.call('WATCH', key)).to.equal(resp.ok);
  meanwhile();
  expect(s.call('MULTI')).to.equal(resp.ok);
  expect(s.call('PING')).to.equal(QUEUED);
  return s.call('EXEC');
}

const PONG_ONLY = resp.array([resp.simple('PONG')]);

describe('transactions', () => {
  describe('MULTI / EXEC / DISCARD', () => {
    it('queues commands and replies with each reply in order', () => {
      const s = new Session();
      expect(s.call('MULTI')).to.equal(resp.ok);
      expect(s.call('SET', 'a', '1')).to.equal(QUEUED);
      expect(s.call('INCR', 'a')).to.equal(QUEUED);
      expect(s.call('GET', 'a')).to.equal(QUEUED);
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok, resp.int(2), resp.bulk('2')]));
      expect(s.call('GET', 'a')).to.equal(resp.bulk('2'));
    });

    it('runs nothing before EXEC', () => {
      const s = new Session();
      const peer = s.peer();
      s.call('MULTI');
      s.call('SET', 'a', '1');
      expect(peer.call('GET', 'a')).to.equal(resp.nil);
      s.call('EXEC');
      expect(peer.call('GET', 'a')).to.equal(resp.bulk('1'));
    });

    it('answers an empty transaction with an empty array', () => {
      const s = new Session();
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('*0\r\n');
    });

    it('refuses a nested MULTI without spoiling the transaction', () => {
      const s = new Session();
      s.call('MULTI');
      expect(s.call('MULTI')).to.equal(resp.err('ERR MULTI calls can not be nested'));
      expect(s.call('SET', 'a', '1')).to.equal(QUEUED);
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok]));
    });

    it('refuses WATCH inside MULTI without spoiling the transaction', () => {
      const s = new Session();
      s.call('MULTI');
      expect(s.call('WATCH', 'a')).to.equal(resp.err('ERR WATCH inside MULTI is not allowed'));
      expect(s.call('SET', 'a', '1')).to.equal(QUEUED);
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok]));
    });

    it('answers EXEC and DISCARD outside MULTI with errors', () => {
      const s = new Session();
      expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
      expect(s.call('DISCARD')).to.equal(resp.err('ERR DISCARD without MULTI'));
    });

    it('discards the queue with DISCARD', () => {
      const s = new Session();
      s.call('MULTI');
      s.call('SET', 'a', '1');
      expect(s.call('DISCARD')).to.equal(resp.ok);
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
    });

    it('queues UNWATCH like any other command', () => {
      const s = new Session();
      s.call('MULTI');
      expect(s.call('UNWATCH')).to.equal(QUEUED);
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok]));
    });

    it('checks the arity of its own commands', () => {
      const s = new Session();
      expect(s.call('MULTI', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'multi' command"));
      expect(s.call('DISCARD', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'discard' command"));
      expect(s.call('UNWATCH', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'unwatch' command"));
      expect(s.call('WATCH')).to.equal(resp.err("ERR wrong number of arguments for 'watch' command"));
    });

    it('stays in MULTI while the queued commands run, as CLIENT INFO shows', () => {
      const s = new Session();
      s.call('MULTI');
      s.call('SET', 'a', '1');
      s.call('CLIENT', 'INFO');
      const reply = s.call('EXEC');
      expect(reply).to.match(/ flags=x db=0 .* multi=2 /);
      expect(s.call('CLIENT', 'INFO')).to.match(/ flags=N db=0 .* multi=-1 /);
    });

    it('runs the queued commands against the database selected inside the transaction', () => {
      const s = new Session();
      s.call('SET', 'a', '2');
      s.call('MULTI');
      s.call('SELECT', '1');
      s.call('SET', 'a', '9');
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok, resp.ok]));
      expect(s.call('GET', 'a')).to.equal(resp.bulk('9'));
      s.call('SELECT', '0');
      expect(s.call('GET', 'a')).to.equal(resp.bulk('2'));
    });
  });

  describe('errors while queueing abort EXEC', () => {
    const cases: [string, string[], string][] = [
      ['an unknown command', ['NOSUCH'], "ERR unknown command 'NOSUCH', with args beginning with: "],
      ['a wrong arity', ['INCR', 'a', 'b'], "ERR wrong number of arguments for 'incr' command"],
      ['a container without subcommand', ['CONFIG'], "ERR wrong number of arguments for 'config' command"],
      ['an unknown subcommand', ['CONFIG', 'nosuch'], "ERR unknown subcommand 'nosuch'. Try CONFIG HELP."],
    ];
    for (const [title, command, error] of cases) {
      it(title, () => {
        const s = new Session();
        s.call('MULTI');
        expect(s.call('SET', 'a', '1')).to.equal(QUEUED);
        expect(s.call(...command)).to.equal(resp.err(error));
        expect(s.call('PING')).to.equal(QUEUED);
        expect(s.call('EXEC')).to.equal(EXECABORT);
        expect(s.call('GET', 'a')).to.equal(resp.nil);
        expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
      });
    }

    it('EXEC with arguments discards the transaction at once', () => {
      const s = new Session();
      s.call('MULTI');
      s.call('SET', 'a', '1');
      expect(s.call('EXEC', 'x')).to.equal(
        resp.err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"),
      );
      expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
      expect(s.call('GET', 'a')).to.equal(resp.nil);
      // Outside MULTI the refusal is worded the same way.
      expect(s.call('EXEC', 'x')).to.equal(
        resp.err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"),
      );
    });
  });

  it('refuses to queue a command flagged no_multi (SAVE in Redis)', () => {
    const clock = new FakeClock();
    const save = {
      name: 'save',
      arity: 1,
      flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'] as const,
      keys: [0, 0, 0] as const,
      group: 'server',
      since: '1.0.0',
      summary: 'Synchronously save the dataset to disk',
      syntax: '',
      handler: () => undefined,
    };
    const s = new Session({ clock, core: new ServerCore({ clock, families: [...FAMILIES, [save]] }) });
    s.call('MULTI');
    s.call('SET', 'a', '1');
    expect(s.call('SAVE')).to.equal(resp.err('ERR Command not allowed inside a transaction'));
    expect(s.call('EXEC')).to.equal(EXECABORT);
    expect(s.core.stats.command('save').rejectedCalls).to.equal(1);
  });

  describe('errors while running do not abort the rest', () => {
    it('replies each error in place', () => {
      const s = new Session();
      s.call('MULTI');
      s.call('SET', 'a', 'x');
      s.call('INCR', 'a');
      s.call('GET', 'a');
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok, NOT_INTEGER, resp.bulk('x')]));
    });

    it("leaves a handler's own arity error to run time", () => {
      const s = new Session();
      s.call('MULTI');
      expect(s.call('PING', 'a', 'b')).to.equal(QUEUED);
      s.call('SET', 'a', '1');
      expect(s.call('EXEC')).to.equal(resp.array([resp.err("ERR wrong number of arguments for 'ping' command"), resp.ok]));
    });
  });

  describe('RESP3', () => {
    it('nests each reply in its own type, and a failed WATCH is a null', () => {
      const s = new Session();
      s.call('HELLO', '3');
      s.call('SET', 'a', '1');
      s.call('MULTI');
      s.call('CONFIG', 'GET', 'maxmemory');
      s.call('GET', 'nokey');
      s.call('INCR', 'a');
      expect(s.call('EXEC')).to.equal('*3\r\n%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n_\r\n:2\r\n');
      s.call('WATCH', 'a');
      s.call('SET', 'a', '2');
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('_\r\n');
    });
  });

  describe('statistics', () => {
    it('counts queued commands when EXEC runs them, and EXEC only for its own errors', () => {
      const s = new Session();
      s.call('MULTI');
      s.call('SET', 'a', '1');
      s.call('INCR', 'a', 'b');
      s.call('EXEC');
      s.call('MULTI');
      s.call('SET', 'a', 'x');
      s.call('INCR', 'a');
      s.call('EXEC');
      s.call('EXEC');
      const stat = (name: string): number[] => {
        const st = s.core.stats.command(name);
        return [st.calls, st.rejectedCalls, st.failedCalls];
      };
      expect(stat('multi')).to.deep.equal([2, 0, 0]);
      expect(stat('incr')).to.deep.equal([1, 1, 1]);
      expect(stat('exec')).to.deep.equal([3, 0, 2]);
      expect(stat('set')).to.deep.equal([1, 0, 0]);
    });
  });

  describe('WATCH', () => {
    it('fails EXEC when another client writes the key', () => {
      const s = new Session();
      expect(execAfter(s, 'k', () => s.peer().call('SET', 'k', '1'))).to.equal(resp.nilArray);
    });

    it('fails EXEC when the client itself writes the key before MULTI', () => {
      const s = new Session();
      s.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => s.call('SET', 'k', '2'))).to.equal(resp.nilArray);
    });

    it('fails EXEC when the key changes after MULTI', () => {
      const s = new Session();
      s.call('WATCH', 'k');
      s.call('MULTI');
      s.peer().call('SET', 'k', '1');
      s.call('PING');
      expect(s.call('EXEC')).to.equal(resp.nilArray);
    });

    it('counts a write of the same value as a change', () => {
      const s = new Session();
      s.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => s.peer().call('SET', 'k', '1'))).to.equal(resp.nilArray);
    });

    it('does not count reads or writes that change nothing', () => {
      const s = new Session();
      const peer = s.peer();
      peer.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => peer.call('GET', 'k'))).to.equal(PONG_ONLY);
      expect(execAfter(s, 'k', () => peer.call('SETNX', 'k', '2'))).to.equal(PONG_ONLY);
      expect(execAfter(s, 'k', () => peer.call('PERSIST', 'k'))).to.equal(PONG_ONLY);
      expect(execAfter(s, 'k', () => peer.call('TOUCH', 'k'))).to.equal(PONG_ONLY);
      expect(execAfter(s, 'missing', () => peer.call('DEL', 'missing'))).to.equal(PONG_ONLY);
    });

    it('sees DEL, EXPIRE, RENAME', () => {
      const s = new Session();
      const peer = s.peer();
      peer.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => peer.call('EXPIRE', 'k', '100'))).to.equal(resp.nilArray);
      expect(execAfter(s, 'k', () => peer.call('EXPIRE', 'k', '-1'))).to.equal(resp.nilArray);
      peer.call('SET', 's', '1');
      expect(execAfter(s, 'd', () => peer.call('RENAME', 's', 'd'))).to.equal(resp.nilArray);
      expect(execAfter(s, 'd', () => peer.call('DEL', 'd'))).to.equal(resp.nilArray);
    });

    it('sees FLUSHDB and FLUSHALL only for keys that existed', () => {
      const s = new Session();
      const peer = s.peer();
      expect(execAfter(s, 'k', () => peer.call('FLUSHALL'))).to.equal(PONG_ONLY);
      peer.call('SET', 'other', '1');
      expect(execAfter(s, 'k', () => peer.call('FLUSHALL'))).to.equal(PONG_ONLY);
      peer.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => peer.call('FLUSHDB'))).to.equal(resp.nilArray);
      peer.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => peer.call('FLUSHALL'))).to.equal(resp.nilArray);
    });

    it('sees SWAPDB bring the key in, not an empty swap', () => {
      const s = new Session();
      const peer = s.peer();
      expect(execAfter(s, 'k', () => peer.call('SWAPDB', '0', '1'))).to.equal(PONG_ONLY);
      peer.call('SELECT', '1');
      peer.call('SET', 'k', '1');
      expect(execAfter(s, 'k', () => peer.call('SWAPDB', '0', '1'))).to.equal(resp.nilArray);
    });

    it('watches the key in the database selected at WATCH time', () => {
      const s = new Session();
      s.call('SELECT', '1');
      expect(execAfter(s, 'k', () => s.peer().call('SET', 'k', '1'))).to.equal(PONG_ONLY);
    });

    it('is released by UNWATCH, EXEC, DISCARD and RESET', () => {
      const s = new Session();
      const peer = s.peer();
      s.call('WATCH', 'k');
      peer.call('SET', 'k', '1');
      expect(s.call('UNWATCH')).to.equal(resp.ok);
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('*0\r\n');

      s.call('WATCH', 'k');
      s.call('MULTI');
      s.call('DISCARD');
      peer.call('SET', 'k', '2');
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('*0\r\n');

      s.call('WATCH', 'k');
      s.call('MULTI');
      s.call('EXEC');
      peer.call('SET', 'k', '3');
      s.call('MULTI');
      expect(s.call('EXEC')).to.equal('*0\r\n');
      expect(s.core.watches.watchedBy(s.client)).to.equal(0);

      s.call('WATCH', 'k', 'k', 'j');
      expect(s.core.watches.watchedBy(s.client)).to.equal(2);
      s.call('RESET');
      expect(s.core.watches.watchedBy(s.client)).to.equal(0);
    });

    it('costs nothing once nobody watches: the database has no observer', () => {
      const s = new Session();
      const db = s.client.db;
      expect(db.observer).to.equal(null);
      s.call('WATCH', 'k');
      expect(db.observer).to.not.equal(null);
      s.call('UNWATCH');
      expect(db.observer).to.equal(null);
      const peer = s.peer();
      peer.call('WATCH', 'k');
      s.call('WATCH', 'k');
      s.core.removeClient(peer.client);
      expect(db.observer).to.not.equal(null);
      s.call('SET', 'k', '1');
      expect(db.observer).to.equal(null);
      expect(s.core.watches.watchedBy(peer.client)).to.equal(0);
    });
  });

  describe('WATCH and expiry', () => {
    it('fails EXEC when the watched key expired since WATCH, even unread', () => {
      const s = new Session();
      s.call('SET', 'k', 'v', 'PX', '100');
      expect(execAfter(s, 'k', () => s.clock.advance(200))).to.equal(resp.nilArray);
    });

    it('fails EXEC when active expiry reclaims the watched key', () => {
      const s = new Session();
      s.call('SET', 'k', 'v', 'PX', '50');
      const reclaim = (): void => {
        s.clock.advance(400);
        activeExpireCycle(s.core.keyspace, s.clock.now(), 1000);
        expect(s.core.keyspace.db(0).size).to.equal(0);
      };
      expect(execAfter(s, 'k', reclaim)).to.equal(resp.nilArray);
    });

    it('lets EXEC run when the key had already expired at WATCH time', () => {
      const s = new Session();
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(200);
      expect(execAfter(s, 'k', () => undefined)).to.equal(PONG_ONLY);
    });

    it('treats the reclaiming of a key expired at WATCH time as no change', () => {
      const s = new Session();
      const peer = s.peer();
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(200);
      expect(execAfter(s, 'k', () => peer.call('GET', 'k'))).to.equal(PONG_ONLY);
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(200);
      expect(execAfter(s, 'k', () => peer.call('FLUSHALL'))).to.equal(PONG_ONLY);
    });

    it('but fails EXEC when such a key is written again', () => {
      const s = new Session();
      const peer = s.peer();
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(200);
      expect(execAfter(s, 'k', () => peer.call('SET', 'k', 'x'))).to.equal(resp.nilArray);
      s.call('SET', 'k', 'v', 'PX', '100');
      s.clock.advance(200);
      const readThenWrite = (): void => {
        peer.call('GET', 'k');
        peer.call('SET', 'k', 'y');
      };
      expect(execAfter(s, 'k', readThenWrite)).to.equal(resp.nilArray);
    });
  });

  describe('differential: two clients against redis-server', function () {
    const diff = Differential.suite();
    const b = (cmd: string[]): Step => ({ cmd, client: 1 });

    it('WATCH then MULTI/EXEC replies across two clients', async function () {
      this.timeout(30000);
      await diff.check([
        ['WATCH', 'k'],
        b(['SET', 'k', '1']),
        ['MULTI'],
        ['GET', 'k'],
        ['EXEC'],
        ['WATCH', 'k'],
        b(['GET', 'k']),
        ['MULTI'],
        ['GET', 'k'],
        ['EXEC'],
        ['WATCH', 'k', 'missing'],
        b(['DEL', 'missing']),
        b(['FLUSHDB']),
        ['MULTI'],
        ['EXEC'],
        ['WATCH', 'k'],
        ['MULTI'],
        b(['SET', 'k', '2']),
        ['INCR', 'k'],
        ['EXEC'],
        ['WATCH', 'k'],
        b(['SWAPDB', '0', '1']),
        ['MULTI'],
        ['EXEC'],
        ['MULTI'],
        ['SET', 'a', 'x'],
        ['INCR', 'a'],
        ['nosuch'],
        ['EXEC'],
        ['MULTI'],
        ['SET', 'a', 'x'],
        ['INCR', 'a'],
        ['EXEC'],
        ['EXEC', 'x'],
        ['MULTI'],
        ['MULTI'],
        ['WATCH', 'x'],
        ['UNWATCH'],
        ['DISCARD'],
        ['DISCARD'],
        b(['FLUSHALL']),
        ['SELECT', '1'],
        ['WATCH', 'k'],
        b(['SET', 'k', 'v']),
        b(['SWAPDB', '0', '1']),
        ['MULTI'],
        ['EXEC'],
        ['WATCH', 'k', 'j'],
        b(['SELECT', '1']),
        b(['SET', 'j', 'v']),
        b(['SELECT', '0']),
        ['MULTI'],
        ['PING'],
        ['EXEC'],
        ['SELECT', '0'],
      ]);
    });
  });
});
