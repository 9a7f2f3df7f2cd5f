// The aclfile: one `user <name> <rule> ...` line per user, as ACL LIST prints them. Loading is
// all or nothing: one bad line leaves the users as they were.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AclRegistry } from './registry.js';
import { DEFAULT_USER } from './registry.js';
import { AclUser } from './user.js';

const LOAD_ABORTED = 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';

/**
 * The users an aclfile's text describes, each line starting from a new user. Throws Error with
 * Redis 7.0's text for the first bad line (the text after `ERR `).
 */
export function parseAclFile(text: string, path: string, registry: AclRegistry): Map<string, AclUser> {
  const users = new Map<string, AclUser>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    const number = i + 1;
    if (words[0] !== 'user' || words.length < 2) {
      throw new Error(`${path}:${number} should start with user keyword followed by the username. ${LOAD_ABORTED}`);
    }
    const name = words[1];
    if (users.has(name)) throw new Error(`WARNING: Duplicate user '${name}' found on line ${number}. ${LOAD_ABORTED}`);
    const user = new AclUser(name, registry.catalog);
    for (const rule of words.slice(2)) {
      const reason = user.apply(rule);
      if (reason !== null) throw new Error(`${path}:${number}: Error in applying operation '${rule}': ${reason}. ${LOAD_ABORTED}`);
    }
    users.set(name, user);
  }
  return users;
}

/** Replaces the registry's users with the file's; the default user exists whatever the file says. */
export function loadAclFile(path: string, registry: AclRegistry): void {
  const users = parseAclFile(readFileSync(path, 'latin1'), path, registry);
  if (!users.has(DEFAULT_USER)) users.set(DEFAULT_USER, registry.defaultUser());
  registry.users.clear();
  for (const [name, user] of users) registry.users.set(name, user);
}

/** Writes every user, through a temporary file so a crash never leaves half a file. */
export function saveAclFile(path: string, registry: AclRegistry): void {
  const text = registry.sortedUsers().map((user) => user.describe() + '\n').join('');
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text, 'latin1');
  renameSync(temp, path);
}
