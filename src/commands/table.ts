// The command table: every family registered explicitly, looked up by name in any letter case.

import type { CommandFamily, CommandSpec } from './types.js';
import { commandCommands } from './command.js';
import { connectionCommands } from './connection.js';
import { expireCommands } from './expire.js';
import { keyspaceCommands } from './keyspace.js';
import { serverCommands } from './server.js';
import { stringCommands } from './string.js';
import { transactionCommands } from './transaction.js';

export const FAMILIES: readonly CommandFamily[] = [
  connectionCommands,
  stringCommands,
  keyspaceCommands,
  expireCommands,
  transactionCommands,
  serverCommands,
  commandCommands,
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
}

/** The subcommand of a container command, looked up case-insensitively. */
export function findSubcommand(spec: CommandSpec, name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  return spec.subcommands?.find((sub) => sub.name === lower);
}

/** Redis's arity rule: exact when positive, a minimum when negative. */
export function arityOk(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

/** Positions of the keys in a request, from the key spec or the command's own extractor. */
export function keyPositions(spec: CommandSpec, args: readonly string[]): number[] {
  if (spec.getKeys !== undefined) return spec.getKeys(args);
  const [first, lastSpec, step] = spec.keys;
  if (first === 0) return [];
  const last = lastSpec < 0 ? args.length + lastSpec : lastSpec;
  const positions: number[] = [];
  for (let i = first; i <= last && i < args.length; i += step) positions.push(i);
  return positions;
}
