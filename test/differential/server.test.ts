// The server commands clients and redis-benchmark rely on, where the reply is deterministic:
// CONFIG GET of single parameters and its errors, CONFIG SET errors, FUNCTION FLUSH, TIME's shape
// (its two numbers masked). CONFIG GET with a glob returns pairs in Redis's hash order, so those
// replies are compared as sorted pairs.

import { Differential, infoFields, same, sortedPairs } from '../helpers/differential.js';

describe('differential: server commands', () => {
  const diff = Differential.suite();

  same(diff, 'CONFIG GET what clients and redis-benchmark ask for', [
    ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'GET', 'appendonly'],
    ['CONFIG', 'GET', 'databases'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'GET', 'maxmemory-policy'],
    ['CONFIG', 'GET', 'proto-max-bulk-len'],
    ['CONFIG', 'GET', 'client-query-buffer-limit'],
    ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'GET', 'SAVE'],
    ['CONFIG', 'GET', 'nosuchparameter'],
    ['CONFIG', 'GET'],
  ]);
  same(diff, 'CONFIG GET with several names and globs (pairs sorted)', [
    { cmd: ['CONFIG', 'GET', 'save', 'appendonly', 'databases'], mask: sortedPairs },
    { cmd: ['CONFIG', 'GET', 'maxmemory*'], mask: sortedPairs },
    { cmd: ['CONFIG', 'GET', 'proto-max-bulk-le?'], mask: sortedPairs },
    { cmd: ['CONFIG', 'GET', 'databases', 'databases'], mask: sortedPairs },
  ]);
  same(diff, 'CONFIG SET and its errors', [
    ['CONFIG', 'SET', 'maxmemory', '100mb'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['CONFIG', 'SET', 'maxmemory', 'lots'],
    ['CONFIG', 'SET', 'nosuchparameter', '1'],
    ['CONFIG', 'SET', 'databases', '4'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'bogus'],
    ['CONFIG', 'SET', 'maxmemory'],
    ['CONFIG', 'SET', 'maxmemory', '1mb', 'maxmemory', '2mb'],
    ['CONFIG', 'SET', 'timeout', '-1'],
    ['CONFIG', 'SET', 'timeout', '0'],
  ]);
  same(diff, 'CONFIG SET of the 64-bit integer parameters up to LLONG_MAX', [
    ...['slowlog-log-slower-than', 'slowlog-max-len', 'latency-monitor-threshold', 'cluster-node-timeout'].flatMap((name) => [
      ['CONFIG', 'SET', name, '9223372036854775807'],
      ['CONFIG', 'GET', name],
      ['CONFIG', 'SET', name, '9223372036854775808'],
      ['CONFIG', 'SET', name, '-9223372036854775808'],
    ]),
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
    ['CONFIG', 'SET', 'slowlog-max-len', '128'],
    ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
    ['CONFIG', 'SET', 'cluster-node-timeout', '15000'],
  ]);
  same(diff, 'CONFIG SET client-output-buffer-limit: sizes as memtoull reads them, soft seconds as an int', [
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1KB 2Mb 3'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'NORMAL 1 2 3 Replica 4 5 6'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal mb 0 0'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 99999999999999999999999 17179869185gb 0'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 +5 pubsub 1 2 -0'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 007 pubsub 1 2 4294967301'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 -4294967295'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal -0 0 0'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal -1 0 0'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1.5 0 0'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 -5'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 0x10'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 2147483648'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 99999999999999999999'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3'],
    ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
  ]);
  // One read per request and one write per reply here, as each request waits for its reply.
  same(diff, 'INFO stats counts the reads and reply writes since CONFIG RESETSTAT', [
    ['CONFIG', 'RESETSTAT'],
    ['PING'],
    ['SET', 'k', 'v'],
    { cmd: ['INFO', 'stats'], mask: infoFields('total_reads_processed', 'total_writes_processed') },
    { raw: '*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n', replies: 2 },
    { cmd: ['INFO', 'stats'], mask: infoFields('total_reads_processed', 'total_writes_processed') },
  ]);
  same(diff, 'FUNCTION FLUSH and TIME (numbers masked)', [
    ['FUNCTION', 'FLUSH'],
    ['FUNCTION', 'FLUSH', 'ASYNC'],
    ['FUNCTION', 'FLUSH', 'SYNC'],
    ['FUNCTION', 'FLUSH', 'BOGUS'],
    { cmd: ['TIME'], mask: (r) => r.replace(/\$\d+\r\n\d+\r\n/g, '<n>') },
    ['TIME', 'x'],
  ]);
});
