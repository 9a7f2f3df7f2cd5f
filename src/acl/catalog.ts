// The commands as ACL rules see them: every runnable name (`get`, `config|get`) with its
// categories, derived from the command table and command-meta's category rules, so that ACL
// categories and COMMAND INFO can never disagree.

import { ACL_CATEGORIES, aclCategories } from '../commands/command-meta.js';
import type { CommandSpec } from '../commands/types.js';

export interface AclCommand {
  /** Full name, `get` or `config|get`. */
  name: string;
  categories: readonly string[];
}

export class AclCatalog {
  /** Every runnable name, in table order. */
  readonly commands: readonly AclCommand[];
  /** A top-level name to the runnable names it covers (a container covers its subcommands). */
  private readonly byTopName = new Map<string, string[]>();
  private readonly byFullName = new Map<string, AclCommand>();

  constructor(specs: readonly CommandSpec[]) {
    const commands: AclCommand[] = [];
    for (const spec of specs) {
      const names: string[] = [];
      if (spec.handler !== undefined || spec.subcommands === undefined) {
        commands.push({ name: spec.name, categories: aclCategories(spec) });
        names.push(spec.name);
      }
      for (const sub of spec.subcommands ?? []) {
        const name = `${spec.name}|${sub.name}`;
        commands.push({ name, categories: aclCategories(sub) });
        names.push(name);
      }
      this.byTopName.set(spec.name, names);
    }
    this.commands = commands;
    for (const command of commands) this.byFullName.set(command.name, command);
  }

  isCategory(name: string): boolean {
    return ACL_CATEGORIES.includes(name);
  }

  /** The runnable names a `+name` rule covers, or null when no such command exists. */
  namesOf(name: string): readonly string[] | null {
    const lower = name.toLowerCase();
    if (lower.includes('|')) return this.byFullName.has(lower) ? [lower] : null;
    return this.byTopName.get(lower) ?? null;
  }

  inCategory(category: string): AclCommand[] {
    return this.commands.filter((command) => command.categories.includes(category));
  }
}
