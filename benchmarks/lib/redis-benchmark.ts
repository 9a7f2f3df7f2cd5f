// Runs redis-benchmark and reads its --csv output. Redis 7.0 prints:
//   "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
// one row per test. Error replies count as answered requests in its figures, so stderr is
// watched for "Error from server" and reported: a run full of errors measures nothing.

import { spawn } from 'node:child_process';

export interface BenchRow {
  test: string;
  rps: number;
  avgMs: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BenchRun {
  rows: BenchRow[];
  /** First "Error from server" line, when the server answered errors. */
  serverError: string | null;
}

/** Splits one CSV line of quoted fields (redis-benchmark quotes every field). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  const pattern = /"((?:[^"]|"")*)"/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(line)) !== null) fields.push(match[1].replace(/""/g, '"'));
  return fields;
}

export function parseCsv(text: string): BenchRow[] {
  const rows: BenchRow[] = [];
  let columns: string[] | null = null;
  for (const line of text.split('\n')) {
    const fields = csvFields(line.trim());
    if (fields.length === 0) continue;
    if (fields[0] === 'test') {
      columns = fields;
      continue;
    }
    if (columns === null) continue;
    const get = (name: string): number => {
      const i = (columns as string[]).indexOf(name);
      if (i < 0) throw new Error(`redis-benchmark CSV has no ${name} column: ${(columns as string[]).join(',')}`);
      return Number(fields[i]);
    };
    rows.push({
      test: fields[0],
      rps: get('rps'),
      avgMs: get('avg_latency_ms'),
      minMs: get('min_latency_ms'),
      p50Ms: get('p50_latency_ms'),
      p95Ms: get('p95_latency_ms'),
      p99Ms: get('p99_latency_ms'),
      maxMs: get('max_latency_ms'),
    });
  }
  return rows;
}

export function runRedisBenchmark(port: number, args: readonly string[]): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '--csv', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('latin1').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('exit', (code) => {
      const serverError = /Error from server:[^\n]*/.exec(err + out)?.[0] ?? null;
      if (code !== 0) {
        reject(new Error(`redis-benchmark ${args.join(' ')} exited with ${code}: ${(err || out).trim().slice(0, 300)}`));
        return;
      }
      resolve({ rows: parseCsv(out), serverError });
    });
  });
}
