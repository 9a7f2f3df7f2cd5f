import { expect } from 'chai';
import { activeExpireCycle, type Stopwatch } from '../../src/engine/active-expire.js';
import { Keyspace } from '../../src/engine/keyspace.js';
import { NO_EXPIRE } from '../../src/engine/shard.js';

/**
 * A stopwatch that advances a fixed step per reading, so a cycle's time budget buys the same
 * amount of work on any machine (the cycle reads it once per sample of 20 keys).
 */
function steppingStopwatch(stepMs: number): Stopwatch {
  let t = 0;
  return { now: () => (t += stepMs) };
}

const T0 = 1_700_000_000_000;
/** The budget of one cron tick at hz 10, as cron.ts gives it. */
const BUDGET_MS = 25;

describe('activeExpireCycle', () => {
  it('reclaims 200k keys nobody reads within a bounded number of cycles, and keeps the live ones', () => {
    const keyspace = new Keyspace({ databases: 2, shards: 64 });
    const db = keyspace.db(0);
    for (let i = 0; i < 200_000; i++) db.set(`stale:${i}`, 'v', T0, T0 + 1000);
    for (let i = 0; i < 10_000; i++) db.set(`lasting:${i}`, 'v', T0, T0 + 100_000);
    for (let i = 0; i < 10_000; i++) db.set(`forever:${i}`, 'v', T0, NO_EXPIRE);
    const now = T0 + 2000;
    const stopwatch = steppingStopwatch(0.05);
    let cycles = 0;
    while (db.size > 20_000 + 2000 && cycles < 100) {
      activeExpireCycle(keyspace, now, BUDGET_MS, stopwatch);
      cycles++;
    }
    // 500 readings of the stopwatch per cycle: about 10k samples, so 200k keys need 20+ cycles.
    expect(cycles).to.be.within(15, 60);
    // Sampling stops on a shard once at most a tenth of a sample is stale (as in Redis), so a
    // few stale keys may wait for later cycles; nearly all are gone already.
    expect(db.size).to.be.at.most(22_000);
    expect(keyspace.stats.expiredKeys).to.equal(220_000 - db.size);
    for (let i = 0; i < 10_000; i++) {
      expect(db.peek(`lasting:${i}`, now)).to.equal('v');
      expect(db.peek(`forever:${i}`, now)).to.equal('v');
    }
    expect(keyspace.stats.expiredTimeCapReachedCount).to.be.at.least(cycles - 1);
  });

  it('empties the shards, columns included, once every key expired', () => {
    const keyspace = new Keyspace({ databases: 1, shards: 16 });
    const db = keyspace.db(0);
    for (let i = 0; i < 100_000; i++) db.set(`k${i}`, 'v', T0, T0 + 1000);
    const stopwatch = steppingStopwatch(0.05);
    for (let cycle = 0; cycle < 100 && db.size > 0; cycle++) activeExpireCycle(keyspace, T0 + 1001, BUDGET_MS, stopwatch);
    expect(db.size).to.equal(0);
    expect(db.expiresCount).to.equal(0);
    for (const shard of db.shards) {
      expect(shard.slotLimit).to.equal(0);
      expect(shard.expireAt.length).to.be.at.most(8);
      expect(shard.ttlSlots.length).to.be.at.most(8);
    }
    expect(db.avgTtl).to.equal(0);
  });

  it('keeps a running avg_ttl from the TTLs it samples, and resumes where the last cycle stopped', () => {
    const keyspace = new Keyspace({ databases: 16, shards: 4 });
    const db = keyspace.db(3);
    for (let i = 0; i < 1000; i++) db.set(`k${i}`, 'v', T0, T0 + 60_000);
    activeExpireCycle(keyspace, T0 + 10_000, BUDGET_MS, steppingStopwatch(0.001));
    expect(db.avgTtl).to.be.closeTo(50_000, 1e-6);
    expect(keyspace.db(0).avgTtl).to.equal(0);
    // A budget that runs out at the first reading: shards without TTLs are passed over, the
    // first one with TTLs (db 3, shard 0: position 12) gets one sample, and the next cycle
    // resumes at the shard after it.
    activeExpireCycle(keyspace, T0 + 10_000, 0, steppingStopwatch(1));
    expect(keyspace.expireCursor).to.equal(13);
    activeExpireCycle(keyspace, T0 + 10_000, 0, steppingStopwatch(1));
    expect(keyspace.expireCursor).to.equal(14);
  });

  it('leaves keys without a TTL alone and costs nothing when no key has one', () => {
    const keyspace = new Keyspace({ databases: 1, shards: 4 });
    const db = keyspace.db(0);
    for (let i = 0; i < 100; i++) db.set(`k${i}`, 'v', T0);
    activeExpireCycle(keyspace, T0 + 1e9, BUDGET_MS, steppingStopwatch(0.05));
    expect(db.size).to.equal(100);
    expect(keyspace.stats.expiredKeys).to.equal(0);
    expect(keyspace.stats.expiredTimeCapReachedCount).to.equal(0);
  });
});
