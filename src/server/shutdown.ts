// The one way a running server stops, whoever asks for it: the SHUTDOWN command, or SIGTERM and
// SIGINT in the command-line server. It stops accepting, lets every client receive the replies
// to the requests already run, closes every connection, and then says it is done. Only the
// command line exits the process when it is done; an embedded server must never take its host
// process down, so SHUTDOWN there just closes the server and resolves `done`.

import type { ServerCore } from './core.js';
import type { Logger } from './log.js';

/** What asked for the shutdown. */
export type ShutdownCause = 'SHUTDOWN' | 'SIGTERM' | 'SIGINT';

/** The parts of a network server a shutdown needs. */
export interface ShutdownTarget {
  readonly core: ServerCore;
  readonly logger: Logger;
  close(): Promise<void>;
}

export class Shutdown {
  /** Resolves, with what asked for it, once the server is closed. */
  readonly done: Promise<ShutdownCause>;
  private resolveDone!: (cause: ShutdownCause) => void;
  private cause: ShutdownCause | null = null;

  constructor(private readonly server: ShutdownTarget) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** True once a shutdown has begun. */
  get inProgress(): boolean {
    return this.cause !== null;
  }

  /** Begins the shutdown (a second request joins the first); resolves as `done` does. */
  begin(cause: ShutdownCause): Promise<ShutdownCause> {
    if (this.cause !== null) return this.done;
    this.cause = cause;
    const { core, logger } = this.server;
    logger.log('warning', 'User requested shutdown...');
    // A restarted node finds its id, epoch and peers in the nodes file only if it is current.
    if (core.cluster !== null) {
      try {
        core.cluster.save(true);
      } catch (err) {
        logger.log('warning', `Could not save the cluster nodes file: ${(err as Error).message}`);
      }
    }
    void this.server.close().then(() => this.resolveDone(cause));
    return this.done;
  }
}
