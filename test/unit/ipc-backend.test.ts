import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend, type BackendOptions, type DialogService } from '../../electron/main/backend';
import { AppError } from '../../electron/services/errors';
import { Store } from '../../electron/services/store/index';
import type { ValidationReport } from '../../shared/certificates/report';
import { buildWorkbenchApi } from '../../shared/ipc/build-api';
import type { IpcEventName, IpcResult } from '../../shared/ipc/contract';
import { certificate, fakeEngine, report, stampInput, tempDir, trustedSender, untilAborted } from './ipc-fixtures';

const PASSWORD = 'Pfx-Pa55-7f3c9e-UNIQUE-MARKER';

describe('backend', () => {
  let dir: string;
  let cleanup: () => void;
  let dataDir: string;
  let shareRoot: string;
  let rendererDir: string;
  let backend: Backend | null;
  let events: { name: IpcEventName; payload: Record<string, unknown> }[];
  let dialogs: DialogService & { openFolder: ReturnType<typeof vi.fn>; saveFile: ReturnType<typeof vi.fn> };
  const logger = { error: vi.fn(), warn: vi.fn() };

  function open(extra: Partial<BackendOptions> = {}): Backend {
    const b = createBackend({ dataDir, dialogs, appVersion: '9.9.9', rendererDir, logger, actor: 'app:tester', ...extra });
    b.onEvent((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
    backend = b;
    return b;
  }

  async function call<T = unknown>(channel: string, payload: unknown = {}): Promise<IpcResult<T>> {
    return (await backend!.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  }

  async function ok<T = unknown>(channel: string, payload: unknown = {}): Promise<T> {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  }

  function startRequest(over: Record<string, unknown> = {}) {
    return {
      stampId: null,
      root: shareRoot,
      identity: 'aad',
      region: 'east',
      fqdn: 'azurestack.contoso.com',
      paasDir: null,
      password: PASSWORD,
      currentCa: 'enterprise',
      stampVersion: '2408',
      ...over,
    };
  }

  async function finished(jobId: string) {
    await vi.waitFor(() => expect(events.some((e) => e.name === 'validation.finished' && e.payload.jobId === jobId)).toBe(true));
    return events.find((e) => e.name === 'validation.finished' && e.payload.jobId === jobId)!.payload;
  }

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('backend'));
    dataDir = path.join(dir, 'data');
    shareRoot = path.join(dir, 'share');
    rendererDir = path.join(dir, 'dist', 'renderer');
    mkdirSync(shareRoot, { recursive: true });
    events = [];
    backend = null;
    dialogs = { openFolder: vi.fn(async () => null), saveFile: vi.fn(async () => null) };
    logger.error.mockReset();
    logger.warn.mockReset();
  });

  afterEach(() => {
    backend?.close();
    cleanup();
  });

  it('answers app info and settings, and audits settings changes', async () => {
    open();
    expect(await ok('app.getInfo')).toEqual({ version: '9.9.9', dataDir, platform: process.platform, databasePath: path.join(dataDir, 'workbench.db') });
    expect(await ok('app.getSettings')).toEqual({ theme: 'system', lastShareFolder: null });
    expect(await ok('app.setSettings', { theme: 'dark' })).toEqual({ theme: 'dark', lastShareFolder: null });
    expect(await call('app.setSettings', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('theme') } });
    expect(backend!.store.audit.list()[0]).toMatchObject({ actor: 'app:tester', action: 'settings.update', detail: { theme: 'dark' } });
  });

  it('creates, lists, updates and removes stamps, with conflict and not-found answers', async () => {
    open();
    const lab = await ok<{ id: number; name: string }>('stamps.create', stampInput('Lab'));
    await ok('stamps.create', stampInput('Prod'));
    expect((await ok<{ name: string }[]>('stamps.list')).map((s) => s.name)).toEqual(['Lab', 'Prod']);

    expect(await call('stamps.create', stampInput('lab'))).toMatchObject({ ok: false, error: { code: 'conflict', message: 'A stamp named "lab" already exists.' } });
    expect(await call('stamps.update', { ...stampInput('Prod'), id: lab.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('stamps.update', { ...stampInput('X'), id: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('stamps.create', { ...stampInput('Bad'), ercsIps: ['10.0.0.1', '10.0.0.1'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('ercsIps: "10.0.0.1" is listed twice.') },
    });

    expect(await ok('stamps.update', { ...stampInput('Lab 2'), id: lab.id })).toMatchObject({ id: lab.id, name: 'Lab 2' });
    expect(await ok('stamps.remove', { id: lab.id })).toEqual({ removed: true });
    expect(await ok('stamps.remove', { id: lab.id })).toEqual({ removed: false });
    expect(backend!.store.audit.list().map((e) => e.action)).toEqual(['stamp.remove', 'stamp.update', 'stamp.create', 'stamp.create']);
  });

  it('opens folders through the dialog service', async () => {
    open();
    dialogs.openFolder.mockResolvedValueOnce('/shares/east');
    expect(await ok('dialogs.openFolder', { title: 'Pick the share' })).toEqual({ path: '/shares/east' });
    expect(dialogs.openFolder).toHaveBeenCalledWith('Pick the share');
    expect(await ok('dialogs.openFolder', {})).toEqual({ path: null });
  });

  it('runs a validation job: progress events, stored report and per-check rows, finished event', async () => {
    const engine = fakeEngine(async (options) => {
      options.onProgress?.({ done: 0, total: 2, file: null });
      options.onProgress?.({ done: 1, total: 2, file: 'Certificates/AAD/Portal/cert.pfx' });
      options.onProgress?.({ done: 2, total: 2, file: 'Certificates/AAD/ARM Public/cert.pfx' });
      return report(options.root);
    });
    open({ validateShare: engine.validateShare });
    const stamp = await ok<{ id: number }>('stamps.create', stampInput('Lab'));
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest({ stampId: stamp.id }));
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    // The run is in history as running straight away.
    expect((await ok<{ status: string }[]>('validation.listRuns', {}))[0]).toMatchObject({ status: 'running', stampName: 'Lab' });

    const done = await finished(jobId);
    expect(done).toEqual({ jobId, runId: expect.any(Number), status: 'warning', error: null });
    expect(events.filter((e) => e.name === 'validation.progress').map((e) => e.payload)).toEqual([
      { jobId, done: 0, total: 2, file: null },
      { jobId, done: 1, total: 2, file: 'Certificates/AAD/Portal/cert.pfx' },
      { jobId, done: 2, total: 2, file: 'Certificates/AAD/ARM Public/cert.pfx' },
    ]);
    expect(engine.calls[0]).toMatchObject({ root: shareRoot, identity: 'aad', region: 'east', password: PASSWORD, currentCa: 'enterprise', stampVersion: '2408' });
    expect(engine.calls[0]!.signal).toBeInstanceOf(AbortSignal);

    const runId = done.runId as number;
    const { run, report: stored } = await ok<{ run: Record<string, unknown>; report: ValidationReport }>('validation.getRun', { runId });
    expect(run).toMatchObject({ id: runId, stampId: stamp.id, status: 'warning', summary: { ok: 1, warning: 1, fail: 0 }, source: 'app' });
    expect(stored).toEqual(report(shareRoot));
    expect(backend!.store.runs.results(runId)).toHaveLength(2 * stored.certificates[0]!.checks.length);
    expect(await ok('validation.listRuns', { stampId: stamp.id })).toHaveLength(1);
    expect(await ok('validation.listRuns', { stampId: null })).toHaveLength(0);
    expect(await call('validation.getRun', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(backend!.store.audit.list().map((e) => e.action).slice(0, 2)).toEqual(['validation.finish', 'validation.start']);
  });

  it('cancels a running job at once and ignores the engine’s late answer', async () => {
    let release: (r: ValidationReport) => void = () => {};
    const engine = fakeEngine((options) => {
      options.onProgress?.({ done: 0, total: 5, file: null });
      // A stubborn engine that ignores the signal: the backend must not wait for it.
      return new Promise<ValidationReport>((resolve) => (release = resolve));
    });
    open({ validateShare: engine.validateShare });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    await vi.waitFor(() => expect(engine.calls).toHaveLength(1));
    expect(await ok('validation.cancel', { jobId })).toEqual({ cancelled: true });
    expect(engine.calls[0]!.signal!.aborted).toBe(true);
    const done = await finished(jobId);
    expect(done).toMatchObject({ status: 'cancelled', error: null });
    release(report(shareRoot));
    await backend!.whenIdle();
    await new Promise((r) => setTimeout(r, 10));
    const runs = await ok<{ status: string }[]>('validation.listRuns', {});
    expect(runs[0]).toMatchObject({ status: 'cancelled' });
    expect(await ok('validation.getRun', { runId: done.runId })).toMatchObject({ report: null });
    expect(await ok('validation.cancel', { jobId })).toEqual({ cancelled: false });
    expect(events.filter((e) => e.name === 'validation.finished')).toHaveLength(1);
  });

  it('records a cancelled run when the engine honours the signal', async () => {
    const engine = fakeEngine((options) => untilAborted(options.signal));
    open({ validateShare: engine.validateShare });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    await vi.waitFor(() => expect(engine.calls).toHaveLength(1));
    await ok('validation.cancel', { jobId });
    expect(await finished(jobId)).toMatchObject({ status: 'cancelled' });
    await backend!.whenIdle();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('turns an engine AppError into an error run with that code, and other errors into internal', async () => {
    let mode: 'app' | 'bug' = 'app';
    const engine = fakeEngine(async () => {
      if (mode === 'app') throw new AppError('io-error', 'The share is on a disconnected drive.', 'Reconnect the drive.');
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    open({ validateShare: engine.validateShare });
    const first = await ok<{ jobId: string }>('validation.start', startRequest());
    expect(await finished(first.jobId)).toMatchObject({
      status: 'error',
      error: { code: 'io-error', message: 'The share is on a disconnected drive.', hint: 'Reconnect the drive.' },
    });
    mode = 'bug';
    const second = await ok<{ jobId: string }>('validation.start', startRequest());
    const done = await finished(second.jobId);
    expect(done).toMatchObject({ status: 'error', error: { code: 'internal' } });
    expect(JSON.stringify(done)).not.toContain('Cannot read properties');
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('failed'), expect.any(TypeError));
    expect(backend!.store.runs.get(done.runId as number)).toMatchObject({ run: { status: 'error' }, error: { code: 'internal' } });
  });

  it('treats a report outside the contract as an internal error', async () => {
    open({ validateShare: async () => ({ schemaVersion: 2 }) as unknown as ValidationReport });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    expect(await finished(jobId)).toMatchObject({ status: 'error', error: { code: 'internal' } });
  });

  it('refuses to start for a missing folder or stamp, before creating a run', async () => {
    const engine = fakeEngine(async (o) => report(o.root));
    open({ validateShare: engine.validateShare });
    expect(await call('validation.start', startRequest({ root: path.join(dir, 'nope') }))).toMatchObject({ ok: false, error: { code: 'io-error' } });
    expect(await call('validation.start', startRequest({ stampId: 42 }))).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('validation.start', startRequest({ root: '' }))).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('root: Choose the share folder first.') },
    });
    expect(await ok('validation.listRuns', {})).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('keeps the run history when the database is reopened', async () => {
    open({ validateShare: async (o) => report(o.root, [certificate('Portal', { 'key-size': 'fail' })]) });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    const { runId } = await finished(jobId);
    backend!.close();
    open();
    const runs = await ok<{ id: number; status: string }[]>('validation.listRuns', {});
    expect(runs).toEqual([expect.objectContaining({ id: runId, status: 'fail', summary: { ok: 0, warning: 0, fail: 1 } })]);
    expect(await ok('validation.getRun', { runId })).toMatchObject({ report: { certificates: [{ endpoint: 'Portal', status: 'fail' }] } });
  });

  it('marks a run interrupted by an app crash as failed on the next start', async () => {
    const store = Store.open({ dataDir });
    const runId = store.runs.start({ stampId: null, root: '/s', identity: 'aad', region: 'east', fqdn: 'f', source: 'app', startedAt: 't' });
    store.close();
    open();
    expect(await ok('validation.getRun', { runId })).toMatchObject({ run: { status: 'error' } });
  });

  it('cancels and records running jobs when closed', async () => {
    open({ validateShare: (o) => untilAborted(o.signal) });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    await new Promise((r) => setTimeout(r, 5));
    backend!.close();
    expect(events.find((e) => e.name === 'validation.finished')?.payload).toMatchObject({ jobId, status: 'cancelled' });
    backend = null;
    const store = Store.open({ dataDir });
    expect(store.runs.list()[0]?.status).toBe('cancelled');
    store.close();
  });

  it('never writes the PFX password to the database, its WAL or the audit log', async () => {
    let mode: 'finish' | 'hang' | 'throw' = 'finish';
    open({
      validateShare: async (o) => {
        if (mode === 'hang') return untilAborted(o.signal);
        if (mode === 'throw') throw new Error(`engine failed for ${o.root}`);
        return report(o.root);
      },
    });
    const stamp = await ok<{ id: number }>('stamps.create', stampInput('Lab'));
    const a = await ok<{ jobId: string }>('validation.start', startRequest({ stampId: stamp.id }));
    await finished(a.jobId);
    mode = 'hang';
    const b = await ok<{ jobId: string }>('validation.start', startRequest());
    await ok('validation.cancel', { jobId: b.jobId });
    mode = 'throw';
    const c = await ok<{ jobId: string }>('validation.start', startRequest());
    await finished(c.jobId);
    // An invalid request carrying the password must not leak it either.
    await call('validation.start', { ...startRequest(), identity: 'nope' });
    await backend!.whenIdle();

    const dbFile = path.join(dataDir, 'workbench.db');
    const files = [dbFile, `${dbFile}-wal`].filter((f) => existsSync(f));
    expect(files).toContain(`${dbFile}-wal`);
    const needles = [Buffer.from(PASSWORD, 'utf8'), Buffer.from(PASSWORD, 'utf16le')];
    for (const f of files) for (const n of needles) expect(readFileSync(f).includes(n), f).toBe(false);
    expect(JSON.stringify(backend!.store.audit.list({ limit: 1000 }))).not.toContain(PASSWORD);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    expect(JSON.stringify(logger.error.mock.calls) + JSON.stringify(logger.warn.mock.calls)).not.toContain(PASSWORD);

    backend!.close();
    backend = null;
    for (const n of needles) expect(readFileSync(dbFile).includes(n)).toBe(false);
  });

  it('exports a report as JSON and as self-contained, escaped HTML', async () => {
    const hostile = certificate('Portal', { expiry: 'fail' }, '<script>alert("x")</script>.pfx');
    hostile.checks[3]!.message = 'Expired <img src=x onerror=alert(1)> & "quoted"';
    open({ validateShare: async (o) => report(o.root, [hostile]) });
    const stamp = await ok<{ id: number }>('stamps.create', stampInput('Lab'));
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest({ stampId: stamp.id }));
    const { runId } = (await finished(jobId)) as { runId: number };

    const jsonPath = path.join(dir, 'out.json');
    dialogs.saveFile.mockResolvedValueOnce(jsonPath);
    expect(await ok('validation.exportReport', { runId, format: 'json' })).toEqual({ path: jsonPath });
    expect(dialogs.saveFile.mock.calls[0]![0]).toMatch(/^validation-east\.azurestack\.contoso\.com-run\d+-\d{4}-\d{2}-\d{2}\.json$/);
    expect(dialogs.saveFile.mock.calls[0]![1]).toEqual([{ name: 'JSON report', extensions: ['json'] }]);
    const json = readFileSync(jsonPath, 'utf8');
    expect(JSON.parse(json)).toEqual(report(shareRoot, [hostile]));
    expect(json).toContain('\n  "schemaVersion": 1');

    const htmlPath = path.join(dir, 'out.html');
    dialogs.saveFile.mockResolvedValueOnce(htmlPath);
    expect(await ok('validation.exportReport', { runId, format: 'html' })).toEqual({ path: htmlPath });
    const html = readFileSync(htmlPath, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    // No tag may load anything: no src or href attribute at all.
    expect(html).not.toMatch(/<[^>]*\s(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.pfx');
    expect(html).toContain('Expired &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');
    expect(html).toContain('<style>');
    expect(html).toContain('9.9.9');
    expect(html).not.toContain(PASSWORD);

    expect(await ok('validation.exportReport', { runId, format: 'html' })).toEqual({ path: null });
    expect(backend!.store.audit.list().filter((e) => e.action === 'report.export')).toHaveLength(2);
  });

  it('refuses to export a run without a report, and reports an unwritable target', async () => {
    open({ validateShare: (o) => untilAborted(o.signal) });
    const { jobId } = await ok<{ jobId: string }>('validation.start', startRequest());
    await ok('validation.cancel', { jobId });
    const { runId } = await finished(jobId);
    expect(await call('validation.exportReport', { runId, format: 'json' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('validation.exportReport', { runId: 12345, format: 'json' })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    backend!.close();
    open({ validateShare: async (o) => report(o.root) });
    const second = await ok<{ jobId: string }>('validation.start', startRequest());
    const done = await finished(second.jobId);
    dialogs.saveFile.mockResolvedValueOnce(path.join(dir, 'missing-folder', 'x.json'));
    expect(await call('validation.exportReport', { runId: done.runId, format: 'json' })).toMatchObject({
      ok: false,
      error: { code: 'io-error', message: expect.stringContaining('ENOENT') },
    });
  });

  it('opens a share folder from the menu: remembers it and tells the renderer', async () => {
    open();
    dialogs.openFolder.mockResolvedValueOnce('/shares/west');
    expect(await backend!.openShareFolder()).toBe('/shares/west');
    expect(events).toContainEqual({ name: 'app.shareFolderOpened', payload: { path: '/shares/west' } });
    expect(await ok('app.getSettings')).toMatchObject({ lastShareFolder: '/shares/west' });
    expect(await backend!.openShareFolder()).toBeNull();
  });

  it('refuses untrusted senders and unknown channels', async () => {
    open();
    expect(await backend!.invoke('stamps.list', {}, { url: 'https://evil.example/', isMainFrame: true, trusted: true })).toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    expect(await call('stamps.truncate', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('serves a window.workbench built by buildWorkbenchApi, as the e2e harness does', async () => {
    open({ validateShare: async (o) => report(o.root) });
    const sender = trustedSender(rendererDir);
    const api = buildWorkbenchApi(
      (channel, payload) => backend!.invoke(channel, payload, sender),
      (listener) => backend!.onEvent(listener),
    );
    const finishedEvents: unknown[] = [];
    api.on('validation.finished', (p) => finishedEvents.push(p));
    expect(await api.stamps.create(stampInput('Harness'))).toMatchObject({ ok: true, value: { name: 'Harness' } });
    const started = await api.validation.start(startRequest() as never);
    expect(started.ok).toBe(true);
    await vi.waitFor(() => expect(finishedEvents).toHaveLength(1));
    expect(finishedEvents[0]).toMatchObject({ status: 'warning' });
  });
});
