// redis-benchmark --cluster against a 3-node ringcache cluster: it reads the topology with
// CLUSTER NODES, spreads its clients over the masters with keys tagged for each one's slots, and
// must finish every test with no error. The nodes' own counters confirm that every request
// arrived, and that none was refused or redirected.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { startCluster, type LocalCluster } from '../../src/index.js';
import { run } from '../helpers/run-command.js';

const REQUESTS = 2000;
const TESTS: [name: string, command: string][] = [
  ['SET', 'set'],
  ['GET', 'get'],
  ['INCR', 'incr'],
  ['MSET (10 keys)', 'mset'],
];

/** INFO section `name:k=v,k=v` lines as { name: { k: v } }. */
function infoFields(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const line of text.split('\r\n')) {
    const match = /^(\w+):(.*=.*)$/.exec(line);
    if (match === null) continue;
    out.set(match[1], Object.fromEntries(match[2].split(',').map((pair) => pair.split('=') as [string, string])));
  }
  return out;
}

describe('redis-benchmark --cluster', function () {
  this.timeout(120000);
  let cluster: LocalCluster;
  let clients: Redis[];

  before(async () => {
    if (spawnSync('redis-benchmark', ['--version']).error !== undefined) {
      throw new Error('redis-benchmark is not installed (apt-get install -y redis-tools): this test needs it');
    }
    cluster = await startCluster({ nodes: 3 });
    clients = cluster.seeds.map((seed) => new Redis(seed));
  });

  after(async () => {
    for (const client of clients) client.disconnect();
    await cluster.close();
  });

  it(`-t set,get,incr,mset -n ${REQUESTS} --csv: every test completes with no error, every request served`, async () => {
    for (const client of clients) expect(await client.config('RESETSTAT')).to.equal('OK');
    const { code, output } = await run('redis-benchmark', [
      '--cluster',
      '-h',
      '127.0.0.1',
      '-p',
      String(cluster.seeds[0].port),
      '-t',
      'set,get,incr,mset',
      '-n',
      String(REQUESTS),
      '--csv',
    ]);
    expect(code, output).to.equal(0);
    expect(output, 'no error reported').not.to.match(/error|ERR|WARN|MOVED|ASK|CLUSTERDOWN/i);
    expect(output).to.include('Cluster has 3 master nodes:\n\n');
    for (const [i, seed] of cluster.seeds.entries()) {
      const id = cluster.servers[i].core.cluster?.myId as string;
      expect(output).to.match(new RegExp(`Master \\d: ${id} ${seed.host}:${seed.port}\\n`));
    }
    const rows = output
      .split('\n')
      .filter((line) => line.startsWith('"') && !line.startsWith('"test"'))
      .map((line) => JSON.parse(`[${line}]`) as string[]);
    expect(rows.map((row) => row[0])).to.deep.equal(TESTS.map(([name]) => name));
    for (const row of rows) expect(Number(row[1]), row[0]).to.be.above(0);

    // Each node's own counters: all the requests arrived, spread over the nodes, none refused.
    const calls = new Map<string, number>();
    for (const client of clients) {
      const stats = infoFields((await client.info('commandstats')) + (await client.info('errorstats')));
      for (const [name, fields] of stats) {
        expect(name, 'an error was counted').not.to.match(/^errorstat_/);
        expect(fields.rejected_calls ?? '0', name).to.equal('0');
        expect(fields.failed_calls ?? '0', name).to.equal('0');
      }
      for (const [, command] of TESTS) {
        const served = Number(stats.get(`cmdstat_${command}`)?.calls ?? 0);
        expect(served, `${command} on one node`).to.be.above(0);
        calls.set(command, (calls.get(command) ?? 0) + served);
      }
    }
    for (const [, command] of TESTS) expect(calls.get(command), command).to.equal(REQUESTS);
  });
});
