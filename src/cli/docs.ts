// README sections generated from the tables they describe, so the documentation cannot drift:
// the configuration reference from the config table, the command compatibility table from the
// command table. Each lives between marker comments that `npm run docs:config` and
// `npm run docs:commands` rewrite; a test fails when the README's copy is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import { CONFIG_TABLE, type ConfigParam } from '../config/config-table.js';
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
      return type.values.join(', ');
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

/** Every command and subcommand with the arguments it accepts, from the command table. */
export function commandTable(): string {
  const rows: string[] = [];
  const describe = (name: string, spec: CommandSpec): void => {
    const syntax = spec.syntax === undefined || spec.syntax === '' ? '' : `\`${cell(spec.syntax)}\``;
    rows.push(`| ${name} | ${syntax} | ${spec.group} | ${spec.since} |`);
  };
  const all = FAMILIES.flat().slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const spec of all) {
    if (spec.subcommands !== undefined && spec.subcommands.length > 0) {
      const subs = spec.subcommands.slice().sort((a, b) => a.name.localeCompare(b.name));
      for (const sub of subs) describe(`${spec.name.toUpperCase()} ${sub.name.toUpperCase()}`, sub);
    } else {
      describe(spec.name.toUpperCase(), spec);
    }
  }
  return [
    `${rows.length} commands and subcommands. Each accepts exactly the arguments shown, with Redis 7's replies and error texts; any other command name gets Redis's unknown-command error.`,
    '',
    '| Command | Arguments | Group | Since |',
    '| --- | --- | --- | --- |',
    ...rows,
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
