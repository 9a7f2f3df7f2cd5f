// Versions reported by --version, the start-up banner and INFO. The package version is read from
// package.json so a release needs one edit; the Redis version is the one whose behaviour
// ringcache reproduces byte for byte.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REDIS_COMPAT_VERSION = '7.0.15';

/** Walks up from this module: the source tree and the compiled dist sit at different depths. */
function readPackageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ringcache' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json at this level: keep climbing.
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const RINGCACHE_VERSION = readPackageVersion();
