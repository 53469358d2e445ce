/**
 * A local TLS test bench for the probe: one server on 127.0.0.1 that serves a different chain per SNI
 * name, plus a silent TCP server (handshake never answered), a plain-text server (handshake fails) and
 * a closed port.
 *
 * Certificates are made in the test run (Node crypto keys, node-forge encoding via the fixture builder),
 * with leaves expiring +120 / +60 / +20 / −1 days from now under one test root.
 */
import net from 'node:net';
import tls from 'node:tls';
import { buildCertificate, dn, generateRsaKey, issuerOf, selfIssuer, type BuiltCertificate, type KeyPair } from '../fixtures/x509-builder';

const DAY = 86_400_000;

/** The stamp the bench serves: region `east`, domain `azurestack.contoso.com`. */
export const BENCH_BASE = 'east.azurestack.contoso.com';

/** Leaf lifetimes by the name they are served under (days from now). */
export const BENCH_LEAVES: Readonly<Record<string, number>> = {
  [`portal.${BENCH_BASE}`]: 120,
  [`adminportal.${BENCH_BASE}`]: 60,
  [`management.${BENCH_BASE}`]: 20,
  [`adminmanagement.${BENCH_BASE}`]: -1,
};

/** The name served a certificate for another name (name mismatch). */
export const MISMATCH_NAME = `azsprobe.blob.${BENCH_BASE}`;

/** A running bench. */
export interface TlsBench {
  /** Port of the TLS server on 127.0.0.1. */
  port: number;
  /** Port of a TCP server that accepts and never answers. */
  silentPort: number;
  /** A port nothing listens on. */
  closedPort: number;
  /** Port of a plain-text server that answers the handshake with HTTP (a handshake failure). */
  plainPort: number;
  close(): Promise<void>;
}

function pem(key: KeyPair): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function leaf(name: string, days: number, rootCert: BuiltCertificate, root: KeyPair): Promise<{ cert: string; key: string }> {
  const key = await generateRsaKey(2048);
  const now = Date.now();
  const built = buildCertificate({
    subject: dn(name, 'Bench'),
    publicKey: key.publicKey,
    issuer: issuerOf(rootCert, root.privateKey),
    notBefore: new Date(now - 400 * DAY),
    notAfter: new Date(now + days * DAY + 3_600_000),
    hash: 'sha256',
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    dnsNames: [name],
  });
  return { cert: built.pem + rootCert.pem, key: pem(key) };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts the bench. */
export async function startTlsBench(): Promise<TlsBench> {
  const rootKey = await generateRsaKey(2048);
  const now = Date.now();
  const rootSubject = dn('Bench Test Root', 'Bench');
  const rootCert = buildCertificate({
    subject: rootSubject,
    publicKey: rootKey.publicKey,
    issuer: selfIssuer(rootSubject, rootKey),
    notBefore: new Date(now - 1000 * DAY),
    notAfter: new Date(now + 3000 * DAY),
    hash: 'sha256',
    basicConstraints: { ca: true },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const contexts = new Map<string, tls.SecureContext>();
  for (const [name, days] of Object.entries(BENCH_LEAVES)) {
    const { cert, key } = await leaf(name, days, rootCert, rootKey);
    contexts.set(name, tls.createSecureContext({ cert, key }));
  }
  // Every other name (the mismatch case among them) gets a certificate for a name outside the stamp.
  const other = await leaf('other.example.net', 200, rootCert, rootKey);
  const server = tls.createServer({
    cert: other.cert,
    key: other.key,
    SNICallback: (servername, callback) => callback(null, contexts.get(servername.toLowerCase()) ?? tls.createSecureContext(other)),
  });
  // Handshakes the probe closes right after reading the chain end with resets; they are expected here.
  server.on('tlsClientError', () => undefined);
  // Every accepted socket is destroyed on close, so closing never waits for a peer that went quiet.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const plain = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  const closedProbe = net.createServer();
  const [port, silentPort, closedPort, plainPort] = await Promise.all([listen(server), listen(silent), listen(closedProbe), listen(plain)]);
  await closeServer(closedProbe);
  return {
    port,
    silentPort,
    closedPort,
    plainPort,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([closeServer(server), closeServer(silent), closeServer(plain)]);
    },
  };
}
