// Every error reply ringcache sends, worded byte for byte as Redis 7 words it. Clients and
// scripts match on these texts, so they live in one place and are never composed ad hoc.

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_INCR_NAN_INF = 'ERR increment would produce NaN or Infinity';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_INVALID_EXPIRE = (command: string): string => `ERR invalid expire time in '${command}' command`;
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const ERR_OFFSET_RANGE = 'ERR offset is out of range';
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

// Transactions
export const ERR_MULTI_NESTED = 'ERR MULTI calls can not be nested';
export const ERR_EXEC_WITHOUT_MULTI = 'ERR EXEC without MULTI';
export const ERR_DISCARD_WITHOUT_MULTI = 'ERR DISCARD without MULTI';
export const ERR_WATCH_IN_MULTI = 'ERR WATCH inside MULTI is not allowed';
export const ERR_EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

// Connection and authentication
export const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const ERR_AUTH_NOT_CONFIGURED =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const ERR_PROTOCOL_VERSION = 'NOPROTO unsupported protocol version';
export const ERR_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';
export const ERR_MAX_CLIENTS = 'ERR max number of clients reached';

// Configuration
export const ERR_CONFIG_UNKNOWN = (name: string): string => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;

// Cluster
export const ERR_CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
export const ERR_SLOT_NOT_SERVED = 'CLUSTERDOWN Hash slot not served';
export const ERR_CLUSTER_DOWN = 'CLUSTERDOWN The cluster is down';
export const ERR_TRYAGAIN = 'TRYAGAIN Multiple keys request during rehashing of slot';
export const ERR_CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';
export const ERR_SELECT_CLUSTER = 'ERR SELECT is not allowed in cluster mode';
