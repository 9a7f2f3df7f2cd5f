// redis-benchmark, Redis's own load generator, against ringcache: every test it runs must
// complete without an error. Throughput is printed for the record, never asserted.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { run } from '../helpers/run-command.js';

const EXPECTED_TESTS = ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET (10 keys)'];

describe('redis-benchmark', () => {
  let server: RingcacheServer;

  before(() => {
    const probe = spawnSync('redis-benchmark', ['--version']);
    if (probe.error !== undefined) {
      throw new Error('redis-benchmark is not installed (apt-get install -y redis-tools): this test needs it');
    }
  });

  beforeEach(async () => {
    server = await startServer({ port: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  it('-t ping,set,get,incr,mset -n 20000 -q completes with no error', async function () {
    this.timeout(120000);
    const { code, output } = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(server.port), '-t', 'ping,set,get,incr,mset', '-n', '20000', '-q']);
    // -q redraws a progress line with CRs; the final lines are "NAME: N requests per second, ...".
    const lines = output.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l !== '');
    const results = new Map<string, number>();
    for (const line of lines) {
      const match = /^(.+?): ([\d.]+) requests per second/.exec(line);
      if (match !== null) results.set(match[1], Number(match[2]));
    }
    expect(code, output).to.equal(0);
    expect(output, 'no error reported').not.to.match(/error|ERR|WARNING/i);
    expect([...results.keys()]).to.deep.equal(EXPECTED_TESTS);
    for (const [name, rps] of results) {
      expect(rps, name).to.be.above(0);
      console.log(`      ${name}: ${rps} requests per second`);
    }
  });
});
