import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import { createDiagnosticLog } from '../../electron/services/logs/diagnostic-log';
import type { IpcResult } from '../../shared/ipc/contract';
import { isReviewSafeChannel } from '../../shared/ipc/logs-contract';
import { stampInput, tempDir, trustedSender } from './ipc-fixtures';

describe('logs, bundle and review channels', () => {
  let dir: string;
  let cleanup: () => void;
  let dataDir: string;
  let saveDir: string;
  let rendererDir: string;
  let backend: Backend;
  const logger = { error: vi.fn(), warn: vi.fn() };

  const call = async <T = unknown>(channel: string, payload: unknown = {}) => (await backend.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  const ok = async <T = unknown>(channel: string, payload: unknown = {}): Promise<T> => {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('logs-ipc'));
    dataDir = path.join(dir, 'data');
    saveDir = path.join(dir, 'out');
    rendererDir = path.join(dir, 'renderer');
    mkdirSync(saveDir, { recursive: true });
    backend = createBackend({
      dataDir,
      rendererDir,
      logger,
      appVersion: '9.9.9',
      actor: 'app:tester',
      dialogs: { openFolder: async () => null, saveFile: async (name) => path.join(saveDir, name) },
    });
  });
  afterEach(() => {
    backend.close();
    cleanup();
  });

  it('pages the log newest first with a cursor and a total on request', async () => {
    backend.store.events.ingest(Array.from({ length: 25 }, (_, i) => ({ at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(), level: 'info' as const, source: 'pep' as const, text: `line ${i} alpha` })));
    const first = await ok<{ events: { text: string }[]; nextCursor: number; total: number }>('logs.query', { filter: { query: 'alpha' }, limit: 10, withTotal: true });
    expect(first.total).toBe(25);
    expect(first.events[0]?.text).toBe('line 24 alpha');
    const second = await ok<{ events: { text: string }[]; total: null }>('logs.query', { filter: { query: 'alpha' }, limit: 10, before: first.nextCursor });
    expect(second.events[0]?.text).toBe('line 14 alpha');
    expect(second.total).toBeNull();
    const bad = await call('logs.query', { filter: { since: 'yesterday' } });
    expect(bad.ok).toBe(false);

    const csv = await ok<{ path: string; count: number }>('logs.export', { filter: { query: 'alpha', levels: ['info'] }, format: 'csv' });
    expect(csv.count).toBe(25);
    const lines = readFileSync(csv.path, 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe('id,at,level,source,category,stamp,run,text');
    expect(lines[1]).toContain('line 0 alpha');
    const jsonl = await ok<{ path: string; count: number }>('logs.export', { filter: { query: 'line 3' }, format: 'jsonl' });
    expect(path.extname(jsonl.path)).toBe('.jsonl');
    expect(readFileSync(jsonl.path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['line 3 alpha']);
  });

  it('records app errors as events and in the diagnostic file, without secrets', async () => {
    backend.close();
    backend = createBackend({
      dataDir,
      rendererDir,
      logger,
      appVersion: '9.9.9',
      actor: 'app:tester',
      dialogs: { openFolder: async () => null, saveFile: async () => null },
      validateShare: async () => {
        throw new Error('engine exploded with password=Zz9-secret');
      },
    });
    await ok('stamps.create', stampInput());
    const started = await ok<{ jobId: string }>('validation.start', { stampId: null, root: dir, identity: 'aad', region: 'east', fqdn: 'f.example', paasDir: null, password: 'x', currentCa: 'enterprise', stampVersion: null });
    expect(started.jobId).toBeTruthy();
    await backend.whenIdle();
    const app = await ok<{ events: { level: string; text: string }[] }>('logs.query', { filter: { sources: ['app'] } });
    expect(app.events[0]).toMatchObject({ level: 'error', text: expect.stringMatching(/^Validation run \d+ failed$/) });
    const diagnostic = readFileSync(path.join(dataDir, 'logs', 'workbench.log'), 'utf8');
    expect(diagnostic).toContain('engine exploded with password=[redacted]');
    expect(diagnostic).not.toContain('Zz9-secret');
    const audit = await ok<{ events: { category: string }[] }>('logs.query', { filter: { sources: ['audit'] } });
    expect(audit.events.map((e) => e.category)).toContain('stamp.create');
    const validation = await ok<{ events: { category: string; level: string }[] }>('logs.query', { filter: { sources: ['validation'] } });
    expect(validation.events.map((e) => `${e.category}:${e.level}`)).toEqual(['validation.finish:error', 'validation.start:info']);
  });

  it('exports a bundle, opens it in review mode, refuses state-changing channels there, and closes it', async () => {
    await ok('stamps.create', stampInput());
    backend.store.events.ingest([{ level: 'warning', source: 'pep', text: 'ERCS 10.0.0.9 slow for AZS\\CloudAdmin password=Hunter2!x', run: { kind: 'rotation', id: 4 } }]);
    const preview = await ok<{ eventCount: number; sample: string[] }>('bundle.preview', { runs: [{ kind: 'rotation', id: 4 }], mask: { ips: true, hosts: true, users: true } });
    expect(preview.eventCount).toBe(1);
    expect(preview.sample[0]).not.toMatch(/10\.0\.0\.9|CloudAdmin|Hunter2/);
    const exported = await ok<{ path: string }>('bundle.export', { runs: [{ kind: 'rotation', id: 4 }], mask: { ips: true, hosts: true, users: true } });
    expect(existsSync(exported.path)).toBe(true);

    const summary = await ok<{ bundleName: string; eventCount: number; databasePath: string }>('review.open', { path: exported.path });
    expect(summary.eventCount).toBe(1);
    expect(summary.databasePath).not.toBe(backend.store.databasePath);
    const inReview = await ok<{ events: { text: string }[] }>('logs.query', { filter: {} });
    expect(inReview.events.map((e) => e.text)).toEqual(['ERCS ip-1 slow for user-1 password=[redacted]']);
    for (const channel of ['stamps.create', 'validation.start', 'app.setSettings', 'bundle.export', 'logs.setRetention', 'rotation.start', 'rotation.preflight', 'procedures.confirm', 'probe.run']) {
      const refused = await call(channel, {});
      expect(refused, channel).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('Review mode is read-only') } });
    }
    // Live readers are refused too: the workspaces read the bundle through review.* instead.
    expect(await call('stamps.list')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // The bundle names no stamp (its one event has none): the local profile is not shown in its place.
    expect((await ok<{ stamps: { name: string }[] }>('review.contents')).stamps).toEqual([]);
    expect((await ok<{ review: unknown }>('review.status')).review).toMatchObject({ bundleName: summary.bundleName });

    expect(await ok('review.close')).toEqual({ closed: true });
    const live = await ok<{ events: { text: string }[] }>('logs.query', { filter: { run: { kind: 'rotation', id: 4 } } });
    expect(live.events[0]?.text).toContain('10.0.0.9');
    expect((await call('logs.setRetention', { days: 30 })).ok).toBe(true);
  });

  it('refuses a tampered bundle with a clear message and stays out of review mode', async () => {
    const bogus = path.join(saveDir, 'bogus.zip');
    writeFileSync(bogus, 'PK not really');
    const result = await call('review.open', { path: bogus });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('not a complete zip') } });
    expect((await ok<{ review: unknown }>('review.status')).review).toBeNull();
    expect((await call('stamps.create', stampInput())).ok).toBe(true);
  });

  it('treats only reads as safe in review mode', () => {
    expect(isReviewSafeChannel('review.getValidationRun')).toBe(true);
    expect(isReviewSafeChannel('logs.query')).toBe(true);
    expect(isReviewSafeChannel('validation.getRun')).toBe(false);
    expect(isReviewSafeChannel('procedures.list')).toBe(false);
    expect(isReviewSafeChannel('rotation.start')).toBe(false);
    expect(isReviewSafeChannel('procedures.confirm')).toBe(false);
    expect(isReviewSafeChannel('stamps.listen')).toBe(false);
  });
});

describe('diagnostic log', () => {
  it('rotates by size, keeps a bounded number of files and scrubs secrets', () => {
    const { dir, cleanup } = tempDir('diag');
    try {
      const log = createDiagnosticLog({ dataDir: dir, maxBytes: 2000, keep: 2 });
      for (let i = 0; i < 200; i += 1) log.write('error', `failure ${i} with password=S3cret-${i}`, new Error('boom'));
      const files = readdirSync(path.join(dir, 'logs')).sort();
      expect(files).toEqual(['workbench.1.log', 'workbench.2.log', 'workbench.log']);
      const all = files.map((f) => readFileSync(path.join(dir, 'logs', f), 'utf8')).join('');
      expect(all).not.toContain('S3cret');
      expect(all).toContain('failure 199 with password=[redacted]');
      expect(readFileSync(log.file, 'utf8').length).toBeLessThan(4000);
    } finally {
      cleanup();
    }
  });
});
