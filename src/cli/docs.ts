// README sections generated from the tables they describe, so the documentation cannot drift:
// the configuration reference from the config table, the command compatibility table from the
// command table (with the differences docs-command-notes.ts records). Each lives between marker comments that `npm run docs:config` and
// `npm run docs:commands` rewrite; a test fails when the README's copy is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import { CONFIG_TABLE, type ConfigParam } from '../config/config-table.js';
import { COMMAND_NOTES, MISSING_SUBCOMMANDS, REDIS_COMMANDS_NOT_IN_TABLE } from './docs-command-notes.js';
import { defaultText } from './options.js';

export type SectionName = 'config' | 'commands';

export function sectionMarkers(name: SectionName): { begin: string; end: string } {
  return {
    begin: `<!-- BEGIN GENERATED ${name.toUpperCase()} (npm run docs:${name}) -->`,
    end: `<!-- END GENERATED ${name.toUpperCase()} -->`,
  };
}

/** Markdown table cells must not contain a bare pipe or a line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeText(param: ConfigParam): string {
  const type = param.type;
  switch (type.kind) {
    case 'bool':
      return 'yes/no';
    case 'int':
      return `integer ${type.min}..${type.max}`;
    case 'memory':
      return 'bytes (k, kb, m, mb, g, gb)';
    case 'enum':
      return [...type.values, ...(type.extra ?? [])].join(', ');
    case 'string':
      return param.multiArg === true ? 'words' : 'string';
  }
}

export function configReference(): string {
  const rows = CONFIG_TABLE.map((param) => {
    const notes = [param.mutable ? 'CONFIG SET' : 'start-up only', param.ringcache === true ? 'ringcache only' : ''].filter((n) => n !== '');
    return `| \`${param.name}\` | \`${cell(defaultText(param))}\` | ${cell(typeText(param))} | ${notes.join(', ')} | ${cell(param.description)} |`;
  });
  return [
    '| Parameter | Default | Values | Set | Description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * A syntax string as Redis's docs print it: without the labels, stated types and versions that
 * the table's notation adds for COMMAND DOCS (`condition@2.6.12:[NX | XX]` is `[NX | XX]`,
 * `increment:double` is `increment`, `GET@6.2.0` is `GET`, `EMPTY_STRING:""` is `""`).
 */
export function plainSyntax(syntax: string): string {
  return syntax
    .replace(/@\d+(\.\d+)*/g, '')
    .replace(/[\w-]+:(?=[[<"])/g, '')
    .replace(/:(string|integer|double|key|pattern|unix-time)\b/g, '');
}

/** `- label: A, B` for each group, keeping only the names the table does not have. */
function missingLines(
  groups: readonly (readonly [string, readonly string[]])[],
  fullName: (label: string, name: string) => string,
  present: ReadonlySet<string>,
): string[] {
  return groups
    .map(([label, names]) => [label, names.filter((name) => !present.has(fullName(label, name)))] as const)
    .filter(([, names]) => names.length > 0)
    .map(([label, names]) => `- ${label}: ${names.join(', ')}`);
}

/** Every command and subcommand with the arguments it accepts, from the command table. */
export function commandTable(): string {
  const rows: string[] = [];
  const present = new Set<string>();
  const unused = new Set(Object.keys(COMMAND_NOTES));
  const describe = (name: string, spec: CommandSpec): void => {
    const note = COMMAND_NOTES[name];
    present.add(name);
    unused.delete(name);
    const grammar = note?.arguments ?? plainSyntax(spec.syntax ?? '');
    const args = grammar === '' ? '' : `\`${cell(grammar)}\``;
    rows.push(`| ${name} | ${args} | ${cell(note?.difference ?? '')} |`);
  };
  const all = FAMILIES.flat().slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const spec of all) {
    const container = spec.name.toUpperCase();
    const subs = (spec.subcommands ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
    present.add(container);
    if (subs.length === 0 || spec.handler !== undefined) describe(container, spec);
    for (const sub of subs) describe(`${container} ${sub.name.toUpperCase()}`, sub);
  }
  if (unused.size > 0) throw new Error(`docs-command-notes.ts names commands the table does not have: ${[...unused].join(', ')}`);
  // Lists of what is missing shrink by themselves as commands are added to the table.
  const missingSubcommands = missingLines(Object.entries(MISSING_SUBCOMMANDS), (container, sub) => `${container} ${sub}`, present);
  const missingCommands = missingLines(REDIS_COMMANDS_NOT_IN_TABLE, (_, name) => name, present);
  return [
    `${rows.length} commands and subcommands. Each accepts the arguments shown and replies as Redis 7.0.15 does, with the same error texts, except where the last column says otherwise (the reasons are under [Differences from Redis](#differences-from-redis)).`,
    '',
    '| Command | Arguments | Differences from Redis |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'Subcommands of Redis 7.0.15 that ringcache does not have yet (they get Redis\'s unknown-subcommand error):',
    '',
    ...missingSubcommands,
    '',
    'Commands of Redis 7.0.15 that ringcache does not have (they get Redis\'s unknown-command error):',
    '',
    ...missingCommands,
  ].join('\n');
}

export function generate(name: SectionName): string {
  return name === 'config' ? configReference() : commandTable();
}

/** The README with one generated section replaced; throws if its markers are missing. */
export function replaceSection(readme: string, name: SectionName, content: string): string {
  const { begin, end } = sectionMarkers(name);
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} ... ${end} markers`);
  return `${readme.slice(0, from + begin.length)}\n${content}\n${readme.slice(to)}`;
}

/** The generated section as it stands in the README (for the staleness test). */
export function currentSection(readme: string, name: SectionName): string | null {
  const { begin, end } = sectionMarkers(name);
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return null;
  return readme.slice(from + begin.length + 1, to - 1);
}

function run(args: readonly string[]): void {
  const names = args.length === 0 ? (['config', 'commands'] as const) : args;
  // npm scripts run in the package root.
  const path = resolve('README.md');
  let readme = readFileSync(path, 'utf8');
  for (const name of names) {
    if (name !== 'config' && name !== 'commands') throw new Error(`unknown section '${name}': use config or commands`);
    readme = replaceSection(readme, name, generate(name));
  }
  writeFileSync(path, readme);
  process.stdout.write(`README.md: regenerated ${names.join(', ')}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) run(process.argv.slice(2));
