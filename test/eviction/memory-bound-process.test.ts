import { expect } from 'chai';
import { runMemoryBound } from '../../benchmarks/eviction/memory-bound.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, binShebang } from '../../benchmarks/lib/servers.js';

// The memory bound on a real server process under redis-benchmark: maxmemory 100mb,
// random keys with 100-byte values, -P 16, for 15 s (the example runs 30 s; the limit is
// reached in a few), longer on a slow machine until 10,001 keys were evicted (at most 60 s).
// used_memory must never exceed maxmemory after a command, and RSS must stay
// within 1.5x maxmemory plus the empty server's RSS. The server runs from dist/ (the test command
// builds first) with bin/ringcache-server's own node flags and environment, as deployed.
describe('eviction: the memory bound of a server process under redis-benchmark', function () {
  this.timeout(120_000);

  it('used_memory never exceeds maxmemory, and RSS stays within 1.5x maxmemory plus the empty RSS', async () => {
    const shebang = binShebang();
    const r = await runMemoryBound({
      maxmemory: '100mb',
      policy: 'allkeys-lru',
      seconds: 15,
      // A slower machine gets up to 60 s to reach the limit and evict.
      minEvicted: 10_001,
      maxSeconds: 60,
      pipeline: 16,
      valueSize: 100,
      mode: existsSync(join(ROOT, 'dist', 'benchmarks', 'launch-ringcache.js')) ? 'launcher' : 'tsx',
      nodeFlags: shebang.nodeFlags,
      env: shebang.env,
    });
    expect(r.maxmemoryBytes).to.equal(100 * 1024 * 1024);
    expect(r.samples).to.be.greaterThan(50);
    // The limit was reached: evictions happened and memory sat at the limit.
    expect(r.evictedKeys).to.be.greaterThan(10_000);
    expect(r.maxUsed).to.be.greaterThan(r.maxmemoryBytes - 4096);
    expect(r.usedOver, `samples with used_memory above maxmemory (max ${r.maxUsed})`).to.equal(0);
    expect(r.maxRss, `max RSS ${r.maxRss}, empty RSS ${r.emptyRss}`).to.be.at.most(1.5 * r.maxmemoryBytes + r.emptyRss);
  });
});
