// The command table: every family registered explicitly, looked up by name in any letter case.

import type { CommandFamily, CommandSpec } from './types.js';
import { findSubcommand, fullNameOf, type NamedSpec } from './spec-lookup.js';
import { aclCommands } from './acl.js';
import { clusterCommands } from './cluster.js';
import { commandCommands } from './command.js';
import { connectionCommands } from './connection.js';
import { expireCommands } from './expire.js';
import { introspectionCommands } from './introspection.js';
import { debugCommands } from './debug.js';
import { keyspaceCommands } from './keyspace.js';
import { migrateCommands } from './migrate.js';
import { pubsubCommands } from './pubsub.js';
import { serverCommands } from './server.js';
import { stringCommands } from './string.js';
import { transactionCommands } from './transaction.js';

// Helpers over single entries live apart, so that families can use them without importing the
// table (which imports every family).
export { arityOk, findSubcommand, fullNameOf, keyPositions, type NamedSpec } from './spec-lookup.js';

export const FAMILIES: readonly CommandFamily[] = [
  connectionCommands,
  stringCommands,
  keyspaceCommands,
  migrateCommands,
  expireCommands,
  transactionCommands,
  serverCommands,
  commandCommands,
  introspectionCommands,
  debugCommands,
  clusterCommands,
  pubsubCommands,
  aclCommands,
];

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  readonly commands: readonly CommandSpec[];

  constructor(families: readonly CommandFamily[] = FAMILIES) {
    this.commands = families.flat();
    for (const spec of this.commands) {
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
      this.byName.set(spec.name, spec);
      // Clients send names upper- or lower-case; both forms hit without allocating.
      this.byName.set(spec.name.toUpperCase(), spec);
    }
  }

  lookup(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /**
   * A command or subcommand by the full name COMMAND INFO and COMMAND DOCS accept (`get`,
   * `config|get`, any letter case), as Redis's lookupCommandBySds splits it.
   */
  lookupFullName(name: string): NamedSpec | undefined {
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const spec = this.lookup(parts[0]);
    if (spec === undefined) return undefined;
    if (parts.length === 1) return { spec, fullName: spec.name };
    if (spec.subcommands === undefined) return undefined;
    const sub = findSubcommand(spec, parts[1]);
    return sub === undefined ? undefined : { spec: sub, fullName: fullNameOf(spec, sub) };
  }
}
