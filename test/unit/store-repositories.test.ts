import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../electron/services/errors';
import { DEFAULT_SETTINGS, PRODUCT_NAME, Store, defaultDataDir, redactSecrets, reportStatus } from '../../electron/services/store/index';
import { openDatabase } from '../../electron/services/store/open-database';
import { certificate, report, stampInput, tempDir } from './ipc-fixtures';

describe('store repositories', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('repos'));
    store = Store.open({ dataDir: dir });
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  describe('stamps', () => {
    it('creates, lists, updates and removes stamps with their lists intact', () => {
      const created = store.stamps.create(stampInput('Lab East'), '2025-01-01T00:00:00.000Z');
      expect(created).toMatchObject({ ...stampInput('Lab East'), id: expect.any(Number), createdAt: '2025-01-01T00:00:00.000Z' });
      store.stamps.create(stampInput('ASH Prod'), '2025-01-02T00:00:00.000Z');
      expect(store.stamps.list().map((s) => s.name)).toEqual(['ASH Prod', 'Lab East']);

      const updated = store.stamps.update(created.id, { ...stampInput('Lab West'), ercsIps: ['10.1.0.1'], rehearsal: true }, '2025-02-01T00:00:00.000Z');
      expect(updated).toMatchObject({ name: 'Lab West', ercsIps: ['10.1.0.1'], rehearsal: true, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-02-01T00:00:00.000Z' });
      expect(store.stamps.findByName('lab west')?.id).toBe(created.id);

      expect(store.stamps.remove(created.id)).toBe(true);
      expect(store.stamps.remove(created.id)).toBe(false);
      expect(store.stamps.get(created.id)).toBeNull();
    });

    it('answers conflict for a duplicate name, ignoring case', () => {
      const a = store.stamps.create(stampInput('Lab'), 't');
      const b = store.stamps.create(stampInput('Other'), 't');
      expect(() => store.stamps.create(stampInput('LAB'), 't')).toThrow(expect.objectContaining({ code: 'conflict', message: 'A stamp named "LAB" already exists.' }));
      expect(() => store.stamps.update(b.id, stampInput('lab'), 't')).toThrow(AppError);
      // Renaming a stamp to its own name (any case) is not a conflict.
      expect(store.stamps.update(a.id, stampInput('LAB'), 't').name).toBe('LAB');
    });

    it('answers not-found when updating a missing stamp', () => {
      expect(() => store.stamps.update(999, stampInput(), 't')).toThrow(expect.objectContaining({ code: 'not-found' }));
    });
  });

  describe('settings', () => {
    it('starts from defaults and merges updates', () => {
      expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
      expect(store.settings.update({ theme: 'dark' }, 't')).toEqual({ theme: 'dark', lastShareFolder: null });
      expect(store.settings.update({ lastShareFolder: '/shares/east' }, 't')).toEqual({ theme: 'dark', lastShareFolder: '/shares/east' });
      expect(store.settings.update({ lastShareFolder: null }, 't').lastShareFolder).toBeNull();
    });

    it('falls back to the default for a stored value of the wrong shape and ignores unknown keys', () => {
      store.close();
      const db = openDatabase({ dataDir: dir });
      db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('theme', '"purple"', 't'), ('futureKey', '1', 't')`).run();
      db.close();
      store = Store.open({ dataDir: dir });
      expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
    });
  });

  describe('validation runs', () => {
    const input = (over: Partial<Parameters<Store['runs']['start']>[0]> = {}) => ({
      stampId: null,
      root: '/shares/east',
      identity: 'aad' as const,
      region: 'east',
      fqdn: 'azurestack.contoso.com',
      source: 'app' as const,
      startedAt: '2025-03-01T10:00:00.000Z',
      ...over,
    });

    it('records a run from start to finish with one row per certificate per check', () => {
      const r = report('/shares/east', [certificate('Portal'), certificate('ACSBlob', { 'dns-names': 'fail' })]);
      const id = store.runs.start(input({ jobId: 'job-1' }));
      expect(store.runs.get(id)?.run).toMatchObject({ status: 'running', finishedAt: null, summary: { ok: 0, warning: 0, fail: 0 } });
      expect(store.runs.finish(id, { status: reportStatus(r), finishedAt: '2025-03-01T10:01:00.000Z', report: r })).toBe(true);
      // A run finishes once: a late second outcome (a cancelled engine returning after all) is ignored.
      expect(store.runs.finish(id, { status: 'ok', finishedAt: 'later', report: null })).toBe(false);

      const stored = store.runs.get(id)!;
      expect(stored.run).toMatchObject({ status: 'fail', summary: { ok: 1, warning: 0, fail: 1 }, finishedAt: '2025-03-01T10:01:00.000Z' });
      expect(stored.report).toEqual(r);
      expect(stored.jobId).toBe('job-1');
      const rows = store.runs.results(id);
      expect(rows).toHaveLength(2 * r.certificates[0]!.checks.length);
      expect(rows.find((x) => x.endpoint === 'ACSBlob' && x.checkId === 'dns-names')).toMatchObject({ status: 'fail', remediation: 'Fix dns-names of ACSBlob.' });
    });

    it('lists newest first, by stamp, unattached, and keeps runs when their stamp is deleted', () => {
      const stamp = store.stamps.create(stampInput('Lab'), 't');
      const a = store.runs.record(input({ stampId: stamp.id, startedAt: '2025-03-01T00:00:00.000Z' }), { status: 'ok', finishedAt: 'x', report: report('/a') });
      const b = store.runs.record(input({ startedAt: '2025-03-02T00:00:00.000Z', source: 'cli' }), { status: 'warning', finishedAt: 'x', report: report('/b') });
      expect(store.runs.list().map((r) => r.id)).toEqual([b, a]);
      expect(store.runs.list({ stampId: stamp.id })).toEqual([expect.objectContaining({ id: a, stampName: 'Lab', source: 'app' })]);
      expect(store.runs.list({ stampId: null }).map((r) => r.id)).toEqual([b]);
      expect(store.runs.list({ limit: 1 })).toHaveLength(1);

      store.stamps.remove(stamp.id);
      expect(store.runs.get(a)?.run).toMatchObject({ stampId: null, stampName: null, status: 'ok' });
    });

    it('marks runs left running by a crashed app as interrupted, but not the CLI’s', () => {
      const appRun = store.runs.start(input());
      const cliRun = store.runs.start(input({ source: 'cli' }));
      expect(store.runs.abandonRunning('app', 'now')).toBe(1);
      expect(store.runs.get(appRun)).toMatchObject({ run: { status: 'error', finishedAt: 'now' }, error: { code: 'internal' } });
      expect(store.runs.get(cliRun)?.run.status).toBe('running');
    });
  });

  describe('audit log', () => {
    it('appends and lists events newest first, by subject', () => {
      store.audit.append({ actor: 'app:x', action: 'stamp.create', subject: 'stamp:1', detail: { name: 'Lab' }, at: 't1' });
      store.audit.append({ actor: 'cli:x', action: 'validation.start', subject: 'run:1', at: 't2' });
      expect(store.audit.list().map((e) => e.action)).toEqual(['validation.start', 'stamp.create']);
      expect(store.audit.list({ subject: 'stamp:1' })).toEqual([
        { id: expect.any(Number), at: 't1', actor: 'app:x', action: 'stamp.create', subject: 'stamp:1', detail: { name: 'Lab' } },
      ]);
    });

    it('redacts any detail key that names a secret, at any depth', () => {
      const event = store.audit.append({
        actor: 'app:x',
        action: 'validation.start',
        subject: null,
        detail: { root: '/s', password: 'hunter2', nested: { pfxPassword: 'p', list: [{ clientSecret: 's', token: 't' }] } },
      });
      expect(event.detail).toEqual({ root: '/s', password: '[redacted]', nested: { pfxPassword: '[redacted]', list: [{ clientSecret: '[redacted]', token: '[redacted]' }] } });
      expect(JSON.stringify(store.audit.list())).not.toContain('hunter2');
      expect(redactSecrets({ credentials: { user: 'u' } })).toEqual({ credentials: '[redacted]' });
    });
  });

  it('runs work across repositories in one transaction', () => {
    expect(() =>
      store.transaction(() => {
        store.stamps.create(stampInput('Lab'), 't');
        throw new Error('later step failed');
      }),
    ).toThrow('later step failed');
    expect(store.stamps.list()).toEqual([]);
  });
});

describe('defaultDataDir', () => {
  it('follows Electron’s userData rules per platform', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, homedir: 'C:\\Users\\op' })).toBe(
      `C:\\Users\\op\\AppData\\Roaming\\${PRODUCT_NAME}`,
    );
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/op' })).toBe(`/Users/op/Library/Application Support/${PRODUCT_NAME}`);
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/op' })).toBe(`/home/op/.config/${PRODUCT_NAME}`);
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, homedir: '/home/op' })).toBe(`/xdg/${PRODUCT_NAME}`);
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, homedir: '/home/op' })).toBe(`/home/op/.config/${PRODUCT_NAME}`);
  });

  it('lets AZS_DATA_DIR override it', () => {
    expect(defaultDataDir({ platform: 'linux', env: { AZS_DATA_DIR: '/data/azs' }, homedir: '/home/op' })).toBe('/data/azs');
    expect(defaultDataDir({ platform: 'linux', env: { AZS_DATA_DIR: 'rel' }, homedir: '/home/op' })).toBe(path.resolve('rel'));
  });
});
