import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnect, probeOne, probeStamp, probeTargets } from '../../electron/services/probe/index';
import { daysLeft, expiryStatus, probeName } from '../../shared/probe/probe-result';
import type { Stamp } from '../../shared/stamps/stamp';
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
  });

  it('reports refused, timeout and a failed handshake', async () => {
    const refused = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.closedPort }, timeoutMs: 3000 });
    expect(refused).toMatchObject({ status: 'error', daysLeft: null, chain: [], error: 'refused' });
    const started = Date.now();
    const silent = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.silentPort }, timeoutMs: 300 });
    expect(silent).toMatchObject({ status: 'error', error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
    const plain = await probeOne('Public Portal', `portal.${BENCH_BASE}`, { connect: { host: '127.0.0.1', port: bench.plainPort }, timeoutMs: 3000 });
    expect(plain).toMatchObject({ status: 'error', chain: [], error: 'handshake' });
  });
});
