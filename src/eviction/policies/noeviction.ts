// noeviction: nothing is ever evicted; past maxmemory, commands that may grow memory get OOM.

import { StatelessPolicy, type PolicyFactory } from '../policy.js';

class NoEviction extends StatelessPolicy {
  readonly name = 'noeviction';
  selectVictim(): boolean {
    return false;
  }
}

export const noeviction: PolicyFactory = () => new NoEviction();
