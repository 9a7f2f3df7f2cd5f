// The socket side of a client: feeds bytes to the request parser, runs every complete request
// of one read in order, and sends all their replies in one write. A client whose unsent replies
// pile up is not read from until its socket drains, so it cannot grow the server's memory.

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ProtocolError, RequestParser } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { ServerCore } from './core.js';
import type { ClusterNode } from '../cluster/cluster-node.js';
import { clientType } from './client-list.js';
import { checkOutputLimit, outputBufferLimits, type OutputBufferLimit } from './output-buffer-limits.js';
import { NOT_WRITTEN, writeDirect } from './direct-write.js';
import { readDirect } from './direct-read.js';
import { hotOf } from './spec-hot.js';

/** Unsent reply bytes above which the client's requests are no longer read. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;
/**
 * The most one client may run in one turn of the event loop. libuv reads a busy socket up to 32
 * times in a row, and a pipelining client can fill every read; without a bound, one client held
 * the loop for 80-200 ms while timers and every other client waited.
 */
const TURN_BUDGET_MS = 2;
/** The clock is read once per this many commands, not per command. */
const COMMANDS_PER_CLOCK_READ = 32;
/**
 * Requests parsed ahead of running them, so that their keys can be looked up together
 * (Database.prefetch): a lookup in a big keyspace is several dependent cache misses, which one
 * key after another pay in series and a batch overlaps. 16 is what redis-benchmark -P 16 sends
 * per read, and the prefetch window.
 */
const PARSE_AHEAD = 16;
/**
 * Request bytes parsed ahead at most: parsed requests no longer count against the query buffer
 * limit, so only small ones are taken ahead of their turn.
 */
const PARSE_AHEAD_BYTES = 16 * 1024;
const NO_ARGS: string[] = [];

/**
 * Turns of the event loop, counted only while some client runs long enough to read the clock.
 * libuv hands a busy socket's reads over one after another within one turn (up to 32 of 64 KB),
 * so a client's budget must span all its reads of that turn, not restart with each one: per
 * read, a pipelining loader held the loop for 50-65 ms. The count moves in the check phase,
 * after the turn's reads.
 */
let loopTurn = 0;
let turnEndScheduled = false;
function endTurn(): void {
  loopTurn++;
  turnEndScheduled = false;
}
function currentTurn(): number {
  if (!turnEndScheduled) {
    turnEndScheduled = true;
    setImmediate(endTurn);
  }
  return loopTurn;
}

/**
 * Writes the nodes file that the replies about to leave may acknowledge. Should the write fail,
 * the save stays due (saveSoon tries it again once this turn is over, and so does the next flush
 * with replies), so that those replies never leave before it succeeds; the error goes on up.
 */
function saveBeforeReplies(cluster: ClusterNode): void {
  try {
    cluster.save();
  } catch (err) {
    cluster.saveSoon();
    throw err;
  }
}

export class Connection {
  readonly parser: RequestParser;
  /** Whether reads land in the shared buffer (direct-read.ts) rather than come as 'data' events. */
  readonly directRead: boolean;
  private processing = false;
  private paused = false;
  /** Set while the client gave up the rest of its turn and waits for setImmediate to go on. */
  private yielded = false;
  private closed = false;
  /** When the unsent replies went over the soft output limit (0: they are not over it). */
  private softLimitSince = 0;
  /** Bytes of a direct write (direct-write.ts) that libuv still holds; Node's stream does not count them. */
  private directPending = 0;
  /** The event-loop turn this client's time budget belongs to, and when that budget started. */
  private budgetTurn = -1;
  private budgetStart = 0;
  private readonly directWriteDone = (ok: boolean): void => {
    this.directPending = 0;
    if (!ok) {
      this.socket.destroy();
      return;
    }
    this.noteInteraction();
    this.onDrain();
  };
  /**
   * Requests parsed but not yet run, in order from `queueHead` (see fillQueue). The head stays
   * while CLIENT PAUSE holds it, the client is blocked, or the turn ended before it.
   */
  private readonly queue: string[][] = [];
  private queueHead = 0;
  /** Entries of `queue` in use; the array itself only grows (truncating it is a runtime call). */
  private queueLength = 0;
  /** A protocol error met while parsing ahead: raised once the requests before it have run. */
  private parseError: unknown = null;
  private readonly resumeAfterPause = (): void => {
    this.client.postponed = false;
    if (!this.closed) this.runRequests();
  };

  constructor(
    private readonly core: ServerCore,
    readonly socket: Socket,
    readonly client: Client,
    private readonly onGone: (connection: Connection) => void,
  ) {
    this.parser = new RequestParser(core.parserLimits);
    this.parser.unauthenticated = !client.authenticated;
    client.queryBuffer = this.parser;
    client.onClose = () => this.closeSoon();
    client.onPush = () => {
      if (this.processing) return;
      this.noteInteraction();
      this.flush();
    };
    socket.setNoDelay(true);
    this.directRead = readDirect(socket, (chunk) => this.onRead(chunk));
    if (!this.directRead) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.noteInteraction();
      this.onDrain();
    });
    // A vanished peer is routine; the error must not escape and take the process down.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onSocketClose());
  }

  /** A read into the shared buffer (direct-read.ts): what the parser keeps must be copied off it. */
  private onRead(chunk: Buffer): void {
    // Even when something throws out of onData (a failed nodes-file save in flush): a host that
    // catches the error must not be left with a parser reading the next connection's bytes.
    try {
      this.onData(chunk);
    } finally {
      this.parser.detach();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.core.stats.netInputBytes += chunk.length;
    this.core.stats.readsProcessed++;
    try {
      this.parser.feed(chunk);
    } catch (err) {
      this.fail(err);
      this.flush();
      return;
    }
    this.runRequests();
    // Redis counts every read as an interaction (readQueryFromClient sets lastinteraction), so
    // that `timeout` spares a client still sending a request. A read whose requests all ran
    // needs no clock read here: each command's start set the time.
    if (this.parser.pendingBytes !== 0) this.noteInteraction();
  }

  /**
   * Runs the complete requests buffered in the parser, in order, then sends their replies in one
   * write. Stops early once the replies waiting to leave pass the threshold: one read can hold
   * thousands of pipelined requests, and their replies must not all be built before the socket
   * takes any. The rest stay parsed-but-unrun until the socket drains.
   */
  private runRequests(): void {
    this.processing = true;
    // The turn's clock starts at its 32nd command, not before the first: an unpipelined read
    // holds one command and never needs the clock, so the budget is 2 ms past those 32.
    let sinceClockRead = 0;
    const limit = this.outputLimit();
    // The clock batch (ServerCore.beginBatch) starts after parsing, so that parsing ahead and the
    // prefetch count towards no command's time; requests left from an earlier turn start one now.
    if (this.queueHead < this.queueLength) this.core.beginBatch();
    try {
      for (;;) {
        if (limit !== null && this.overOutputLimit(limit)) {
          this.dropForOutputLimit();
          break;
        }
        if (this.backlogged()) {
          this.pause();
          break;
        }
        if (this.client.blockedOn !== null) break;
        if (this.queueHead === this.queueLength) {
          if (!this.fillQueue()) break;
          this.core.beginBatch();
        }
        const args = this.queue[this.queueHead];
        if (!this.core.execute(this.client, args)) {
          // CLIENT PAUSE holds it: keep it, and everything after it, until the pause ends.
          this.client.postponed = true;
          this.core.pause.whenOver(this.resumeAfterPause);
          break;
        }
        // Not kept once run: a big request would otherwise stay reachable until the next one.
        this.queue[this.queueHead++] = NO_ARGS;
        this.parser.unauthenticated = !this.client.authenticated;
        if (this.client.blockedOn !== null) {
          this.resumeWhenSettled(this.client.blockedOn);
          break;
        }
        if (this.client.closeAfterReply) break;
        if (++sinceClockRead === COMMANDS_PER_CLOCK_READ) {
          sinceClockRead = 0;
          const now = performance.now();
          const turn = currentTurn();
          if (this.budgetTurn !== turn) {
            this.budgetTurn = turn;
            this.budgetStart = now;
          } else if (now - this.budgetStart > TURN_BUDGET_MS) {
            this.yieldTurn();
            break;
          }
        }
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.core.endBatch();
      this.processing = false;
    }
    this.flush();
  }

  /**
   * Parses the next requests into the emptied queue and warms their keys; false when no complete
   * request is buffered. Parsing ahead stops after any request that is not a plain keyed command
   * (AUTH, HELLO, RESET, CONFIG, SELECT, MULTI, an unknown command...): what such a command does
   * may change how the next request parses (the unauthenticated size caps, proto-max-bulk-len)
   * or which database its key is in, so the requests after it are parsed only once it has run.
   * An unauthenticated client's requests are parsed one at a time, as before.
   */
  private fillQueue(): boolean {
    const queue = this.queue;
    this.queueHead = 0;
    this.queueLength = 0;
    const parser = this.parser;
    if (this.parseError !== null) {
      const err = this.parseError;
      this.parseError = null;
      throw err;
    }
    const first = parser.next();
    if (first === null) return false;
    queue[0] = first;
    if (parser.unauthenticated) {
      this.queueLength = 1;
      return true;
    }
    let n = 1;
    const core = this.core;
    const warm: string[] = [];
    const startBytes = parser.pendingBytes;
    let args: string[] | null = first;
    for (;;) {
      const spec = core.lookupCommand(args[0]);
      if (spec === undefined || spec.subcommands !== undefined || spec.getKeys !== undefined) break;
      const firstKey = hotOf(spec).firstKey;
      if (firstKey <= 0) break;
      if (firstKey < args.length) warm.push(args[firstKey]);
      if (n === PARSE_AHEAD || startBytes - parser.pendingBytes > PARSE_AHEAD_BYTES) break;
      try {
        args = parser.next();
      } catch (err) {
        // Redis runs every request before the malformed one, then answers the error.
        this.parseError = err;
        break;
      }
      if (args === null) break;
      queue[n++] = args;
    }
    this.queueLength = n;
    // A key of the last request (a barrier) is not warmed; one request alone gains nothing.
    if (warm.length > 1) this.client.db.prefetch(warm, 0, 1);
    return true;
  }

  /** Runs the requests that waited behind a blocking command once it has replied. */
  private resumeWhenSettled(blocker: Promise<void>): void {
    void blocker.finally(() => {
      if (this.client.blockedOn === blocker) this.client.blockedOn = null;
      if (!this.closed) this.runRequests();
    });
  }

  /**
   * Stops reading and runs the rest later, after the event loop has turned: the replies so far
   * leave now (in order, in one write), and the requests already received wait in the parser.
   */
  private yieldTurn(): void {
    if (this.yielded) return;
    this.yielded = true;
    this.socket.pause();
    setImmediate(() => {
      this.yielded = false;
      if (this.closed) return;
      this.runRequests();
      if (!this.yielded && !this.paused && !this.closed) this.socket.resume();
    });
  }

  private backlogged(): boolean {
    return this.client.reply.pending + this.unsent() > BACKPRESSURE_BYTES;
  }

  /** Reply bytes handed to the socket and not yet taken by the kernel. */
  private unsent(): number {
    return this.socket.writableLength + this.directPending;
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /**
   * A protocol error gets its reply (when Redis sends one) and closes the connection. Any other
   * exception is a bug: it is logged and counted, and only this connection pays for it.
   */
  private fail(err: unknown): void {
    if (err instanceof ProtocolError) {
      if (err.reply) {
        this.client.reply.error(err.message);
      } else {
        // Redis drops such a client at once, unsent replies included.
        this.closed = true;
        this.socket.destroy();
      }
    } else {
      this.core.stats.internalErrors++;
      console.error('ringcache: connection dropped after an internal error:', err);
    }
    this.client.closeAfterReply = true;
  }

  /**
   * Redis counts a read (see onData) and a write to the client as an interaction (writeToClient
   * sets lastinteraction): a subscriber or MONITOR client receiving messages shows idle=0 in
   * CLIENT LIST (checked on redis-server 7.0), and the cron then does not treat it as idle and
   * drop its reply buffer. A command's own replies need no clock read here: its start already
   * set the time.
   */
  private noteInteraction(): void {
    this.client.lastInteraction = this.core.clock.now();
  }

  /** Sends whatever replies are pending, then closes if a command or error asked for it. */
  flush(): void {
    if (this.closed) return;
    // A cluster change these replies acknowledge is on disk before they leave (see saveSoon).
    // Saved before they are taken: a failed save throws, and the replies must still be there.
    const cluster = this.core.cluster;
    if (cluster !== null && cluster.saveDue && this.client.reply.pending !== 0) saveBeforeReplies(cluster);
    const out = this.client.reply.take();
    if (out !== null) {
      this.core.stats.netOutputBytes += out.length;
      this.core.stats.writesProcessed++;
      const held = this.directPending === 0 ? writeDirect(this.socket, out, this.directWriteDone) : NOT_WRITTEN;
      if (held === NOT_WRITTEN) this.socket.write(out);
      else if (held === 0) this.client.reply.sent();
      else this.directPending = held;
    }
    if (this.client.closeAfterReply) {
      this.closed = true;
      this.socket.end();
      // Reading on (onData drops what comes) lets the peer's FIN finish the close. A socket left
      // paused (backpressure, a yielded turn) waits for the grace timer, is reset with unread
      // input, and is not an active handle: a shutting-down process could end before close() did.
      this.socket.resume();
      return;
    }
    const limit = this.outputLimit();
    if (limit !== null && this.overOutputLimit(limit)) {
      this.dropForOutputLimit();
      return;
    }
    if (this.unsent() > BACKPRESSURE_BYTES) this.pause();
  }

  /** Redis drops such a client with its unsent replies: keeping them is what the limit prevents. */
  private dropForOutputLimit(): void {
    this.closed = true;
    this.client.reply.take();
    this.socket.destroy();
  }

  /** client-output-buffer-limit for the client's class (a subscriber is pubsub, else normal); null when unlimited. */
  private outputLimit(): OutputBufferLimit | null {
    const limits = outputBufferLimits(this.core.config.get('client-output-buffer-limit'));
    const limit = clientType(this.client) === 'pubsub' ? limits.pubsub : limits.normal;
    return limit.hard === 0 && limit.soft === 0 ? null : limit;
  }

  private overOutputLimit(limit: OutputBufferLimit): boolean {
    const used = this.client.reply.pending + this.unsent();
    const verdict = checkOutputLimit(limit, used, this.core.clock.now(), this.softLimitSince);
    this.softLimitSince = verdict.softSince;
    return verdict.close;
  }

  /** The socket took its replies: run what was left waiting, then read again if still clear. */
  private onDrain(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.runRequests();
    if (!this.paused && !this.yielded && !this.closed) this.socket.resume();
  }

  /** True while the client's requests are not read because its replies are not taken. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Closes after the current batch of replies (QUIT, CLIENT KILL, shutdown). */
  closeSoon(): void {
    this.client.closeAfterReply = true;
    if (!this.processing) this.flush();
  }

  private onSocketClose(): void {
    this.closed = true;
    this.onGone(this);
  }
}
