// expire commands.

import type { CommandFamily } from './types.js';

export const expireCommands: CommandFamily = [];
