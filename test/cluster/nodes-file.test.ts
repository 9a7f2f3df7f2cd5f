// The nodes file keeps a node's open slots (`[slot->-id]` migrating, `[slot-<-id]` importing) on
// its own line, as Redis 7.0 writes them, so that a restart mid-reshard keeps routing by them.

import { expect } from 'chai';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNodesFile } from '../../src/cluster/nodes-file.js';
import { removeTempDirs, tempDir } from './helpers.js';
import { startNode } from './self-managed.js';

const ME = 'a748be530f0a3621679d93b1a2b1f2ba70c6c019';
const PEER = '733687bfe5319cfe475714168ec72b2cce58c0f0';
/** Written by redis-server 7.0.15 after CLUSTER SETSLOT 5 MIGRATING and SETSLOT 9000 IMPORTING. */
const REDIS_FILE =
  `${ME} 127.0.0.1:7511@17511 myself,master - 0 0 0 connected 0-8191 [5->-${PEER}] [9000-<-${PEER}]\n` +
  `${PEER} 127.0.0.1:7512@17512 master - 0 1795457485431 1 connected 8192-16383\n` +
  'vars currentEpoch 1 lastVoteEpoch 0\n';

describe('cluster nodes file: open-slot markers', () => {
  after(removeTempDirs);

  it('reads the markers of the myself line as Redis writes them', () => {
    const path = join(tempDir(), 'nodes.conf');
    writeFileSync(path, REDIS_FILE, 'latin1');
    const saved = readNodesFile(path);
    expect(saved?.myId).to.equal(ME);
    expect([...(saved?.migrating ?? [])]).to.deep.equal([[5, PEER]]);
    expect([...(saved?.importing ?? [])]).to.deep.equal([[9000, PEER]]);
    expect(saved?.peers.map((p) => p.ranges)).to.deep.equal([[[0, 8191]], [[8192, 16383]]]);
  });

  it('refuses a malformed marker as a corrupted file', () => {
    const path = join(tempDir(), 'nodes.conf');
    const line = `${ME} 127.0.0.1:7511@17511 myself,master - 0 0 0 connected 0-8191 [16384->-${PEER}]`;
    writeFileSync(path, `${line}\nvars currentEpoch 1 lastVoteEpoch 0\n`, 'latin1');
    expect(() => readNodesFile(path)).to.throw(`Unrecoverable error: corrupted cluster config file "${line}".`);
  });

  it('a node started from such a file shows and routes by the markers, and SAVECONFIG writes them back', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nodes-m.conf'), REDIS_FILE, 'latin1');
    const node = await startNode(dir, 'm');
    try {
      const mine = ((await node.call('CLUSTER', 'NODES')) as string).split('\n').find((line) => line.includes('myself')) as string;
      expect(mine).to.equal(`${ME} 127.0.0.1:${node.port}@${node.port + 10000} myself,master - 0 0 0 connected 0-8191 [5->-${PEER}] [9000-<-${PEER}]`);
      // Slot 5 (k12912) is migrating: a key not here is asked for at the target. Slot 9000
      // (k52280) is importing: served here after ASKING, redirected without it.
      expect(await node.call('GET', 'k12912')).to.equal('-ASK 5 127.0.0.1:7512');
      expect(await node.call('GET', 'k52280')).to.equal('-MOVED 9000 127.0.0.1:7512');
      const asking = await node.client.pipeline().call('ASKING').call('GET', 'k52280').exec();
      expect(asking?.map(([, reply]) => reply)).to.deep.equal(['OK', null]);

      const path = join(dir, 'nodes-m.conf');
      rmSync(path);
      expect(await node.call('CLUSTER', 'SAVECONFIG')).to.equal('OK');
      expect(existsSync(path)).to.equal(true);
      expect(readFileSync(path, 'latin1').split('\n')[0]).to.equal(
        `${ME} 127.0.0.1:${node.port}@${node.port + 10000} myself,master - 0 0 0 connected 0-8191 [5->-${PEER}] [9000-<-${PEER}]`,
      );
    } finally {
      await node.close();
    }
  });
});
