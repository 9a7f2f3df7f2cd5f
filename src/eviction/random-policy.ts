// Random eviction as Redis does it: databases in turn (its static next_db), a random key of the
// first one that has a candidate.

import { randomLiveSlot, randomTtlSlot } from './pool.js';
import { StatelessPolicy, type SelectionContext, type Victim } from './policy.js';

export class RandomPolicy extends StatelessPolicy {
  private nextDb = 0;

  constructor(
    readonly name: string,
    private readonly volatileOnly: boolean,
  ) {
    super();
  }

  selectVictim(ctx: SelectionContext, victim: Victim): boolean {
    const dbs = ctx.nonEmptyDatabases();
    const random = ctx.settings.random;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[++this.nextDb % dbs.length];
      const shards = db.shards;
      const start = Math.floor(random() * shards.length);
      for (let probe = 0; probe < shards.length; probe++) {
        const shard = shards[(start + probe) & (shards.length - 1)];
        const slot = this.volatileOnly ? randomTtlSlot(shard, random) : randomLiveSlot(shard, random);
        if (slot === -1) continue;
        victim.db = db;
        victim.shard = shard;
        victim.slot = slot;
        return true;
      }
    }
    return false;
  }
}
