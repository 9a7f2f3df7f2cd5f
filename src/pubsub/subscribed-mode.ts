// What a RESP2 client may still run while it listens: its connection carries messages, so only
// commands whose replies cannot be confused with them are allowed (RESP3 tells pushes apart, and
// has no such limit).

import type { Client } from '../server/client.js';

const ALLOWED_WHILE_SUBSCRIBED: ReadonlySet<string> = new Set([
  'subscribe',
  'ssubscribe',
  'psubscribe',
  'unsubscribe',
  'sunsubscribe',
  'punsubscribe',
  'ping',
  'quit',
  'reset',
]);

/** True when the client is in RESP2 subscribed mode and `fullName` may not run there. */
export function refusedWhileSubscribed(c: Client, fullName: string): boolean {
  return c.subscriptions !== null && c.reply.protocol === 2 && !ALLOWED_WHILE_SUBSCRIBED.has(fullName);
}
