// What COMMAND reports about a command beyond its table entry, derived the way Redis derives it:
// flags in Redis's order, ACL categories implied by flags and group, key specs from the legacy
// (first, last, step) triple, and keys found in a request by following those specs.

import type { CommandFlag, CommandSpec, KeySpec, KeySpecFlag } from './types.js';

/** The flags COMMAND prints, in the order Redis prints them; others (sentinel...) stay hidden. */
const PRINTED_FLAGS: readonly CommandFlag[] = [
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
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

/** Redis's ACL categories in the order COMMAND prints them. */
export const ACL_CATEGORIES: readonly string[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** The category a command's docs group implies (Redis's JSON files state them alongside). */
const GROUP_CATEGORY: Readonly<Record<string, string>> = {
  generic: 'keyspace',
  string: 'string',
  list: 'list',
  set: 'set',
  sorted_set: 'sortedset',
  hash: 'hash',
  bitmap: 'bitmap',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
  stream: 'stream',
  // No pubsub entry: Redis derives @pubsub from the pubsub flag, which PUBSUB HELP lacks.
  connection: 'connection',
  transactions: 'transaction',
  scripting: 'scripting',
};

/** Categories that say what a command works on, as the group does; one stated replaces the group's. */
const AREA_CATEGORIES: ReadonlySet<string> = new Set(Object.values(GROUP_CATEGORY));

/** The key-spec flags in the order Redis prints them. */
const KEY_SPEC_FLAG_ORDER: readonly KeySpecFlag[] = [
  'RO',
  'RW',
  'OW',
  'RM',
  'access',
  'update',
  'insert',
  'delete',
  'not_key',
  'incomplete',
  'variable_flags',
];

export function printedFlags(spec: CommandSpec): CommandFlag[] {
  const movable = movableKeys(spec);
  return PRINTED_FLAGS.filter((flag) => spec.flags.includes(flag) || (flag === 'movablekeys' && movable));
}

/** Redis marks commands whose key specs are not a plain index + range as having movable keys. */
function movableKeys(spec: CommandSpec): boolean {
  return (spec.keySpecs ?? []).some((ks) => !('index' in ks.begin) || !('lastKey' in ks.find));
}

/**
 * ACL categories, as Redis's setImplicitACLCategories computes them: the ones stated for the
 * command or implied by its group, plus those implied by its flags; a command not in @fast is
 * @slow. The group's category is implied unless the command states one of the same kind (WAIT,
 * in group generic, is @connection and not @keyspace; SORT is @set @sortedset @list). A container
 * without a handler of its own has no group category (CLIENT is @slow only).
 */
export function aclCategories(spec: CommandSpec): string[] {
  const categories = new Set<string>();
  for (const category of spec.aclCategories ?? []) categories.add(category.replace(/^@/, '').toLowerCase());
  const fromGroup = GROUP_CATEGORY[spec.group];
  const container = spec.subcommands !== undefined && spec.handler === undefined;
  const statesArea = [...categories].some((category) => AREA_CATEGORIES.has(category));
  if (fromGroup !== undefined && !container && !statesArea) categories.add(fromGroup);
  const flags = spec.flags;
  if (flags.includes('write')) categories.add('write');
  if (flags.includes('readonly') && !categories.has('scripting')) categories.add('read');
  if (flags.includes('admin')) {
    categories.add('admin');
    categories.add('dangerous');
  }
  if (flags.includes('pubsub')) categories.add('pubsub');
  if (flags.includes('fast')) categories.add('fast');
  if (flags.includes('blocking')) categories.add('blocking');
  if (!categories.has('fast')) categories.add('slow');
  return ACL_CATEGORIES.filter((category) => categories.has(category));
}

/** The command's key specs: stated, or one range derived from its (first, last, step). */
export function keySpecs(spec: CommandSpec): readonly KeySpec[] {
  if (spec.keySpecs !== undefined) return spec.keySpecs;
  const [first, last, step] = spec.keys;
  if (first === 0) return [];
  return [
    {
      flags: spec.keySpecFlags ?? defaultKeySpecFlags(spec),
      begin: { index: first },
      find: { lastKey: last < 0 ? last : last - first, keyStep: step, limit: 0 },
    },
  ];
}

function defaultKeySpecFlags(spec: CommandSpec): readonly KeySpecFlag[] {
  if (spec.flags.includes('readonly')) return ['RO', 'access'];
  if (spec.flags.includes('write')) return ['RW', 'update'];
  return ['RO'];
}

export function orderedKeySpecFlags(flags: readonly KeySpecFlag[]): KeySpecFlag[] {
  return KEY_SPEC_FLAG_ORDER.filter((flag) => flags.includes(flag));
}

/** Redis's doesCommandHaveKeys: a key extractor, or a key spec that finds real keys. */
export function hasKeys(spec: CommandSpec): boolean {
  return spec.getKeys !== undefined || keySpecs(spec).some((ks) => !ks.flags.includes('not_key'));
}

export interface FoundKey {
  /** Index into the request's arguments (the command name is 0). */
  position: number;
  flags: readonly KeySpecFlag[];
}

/**
 * The keys of a request with the flags of the spec that found each (COMMAND GETKEYS[ANDFLAGS]),
 * following Redis's getKeysUsingKeySpecs; null when the arguments do not fit the specs. A
 * command with its own extractor uses it, with the flags of its first spec.
 */
export function findKeys(spec: CommandSpec, args: readonly string[]): FoundKey[] | null {
  const specs = keySpecs(spec);
  if (spec.getKeys !== undefined) {
    const flags = specs[0]?.flags ?? defaultKeySpecFlags(spec);
    return spec.getKeys(args).map((position) => ({ position, flags }));
  }
  const found: FoundKey[] = [];
  for (const ks of specs) {
    if (ks.flags.includes('not_key')) continue;
    const first = beginSearch(ks, args);
    if (first === null) continue;
    const range = findRange(ks, args, first);
    if (range === null) return null;
    const [start, last, step] = range;
    for (let i = start; i <= last; i += step) found.push({ position: i, flags: ks.flags });
  }
  return found;
}

/** Where a spec's keys start, or null when its keyword is absent (the spec finds nothing). */
function beginSearch(ks: KeySpec, args: readonly string[]): number | null {
  const begin = ks.begin;
  if ('index' in begin) return begin.index;
  if ('unknown' in begin) return null;
  const keyword = begin.keyword.toLowerCase();
  const argc = args.length;
  // A negative start searches backwards from the end, as Redis does for keywords near the tail;
  // a keyword in last place has no keys after it and does not count.
  if (begin.startFrom > 0) {
    for (let i = begin.startFrom; i < argc - 1; i++) if (args[i].toLowerCase() === keyword) return i + 1;
  } else {
    for (let i = argc + begin.startFrom; i > 0; i--) if (args[i].toLowerCase() === keyword) return i + 1;
  }
  return null;
}

function findRange(ks: KeySpec, args: readonly string[], first: number): [number, number, number] | null {
  const argc = args.length;
  const find = ks.find;
  let start = first;
  let last: number;
  let step: number;
  if ('lastKey' in find) {
    step = find.keyStep;
    if (find.lastKey >= 0) last = first + find.lastKey;
    else if (find.limit === 0) last = argc + find.lastKey;
    else last = first + Math.floor((argc - first) / find.limit) + find.lastKey;
  } else if ('keyNumIndex' in find) {
    step = find.keyStep;
    const at = first + find.keyNumIndex;
    if (at >= argc) return null;
    const count = /^(0|-?[1-9][0-9]*)$/.test(args[at]) ? Number(args[at]) : NaN;
    if (!Number.isSafeInteger(count) || count < 0) return null;
    start = first + find.firstKey;
    last = start + count - 1;
  } else {
    return null;
  }
  if (last >= argc || last < start || start >= argc) return null;
  return [start, last, step];
}
