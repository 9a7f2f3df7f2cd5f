// The running configuration: values checked against the config table, with Redis's parsing of
// booleans and memory units and Redis's CONFIG SET error texts.

import { CONFIG_TABLE, type ConfigParam } from './config-table.js';
import { CONFIG_IMMUTABLE, CONFIG_SET_FAILED } from '../errors.js';
import { parseInt64 } from '../util/numbers.js';
import { memtoull } from './memory-value.js';

export class ConfigError extends Error {}

type Listener = (value: string) => void;

/** `N%` with N a canonical non-negative integer, as the negative number Redis stores; else null. */
function parsePercent(text: string): bigint | null {
  if (text.length < 2 || !text.endsWith('%')) return null;
  const n = parseInt64(text.slice(0, -1));
  return n === null || n < 0 ? null : -BigInt(n);
}

// Built on first use: modules the config table imports for its validators may import this one
// (output-buffer-limits.ts), so CONFIG_TABLE can still be uninitialized while this module loads.
let byName: Map<string, ConfigParam> | null = null;

function paramsByName(): Map<string, ConfigParam> {
  if (byName === null) {
    byName = new Map();
    for (const param of CONFIG_TABLE) {
      byName.set(param.name, param);
      for (const alias of param.aliases ?? []) byName.set(alias, param);
    }
  }
  return byName;
}

/** The default of a parameter as a redis.conf line would spell it. */
export function defaultOf(param: ConfigParam): string {
  return typeof param.default === 'function' ? param.default() : param.default;
}

export function findParam(name: string): ConfigParam | undefined {
  return paramsByName().get(name.toLowerCase());
}

export class Config {
  /**
   * The redis.conf-style file this configuration was read from (absolute path), or null when
   * started without one; CONFIG REWRITE writes back to it.
   */
  file: string | null = null;
  private readonly values = new Map<string, string>();
  private readonly listeners = new Map<string, Listener[]>();
  /** CONFIG SET's checks of what the running process can take (maxclients and the fd limit). */
  private readonly guards = new Map<string, (value: string) => string | null>();

  constructor(overrides: Record<string, string | number | boolean> = {}) {
    for (const param of CONFIG_TABLE) this.values.set(param.name, this.normalize(param, defaultOf(param)));
    for (const [name, value] of Object.entries(overrides)) this.load(name, String(value === true ? 'yes' : value === false ? 'no' : value));
  }

  /** Sets a parameter at start-up, immutable ones included. Throws ConfigError with the reason. */
  load(name: string, value: string): void {
    const param = findParam(name);
    if (param === undefined) throw new ConfigError(`Bad directive or wrong number of arguments`);
    this.values.set(param.name, this.normalize(param, value));
    this.notify(param.name);
  }

  /** CONFIG SET of one parameter; throws ConfigError with the text after `ERR `. */
  set(name: string, value: string): void {
    const param = findParam(name);
    if (param === undefined) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (!param.mutable) throw new ConfigError(CONFIG_SET_FAILED(name, CONFIG_IMMUTABLE));
    let normalized: string;
    try {
      normalized = this.normalize(param, value);
    } catch (e) {
      throw new ConfigError(CONFIG_SET_FAILED(name, (e as Error).message));
    }
    const refused = this.guards.get(param.name)?.(normalized) ?? null;
    if (refused !== null) throw new ConfigError(CONFIG_SET_FAILED(name, refused));
    this.values.set(param.name, normalized);
    this.notify(param.name);
  }

  get(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`no config parameter ${name}`);
    return value;
  }

  getNumber(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Every parameter with its current value, in table order. */
  entries(): [ConfigParam, string][] {
    return CONFIG_TABLE.map((param) => [param, this.get(param.name)]);
  }

  /**
   * A check CONFIG SET runs on a valid value before taking it, for limits of the running process
   * rather than of the parameter (start-up values are adjusted by the server instead); `check`
   * returns Redis's reason text to refuse the value, or null.
   */
  guard(name: string, check: (value: string) => string | null): void {
    this.guards.set(name, check);
  }

  /** Calls fn now and whenever the parameter changes, so hot paths can cache the value. */
  watch(name: string, fn: Listener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn);
    this.listeners.set(name, list);
    fn(this.get(name));
  }

  private notify(name: string): void {
    for (const fn of this.listeners.get(name) ?? []) fn(this.get(name));
  }

  /** The canonical text of a value (memory in bytes, booleans yes/no); throws with the reason. */
  private normalize(param: ConfigParam, value: string): string {
    const type = param.type;
    let out: string;
    switch (type.kind) {
      case 'bool': {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
        out = v;
        break;
      }
      case 'int': {
        // As Redis's config parser reads it: string2ll (canonical, 64-bit).
        const n = parseInt64(value);
        if (n === null) throw new ConfigError("argument couldn't be parsed into an integer");
        if (n < type.min || n > type.max) throw new ConfigError(`argument must be between ${type.min} and ${type.max} inclusive`);
        out = String(n);
        break;
      }
      case 'memory': {
        const bytes = memtoull(value);
        let n = bytes === null ? null : type.unsigned === true ? bytes : BigInt.asIntN(64, bytes);
        if (n === null && type.percent === true) n = parsePercent(value);
        if (n === null) throw new ConfigError(type.percent === true ? 'argument must be a memory or percent value' : 'argument must be a memory value');
        if (type.percent === true && n < 0) {
          // Redis keeps a percentage as a negative number, so bytes past 2^63 read as one too.
          if (n < type.min) throw new ConfigError(`percentage argument must be less or equal to ${-type.min}`);
          out = `${-n}%`;
          break;
        }
        if (n < type.min || n > type.max) throw new ConfigError(`argument must be between ${type.min} and ${type.max} inclusive`);
        out = String(n);
        break;
      }
      case 'enum': {
        const v = value.toLowerCase();
        if (!type.values.includes(v) && type.extra?.includes(v) !== true) throw new ConfigError(`argument(s) must be one of the following: ${type.values.join(', ')}`);
        out = v;
        break;
      }
      case 'string':
        out = param.merge?.(value, this.values.get(param.name) ?? '') ?? value;
        break;
    }
    const reason = param.validate?.(out) ?? null;
    if (reason !== null) throw new ConfigError(reason);
    return out;
  }
}
