// Memory values past 2^53 and percentages (maxmemory up to 2^64-1, maxmemory-clients N%): what
// CONFIG SET keeps (compared with redis-server in test/differential/eviction.test.ts) must also
// survive CONFIG REWRITE and a config file, and INFO's %.2f must round as C's printf does.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDirectives, readConfigFile, rewriteConfigFile } from '../../src/config/config-file.js';
import { formatMemory } from '../../src/config/config-rewrite.js';
import { Config } from '../../src/config/config.js';
import { memtoull } from '../../src/config/memory-value.js';
import { bytesToHuman } from '../../src/server/info.js';
import { formatFixed } from '../../src/util/numbers.js';

describe('memory values past 2^53 and percentages', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ringcache-memvalues-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('memtoull: no digits reads 0, digits saturate at 2^64-1, the unit product wraps', () => {
    expect(memtoull('')).to.equal(0n);
    expect(memtoull('gb')).to.equal(0n);
    expect(memtoull('99999999999999999999999')).to.equal(2n ** 64n - 1n);
    expect(memtoull('17179869185gb')).to.equal(2n ** 30n);
    expect(memtoull('-1')).to.equal(null);
    expect(memtoull('1tb')).to.equal(null);
    expect(memtoull('1'.repeat(128))).to.equal(null);
  });

  it('CONFIG REWRITE writes them so that the file reads back to the same values', () => {
    const path = join(dir, 'ringcache.conf');
    const config = new Config();
    config.set('maxmemory', '18446744073709551615');
    config.set('maxmemory-clients', '10%');
    config.set('proto-max-bulk-len', '9223372036854775807');
    rewriteConfigFile(config, path);
    const text = readFileSync(path, 'latin1');
    expect(text).to.contain('\nmaxmemory 18446744073709551615\n');
    expect(text).to.contain('\nmaxmemory-clients 10%\n');
    const again = new Config();
    applyDirectives(again, readConfigFile(path));
    for (const name of ['maxmemory', 'maxmemory-clients', 'proto-max-bulk-len']) expect(again.get(name), name).to.equal(config.get(name));
  });

  it('formatMemory is exact past 2^53', () => {
    expect(formatMemory(2n ** 64n - 2n ** 30n)).to.equal('17179869183gb');
    expect(formatMemory(2n ** 64n - 1n)).to.equal('18446744073709551615');
  });

  it("formatFixed rounds an exact tie to even, as printf's %.2f", () => {
    expect(formatFixed(1.125, 2)).to.equal('1.12');
    expect(formatFixed(1.375, 2)).to.equal('1.38');
    expect(formatFixed(-1.125, 2)).to.equal('-1.12');
    expect(formatFixed(2.5, 0)).to.equal('2');
    expect(formatFixed(3.5, 0)).to.equal('4');
    // Not a tie in binary: 1.135 is stored a little above.
    expect(formatFixed(1.135, 2)).to.equal('1.14');
    expect(formatFixed(1023.99999, 2)).to.equal('1024.00');
  });

  it('bytesToHuman: P is the largest unit, a bigint is printed exactly', () => {
    expect(bytesToHuman(1152)).to.equal('1.12K');
    expect(bytesToHuman(2n ** 60n - 1n)).to.equal('1024.00P');
    expect(bytesToHuman(2n ** 64n - 1n)).to.equal('18446744073709551615B');
  });
});
