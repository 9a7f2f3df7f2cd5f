// Invariants of the command table, whatever families it holds: every entry is complete and
// consistent with itself (arity against syntax, keys against flags), so COMMAND, COMMAND DOCS,
// the arity check and key extraction can all trust it. The arity/syntax rule was checked against
// every command of redis-server 7.0.15 (COMMAND and COMMAND DOCS): it holds for all of them
// except the few listed in ARITY_LOOSER_THAN_SYNTAX.

import { expect } from 'chai';
import { ACL_CATEGORIES, keySpecs } from '../../src/commands/command-meta.js';
import { parseSyntax, type DocArg } from '../../src/commands/docs-grammar.js';
import { CommandTable, FAMILIES, fullNameOf, keyPositions } from '../../src/commands/table.js';
import type { CommandFlag, CommandSpec } from '../../src/commands/types.js';

const KNOWN_FLAGS: ReadonlySet<CommandFlag> = new Set<CommandFlag>([
  'write',
  'readonly',
  'denyoom',
  'module',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'may_replicate',
  'sentinel',
  'only_sentinel',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
]);

const GROUPS = new Set([
  'generic',
  'string',
  'list',
  'set',
  'sorted_set',
  'hash',
  'pubsub',
  'transactions',
  'connection',
  'server',
  'scripting',
  'hyperloglog',
  'cluster',
  'sentinel',
  'geo',
  'stream',
  'bitmap',
]);

/** The commands Redis runs at once inside MULTI instead of queueing them. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Redis 7.0.15's own exceptions: its arity accepts fewer arguments than its docs show. */
const ARITY_LOOSER_THAN_SYNTAX = new Set(['geopos', 'geohash', 'pfmerge', 'command|getkeys', 'command|getkeysandflags']);

interface Entry {
  spec: CommandSpec;
  fullName: string;
  /** Words of the name: 1, or 2 for a subcommand. */
  words: number;
  container: boolean;
}

function entries(): Entry[] {
  const all: Entry[] = [];
  for (const spec of FAMILIES.flat()) {
    all.push({ spec, fullName: spec.name, words: 1, container: spec.subcommands !== undefined });
    for (const sub of spec.subcommands ?? []) {
      all.push({ spec: sub, fullName: fullNameOf(spec, sub), words: 2, container: false });
    }
  }
  return all;
}

/** Fewest arguments the syntax accepts. */
function minArgs(args: readonly DocArg[]): number {
  let n = 0;
  for (const arg of args) if (!arg.optional) n += argMin(arg);
  return n;
}

function argMin(arg: DocArg): number {
  const token = arg.token !== undefined && arg.type !== 'pure-token' ? 1 : 0;
  if (arg.type === 'block') return token + minArgs(arg.args ?? []);
  if (arg.type === 'oneof') return token + Math.min(...(arg.args ?? []).map(argMin));
  return token + 1;
}

function variable(args: readonly DocArg[]): boolean {
  return args.some((arg) => arg.optional || arg.multiple || (arg.type === 'block' && variable(arg.args ?? [])));
}

describe('command table invariants', () => {
  it('registers every name once', () => {
    expect(() => new CommandTable()).to.not.throw();
    const names = FAMILIES.flat().map((spec) => spec.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  for (const { spec, fullName, words, container } of entries()) {
    describe(fullName, () => {
      it('has a lowercase name, an arity, known flags and a group', () => {
        expect(spec.name).to.match(/^[a-z][a-z0-9_-]*$/);
        expect(Number.isInteger(spec.arity) && spec.arity !== 0, 'arity').to.equal(true);
        for (const flag of spec.flags) expect(KNOWN_FLAGS.has(flag), `flag ${flag}`).to.equal(true);
        expect(new Set(spec.flags).size, 'no flag twice').to.equal(spec.flags.length);
        expect(spec.flags.includes('write') && spec.flags.includes('readonly'), 'write and readonly').to.equal(false);
        expect(GROUPS.has(spec.group), `group ${spec.group}`).to.equal(true);
        for (const category of spec.aclCategories ?? []) {
          expect(ACL_CATEGORIES.includes(category.replace(/^@/, '')), `category ${category}`).to.equal(true);
        }
      });

      it('has docs: since, summary, and a syntax that parses', () => {
        expect(spec.since).to.match(/^\d+\.\d+\.\d+$/);
        expect(spec.summary).to.be.a('string').and.not.equal('');
        // A container's grammar is its subcommands'; COMMAND (container and command) has its own.
        if (!container || spec.handler !== undefined) expect(spec.syntax, 'syntax').to.be.a('string');
        expect(() => parseSyntax(spec.syntax ?? '', { keySpecCount: keySpecs(spec).length })).to.not.throw();
      });

      it('has keys consistent with its flags', () => {
        const [first, last, step] = spec.keys;
        if (first === 0) {
          expect([last, step], 'a keyless command is 0 0 0').to.deep.equal([0, 0]);
        } else {
          expect(first, 'first key after the name').to.be.at.least(words);
          expect(step).to.be.at.least(1);
          expect(last < 0 || last >= first, 'last key').to.equal(true);
        }
        if (spec.keySpecFlags !== undefined) expect(first, 'keySpecFlags need keys').to.not.equal(0);
        if (spec.getKeys !== undefined || (spec.keySpecs ?? []).length > 0 || first !== 0) {
          expect(keySpecs(spec).length, 'key specs').to.be.at.least(1);
        }
      });

      it('has an arity that agrees with its syntax', () => {
        if (container) return;
        const args = parseSyntax(spec.syntax ?? '', { keySpecCount: keySpecs(spec).length });
        if (spec.arity > 0) expect(variable(args), 'a fixed arity takes no optional or repeated argument').to.equal(false);
        if (ARITY_LOOSER_THAN_SYNTAX.has(fullName)) return;
        expect(minArgs(args) + words, 'arguments the syntax requires, name included').to.equal(Math.abs(spec.arity));
      });

      it('runs at once inside MULTI only if Redis does', () => {
        expect(spec.runsInMulti === true).to.equal(RUN_IN_MULTI.has(fullName));
      });

      if (container) {
        it('is a container: subcommands with their own handlers, arity counting both words', () => {
          const subs = spec.subcommands ?? [];
          expect(subs.length).to.be.at.least(1);
          expect(new Set(subs.map((sub) => sub.name)).size, 'subcommand names unique').to.equal(subs.length);
          // Redis's containers take at least a subcommand: alone, they fail the arity check;
          // COMMAND, which answers on its own too, is the exception.
          expect(spec.arity, 'container arity').to.equal(spec.handler === undefined ? -2 : -1);
          for (const sub of subs) {
            expect(sub.handler, `${sub.name} handler`).to.be.a('function');
            expect(Math.abs(sub.arity), `${sub.name} arity counts the container name`).to.be.at.least(2);
            expect(sub.subcommands, 'no nesting').to.equal(undefined);
          }
        });
      } else {
        it('has a handler', () => {
          expect(spec.handler).to.be.a('function');
        });
      }
    });
  }

  describe('keyPositions', () => {
    const spec = (keys: readonly [number, number, number]): CommandSpec => ({
      name: 'x',
      arity: -2,
      flags: [],
      keys,
      group: 'generic',
      since: '1.0.0',
      summary: 'x',
    });

    it('follows first, last and step', () => {
      expect(keyPositions(spec([1, 1, 1]), ['get', 'k'])).to.deep.equal([1]);
      expect(keyPositions(spec([1, -1, 2]), ['mset', 'a', '1', 'b', '2'])).to.deep.equal([1, 3]);
      expect(keyPositions(spec([1, -2, 1]), ['blpop', 'a', 'b', '0'])).to.deep.equal([1, 2]);
      expect(keyPositions(spec([0, 0, 0]), ['ping'])).to.deep.equal([]);
    });
  });
});
