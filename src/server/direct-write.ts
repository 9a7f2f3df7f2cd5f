// Writing a reply batch straight through the socket's libuv handle, bypassing Node's Writable
// stream when nothing is queued in it.
//
// Why: per request without pipelining, `socket.write` costs the stream machinery (writeOrBuffer,
// a WriteWrap, the afterWrite tick that drags processTicksAndRejections along) on top of the
// write(2) itself, which Redis pays too. The handle's writeBuffer tries the write(2) at once; on
// a healthy loopback client it completes synchronously and nothing else happens.
//
// This is internal Node API (`socket._handle`, and the WriteWrap request class from
// process.binding('stream_wrap'), documented-deprecated DEP0111 but present in Node 20), so it
// is used only when every piece is found with the expected shape, and only on plain TCP/pipe
// sockets with an empty stream queue; otherwise the caller falls back to `socket.write`. A real
// WriteWrap matters: when the kernel takes only part of the bytes, libuv queues the rest and
// Node attaches its request state to the object, which a plain object cannot hold.
//
// Ordering: a later `socket.write` while a direct write is still queued in libuv goes behind it
// (libuv refuses to try-write past a non-empty write queue), so replies stay in order.

import type { Socket } from 'node:net';

interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  buffer: Uint8Array | null;
  async: boolean;
  bytes: number;
  done: ((ok: boolean) => void) | null;
  /** Destroyed should the write fail, when no `done` is told of it. */
  socket: Socket | null;
}

interface StreamHandle {
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  writeQueueSize: number;
  constructor: { name: string };
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

const binding = ((): StreamWrapBinding | null => {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap === 'function' && b.streamBaseState instanceof Int32Array && typeof b.kLastWriteWasAsync === 'number') {
      return b as StreamWrapBinding;
    }
  } catch {
    // No process.binding, or no such binding: socket.write it is.
  }
  return null;
})();

function onComplete(this: WriteReq, status: number): void {
  const done = this.done;
  const socket = this.socket;
  this.buffer = null;
  this.done = null;
  this.socket = null;
  if (done !== null) done(status >= 0);
  else if (status < 0) socket?.destroy();
}

/**
 * A request object no write holds. When the kernel takes every byte at once, the handle returns
 * before it attaches anything to the request (StreamBase::Write), so one object serves write
 * after write; only a write that libuv keeps queued takes it for good.
 */
let spareReq: WriteReq | null = null;

/** Whether direct writes are possible in this Node at all. */
export const directWriteAvailable = binding !== null;

/** Returned by writeDirect when the caller must use socket.write instead. */
export const NOT_WRITTEN = -1;

/**
 * Writes `data` through the socket's handle when that is safe. Returns NOT_WRITTEN when the
 * caller must use socket.write instead; else the bytes libuv still holds to write later (0 when
 * the kernel took them all). Only in that later case is `done` called, once libuv finishes the
 * write (true) or fails it (false). An immediate failure destroys the socket, as Node's own
 * write would.
 */
export function writeDirect(socket: Socket, data: Uint8Array, done: (ok: boolean) => void): number {
  if (binding === null) return NOT_WRITTEN;
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (handle === null || handle === undefined || typeof handle.writeBuffer !== 'function') return NOT_WRITTEN;
  const kind = handle.constructor.name;
  if ((kind !== 'TCP' && kind !== 'Pipe') || socket.writableLength !== 0 || !socket.writable || socket.destroyed) return NOT_WRITTEN;
  if (handle.writeQueueSize !== 0) return NOT_WRITTEN;
  let req = spareReq;
  spareReq = null;
  if (req === null) {
    req = new binding.WriteWrap();
    req.oncomplete = onComplete;
    req.buffer = null;
    req.async = false;
    req.bytes = 0;
    req.done = null;
    req.socket = null;
  }
  req.handle = handle;
  const err = handle.writeBuffer(req, data);
  if (err !== 0) {
    socket.destroy();
    return 0;
  }
  if (binding.streamBaseState[binding.kLastWriteWasAsync] === 0) {
    req.handle = null;
    spareReq = req;
    return 0;
  }
  // libuv holds a pointer into data until the write completes.
  req.async = true;
  req.buffer = data;
  const held = handle.writeQueueSize ?? data.length;
  if (held === 0) {
    // The kernel took only part at first, and uv_write wrote the rest itself: nothing is held,
    // but the completion still comes, a turn later. Were `done` told of it, it would clear the
    // count of a later write that libuv does hold (the connection's directPending, which its
    // backpressure and output buffer limit read) and resume a client paused for that write.
    req.done = null;
    req.socket = socket;
    return 0;
  }
  req.done = done;
  return held;
}
