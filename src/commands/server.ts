// server commands.

import type { CommandFamily } from './types.js';

export const serverCommands: CommandFamily = [];
