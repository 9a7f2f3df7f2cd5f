// The whole per-command path without sockets: request bytes through the parser, ServerCore.execute
// (lookup, arity, auth/ACL, cluster, pause, MULTI, statistics, diagnostics), the handler, the
// engine and the reply writer, as `-P 16` traffic reaches them (16 requests per read, one
// take() per read). What is left of a request's CPU cost under pipelining once the socket's
// share is gone, so a change to the dispatch path shows here without the load generator's noise.

import { Config } from '../../src/config/config.js';
import { RequestParser } from '../../src/protocol/request-parser.js';
import { ServerCore } from '../../src/server/core.js';
import { encodeCommand } from '../lib/resp-client.js';
import { measure, type MicroOptions, type MicroResult } from './harness.js';

const PIPELINE = 16;
const key = (i: number): string => `key:${String(i).padStart(12, '0')}`;

interface Scenario {
  name: string;
  /** The i-th request of the stream. */
  command(i: number, rand: () => number): string[];
}

export interface DispatchResult {
  name: string;
  result: MicroResult;
}

export function dispatchBenchmarks(keys: number, options: MicroOptions): DispatchResult[] {
  const scenarios: Scenario[] = [
    { name: 'SET key:<12 digits> xxx', command: (_, r) => ['SET', key(r()), 'xxx'] },
    { name: 'GET key:<12 digits>', command: (_, r) => ['GET', key(r())] },
    { name: 'MSET, 10 keys', command: (_, r) => ['MSET', ...Array.from({ length: 10 }, () => [key(r()), 'xxx']).flat()] },
    { name: 'MGET, 10 keys', command: (_, r) => ['MGET', ...Array.from({ length: 10 }, () => key(r()))] },
  ];
  const core = new ServerCore({ config: new Config({}) });
  const client = core.createClient({ addr: '127.0.0.1:50000', laddr: '127.0.0.1:6379', fd: 8 });
  for (let i = 0; i < keys; i++) core.execute(client, ['SET', key(i), 'xxx']);
  client.reply.take();
  let seed = 12345;
  const rand = (): number => {
    // xorshift: the same key sequence every run, spread over the whole keyspace like -r.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % keys;
  };
  const results: DispatchResult[] = [];
  for (const scenario of scenarios) {
    // Distinct requests so every key string is fresh, as from a socket; 16 per chunk.
    const chunks: Buffer[] = [];
    for (let c = 0; c < 4096; c++) {
      let text = '';
      for (let j = 0; j < PIPELINE; j++) text += encodeCommand(scenario.command(c * PIPELINE + j, rand));
      chunks.push(Buffer.from(text, 'latin1'));
    }
    const parser = new RequestParser({ maxBulkLen: 512 * 2 ** 20, queryBufferLimit: 2 ** 30 });
    let next = 0;
    const workload = (): { ops: number } => {
      let ops = 0;
      for (let n = 0; n < 64; n++) {
        parser.feed(chunks[next]);
        next = (next + 1) % chunks.length;
        for (let args = parser.next(); args !== null; args = parser.next()) {
          core.execute(client, args);
          ops++;
        }
        client.reply.take();
      }
      return { ops };
    };
    results.push({ name: scenario.name, result: measure(scenario.name, workload, options) });
  }
  return results;
}
