// Helpers over single table entries: full names, subcommand lookup, Redis's arity rule, key
// positions. Kept apart from the table so that command families can use them without importing
// the table, which imports every family.

import type { CommandSpec } from './types.js';

/** A table entry with the name COMMAND shows for it (`config|get` for a subcommand). */
export interface NamedSpec {
  spec: CommandSpec;
  fullName: string;
}

export function fullNameOf(container: CommandSpec, sub: CommandSpec): string {
  return `${container.name}|${sub.name}`;
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
