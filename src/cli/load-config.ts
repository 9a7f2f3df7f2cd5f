// Builds the start-up configuration the way redis-server does: defaults, then the config file
// (with its includes), then the command-line options, all checked by the same rules.

import { resolve } from 'node:path';
import {
  ConfigFileError,
  ConfigOpenError,
  applyDirectives,
  formatConfigFileError,
  readConfigFile,
  readConfigText,
  type Directive,
  type FileReader,
} from '../config/config-file.js';
import { Config } from '../config/config.js';

export type LoadResult = { ok: true; config: Config } | { ok: false; message: string };

export function loadStartupConfig(configFile: string | null, options: readonly Directive[], read: FileReader = readConfigText): LoadResult {
  const config = new Config();
  try {
    const fromFile = configFile === null ? [] : readConfigFile(configFile, read);
    applyDirectives(config, [...fromFile, ...options]);
  } catch (err) {
    if (err instanceof ConfigOpenError) return { ok: false, message: `${err.message}\n` };
    if (err instanceof ConfigFileError) return { ok: false, message: formatConfigFileError(err) };
    throw err;
  }
  // Absolute, so CONFIG REWRITE finds the file whatever the working directory becomes.
  if (configFile !== null && configFile !== '-') config.file = resolve(configFile);
  return { ok: true, config };
}
