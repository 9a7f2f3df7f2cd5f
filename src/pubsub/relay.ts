// PUBLISH in cluster mode reaches the subscribers of every node, as Redis's cluster bus carries
// it: each node keeps one client connection to each peer and hands the message over with
// RINGCACHE-PUBLISH, which delivers it there without passing it on again. Delivery is
// fire-and-forget, as on Redis's bus: a peer that is down misses the message, and PUBLISH
// counts only this node's receivers, as Redis's does.

import net from 'node:net';

/** The internal command a peer runs to deliver a relayed message to its own subscribers. */
export const RELAY_COMMAND = 'ringcache-publish';

/** Where a message goes: a peer's client address. */
export interface RelayTarget {
  readonly host: string;
  readonly port: number;
}

function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

/** One connection to one peer; replies are read and dropped (nobody waits for them). */
class RelayLink {
  private socket: net.Socket | null = null;

  constructor(
    private readonly target: RelayTarget,
    private readonly password: () => string,
  ) {}

  send(request: string): void {
    const socket = this.socket ?? this.connect();
    socket.write(request, 'latin1');
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    // A relay link must never keep a process alive that is otherwise done.
    socket.unref();
    socket.on('data', () => undefined);
    const drop = (): void => {
      if (this.socket === socket) this.socket = null;
      socket.destroy();
    };
    socket.on('error', drop);
    socket.on('close', drop);
    this.socket = socket;
    // Nodes of one cluster share their password, as they share their slot map.
    const password = this.password();
    if (password !== '') socket.write(encode(['AUTH', password]), 'latin1');
    return socket;
  }
}

export class PublishRelay {
  private readonly links = new Map<string, RelayLink>();

  /** `password` is read at each connection, so a changed requirepass is followed. */
  constructor(private readonly password: () => string) {}

  /** Hands the message to every target; links to former peers are closed. */
  forward(targets: readonly RelayTarget[], channel: string, message: string): void {
    const request = encode([RELAY_COMMAND, channel, message]);
    const wanted = new Set<string>();
    for (const target of targets) {
      const address = `${target.host}:${target.port}`;
      wanted.add(address);
      let link = this.links.get(address);
      if (link === undefined) {
        link = new RelayLink(target, this.password);
        this.links.set(address, link);
      }
      link.send(request);
    }
    for (const [address, link] of this.links) {
      if (!wanted.has(address)) {
        link.close();
        this.links.delete(address);
      }
    }
  }

  close(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }
}
