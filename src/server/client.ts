// One client's state, as command handlers see it: the selected database, the protocol version,
// the reply being written, the command's clock snapshot. The socket side lives in Connection;
// a Client with no connection is an in-process session (tests, embedding).

import type { Database } from '../engine/database.js';
import { ReplyWriter } from '../protocol/reply-writer.js';
import type { CommandSpec } from '../commands/types.js';
import type { ServerCore } from './core.js';
import type { ClientSubscriptions } from '../pubsub/hub.js';

/** A command queued by MULTI, with the table entry it was resolved to. */
export interface QueuedCommand {
  args: string[];
  spec: CommandSpec;
  fullName: string;
}

export interface ClientAddress {
  /** Peer address as Redis prints it: ip:port (IPv6 in brackets is not used by Redis). */
  addr: string;
  laddr: string;
  fd: number;
  /** Connected through the Unix socket: flag U in CLIENT LIST, and local for enable-debug-command. */
  unixSocket?: boolean;
}

/** Buffers a client keeps between uses, which the cron gives back (see cron.ts). */
export interface KeptBuffers {
  /** Bytes held. */
  readonly keptBytes: number;
  /** Gives back what the use since the last call did not need. */
  trim(): void;
  /** Gives back everything held between uses: the client is idle. */
  shrink(): void;
}

export class Client {
  readonly reply = new ReplyWriter();
  db: Database;
  dbIndex = 0;
  /** Clock snapshot (ms) taken once per command, so one command sees one instant. */
  now = 0;
  name = '';
  libName = '';
  libVersion = '';
  authenticated: boolean;
  user = 'default';
  readonly createdAt: number;
  lastInteraction: number;
  /** Full name of the last command run (`client|list` style), for CLIENT LIST's cmd field. */
  lastCommand = 'NULL';
  /** Commands queued since MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A command failed to queue: EXEC must answer EXECABORT. */
  multiFailed = false;
  /** A WATCHed key changed: EXEC must answer null. */
  watchTouched = false;
  /** CLIENT NO-EVICT: never chosen for client eviction (flag `e` in CLIENT LIST). */
  noEvict = false;
  /** CLIENT NO-TOUCH: reads leave the keys' LRU/LFU data alone (flag `T`). */
  noTouch = false;
  /**
   * Set by a command that waits on the network (MIGRATE): the connection runs none of this
   * client's later requests until it settles, and the command writes its reply before then.
   */
  blockedOn: Promise<void> | null = null;
  /**
   * CLIENT PAUSE (or a MIGRATE's locked keys) holds this client's next request until it ends:
   * Redis marks such a client blocked (flag `b` in CLIENT LIST), and `timeout` spares it.
   */
  postponed = false;
  /** ASKING was sent: the next command may use a slot this node is importing (cluster mode). */
  asking = false;
  /** Set by QUIT and protocol errors: close once the pending replies are sent. */
  closeAfterReply = false;
  /** Called when a command wants the connection gone (QUIT, CLIENT KILL); set by Connection. */
  onClose: (() => void) | null = null;
  /** What the client listens to (Pub/Sub); null while it listens to nothing. */
  subscriptions: ClientSubscriptions | null = null;
  /** Called when a reply was written outside of this client's own command (pub/sub); set by Connection. */
  onPush: (() => void) | null = null;
  /** The connection's request parser, whose kept buffers the cron trims like the reply's. */
  queryBuffer: KeptBuffers | null = null;

  constructor(
    readonly server: ServerCore,
    readonly id: number,
    readonly address: ClientAddress,
  ) {
    this.db = server.keyspace.db(0);
    this.reply.onError = (message) => server.stats.countError(message);
    this.authenticated = !server.acl.authRequired;
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
  }

  selectDb(index: number): void {
    this.dbIndex = index;
    this.db = this.server.keyspace.db(index);
  }
}
