// Reading an accepted socket into one preallocated buffer, as `new net.Socket({ onread })` does,
// instead of through the socket's Readable stream.
//
// Why: without pipelining every request is one read, and Node's default read path pays per read
// for a fresh 64 KB backing store (malloc, then a realloc down to the bytes read), a Buffer object,
// Readable.push/addChunk, the 'data' emit, and a process.nextTick (maybeReadMore) that makes every
// read callback end in processTicksAndRejections. In onread mode the bytes land in a buffer that
// is reused, the callback is called directly, and no tick is scheduled.
//
// net.Server creates accepted sockets itself and has no way to pass `onread`. The option only
// sets three symbol-keyed fields on the Socket and asks the handle to read into the buffer
// (`useUserBuffer`); everything else (pause/resume becoming readStop/readStart, EOF, read
// errors, half-close) is Node's own code keyed on those fields. The symbols are not exported, so
// they are found on a probe socket built with the public option, and the whole mode is used only
// when the probe shows exactly the expected shape. Anything unexpected (another Node, a TLS
// socket, a socket already holding data) leaves the socket on the stream path.
//
// One buffer serves every connection: libuv calls the read callback right after each read, and
// the callback must consume or copy the bytes before it returns (the next read overwrites them).

import net from 'node:net';

/** Called with the bytes of one read: a view that is valid only until the callback returns. */
export type ReadCallback = (chunk: Buffer) => void;

interface ReadHandle {
  useUserBuffer(buffer: Uint8Array): void;
  reading: boolean;
  constructor: { name: string };
}

interface OnreadSymbols {
  buffer: symbol;
  callback: symbol;
  generator: symbol;
}

/** The read size; Node's own stream path reads up to 64 KB at a time too. */
const READ_BUFFER_BYTES = 64 * 1024;

const sharedBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

/**
 * Reads up to this many bytes get a view made once per length and reused: an unpipelined
 * request is one small read, and a fresh Buffer object per read was measurable.
 */
const REUSED_VIEW_MAX = 2048;
const views: (Buffer | undefined)[] = [];

function viewOf(length: number): Buffer {
  if (length > REUSED_VIEW_MAX) return sharedBuffer.subarray(0, length);
  let view = views[length];
  if (view === undefined) {
    view = sharedBuffer.subarray(0, length);
    views[length] = view;
  }
  return view;
}

const symbols = ((): OnreadSymbols | null => {
  try {
    const buffer = Buffer.alloc(1);
    const callback = (): void => undefined;
    // The option is public (net.Socket docs) but missing from this @types/node's constructor type.
    const probe = new net.Socket({ onread: { buffer, callback } } as net.SocketConstructorOpts);
    const fields = probe as unknown as Record<symbol, unknown> & { _handle: unknown };
    const own = Object.getOwnPropertySymbols(probe);
    const bufferKey = own.find((s) => fields[s] === buffer && s.description === 'kBuffer');
    const callbackKey = own.find((s) => fields[s] === callback && s.description === 'kBufferCb');
    const generatorKey = own.find((s) => fields[s] === null && s.description === 'kBufferGen');
    if (bufferKey === undefined || callbackKey === undefined || generatorKey === undefined) return null;
    // The field must be what turns pause() into an immediate readStop, else a paused client
    // would go on being read (and its bytes parsed) while it should wait.
    let stopped = false;
    fields._handle = { reading: true, readStop: () => ((stopped = true), 0) };
    probe.pause();
    fields._handle = null;
    probe.destroy();
    return stopped ? { buffer: bufferKey, callback: callbackKey, generator: generatorKey } : null;
  } catch {
    return null;
  }
})();

/** Whether this Node offers the mode at all. */
export const directReadAvailable = symbols !== null;

/**
 * Switches a freshly accepted plain TCP or Unix socket to reading into the shared buffer, and
 * returns true; `onRead` then gets every read, and 'data' is never emitted. Returns false (and
 * changes nothing) when the socket must stay on the stream path. Must be called before the
 * event loop turns after the accept, so that no read has happened yet.
 */
export function readDirect(socket: net.Socket, onRead: ReadCallback): boolean {
  if (symbols === null) return false;
  const fields = socket as unknown as Record<symbol, unknown> & { _handle?: ReadHandle | null; encrypted?: boolean };
  const handle = fields._handle;
  if (handle === null || handle === undefined || typeof handle.useUserBuffer !== 'function') return false;
  const kind = handle.constructor.name;
  if (kind !== 'TCP' && kind !== 'Pipe') return false;
  if (fields.encrypted === true || socket.destroyed || socket.readableLength !== 0) return false;
  if (fields[symbols.buffer] !== null || fields[symbols.callback] !== null) return false;
  fields[symbols.buffer] = sharedBuffer;
  fields[symbols.callback] = (length: number): void => onRead(viewOf(length));
  fields[symbols.generator] = null;
  handle.useUserBuffer(sharedBuffer);
  // Accepted sockets start reading at creation; one made with pauseOnConnect does not.
  if (!handle.reading) socket.resume();
  return true;
}
