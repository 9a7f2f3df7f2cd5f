// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE,
// SUNSUBSCRIBE, SPUBLISH, the PUBSUB container, and the internal RINGCACHE-PUBLISH by which a
// cluster node delivers a message published on another node. Shard channels sit where keys
// do (their key spec routes them by slot); plain channels reach every node.

import { ERR_CLUSTER_DISABLED, ERR_SSUBSCRIBE_DENY_BLOCKING, ERR_SUBCOMMAND_SYNTAX } from '../errors.js';
import { subscriptionCount, type SubscriptionKind } from '../pubsub/hub.js';
import { PublishRelay, RELAY_COMMAND } from '../pubsub/relay.js';
import type { Client } from '../server/client.js';
import type { ByteStringMap } from '../util/byte-string-map.js';
import { globMatch } from '../util/glob.js';
import { replyHelp } from './help-reply.js';
import type { CommandFamily, CommandSpec } from './types.js';

const pubsubSubcommand = (name: string, arity: number, summary: string, since: string, complexity: string, syntax: string, handler: CommandSpec['handler']): CommandSpec => ({
  name,
  arity,
  flags: ['pubsub', 'loading', 'stale'],
  keys: [0, 0, 0],
  group: 'pubsub',
  since,
  summary,
  complexity,
  syntax,
  handler,
});

const pubsubSubcommands: CommandSpec[] = [
  pubsubSubcommand(
    'channels',
    -2,
    'List active channels',
    '2.8.0',
    'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
    '[pattern]',
    (c, args) => listChannels(c, args, c.server.pubsub.channels),
  ),
  pubsubSubcommand(
    'numsub',
    -2,
    'Get the count of subscribers for channels',
    '2.8.0',
    'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
    '[channel [channel ...]]',
    (c, args) => countSubscribers(c, args, c.server.pubsub.channels),
  ),
  pubsubSubcommand('numpat', 2, 'Get the count of unique patterns pattern subscriptions', '2.8.0', 'O(1)', '', numpat),
  pubsubSubcommand(
    'shardchannels',
    -2,
    'List active shard channels',
    '7.0.0',
    'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
    '[pattern]',
    (c, args) => listChannels(c, args, c.server.pubsub.shardChannels),
  ),
  pubsubSubcommand(
    'shardnumsub',
    -2,
    'Get the count of subscribers for shard channels',
    '7.0.0',
    'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
    '[shardchannel [shardchannel ...]]',
    (c, args) => countSubscribers(c, args, c.server.pubsub.shardChannels),
  ),
  {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '6.2.0',
    summary: 'Show helpful text about the different subcommands',
    complexity: 'O(1)',
    syntax: '',
    handler: help,
  },
];

const LISTEN_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

export const pubsubCommands: CommandFamily = [
  {
    name: 'subscribe',
    arity: -2,
    flags: LISTEN_FLAGS,
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.0.0',
    summary: 'Listen for messages published to the given channels',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    syntax: 'channel [channel ...]',
    handler: (c, args) => subscribe(c, args, 'channel', 'subscribe'),
  },
  {
    name: 'unsubscribe',
    arity: -1,
    flags: LISTEN_FLAGS,
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.0.0',
    summary: 'Stop listening for messages posted to the given channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    syntax: '[channel [channel ...]]',
    handler: (c, args) => unsubscribe(c, args, 'channel', 'unsubscribe'),
  },
  {
    name: 'psubscribe',
    arity: -2,
    flags: LISTEN_FLAGS,
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.0.0',
    summary: 'Listen for messages published to channels matching the given patterns',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    syntax: 'pattern [pattern ...]',
    handler: (c, args) => subscribe(c, args, 'pattern', 'psubscribe'),
  },
  {
    name: 'punsubscribe',
    arity: -1,
    flags: LISTEN_FLAGS,
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.0.0',
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    complexity:
      'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    syntax: '[pattern [pattern ...]]',
    handler: (c, args) => unsubscribe(c, args, 'pattern', 'punsubscribe'),
  },
  {
    name: 'publish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.0.0',
    summary: 'Post a message to a channel',
    complexity:
      'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    syntax: 'channel message',
    handler: publish,
  },
  {
    name: 'ssubscribe',
    arity: -2,
    flags: LISTEN_FLAGS,
    keys: [1, -1, 1],
    keySpecFlags: ['not_key'],
    group: 'pubsub',
    since: '7.0.0',
    summary: 'Listen for messages published to the given shard channels',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    syntax: 'shardchannel [shardchannel ...]',
    handler: ssubscribe,
  },
  {
    name: 'sunsubscribe',
    arity: -1,
    flags: LISTEN_FLAGS,
    keys: [1, -1, 1],
    keySpecFlags: ['not_key'],
    group: 'pubsub',
    since: '7.0.0',
    summary: 'Stop listening for messages posted to the given shard channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    syntax: '[shardchannel [shardchannel ...]]',
    handler: (c, args) => unsubscribe(c, args, 'shard', 'sunsubscribe'),
  },
  {
    name: 'spublish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    keys: [1, 1, 1],
    keySpecFlags: ['not_key'],
    group: 'pubsub',
    since: '7.0.0',
    summary: 'Post a message to a shard channel',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    syntax: 'shardchannel message',
    handler: spublish,
  },
  {
    name: 'pubsub',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '2.8.0',
    summary: 'A container for Pub/Sub commands',
    complexity: 'Depends on subcommand.',
    syntax: '',
    subcommands: pubsubSubcommands,
  },
  {
    // Internal to ringcache clusters: admin, so an ACL user without @admin cannot inject messages.
    name: RELAY_COMMAND,
    arity: 3,
    flags: ['admin', 'pubsub', 'noscript', 'loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    group: 'pubsub',
    since: '1.0.0',
    summary: "Deliver a message published on another cluster node to this node's subscribers (internal)",
    complexity: 'O(N+M) as PUBLISH, without passing the message on to other nodes.',
    syntax: 'channel message',
    handler: relayedPublish,
  },
];

/** The (un)subscribe confirmation: what was done, to what, and the client's count after it. */
function confirm(c: Client, action: string, name: string | null, kind: SubscriptionKind): void {
  c.reply.push(3);
  c.reply.bulk(action);
  if (name === null) c.reply.nullBulk();
  else c.reply.bulk(name);
  c.reply.integer(subscriptionCount(c, kind));
}

// SUBSCRIBE channel [channel ...] / PSUBSCRIBE pattern [pattern ...]
function subscribe(c: Client, args: string[], kind: SubscriptionKind, action: string): void {
  for (let i = 1; i < args.length; i++) {
    c.server.pubsub.subscribe(c, kind, args[i]);
    confirm(c, action, args[i], kind);
  }
}

// SSUBSCRIBE shardchannel [shardchannel ...]
function ssubscribe(c: Client, args: string[]): void {
  // Redis refuses it inside EXEC (SUBSCRIBE is let through there for backward compatibility).
  if (c.multi !== null) {
    c.reply.error(ERR_SSUBSCRIBE_DENY_BLOCKING);
    return;
  }
  subscribe(c, args, 'shard', 'ssubscribe');
}

// UNSUBSCRIBE [channel ...] / PUNSUBSCRIBE [pattern ...] / SUNSUBSCRIBE [shardchannel ...]
function unsubscribe(c: Client, args: string[], kind: SubscriptionKind, action: string): void {
  const hub = c.server.pubsub;
  const names = args.length > 1 ? args.slice(1) : hub.subscribedTo(c, kind);
  if (names.length === 0) {
    confirm(c, action, null, kind);
    return;
  }
  for (const name of names) {
    hub.unsubscribe(c, kind, name);
    confirm(c, action, name, kind);
  }
}

// PUBLISH channel message
function publish(c: Client, args: string[]): void {
  const server = c.server;
  const receivers = server.pubsub.publish(args[1], args[2]);
  const cluster = server.cluster;
  if (cluster !== null && cluster.topology !== null) {
    const peers = cluster.topology.peers.filter((peer) => peer !== cluster.myself && !peer.failing);
    if (peers.length > 0) {
      server.pubsub.relay ??= new PublishRelay(() => server.config.get('requirepass'));
      server.pubsub.relay.forward(peers, args[1], args[2]);
    }
  }
  c.reply.integer(receivers);
}

// SPUBLISH shardchannel message
function spublish(c: Client, args: string[]): void {
  c.reply.integer(c.server.pubsub.publishShard(args[1], args[2]));
}

// RINGCACHE-PUBLISH channel message
function relayedPublish(c: Client, args: string[]): void {
  if (c.server.cluster === null) {
    c.reply.error(ERR_CLUSTER_DISABLED);
    return;
  }
  c.reply.integer(c.server.pubsub.publish(args[1], args[2]));
}

// PUBSUB CHANNELS [pattern] / PUBSUB SHARDCHANNELS [pattern]
function listChannels(c: Client, args: string[], registry: ByteStringMap<unknown>): void {
  if (args.length > 3) {
    c.reply.error(ERR_SUBCOMMAND_SYNTAX(args[1], args[0]));
    return;
  }
  const pattern = args.length === 3 ? args[2] : null;
  const found: string[] = [];
  for (const channel of registry.keys()) {
    if (pattern === null || globMatch(pattern, channel)) found.push(channel);
  }
  c.reply.bulkArray(found);
}

// PUBSUB NUMSUB [channel ...] / PUBSUB SHARDNUMSUB [shardchannel ...]
function countSubscribers(c: Client, args: string[], registry: ByteStringMap<ReadonlySet<Client>>): void {
  c.reply.array((args.length - 2) * 2);
  for (let i = 2; i < args.length; i++) {
    c.reply.bulk(args[i]);
    c.reply.integer(registry.get(args[i])?.size ?? 0);
  }
}

// PUBSUB NUMPAT
function numpat(c: Client): void {
  c.reply.integer(c.server.pubsub.patterns.size);
}

const HELP_LINES = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

// PUBSUB HELP
function help(c: Client, args: string[]): void {
  replyHelp(c, args[0], HELP_LINES);
}
