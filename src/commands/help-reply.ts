// The reply of every `<COMMAND> HELP` subcommand, shaped as Redis's addReplyHelp: an array of
// status lines, opening with the usage line and closing with HELP's own entry.

import type { Client } from '../server/client.js';

/** `command` is the container's name as sent; Redis prints it in capitals whatever its case. */
export function replyHelp(c: Client, command: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) c.reply.simple(line);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}
