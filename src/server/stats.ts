// Server-wide counters for INFO stats, INFO commandstats and the metrics endpoint.

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export class ServerStats {
  commandsProcessed = 0;
  connectionsReceived = 0;
  rejectedConnections = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  /** Exceptions caught in handlers: bugs, reported in INFO so they are not silent. */
  internalErrors = 0;
  /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
  readonly errorCodes = new Map<string, number>();
  private readonly commands = new Map<string, CommandStats>();

  /** The counters of one command, by full name (`get`, `config|get`), created on first use. */
  command(fullName: string): CommandStats {
    let stat = this.commands.get(fullName);
    if (stat === undefined) {
      stat = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.commands.set(fullName, stat);
    }
    return stat;
  }

  commandEntries(): IterableIterator<[string, CommandStats]> {
    return this.commands.entries();
  }

  countError(message: string): void {
    const space = message.indexOf(' ');
    const code = space === -1 ? message : message.slice(0, space);
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.commandsProcessed = 0;
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.errorCodes.clear();
    this.commands.clear();
  }
}
