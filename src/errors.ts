// Every error reply ringcache sends, worded byte for byte as Redis 7 words it. Clients and
// scripts match on these texts, so they live in one place and are never composed ad hoc.

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_DECREMENT_OVERFLOW = 'ERR decrement would overflow';
export const ERR_INCR_NAN_INF = 'ERR increment would produce NaN or Infinity';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_INVALID_EXPIRE = (command: string): string => `ERR invalid expire time in '${command}' command`;
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const ERR_OFFSET_RANGE = 'ERR offset is out of range';
export const ERR_LCS_IDX_AND_LEN = 'ERR If you want both the length and indexes, please just use IDX.';
export const ERR_LCS_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';
export const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
export const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
export const ERR_TIMEOUT_INVALID = 'ERR timeout is not an integer or out of range';
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";

export const ERR_WRONG_ARITY = (command: string): string => `ERR wrong number of arguments for '${command}' command`;
export const ERR_UNKNOWN_SUBCOMMAND = (sub: string, command: string): string =>
  `ERR unknown subcommand '${cString(sub).slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`;
export const ERR_WRONG_SUBCOMMAND_ARITY = (command: string, sub: string): string =>
  `ERR wrong number of arguments for '${command}|${sub}' command`;

/**
 * Redis quotes at most 128 bytes of the name and of each argument, and lists arguments until the
 * message would pass 128 bytes.
 */
export function unknownCommand(args: readonly string[]): string {
  const name = cString(args[0]).slice(0, 128);
  let listed = '';
  for (let i = 1; i < args.length && listed.length < 128; i++) {
    listed += `'${cString(args[i]).slice(0, 128 - listed.length)}' `;
  }
  return `ERR unknown command '${sanitize(name)}', with args beginning with: ${sanitize(listed)}`;
}

/** Redis formats these with %s, which stops at the first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** Redis replaces newlines in user text echoed inside errors, so the reply stays one line. */
function sanitize(s: string): string {
  return s.replace(/[\r\n]/g, ' ');
}

// Request protocol: the connection is closed after these
export const ERR_PROTO_MULTIBULK_LENGTH = 'ERR Protocol error: invalid multibulk length';
export const ERR_PROTO_BULK_LENGTH = 'ERR Protocol error: invalid bulk length';
export const ERR_PROTO_INLINE_TOO_BIG = 'ERR Protocol error: too big inline request';
export const ERR_PROTO_MBULK_COUNT_TOO_BIG = 'ERR Protocol error: too big mbulk count string';
export const ERR_PROTO_BULK_COUNT_TOO_BIG = 'ERR Protocol error: too big bulk count string';
export const ERR_PROTO_UNBALANCED_QUOTES = 'ERR Protocol error: unbalanced quotes in request';
export const ERR_PROTO_UNAUTH_MULTIBULK = 'ERR Protocol error: unauthenticated multibulk length';
export const ERR_PROTO_UNAUTH_BULK = 'ERR Protocol error: unauthenticated bulk length';
/** Redis prints the offending byte with %c. */
export const ERR_PROTO_EXPECTED_DOLLAR = (got: number): string =>
  `ERR Protocol error: expected '$', got '${String.fromCharCode(got)}'`;

// Keyspace and expiry
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';
export const ERR_INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';
export const ERR_SWAPDB_FIRST_INDEX = 'ERR invalid first DB index';
export const ERR_SWAPDB_SECOND_INDEX = 'ERR invalid second DB index';
export const ERR_SWAPDB_CLUSTER = 'ERR SWAPDB is not allowed in cluster mode';
export const ERR_MOVE_CLUSTER = 'ERR MOVE is not allowed in cluster mode';
export const ERR_COPY_CLUSTER = 'ERR Copying to another database is not allowed in cluster mode';
export const ERR_EXPIRE_NX_COMBINED = 'ERR NX and XX, GT or LT options at the same time are not compatible';
export const ERR_EXPIRE_GT_LT = 'ERR GT and LT options at the same time are not compatible';
/** Redis formats the option with %s (stops at NUL) and turns newlines into spaces. */
export const ERR_UNSUPPORTED_OPTION = (option: string): string =>
  `ERR Unsupported option ${sanitize(cString(option))}`;
export const ERR_LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
export const ERR_LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

// Transactions
export const ERR_MULTI_NESTED = 'ERR MULTI calls can not be nested';
export const ERR_EXEC_WITHOUT_MULTI = 'ERR EXEC without MULTI';
export const ERR_DISCARD_WITHOUT_MULTI = 'ERR DISCARD without MULTI';
export const ERR_WATCH_IN_MULTI = 'ERR WATCH inside MULTI is not allowed';
export const ERR_EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
/** EXEC itself refused (wrong arity...): the reason loses its `ERR ` code, as in Redis's execCommandAbort. */
export const ERR_EXECABORT_BECAUSE = (reason: string): string =>
  `EXECABORT Transaction discarded because of: ${reason.startsWith('ERR ') ? reason.slice(4) : reason}`;
export const ERR_NOT_IN_MULTI = 'ERR Command not allowed inside a transaction';
// Pub/Sub
export const ERR_SUBSCRIBED_CONTEXT = (fullName: string): string =>
  `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
export const ERR_SSUBSCRIBE_DENY_BLOCKING = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client";

// COMMAND GETKEYS
export const ERR_GETKEYS_INVALID_COMMAND = 'ERR Invalid command specified';
export const ERR_GETKEYS_NO_KEYS = 'ERR The command has no key arguments';
export const ERR_GETKEYS_ARITY = 'ERR Invalid number of arguments specified for command';
export const ERR_GETKEYS_INVALID_ARGUMENTS = 'ERR Invalid arguments specified for command';

// Connection and authentication
export const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const ERR_AUTH_NOT_CONFIGURED =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const ERR_PROTOCOL_VERSION = 'NOPROTO unsupported protocol version';
export const ERR_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';
export const ERR_MAX_CLIENTS = 'ERR max number of clients reached';
/** Redis 7.0.15's protected-mode refusal, typo included ("Setup a an"), sent before closing. */
export const ERR_DENIED_PROTECTED_MODE =
  "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";
export const ERR_HELLO_PROTOVER = 'ERR Protocol version is not an integer or out of range';
export const ERR_HELLO_OPTION = (option: string): string => `ERR Syntax error in HELLO option '${cString(option)}'`;
export const ERR_HELLO_NOAUTH =
  'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
export const ERR_CLIENT_TYPE = (type: string): string => `ERR Unknown client type '${cString(type)}'`;
export const ERR_CLIENT_ID_INVALID = 'ERR Invalid client ID';
export const ERR_CLIENT_ID_POSITIVE = 'ERR client-id should be greater than 0';
export const ERR_NO_SUCH_CLIENT = 'ERR No such client';
export const ERR_NO_SUCH_USER = (user: string): string => `ERR No such user '${cString(user)}'`;
export const ERR_SETINFO_OPTION = (option: string): string => `ERR Unrecognized option '${cString(option)}'`;
/** Redis names the attribute as the client spelled it. */
export const ERR_SETINFO_VALUE = (option: string): string =>
  `ERR ${cString(option)} cannot contain spaces, newlines or special characters.`;
/** addReplySubcommandSyntaxError: the subcommand as sent, at most 128 bytes, and the command in capitals. */
export const ERR_SUBCOMMAND_SYNTAX = (sub: string, command: string): string =>
  `ERR unknown subcommand or wrong number of arguments for '${cString(sub).slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`;
export const ERR_FUNCTION_FLUSH_MODE = 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option';

// Configuration
export const ERR_CONFIG_UNKNOWN = (name: string): string => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
/** The text of a refused CONFIG SET, without the `ERR ` prefix (config.ts's ConfigError adds none). */
export const CONFIG_SET_FAILED = (name: string, reason: string): string =>
  `CONFIG SET failed (possibly related to argument '${cString(name)}') - ${reason}`;
export const ERR_CONFIG_SET_FAILED = (name: string, reason: string): string => `ERR ${CONFIG_SET_FAILED(name, reason)}`;
export const CONFIG_IMMUTABLE = "can't set immutable config";
export const CONFIG_DUPLICATE = 'duplicate parameter';
export const CONFIG_MAXCLIENTS_OS = (cap: number): string => `The operating system is not able to handle the specified number of clients, try with ${cap}`;
export const ERR_NO_CONFIG_FILE = 'ERR The server is running without a config file';
/** Redis appends strerror(errno) of the failed write. */
export const ERR_CONFIG_REWRITE = (reason: string): string => `ERR Rewriting config file: ${reason}`;
/** SHUTDOWN ABORT: ringcache's shutdown never waits for replicas, so there is never one to abort. */
export const ERR_NO_SHUTDOWN_IN_PROGRESS = 'ERR No shutdown in progress.';
/** Redis's answer when a shutdown cannot proceed (a failed save there; no server to stop here). */
export const ERR_SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';

// Cluster
export const ERR_CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
export const ERR_SLOT_NOT_SERVED = 'CLUSTERDOWN Hash slot not served';
export const ERR_CLUSTER_DOWN = 'CLUSTERDOWN The cluster is down';
export const ERR_TRYAGAIN = 'TRYAGAIN Multiple keys request during rehashing of slot';
export const ERR_CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';
export const ERR_SELECT_CLUSTER = 'ERR SELECT is not allowed in cluster mode';
export const ERR_INVALID_SLOT = 'ERR Invalid slot';
export const ERR_INVALID_SLOT_OR_COUNT = 'ERR Invalid slot or number of keys';
export const ERR_SLOT_OUT_OF_RANGE = 'ERR Invalid or out of range slot';
export const ERR_SLOT_BUSY = (slot: number): string => `ERR Slot ${slot} is already busy`;
export const ERR_SLOT_UNASSIGNED = (slot: number): string => `ERR Slot ${slot} is already unassigned`;
export const ERR_SLOT_REPEATED = (slot: number): string => `ERR Slot ${slot} specified multiple times`;
export const ERR_SLOT_RANGE_ORDER = (start: number, end: number): string =>
  `ERR start slot number ${start} is greater than end slot number ${end}`;
export const ERR_FLUSHSLOTS_NOT_EMPTY = 'ERR DB must be empty to perform CLUSTER FLUSHSLOTS.';
export const ERR_CONFIG_EPOCH_INVALID = (epoch: string): string => `ERR Invalid config epoch specified: ${epoch}`;
export const ERR_CONFIG_EPOCH_NOT_ALONE = 'ERR The user can assign a config epoch only when the node does not know any other node.';
export const ERR_CONFIG_EPOCH_SET = 'ERR Node config epoch is already non-zero';
export const ERR_UNKNOWN_NODE = (id: string): string => `ERR Unknown node ${cString(id)}`;
export const ERR_SETSLOT_UNKNOWN_NODE = (id: string): string => `ERR I don't know about node ${cString(id)}`;
export const ERR_SETSLOT_REPLICA = 'ERR Please use SETSLOT only with masters.';
export const ERR_SETSLOT_NOT_OWNER = (slot: number): string => `ERR I'm not the owner of hash slot ${slot}`;
export const ERR_SETSLOT_ALREADY_OWNER = (slot: number): string => `ERR I'm already the owner of hash slot ${slot}`;
export const ERR_SETSLOT_TARGET_REPLICA = 'ERR Target node is not a master';
export const ERR_SETSLOT_TO_REPLICA = (slot: number): string => `ERR Can't assign hashslot ${slot} to a replica node.`;
export const ERR_SETSLOT_KEYS_LEFT = (slot: number): string =>
  `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`;
export const ERR_SETSLOT_ACTION = 'ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP';
export const ERR_FORGET_MYSELF = "ERR I tried hard but I can't forget myself...";
export const ERR_FORGET_MY_MASTER = "ERR Can't forget my master!";
export const ERR_RESET_WITH_KEYS = "ERR CLUSTER RESET can't be called with master nodes containing keys";
export const ERR_REPLICATE_MYSELF = "ERR Can't replicate myself";
export const ERR_REPLICATE_REPLICA = 'ERR I can only replicate a master, not a replica.';
export const ERR_REPLICATE_NOT_EMPTY = 'ERR To set a master the node must be empty and without assigned slots.';
export const ERR_NOT_A_MASTER = 'ERR The specified node is not a master';
export const ERR_MEET_PORT = (port: string): string => `ERR Invalid TCP base port specified: ${cString(port)}`;
export const ERR_MEET_BUS_PORT = (port: string): string => `ERR Invalid TCP bus port specified: ${cString(port)}`;
export const ERR_MEET_ADDRESS = (ip: string, port: string): string => `ERR Invalid node address specified: ${cString(ip)}:${cString(port)}`;
export const ERR_GOSSIP_MESSAGE = 'ERR Invalid cluster gossip message';
/** ringcache's own: CLUSTER REBALANCE-RING while this node already drives one. */
export const ERR_REBALANCE_RUNNING = 'ERR a ring rebalance is already running on this node';

// Introspection (SLOWLOG, LATENCY, MEMORY, DEBUG, CLIENT PAUSE)
export const ERR_SLOWLOG_COUNT = 'ERR count should be greater than or equal to -1';
export const ERR_DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';
export const ERR_DEBUG_RELOAD_OPTION = 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.';
export const ERR_DEBUG_PROTOCOL_TYPE =
  'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';
export const ERR_RESP2_NOT_SUPPORTED = 'ERR RESP2 is not supported by this command';
export const ERR_MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';
/** ringcache's own: the DEBUG subcommands that crash or restart Redis are refused, never run. */
export const ERR_DEBUG_CRASH_REFUSED = (sub: string): string => `ERR DEBUG ${cString(sub).slice(0, 128).toUpperCase()} is refused: ringcache does not crash or restart on request`;
export const ERR_LATENCY_NO_SAMPLES = (event: string): string => `ERR No samples available for event '${cString(event)}'`;
export const ERR_PAUSE_TIMEOUT = 'ERR timeout is not an integer or out of range';
export const ERR_PAUSE_NEGATIVE = 'ERR timeout is negative';
export const ERR_PAUSE_MODE = 'ERR CLIENT PAUSE mode must be WRITE or ALL';
// DUMP, RESTORE, MIGRATE
export const ERR_DUMP_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const ERR_BAD_DATA_FORMAT = 'ERR Bad data format';
export const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
export const ERR_RESTORE_TTL = 'ERR Invalid TTL value, must be >= 0';
export const ERR_RESTORE_IDLETIME = 'ERR Invalid IDLETIME value, must be >= 0';
export const ERR_RESTORE_FREQ = 'ERR Invalid FREQ value, must be >= 0 and <= 255';
export const ERR_MIGRATE_KEYS_KEY = 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string';
export const ERR_MIGRATE_TARGET = (reply: string): string => `ERR Target instance replied with error: ${reply}`;
export const ERR_MIGRATE_IO = (phase: 'writing' | 'reading'): string => `IOERR error or timeout ${phase} to target instance`;
/** ringcache's own: MIGRATE waits on the network, which a transaction's EXEC cannot. */
export const ERR_MIGRATE_IN_MULTI = 'ERR MIGRATE is not supported inside MULTI/EXEC';
export const ERR_MIGRATE_CONNECT = 'IOERR error or timeout connecting to the client';
