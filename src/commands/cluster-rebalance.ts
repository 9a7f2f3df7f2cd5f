// CLUSTER REBALANCE-RING [DRYRUN] [EXCLUDE node-id [node-id ...]]: ringcache's own subcommand
// that moves slots online to the consistent-hash ring's placement for the current masters
// (src/cluster/ring-rebalance.ts). The calling client waits for the whole move, as MIGRATE's
// caller waits for its target; every other client is served meanwhile.

import type { ClusterNode } from '../cluster/cluster-node.js';
import { planRing, runRingPlan } from '../cluster/ring-rebalance.js';
import type { ClusterPeer } from '../cluster/topology.js';
import { ERR_REBALANCE_RUNNING, ERR_SYNTAX, ERR_UNKNOWN_NODE } from '../errors.js';
import type { Client } from '../server/client.js';
import { clusterSubcommandBuilder } from './cluster-subcommand.js';
import type { CommandSpec } from './types.js';

const subcommand = clusterSubcommandBuilder(['admin', 'noscript', 'no_multi'], true);

export const clusterRebalanceSubcommand: CommandSpec = subcommand(
  'rebalance-ring',
  -2,
  "Move slots online to the consistent-hash ring's placement for the current masters (ringcache)",
  'O(N) where N is the number of keys in the slots that move',
  rebalanceRing,
  { since: '7.0.0', syntax: '[DRYRUN] [EXCLUDE node-id [node-id ...]]', tips: ['nondeterministic_output'] },
);

/** One rebalance at a time per node: two would fight over the same slots' markers. */
const running = new WeakSet<ClusterNode>();

// CLUSTER REBALANCE-RING [DRYRUN] [EXCLUDE node-id [node-id ...]]
function rebalanceRing(c: Client, args: string[], node: ClusterNode): void {
  let dryRun = false;
  const excluded = new Set<ClusterPeer>();
  for (let i = 2; i < args.length; i++) {
    const word = args[i].toLowerCase();
    if (word === 'dryrun') {
      dryRun = true;
    } else if (word === 'exclude' && i + 1 < args.length) {
      for (const id of args.slice(i + 1)) {
        const peer = node.view.peers.find((p) => p.id === id);
        if (peer === undefined) return c.reply.error(ERR_UNKNOWN_NODE(id));
        excluded.add(peer);
      }
      break;
    } else {
      return c.reply.error(ERR_SYNTAX);
    }
  }
  if (running.has(node)) return c.reply.error(ERR_REBALANCE_RUNNING);
  const plan = planRing(node, excluded, c.server.config.getNumber('cluster-vnodes'));
  if (typeof plan === 'string') return c.reply.error(plan);
  running.add(node);
  c.blockedOn = runRingPlan(node, plan, c.server.config.get('requirepass'), dryRun)
    .then(
      (result) => {
        c.reply.map(2);
        c.reply.bulk('slots');
        c.reply.integer(result.slots);
        c.reply.bulk('keys');
        c.reply.integer(result.keys);
      },
      (err: Error) => c.reply.error(err.message.startsWith('ERR ') ? err.message : `ERR ring rebalance failed: ${err.message}`),
    )
    .finally(() => running.delete(node));
}
