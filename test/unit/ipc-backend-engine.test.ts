/**
 * The backend with the real certificate engine (no fake): a fixture share validated through
 * `validation.start`, as the window would do it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import type { IpcEventName, IpcResult } from '../../shared/ipc/contract';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir, trustedSender } from './ipc-fixtures';

describe('backend with the real engine', () => {
  let cleanup: () => void;
  let dir: string;
  let backend: Backend;
  const events: { name: IpcEventName; payload: Record<string, unknown> }[] = [];

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('engine'));
    events.length = 0;
    backend = createBackend({
      dataDir: path.join(dir, 'data'),
      appVersion: '0.0.0-test',
      rendererDir: path.join(dir, 'renderer'),
      dialogs: { openFolder: async () => null, saveFile: async () => null },
    });
    backend.onEvent((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
  });

  afterEach(() => {
    backend.close();
    cleanup();
  });

  const invoke = (channel: string, payload: unknown) => backend.invoke(channel, payload, trustedSender(path.join(dir, 'renderer')));

  it('validates a fixture share end to end and keeps the password out of the database', async () => {
    const manifest = loadFixtureManifest();
    const started = (await invoke('validation.start', {
      stampId: null,
      root: manifest.shares.aadValid,
      identity: 'aad',
      region: manifest.region,
      fqdn: manifest.fqdn,
      paasDir: null,
      password: manifest.password,
      currentCa: 'enterprise',
      stampVersion: '2108',
    })) as IpcResult<{ jobId: string }>;
    expect(started.ok).toBe(true);
    if (!started.ok) return;

    await vi.waitFor(() => expect(events.some((e) => e.name === 'validation.finished')).toBe(true), { timeout: 30_000 });
    const done = events.find((e) => e.name === 'validation.finished')!.payload;
    expect(done).toMatchObject({ jobId: started.value.jobId, status: 'ok', error: null });
    const progress = events.filter((e) => e.name === 'validation.progress').map((e) => e.payload);
    expect(progress.at(-1)).toMatchObject({ done: 11, total: 11 });

    const run = (await invoke('validation.getRun', { runId: done.runId })) as IpcResult<{ run: { summary: unknown }; report: { certificates: unknown[] } }>;
    expect(run.ok && run.value.run.summary).toEqual({ ok: 11, warning: 0, fail: 0 });
    expect(run.ok && run.value.report.certificates).toHaveLength(11);

    const dbFile = backend.store.databasePath;
    for (const f of [dbFile, `${dbFile}-wal`].filter((x) => existsSync(x))) {
      expect(readFileSync(f).includes(Buffer.from(manifest.password, 'utf8')), f).toBe(false);
    }
  });

  it('turns the engine’s share access error into an io-error run with its message', async () => {
    const manifest = loadFixtureManifest();
    const missingPaas = path.join(dir, 'no-such-paas');
    await invoke('validation.start', {
      stampId: null,
      root: manifest.shares.adfsValid,
      identity: 'adfs',
      region: manifest.region,
      fqdn: manifest.fqdn,
      paasDir: missingPaas,
      password: manifest.password,
      currentCa: 'unknown',
      stampVersion: null,
    });
    await vi.waitFor(() => expect(events.some((e) => e.name === 'validation.finished')).toBe(true), { timeout: 30_000 });
    expect(events.find((e) => e.name === 'validation.finished')!.payload).toMatchObject({
      status: 'error',
      error: { code: 'io-error', message: expect.stringContaining(missingPaas) },
    });
  });
});
