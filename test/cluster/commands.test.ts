import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VNODES } from '../../src/cluster/ring.js';
import { Topology } from '../../src/cluster/topology.js';
import { keySlot } from '../../src/cluster/crc16.js';
import { Session, resp } from '../helpers/session.js';
import { THREE_NODES, clusterSession, keyServedBy, removeTempDirs, tempDir } from './helpers.js';

const DISABLED = resp.err('ERR This instance has cluster support disabled');

/** A one-node cluster on 127.0.0.1:7000: small enough to compare whole replies. */
function singleNode(): Session {
  return clusterSession([{ host: '127.0.0.1', port: 7000 }]);
}

function myId(s: Session): string {
  return s.core.cluster?.myId as string;
}

describe('cluster commands', () => {
  after(removeTempDirs);

  describe('without cluster-enabled', () => {
    it('refuses every cluster command as Redis does', () => {
      const s = new Session();
      for (const args of [['CLUSTER', 'INFO'], ['CLUSTER', 'KEYSLOT', 'foo'], ['CLUSTER', 'HELP'], ['CLUSTER', 'MYID'], ['CLUSTER', 'COUNTKEYSINSLOT', '1'], ['READONLY'], ['READWRITE'], ['ASKING']]) {
        expect(s.call(...args), args.join(' ')).to.equal(DISABLED);
      }
      expect(s.call('CLUSTER', 'FOO')).to.equal(resp.err("ERR unknown subcommand 'FOO'. Try CLUSTER HELP."));
      expect(s.call('CLUSTER')).to.equal(resp.err("ERR wrong number of arguments for 'cluster' command"));
      expect(s.call('CLUSTER', 'SLOTS', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'cluster|slots' command"));
      expect(s.call('ASKING', 'x')).to.equal(resp.err("ERR wrong number of arguments for 'asking' command"));
    });

    it('routes nothing: every key is served', () => {
      const s = new Session();
      expect(s.call('MSET', 'foo', '1', 'bar', '2')).to.equal(resp.ok);
    });
  });

  describe('argument errors', () => {
    it('answers arity, integer and range errors with Redis texts', () => {
      const s = singleNode();
      const cases: [string[], string][] = [
        [['CLUSTER', 'KEYSLOT'], "ERR wrong number of arguments for 'cluster|keyslot' command"],
        [['CLUSTER', 'KEYSLOT', 'a', 'b'], "ERR wrong number of arguments for 'cluster|keyslot' command"],
        [['CLUSTER', 'COUNTKEYSINSLOT', 'x'], 'ERR value is not an integer or out of range'],
        [['CLUSTER', 'COUNTKEYSINSLOT', '0x1'], 'ERR value is not an integer or out of range'],
        [['CLUSTER', 'COUNTKEYSINSLOT', '99999999999999999999'], 'ERR value is not an integer or out of range'],
        [['CLUSTER', 'COUNTKEYSINSLOT', '-1'], 'ERR Invalid slot'],
        [['CLUSTER', 'COUNTKEYSINSLOT', '16384'], 'ERR Invalid slot'],
        [['CLUSTER', 'GETKEYSINSLOT', '1'], "ERR wrong number of arguments for 'cluster|getkeysinslot' command"],
        [['CLUSTER', 'GETKEYSINSLOT', 'x', '1'], 'ERR value is not an integer or out of range'],
        [['CLUSTER', 'GETKEYSINSLOT', '1', 'x'], 'ERR value is not an integer or out of range'],
        [['CLUSTER', 'GETKEYSINSLOT', '1', '-1'], 'ERR Invalid slot or number of keys'],
        [['CLUSTER', 'GETKEYSINSLOT', '16384', '1'], 'ERR Invalid slot or number of keys'],
        [['CLUSTER', 'MYID', 'x'], "ERR wrong number of arguments for 'cluster|myid' command"],
        [['CLUSTER', 'NODES', 'x'], "ERR wrong number of arguments for 'cluster|nodes' command"],
        [['CLUSTER', 'INFO', 'x'], "ERR wrong number of arguments for 'cluster|info' command"],
        [['CLUSTER', 'SHARDS', 'x'], "ERR wrong number of arguments for 'cluster|shards' command"],
        [['READONLY', 'x'], "ERR wrong number of arguments for 'readonly' command"],
      ];
      for (const [args, error] of cases) expect(s.call(...args), args.join(' ')).to.equal(resp.err(error));
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', '16383')).to.equal(resp.int(0));
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', '1', '0')).to.equal('*0\r\n');
    });

    it('accepts ASKING, READONLY and READWRITE', () => {
      const s = singleNode();
      expect(s.call('ASKING')).to.equal(resp.ok);
      expect(s.call('READONLY')).to.equal(resp.ok);
      expect(s.call('READWRITE')).to.equal(resp.ok);
    });

    it('refuses SELECT of any database but 0', () => {
      const s = singleNode();
      expect(s.call('SELECT', '0')).to.equal(resp.ok);
      expect(s.call('SELECT', '1')).to.equal(resp.err('ERR SELECT is not allowed in cluster mode'));
      expect(s.call('SELECT', '-1')).to.equal(resp.err('ERR SELECT is not allowed in cluster mode'));
      expect(s.call('SELECT', 'x')).to.equal(resp.err('ERR value is not an integer or out of range'));
    });
  });

  it('CLUSTER KEYSLOT', () => {
    const s = singleNode();
    expect(s.call('CLUSTER', 'KEYSLOT', 'foo')).to.equal(resp.int(12182));
    expect(s.call('CLUSTER', 'keyslot', '{user1}.a')).to.equal(resp.int(8106));
  });

  it('CLUSTER HELP lists its subcommands in Redis words (Redis 7.0.15 without FAILOVER and LINKS)', () => {
    const s = singleNode();
    const lines = [
      'CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'ADDSLOTS <slot> [<slot> ...]',
      '    Assign slots to current node.',
      'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
      '    Assign slots which are between <start-slot> and <end-slot> to current node.',
      'BUMPEPOCH',
      '    Advance the cluster config epoch.',
      'COUNT-FAILURE-REPORTS <node-id>',
      '    Return number of failure reports for <node-id>.',
      'COUNTKEYSINSLOT <slot>',
      '    Return the number of keys in <slot>.',
      'DELSLOTS <slot> [<slot> ...]',
      '    Delete slots information from current node.',
      'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
      '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
      'FORGET <node-id>',
      '    Remove a node from the cluster.',
      'GETKEYSINSLOT <slot> <count>',
      '    Return key names stored by current node in a slot.',
      'FLUSHSLOTS',
      '    Delete current node own slots information.',
      'INFO',
      '    Return information about the cluster.',
      'KEYSLOT <key>',
      '    Return the hash slot for <key>.',
      'MEET <ip> <port> [<bus-port>]',
      '    Connect nodes into a working cluster.',
      'MYID',
      '    Return the node id.',
      'NODES',
      '    Return cluster configuration seen by node. Output format:',
      '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
      'REPLICATE <node-id>',
      '    Configure current node as replica to <node-id>.',
      'RESET [HARD|SOFT]',
      '    Reset current node (default: soft).',
      'SET-CONFIG-EPOCH <epoch>',
      '    Set config epoch of current node.',
      'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)',
      '    Set slot state.',
      'REPLICAS <node-id>',
      '    Return <node-id> replicas.',
      'SAVECONFIG',
      '    Force saving cluster configuration on disk.',
      'SLOTS',
      '    Return information about slots range mappings. Each range is made of:',
      '    start, end, master and replicas IP addresses, ports and ids',
      'SHARDS',
      '    Return information about slot range mappings and the nodes associated with them.',
      'HELP',
      '    Prints this help.',
    ];
    expect(s.call('cluster', 'help')).to.equal(resp.array(lines.map(resp.simple)));
  });

  describe('replies of a one-node cluster', () => {
    it('CLUSTER MYID: 40 lowercase hex digits', () => {
      const s = singleNode();
      expect(myId(s)).to.match(/^[0-9a-f]{40}$/);
      expect(s.call('CLUSTER', 'MYID')).to.equal(resp.bulk(myId(s)));
    });

    it('CLUSTER NODES', () => {
      const s = singleNode();
      expect(s.call('CLUSTER', 'NODES')).to.equal(resp.bulk(`${myId(s)} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-16383\n`));
    });

    it('CLUSTER INFO', () => {
      const s = singleNode();
      const text =
        'cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\n' +
        'cluster_slots_fail:0\r\ncluster_known_nodes:1\r\ncluster_size:1\r\ncluster_current_epoch:1\r\n' +
        'cluster_my_epoch:1\r\ncluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n' +
        'total_cluster_links_buffer_limit_exceeded:0\r\n';
      expect(s.call('CLUSTER', 'INFO')).to.equal(resp.bulk(text));
      s.call('HELLO', '3');
      expect(s.call('CLUSTER', 'INFO')).to.equal(`=${text.length + 4}\r\ntxt:${text}\r\n`);
    });

    it('CLUSTER SLOTS, in RESP2 and RESP3', () => {
      const s = singleNode();
      const node = (meta: string): string => `*4\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n${myId(s)}\r\n${meta}`;
      expect(s.call('CLUSTER', 'SLOTS')).to.equal(`*1\r\n*3\r\n:0\r\n:16383\r\n${node('*0\r\n')}`);
      s.call('HELLO', '3');
      expect(s.call('CLUSTER', 'SLOTS')).to.equal(`*1\r\n*3\r\n:0\r\n:16383\r\n${node('%0\r\n')}`);
    });

    it('CLUSTER SHARDS', () => {
      const s = singleNode();
      const nodeFields = [
        resp.bulk('id'), resp.bulk(myId(s)), resp.bulk('port'), resp.int(7000), resp.bulk('ip'), resp.bulk('127.0.0.1'),
        resp.bulk('endpoint'), resp.bulk('127.0.0.1'), resp.bulk('role'), resp.bulk('master'),
        resp.bulk('replication-offset'), resp.int(0), resp.bulk('health'), resp.bulk('online'),
      ].join('');
      const shard = `*4\r\n${resp.bulk('slots')}*2\r\n:0\r\n:16383\r\n${resp.bulk('nodes')}*1\r\n*14\r\n${nodeFields}`;
      expect(s.call('CLUSTER', 'SHARDS')).to.equal(`*1\r\n${shard}`);
    });
  });

  describe('a node of three', () => {
    it('lists every node in CLUSTER NODES, one \\n-terminated line each, covering every slot once', () => {
      const s = clusterSession(THREE_NODES, THREE_NODES[1]);
      const reply = s.call('CLUSTER', 'NODES');
      const text = reply.slice(reply.indexOf('\r\n') + 2, -2);
      expect(text.endsWith('\n')).to.equal(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines).to.have.length(3);
      const covered = new Uint8Array(16384);
      lines.forEach((line, i) => {
        const fields = line.split(' ');
        expect(fields[0]).to.match(/^[0-9a-f]{40}$/);
        expect(fields.slice(1, 9)).to.deep.equal([
          `127.0.0.1:${7000 + i}@${17000 + i}`,
          i === 1 ? 'myself,master' : 'master',
          '-',
          '0',
          fields[5],
          String(i + 1),
          'connected',
          fields[8],
        ]);
        expect(fields[5]).to.match(/^\d+$/);
        for (const range of fields.slice(8)) {
          const [start, end] = range.split('-').map(Number);
          for (let slot = start; slot <= (end ?? start); slot++) covered[slot]++;
        }
      });
      expect(covered.every((n) => n === 1)).to.equal(true);
      expect(lines[1].split(' ')[0]).to.equal(myId(s));
    });

    it('sends keys of other nodes away with MOVED and serves its own', () => {
      const s = clusterSession();
      const mine = keyServedBy(s, 7000);
      const theirs = keyServedBy(s, 7002);
      expect(s.call('SET', mine, 'v')).to.equal(resp.ok);
      expect(s.call('GET', mine)).to.equal(resp.bulk('v'));
      expect(s.call('GET', theirs)).to.equal(resp.err(`MOVED ${keySlot(theirs)} 127.0.0.1:7002`));
      expect(s.call('PING')).to.equal(resp.simple('PONG'));
      expect(s.call('DBSIZE')).to.equal(resp.int(1));
    });

    it('checks CROSSSLOT before MOVED, and lets repeated keys of one slot pass', () => {
      const s = clusterSession();
      const mine = keyServedBy(s, 7000);
      const theirs = keyServedBy(s, 7001);
      const cross = resp.err("CROSSSLOT Keys in request don't hash to the same slot");
      expect(s.call('MSET', theirs, '1', mine, '2')).to.equal(cross);
      expect(s.call('MSET', mine, '1', theirs, '2')).to.equal(cross);
      expect(s.call('MGET', theirs, theirs)).to.equal(resp.err(`MOVED ${keySlot(theirs)} 127.0.0.1:7001`));
      expect(s.call('MSET', `{${mine}}a`, '1', `{${mine}}b`, '2')).to.equal(resp.ok);
    });

    it('inside MULTI refuses at queue time and aborts EXEC', () => {
      const s = clusterSession();
      const mine = keyServedBy(s, 7000);
      const theirs = keyServedBy(s, 7001);
      expect(s.call('MULTI')).to.equal(resp.ok);
      expect(s.call('SET', theirs, '1')).to.equal(resp.err(`MOVED ${keySlot(theirs)} 127.0.0.1:7001`));
      expect(s.call('SET', mine, '1')).to.equal(resp.simple('QUEUED'));
      expect(s.call('EXEC')).to.equal(resp.err('EXECABORT Transaction discarded because of previous errors.'));
      expect(s.call('GET', mine)).to.equal(resp.nil);
    });

    it('refuses EXEC whose queued commands use two slots, discarding the transaction', () => {
      const s = clusterSession();
      const first = keyServedBy(s, 7000);
      const second = keyServedBy(s, 7000, 'k', keySlot(first));
      expect(s.call('MULTI')).to.equal(resp.ok);
      expect(s.call('SET', first, '1')).to.equal(resp.simple('QUEUED'));
      expect(s.call('SET', second, '1')).to.equal(resp.simple('QUEUED'));
      expect(s.call('EXEC')).to.equal(resp.err("CROSSSLOT Keys in request don't hash to the same slot"));
      expect(s.call('GET', first)).to.equal(resp.nil);
      expect(s.call('EXEC')).to.equal(resp.err('ERR EXEC without MULTI'));
    });

    it('runs a transaction on one slot', () => {
      const s = clusterSession();
      const mine = keyServedBy(s, 7000);
      s.call('MULTI');
      s.call('SET', mine, '1');
      s.call('INCR', mine);
      expect(s.call('EXEC')).to.equal(resp.array([resp.ok, resp.int(2)]));
    });
  });

  describe('keys of a slot', () => {
    it('counts and lists a slot\'s keys, newest first, as writes, deletes, renames, expiry and flushes change them', () => {
      const s = clusterSession();
      const tag = `{${keyServedBy(s, 7000, 'tag')}}`;
      const slot = String(keySlot(tag));
      for (const suffix of ['a', 'b', 'c']) s.call('SET', `${tag}${suffix}`, 'v');
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(resp.int(3));
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '10')).to.equal(resp.bulks([`${tag}c`, `${tag}b`, `${tag}a`]));
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '2')).to.equal(resp.bulks([`${tag}c`, `${tag}b`]));
      s.call('SET', `${tag}a`, 'overwritten');
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '10')).to.equal(resp.bulks([`${tag}c`, `${tag}b`, `${tag}a`]));
      s.call('DEL', `${tag}b`);
      s.call('RENAME', `${tag}c`, `${tag}d`);
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '10')).to.equal(resp.bulks([`${tag}d`, `${tag}a`]));
      s.call('SET', `${tag}e`, 'v', 'PX', '100');
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(resp.int(3));
      s.clock.advance(200);
      expect(s.call('GET', `${tag}e`)).to.equal(resp.nil);
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(resp.int(2));
      s.call('FLUSHALL');
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(resp.int(0));
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '10')).to.equal('*0\r\n');
    });

    it('tells apart keys longer than V8 hashes by content (16383 bytes) that differ only at their end', () => {
      const s = clusterSession();
      const tag = `{${keyServedBy(s, 7000, 'tag')}}`;
      const slot = String(keySlot(tag));
      const long = (i: number): string => tag + 'k'.repeat(16384 - tag.length - 1) + String.fromCharCode(i);
      for (let i = 0; i < 40; i++) s.call('SET', long(i), 'v');
      s.call('SET', `${tag}short`, 'v');
      s.call('DEL', long(0), long(39));
      s.call('SET', long(0), 'again');
      expect(s.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(resp.int(40));
      expect(s.call('CLUSTER', 'GETKEYSINSLOT', slot, '3')).to.equal(resp.bulks([long(0), `${tag}short`, long(38)]));
      const all = s.call('CLUSTER', 'GETKEYSINSLOT', slot, '100');
      const expected = [long(0), `${tag}short`, ...Array.from({ length: 38 }, (_, i) => long(38 - i))];
      expect(all).to.equal(resp.bulks(expected));
    });
  });

  describe('nodes file', () => {
    it('keeps the node id across restarts, in Redis\'s nodes.conf format', () => {
      const dir = tempDir();
      const config = { 'cluster-enabled': 'yes', dir, 'cluster-config-file': 'n.conf' };
      const first = new Session({ config });
      const id = myId(first);
      const topology = new Topology([{ host: '127.0.0.1', port: 7000 }], DEFAULT_VNODES, 0);
      first.core.cluster?.join(topology, 0);
      expect(readFileSync(join(dir, 'n.conf'), 'latin1')).to.equal(
        `${id} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-16383\nvars currentEpoch 1 lastVoteEpoch 0\n`,
      );
      expect(myId(new Session({ config }))).to.equal(id);
      expect(myId(new Session({ config: { ...config, 'cluster-config-file': 'other.conf' } }))).to.not.equal(id);
    });

    it('refuses to start on a corrupted nodes file', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'nodes.conf'), 'not a nodes file\n');
      expect(() => new Session({ config: { 'cluster-enabled': 'yes', dir } })).to.throw(
        'Unrecoverable error: corrupted cluster config file "not a nodes file".',
      );
    });
  });
});
