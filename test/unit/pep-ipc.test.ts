/**
 * The `rotation.*` channels through the real backend and IPC registry: pre-flight, a rehearsal run whose
 * events reach the window only after they are stored, cancel, history, and secrets kept out of events,
 * errors and the audit log.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import type { IpcEventName, IpcResult } from '../../shared/ipc/contract';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir, trustedSender } from './ipc-fixtures';
import { announcePwshSkip, PWSH } from '../support/pwsh';

const manifest = loadFixtureManifest();
const PEP = 'PepIpc5Rz8Unique';

announcePwshSkip(__filename);

// Rehearsals run in real PowerShell (AZS_PWSH is set for the test run when one was found).
describe.skipIf(PWSH === null)('rotation channels', () => {
  let dir: string;
  let cleanup: () => void;
  let rendererDir: string;
  let backend: Backend;
  let events: { name: IpcEventName; payload: Record<string, unknown> }[];
  let stampId: number;

  async function call<T>(channel: string, payload: unknown = {}): Promise<IpcResult<T>> {
    return (await backend.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  }
  async function ok<T>(channel: string, payload: unknown = {}): Promise<T> {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  }
  const request = (over: Record<string, unknown> = {}) => ({
    stampId,
    kind: 'internal',
    share: null,
    pfxFilesPath: null,
    pepUser: 'AZURESTACK\\CloudAdmin',
    shareUser: null,
    bmcUser: null,
    bypassBmcUpdate: false,
    rerun: false,
    simulate: { scenario: 'success', seconds: 1 },
    secrets: { pep: PEP, share: null, certificate: null, bmc: null },
    ...over,
  });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('pep-ipc'));
    rendererDir = path.join(dir, 'dist', 'renderer');
    events = [];
    backend = createBackend({ dataDir: path.join(dir, 'data'), dialogs: { openFolder: async () => null, saveFile: async () => null }, appVersion: '9.9.9', rendererDir, logger: { error: vi.fn(), warn: vi.fn() }, actor: 'app:tester' });
    backend.onEvent((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
    const stamp = await ok<{ id: number }>('stamps.create', {
      name: 'Lab',
      region: manifest.region,
      externalFqdn: manifest.fqdn,
      identity: 'adfs',
      version: '2108',
      ercsIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      currentCaKind: 'enterprise',
      resourceProviders: [],
      rehearsal: true,
    });
    stampId = stamp.id;
  });
  afterEach(async () => {
    backend.close();
    await backend.whenIdle();
    cleanup();
  });

  it('runs pre-flight without recording a run, and lists what the session will do', async () => {
    const pre = await ok<{ ok: boolean; rehearsal: boolean; steps: string[]; checks: { id: string; status: string }[] }>('rotation.preflight', request({ kind: 'external', share: manifest.shares.adfsValid, shareUser: 'CONTOSO\\op', secrets: { pep: PEP, share: 'Share5Pw', certificate: manifest.password, bmc: null } }));
    expect(pre.ok).toBe(true);
    expect(pre.rehearsal).toBe(true);
    expect(pre.checks.find((c) => c.id === 'share-tree')?.status).toBe('ok');
    expect(pre.steps).toEqual([
      'Get-AzureStackStampInformation',
      'Test-AzureStack -Group SecretRotationReadiness',
      'Start-SecretRotation -PfxFilesPath \\\\rehearsal-share\\rotation\\Certificates -PathAccessCredential <CONTOSO\\op> -CertificatePassword <secure>',
      'Test-AzureStack -Include AzsExternalCertificates -DetailedResults',
    ]);
    expect(await ok('rotation.listRuns', {})).toEqual([]);
  });

  it('starts a rehearsal, streams stored events and states, and ends with next steps', async () => {
    const { runId } = await ok<{ runId: number }>('rotation.start', request());
    await vi.waitFor(() => expect(events.some((e) => e.name === 'rotation.state' && e.payload.final === true)).toBe(true), { timeout: 20_000 });
    const final = events.find((e) => e.name === 'rotation.state' && e.payload.final === true)!.payload;
    expect(final).toMatchObject({ runId, refused: false, run: { id: runId, state: 'succeeded', rehearsal: true, scenario: 'success', ercs: '10.0.0.1' } });
    const streamed = events.filter((e) => e.name === 'rotation.event').flatMap((e) => e.payload.events as { seq: number }[]);
    const stored = await ok<{ run: { state: string }; events: { seq: number }[]; guidance: string | null }>('rotation.getRun', { runId });
    // Everything the window was sent is in the database, in the same order.
    expect(streamed.map((e) => e.seq)).toEqual(stored.events.map((e) => e.seq));
    expect(stored.guidance).toBeNull();
    expect((await ok<{ id: number }[]>('rotation.listRuns', { stampId })).map((r) => r.id)).toEqual([runId]);
    expect((await ok<{ events: unknown[] }>('rotation.getRun', { runId, afterSeq: stored.events.length - 2 })).events).toHaveLength(2);
    const audit = backend.store.audit.list({ subject: `rotation:${runId}` }).map((a) => a.action);
    expect(audit).toEqual(['rotation.finish', 'rotation.start']);
    expect(JSON.stringify(events)).not.toContain(PEP);
    expect(JSON.stringify(backend.store.audit.list())).not.toContain(PEP);
  });

  it('cancels a running rehearsal: the run ends interrupted with the server-side warning', async () => {
    const { runId } = await ok<{ runId: number }>('rotation.start', request({ simulate: { scenario: 'success', seconds: 30 } }));
    await vi.waitFor(() => expect(events.some((e) => e.name === 'rotation.state' && (e.payload.run as { state: string }).state === 'running')).toBe(true), { timeout: 20_000 });
    expect(await ok('rotation.cancel', { runId })).toEqual({ cancelled: true });
    await vi.waitFor(() => expect(events.some((e) => e.name === 'rotation.state' && e.payload.final === true)).toBe(true), { timeout: 20_000 });
    const run = await ok<{ run: { state: string; outcome: string }; guidance: string }>('rotation.getRun', { runId });
    expect(run.run.state).toBe('interrupted');
    expect(run.run.outcome).toMatch(/continues on the stamp — outcome unknown/);
    expect(run.guidance).toMatch(/Get-ActionStatus Start-SecretRotation/);
    expect(await ok('rotation.cancel', { runId })).toEqual({ cancelled: false });
  });

  it('refuses bad requests with typed errors', async () => {
    const badScenario = await call('rotation.start', request({ simulate: { scenario: 'meteor', seconds: 1 } }));
    expect(badScenario).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const noStamp = await call('rotation.preflight', request({ stampId: 999 }));
    expect(noStamp).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const missing = await call('rotation.getRun', { runId: 42 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(JSON.stringify([badScenario, noStamp])).not.toContain(PEP);
  });
});
