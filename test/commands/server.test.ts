// Server commands: INFO, CONFIG, TIME, FUNCTION. Reply shapes, field names, section order and
// error texts were checked against redis-server 7.0.15; values that only ringcache defines
// (memory estimates, build ids) are matched by format.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_EXPIRE } from '../../src/engine/shard.js';
import { bytesToHuman } from '../../src/server/info.js';
import { Session, resp } from '../helpers/session.js';

/** The text of an INFO reply (RESP2 bulk), checking the bulk's length on the way. */
function infoText(reply: string): string {
  const m = /^\$(\d+)\r\n/.exec(reply);
  expect(m, `not a bulk: ${JSON.stringify(reply.slice(0, 40))}`).to.not.equal(null);
  const text = reply.slice(m![0].length, -2);
  expect(Buffer.byteLength(text, 'latin1')).to.equal(Number(m![1]));
  expect(reply.endsWith('\r\n')).to.equal(true);
  return text;
}

/** INFO's fields as a map, for one section or many. */
function fields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

function headers(text: string): string[] {
  return text.split('\r\n').filter((line) => line.startsWith('# '));
}

const DEFAULT_HEADERS = [
  '# Server',
  '# Clients',
  '# Memory',
  '# Persistence',
  '# Stats',
  '# Replication',
  '# CPU',
  '# Modules',
  '# Errorstats',
  '# Cluster',
  '# Keyspace',
];
const ALL_HEADERS = [
  '# Server',
  '# Clients',
  '# Memory',
  '# Persistence',
  '# Stats',
  '# Replication',
  '# CPU',
  '# Modules',
  '# Commandstats',
  '# Errorstats',
  '# Latencystats',
  '# Cluster',
  '# Keyspace',
];

describe('server commands', () => {
  describe('INFO', () => {
    it('prints the default sections in Redis order, a blank line between them', () => {
      const text = infoText(new Session().call('INFO'));
      expect(headers(text)).to.deep.equal(DEFAULT_HEADERS);
      expect(text.startsWith('# Server\r\nredis_version:7.0.15\r\n')).to.equal(true);
      expect(text).to.contain('\r\n\r\n# Clients\r\nconnected_clients:1\r\n');
      expect(text).to.contain('\r\n\r\n# Modules\r\n\r\n# Errorstats\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
      expect(text.endsWith('# Keyspace\r\n')).to.equal(true);
      // Every line is a header, a blank separator or field:value.
      for (const line of text.split('\r\n').slice(0, -1)) expect(line).to.match(/^(# [A-Za-z]+|[a-z0-9_|]+:.*|)$/);
      expect(infoText(new Session().call('INFO', 'default'))).to.have.length.greaterThan(0);
      expect(headers(infoText(new Session().call('INFO', 'DEFAULT')))).to.deep.equal(DEFAULT_HEADERS);
    });

    it('all and everything add commandstats and latencystats', () => {
      const s = new Session();
      expect(headers(infoText(s.call('INFO', 'all')))).to.deep.equal(ALL_HEADERS);
      expect(headers(infoText(s.call('INFO', 'everything')))).to.deep.equal(ALL_HEADERS);
      expect(headers(infoText(s.call('INFO', 'default', 'commandstats')))).to.deep.equal(ALL_HEADERS.filter((h) => h !== '# Latencystats'));
    });

    it('prints requested sections in Redis order, once, and nothing for unknown ones', () => {
      const s = new Session();
      expect(headers(infoText(s.call('INFO', 'keyspace', 'cpu', 'CPU')))).to.deep.equal(['# CPU', '# Keyspace']);
      expect(s.call('INFO', 'nosuch')).to.equal('$0\r\n\r\n');
      expect(s.call('INFO', 'cluster')).to.equal(resp.bulk('# Cluster\r\ncluster_enabled:0\r\n'));
      expect(s.call('INFO', 'modules')).to.equal(resp.bulk('# Modules\r\n'));
      // As in Redis, the INFO calls above already have a latency histogram.
      expect(infoText(s.call('INFO', 'latencystats'))).to.match(/^# Latencystats\r\nlatency_percentiles_usec_info:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n$/);
      expect(s.call('INFO', 'cluster', 'nosuch')).to.equal(resp.bulk('# Cluster\r\ncluster_enabled:0\r\n'));
    });

    it('answers a verbatim txt string in RESP3', () => {
      const s = new Session();
      s.call('HELLO', '3');
      expect(s.call('INFO', 'cluster')).to.equal('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
      expect(s.call('INFO', 'nosuch')).to.equal('=4\r\ntxt:\r\n');
    });

    it('server: version, mode, port, clock-driven uptime and times', () => {
      const s = new Session();
      const start = s.clock.now();
      s.clock.advance(90_061_000);
      const f = fields(infoText(s.call('INFO', 'server')));
      expect(f.get('redis_version')).to.equal('7.0.15');
      expect(f.get('redis_mode')).to.equal('standalone');
      expect(f.get('tcp_port')).to.equal('6379');
      expect(f.get('uptime_in_seconds')).to.equal('90061');
      expect(f.get('uptime_in_days')).to.equal('1');
      expect(f.get('server_time_usec')).to.equal(String((start + 90_061_000) * 1000));
      expect(f.get('lru_clock')).to.equal(String(Math.floor((start + 90_061_000) / 1000) & 0xffffff));
      expect(f.get('hz')).to.equal('10');
      expect(f.get('configured_hz')).to.equal('10');
      expect(f.get('arch_bits')).to.match(/^(32|64)$/);
      expect(f.get('process_id')).to.equal(String(process.pid));
      expect(f.get('run_id')).to.match(/^[0-9a-f]{40}$/);
      expect(f.get('ringcache_version')).to.match(/^\d+\.\d+\.\d+/);
      expect(f.get('io_threads_active')).to.equal('0');
      // The run id is drawn once per server.
      expect(fields(infoText(s.call('INFO', 'server'))).get('run_id')).to.equal(f.get('run_id'));
      expect([...f.keys()].slice(0, 6)).to.deep.equal([
        'redis_version',
        'redis_git_sha1',
        'redis_git_dirty',
        'redis_build_id',
        'redis_mode',
        'os',
      ]);
    });

    it('server and cluster sections in cluster mode', () => {
      const s = new Session({ config: { 'cluster-enabled': 'yes' } });
      expect(fields(infoText(s.call('INFO', 'server'))).get('redis_mode')).to.equal('cluster');
      expect(s.call('INFO', 'cluster')).to.equal(resp.bulk('# Cluster\r\ncluster_enabled:1\r\n'));
    });

    it('clients: counts the connected clients', () => {
      const s = new Session();
      s.peer();
      expect(s.call('INFO', 'clients')).to.equal(
        resp.bulk(
          '# Clients\r\nconnected_clients:2\r\ncluster_connections:0\r\nmaxclients:10000\r\n' +
            'client_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:0\r\n' +
            'tracking_clients:0\r\nclients_in_timeout_table:0\r\n',
        ),
      );
    });

    it('memory: maxmemory and its policy, human sizes, and a used_memory that follows the data', () => {
      const s = new Session();
      const before = fields(infoText(s.call('INFO', 'memory')));
      expect(before.get('maxmemory')).to.equal('0');
      expect(before.get('maxmemory_human')).to.equal('0B');
      expect(before.get('maxmemory_policy')).to.equal('noeviction');
      expect(before.get('used_memory')).to.match(/^\d+$/);
      expect(before.get('used_memory_human')).to.match(/^\d+\.\d\d[KMG]$/);
      expect(before.get('used_memory_rss')).to.match(/^\d+$/);
      expect(before.get('mem_fragmentation_ratio')).to.match(/^\d+\.\d\d$/);
      expect(before.get('used_memory_peak_perc')).to.match(/^\d+\.\d\d%$/);
      s.call('SET', 'key', 'x'.repeat(10_000));
      const after = fields(infoText(s.call('INFO', 'memory')));
      expect(Number(after.get('used_memory')) - Number(before.get('used_memory'))).to.be.greaterThan(10_000);
      expect(after.get('used_memory_peak')).to.equal(after.get('used_memory'));
      s.call('CONFIG', 'SET', 'maxmemory', '100mb', 'maxmemory-policy', 'allkeys-lru');
      const limited = fields(infoText(s.call('INFO', 'memory')));
      expect(limited.get('maxmemory')).to.equal('104857600');
      expect(limited.get('maxmemory_human')).to.equal('100.00M');
      expect(limited.get('maxmemory_policy')).to.equal('allkeys-lru');
    });

    it('formats sizes as Redis bytesToHuman', () => {
      expect(bytesToHuman(0)).to.equal('0B');
      expect(bytesToHuman(1023)).to.equal('1023B');
      expect(bytesToHuman(1024)).to.equal('1.00K');
      expect(bytesToHuman(1536)).to.equal('1.50K');
      expect(bytesToHuman(104857600)).to.equal('100.00M');
      expect(bytesToHuman(3 * 1024 ** 3)).to.equal('3.00G');
    });

    it('persistence: never loading, no AOF, last save at start-up', () => {
      const s = new Session();
      const start = s.clock.now();
      s.clock.advance(5000);
      const f = fields(infoText(s.call('INFO', 'persistence')));
      expect(f.get('loading')).to.equal('0');
      expect(f.get('async_loading')).to.equal('0');
      expect(f.get('aof_enabled')).to.equal('0');
      expect(f.get('rdb_bgsave_in_progress')).to.equal('0');
      expect(f.get('rdb_last_bgsave_status')).to.equal('ok');
      expect(f.get('rdb_last_save_time')).to.equal(String(Math.floor(start / 1000)));
      expect(s.call('LASTSAVE')).to.equal(resp.int(Math.floor(start / 1000)));
    });

    it('stats: commands, connections, hits and misses, expired keys', () => {
      const s = new Session();
      s.call('SET', 'a', '1');
      s.call('GET', 'a');
      s.call('GET', 'missing');
      s.core.keyspace.db(0).set('t', 'v', s.clock.now(), s.clock.now() + 1000);
      s.clock.advance(1001);
      s.call('GET', 't');
      const f = fields(infoText(s.call('INFO', 'stats')));
      expect(f.get('total_connections_received')).to.equal('1');
      // INFO itself is counted once it has run, as in Redis.
      expect(f.get('total_commands_processed')).to.equal('4');
      expect(f.get('keyspace_hits')).to.equal('1');
      expect(f.get('keyspace_misses')).to.equal('2');
      expect(f.get('expired_keys')).to.equal('1');
      expect(f.get('evicted_keys')).to.equal('0');
      expect(f.get('rejected_connections')).to.equal('0');
      expect(f.get('instantaneous_ops_per_sec')).to.equal('0');
      expect(f.get('instantaneous_input_kbps')).to.equal('0.00');
      expect(f.get('total_error_replies')).to.equal('0');
      expect([...f.keys()].slice(0, 5)).to.deep.equal([
        'total_connections_received',
        'total_commands_processed',
        'instantaneous_ops_per_sec',
        'total_net_input_bytes',
        'total_net_output_bytes',
      ]);
    });

    it('stats: instantaneous_ops_per_sec averages the cron samples', () => {
      const s = new Session();
      const stats = s.core.stats;
      stats.sampleRates(s.clock.now());
      for (let i = 0; i < 16; i++) {
        stats.commandsProcessed += 50;
        s.clock.advance(100);
        stats.sampleRates(s.clock.now());
      }
      expect(fields(infoText(s.call('INFO', 'stats'))).get('instantaneous_ops_per_sec')).to.equal('500');
    });

    it('replication: a master without replicas', () => {
      const f = fields(infoText(new Session().call('INFO', 'replication')));
      expect(f.get('role')).to.equal('master');
      expect(f.get('connected_slaves')).to.equal('0');
      expect(f.get('master_replid')).to.match(/^[0-9a-f]{40}$/);
      expect(f.get('master_repl_offset')).to.equal('0');
    });

    it('cpu: seconds with six decimals', () => {
      const f = fields(infoText(new Session().call('INFO', 'cpu')));
      expect([...f.keys()]).to.deep.equal([
        'used_cpu_sys',
        'used_cpu_user',
        'used_cpu_sys_children',
        'used_cpu_user_children',
        'used_cpu_sys_main_thread',
        'used_cpu_user_main_thread',
      ]);
      for (const value of f.values()) expect(value).to.match(/^\d+\.\d{6}$/);
    });

    it('errorstats: one line per error code, sorted', () => {
      const s = new Session({ config: { requirepass: 'pw' } });
      s.call('GET', 'k');
      s.call('AUTH', 'bad');
      s.call('AUTH', 'pw');
      s.call('NOSUCHCOMMAND');
      s.call('SELECT', 'x');
      expect(s.call('INFO', 'errorstats')).to.equal(
        resp.bulk('# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_NOAUTH:count=1\r\nerrorstat_WRONGPASS:count=1\r\n'),
      );
      expect(fields(infoText(s.call('INFO', 'stats'))).get('total_error_replies')).to.equal('4');
    });

    it('commandstats: calls, time, rejected and failed calls under full names', () => {
      const s = new Session({ config: { requirepass: 'pw' } });
      s.call('GET', 'k');
      s.call('AUTH', 'pw');
      s.call('GET', 'k');
      s.call('GET', 'k');
      s.call('SELECT', 'x');
      s.call('CONFIG', 'GET', 'hz');
      const text = infoText(s.call('INFO', 'commandstats'));
      const lines = text.split('\r\n');
      expect(lines[0]).to.equal('# Commandstats');
      const stat = (name: string): string | undefined => lines.find((line) => line.startsWith(`cmdstat_${name}:`));
      const shape = (calls: number, rejected: number, failed: number): RegExp =>
        new RegExp(`:calls=${calls},usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=${rejected},failed_calls=${failed}$`);
      expect(stat('get')).to.match(shape(2, 1, 0));
      expect(stat('auth')).to.match(shape(1, 0, 0));
      expect(stat('select')).to.match(shape(1, 0, 1));
      expect(stat('config|get')).to.match(shape(1, 0, 0));
      expect(stat('info')).to.equal(undefined);
      expect(text.endsWith('\r\n')).to.equal(true);
    });

    it('keyspace: one line per non-empty database, with expires and the mean TTL', () => {
      const s = new Session();
      expect(s.call('INFO', 'keyspace')).to.equal(resp.bulk('# Keyspace\r\n'));
      const now = s.clock.now();
      const db0 = s.core.keyspace.db(0);
      db0.set('a', '1', now, NO_EXPIRE);
      db0.set('b', '2', now, now + 10_000);
      db0.set('c', '3', now, now + 20_000);
      s.core.keyspace.db(3).set('x', 'y', now, NO_EXPIRE);
      s.clock.advance(4000);
      expect(s.call('INFO', 'keyspace')).to.equal(
        resp.bulk('# Keyspace\r\ndb0:keys=3,expires=2,avg_ttl=11000\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n'),
      );
    });
  });

  describe('CONFIG GET', () => {
    it('answers name/value pairs, echoing the name as asked', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal(resp.bulks(['maxmemory', '0']));
      expect(s.call('CONFIG', 'GET', 'MAXMEMORY')).to.equal(resp.bulks(['MAXMEMORY', '0']));
      expect(s.call('CONFIG', 'GET', 'maxmemory', 'MAXMEMORY')).to.equal(resp.bulks(['maxmemory', '0']));
      expect(s.call('CONFIG', 'GET', 'nosuch')).to.equal('*0\r\n');
    });

    it('answers what redis-benchmark and clients ask for, as Redis does', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'GET', 'save')).to.equal(resp.bulks(['save', '']));
      expect(s.call('CONFIG', 'GET', 'appendonly')).to.equal(resp.bulks(['appendonly', 'no']));
      expect(s.call('CONFIG', 'GET', 'databases')).to.equal(resp.bulks(['databases', '16']));
      expect(s.call('CONFIG', 'GET', 'cluster-enabled')).to.equal(resp.bulks(['cluster-enabled', 'no']));
      expect(s.call('CONFIG', 'GET', 'maxmemory-policy')).to.equal(resp.bulks(['maxmemory-policy', 'noeviction']));
    });

    it('matches glob patterns without regard to case', () => {
      const s = new Session();
      const reply = s.call('CONFIG', 'GET', 'MAXMEM*');
      expect(reply.startsWith('*')).to.equal(true);
      const items = reply.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
      const names = items.filter((_, i) => i % 2 === 0);
      expect(names).to.include.members(['maxmemory', 'maxmemory-policy', 'maxmemory-samples']);
      expect(names.every((name) => name.startsWith('maxmemory'))).to.equal(true);
      expect(s.call('CONFIG', 'GET', 'h?')).to.equal(resp.bulks(['hz', '10']));
      expect(s.call('CONFIG', 'GET', '[h]z', 'hz')).to.equal(resp.bulks(['hz', '10']));
      expect(s.call('CONFIG', 'GET', 'no-such-*')).to.equal('*0\r\n');
      const all = s.call('CONFIG', 'GET', '*');
      expect(all).to.contain(resp.bulk('appendonly') + resp.bulk('no'));
    });

    it('answers a map in RESP3', () => {
      const s = new Session();
      s.call('HELLO', '3');
      expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal('%1\r\n' + resp.bulk('maxmemory') + resp.bulk('0'));
      expect(s.call('CONFIG', 'GET', 'nosuch')).to.equal('%0\r\n');
    });

    it('needs a pattern', () => {
      expect(new Session().call('CONFIG', 'GET')).to.equal(resp.err("ERR wrong number of arguments for 'config|get' command"));
    });
  });

  describe('CONFIG SET', () => {
    it('sets one or several parameters, memory units included', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'maxmemory', '10MB')).to.equal(resp.ok);
      expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal(resp.bulks(['maxmemory', '10485760']));
      expect(s.call('CONFIG', 'SET', 'hz', '20', 'MAXMEMORY-POLICY', 'allkeys-lfu')).to.equal(resp.ok);
      expect(s.call('CONFIG', 'GET', 'hz')).to.equal(resp.bulks(['hz', '20']));
      expect(s.call('CONFIG', 'GET', 'maxmemory-policy')).to.equal(resp.bulks(['maxmemory-policy', 'allkeys-lfu']));
    });

    it('refuses unknown, immutable, bad and repeated parameters with Redis texts', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'nosuch', '1')).to.equal(resp.err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
      expect(s.call('CONFIG', 'SET', 'databases', '4')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
      );
      expect(s.call('CONFIG', 'SET', 'maxmemory', 'abc')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
      );
      expect(s.call('CONFIG', 'SET', 'hz', 'abc')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
      );
      // A value error names the parameter by its own name, not as it was spelled.
      expect(s.call('CONFIG', 'SET', 'HZ', 'abc')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
      );
      expect(s.call('CONFIG', 'SET', 'timeout', '-1')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive"),
      );
      expect(s.call('CONFIG', 'SET', 'maxmemory-policy', 'foo')).to.equal(
        resp.err(
          "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
        ),
      );
      expect(s.call('CONFIG', 'SET', 'appendonly', 'maybe')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"),
      );
      expect(s.call('CONFIG', 'SET', 'hz', '20', 'HZ', '30')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter"),
      );
      expect(s.call('CONFIG', 'SET', 'maxmemory', '1', 'hz')).to.equal(resp.err('ERR syntax error'));
      expect(s.call('CONFIG', 'SET', 'maxmemory')).to.equal(resp.err("ERR wrong number of arguments for 'config|set' command"));
    });

    it('the first refused name decides the error', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'maxmemory', '10mb', 'nosuch', 'abc', 'databases', '1')).to.equal(
        resp.err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
      );
      expect(s.call('CONFIG', 'SET', 'databases', '1', 'nosuch', 'abc')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
      );
    });

    it('is all or nothing', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'maxmemory', '10mb', 'hz', 'abc')).to.equal(
        resp.err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
      );
      expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal(resp.bulks(['maxmemory', '0']));
      expect(s.call('CONFIG', 'SET', 'maxmemory', '10mb', 'nosuch', 'abc')).to.equal(
        resp.err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
      );
      expect(s.call('CONFIG', 'GET', 'maxmemory')).to.equal(resp.bulks(['maxmemory', '0']));
    });

    it('requirepass applies to new clients; clearing it lets everyone in', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'SET', 'requirepass', 'pw')).to.equal(resp.ok);
      // A client already connected stays logged in, as in Redis.
      expect(s.call('PING')).to.equal('+PONG\r\n');
      const late = s.peer();
      expect(late.call('PING')).to.equal(resp.err('NOAUTH Authentication required.'));
      expect(s.call('CONFIG', 'SET', 'requirepass', '')).to.equal(resp.ok);
      expect(late.call('PING')).to.equal('+PONG\r\n');
    });
  });

  describe('CONFIG RESETSTAT / REWRITE / HELP', () => {
    it('RESETSTAT zeroes the counters INFO reports', () => {
      const s = new Session();
      s.call('GET', 'missing');
      s.call('NOSUCH');
      expect(s.call('CONFIG', 'RESETSTAT')).to.equal(resp.ok);
      const text = infoText(s.call('INFO', 'stats', 'errorstats', 'commandstats'));
      const f = fields(text);
      // CONFIG RESETSTAT itself is counted after the reset, as in Redis.
      expect(f.get('total_commands_processed')).to.equal('1');
      expect(f.get('keyspace_misses')).to.equal('0');
      expect(f.get('total_connections_received')).to.equal('0');
      expect(f.get('total_error_replies')).to.equal('0');
      expect([...f.keys()].filter((k) => k.startsWith('cmdstat_'))).to.deep.equal(['cmdstat_config|resetstat']);
      expect(text.endsWith('\r\n\r\n# Errorstats\r\n')).to.equal(true);
    });

    it('REWRITE needs a config file', () => {
      expect(new Session().call('CONFIG', 'REWRITE')).to.equal(resp.err('ERR The server is running without a config file'));
    });

    it('REWRITE writes the running configuration back into the config file, keeping its comments', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringcache-config-rewrite-'));
      try {
        const file = join(dir, 'ringcache.conf');
        writeFileSync(file, '# my cache\nport 7000\nmaxmemory 100mb\n');
        const s = new Session({ config: { port: 7000, maxmemory: '100mb' } });
        s.core.config.file = file;
        expect(s.call('CONFIG', 'SET', 'maxmemory', '200mb', 'maxmemory-policy', 'allkeys-lru')).to.equal(resp.ok);
        expect(s.call('CONFIG', 'REWRITE')).to.equal(resp.ok);
        expect(readFileSync(file, 'latin1')).to.equal(
          '# my cache\nport 7000\nmaxmemory 200mb\n\n# Generated by CONFIG REWRITE\nmaxmemory-policy allkeys-lru\n',
        );
        // A file that cannot be written gets Redis's strerror text.
        s.core.config.file = join(dir, 'missing-dir', 'ringcache.conf');
        expect(s.call('CONFIG', 'REWRITE')).to.equal(resp.err('ERR Rewriting config file: No such file or directory'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('HELP lists the subcommands as Redis does', () => {
      expect(new Session().call('config', 'help')).to.equal(
        '*11\r\n' +
          '+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n' +
          '+GET <pattern>\r\n' +
          '+    Return parameters matching the glob-like <pattern> and their values.\r\n' +
          '+SET <directive> <value>\r\n' +
          '+    Set the configuration <directive> to <value>.\r\n' +
          '+RESETSTAT\r\n' +
          '+    Reset statistics reported by the INFO command.\r\n' +
          '+REWRITE\r\n' +
          '+    Rewrite the configuration file.\r\n' +
          '+HELP\r\n' +
          '+    Prints this help.\r\n',
      );
      expect(new Session().call('CONFIG', 'HELP', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'config|help' command"));
    });

    it('an unknown subcommand points at HELP', () => {
      const s = new Session();
      expect(s.call('CONFIG', 'foo')).to.equal(resp.err("ERR unknown subcommand 'foo'. Try CONFIG HELP."));
      expect(s.call('CONFIG')).to.equal(resp.err("ERR wrong number of arguments for 'config' command"));
    });
  });

  describe('SHUTDOWN without a network server', () => {
    it('answers that it cannot shut down, instead of leaving the caller without a reply', () => {
      const s = new Session();
      expect(s.call('SHUTDOWN')).to.equal(resp.err('ERR Errors trying to SHUTDOWN. Check logs.'));
      expect(s.call('SHUTDOWN', 'ABORT')).to.equal(resp.err('ERR No shutdown in progress.'));
      expect(s.call('PING')).to.equal('+PONG\r\n');
    });
  });

  describe('TIME', () => {
    it('answers seconds and microseconds of the clock as two bulks', () => {
      const s = new Session();
      s.clock.set(1_700_000_000_123);
      expect(s.call('TIME')).to.equal(resp.bulks(['1700000000', '123000']));
      s.client.reply.protocol = 3;
      expect(s.call('TIME')).to.equal(resp.bulks(['1700000000', '123000']));
      expect(s.call('TIME', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'time' command"));
    });
  });

  describe('FUNCTION', () => {
    it('FLUSH has nothing to flush and answers OK', () => {
      const s = new Session();
      expect(s.call('FUNCTION', 'FLUSH')).to.equal(resp.ok);
      expect(s.call('FUNCTION', 'flush', 'async')).to.equal(resp.ok);
      expect(s.call('FUNCTION', 'FLUSH', 'SYNC')).to.equal(resp.ok);
    });

    it('FLUSH refuses other modes with Redis texts', () => {
      const s = new Session();
      expect(s.call('FUNCTION', 'FLUSH', 'x')).to.equal(resp.err('ERR FUNCTION FLUSH only supports SYNC|ASYNC option'));
      expect(s.call('FUNCTION', 'FLUSH', 'a', 'b')).to.equal(
        resp.err("ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP."),
      );
      expect(s.call('FUNCTION', 'foo')).to.equal(resp.err("ERR unknown subcommand 'foo'. Try FUNCTION HELP."));
      expect(s.call('FUNCTION')).to.equal(resp.err("ERR wrong number of arguments for 'function' command"));
    });

    it('HELP is shaped as Redis prints it', () => {
      const reply = new Session().call('FUNCTION', 'HELP');
      const lines = reply.split('\r\n').slice(1, -1);
      expect(reply.startsWith(`*${lines.length}\r\n`)).to.equal(true);
      expect(lines[0]).to.equal('+FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      expect(lines[1]).to.equal('+FLUSH [ASYNC|SYNC]');
      expect(lines.slice(-2)).to.deep.equal(['+HELP', '+    Prints this help.']);
    });
  });
});
