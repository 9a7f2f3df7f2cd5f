// Node addresses as cluster-nodes lists them: `host:port`, separated by commas or spaces.

export interface NodeAddress {
  host: string;
  port: number;
}

/** `host:port` as MOVED replies and the ring spell it (an IPv6 host is not bracketed, as in Redis). */
export function formatAddress(address: NodeAddress): string {
  return `${address.host}:${address.port}`;
}

/** Parses one `host:port` (or `[v6]:port`); null when it is not one. */
export function parseAddress(text: string): NodeAddress | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  let host = text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = text.slice(colon + 1);
  if (host === '' || !/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { host, port };
}

/** The cluster-nodes list, duplicates removed; throws with the reason when an entry is malformed. */
export function parseNodeList(text: string): NodeAddress[] {
  const seen = new Set<string>();
  const out: NodeAddress[] = [];
  for (const entry of text.split(/[\s,]+/)) {
    if (entry === '') continue;
    const address = parseAddress(entry);
    if (address === null) throw new Error(`'${entry}' is not a host:port address`);
    const key = formatAddress(address);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(address);
  }
  return out;
}

/** The validate hook of the cluster-nodes parameter: null when the list parses. */
export function nodeListError(text: string): string | null {
  try {
    parseNodeList(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
