// keyspace commands.

import type { CommandFamily } from './types.js';

export const keyspaceCommands: CommandFamily = [];
