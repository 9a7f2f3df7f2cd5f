// The cluster nodes file (cluster-config-file, relative to dir), in Redis's nodes.conf format:
// one CLUSTER NODES line per node, then a `vars` line. It is what lets a restarted node keep its
// 40-hex-digit id, and remember the ids it had learned of the others.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const NODE_ID_PATTERN = /^[0-9a-f]{40}$/;

/** What a nodes file says: this node's id, and the ids it knew others by (by host:port). */
export interface SavedNodes {
  myId: string;
  idsByAddress: Map<string, string>;
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
  const idsByAddress = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('vars ')) continue;
    const fields = line.split(' ');
    const id = fields[0];
    const address = fields[1]?.split('@')[0];
    if (!NODE_ID_PATTERN.test(id) || address === undefined || fields.length < 8) {
      throw new Error(`Unrecoverable error: corrupted cluster config file "${line}".`);
    }
    if (fields[2].split(',').includes('myself')) myId = id;
    else idsByAddress.set(address, id);
  }
  if (myId === null) throw new Error(`Unrecoverable error: corrupted cluster config file "${path}" has no myself line.`);
  return { myId, idsByAddress };
}

/** Writes the whole file at once, through a temporary file, so a crash never leaves half of it. */
export function writeNodesFile(path: string, lines: string, currentEpoch: number): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${lines}vars currentEpoch ${currentEpoch} lastVoteEpoch 0\n`, 'latin1');
  renameSync(temp, path);
}
