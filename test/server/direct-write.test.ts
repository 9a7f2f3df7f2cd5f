// writeDirect's count of the bytes libuv still holds, and when it calls `done`: only for a write
// it reported as held, since the connection clears its whole pending count on that call. A write
// that went through libuv's queue but that uv_write finished at once (held: 0) still completes a
// turn later; told of it, the connection would forget a later write libuv does hold.
// The handle here is a stand-in with the shape writeDirect checks; libuv's answers are scripted.

import { expect } from 'chai';
import type { Socket } from 'node:net';
import { directWriteAvailable, writeDirect } from '../../src/server/direct-write.js';

interface Req {
  oncomplete(status: number): void;
}

const binding = (process as unknown as { binding(name: string): { streamBaseState: Int32Array; kLastWriteWasAsync: number } }).binding('stream_wrap');

/** A stand-in libuv TCP handle: each write leaves `held` bytes queued, through the queue (async) or not. */
class TCP {
  writeQueueSize = 0;
  requests: Req[] = [];
  constructor(private readonly script: { async: boolean; held: number }[]) {}
  writeBuffer(req: Req, data: Uint8Array): number {
    const step = this.script.shift() as { async: boolean; held: number };
    expect(step.held).to.be.at.most(data.length);
    binding.streamBaseState[binding.kLastWriteWasAsync] = step.async ? 1 : 0;
    this.writeQueueSize = step.held;
    if (step.async) this.requests.push(req);
    return 0;
  }
}

function fakeSocket(handle: TCP): Socket & { destroyed: boolean } {
  const socket = {
    _handle: handle,
    writableLength: 0,
    writable: true,
    destroyed: false,
    destroy() {
      socket.destroyed = true;
    },
  };
  return socket as unknown as Socket & { destroyed: boolean };
}

describe('writeDirect', () => {
  it('is available in this Node', () => {
    expect(directWriteAvailable).to.equal(true);
  });

  const data = Buffer.alloc(1000, 120);

  it('reports 0 and calls nobody when the kernel takes every byte at once', () => {
    const handle = new TCP([{ async: false, held: 0 }]);
    const calls: boolean[] = [];
    expect(writeDirect(fakeSocket(handle), data, (ok) => calls.push(ok))).to.equal(0);
    expect(handle.requests).to.have.length(0);
    expect(calls).to.deep.equal([]);
  });

  it('reports what libuv holds, and calls done once that write completes', () => {
    const handle = new TCP([{ async: true, held: 600 }]);
    const calls: boolean[] = [];
    expect(writeDirect(fakeSocket(handle), data, (ok) => calls.push(ok))).to.equal(600);
    handle.writeQueueSize = 0;
    handle.requests[0].oncomplete(0);
    expect(calls).to.deep.equal([true]);
  });

  it('does not call done for a queued write that uv_write finished at once (held 0)', () => {
    const handle = new TCP([
      { async: true, held: 0 },
      { async: true, held: 400 },
    ]);
    const socket = fakeSocket(handle);
    const calls: string[] = [];
    expect(writeDirect(socket, data, () => calls.push('first'))).to.equal(0);
    handle.writeQueueSize = 0;
    // The next flush, before the first write's completion arrives: libuv holds 400 of it.
    expect(writeDirect(socket, data, () => calls.push('second'))).to.equal(400);
    handle.requests[0].oncomplete(0);
    expect(calls).to.deep.equal([]);
    handle.requests[1].oncomplete(0);
    expect(calls).to.deep.equal(['second']);
    expect(socket.destroyed).to.equal(false);
  });

  it('destroys the socket when such a write fails after all', () => {
    const handle = new TCP([{ async: true, held: 0 }]);
    const socket = fakeSocket(handle);
    const calls: boolean[] = [];
    expect(writeDirect(socket, data, (ok) => calls.push(ok))).to.equal(0);
    handle.requests[0].oncomplete(-32);
    expect(calls).to.deep.equal([]);
    expect(socket.destroyed).to.equal(true);
  });
});
