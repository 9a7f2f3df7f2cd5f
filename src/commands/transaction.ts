// transaction commands.

import type { CommandFamily } from './types.js';

export const transactionCommands: CommandFamily = [];
