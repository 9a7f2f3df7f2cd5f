// What CLIENT LIST and INFO say of reply buffers (rbs, rbp, tot-mem, mem_clients_normal), and
// what counts as an interaction: a write to a subscriber does, as in Redis (checked on
// redis-server 7.0.15: a subscriber shows idle=3 three seconds after SUBSCRIBE, idle=0 right
// after a message reached it, idle=2 two seconds later), so the cron does not take an active
// subscriber's buffer for an idle one's. With `timeout 1`, redis-server kept a subscriber and a
// MONITOR client silent for 3 s and closed a normal client silent as long.

import { expect } from 'chai';
import { startServer, FakeClock, type RingcacheServer } from '../../src/index.js';
import { runCron } from '../../src/server/cron.js';
import type { Client } from '../../src/server/client.js';
import { RawClient } from '../helpers/raw-client.js';
import { Session, resp } from '../helpers/session.js';

/** The fields of one CLIENT LIST line (a CLIENT INFO reply, or the line of client `id`). */
function fields(reply: string, id?: number): Record<string, string> {
  const text = reply.slice(reply.indexOf('\r\n') + 2, reply.length - 2);
  const line = text.split('\n').find((l) => id === undefined || l.startsWith(`id=${id} `)) as string;
  return Object.fromEntries(line.trim().split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function buffers(reply: string, id?: number): string {
  const f = fields(reply, id);
  return `rbs=${f.rbs} rbp=${f.rbp} tot-mem=${f['tot-mem']}`;
}

const OVERHEAD = 4096;
/** argv-mem of CLIENT INFO, counted in the asking client's tot-mem. */
const ARGV = 'CLIENTINFO'.length;
const BIG = 100000;
/** `$100000\r\n` + the value + `\r\n`. */
const BIG_REPLY = BIG + 11;

describe('reply buffer statistics', () => {
  it('CLIENT INFO reports the buffer the client holds (rbs) and its recent peak use (rbp)', () => {
    const s = new Session();
    // No reply written yet: no buffer (Redis shows its 16 KB static buffer here).
    const first = s.call('CLIENT', 'INFO');
    expect(buffers(first)).to.equal(`rbs=0 rbp=0 tot-mem=${OVERHEAD + ARGV}`);
    expect(buffers(s.call('CLIENT', 'INFO'))).to.equal(`rbs=16384 rbp=${first.length} tot-mem=${OVERHEAD + 16384 + ARGV}`);
    expect(s.call('SET', 'big', 'x'.repeat(BIG))).to.equal(resp.ok);
    expect(s.call('GET', 'big').length).to.equal(BIG_REPLY);
    // The buffer grew by doubling to hold the whole reply.
    expect(buffers(s.call('CLIENT', 'INFO'))).to.equal(`rbs=131072 rbp=${BIG_REPLY} tot-mem=${OVERHEAD + 131072 + ARGV}`);
    // Used to more than half since the last tick: kept.
    runCron(s.core);
    s.clock.advance(100);
    expect(buffers(s.call('CLIENT', 'INFO'))).to.equal(`rbs=131072 rbp=${BIG_REPLY} tot-mem=${OVERHEAD + 131072 + ARGV}`);
    // Then only a small reply: given back at the next tick, while rbp remembers the peak.
    s.clock.advance(100);
    runCron(s.core);
    expect(buffers(s.call('CLIENT', 'INFO'))).to.equal(`rbs=0 rbp=${BIG_REPLY} tot-mem=${OVERHEAD + ARGV}`);
    // Idle past 2 s, and 5 s since the peak's window began: no buffer, and the peak starts over.
    s.clock.advance(5000);
    runCron(s.core);
    expect(buffers(s.call('CLIENT', 'INFO'))).to.equal(`rbs=0 rbp=0 tot-mem=${OVERHEAD + ARGV}`);
  });

  it('counts every client\'s kept reply buffer in INFO mem_clients_normal', () => {
    const s = new Session();
    const reader = s.peer();
    expect(s.call('SET', 'big', 'x'.repeat(BIG))).to.equal(resp.ok);
    expect(reader.call('GET', 'big').length).to.equal(BIG_REPLY);
    const asker = s.peer();
    // s keeps 16 KB, the reader 128 KB, the asker nothing yet.
    const info = asker.call('INFO', 'memory');
    expect(info).to.contain(`\r\nmem_clients_normal:${3 * OVERHEAD + 16384 + 131072}\r\n`);
    // Each one's share is its tot-mem without the running command's arguments.
    const list = asker.call('CLIENT', 'LIST');
    const lines = list.slice(list.indexOf('\r\n') + 2, list.length - 2).trim().split('\n');
    const total = lines.map((l) => fields(`$0\r\n${l}\r\n`)).reduce((n, f) => n + Number(f['tot-mem']) - Number(f['argv-mem']), 0);
    // The asker's INFO reply now sits in a 16 KB buffer of its own.
    expect(total).to.equal(3 * OVERHEAD + 16384 + 131072 + 16384);
  });

  it('never times out a subscriber or a MONITOR client, as Redis does not', () => {
    const s = new Session({ config: { timeout: 1 } });
    const subscriber = s.peer();
    const monitor = s.peer();
    expect(subscriber.call('SUBSCRIBE', 'ch')).to.equal('*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    expect(monitor.call('MONITOR')).to.equal(resp.ok);
    const closed: string[] = [];
    const watch = (name: string, c: Client): void => {
      c.onClose = () => closed.push(name);
    };
    watch('normal', s.client);
    watch('subscriber', subscriber.client);
    watch('monitor', monitor.client);
    s.clock.advance(1000);
    runCron(s.core);
    expect(closed).to.deep.equal([]);
    s.clock.advance(1);
    runCron(s.core);
    expect(closed).to.deep.equal(['normal']);
  });

  describe('a subscriber receiving messages over a socket', function () {
    this.timeout(10000);
    const clock = new FakeClock();
    let server: RingcacheServer;
    let subscriber: RawClient;
    let publisher: RawClient;

    before(async () => {
      server = await startServer({ port: 0, clock });
      subscriber = await RawClient.connect(server.port);
      publisher = await RawClient.connect(server.port);
    });

    after(async () => {
      await subscriber.close();
      await publisher.close();
      await server.close();
    });

    const subscriberClient = (): Client => [...server.core.clients.values()].find((c) => c.subscriptions !== null) as Client;

    it('shows idle as the time since the last message written to it, and keeps its buffer', async () => {
      expect(await subscriber.call('SUBSCRIBE', 'ch')).to.equal('*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
      const id = subscriberClient().id;
      clock.advance(3000);
      expect(fields(await publisher.call('CLIENT', 'LIST'), id).idle).to.equal('3');
      expect(await publisher.call('PUBLISH', 'ch', 'hello')).to.equal(':1\r\n');
      expect(await subscriber.readReply()).to.equal('*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n');
      expect(fields(await publisher.call('CLIENT', 'LIST'), id).idle).to.equal('0');
      // Not idle for the cron either: the buffer its messages are written in stays.
      runCron(server.core);
      expect(subscriberClient().reply.capacity).to.equal(16384);
      clock.advance(2000);
      expect(fields(await publisher.call('CLIENT', 'LIST'), id).idle).to.equal('2');
    });
  });
});
