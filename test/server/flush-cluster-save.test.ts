// A connection writes the cluster's nodes file before it sends replies that may acknowledge a
// change to it. When that write fails (here: the directory is gone), the error goes on up, and
// the replies must neither leave before the file is written nor be lost: they leave, in order,
// with the flush after the save succeeds.

import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RingcacheServer } from '../../src/server/server.js';
import { Connection } from '../../src/server/connection.js';

describe('a connection flush when the cluster nodes file cannot be written', function () {
  this.timeout(10000);
  let dir: string;
  let server: RingcacheServer;
  let listener: net.Server;
  let peer: net.Socket;
  let connection: Connection;
  let received = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ringcache-flush-save-'));
    server = new RingcacheServer({ port: 0, bind: '127.0.0.1', config: { dir, 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf' } });
    await server.listen();
    // A connection of our own on the server's core, whose flush the test calls itself.
    listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    peer = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
    const [socket] = (await once(listener, 'connection')) as [net.Socket];
    const client = server.core.createClient({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: -1 });
    connection = new Connection(server.core, socket, client, () => server.core.removeClient(client));
    peer.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
  });

  after(async () => {
    peer.destroy();
    listener.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the replies until the save succeeds, then sends them in order', async () => {
    const core = server.core;
    const cluster = core.cluster;
    if (cluster === null) throw new Error('cluster mode expected');
    core.execute(connection.client, ['CLUSTER', 'ADDSLOTS', '7']);
    expect(cluster.saveDue).to.equal(true);
    rmSync(dir, { recursive: true });
    expect(() => connection.flush()).to.throw(/ENOENT/);
    // Still due, and still failing: nothing has left.
    expect(cluster.saveDue).to.equal(true);
    core.execute(connection.client, ['PING']);
    expect(() => connection.flush()).to.throw(/ENOENT/);
    // Before the retry saveSoon scheduled for the end of this turn.
    mkdirSync(dir);
    connection.flush();
    expect(cluster.saveDue).to.equal(false);
    expect(readFileSync(join(dir, 'nodes.conf'), 'latin1')).to.match(/ myself,master - 0 0 \d+ connected 7\n/);
    core.execute(connection.client, ['ECHO', 'last']);
    connection.flush();
    const expected = '+OK\r\n+PONG\r\n$4\r\nlast\r\n';
    while (received.length < expected.length && !received.includes('last')) await once(peer, 'data');
    expect(received).to.equal(expected);
  });
});
