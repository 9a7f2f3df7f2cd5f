// The TLS side of the network server: a second listener on tls-port whose sockets become
// ordinary connections, and the loopback test of protected mode.

import { readFileSync } from 'node:fs';
import type net from 'node:net';
import tls from 'node:tls';
import type { Config } from '../config/config.js';

/**
 * Redis 7.0's islocalClient compares the peer's text with 127.0.0.1 and ::1 only (127.0.0.2 is
 * not local to it); Node writes IPv4 peers of a dual-stack socket as ::ffff:127.0.0.1.
 */
export function isLoopbackPeer(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Listens for TLS clients on tls-port (on `host`); resolves once bound. */
export function listenTls(config: Config, host: string, onSocket: (socket: net.Socket) => void): Promise<tls.Server> {
  const auth = config.get('tls-auth-clients');
  const ca = config.get('tls-ca-cert-file');
  const options: tls.TlsOptions = {
    cert: readFileSync(config.get('tls-cert-file')),
    key: readFileSync(config.get('tls-key-file')),
    ca: ca === '' ? undefined : readFileSync(ca),
    // `optional` asks for a certificate but lets a client without one in; one presented must verify.
    requestCert: auth !== 'no',
    rejectUnauthorized: auth === 'yes',
  };
  return new Promise((resolve, reject) => {
    const server = tls.createServer(options, (socket) => {
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
