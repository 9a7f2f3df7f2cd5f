// command commands.

import type { CommandFamily } from './types.js';

export const commandCommands: CommandFamily = [];
