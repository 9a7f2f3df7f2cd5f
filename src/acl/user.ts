// One ACL user: on/off, passwords (digests only), key and channel patterns, and the command rules
// in the compact form ACL LIST prints. Rules are applied to a copy by the caller, so a SETUSER
// with one bad rule changes nothing.

import type { KeySpecFlag } from '../commands/types.js';
import { globMatch } from '../util/glob.js';
import type { AclCatalog } from './catalog.js';
import { hashPassword, isPasswordHash, matchesAnyHash } from './password.js';

/** What a key pattern grants: `~p` both, `%R~p` reads, `%W~p` writes. */
export interface KeyPattern {
  pattern: string;
  read: boolean;
  write: boolean;
}

export const RULE_SYNTAX = 'Syntax error';
export const RULE_UNKNOWN_COMMAND = 'Unknown command or category name in ACL';
export const RULE_NO_SUCH_PASSWORD = 'The password you are trying to remove from the user does not exist';
export const RULE_BAD_HASH = 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';

export class AclUser {
  enabled = false;
  nopass = false;
  /** null: never said; Redis prints the flag only once a rule (or reset) set it. */
  sanitizePayload: boolean | null = null;
  /** Hex SHA-256 digests, in the order they were added. */
  passwords: string[] = [];
  allKeys = false;
  keys: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];
  /** +@all was the last reset of the command rules: commands added later are allowed too. */
  allCommands = false;
  /** The command and category rules after the last +@all / -@all, compacted. */
  rules: string[] = [];
  /** Runnable names (`get`, `config|get`) this user may run; derived from the rules. */
  private allowed = new Set<string>();

  constructor(
    readonly name: string,
    private readonly catalog: AclCatalog,
  ) {}

  clone(): AclUser {
    const copy = new AclUser(this.name, this.catalog);
    copy.enabled = this.enabled;
    copy.nopass = this.nopass;
    copy.sanitizePayload = this.sanitizePayload;
    copy.passwords = [...this.passwords];
    copy.allKeys = this.allKeys;
    copy.keys = this.keys.map((k) => ({ ...k }));
    copy.allChannels = this.allChannels;
    copy.channels = [...this.channels];
    copy.allCommands = this.allCommands;
    copy.rules = [...this.rules];
    copy.allowed = new Set(this.allowed);
    return copy;
  }

  /** Takes over another user's settings (SETUSER on an existing user, ACL LOAD). */
  assign(other: AclUser): void {
    Object.assign(this, other.clone(), { name: this.name });
  }

  /** True when nothing restricts this user: the check per command can be skipped. */
  get unrestricted(): boolean {
    return this.allCommands && this.rules.length === 0 && this.allKeys;
  }

  /** Applies one rule; returns Redis's reason text when it is refused. */
  apply(rule: string): string | null {
    const lower = rule.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return null;
      case 'off':
        this.enabled = false;
        return null;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return null;
      case 'allkeys':
        this.allKeys = true;
        this.keys = [];
        return null;
      case 'resetkeys':
        this.allKeys = false;
        this.keys = [];
        return null;
      case 'allchannels':
        this.allChannels = true;
        this.channels = [];
        return null;
      case 'resetchannels':
        this.allChannels = false;
        this.channels = [];
        return null;
      case 'allcommands':
        return this.apply('+@all');
      case 'nocommands':
        return this.apply('-@all');
      case 'sanitize-payload':
        this.sanitizePayload = true;
        return null;
      case 'skip-sanitize-payload':
        this.sanitizePayload = false;
        return null;
      case 'reset':
        for (const r of ['resetpass', 'resetkeys', 'resetchannels', 'off', '-@all', 'sanitize-payload']) this.apply(r);
        return null;
    }
    const first = rule[0];
    const rest = rule.slice(1);
    if (first === '>') return this.addPassword(hashPassword(rest));
    if (first === '#') return isPasswordHash(rest) ? this.addPassword(rest) : RULE_BAD_HASH;
    if (first === '<') return this.removePassword(hashPassword(rest));
    if (first === '!') return isPasswordHash(rest) ? this.removePassword(rest) : RULE_BAD_HASH;
    if (first === '~' || first === '%') return this.addKeyPattern(rule);
    if (first === '&') {
      if (!this.allChannels && !this.channels.includes(rest)) {
        if (rest === '*') this.apply('allchannels');
        else this.channels.push(rest);
      }
      return null;
    }
    if (first === '+' || first === '-') return this.applyCommandRule(first === '+', rest.toLowerCase());
    return RULE_SYNTAX;
  }

  private addPassword(hash: string): string | null {
    if (!this.passwords.includes(hash)) this.passwords.push(hash);
    this.nopass = false;
    return null;
  }

  private removePassword(hash: string): string | null {
    const at = this.passwords.indexOf(hash);
    if (at < 0) return RULE_NO_SUCH_PASSWORD;
    this.passwords.splice(at, 1);
    return null;
  }

  /** `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern`; a pattern may not contain spaces. */
  private addKeyPattern(rule: string): string | null {
    let read = true;
    let write = true;
    let pattern: string;
    if (rule[0] === '%') {
      const tilde = rule.indexOf('~');
      const perms = tilde < 0 ? '' : rule.slice(1, tilde).toUpperCase();
      if (perms === '' || !/^[RW]+$/.test(perms)) return RULE_SYNTAX;
      read = perms.includes('R');
      write = perms.includes('W');
      pattern = rule.slice(tilde + 1);
    } else {
      pattern = rule.slice(1);
    }
    if (pattern.includes(' ')) return RULE_SYNTAX;
    if (this.allKeys) return null;
    if (pattern === '*' && read && write) {
      this.apply('allkeys');
      return null;
    }
    const same = this.keys.find((k) => k.pattern === pattern);
    if (same !== undefined) {
      same.read ||= read;
      same.write ||= write;
    } else {
      this.keys.push({ pattern, read, write });
    }
    return null;
  }

  private applyCommandRule(allow: boolean, name: string): string | null {
    if (name === '@all') {
      this.allCommands = allow;
      this.rules = [];
      this.recompute();
      return null;
    }
    const sign = allow ? '+' : '-';
    if (name.startsWith('@')) {
      const category = name.slice(1);
      if (!this.catalog.isCategory(category)) return RULE_UNKNOWN_COMMAND;
      const covered = new Set(this.catalog.inCategory(category).map((c) => c.name));
      // A category rule makes earlier rules about the same category or its commands moot.
      this.rules = this.rules.filter((r) => r.slice(1) !== name && !coversOnly(r.slice(1), covered));
      this.recompute();
      if ([...covered].every((n) => this.allowed.has(n) === allow)) return null;
      this.rules.push(sign + name);
      this.recompute();
      return null;
    }
    const names = this.catalog.namesOf(name);
    if (names === null) return RULE_UNKNOWN_COMMAND;
    // `-config|get` needs the command to exist; removing a subcommand keeps the container's rule.
    this.rules = this.rules.filter((r) => r.slice(1) !== name && !(name.indexOf('|') < 0 && r.slice(1).startsWith(name + '|')));
    this.recompute();
    // A rule that changes nothing is not kept, as ACL LIST would not print it.
    if (names.every((n) => this.allowed.has(n) === allow)) return null;
    this.rules.push(sign + name);
    this.recompute();
    return null;
  }

  private recompute(): void {
    const allowed = new Set<string>(this.allCommands ? this.catalog.commands.map((c) => c.name) : []);
    for (const rule of this.rules) {
      const allow = rule[0] === '+';
      const name = rule.slice(1);
      const names = name.startsWith('@') ? this.catalog.inCategory(name.slice(1)).map((c) => c.name) : (this.catalog.namesOf(name) ?? []);
      for (const n of names) {
        if (allow) allowed.add(n);
        else allowed.delete(n);
      }
    }
    this.allowed = allowed;
  }

  canRun(fullName: string): boolean {
    return this.allowed.has(fullName);
  }

  /** Whether a key may be used as a key spec with these flags asks (reads, writes or both). */
  canUseKey(key: string, flags: readonly KeySpecFlag[]): boolean {
    if (this.allKeys) return true;
    const needsWrite = flags.some((f) => f === 'RW' || f === 'OW' || f === 'RM' || f === 'insert' || f === 'delete' || f === 'update');
    const needsRead = flags.includes('access') || (flags.includes('RO') && !needsWrite) || flags.includes('RW');
    return this.keys.some((k) => (!needsRead || k.read) && (!needsWrite || k.write) && globMatch(k.pattern, key));
  }

  checkPassword(password: string): boolean {
    if (this.nopass) return true;
    return matchesAnyHash(password, this.passwords);
  }

  /** The command rules as ACL LIST and ACL GETUSER print them. */
  describeCommands(): string {
    return [this.allCommands ? '+@all' : '-@all', ...this.rules].join(' ');
  }

  describeKeys(): string {
    if (this.allKeys) return '~*';
    return this.keys.map((k) => `${k.read && k.write ? '' : k.read ? '%R' : '%W'}~${k.pattern}`).join(' ');
  }

  describeChannels(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => `&${c}`).join(' ');
  }

  flags(): string[] {
    const flags = [this.enabled ? 'on' : 'off'];
    if (this.nopass) flags.push('nopass');
    if (this.sanitizePayload === true) flags.push('sanitize-payload');
    if (this.sanitizePayload === false) flags.push('skip-sanitize-payload');
    return flags;
  }

  /** The user as one ACL LIST / aclfile line. */
  describe(): string {
    const parts = ['user', this.name, ...this.flags(), ...this.passwords.map((h) => `#${h}`)];
    const keys = this.describeKeys();
    if (keys !== '') parts.push(keys);
    parts.push(this.allChannels ? '&*' : ['resetchannels', this.describeChannels()].filter((s) => s !== '').join(' '));
    parts.push(this.describeCommands());
    return parts.join(' ');
  }
}

/** True when a rule names a single command that the category covers entirely. */
function coversOnly(name: string, covered: ReadonlySet<string>): boolean {
  return !name.startsWith('@') && covered.has(name);
}
