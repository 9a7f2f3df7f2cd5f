// Fills a server with keys of exact sizes over one pipelined connection, for the memory and scale
// scenarios. redis-benchmark cannot do this exactly: its keys are `key:` plus 12 random digits
// drawn with repetition, so neither the count nor the set of keys would be exact.

import net from 'node:net';
import RedisParser from 'redis-parser';

export interface FillOptions {
  port: number;
  count: number;
  /** First key index; keys are `key:` + zero-padded index, keySize bytes in all. */
  start?: number;
  keySize?: number;
  valueSize?: number;
  /** SET ... EX ttlSeconds when given. */
  ttlSeconds?: number;
  /** Commands per socket write. */
  batch?: number;
  /** Batches sent ahead of their replies. */
  window?: number;
  /** Called after every batch is answered, with the number of keys answered so far. */
  onProgress?: (done: number) => void;
}

export interface FillResult {
  ok: number;
  errors: number;
  firstError: string | null;
  seconds: number;
}

export function keyName(index: number, keySize: number): string {
  const digits = keySize - 4;
  const text = String(index);
  if (text.length > digits) throw new RangeError(`key index ${index} does not fit in ${keySize} bytes`);
  return 'key:' + text.padStart(digits, '0');
}

function valueFor(index: number, valueSize: number): string {
  const tail = String(index % 1e12).padStart(12, '0');
  return valueSize > 12 ? 'v'.repeat(valueSize - 12) + tail : tail.slice(12 - valueSize);
}

export function fill(options: FillOptions): Promise<FillResult> {
  const keySize = options.keySize ?? 16;
  const valueSize = options.valueSize ?? 32;
  const batch = options.batch ?? 1000;
  const window = options.window ?? 8;
  const start = options.start ?? 0;
  const count = options.count;
  const ttl = options.ttlSeconds === undefined ? '' : `$2\r\nEX\r\n$${String(options.ttlSeconds).length}\r\n${options.ttlSeconds}\r\n`;
  const head = ttl === '' ? '*3\r\n$3\r\nSET\r\n' : '*5\r\n$3\r\nSET\r\n';
  const keyHead = `$${keySize}\r\n`;
  const valueHead = `\r\n$${valueSize}\r\n`;

  const encodeBatch = (from: number, to: number): Buffer => {
    let text = '';
    for (let i = from; i < to; i++) {
      text += head + keyHead + keyName(start + i, keySize) + valueHead + valueFor(start + i, valueSize) + '\r\n' + ttl;
    }
    return Buffer.from(text, 'latin1');
  };

  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const result: FillResult = { ok: 0, errors: 0, firstError: null, seconds: 0 };
    let sent = 0;
    let answered = 0;
    const socket = net.connect({ port: options.port, host: '127.0.0.1' });
    socket.setNoDelay(true);

    const pump = (): void => {
      while (sent < count && sent - answered < window * batch) {
        const to = Math.min(count, sent + batch);
        socket.write(encodeBatch(sent, to));
        sent = to;
      }
    };
    const onReply = (isError: boolean, text: string): void => {
      answered++;
      if (isError) {
        result.errors++;
        result.firstError ??= text;
      } else {
        result.ok++;
      }
      if (answered % batch === 0 || answered === count) {
        options.onProgress?.(answered);
        pump();
      }
      if (answered === count) {
        result.seconds = Number(process.hrtime.bigint() - began) / 1e9;
        socket.destroy();
        resolve(result);
      }
    };
    const parser = new RedisParser({
      returnReply: (reply) => onReply(false, String(reply)),
      returnError: (err) => onReply(true, err.message),
      returnFatalError: (err) => reject(err),
    });
    socket.on('data', (chunk: Buffer) => parser.execute(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      if (answered < count) reject(new Error(`connection closed after ${answered} of ${count} replies`));
    });
    socket.on('connect', pump);
  });
}
