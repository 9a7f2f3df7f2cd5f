// LATENCY GRAPH and LATENCY HISTOGRAM, shaped as redis-server 7.0.15 answers them. The expected
// graph is the one Redis drew for the same samples (5, 30, 12 and 2 ms, 4, 3, 2 and 0 seconds
// old); the histogram labels are those Redis printed for calls of the same durations.

import { expect } from 'chai';
import { bucketOf, redisLatencyCdf, newHistogram } from '../../src/metrics/latency-histogram.js';
import { Session, resp } from '../helpers/session.js';

const T0 = 1_795_457_540;

function verbatimText(reply: string): string {
  return reply.slice(reply.indexOf('\r\n') + 2, -2);
}

function record(s: Session, command: string, usecs: number[]): void {
  const stat = s.core.stats.command(command);
  for (const usec of usecs) {
    stat.calls++;
    stat.usec += usec;
    stat.histogram[bucketOf(usec)]++;
  }
}

describe('LATENCY GRAPH', () => {
  it('draws the event as Redis does: sparkline rows, a blank line, the ages written downwards', () => {
    // The samples are put in by hand, and monitoring stays off: with a threshold, any command here
    // that a busy machine slowed past it would add its own sample to the graph.
    const s = new Session();
    const monitor = s.core.latencyMonitor;
    monitor.add('command', 5, T0);
    monitor.add('command', 30, T0 + 1);
    monitor.add('command', 12, T0 + 2);
    monitor.add('command', 2, T0 + 4);
    s.clock.set((T0 + 4) * 1000 + 300);
    const reply = s.call('LATENCY', 'GRAPH', 'command');
    const text = [
      'command - high 30 ms, low 2 ms (all time high 30 ms)',
      '-'.repeat(80),
      ' #  ',
      ' |  ',
      ' |o ',
      'o||_',
      '    ',
      '4320',
      'ssss',
      '',
    ].join('\n');
    expect(reply).to.equal(resp.bulk(text));
    s.call('HELLO', '3');
    expect(s.call('LATENCY', 'GRAPH', 'command')).to.equal(`=${text.length + 4}\r\ntxt:${text}\r\n`);
  });

  it('labels older samples in minutes, hours and days', () => {
    const s = new Session();
    const monitor = s.core.latencyMonitor;
    monitor.add('fast-command', 100, T0);
    monitor.add('fast-command', 40, T0 + 86_400);
    monitor.add('fast-command', 40, T0 + 90_000);
    monitor.add('fast-command', 70, T0 + 93_500);
    s.clock.set((T0 + 93_599) * 1000);
    const lines = verbatimText(s.call('LATENCY', 'GRAPH', 'fast-command')).split('\n');
    expect(lines[0]).to.equal('fast-command - high 100 ms, low 40 ms (all time high 100 ms)');
    // Ages 93599 s, 7199 s, 3599 s, 99 s: 1d, 1h, 59m, 1m.
    expect(lines.slice(7)).to.deep.equal(['1151', 'dh9m', '  m ', '']);
  });

  it('refuses an event without samples and takes exactly one event', () => {
    const s = new Session();
    expect(s.call('LATENCY', 'GRAPH', 'nosuch')).to.equal(resp.err("ERR No samples available for event 'nosuch'"));
    expect(s.call('LATENCY', 'GRAPH')).to.equal(resp.err("ERR wrong number of arguments for 'latency|graph' command"));
    expect(s.call('LATENCY', 'GRAPH', 'a', 'b')).to.equal(resp.err("ERR wrong number of arguments for 'latency|graph' command"));
  });
});

describe('LATENCY HISTOGRAM', () => {
  it('labels the cumulative counts with Redis\'s power-of-two steps', () => {
    // 5 us calls were labelled 8 by Redis, 9-16 us 16, 131 us 132, 0.5-1 ms 1056, 3 ms 4227, 70 ms 135266.
    const histogram = newHistogram();
    for (const usec of [5, 5, 12, 131, 700, 3000, 3100, 70_000]) histogram[bucketOf(usec)]++;
    expect(redisLatencyCdf(histogram)).to.deep.equal([
      [8, 2],
      [16, 3],
      [132, 4],
      [1056, 5],
      [4227, 7],
      [135266, 8],
    ]);
    // Below 1 us Redis clamps to 1024 ns; above 1 s to 1 s.
    const extremes = newHistogram();
    for (const usec of [0, 1, 2, 5_000_000]) extremes[bucketOf(usec)]++;
    expect(redisLatencyCdf(extremes)).to.deep.equal([
      [1, 2],
      [2, 3],
      [1082130, 4],
    ]);
  });

  it('replies a map per command: calls and histogram_usec, in RESP2 and RESP3', () => {
    const s = new Session();
    record(s, 'set', [5, 5, 12]);
    const expected = (map: (n: number) => string): string =>
      `${map(1)}$3\r\nset\r\n${map(2)}$5\r\ncalls\r\n:3\r\n$14\r\nhistogram_usec\r\n${map(2)}:8\r\n:2\r\n:16\r\n:3\r\n`;
    expect(s.call('LATENCY', 'HISTOGRAM', 'set')).to.equal(expected((n) => `*${n * 2}\r\n`));
    s.call('HELLO', '3');
    expect(s.call('LATENCY', 'HISTOGRAM', 'SET')).to.equal(expected((n) => `%${n}\r\n`));
  });

  it('follows the names asked for: repeats kept, unknown ones skipped, a container gives its subcommands', () => {
    const s = new Session();
    s.call('CONFIG', 'GET', 'maxmemory');
    s.call('CONFIG', 'RESETSTAT');
    s.call('CONFIG', 'GET', 'maxmemory');
    record(s, 'set', [5]);
    const reply = s.call('LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'set', 'config', 'get');
    const names = [...reply.matchAll(/\$\d+\r\n(set|get|config\|\w+)\r\n\*4\r\n\$5\r\ncalls/g)].map((m) => m[1]);
    // CONFIG RESETSTAT's own call is counted after the reset, as in Redis.
    expect(names).to.deep.equal(['set', 'set', 'config|get', 'config|resetstat']);
    expect(reply.startsWith('*8\r\n')).to.equal(true);
    expect(s.call('LATENCY', 'HISTOGRAM', 'config|get').startsWith('*2\r\n$10\r\nconfig|get\r\n')).to.equal(true);
    expect(s.call('LATENCY', 'HISTOGRAM', 'nosuch')).to.equal('*0\r\n');
  });
});
