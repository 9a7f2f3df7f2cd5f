// Turns a command's `syntax` string, written in the notation of Redis's docs
// (`key value [NX | XX] [EX seconds | PX milliseconds] [key value ...]`), into the argument tree
// COMMAND DOCS replies with, so the table states each grammar once and clients such as
// redis-cli read the same tree Redis would give them.
//
// Notation: `[a]` optional, `<a | b>` one of, `a [a ...]` repeated, an all-caps word a literal
// token (a token binds the argument after it; a token opening a group binds the rest of the
// group). Argument types are inferred from names (`key`, `seconds`, `unix-time-seconds`,
// `pattern` ...); `name:type` states a type outright, e.g. `increment:double`. A group is named
// after its members (`[key value ...]` is `key_value`) unless labelled: `condition:[NX | XX]`.
// `@version` after a word or label gives the version that added the argument: `GET@6.2.0`,
// `condition@7.0.0:[NX | XX]`.

export type DocArgType =
  | 'string'
  | 'integer'
  | 'double'
  | 'key'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

export interface DocArg {
  name: string;
  type: DocArgType;
  token?: string;
  optional: boolean;
  multiple: boolean;
  /** Version that added the argument to the command. */
  since?: string;
  /** The token is repeated with every repetition (`[GET pattern [GET pattern ...]]`). */
  multipleToken: boolean;
  /** For key arguments: which of the command's key specs finds this key. */
  keySpecIndex?: number;
  /** Members of a oneof or block. */
  args?: DocArg[];
}

export interface GrammarContext {
  /** Number of key specs of the command; without any, no argument is typed `key`. */
  keySpecCount: number;
}

const STATED_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'double', 'key', 'pattern', 'unix-time']);

/** Argument names Redis's docs type as integers. */
const INTEGER_NAMES: ReadonlySet<string> = new Set([
  'seconds',
  'milliseconds',
  'count',
  'index',
  'index1',
  'index2',
  'offset',
  'start',
  'end',
  'stop',
  'increment',
  'decrement',
  'db',
  'destination-db',
  'cursor',
  'numreplicas',
  'timeout',
  'numkeys',
  'port',
  'slot',
  'client-id',
  'protover',
  'config-epoch',
  'start-slot',
  'end-slot',
  'rank',
  'len',
  'maxlen',
]);

const KEY_NAMES: ReadonlySet<string> = new Set(['source', 'destination']);
/** `key`, `newkey`, `key1`...: names Redis's docs give key arguments. */
const KEY_NAME = /key\d*$/;
/** A group's label: a lowercase word ending in ':' right before the group. */
const LABEL = /^[a-z][a-z0-9_-]*:$/;
/** The `@version` that may end a word or a label. */
const SINCE = /^(.+)@(\d+\.\d+\.\d+)(:?)$/;

/** Redis's names for tokens that are not words. */
const SYMBOL_NAMES: Readonly<Record<string, string>> = {
  '""': 'empty_string',
  '*': 'auto_id',
  '=': 'equal',
  '~': 'approximately',
};

export class GrammarError extends Error {}

/** The argument tree of a syntax string; throws GrammarError when the string is malformed. */
export function parseSyntax(syntax: string, context: GrammarContext): DocArg[] {
  const parser = new RawParser(tokenize(syntax));
  const sequence = parser.sequence();
  if (!parser.done()) throw new GrammarError(`unexpected '${parser.peek()}' in syntax: ${syntax}`);
  const args = toArgs(sequence, false, context);
  numberKeys(args, context, { next: 0 });
  return args;
}

function tokenize(syntax: string): string[] {
  return syntax.match(/\.\.\.|[[\]<>|]|[^\s[\]<>|]+/g) ?? [];
}

/** The syntax before interpretation: words, groups and repetition marks. */
type Raw =
  | { kind: 'word'; text: string; since?: string }
  | { kind: 'group'; optional: boolean; alternatives: Raw[][]; label?: string; since?: string }
  | { kind: 'ellipsis' }
  | { kind: 'repeat'; items: Raw[] };

class RawParser {
  private pos = 0;

  constructor(private readonly lexemes: string[]) {}

  done(): boolean {
    return this.pos >= this.lexemes.length;
  }

  peek(): string | undefined {
    return this.lexemes[this.pos];
  }

  /** Items up to the end of the enclosing group or alternative. */
  sequence(): Raw[] {
    const items: Raw[] = [];
    for (;;) {
      const lexeme = this.peek();
      if (lexeme === undefined || lexeme === ']' || lexeme === '>' || lexeme === '|') break;
      this.pos++;
      const next = this.peek();
      const annotated = SINCE.exec(lexeme);
      const word = annotated === null ? lexeme : annotated[1] + annotated[3];
      const since = annotated?.[2];
      if (lexeme === '[' || lexeme === '<') {
        items.push(this.group(lexeme === '['));
      } else if (lexeme === '...') {
        items.push({ kind: 'ellipsis' });
      } else if (LABEL.test(word) && (next === '[' || next === '<')) {
        this.pos++;
        items.push({ ...this.group(next === '['), label: word.slice(0, -1), since });
      } else {
        items.push({ kind: 'word', text: word, since });
      }
    }
    return collapseRepeats(items);
  }

  private group(optional: boolean): Extract<Raw, { kind: 'group' }> {
    const alternatives: Raw[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.sequence());
    }
    const close = optional ? ']' : '>';
    if (this.peek() !== close) throw new GrammarError(`expected '${close}'`);
    this.pos++;
    if (alternatives.some((alternative) => alternative.length === 0)) throw new GrammarError('empty alternative');
    return { kind: 'group', optional, alternatives };
  }
}

/** `a b [a b ...]` becomes one repeated item: the docs' way of writing "one or more". */
function collapseRepeats(items: Raw[]): Raw[] {
  const out: Raw[] = [];
  for (const item of items) {
    if (item.kind === 'group' && item.optional && item.alternatives.length === 1) {
      const body = item.alternatives[0];
      const last = body[body.length - 1];
      if (body.length >= 2 && last.kind === 'ellipsis') {
        const repeated = body.slice(0, -1);
        const tail = out.slice(out.length - repeated.length);
        if (out.length >= repeated.length && rawText(tail) === rawText(repeated)) {
          out.splice(out.length - repeated.length, repeated.length, { kind: 'repeat', items: tail });
          continue;
        }
      }
    }
    out.push(item);
  }
  return out;
}

function rawText(items: readonly Raw[]): string {
  return items
    .map((item) => {
      switch (item.kind) {
        case 'word':
          return item.text;
        case 'ellipsis':
          return '...';
        case 'repeat':
          return `(${rawText(item.items)})+`;
        case 'group': {
          const inner = item.alternatives.map(rawText).join(' | ');
          return (item.label === undefined ? '' : `${item.label}:`) + (item.optional ? `[${inner}]` : `<${inner}>`);
        }
      }
    })
    .join(' ');
}

/** A literal: a word without lowercase letters (`NX`, `""`, `*`). */
function tokenOf(item: Raw | undefined): string | null {
  return item !== undefined && item.kind === 'word' && !/[a-z]/.test(item.text) ? item.text : null;
}

function sinceOf(item: Raw): string | undefined {
  return item.kind === 'word' || item.kind === 'group' ? item.since : undefined;
}

function withSince(arg: DocArg, since: string | undefined): DocArg {
  if (since !== undefined) arg.since = since;
  return arg;
}

function toArgs(items: readonly Raw[], inGroup: boolean, context: GrammarContext): DocArg[] {
  const args: DocArg[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const token = tokenOf(item);
    if (token !== null) {
      const since = sinceOf(item);
      if (inGroup && i === 0 && items.length > 1) {
        return [withSince(withToken(toArgs(items.slice(1), false, context), token), since)];
      }
      const next = items[i + 1];
      if (next !== undefined && tokenOf(next) === null && next.kind !== 'ellipsis') {
        args.push(withSince(withToken(toArgs([next], false, context), token), since));
        i++;
      } else {
        args.push(withSince(pureToken(token), since));
      }
      continue;
    }
    switch (item.kind) {
      case 'word':
        args.push(withSince(typedArg(item.text, context), item.since));
        break;
      case 'ellipsis': {
        // A repetition the collapse could not pair with its item marks the argument before it.
        const previous = args[args.length - 1];
        if (previous === undefined) throw new GrammarError("'...' with nothing to repeat");
        previous.multiple = true;
        break;
      }
      case 'repeat':
        args.push(repeatArg(item.items, context));
        break;
      case 'group':
        args.push(groupArg(item, context));
        break;
    }
  }
  return args;
}

function withToken(args: DocArg[], token: string): DocArg {
  if (args.length === 1 && args[0].token === undefined) return { ...args[0], token };
  return { ...block(args), token };
}

function pureToken(token: string): DocArg {
  return { name: tokenName(token), type: 'pure-token', token, optional: false, multiple: false, multipleToken: false };
}

function tokenName(token: string): string {
  return SYMBOL_NAMES[token] ?? token.toLowerCase();
}

function block(args: DocArg[], name = memberNames(args)): DocArg {
  return { name, type: 'block', optional: false, multiple: false, multipleToken: false, args };
}

function memberNames(args: readonly DocArg[]): string {
  return args.map((arg) => arg.name).join('_');
}

function repeatArg(items: Raw[], context: GrammarContext): DocArg {
  const inner = toArgs(items, true, context);
  const arg = inner.length === 1 ? inner[0] : block(inner);
  arg.multiple = true;
  if (tokenOf(items[0]) !== null && items.length > 1) arg.multipleToken = true;
  return arg;
}

function groupArg(group: Extract<Raw, { kind: 'group' }>, context: GrammarContext): DocArg {
  const members = group.alternatives.map((alternative) => {
    const args = toArgs(alternative, true, context);
    return args.length === 1 ? args[0] : block(args);
  });
  const arg: DocArg =
    members.length === 1
      ? members[0]
      : { name: memberNames(members), type: 'oneof', optional: false, multiple: false, multipleToken: false, args: members };
  if (group.optional) arg.optional = true;
  if (group.label !== undefined) arg.name = group.label;
  return withSince(arg, group.since);
}

function typedArg(word: string, context: GrammarContext): DocArg {
  let name = word;
  let type: DocArgType | undefined;
  const colon = word.lastIndexOf(':');
  if (colon > 0 && STATED_TYPES.has(word.slice(colon + 1))) {
    name = word.slice(0, colon);
    type = word.slice(colon + 1) as DocArgType;
  }
  type ??= inferType(name, context);
  if (type === 'key' && context.keySpecCount === 0) type = 'string';
  return { name, type, optional: false, multiple: false, multipleToken: false };
}

function inferType(name: string, context: GrammarContext): DocArgType {
  if (context.keySpecCount > 0 && (KEY_NAMES.has(name) || KEY_NAME.test(name))) return 'key';
  if (name.startsWith('unix-time')) return 'unix-time';
  if (name === 'pattern') return 'pattern';
  if (INTEGER_NAMES.has(name)) return 'integer';
  return 'string';
}

/** Key arguments point at key specs in order, the last spec taking any extra keys. */
function numberKeys(args: DocArg[], context: GrammarContext, counter: { next: number }): void {
  for (const arg of args) {
    if (arg.type === 'key') {
      arg.keySpecIndex = Math.min(counter.next, context.keySpecCount - 1);
      counter.next++;
    }
    if (arg.args !== undefined) numberKeys(arg.args, context, counter);
  }
}
