// Drives a RequestParser the way a connection does, over any split of the input, and reports
// the requests it produced and the protocol error it raised, if any.

import { ProtocolError, RequestParser, type ParserLimits } from '../../src/protocol/request-parser.js';

export const DEFAULT_LIMITS: ParserLimits = { maxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 };

export interface ParseOutcome {
  requests: string[][];
  /** The ProtocolError's message, or null when the input was accepted (possibly incomplete). */
  error: string | null;
  /** Whether that error is answered (false: the connection is dropped silently). */
  errorReplied: boolean | null;
  /** Bytes still held, waiting for the rest of a request. */
  pending: number;
}

export interface ParseOptions {
  limits?: Partial<ParserLimits>;
  unauthenticated?: boolean;
}

/** Feeds `pieces` one by one, draining complete requests after each, as Connection does. */
export function parsePieces(pieces: Buffer[], options: ParseOptions = {}): ParseOutcome {
  const parser = new RequestParser({ ...DEFAULT_LIMITS, ...options.limits });
  parser.unauthenticated = options.unauthenticated ?? false;
  const requests: string[][] = [];
  try {
    for (const piece of pieces) {
      parser.feed(piece);
      for (let req = parser.next(); req !== null; req = parser.next()) requests.push(req);
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { requests, error: err.message, errorReplied: err.reply, pending: parser.pendingBytes };
  }
  return { requests, error: null, errorReplied: null, pending: parser.pendingBytes };
}

/** The input cut before each offset in `cuts` (ascending, inside the input). */
export function cutAt(input: Buffer, cuts: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(input.subarray(from, cut));
    from = cut;
  }
  pieces.push(input.subarray(from));
  // Copies, so that a parser keeping a piece cannot see it change and pieces never share memory.
  return pieces.map((p) => Buffer.from(p));
}

export function byteByByte(input: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < input.length; i++) pieces.push(input.subarray(i, i + 1));
  return pieces;
}

/** Every way of cutting the input in two, or a spread sample of them for big inputs. */
export function twoPieceCuts(input: Buffer, maxSplits = 256): number[] {
  const offsets: number[] = [];
  if (input.length <= 2048) {
    for (let i = 1; i < input.length; i++) offsets.push(i);
    return offsets;
  }
  const step = Math.ceil(input.length / maxSplits);
  for (let i = 1; i < input.length; i += step) offsets.push(i);
  for (let i = Math.max(1, input.length - 64); i < input.length; i++) offsets.push(i);
  return offsets;
}

/** latin1: one char per byte, so test inputs can hold any byte. */
export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}
