// Pub/Sub in process: confirmations and their counts, message delivery to other clients, the
// RESP2 subscribed mode, RESP3 pushes, PUBSUB introspection, and what RESET and disconnection
// drop. Every expected reply was read from redis-server 7.0.15.

import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

const push = (items: string[]): string => `>${items.length}\r\n${items.join('')}`;
const RESTRICTED = (name: string): string =>
  resp.err(`ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);

/** What a client received outside its own commands (messages pushed by others). */
function received(s: Session): string {
  const out = s.client.reply.take();
  return out === null ? '' : out.toString('latin1');
}

/** A RESP2 (un)subscribe confirmation. */
function conf(action: string, name: string | null, count: number): string {
  return resp.array([resp.bulk(action), name === null ? resp.nil : resp.bulk(name), resp.int(count)]);
}

describe('pub/sub commands', () => {
  it('unsubscribing with nothing subscribed answers a null channel and 0', () => {
    const s = new Session();
    expect(s.call('UNSUBSCRIBE')).to.equal(conf('unsubscribe', null, 0));
    expect(s.call('PUNSUBSCRIBE')).to.equal(conf('punsubscribe', null, 0));
    expect(s.call('SUNSUBSCRIBE')).to.equal(conf('sunsubscribe', null, 0));
    expect(s.call('UNSUBSCRIBE', 'x', 'y')).to.equal(conf('unsubscribe', 'x', 0) + conf('unsubscribe', 'y', 0));
  });

  it('counts channels and patterns together, shard channels apart', () => {
    const s = new Session();
    expect(s.call('SUBSCRIBE', 'c1', 'c2', 'c1')).to.equal(conf('subscribe', 'c1', 1) + conf('subscribe', 'c2', 2) + conf('subscribe', 'c1', 2));
    expect(s.call('PSUBSCRIBE', 'c*', 'h?llo')).to.equal(conf('psubscribe', 'c*', 3) + conf('psubscribe', 'h?llo', 4));
    expect(s.call('SSUBSCRIBE', 's1', 's2')).to.equal(conf('ssubscribe', 's1', 1) + conf('ssubscribe', 's2', 2));
    expect(s.call('PUNSUBSCRIBE', 'c*', 'h?llo')).to.equal(conf('punsubscribe', 'c*', 3) + conf('punsubscribe', 'h?llo', 2));
    expect(s.call('SUNSUBSCRIBE', 's1')).to.equal(conf('sunsubscribe', 's1', 1));
    expect(s.call('UNSUBSCRIBE')).to.equal(conf('unsubscribe', 'c1', 1) + conf('unsubscribe', 'c2', 0));
    // A shard channel is still subscribed: still in subscribed mode.
    expect(s.call('GET', 'k')).to.equal(RESTRICTED('get'));
    expect(s.call('SUNSUBSCRIBE')).to.equal(conf('sunsubscribe', 's2', 0));
    expect(s.call('GET', 'k')).to.equal(resp.nil);
  });

  it('delivers messages, pattern messages and shard messages to other clients', () => {
    const sub = new Session();
    const pub = sub.peer();
    sub.call('SUBSCRIBE', 'c1');
    sub.call('PSUBSCRIBE', 'c*', 'x*');
    sub.call('SSUBSCRIBE', 's1');
    expect(pub.call('PUBLISH', 'c1', 'm1')).to.equal(resp.int(2));
    expect(received(sub)).to.equal(
      resp.bulks(['message', 'c1', 'm1']) + resp.bulks(['pmessage', 'c*', 'c1', 'm1']),
    );
    expect(pub.call('SPUBLISH', 's1', 'm2')).to.equal(resp.int(1));
    expect(received(sub)).to.equal(resp.bulks(['smessage', 's1', 'm2']));
    // Plain PUBLISH does not reach a shard channel's subscribers, nor SPUBLISH a pattern's.
    expect(pub.call('PUBLISH', 's1', 'm3')).to.equal(resp.int(0));
    expect(pub.call('SPUBLISH', 'c1', 'm4')).to.equal(resp.int(0));
    expect(pub.call('PUBLISH', 'nobody', 'x')).to.equal(resp.int(0));
    expect(received(sub)).to.equal('');
  });

  it('matches patterns with the glob rules, bytes included', () => {
    const sub = new Session();
    const pub = sub.peer();
    sub.call('PSUBSCRIBE', 'h[ae]llo', 'a\\*b');
    expect(pub.call('PUBLISH', 'hello', 'v')).to.equal(resp.int(1));
    expect(pub.call('PUBLISH', 'hillo', 'v')).to.equal(resp.int(0));
    expect(pub.call('PUBLISH', 'a*b', '\xff\x00')).to.equal(resp.int(1));
    expect(pub.call('PUBLISH', 'axb', 'v')).to.equal(resp.int(0));
    expect(received(sub)).to.equal(resp.bulks(['pmessage', 'h[ae]llo', 'hello', 'v']) + resp.bulks(['pmessage', 'a\\*b', 'a*b', '\xff\x00']));
  });

  it('RESP2 subscribed mode refuses other commands, by full name', () => {
    const s = new Session();
    s.call('SUBSCRIBE', 'c');
    expect(s.call('GET', 'k')).to.equal(RESTRICTED('get'));
    expect(s.call('MULTI')).to.equal(RESTRICTED('multi'));
    expect(s.call('CLIENT', 'LIST')).to.equal(RESTRICTED('client|list'));
    // Lookup and arity come first.
    expect(s.call('get')).to.equal(resp.err("ERR wrong number of arguments for 'get' command"));
    expect(s.call('nosuch')).to.equal(resp.err("ERR unknown command 'nosuch', with args beginning with: "));
    expect(s.call('PING')).to.equal(resp.bulks(['pong', '']));
    expect(s.call('PING', 'hi')).to.equal(resp.bulks(['pong', 'hi']));
    expect(s.call('ping', 'a', 'b')).to.equal(resp.err("ERR wrong number of arguments for 'ping' command"));
    expect(s.call('QUIT')).to.equal(resp.ok);
  });

  it('RESP3 has no subscribed mode: pushes, and the publisher sees its own message first', () => {
    const s = new Session();
    s.call('HELLO', '3');
    expect(s.call('UNSUBSCRIBE')).to.equal(push([resp.bulk('unsubscribe'), '_\r\n', resp.int(0)]));
    expect(s.call('SUBSCRIBE', 'c1')).to.equal(push([resp.bulk('subscribe'), resp.bulk('c1'), resp.int(1)]));
    expect(s.call('SSUBSCRIBE', 's1')).to.equal(push([resp.bulk('ssubscribe'), resp.bulk('s1'), resp.int(1)]));
    expect(s.call('PSUBSCRIBE', '*')).to.equal(push([resp.bulk('psubscribe'), resp.bulk('*'), resp.int(2)]));
    expect(s.call('GET', 'k')).to.equal('_\r\n');
    expect(s.call('PING')).to.equal('+PONG\r\n');
    expect(s.call('PUBLISH', 'c1', 'self')).to.equal(
      push([resp.bulk('message'), resp.bulk('c1'), resp.bulk('self')]) +
        push([resp.bulk('pmessage'), resp.bulk('*'), resp.bulk('c1'), resp.bulk('self')]) +
        resp.int(2),
    );
    expect(s.call('SUNSUBSCRIBE')).to.equal(push([resp.bulk('sunsubscribe'), resp.bulk('s1'), resp.int(0)]));
    expect(s.call('PUNSUBSCRIBE', 'x')).to.equal(push([resp.bulk('punsubscribe'), resp.bulk('x'), resp.int(2)]));
  });

  it('PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB', () => {
    const a = new Session();
    const b = a.peer();
    const q = a.peer();
    a.call('SUBSCRIBE', 'c1', 'c2');
    b.call('SUBSCRIBE', 'c1', 'other');
    a.call('PSUBSCRIBE', 'p*');
    b.call('PSUBSCRIBE', 'p*', 'q*');
    a.call('SSUBSCRIBE', 's1');
    expect(q.call('PUBSUB', 'CHANNELS')).to.equal(resp.bulks(['c1', 'c2', 'other']));
    expect(q.call('PUBSUB', 'CHANNELS', 'c*')).to.equal(resp.bulks(['c1', 'c2']));
    expect(q.call('PUBSUB', 'NUMSUB', 'c1', 'c2', 'zz')).to.equal(resp.array([resp.bulk('c1'), resp.int(2), resp.bulk('c2'), resp.int(1), resp.bulk('zz'), resp.int(0)]));
    expect(q.call('PUBSUB', 'NUMSUB')).to.equal('*0\r\n');
    expect(q.call('PUBSUB', 'NUMPAT')).to.equal(resp.int(2));
    expect(q.call('PUBSUB', 'SHARDCHANNELS')).to.equal(resp.bulks(['s1']));
    expect(q.call('PUBSUB', 'SHARDCHANNELS', 'x*')).to.equal('*0\r\n');
    expect(q.call('PUBSUB', 'SHARDNUMSUB', 's1', 'x')).to.equal(resp.array([resp.bulk('s1'), resp.int(1), resp.bulk('x'), resp.int(0)]));
  });

  it('PUBSUB errors and HELP', () => {
    const s = new Session();
    expect(s.call('PUBSUB')).to.equal(resp.err("ERR wrong number of arguments for 'pubsub' command"));
    expect(s.call('PUBSUB', 'foo')).to.equal(resp.err("ERR unknown subcommand 'foo'. Try PUBSUB HELP."));
    expect(s.call('PUBSUB', 'NUMPAT', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'pubsub|numpat' command"));
    expect(s.call('PUBSUB', 'CHANNELS', 'a', 'b')).to.equal(resp.err("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."));
    expect(s.call('PUBSUB', 'SHARDCHANNELS', 'a', 'b')).to.equal(resp.err("ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB HELP."));
    expect(s.call('SUBSCRIBE')).to.equal(resp.err("ERR wrong number of arguments for 'subscribe' command"));
    expect(s.call('SPUBLISH', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'spublish' command"));
    const helpReply = s.call('PUBSUB', 'HELP');
    expect(helpReply.startsWith('*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS [<pattern>]\r\n')).to.equal(true);
    expect(helpReply.endsWith('+SHARDNUMSUB [<shardchannel> ...]\r\n+    Return the number of subscribers for the specified shard level channel(s)\r\n+HELP\r\n+    Prints this help.\r\n')).to.equal(true);
  });

  it('inside MULTI: queued, SUBSCRIBE runs in EXEC, SSUBSCRIBE is refused there', () => {
    const s = new Session();
    s.call('MULTI');
    expect(s.call('SUBSCRIBE', 'm')).to.equal('+QUEUED\r\n');
    expect(s.call('SSUBSCRIBE', 's')).to.equal('+QUEUED\r\n');
    expect(s.call('PSUBSCRIBE', 'p')).to.equal('+QUEUED\r\n');
    expect(s.call('GET', 'k')).to.equal('+QUEUED\r\n');
    expect(s.call('EXEC')).to.equal(
      '*4\r\n' +
        conf('subscribe', 'm', 1) +
        resp.err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client") +
        conf('psubscribe', 'p', 2) +
        resp.nil,
    );
    expect(s.call('GET', 'k')).to.equal(RESTRICTED('get'));
  });

  it('RESET and disconnection drop every subscription silently', () => {
    const a = new Session();
    const q = a.peer();
    a.call('SUBSCRIBE', 'c');
    a.call('PSUBSCRIBE', 'p*');
    a.call('SSUBSCRIBE', 's');
    expect(a.call('RESET')).to.equal('+RESET\r\n');
    expect(q.call('PUBSUB', 'NUMPAT')).to.equal(resp.int(0));
    expect(q.call('PUBSUB', 'CHANNELS')).to.equal('*0\r\n');
    expect(q.call('PUBSUB', 'SHARDCHANNELS')).to.equal('*0\r\n');
    expect(a.call('GET', 'k')).to.equal(resp.nil);
    a.call('SUBSCRIBE', 'c');
    a.core.removeClient(a.client);
    expect(q.call('PUBSUB', 'NUMSUB', 'c')).to.equal(resp.array([resp.bulk('c'), resp.int(0)]));
    expect(q.call('PUBLISH', 'c', 'x')).to.equal(resp.int(0));
  });

  it('CLIENT LIST shows flags=P, sub=, psub=, ssub= and TYPE pubsub; INFO counts channels', () => {
    const a = new Session();
    const q = a.peer();
    a.call('SUBSCRIBE', 'c1', 'c2');
    a.call('PSUBSCRIBE', 'p*');
    a.call('SSUBSCRIBE', 's1', 's2', 's3');
    const list = q.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
    expect(list).to.match(new RegExp(`id=${a.client.id} .* flags=P db=0 sub=2 psub=1 ssub=3 multi=-1 `));
    expect(list.match(/id=/g)?.length).to.equal(1);
    expect(q.call('CLIENT', 'LIST', 'TYPE', 'normal')).to.match(/flags=N db=0 sub=0 psub=0 ssub=0 /);
    const info = q.call('INFO', 'stats');
    expect(info).to.contain('\r\npubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:3\r\n');
  });

  it('the cluster relay command is refused without cluster mode', () => {
    const s = new Session();
    expect(s.call('RINGCACHE-PUBLISH', 'c', 'm')).to.equal(resp.err('ERR This instance has cluster support disabled'));
  });
});
