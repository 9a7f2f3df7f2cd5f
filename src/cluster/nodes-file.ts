// The cluster nodes file (cluster-config-file, relative to dir), in Redis's nodes.conf format:
// one CLUSTER NODES line per node, then a `vars` line. It is what lets a restarted node keep its
// 40-hex-digit id, and remember the ids it had learned of the others.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SLOT_COUNT } from './crc16.js';

export const NODE_ID_PATTERN = /^[0-9a-f]{40}$/;

/** One saved line: a member as this node last saw it. */
export interface SavedPeer {
  id: string;
  host: string;
  port: number;
  cport: number;
  myself: boolean;
  masterId: string | null;
  configEpoch: number;
  /** Slot ranges as [start, end] pairs. */
  ranges: [number, number][];
}

/**
 * What a nodes file says: this node's id, the ids it knew others by (by host:port), the whole
 * view, and the slots this node had open (a reshard interrupted by a restart resumes with them,
 * as Redis's clusterLoadConfig restores migrating_slots_to / importing_slots_from).
 */
export interface SavedNodes {
  myId: string;
  idsByAddress: Map<string, string>;
  peers: SavedPeer[];
  currentEpoch: number;
  /** Slot → id of the node it was being moved to (`[slot->-id]`). */
  migrating: Map<number, string>;
  /** Slot → id of the node it was being taken from (`[slot-<-id]`). */
  importing: Map<number, string>;
}

export function newNodeId(): string {
  return randomBytes(20).toString('hex');
}

export function nodesFilePath(dir: string, file: string): string {
  return isAbsolute(file) ? file : join(dir, file);
}

/** Reads a nodes file; null when there is none yet (or it is empty, as Redis treats it). */
export function readNodesFile(path: string): SavedNodes | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'latin1');
  if (text.trim() === '') return null;
  let myId: string | null = null;
  let currentEpoch = 0;
  const idsByAddress = new Map<string, string>();
  const peers: SavedPeer[] = [];
  const migrating = new Map<number, string>();
  const importing = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('vars ')) {
      const vars = line.split(' ');
      const at = vars.indexOf('currentEpoch');
      if (at !== -1) currentEpoch = Number(vars[at + 1]) || 0;
      continue;
    }
    const fields = line.split(' ');
    const id = fields[0];
    const [address, cport] = (fields[1] ?? '').split('@');
    const colon = address.lastIndexOf(':');
    if (!NODE_ID_PATTERN.test(id) || colon === -1 || fields.length < 8) {
      throw new Error(`Unrecoverable error: corrupted cluster config file "${line}".`);
    }
    const myself = fields[2].split(',').includes('myself');
    if (myself) myId = id;
    else idsByAddress.set(address, id);
    for (const field of fields.slice(8)) {
      if (!field.startsWith('[')) continue;
      const marker = parseMarker(field);
      if (marker === null) throw new Error(`Unrecoverable error: corrupted cluster config file "${line}".`);
      // Only this node's own line carries markers; a stray one elsewhere is ignored.
      if (myself) (marker.outgoing ? migrating : importing).set(marker.slot, marker.id);
    }
    const port = Number(address.slice(colon + 1));
    peers.push({
      id,
      host: address.slice(0, colon),
      port,
      cport: cport === undefined ? port + 10000 : Number(cport),
      myself,
      masterId: fields[3] === '-' ? null : fields[3],
      configEpoch: Number(fields[6]) || 0,
      ranges: fields.slice(8).flatMap(parseRange),
    });
  }
  if (myId === null) throw new Error(`Unrecoverable error: corrupted cluster config file "${path}" has no myself line.`);
  return { myId, idsByAddress, peers, currentEpoch, migrating, importing };
}

/** `[slot->-id]` (migrating to id) or `[slot-<-id]` (importing from id); null when malformed. */
function parseMarker(text: string): { slot: number; outgoing: boolean; id: string } | null {
  const match = /^\[(\d+)-([<>])-([0-9a-f]{40})\]$/.exec(text);
  if (match === null) return null;
  const slot = Number(match[1]);
  if (slot >= SLOT_COUNT) return null;
  return { slot, outgoing: match[2] === '>', id: match[3] };
}

/** `5`, `0-5460`, or a migration marker (`[5->-id]`, not part of the saved ownership). */
function parseRange(text: string): [number, number][] {
  if (text.startsWith('[')) return [];
  const [start, end] = text.split('-').map(Number);
  return [[start, end ?? start]];
}

/** Writes the whole file at once, through a temporary file, so a crash never leaves half of it. */
export function writeNodesFile(path: string, lines: string, currentEpoch: number): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${lines}vars currentEpoch ${currentEpoch} lastVoteEpoch 0\n`, 'latin1');
  renameSync(temp, path);
}
