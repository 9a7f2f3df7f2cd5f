// The TLS side of the network server: a second listener on tls-port whose sockets become
// ordinary connections, and the loopback test of protected mode.

import { readFileSync } from 'node:fs';
import type net from 'node:net';
import type tls from 'node:tls';
import type { Config } from '../config/config.js';

/**
 * Redis 7.0's islocalClient compares the peer's text with 127.0.0.1 and ::1 only (127.0.0.2 is
 * not local to it); Node writes IPv4 peers of a dual-stack socket as ::ffff:127.0.0.1.
 */
export function isLoopbackPeer(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** TLS cannot start: the message names the setting to fix. */
export class TlsSetupError extends Error {}

/** The PEM file a TLS setting names, or a TlsSetupError saying which setting to fix and how. */
function readPem(config: Config, setting: string): Buffer {
  const path = config.get(setting);
  if (path === '') {
    throw new TlsSetupError(`Failed to configure TLS: tls-port is set but ${setting} is not; give it with --${setting} /path/to/file.pem`);
  }
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new TlsSetupError(`Failed to configure TLS: cannot read ${setting} '${path}' (${reason}); point --${setting} at a readable PEM file`);
  }
}

/** Listens for TLS clients on tls-port (on `host`); resolves once bound. */
// async, so that a settings error rejects (and the caller closes what it opened) instead of throwing.
export async function listenTls(config: Config, host: string, onSocket: (socket: net.Socket) => void): Promise<tls.Server> {
  const auth = config.get('tls-auth-clients');
  const options: tls.TlsOptions = {
    cert: readPem(config, 'tls-cert-file'),
    key: readPem(config, 'tls-key-file'),
    ca: config.get('tls-ca-cert-file') === '' ? undefined : readPem(config, 'tls-ca-cert-file'),
    // `optional` asks for a certificate but lets a client without one in; one presented must verify.
    requestCert: auth !== 'no',
    rejectUnauthorized: auth === 'yes',
  };
  // Loaded here, not at start: node:tls costs an idle server ~1.5 MB of RSS it rarely uses.
  const { createServer } = await import('node:tls');
  return new Promise((resolve, reject) => {
    const server = createServer(options, (socket) => {
      if (auth === 'optional' && socket.getPeerCertificate() !== null && Object.keys(socket.getPeerCertificate()).length > 0 && !socket.authorized) {
        socket.destroy();
        return;
      }
      onSocket(socket);
    });
    // A failed handshake is the peer's problem; it must not reach the process.
    server.on('tlsClientError', () => undefined);
    server.once('error', reject);
    server.listen({ host, port: config.getNumber('tls-port') }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
