// Who listens to what: the server's channels, patterns and shard channels, each with its
// subscribed clients, and each client's own subscriptions (what UNSUBSCRIBE without arguments
// drops, what CLIENT LIST's sub=/psub=/ssub= count). Delivery writes the message into every
// receiver's reply buffer and tells its connection to send it.

import type { Client } from '../server/client.js';
import { ByteStringMap, ByteStringSet } from '../util/byte-string-map.js';
import { globMatch } from '../util/glob.js';
import type { PublishRelay } from './relay.js';

/** The three kinds of subscription, as Redis keeps them apart. */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** One client's subscriptions; a client has none of these objects until it subscribes. */
export class ClientSubscriptions {
  readonly channels = new ByteStringSet();
  readonly patterns = new ByteStringSet();
  readonly shard = new ByteStringSet();

  of(kind: SubscriptionKind): ByteStringSet {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shard;
  }

  get total(): number {
    return this.channels.size + this.patterns.size + this.shard.size;
  }
}

/**
 * The count a (un)subscribe reply carries: channels and patterns together, shard channels on
 * their own, as in Redis 7.0.
 */
export function subscriptionCount(c: Client, kind: SubscriptionKind): number {
  const subs = c.subscriptions;
  if (subs === null) return 0;
  return kind === 'shard' ? subs.shard.size : subs.channels.size + subs.patterns.size;
}

/** Names are client-chosen bytes of any length, hence ByteStringMap (see there). */
export class PubSubHub {
  readonly channels = new ByteStringMap<Set<Client>>();
  readonly patterns = new ByteStringMap<Set<Client>>();
  readonly shardChannels = new ByteStringMap<Set<Client>>();
  /** In cluster mode, the links that carry PUBLISH to the other nodes; made on first use. */
  relay: PublishRelay | null = null;

  /** Closes the relay links (server shutdown). */
  close(): void {
    this.relay?.close();
    this.relay = null;
  }

  private registry(kind: SubscriptionKind): ByteStringMap<Set<Client>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  /** Adds one subscription; false when the client already had it. */
  subscribe(c: Client, kind: SubscriptionKind, name: string): boolean {
    c.subscriptions ??= new ClientSubscriptions();
    const own = c.subscriptions.of(kind);
    if (own.has(name)) return false;
    own.add(name);
    const registry = this.registry(kind);
    let clients = registry.get(name);
    if (clients === undefined) {
      clients = new Set();
      registry.set(name, clients);
    }
    clients.add(c);
    return true;
  }

  /** Drops one subscription; false when the client did not have it. */
  unsubscribe(c: Client, kind: SubscriptionKind, name: string): boolean {
    const subs = c.subscriptions;
    if (subs === null || !subs.of(kind).delete(name)) return false;
    const registry = this.registry(kind);
    const clients = registry.get(name);
    if (clients !== undefined) {
      clients.delete(c);
      if (clients.size === 0) registry.delete(name);
    }
    // A client with no subscription left is an ordinary client again (RESP2 restrictions lifted).
    if (subs.total === 0) c.subscriptions = null;
    return true;
  }

  /** The client's subscriptions of one kind, in the order they were made. */
  subscribedTo(c: Client, kind: SubscriptionKind): string[] {
    return c.subscriptions === null ? [] : [...c.subscriptions.of(kind)];
  }

  /** Drops everything a client listens to, silently (RESET, disconnection). */
  dropClient(c: Client): void {
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      for (const name of this.subscribedTo(c, kind)) this.unsubscribe(c, kind, name);
    }
  }

  /**
   * Delivers a message to the channel's subscribers, then to every matching pattern's, and
   * returns how many deliveries were made (a client matching twice counts twice, as in Redis).
   */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const direct = this.channels.get(channel);
    if (direct !== undefined) {
      for (const c of direct) {
        c.reply.push(3);
        c.reply.bulk('message');
        c.reply.bulk(channel);
        c.reply.bulk(message);
        c.onPush?.();
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        c.reply.push(4);
        c.reply.bulk('pmessage');
        c.reply.bulk(pattern);
        c.reply.bulk(channel);
        c.reply.bulk(message);
        c.onPush?.();
        receivers++;
      }
    }
    return receivers;
  }

  /** Delivers a message to a shard channel's subscribers (SPUBLISH); patterns play no part. */
  publishShard(channel: string, message: string): number {
    const clients = this.shardChannels.get(channel);
    if (clients === undefined) return 0;
    for (const c of clients) {
      c.reply.push(3);
      c.reply.bulk('smessage');
      c.reply.bulk(channel);
      c.reply.bulk(message);
      c.onPush?.();
    }
    return clients.size;
  }
}
