import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedChainCaKind } from '../../electron/services/certificates/pfx-facts';
import { parseConnect, probeOne, probeStamp, probeTargets } from '../../electron/services/probe/index';
import { caKindFinding, daysLeft, expiryStatus, overallCaKind, probeName } from '../../shared/probe/probe-result';
import type { Stamp } from '../../shared/stamps/stamp';
import { buildCertificate, dn, generateRsaKey, issuerOf, selfIssuer, type BuiltCertificate, type KeyPair } from '../fixtures/x509-builder';
import { BENCH_BASE, MISMATCH_NAME, startTlsBench, type TlsBench } from '../support/tls-bench';

const STAMP: Stamp = {
  id: 1,
  name: 'Bench',
  region: 'east',
  externalFqdn: 'azurestack.contoso.com',
  identity: 'aad',
  version: '2108',
  ercsIps: ['10.0.0.1'],
  currentCaKind: 'enterprise',
  resourceProviders: [],
  rehearsal: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

let bench: TlsBench;
beforeAll(async () => {
  bench = await startTlsBench();
});
afterAll(async () => {
  await bench?.close();
});

describe('expiry thresholds', () => {
  it('follows the portal: 90 warning, 30 critical, expired below 0', () => {
    expect([120, 90, 89, 30, 29, 0, -1].map(expiryStatus)).toEqual(['ok', 'ok', 'warning', 'warning', 'critical', 'critical', 'expired']);
  });
  it('counts whole days', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(daysLeft('2026-01-11T12:00:00Z', now)).toBe(10);
    expect(daysLeft('2025-12-31T12:00:00Z', now)).toBe(-1);
  });
});

describe('probe targets', () => {
  it('probes wildcards as azsprobe.<rest> and only the stamp’s names', () => {
    expect(probeName('*.blob.east.x.com')).toBe('azsprobe.blob.east.x.com');
    const targets = probeTargets(STAMP);
    expect(targets).toHaveLength(11);
    expect(targets.every((t) => t.name.endsWith(`.${BENCH_BASE}`))).toBe(true);
    expect(targets.find((t) => t.endpoint === 'ACSBlob')?.name).toBe(MISMATCH_NAME);
    expect(probeTargets({ ...STAMP, identity: 'adfs', resourceProviders: ['appservices'] })).toHaveLength(13 + 6);
  });
  it('parses HOST[:PORT]', () => {
    expect(parseConnect('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseConnect('bench.local')).toEqual({ host: 'bench.local', port: 443 });
    expect(parseConnect('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseConnect('host:0')).toBeNull();
    expect(parseConnect('a b:1')).toBeNull();
  });
});

describe('probe against a local TLS bench', () => {
  it('reports ok, warning, critical, expired and name mismatch per SNI name, with the chain', async () => {
    const report = await probeStamp(STAMP, { connect: { host: '127.0.0.1', port: bench.port }, timeoutMs: 5000 });
    const by = (name: string) => report.endpoints.find((e) => e.name === name);
    expect(report.schemaVersion).toBe(1);
    expect(report.connect).toBe(`127.0.0.1:${bench.port}`);
    expect(by(`portal.${BENCH_BASE}`)).toMatchObject({ endpoint: 'Public Portal', status: 'ok', daysLeft: 120, error: null });
    expect(by(`adminportal.${BENCH_BASE}`)).toMatchObject({ status: 'warning', daysLeft: 60 });
    expect(by(`management.${BENCH_BASE}`)).toMatchObject({ status: 'critical', daysLeft: 20 });
    expect(by(`adminmanagement.${BENCH_BASE}`)).toMatchObject({ status: 'expired', daysLeft: -1 });
    const portal = by(`portal.${BENCH_BASE}`);
    expect(portal?.chain).toHaveLength(2);
    expect(portal?.chain[0]?.subject).toContain(`portal.${BENCH_BASE}`);
    expect(portal?.chain[1]?.subject).toContain('Bench Test Root');
    const mismatch = by(MISMATCH_NAME);
    expect(mismatch?.status).toBe('error');
    expect(mismatch?.error).toBe('name mismatch');
    expect(mismatch?.message).toContain('does not cover');
    expect(mismatch?.chain[0]?.subject).toContain('other.example.net');
    // The bench root is a private root (not in Node's public store): every served chain is enterprise,
    // and so is the stamp; names that answered nothing have no kind.
    for (const name of [`portal.${BENCH_BASE}`, `adminportal.${BENCH_BASE}`, `adminmanagement.${BENCH_BASE}`, MISMATCH_NAME]) {
      expect(by(name)?.caKind).toBe('enterprise');
    }
    expect(report.servedCaKind).toBe('enterprise');
  });

  it('reports refused, timeout and a failed handshake', async () => {
    const refused = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.closedPort }, timeoutMs: 3000 });
    expect(refused).toMatchObject({ status: 'error', daysLeft: null, chain: [], error: 'refused' });
    const started = Date.now();
    const silent = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.silentPort }, timeoutMs: 300 });
    expect(silent).toMatchObject({ status: 'error', error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
    const plain = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.plainPort }, timeoutMs: 3000 });
    expect(plain).toMatchObject({ status: 'error', chain: [], error: 'handshake', caKind: null });
    expect(refused.caKind).toBeNull();
  });
});

describe('served CA kind (pure)', () => {
  it('counts only endpoints that served their own certificate, and says mixed when they disagree', () => {
    expect(overallCaKind([])).toBeNull();
    expect(overallCaKind([{ error: 'refused', caKind: null }])).toBeNull();
    expect(overallCaKind([{ error: null, caKind: 'public' }, { error: null, caKind: 'public' }, { error: 'name mismatch', caKind: 'self-signed' }])).toBe('public');
    expect(overallCaKind([{ error: null, caKind: 'public' }, { error: null, caKind: 'enterprise' }])).toBe('mixed');
  });

  it('compares the served kind with the stamp profile and suggests the served one', () => {
    expect(caKindFinding('enterprise', 'enterprise')).toMatchObject({ state: 'match', suggested: null });
    expect(caKindFinding('enterprise', 'unknown')).toMatchObject({ state: 'unrecorded', suggested: 'enterprise', message: expect.stringContaining('unknown') });
    const differs = caKindFinding('public', 'self-signed');
    expect(differs).toMatchObject({ state: 'differs', suggested: 'public' });
    expect(differs.message).toContain('records self-signed');
    expect(caKindFinding('mixed', 'public')).toMatchObject({ state: 'mixed', suggested: null });
    expect(caKindFinding(null, 'public')).toMatchObject({ state: 'none', suggested: null });
  });
});

/** A TLS server on 127.0.0.1 serving a given chain (PEM, leaf first) and key per SNI name. */
async function chainServer(byName: Record<string, { cert: string; key: string }>, fallback: { cert: string; key: string }): Promise<{ port: number; close(): Promise<void> }> {
  const contexts = new Map(Object.entries(byName).map(([name, c]) => [name, tls.createSecureContext(c)]));
  const server = tls.createServer({ ...fallback, SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase()) ?? tls.createSecureContext(fallback)) });
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('served CA kind against local TLS servers', () => {
  const DAY = 86_400_000;
  const now = Date.now();
  const keyPem = (key: KeyPair) => key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  let server: { port: number; close(): Promise<void> };

  beforeAll(async () => {
    const [leafKey, privateRootKey, deploymentRootKey] = await Promise.all([generateRsaKey(2048), generateRsaKey(2048), generateRsaKey(2048)]);
    const root = (cn: string, key: KeyPair): BuiltCertificate =>
      buildCertificate({
        subject: dn(cn, 'Bench'),
        publicKey: key.publicKey,
        issuer: selfIssuer(dn(cn, 'Bench'), key),
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now + 3000 * DAY),
        hash: 'sha256',
        basicConstraints: { ca: true },
        keyUsage: ['keyCertSign', 'cRLSign'],
      });
    const leaf = (name: string, issuer: ReturnType<typeof selfIssuer>) =>
      buildCertificate({
        subject: dn(name, 'Bench'),
        publicKey: leafKey.publicKey,
        issuer,
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now + 200 * DAY),
        hash: 'sha256',
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        extKeyUsage: ['serverAuth', 'clientAuth'],
        dnsNames: [name],
      });
    const privateRoot = root('Contoso Private Root', privateRootKey);
    // Azure Stack Hub's own deployment CA, recognised by its name.
    const deploymentRoot = root('AzureStackSelfSignedRootCert', deploymentRootKey);
    const key = keyPem(leafKey);
    const selfSignedName = `portal.${BENCH_BASE}`;
    const selfSigned = leaf(selfSignedName, selfIssuer(dn(selfSignedName, 'Bench'), leafKey));
    const servedAs = (...certs: BuiltCertificate[]) => ({ cert: certs.map((c) => c.pem).join(''), key });
    server = await chainServer(
      {
        // A self-signed leaf: no CA at all.
        [selfSignedName]: servedAs(selfSigned),
        // A private CA's leaf sent without its root, as servers usually do.
        [`adminportal.${BENCH_BASE}`]: servedAs(leaf(`adminportal.${BENCH_BASE}`, issuerOf(privateRoot, privateRootKey.privateKey))),
        // The deployment CA with and without its root in the served chain.
        [`management.${BENCH_BASE}`]: servedAs(leaf(`management.${BENCH_BASE}`, issuerOf(deploymentRoot, deploymentRootKey.privateKey)), deploymentRoot),
        [`adminmanagement.${BENCH_BASE}`]: servedAs(leaf(`adminmanagement.${BENCH_BASE}`, issuerOf(deploymentRoot, deploymentRootKey.privateKey))),
      },
      // Leaf only: OpenSSL keeps sending the default context's extra chain certificates after an SNI switch.
      servedAs(leaf('other.example.net', issuerOf(privateRoot, privateRootKey.privateKey))),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('judges a self-signed leaf, a private root left out, and the deployment CA with or without its root', async () => {
    const probe = (name: string) => probeOne('X', name, { connect: { host: '127.0.0.1', port: server.port }, timeoutMs: 5000 });
    const selfSigned = await probe(`portal.${BENCH_BASE}`);
    expect(selfSigned).toMatchObject({ status: 'ok', error: null, caKind: 'self-signed' });
    expect(selfSigned.chain).toHaveLength(1);
    expect((await probe(`adminportal.${BENCH_BASE}`)).caKind).toBe('enterprise');
    const withRoot = await probe(`management.${BENCH_BASE}`);
    expect(withRoot.chain).toHaveLength(2);
    expect(withRoot.caKind).toBe('self-signed');
    expect((await probe(`adminmanagement.${BENCH_BASE}`)).caKind).toBe('self-signed');
  });

  it('says mixed for a stamp whose endpoints disagree, leaving name mismatches out', async () => {
    const report = await probeStamp(STAMP, { connect: { host: '127.0.0.1', port: server.port }, timeoutMs: 5000 });
    expect(report.servedCaKind).toBe('mixed');
    const mismatches = report.endpoints.filter((e) => e.error === 'name mismatch');
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.every((e) => e.caKind === 'enterprise')).toBe(true);
    // Only the deployment CA's endpoints left: the stamp serves self-signed certificates.
    const deploymentOnly = report.endpoints.filter((e) => e.name.startsWith('management.') || e.name.startsWith('adminmanagement.') || e.error);
    expect(overallCaKind(deploymentOnly)).toBe('self-signed');
  });
});

describe('served chain classifier', () => {
  it('judges nothing from an empty chain or one whose signature does not verify', async () => {
    expect(servedChainCaKind([])).toBeNull();
    const [rootKey, forgerKey, leafKey] = await Promise.all([generateRsaKey(2048), generateRsaKey(2048), generateRsaKey(2048)]);
    const DAY = 86_400_000;
    const rootSubject = dn('Contoso Root', 'Bench');
    const spec = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 100 * DAY), hash: 'sha256' as const };
    const root = buildCertificate({ ...spec, subject: rootSubject, publicKey: rootKey.publicKey, issuer: selfIssuer(rootSubject, rootKey), basicConstraints: { ca: true }, keyUsage: ['keyCertSign'] });
    const leafSpec = { ...spec, subject: dn('portal.example.net'), publicKey: leafKey.publicKey, dnsNames: ['portal.example.net'] };
    const leaf = buildCertificate({ ...leafSpec, issuer: issuerOf(root, rootKey.privateKey) });
    // Names the root (subject and key identifier) but was signed with another key.
    const forged = buildCertificate({ ...leafSpec, issuer: { ...issuerOf(root, rootKey.privateKey), privateKey: forgerKey.privateKey } });
    const x509 = (c: BuiltCertificate) => new X509Certificate(c.pem);
    expect(servedChainCaKind([x509(leaf), x509(root)])).toBe('enterprise');
    expect(servedChainCaKind([x509(forged), x509(root)])).toBeNull();
  });
});
