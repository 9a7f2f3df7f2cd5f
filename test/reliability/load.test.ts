// 10,000 concurrent connections to one server process: each is accepted, sends its own SET and
// GET and gets exactly its reply, INFO counts them all at once, and once they close the count
// is back to the one client asking. The server runs as a child process so that its descriptors
// and the test's are counted against separate `ulimit -n` limits (20000 here and on CI).

import { expect } from 'chai';
import net from 'node:net';
import { RawClient } from '../helpers/raw-client.js';
import { infoField, killChild, startChildServer, waitUntil, type ChildServer } from './child-server.js';

const CONNECTIONS = 10000;
/** Connections opened at once: below the listen backlog (tcp-backlog 511), so none is dropped. */
const BATCH = 500;

function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;
}

/** Opens one connection, sends SET k<i> v<i> and GET k<i>, and resolves once both replies are exact. */
function openAndAsk(port: number, i: number): Promise<net.Socket> {
  const value = `v${i}`;
  const expected = `+OK\r\n$${value.length}\r\n${value}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let got = '';
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`connection ${i}: ${why}; got ${JSON.stringify(got)}`));
    };
    socket.once('error', (err) => fail(err.message));
    socket.once('close', () => fail('closed by the server'));
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.length < expected.length) return;
      if (got !== expected) return fail(`expected ${JSON.stringify(expected)}`);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.write(command('SET', `k${i}`, value) + command('GET', `k${i}`));
  });
}

describe('reliability: 10,000 concurrent connections', function () {
  this.timeout(120000);
  let server: ChildServer | null = null;
  const sockets: net.Socket[] = [];
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await killChild(server);
  });

  it('serves every one, counts them in INFO, and counts them out when they close', async () => {
    server = await startChildServer(['--maxclients', String(CONNECTIONS + 100), '--save', '']);
    const control = await RawClient.connect(server.port);
    try {
      for (let start = 0; start < CONNECTIONS; start += BATCH) {
        const batch: Promise<net.Socket>[] = [];
        for (let i = start; i < Math.min(start + BATCH, CONNECTIONS); i++) batch.push(openAndAsk(server.port, i));
        sockets.push(...(await Promise.all(batch)));
      }
      const clients = async (): Promise<number> => Number(infoField(await control.call('INFO', 'clients'), 'connected_clients'));
      expect(await clients()).to.equal(CONNECTIONS + 1);
      expect(await control.call('DBSIZE')).to.equal(`:${CONNECTIONS}\r\n`);
      const stats = await control.call('INFO', 'stats');
      expect(infoField(stats, 'rejected_connections')).to.equal('0');
      expect(Number(infoField(stats, 'total_connections_received'))).to.equal(CONNECTIONS + 1);
      for (const socket of sockets.splice(0)) socket.end();
      await waitUntil(async () => (await clients()) === 1, 'connected_clients to return to 1', 30000, 100);
    } finally {
      await control.close();
    }
  });
});
