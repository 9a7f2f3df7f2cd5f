// A bounded soak over loopback: a server process under mixed traffic from many clients for
// RINGCACHE_SOAK_SECONDS (15 by default, as CI runs it; a few minutes by hand), its RSS and open
// descriptors sampled every second from /proc. It must end alive, with no error but the one
// provoked on purpose, RSS flat, and exactly the descriptors it started with once the clients
// are gone. Throughput is not judged.

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/raw-client.js';
import { killChild, openFds, rssKb, startChildServer, waitUntil, type ChildServer } from './child-server.js';

const SECONDS = Math.max(6, Number(process.env.RINGCACHE_SOAK_SECONDS ?? '15'));
const WORKERS = 20;
/** The one error the traffic provokes on purpose (INCR of a value that is not a number). */
const EXPECTED_ERROR = 'ERR value is not an integer or out of range';
/**
 * How far RSS may rise from the first third of the soak (after warm-up) to the last one. V8
 * grows its heap in steps as collections find more live data, and when a collection runs
 * is noise of ~10-20 MB in a process of ~100 MB under this load; a leak of even 100 bytes per
 * request grows by hundreds of MB over a soak of this length at this request rate, so the bound
 * separates the two without flaking.
 */
const RSS_GROWTH_FACTOR = 1.25;
const RSS_SLACK_KB = 16 * 1024;

interface Sample {
  second: number;
  rssKb: number;
  fds: number;
}

function randomValue(): string {
  return 'x'.repeat(1 + Math.floor(Math.random() * 1024));
}

/** What the traffic saw: requests answered, and every error outside the one provoked. */
class Tally {
  requests = 0;
  expectedErrors = 0;
  readonly unexpected: string[] = [];

  error(err: unknown): void {
    const message = (err as Error).message;
    if (message === EXPECTED_ERROR) this.expectedErrors++;
    else if (this.unexpected.length < 20) this.unexpected.push(message);
  }
}

/** One worker: a rotating mix of string commands, TTLs, pipelines and the provoked error. */
async function commandWorker(port: number, id: number, running: () => boolean, tally: Tally): Promise<void> {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  try {
    for (let round = 0; running(); round++) {
      const key = `w${id}:k${round % 500}`;
      const value = randomValue();
      try {
        expect(await redis.set(key, value, 'PX', 50 + (round % 400))).to.equal('OK');
        const got = await redis.get(key);
        // The key may have expired in between; it is never another value.
        if (got !== null) expect(got).to.equal(value);
        expect(await redis.incr(`w${id}:counter`)).to.equal(round + 1);
        await redis.mset(`{w${id}}a`, value, `{w${id}}b`, 'b');
        expect(await redis.mget(`{w${id}}a`, `{w${id}}b`)).to.deep.equal([value, 'b']);
        expect(await redis.expire(`{w${id}}a`, 1)).to.equal(1);
        const pipeline = redis.pipeline();
        for (let i = 0; i < 20; i++) pipeline.set(`w${id}:p${i}`, String(i), 'PX', 200);
        pipeline.del(`w${id}:p0`, `w${id}:p1`);
        const results = (await pipeline.exec()) ?? [];
        expect(results.map(([err]) => err)).to.deep.equal(Array(21).fill(null));
        if (round % 10 === 0) await redis.incr(key);
        tally.requests += 28;
      } catch (err) {
        tally.error(err);
      }
    }
  } finally {
    await redis.quit();
  }
}

/** Subscribes, receives what it published, unsubscribes, and again. */
async function pubsubWorker(port: number, id: number, running: () => boolean, tally: Tally): Promise<void> {
  const publisher = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  try {
    while (running()) {
      const subscriber = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      try {
        const channel = `ch${id}`;
        let received = 0;
        const all = new Promise<void>((resolve) =>
          subscriber.on('message', () => {
            if (++received === 10) resolve();
          }),
        );
        await subscriber.subscribe(channel);
        for (let i = 0; i < 10; i++) expect(await publisher.publish(channel, `m${i}`)).to.equal(1);
        await all;
        await subscriber.unsubscribe(channel);
        tally.requests += 12;
      } catch (err) {
        tally.error(err);
      } finally {
        await subscriber.quit();
      }
    }
  } finally {
    await publisher.quit();
  }
}

/** Connects, asks once, and leaves: the churn of short-lived clients. */
async function churnWorker(port: number, running: () => boolean, tally: Tally): Promise<void> {
  while (running()) {
    try {
      const client = await RawClient.connect(port);
      expect(await client.call('PING')).to.equal('+PONG\r\n');
      // Half leave politely, half just drop the connection.
      if (Math.random() < 0.5) expect(await client.call('QUIT')).to.equal('+OK\r\n');
      await client.close();
      tally.requests++;
    } catch (err) {
      tally.error(err);
    }
  }
}

describe(`reliability: soak (${SECONDS} s; RINGCACHE_SOAK_SECONDS sets it)`, function () {
  this.timeout((SECONDS + 150) * 1000);
  let server: ChildServer | null = null;
  after(() => killChild(server));

  it('stays alive with flat RSS, no unexpected error, and no leaked descriptor', async () => {
    server = await startChildServer(['--save', '']);
    const { pid, port } = server;
    const baselineFds = openFds(pid);
    const tally = new Tally();
    let stop = false;
    const running = (): boolean => !stop;
    const workers: Promise<void>[] = [];
    for (let id = 0; id < WORKERS; id++) {
      if (id % 10 === 8) workers.push(pubsubWorker(port, id, running, tally));
      else if (id % 10 === 9) workers.push(churnWorker(port, running, tally));
      else workers.push(commandWorker(port, id, running, tally));
    }
    const samples: Sample[] = [];
    for (let second = 1; second <= SECONDS; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      samples.push({ second, rssKb: rssKb(pid), fds: openFds(pid) });
    }
    stop = true;
    await Promise.all(workers);

    const report = samples.map((s) => `${s.second}s ${Math.round(s.rssKb / 1024)}MB ${s.fds}fd`).join(', ');
    expect(tally.unexpected, report).to.deep.equal([]);
    expect(tally.expectedErrors, 'the provoked error came back each time').to.be.greaterThan(0);
    expect(tally.requests).to.be.greaterThan(0);

    // After warm-up (V8's heap settles within ~10 s here; the first fifth of a long run), the
    // last third may not outgrow the first third's peak.
    const measured = samples.slice(Math.max(3, Math.floor(samples.length / 5)));
    const third = Math.max(1, Math.floor(measured.length / 3));
    const firstPeak = Math.max(...measured.slice(0, third).map((s) => s.rssKb));
    const lastPeak = Math.max(...measured.slice(-third).map((s) => s.rssKb));
    console.log(`      ${report}`);
    expect(lastPeak, `RSS grew: ${report}`).to.be.at.most(firstPeak * RSS_GROWTH_FACTOR + RSS_SLACK_KB);

    // Every client socket is closed: the descriptors are back to what the idle server had.
    await waitUntil(() => openFds(pid) === baselineFds, `the server's descriptors to return to ${baselineFds} (now ${openFds(pid)})`, 30000, 100);
    const control = await RawClient.connect(port);
    expect(await control.call('PING')).to.equal('+PONG\r\n');
    await control.close();
  });
});
