// The server's users: the `default` user (whose password `requirepass` sets), the users made by
// ACL SETUSER or read from the aclfile, logging in, and the permission check every command
// passes before it runs.

import type { CommandSpec } from '../commands/types.js';
import { findKeys } from '../commands/command-meta.js';
import { hotOf } from '../server/spec-hot.js';
import { AclCatalog } from './catalog.js';
import { AclUser } from './user.js';

export const DEFAULT_USER = 'default';

export const ERR_NOPERM_COMMAND = (fullName: string): string =>
  `NOPERM this user has no permissions to run the '${fullName}' command`;
export const ERR_NOPERM_KEY = 'NOPERM this user has no permissions to access one of the keys used as arguments';

export class AclRegistry {
  readonly catalog: AclCatalog;
  readonly users = new Map<string, AclUser>();

  constructor(specs: readonly CommandSpec[]) {
    this.catalog = new AclCatalog(specs);
    this.users.set(DEFAULT_USER, this.defaultUser());
  }

  /** A fresh `default` user: on, nopass, every key, channel and command. */
  defaultUser(): AclUser {
    const user = new AclUser(DEFAULT_USER, this.catalog);
    for (const rule of ['on', 'nopass', '~*', '&*', '+@all']) user.apply(rule);
    return user;
  }

  get default(): AclUser {
    return this.users.get(DEFAULT_USER) as AclUser;
  }

  /** requirepass as Redis's ACLUpdateDefaultUserPassword: the password replaces all others. */
  setDefaultPassword(password: string): void {
    const user = this.default;
    user.apply('resetpass');
    user.apply(password === '' ? 'nopass' : `>${password}`);
  }

  /** Redis's authRequired for a client not logged in: the default user needs a password or is off. */
  get authRequired(): boolean {
    const user = this.default;
    return !user.nopass || !user.enabled;
  }

  /** The user these credentials log in as, or null (unknown user, off, wrong password alike). */
  authenticate(name: string, password: string): AclUser | null {
    const user = this.users.get(name);
    // An unknown user still costs a hash comparison, so timing does not reveal which users exist.
    if (user === undefined) {
      this.default.checkPassword(password);
      return null;
    }
    const ok = user.checkPassword(password);
    return ok && user.enabled ? user : null;
  }

  /**
   * Redis's ACLCheckAllPerm: the error a command run by `userName` gets, or null when allowed.
   * Commands anyone may send before logging in (AUTH, HELLO...) are never refused.
   */
  check(userName: string, spec: CommandSpec, fullName: string, args: readonly string[]): string | null {
    const denial = this.denial(userName, spec, fullName, args);
    if (denial === null) return null;
    return denial.key === undefined ? ERR_NOPERM_COMMAND(fullName) : ERR_NOPERM_KEY;
  }

  /** What refuses the command: the command itself, or the first key the user may not use. */
  denial(userName: string, spec: CommandSpec, fullName: string, args: readonly string[]): { key?: string } | null {
    const user = this.users.get(userName);
    if (user === undefined || user.unrestricted || hotOf(spec).noAuth) return null;
    if (!user.canRun(fullName)) return {};
    if (user.allKeys) return null;
    for (const found of findKeys(spec, args) ?? []) {
      const key = args[found.position];
      if (!user.canUseKey(key, found.flags)) return { key };
    }
    return null;
  }

  /** Sorted by name, as ACL LIST and ACL USERS answer. */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
