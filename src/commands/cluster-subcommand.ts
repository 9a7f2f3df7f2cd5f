// The shape every CLUSTER subcommand shares, and the check that cluster mode is on before its
// handler runs, for the read-only subcommands and the ones that change the cluster alike.

import type { ClusterNode } from '../cluster/cluster-node.js';
import { ERR_CLUSTER_DISABLED } from '../errors.js';
import type { Client } from '../server/client.js';
import type { CommandFlag, CommandSpec, Handler } from './types.js';

export type ClusterHandler = (c: Client, args: string[], node: ClusterNode) => void;

/**
 * Wraps a handler that needs cluster mode; the others answer as a standalone Redis does. The
 * subcommands that change the cluster also need the node to know its members.
 */
export function inCluster(handler: ClusterHandler, needsTopology = false): Handler {
  return (c, args) => {
    const node = c.server.cluster;
    if (node === null || (needsTopology && node.topology === null)) c.reply.error(ERR_CLUSTER_DISABLED);
    else handler(c, args, node);
  };
}

/** A builder of CLUSTER subcommand specs with the given default flags. */
export const clusterSubcommandBuilder =
  (flags: readonly CommandFlag[], needsTopology: boolean) =>
  (name: string, arity: number, summary: string, complexity: string, handler: ClusterHandler, extra: Partial<CommandSpec> = {}): CommandSpec => ({
    name,
    arity,
    flags,
    keys: [0, 0, 0],
    group: 'cluster',
    since: '3.0.0',
    summary,
    complexity,
    syntax: '',
    handler: inCluster(handler, needsTopology),
    ...extra,
  });
