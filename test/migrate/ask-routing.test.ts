// ASK and TRYAGAIN while a slot migrates, by Redis's getNodeByQuery rules. The open-slot state is
// set on the node directly here; CLUSTER SETSLOT MIGRATING/IMPORTING is what sets it in use.

import { expect } from 'chai';
import { keySlot } from '../../src/cluster/crc16.js';
import type { ClusterNode } from '../../src/cluster/cluster-node.js';
import { resp } from '../helpers/session.js';
import { THREE_NODES, clusterSession, keyServedBy, removeTempDirs } from '../cluster/helpers.js';

describe('ASK and TRYAGAIN routing of an open slot', () => {
  after(removeTempDirs);

  it('on the migrating node: serves present keys, ASKs for missing ones, TRYAGAIN for a partial set', () => {
    const s = clusterSession();
    const node = s.core.cluster as ClusterNode;
    const key = keyServedBy(s, 7000);
    const slot = keySlot(key);
    const target = node.topology?.peers[1];
    s.call('SET', key, 'v');
    node.migrating.set(slot, target?.id as string);
    expect(s.call('GET', key)).to.equal(resp.bulk('v'));
    const missing = `{${key}}other`;
    expect(s.call('GET', missing)).to.equal(resp.err(`ASK ${slot} 127.0.0.1:${target?.port}`));
    expect(s.call('MGET', key, missing)).to.equal(resp.err('TRYAGAIN Multiple keys request during rehashing of slot'));
    // A new key goes to the target too, and MIGRATE runs here whatever its keys.
    expect(s.call('SET', missing, 'w')).to.equal(resp.err(`ASK ${slot} 127.0.0.1:${target?.port}`));
    expect(s.call('MIGRATE', '127.0.0.1', '1', missing, '0', '10')).to.equal(resp.simple('NOKEY'));
  });

  it('on the importing node: MOVED without ASKING, served after it for one command, TRYAGAIN for missing multi-keys', () => {
    const s = clusterSession(THREE_NODES, THREE_NODES[1]);
    const node = s.core.cluster as ClusterNode;
    const key = keyServedBy(s, 7000);
    const slot = keySlot(key);
    node.importing.set(slot, node.topology?.peers[0].id as string);
    expect(s.call('GET', key)).to.equal(resp.err(`MOVED ${slot} 127.0.0.1:7000`));
    expect(s.call('ASKING')).to.equal(resp.ok);
    expect(s.call('SET', key, 'v')).to.equal(resp.ok);
    expect(s.call('GET', key)).to.equal(resp.err(`MOVED ${slot} 127.0.0.1:7000`));
    expect(s.call('ASKING')).to.equal(resp.ok);
    expect(s.call('MGET', key, `{${key}}x`)).to.equal(resp.err('TRYAGAIN Multiple keys request during rehashing of slot'));
    expect(s.call('ASKING')).to.equal(resp.ok);
    const dumped = s.call('DUMP', key);
    const bytes = dumped.slice(dumped.indexOf('\r\n') + 2, -2);
    expect(s.call('RESTORE-ASKING', `{${key}}y`, '0', bytes)).to.equal(resp.ok);
    expect(s.call('ASKING')).to.equal(resp.ok);
    expect(s.call('GET', `{${key}}y`)).to.equal(resp.bulk('v'));
  });
});
