// Passwords are kept only as SHA-256 digests (as Redis does), and compared in constant time so
// that response times do not tell an attacker how much of a guess was right.

import { createHash, timingSafeEqual } from 'node:crypto';

/** The hex SHA-256 of a password given as bytes (a latin1 string). */
export function hashPassword(password: string): string {
  return createHash('sha256').update(password, 'latin1').digest('hex');
}

/** True when `hash` is the form `#<hash>` rules accept: 64 lowercase hex digits. */
export function isPasswordHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** Whether the password matches one of the digests; every digest is compared, match or not. */
export function matchesAnyHash(password: string, hashes: Iterable<string>): boolean {
  const given = Buffer.from(hashPassword(password), 'latin1');
  let found = false;
  for (const hash of hashes) {
    if (timingSafeEqual(given, Buffer.from(hash, 'latin1'))) found = true;
  }
  return found;
}
