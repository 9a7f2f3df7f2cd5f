// `npm run bench:long-names`: one SUBSCRIBE of many channels of one length, all alike but for
// their last bytes, ringcache against redis-server. V8 hashes a string of more than 16383 chars by
// its length alone, so a Map of such names scans them all on every lookup; this shows whether a
// client can still stall the server that way (src/util/byte-string-map.ts). 16000 bytes is the
// control: hashed by content either way, so 16384 should cost about as much per byte.
//
// Reports, per name length, the server's CPU time for the SUBSCRIBE (user + system, from /proc)
// and the longest a second client's PING (one every 10 ms) waited meanwhile: the stall. Medians
// over the rounds; each round starts both servers afresh, the order flipping every round.
//
//   npm run build && npm run bench:long-names
//   options: --count 1000  --lengths 16000,16384,32768  --rounds 3  --markdown

import net from 'node:net';
import { parseArgs } from 'node:util';
import { formatRatio, median, renderTable } from './lib/report.js';
import { alternatingRounds, redisServerVersion, type ServerProcess } from './lib/servers.js';

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    lengths: { type: 'string', default: '16000,16384,32768' },
    rounds: { type: 'string', default: '3' },
    markdown: { type: 'boolean', default: false },
  },
});
const count = Number(opts.count);
const lengths = opts.lengths.split(',').map(Number);
const rounds = Number(opts.rounds);

interface Sample {
  cpuMs: number;
  worstPingMs: number;
}
const samples = { ringcache: new Map<number, Sample[]>(), redis: new Map<number, Sample[]>() };

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function subscribeRequest(length: number): { request: Buffer; lastReplyEnd: string } {
  const parts = [`*${count + 1}\r\n$9\r\nSUBSCRIBE\r\n`];
  for (let i = 0; i < count; i++) {
    const name = 'c'.repeat(length - 8) + String(i).padStart(8, '0');
    parts.push(`$${length}\r\n${name}\r\n`);
  }
  // The last confirmation ends with the count of channels, which no earlier one reaches.
  return { request: Buffer.from(parts.join(''), 'latin1'), lastReplyEnd: `:${count}\r\n` };
}

async function measure(server: ServerProcess, length: number): Promise<Sample> {
  const pinger = await connect(server.port);
  let sentAt = 0;
  let waiting = false;
  let worst = 0;
  pinger.on('data', () => {
    worst = Math.max(worst, Date.now() - sentAt);
    waiting = false;
  });
  const ticker = setInterval(() => {
    if (waiting) return;
    waiting = true;
    sentAt = Date.now();
    pinger.write('PING\r\n');
  }, 10);
  const subscriber = await connect(server.port);
  const { request, lastReplyEnd } = subscribeRequest(length);
  let tail = '';
  const done = new Promise<void>((resolve) => {
    subscriber.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('latin1')).slice(-lastReplyEnd.length);
      if (tail === lastReplyEnd) resolve();
    });
  });
  const cpu = (): number => {
    const { user, system } = server.cpuSeconds();
    return (user + system) * 1000;
  };
  const before = cpu();
  subscriber.write(request);
  await done;
  const cpuMs = cpu() - before;
  // A PING sent during the stall is answered after it: wait for it to count.
  while (waiting) await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  subscriber.destroy();
  pinger.destroy();
  return { cpuMs, worstPingMs: worst };
}

await alternatingRounds(rounds, async (server) => {
  for (const length of lengths) {
    const list = samples[server.name].get(length) ?? [];
    list.push(await measure(server, length));
    samples[server.name].set(length, list);
  }
});

const rows = lengths.map((length) => {
  const ours = samples.ringcache.get(length) ?? [];
  const theirs = samples.redis.get(length) ?? [];
  const oursCpu = median(ours.map((s) => s.cpuMs));
  const theirsCpu = median(theirs.map((s) => s.cpuMs));
  return [
    `${count} x ${length} B`,
    oursCpu.toFixed(0),
    theirsCpu.toFixed(0),
    formatRatio(oursCpu / theirsCpu),
    median(ours.map((s) => s.worstPingMs)).toFixed(0),
    median(theirs.map((s) => s.worstPingMs)).toFixed(0),
  ];
});
console.log(`${new Date().toISOString()}, node ${process.version}, ${redisServerVersion()}, ${rounds} rounds`);
console.log(
  renderTable(
    ['SUBSCRIBE of', 'ringcache CPU ms', 'redis CPU ms', 'CPU ratio', 'ringcache worst PING ms', 'redis worst PING ms'],
    rows,
    opts.markdown,
  ),
);
