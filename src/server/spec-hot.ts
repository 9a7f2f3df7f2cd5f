// What the command pipeline asks of a table entry on every call, worked out once per entry:
// flag checks become field reads instead of array scans, and the entry's statistics counters
// are found without a Map lookup by name.

import type { CommandSpec } from '../commands/types.js';
import type { CommandStats, ServerStats } from './stats.js';

export interface SpecHot {
  noAuth: boolean;
  noMulti: boolean;
  fast: boolean;
  /** Not shown to MONITOR clients: admin commands and the ones flagged skip_monitor. */
  hiddenFromMonitor: boolean;
  skipSlowlog: boolean;
  denyoom: boolean;
  /** Position of the first key (0: keyless), for the hot-keys sampler. */
  firstKey: number;
  /**
   * The counters of this entry in `statsOwner`. Table entries are module-level objects shared by
   * every server in the process (tests run many), so the cache remembers whose counters it holds.
   * CONFIG RESETSTAT zeroes counters in place, so a cached object stays the live one.
   */
  stats: CommandStats | null;
  statsOwner: ServerStats | null;
}

type HotSpecHolder = CommandSpec & { hot?: SpecHot };

/** The precomputed facts of a table entry, computed on its first call. */
export function hotOf(spec: CommandSpec): SpecHot {
  const holder = spec as HotSpecHolder;
  return holder.hot ?? (holder.hot = computeHot(spec));
}

function computeHot(spec: CommandSpec): SpecHot {
  const flags = spec.flags;
  return {
    noAuth: flags.includes('no_auth'),
    noMulti: flags.includes('no_multi'),
    fast: flags.includes('fast'),
    hiddenFromMonitor: flags.includes('admin') || flags.includes('skip_monitor'),
    skipSlowlog: flags.includes('skip_slowlog'),
    denyoom: flags.includes('denyoom'),
    firstKey: spec.keys[0],
    stats: null,
    statsOwner: null,
  };
}

/** The entry's counters in `stats`, cached on the entry for the next call. */
export function statsOf(hot: SpecHot, stats: ServerStats, fullName: string): CommandStats {
  if (hot.statsOwner === stats && hot.stats !== null) return hot.stats;
  const stat = stats.command(fullName);
  hot.stats = stat;
  hot.statsOwner = stats;
  return stat;
}
