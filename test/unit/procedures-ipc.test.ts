import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import type { IpcResult } from '../../shared/ipc/contract';
import type { ProbeReport } from '../../shared/probe/probe-result';
import type { Dashboard } from '../../shared/procedures/procedure-schema';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { certificate, report, stampInput, tempDir, trustedSender } from './ipc-fixtures';

describe('procedure and probe channels', () => {
  let dir: string;
  let cleanup: () => void;
  let backend: Backend;
  const rendererDir = '/nonexistent/renderer';
  const saveFile = vi.fn();
  const logger = { error: vi.fn(), warn: vi.fn() };

  const call = async <T,>(channel: string, payload: unknown): Promise<IpcResult<T>> =>
    (await backend.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  const ok = async <T,>(channel: string, payload: unknown): Promise<T> => {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value;
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('procedures-ipc'));
    saveFile.mockReset();
    backend = createBackend({ dataDir: path.join(dir, 'data'), dialogs: { openFolder: async () => null, saveFile }, appVersion: '9.9.9', rendererDir, logger, actor: 'app:tester' });
  });
  afterEach(() => {
    backend.close();
    cleanup();
  });

  it('starts, confirms and exports through the contract, answering typed errors', async () => {
    const stamp = await ok<{ id: number }>('stamps.create', { ...stampInput('Lab'), version: '2108' });
    const bad = await call('procedures.start', { stampId: stamp.id, procedureId: 'value-add-rp', parameters: { packageId: 'Eventhub' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('Microsoft.<RP>.<version>') } });
    expect(await call('procedures.start', { stampId: stamp.id, procedureId: 'nope', parameters: {} })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const started = await ok<{ run: { id: number } }>('procedures.start', { stampId: stamp.id, procedureId: 'external-certificates', parameters: { pfxFilesPath: '/share' } });
    const confirmed = await ok<{ done: number }>('procedures.confirm', { runId: started.run.id, stepId: 'prerequisites', note: 'CR-9' });
    expect(confirmed.done).toBe(1);
    expect(await call('procedures.confirm', { runId: started.run.id, stepId: 'prerequisites', note: null })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const list = await ok<{ id: number; done: number; title: string }[]>('procedures.list', { stampId: stamp.id });
    expect(list).toEqual([expect.objectContaining({ id: started.run.id, done: 1, title: 'External certificates' })]);

    saveFile.mockResolvedValueOnce(null);
    expect(await ok('procedures.exportRunbook', { runId: started.run.id })).toEqual({ path: null });
    const target = path.join(dir, 'runbook.html');
    saveFile.mockResolvedValueOnce(target);
    expect(await ok('procedures.exportRunbook', { runId: started.run.id })).toEqual({ path: target });
    expect(readFileSync(target, 'utf8')).toContain('CR-9');
    expect(saveFile.mock.calls[1]?.[0]).toMatch(/^runbook-external-certificates-Lab-run1-\d{4}-\d{2}-\d{2}\.html$/);
    expect(await call('procedures.get', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('computes a thumbprint without recording the password anywhere', async () => {
    const manifest = loadFixtureManifest();
    const pfx = manifest.fileVariants.find((v) => v.name === 'valid-3des');
    if (!pfx) throw new Error('fixture missing');
    const result = await ok<{ thumbprint: string }>('procedures.pfxThumbprint', { path: pfx.file, password: pfx.password });
    expect(result.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    const missing = await call('procedures.pfxThumbprint', { path: path.join(dir, 'none.pfx'), password: pfx.password });
    expect(missing).toMatchObject({ ok: false, error: { code: 'io-error' } });
    const db = readFileSync(path.join(dir, 'data', 'workbench.db'));
    expect(db.includes(Buffer.from(pfx.password))).toBe(false);
    expect(existsSync(path.join(dir, 'data', 'workbench.db-wal')) ? readFileSync(path.join(dir, 'data', 'workbench.db-wal')).includes(Buffer.from(pfx.password)) : false).toBe(false);
  });

  it('dates every chain element of a validated share file', async () => {
    const stamp = await ok<{ id: number }>('stamps.create', stampInput('Chained'));
    const withChain = {
      ...certificate('ACSBlob'),
      chain: [
        { subject: 'CN=*.blob', issuer: 'CN=Issuing CA', notAfter: '2027-01-01T00:00:00.000Z', thumbprint: 'A'.repeat(40) },
        { subject: 'CN=Issuing CA', issuer: 'CN=Root CA', notAfter: '2028-01-01T00:00:00.000Z', thumbprint: 'B'.repeat(40) },
        { subject: 'CN=Root CA', issuer: 'CN=Root CA', notAfter: '2030-01-01T00:00:00.000Z', thumbprint: 'C'.repeat(40) },
      ],
    };
    backend.store.runs.record(
      { stampId: stamp.id, root: '/c', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt: '2026-01-01T00:00:00.000Z' },
      { status: 'ok', finishedAt: '2026-01-01T00:01:00.000Z', report: report('/c', [withChain]) },
    );
    const dashboard = await ok<Dashboard>('probe.dashboard', { stampId: stamp.id });
    expect(dashboard.certificates.map((c) => [c.chainIndex, c.subject, c.notAfter])).toEqual([
      [0, 'CN=*.blob', '2027-01-01T00:00:00.000Z'],
      [1, 'CN=Issuing CA', '2028-01-01T00:00:00.000Z'],
      [2, 'CN=Root CA', '2030-01-01T00:00:00.000Z'],
    ]);
  });

  it('builds the dashboard from stored validation reports and refuses a bad probe address', async () => {
    const stamp = await ok<{ id: number }>('stamps.create', stampInput('Lab'));
    backend.store.runs.record(
      { stampId: stamp.id, root: '/s', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt: '2026-01-01T00:00:00.000Z' },
      { status: 'ok', finishedAt: '2026-01-01T00:01:00.000Z', report: report('/s', [certificate('Public Portal')]) },
    );
    const dashboard = await ok<Dashboard>('probe.dashboard', { stampId: stamp.id });
    expect(dashboard.certificates).toEqual([
      expect.objectContaining({ source: 'share', endpoint: 'Public Portal', notAfter: '2027-01-01T00:00:00.000Z', runId: 1, chainIndex: 0 }),
    ]);
    expect(dashboard.probe).toBeNull();
    // Stored the way probes were before CA kinds were judged (no caKind, no servedCaKind): still readable.
    const storedBeforeCaKinds = {
      schemaVersion: 1,
      stamp: 'Lab',
      probedAt: '2020-01-01T00:00:00.000Z',
      connect: null,
      endpoints: [
        {
          endpoint: 'Admin Portal',
          name: 'adminportal.east.azurestack.contoso.com',
          status: 'ok',
          daysLeft: 400,
          error: null,
          message: null,
          chain: [
            { subject: 'CN=adminportal', issuer: 'CN=CA', notAfter: '2000-01-02T00:00:00.000Z', daysLeft: 400 },
            { subject: 'CN=CA', issuer: 'CN=CA', notAfter: '2999-01-01T00:00:00.000Z', daysLeft: 9999 },
          ],
        },
        {
          endpoint: 'ACSBlob',
          name: 'azsprobe.blob.east.azurestack.contoso.com',
          status: 'error',
          daysLeft: 10,
          error: 'name mismatch',
          message: 'not covered',
          chain: [{ subject: 'CN=other', issuer: 'CN=CA', notAfter: '2999-01-01T00:00:00.000Z', daysLeft: 10 }],
        },
      ],
    };
    backend.store.procedures.saveProbe(stamp.id, storedBeforeCaKinds as unknown as ProbeReport);
    const probed = await ok<Dashboard>('probe.dashboard', { stampId: stamp.id });
    expect(probed.probe?.servedCaKind).toBeNull();
    expect(probed.probe?.endpoints.map((e) => e.caKind)).toEqual([null, null]);
    // Days are recounted now, not taken from the stored probe; a chain served for another name is not dated.
    expect(probed.certificates.map((c) => [c.source, c.endpoint, c.chainIndex, c.status])).toEqual([
      ['endpoint', 'Admin Portal', 0, 'expired'],
      ['share', 'Public Portal', 0, expect.any(String)],
      ['endpoint', 'Admin Portal', 1, 'ok'],
    ]);
    // The root CA expiry the PEP reported (Get-AzureStackStampInformation) joins the list.
    const runId = backend.store.rotations.create({
      stampId: stamp.id, stampName: 'Lab', kind: 'internal', rehearsal: false, scenario: null, source: 'cli',
      startedAt: '2026-01-01T00:00:00.000Z', rerunOf: null, parameters: {}, ownerPid: 1, ownerHost: 'h',
    });
    backend.store.rotations.appendEvents(runId, [
      { level: 'info', type: 'stamp.info', text: 'Stamp information', data: { rootCaCertificates: [{ subject: 'CN=AzureStackCertificationAuthority', notAfter: '2000-06-01T00:00:00Z' }] } },
    ]);
    const withRoot = await ok<Dashboard>('probe.dashboard', { stampId: stamp.id });
    expect(withRoot.certificates.find((c) => c.source === 'root-ca')).toMatchObject({ endpoint: 'Internal root CA', subject: 'CN=AzureStackCertificationAuthority', status: 'expired' });
    expect(probed.probeErrors).toEqual([{ endpoint: 'ACSBlob', name: 'azsprobe.blob.east.azurestack.contoso.com', reason: 'name mismatch', message: 'not covered' }]);
    // A current probe carries the CA kinds through to the dashboard unchanged.
    const current: ProbeReport = {
      ...(storedBeforeCaKinds as unknown as ProbeReport),
      servedCaKind: 'enterprise',
      endpoints: (storedBeforeCaKinds as unknown as ProbeReport).endpoints.map((e) => ({ ...e, caKind: e.error ? 'public' : 'enterprise' })),
    };
    backend.store.procedures.saveProbe(stamp.id, current);
    const withKinds = await ok<Dashboard>('probe.dashboard', { stampId: stamp.id });
    expect(withKinds.probe?.servedCaKind).toBe('enterprise');
    expect(withKinds.probe?.endpoints.map((e) => e.caKind)).toEqual(['enterprise', 'public']);
    expect(await call('probe.run', { stampId: stamp.id, connect: 'not an address' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await call('probe.dashboard', { stampId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
