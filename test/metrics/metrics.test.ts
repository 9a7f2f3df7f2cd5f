import { expect } from 'chai';
import http from 'node:http';
import { MetricsServer } from '../../src/metrics/metrics-server.js';
import { createServer, type RingcacheServer } from '../../src/server/server.js';
import { RawClient } from '../helpers/raw-client.js';

function get(port: number, path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      })
      .on('error', reject);
  });
}

/** Prometheus text format: `name{labels} value` lines, keyed by name plus label text. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** INFO read the way redis_exporter reads it: `# Section` headers, then key:value lines. */
function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('# ')) {
      current = new Map();
      sections.set(line.slice(2), current);
    } else if (line.includes(':')) {
      const colon = line.indexOf(':');
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}

function bulkText(reply: string): string {
  return reply.slice(reply.indexOf('\r\n') + 2, -2);
}

describe('metrics endpoint and INFO', function () {
  this.timeout(10000);
  let server: RingcacheServer;
  let metrics: MetricsServer;
  let client: RawClient;

  before(async () => {
    server = await createServer({ port: 0, config: { databases: 4 } }).listen();
    metrics = await new MetricsServer(server.core, { port: 0, host: '127.0.0.1' }).listen();
    client = await RawClient.connect(server.port);
  });

  after(async () => {
    await client.close();
    await metrics.close();
    await server.close();
  });

  it('serves redis_exporter names with values that follow the commands run', async () => {
    await client.call('SET', 'a', '1');
    await client.call('SET', 'b', '2', 'EX', '100');
    await client.call('GET', 'a');
    await client.call('GET', 'missing');
    await client.call('SELECT', '2');
    await client.call('SET', 'c', '3');
    await client.call('NOSUCH');
    const res = await get(metrics.port, '/metrics');
    expect(res.status).to.equal(200);
    expect(res.type).to.contain('text/plain');
    const m = parseMetrics(res.body);
    expect(m.get('redis_commands_total{cmd="set"}')).to.equal(3);
    expect(m.get('redis_commands_total{cmd="get"}')).to.equal(2);
    expect(m.get('redis_commands_processed_total')).to.equal(6);
    expect(m.get('redis_keyspace_hits_total')).to.equal(1);
    expect(m.get('redis_keyspace_misses_total')).to.equal(1);
    expect(m.get('redis_db_keys{db="db0"}')).to.equal(2);
    expect(m.get('redis_db_keys_expiring{db="db0"}')).to.equal(1);
    expect(m.get('redis_db_keys{db="db2"}')).to.equal(1);
    expect(m.get('redis_connected_clients')).to.equal(1);
    expect(m.get('redis_errors_total{err="ERR"}')).to.equal(1);
    expect(m.get('redis_memory_max_bytes')).to.equal(0);
    // Started with port 0: the port it picked, not 0.
    expect(res.body).to.contain(`tcp_port="${server.port}"`);
    // At 2^64-1, redis_exporter shows INFO's signed -1 and CONFIG GET's unsigned value.
    expect(await client.call('CONFIG', 'SET', 'maxmemory', '18446744073709551615')).to.equal('+OK\r\n');
    const max = parseMetrics((await get(metrics.port, '/metrics')).body);
    expect(await client.call('CONFIG', 'SET', 'maxmemory', '0')).to.equal('+OK\r\n');
    expect(max.get('redis_memory_max_bytes')).to.equal(-1);
    expect(max.get('redis_config_maxmemory')).to.equal(18446744073709551615);
    expect(m.get('redis_net_input_bytes_total')).to.be.greaterThan(0);
    expect(m.get('redis_net_output_bytes_total')).to.be.greaterThan(0);
    expect(m.get('ringcache_cluster_redirects_total{kind="moved"}')).to.equal(0);
    expect(m.get('ringcache_command_latency_seconds_count{cmd="set"}')).to.equal(3);
    expect(m.get('ringcache_command_latency_seconds_bucket{cmd="set",le="+Inf"}')).to.equal(3);
    expect(m.get('redis_commands_duration_seconds_total{cmd="set"}')).to.be.greaterThan(0);
    // prom-client's Node runtime metrics ride along.
    expect(res.body).to.contain('nodejs_eventloop_lag_seconds');
    expect(res.body).to.contain('nodejs_heap_size_used_bytes');
    expect((await get(metrics.port, '/nope')).status).to.equal(404);
  });

  it('writes INFO that parses as redis_exporter parses it, latencystats included', async () => {
    const info = parseInfo(bulkText(await client.call('INFO', 'everything')));
    expect([...info.keys()]).to.deep.equal([
      'Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules',
      'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace',
    ]);
    expect(info.get('Server')?.get('tcp_port')).to.equal(String(server.port));
    expect(info.get('Keyspace')?.get('db0')).to.match(/^keys=2,expires=1,avg_ttl=\d+$/);
    expect(info.get('Commandstats')?.get('cmdstat_set')).to.match(/^calls=3,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    expect(info.get('Errorstats')?.get('errorstat_ERR')).to.equal('count=1');
    expect(info.get('Latencystats')?.get('latency_percentiles_usec_set')).to.match(/^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
    await client.call('CONFIG', 'RESETSTAT');
    const reset = parseInfo(bulkText(await client.call('INFO', 'latencystats', 'commandstats')));
    expect(reset.get('Latencystats')?.has('latency_percentiles_usec_set')).to.equal(false);
    expect(reset.get('Commandstats')?.has('cmdstat_set')).to.equal(false);
  });

  it('holds writes during CLIENT PAUSE WRITE and runs them on UNPAUSE, in order', async () => {
    const writer = await RawClient.connect(server.port);
    try {
      expect(await client.call('CLIENT', 'PAUSE', '100000', 'WRITE')).to.equal('+OK\r\n');
      expect(await writer.call('GET', 'a')).to.equal('$1\r\n1\r\n');
      writer.write('*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\np\r\n');
      const during = await writer.settle(100);
      expect(during.data).to.equal('');
      expect(await client.call('EXISTS', 'p')).to.equal(':0\r\n');
      expect(await client.call('CLIENT', 'UNPAUSE')).to.equal('+OK\r\n');
      expect(await writer.readReply()).to.equal('+OK\r\n');
      expect(await writer.readReply()).to.equal('$1\r\n1\r\n');
    } finally {
      await writer.close();
    }
  });
});
