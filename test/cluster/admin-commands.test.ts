// CLUSTER subcommands that change slots, epochs and membership, on a self-managed node (no
// cluster-nodes list). Every reply and error text below was checked against Redis 7.0.15.

import { expect } from 'chai';
import type { ClusterNode } from '../../src/cluster/cluster-node.js';
import { keySlot } from '../../src/cluster/crc16.js';
import { newNodeId } from '../../src/cluster/nodes-file.js';
import { newPeer, type ClusterPeer } from '../../src/cluster/topology.js';
import { Session, resp } from '../helpers/session.js';
import { removeTempDirs, tempDir } from './helpers.js';

const PORT = 7100;
const sessions: Session[] = [];

/** A fresh node on 127.0.0.1:7100, alone and owning no slot, as redis-server starts in cluster mode. */
function freshNode(): Session {
  const s = new Session({ config: { 'cluster-enabled': 'yes', 'cluster-announce-ip': '127.0.0.1', dir: tempDir() } });
  node(s).start(PORT);
  sessions.push(s);
  return s;
}

function node(s: Session): ClusterNode {
  return s.core.cluster as ClusterNode;
}

/** A member this node knows without having met it over the network (nothing listens on port 1). */
function knownPeer(s: Session): ClusterPeer {
  const peer = newPeer({ host: '127.0.0.1', port: 1 }, newNodeId(), s.clock.now());
  node(s).view.add(peer);
  node(s).changed();
  return peer;
}

function myLine(s: Session): string {
  const text = s.call('CLUSTER', 'NODES');
  const body = text.slice(text.indexOf('\r\n') + 2, -2);
  return body.split('\n').find((line) => line.includes('myself')) as string;
}

function infoField(s: Session, name: string): string {
  const text = s.call('CLUSTER', 'INFO');
  return (text.split('\r\n').find((line) => line.startsWith(`${name}:`)) as string).slice(name.length + 1);
}

const err = (text: string): string => resp.err(`ERR ${text}`);

describe('cluster admin commands', () => {
  after(() => {
    for (const s of sessions.splice(0)) node(s).stop();
    removeTempDirs();
  });

  it('starts alone, owning no slot, as a fresh Redis cluster node', () => {
    const s = freshNode();
    const id = node(s).myId;
    expect(s.call('CLUSTER', 'NODES')).to.equal(resp.bulk(`${id} 127.0.0.1:7100@17100 myself,master - 0 0 0 connected\n`));
    expect(infoField(s, 'cluster_state')).to.equal('fail');
    expect(infoField(s, 'cluster_known_nodes')).to.equal('1');
    expect(infoField(s, 'cluster_slots_assigned')).to.equal('0');
    expect(s.call('SET', 'foo', 'bar')).to.equal(resp.err('CLUSTERDOWN Hash slot not served'));
  });

  it('checks ADDSLOTS, DELSLOTS and their RANGE forms as Redis does, slot by slot', () => {
    const s = freshNode();
    const cases: [string[], string][] = [
      [['CLUSTER', 'ADDSLOTS'], err("wrong number of arguments for 'cluster|addslots' command")],
      [['CLUSTER', 'ADDSLOTS', 'x'], err('Invalid or out of range slot')],
      [['CLUSTER', 'ADDSLOTS', '16384'], err('Invalid or out of range slot')],
      [['CLUSTER', 'ADDSLOTS', '-1'], err('Invalid or out of range slot')],
      [['CLUSTER', 'ADDSLOTS', '1', '1'], err('Slot 1 specified multiple times')],
      [['CLUSTER', 'ADDSLOTS', '1', '2'], resp.ok],
      [['CLUSTER', 'ADDSLOTS', '2'], err('Slot 2 is already busy')],
      [['CLUSTER', 'DELSLOTS', '5'], err('Slot 5 is already unassigned')],
      [['CLUSTER', 'ADDSLOTSRANGE', '1'], err("wrong number of arguments for 'cluster|addslotsrange' command")],
      [['CLUSTER', 'ADDSLOTSRANGE', '1', '2', '3'], err("wrong number of arguments for 'cluster|addslotsrange' command")],
      [['CLUSTER', 'ADDSLOTSRANGE', '5', '3'], err('start slot number 5 is greater than end slot number 3')],
      [['CLUSTER', 'ADDSLOTSRANGE', '3', '5', '4', '6'], err('Slot 4 specified multiple times')],
      [['CLUSTER', 'DELSLOTSRANGE', '3', '5'], err('Slot 3 is already unassigned')],
      [['CLUSTER', 'DELSLOTS', '1', '1'], err('Slot 1 specified multiple times')],
    ];
    for (const [args, reply] of cases) expect(s.call(...args), args.join(' ')).to.equal(reply);
    expect(myLine(s)).to.match(/ connected 1-2$/);
    expect(s.call('CLUSTER', 'DELSLOTS', '1', '2')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'ADDSLOTSRANGE', '10', '20', '30', '30')).to.equal(resp.ok);
    expect(myLine(s)).to.match(/ connected 10-20 30$/);
    expect(s.call('CLUSTER', 'DELSLOTSRANGE', '10', '19')).to.equal(resp.ok);
    expect(myLine(s)).to.match(/ connected 20 30$/);
  });

  it('takes all 16384 slots in one ADDSLOTS, then serves keys; FLUSHSLOTS and RESET need an empty db', () => {
    const s = freshNode();
    const all = Array.from({ length: 16384 }, (_, i) => String(i));
    expect(s.call('CLUSTER', 'ADDSLOTS', ...all)).to.equal(resp.ok);
    expect(myLine(s)).to.match(/ connected 0-16383$/);
    expect(infoField(s, 'cluster_state')).to.equal('ok');
    expect(infoField(s, 'cluster_size')).to.equal('1');
    expect(s.call('SET', 'foo', 'bar')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'FLUSHSLOTS')).to.equal(err('DB must be empty to perform CLUSTER FLUSHSLOTS.'));
    expect(s.call('CLUSTER', 'RESET')).to.equal(err("CLUSTER RESET can't be called with master nodes containing keys"));
    expect(s.call('DEL', 'foo')).to.equal(resp.int(1));
    expect(s.call('CLUSTER', 'FLUSHSLOTS')).to.equal(resp.ok);
    expect(infoField(s, 'cluster_slots_assigned')).to.equal('0');
    expect(s.call('SET', 'foo', 'bar')).to.equal(resp.err('CLUSTERDOWN Hash slot not served'));
  });

  it('sets the config epoch only on a lone node with epoch 0; BUMPEPOCH answers BUMPED or STILL', () => {
    const s = freshNode();
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', '-1')).to.equal(err('Invalid config epoch specified: -1'));
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', 'x')).to.equal(err('value is not an integer or out of range'));
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', '5')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', '6')).to.equal(err('Node config epoch is already non-zero'));
    expect(s.call('CLUSTER', 'BUMPEPOCH')).to.equal('+STILL 5\r\n');
    expect([infoField(s, 'cluster_current_epoch'), infoField(s, 'cluster_my_epoch')]).to.deep.equal(['5', '5']);
    knownPeer(s);
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', '9')).to.equal(
      err('The user can assign a config epoch only when the node does not know any other node.'),
    );

    const fresh = freshNode();
    expect(fresh.call('CLUSTER', 'BUMPEPOCH')).to.equal('+BUMPED 1\r\n');
    expect(fresh.call('CLUSTER', 'BUMPEPOCH')).to.equal('+STILL 1\r\n');
  });

  it('answers Redis errors for unknown nodes, itself, and malformed MEET and RESET', () => {
    const s = freshNode();
    const me = node(s).myId;
    const cases: [string[], string][] = [
      [['CLUSTER', 'COUNT-FAILURE-REPORTS', 'abc'], err('Unknown node abc')],
      [['CLUSTER', 'FORGET', 'abc'], err('Unknown node abc')],
      [['CLUSTER', 'REPLICATE', 'abc'], err('Unknown node abc')],
      [['CLUSTER', 'REPLICAS', 'abc'], err('Unknown node abc')],
      [['CLUSTER', 'FORGET', me], err("I tried hard but I can't forget myself...")],
      [['CLUSTER', 'REPLICATE', me], err("Can't replicate myself")],
      [['CLUSTER', 'RESET', 'foo'], err('syntax error')],
      [['CLUSTER', 'RESET', 'soft', 'extra'], err("unknown subcommand or wrong number of arguments for 'RESET'. Try CLUSTER HELP.")],
      [['CLUSTER', 'MEET', '1.2.3', '7000'], err('Invalid node address specified: 1.2.3:7000')],
      [['CLUSTER', 'MEET', '127.0.0.1', 'x'], err('Invalid TCP base port specified: x')],
      [['CLUSTER', 'MEET', '127.0.0.1', '70000'], err('Invalid node address specified: 127.0.0.1:70000')],
      [['CLUSTER', 'MEET', '127.0.0.1', '7001', 'x'], err('Invalid TCP bus port specified: x')],
      [['CLUSTER', 'MEET', '127.0.0.1', '7001', '70000'], err('Invalid node address specified: 127.0.0.1:7001')],
      [['CLUSTER', 'MEET', '127.0.0.1', '7001', '1', '2'], err("unknown subcommand or wrong number of arguments for 'MEET'. Try CLUSTER HELP.")],
      [['CLUSTER', 'SETSLOT', '1'], err("wrong number of arguments for 'cluster|setslot' command")],
      [['CLUSTER', 'SETSLOT', '1', 'foo'], err('Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP')],
      [['CLUSTER', 'SETSLOT', 'x', 'stable'], err('Invalid or out of range slot')],
      [['CLUSTER', 'SETSLOT', '1', 'importing', 'abc'], err("I don't know about node abc")],
      [['CLUSTER', 'SETSLOT', '1', 'migrating', 'abc'], err("I'm not the owner of hash slot 1")],
      [['CLUSTER', 'SETSLOT', '1', 'node', 'abc'], err('Unknown node abc')],
    ];
    for (const [args, reply] of cases) expect(s.call(...args), args.join(' ')).to.equal(reply);
  });

  it('marks open slots in its own CLUSTER NODES line and applies SETSLOT NODE by Redis rules', () => {
    const s = freshNode();
    const other = knownPeer(s);
    expect(s.call('CLUSTER', 'SET-CONFIG-EPOCH', '0')).to.equal(
      err('The user can assign a config epoch only when the node does not know any other node.'),
    );
    const key = 'foo';
    const slot = keySlot(key);
    expect(s.call('CLUSTER', 'ADDSLOTS', String(slot))).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', other.id)).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'IMPORTING', other.id)).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', other.id)).to.equal(err(`I'm already the owner of hash slot ${slot}`));
    expect(myLine(s)).to.match(new RegExp(` connected ${slot} \\[100-<-${other.id}\\] \\[${slot}->-${other.id}\\]$`));
    expect(node(s).migratingTo(slot)).to.equal(other);
    expect(node(s).importingFrom(100)).to.equal(other);

    s.core.keyspace.db(0).set(key, 'v', s.clock.now());
    expect(s.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', other.id)).to.equal(
      err(`Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`),
    );
    s.core.keyspace.db(0).delete(key, s.clock.now());
    expect(s.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', other.id)).to.equal(resp.ok);
    const nodes = s.call('CLUSTER', 'NODES');
    expect(nodes).to.include(`${other.id} 127.0.0.1:1@10001 master - 0 ${s.clock.now()} 0 connected ${slot}\n`);
    expect(myLine(s)).to.match(new RegExp(` 0 connected \\[100-<-${other.id}\\]$`));

    // Taking an importing slot bumps this node to a new, highest epoch.
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'NODE', node(s).myId)).to.equal(resp.ok);
    expect(myLine(s)).to.match(/ myself,master - 0 0 1 connected 100$/);
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'MIGRATING', other.id)).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'SETSLOT', '100', 'STABLE')).to.equal(resp.ok);
    expect(myLine(s)).to.match(/ connected 100$/);
    expect(s.call('CLUSTER', 'COUNT-FAILURE-REPORTS', other.id)).to.equal(resp.int(0));
  });

  it('records REPLICATE as a role, and RESET makes it a lone master again', () => {
    const s = freshNode();
    const master = knownPeer(s);
    master.configEpoch = 7;
    expect(s.call('CLUSTER', 'ADDSLOTS', '1')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'REPLICATE', master.id)).to.equal(err('To set a master the node must be empty and without assigned slots.'));
    expect(s.call('CLUSTER', 'DELSLOTS', '1')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'REPLICATE', master.id)).to.equal(resp.ok);
    const line = `${node(s).myId} 127.0.0.1:7100@17100 myself,slave ${master.id} 0 0 7 connected`;
    expect(myLine(s)).to.equal(line);
    expect(s.call('CLUSTER', 'REPLICAS', master.id)).to.equal(resp.bulks([line]));
    expect(s.call('CLUSTER', 'SLAVES', master.id)).to.equal(resp.bulks([line]));
    expect(s.call('CLUSTER', 'REPLICAS', node(s).myId)).to.equal(err('The specified node is not a master'));
    expect(s.call('CLUSTER', 'SETSLOT', '1', 'STABLE')).to.equal(err('Please use SETSLOT only with masters.'));
    expect(s.call('CLUSTER', 'FORGET', master.id)).to.equal(err("Can't forget my master!"));
    expect(s.call('CLUSTER', 'RESET', 'SOFT')).to.equal(resp.ok);
    expect(s.call('CLUSTER', 'NODES')).to.equal(resp.bulk(`${node(s).myId} 127.0.0.1:7100@17100 myself,master - 0 0 0 connected\n`));
  });

  it('RESET HARD takes a new id and epoch 0; FORGET drops a member', () => {
    const s = freshNode();
    const before = node(s).myId;
    const other = knownPeer(s);
    expect(s.call('CLUSTER', 'FORGET', other.id)).to.equal(resp.ok);
    expect(infoField(s, 'cluster_known_nodes')).to.equal('1');
    expect(s.call('CLUSTER', 'BUMPEPOCH')).to.equal('+BUMPED 1\r\n');
    expect(s.call('CLUSTER', 'RESET', 'HARD')).to.equal(resp.ok);
    expect(node(s).myId).to.not.equal(before);
    expect(s.call('CLUSTER', 'MYID')).to.equal(resp.bulk(node(s).myId));
    expect([infoField(s, 'cluster_current_epoch'), infoField(s, 'cluster_my_epoch')]).to.deep.equal(['0', '0']);
  });

  it('refuses a malformed CLUSTER GOSSIP message', () => {
    const s = freshNode();
    const id = 'a'.repeat(40);
    const message = (slots: unknown): string =>
      JSON.stringify({ id, host: '127.0.0.1', port: 1, cport: 10001, epoch: 1, currentEpoch: 1, master: null, slots, meet: true, known: [] });
    for (const bad of ['{', message([[0, 16384]]), message([[5, 3]]), JSON.stringify({ id: 'x' })]) {
      expect(s.call('CLUSTER', 'GOSSIP', bad)).to.equal(err('Invalid cluster gossip message'));
    }
    expect(s.call('CLUSTER', 'GOSSIP', message([[0, 3]]))).to.match(/^\$\d+\r\n\{/);
    expect(s.call('CLUSTER', 'NODES')).to.include(`${id} 127.0.0.1:1@10001 master - 0 ${s.clock.now()} 1 connected 0-3\n`);
  });

  it('queues CLUSTER commands in MULTI and runs them in EXEC, as redis-cli --cluster fix sends them', () => {
    const s = freshNode();
    expect(s.call('CLUSTER', 'ADDSLOTS', '5')).to.equal(resp.ok);
    expect(s.call('MULTI')).to.equal(resp.ok);
    for (const args of [['DELSLOTS', '5'], ['ADDSLOTS', '5'], ['SETSLOT', '5', 'STABLE'], ['BUMPEPOCH']]) {
      expect(s.call('CLUSTER', ...args)).to.equal('+QUEUED\r\n');
    }
    expect(s.call('EXEC')).to.equal(resp.array([resp.ok, resp.ok, resp.ok, '+BUMPED 1\r\n']));
  });
});
