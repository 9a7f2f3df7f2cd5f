// The links one node opens to the others for a long operation (the ring rebalance): a link the
// node closed while nothing was waiting on it (its `timeout`) is opened again on next use; a link
// that failed with a request waiting stays failed, since that request may or may not have run.

import { expect } from 'chai';
import net from 'node:net';
import { startServer, type RingcacheServer } from '../../src/index.js';
import { AdminLinks } from '../../src/cluster/admin-link.js';
import { FakeClock } from '../../src/util/clock.js';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).to.equal(true);
}

describe('AdminLinks', () => {
  let server: RingcacheServer | null = null;
  let links: AdminLinks | null = null;

  afterEach(async () => {
    links?.closeAll();
    links = null;
    await server?.close();
    server = null;
  });

  it("opens a link again after the node's timeout closed it while idle", async () => {
    const clock = new FakeClock();
    server = await startServer({ port: 0, clock, config: { timeout: 1, hz: 100 } });
    const port = server.port;
    links = new AdminLinks('', 10000);
    const first = links.to('127.0.0.1', port);
    expect(await first.call(['SET', 'k', 'v'])).to.equal('OK');
    expect(links.to('127.0.0.1', port)).to.equal(first);
    clock.advance(1500);
    await until(() => first.closedWhileIdle);
    let failure = '';
    await first.call(['PING']).catch((err: Error) => (failure = err.message));
    expect(failure).to.equal(`connection to 127.0.0.1:${port} closed`);
    const second = links.to('127.0.0.1', port);
    expect(second).not.to.equal(first);
    expect(await second.call(['GET', 'k'])).to.equal('v');
    expect(links.to('127.0.0.1', port)).to.equal(second);
  });

  it('keeps a link that failed with a request waiting failed', async () => {
    // A node that takes the request and goes away without answering it.
    const node = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    const port = (node.address() as net.AddressInfo).port;
    try {
      links = new AdminLinks('', 10000);
      const link = links.to('127.0.0.1', port);
      let failure = '';
      await link.call(['CLUSTER', 'SETSLOT', '1', 'NODE', 'abc']).catch((err: Error) => (failure = err.message));
      expect(failure).to.equal(`connection to 127.0.0.1:${port} closed`);
      expect(link.closedWhileIdle).to.equal(false);
      expect(links.to('127.0.0.1', port)).to.equal(link);
      let again = '';
      await links.to('127.0.0.1', port).call(['PING']).catch((err: Error) => (again = err.message));
      expect(again).to.equal(`connection to 127.0.0.1:${port} closed`);
    } finally {
      await new Promise<void>((resolve) => node.close(() => resolve()));
    }
  });
});
