// maxclients against the process's open-file limit, after Redis's adjustOpenFilesLimit: every
// client is a file descriptor, and the server keeps 32 more for itself (listeners, log, cluster
// links...). Redis raises its soft limit as far as it can; Node has already raised the soft limit
// to the hard one when the process started, so the soft limit read here is as far as it goes,
// and a maxclients above it minus 32 is lowered at start-up and refused by CONFIG SET.
//
// Where this differs from Redis: when the soft limit started below the hard one and the hard one
// is still too low, Redis steps its request down by 16 until setrlimit accepts it and may end up
// to 15 lower than (hard limit - 32); here the cap is exactly (hard limit - 32), since the soft
// limit Node started with is gone. With soft equal to hard (`ulimit -n N`, docker's nofile=N:N,
// systemd's LimitNOFILE=N), the usual case where the cap applies at all, the two agree.
// ringcache-server itself needs about 52 descriptors to load, so under a limit of 32 or less
// Node fails before this runs; an embedding process gets the error thrown below.

import { readFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { CONFIG_MAXCLIENTS_OS } from '../errors.js';
import type { Logger } from './log.js';

/** Redis's CONFIG_MIN_RESERVED_FDS: descriptors kept beside the clients'. */
export const RESERVED_FDS = 32;

/** What Redis reports when setrlimit refuses to go past the hard limit (EPERM's strerror). */
const RAISE_ERROR = 'Operation not permitted';

/**
 * The soft RLIMIT_NOFILE from /proc/self/limits (Linux); null where there is no such file or
 * the limit is unlimited, and maxclients is then left as configured.
 */
export function openFilesLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'latin1');
    } catch {
      return null;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || !/^\d+$/.test(soft)) return null;
  return Number(soft);
}

/** Redis's three warnings when the limit cannot hold `maxclients` clients. */
function logLowLimit(logger: Logger, maxclients: number, limit: number): void {
  logger.log('warning', `You requested maxclients of ${maxclients} requiring at least ${maxclients + RESERVED_FDS} max file descriptors.`);
  logger.log('warning', `Server can't set maximum open files to ${maxclients + RESERVED_FDS} because of OS error: ${RAISE_ERROR}.`);
  logger.log(
    'warning',
    `Current maximum open files is ${limit}. maxclients has been reduced to ${limit - RESERVED_FDS} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
  );
}

/**
 * Caps maxclients at start-up and guards CONFIG SET maxclients, for a process whose open-file
 * limit is `limit` (null: unknown, nothing is capped). Throws when the limit leaves no room for
 * a single client, where Redis exits.
 */
export function capMaxclients(config: Config, logger: Logger, limit: number | null = openFilesLimit()): void {
  if (limit === null) return;
  const requested = config.getNumber('maxclients');
  if (requested + RESERVED_FDS > limit) {
    if (limit <= RESERVED_FDS) {
      const message = `Your current 'ulimit -n' of ${limit} is not enough for the server to start. Please increase your open file limit to at least ${requested + RESERVED_FDS}. Exiting.`;
      logger.log('warning', message);
      throw new Error(message);
    }
    logLowLimit(logger, requested, limit);
    config.load('maxclients', String(limit - RESERVED_FDS));
  }
  config.guard('maxclients', (value) => {
    const wanted = Number(value);
    if (wanted + RESERVED_FDS <= limit) return null;
    logLowLimit(logger, wanted, limit);
    logger.log('warning', 'Failed applying new configuration. Possibly related to new maxclients setting. Restoring previous settings.');
    return CONFIG_MAXCLIENTS_OS(limit - RESERVED_FDS);
  });
}
