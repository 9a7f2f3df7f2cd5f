// CLIENT PAUSE: while a pause lasts, the commands it covers (all, or those that write) are held
// unrun in their client's input, in order, and run when it ends (by timeout or CLIENT UNPAUSE),
// as Redis postpones them.

import type { CommandSpec } from '../commands/types.js';
import type { Client } from './client.js';

export type PauseMode = 'write' | 'all';

export class ClientPause {
  private mode: PauseMode | null = null;
  private endsAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly now: () => number) {}

  /** A second pause keeps the stricter mode and the later end, as Redis's pauseClients. */
  pause(mode: PauseMode, endsAt: number): void {
    if (this.mode !== 'all') this.mode = mode;
    this.endsAt = Math.max(this.endsAt, endsAt);
    this.schedule();
  }

  unpause(): void {
    this.mode = null;
    this.endsAt = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const resumed = [...this.waiting];
    this.waiting.clear();
    for (const resume of resumed) resume();
  }

  /** True when this command must wait: Redis holds every command, or those that may write. */
  holds(client: Client, spec: CommandSpec): boolean {
    if (this.mode === null) return false;
    if (this.now() >= this.endsAt) {
      this.unpause();
      return false;
    }
    if (this.mode === 'all') return true;
    if (spec.flags.includes('write') || spec.flags.includes('may_replicate')) return true;
    if (spec.name !== 'exec' || client.multi === null) return false;
    return client.multi.some((q) => q.spec.flags.includes('write') || q.spec.flags.includes('may_replicate'));
  }

  /** Calls `resume` once the pause ends. */
  whenOver(resume: () => void): void {
    this.waiting.add(resume);
  }

  get paused(): boolean {
    return this.mode !== null;
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.endsAt - this.now()));
    this.timer.unref();
  }
}
