import { expect } from 'chai';
import { PREFETCH_WINDOW } from '../../src/engine/database.js';
import { Keyspace } from '../../src/engine/keyspace.js';

describe('Database.prefetch', () => {
  const fill = (): Keyspace => {
    const ks = new Keyspace({ databases: 1, shards: 4 });
    const db = ks.db(0);
    for (let i = 0; i < 100; i++) db.set(`k${i}`, `v${i}`, 1000);
    db.set('lapsed', 'x', 1000, 1500);
    return ks;
  };

  it('warms one window of keys and says where the next window starts', () => {
    const db = fill().db(0);
    const args = ['MGET', ...Array.from({ length: 40 }, (_, i) => `k${i}`)];
    expect(PREFETCH_WINDOW).to.equal(16);
    expect(db.prefetch(args, 1, 1)).to.equal(17);
    expect(db.prefetch(args, 17, 1)).to.equal(33);
    expect(db.prefetch(args, 33, 1)).to.equal(41);
    // MSET's layout: keys at 1, 3, 5...; 20 pairs are two windows.
    const pairs = ['MSET', ...Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v']).flat()];
    expect(db.prefetch(pairs, 1, 2)).to.equal(33);
    expect(db.prefetch(pairs, 33, 2)).to.equal(41);
  });

  it('changes nothing: no lazy expiry, no statistics, no access times, missing keys ignored', () => {
    const ks = fill();
    const db = ks.db(0);
    const now = 2000;
    const before = { size: db.size, expires: db.expiresCount, hits: ks.stats.keyspaceHits, misses: ks.stats.keyspaceMisses, expired: ks.stats.expiredKeys };
    db.prefetch(['MGET', 'k1', 'nope', 'lapsed', '', 'k2'], 1, 1);
    const after = { size: db.size, expires: db.expiresCount, hits: ks.stats.keyspaceHits, misses: ks.stats.keyspaceMisses, expired: ks.stats.expiredKeys };
    expect(after).to.deep.equal(before);
    expect(db.size).to.equal(101);
    expect(db.accessedAt('k1', now)).to.equal(1000);
    // The lapsed key is still stored until a real lookup finds it.
    expect(db.storedState('lapsed', now)).to.equal('lapsed');
    expect(db.read('lapsed', now)).to.equal(null);
    expect(db.storedState('lapsed', now)).to.equal('absent');
  });
});
