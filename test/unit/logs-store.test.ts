import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRunRef, parseSearchTerms, toFtsQuery, type LogEvent } from '../../shared/logs/events';
import { MIGRATIONS, migrate } from '../../electron/services/store/migrations/index';
import { openDatabase } from '../../electron/services/store/open-database';
import { Store } from '../../electron/services/store/store';
import { tempDir } from './ipc-fixtures';

const STAMP = {
  name: 'Lab',
  region: 'east',
  externalFqdn: 'azurestack.contoso.com',
  identity: 'aad' as const,
  version: '2408',
  ercsIps: ['10.0.0.1'],
  currentCaKind: 'public' as const,
  resourceProviders: [],
  rehearsal: false,
};

describe('event store', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('logs-store'));
    store = Store.open({ dataDir: dir });
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('finds events by words, phrases, prefixes and literal addresses, newest first', () => {
    store.events.ingest([
      { at: '2026-01-01T00:00:00.000Z', level: 'info', source: 'pep', text: 'Connecting to ERCS 10.0.0.1 on port 5986' },
      { at: '2026-01-01T00:00:01.000Z', level: 'error', source: 'pep', text: 'Rotation step failed: certificate expired' },
      { at: '2026-01-01T00:00:02.000Z', level: 'warning', source: 'validation', text: 'Certificate expires in 20 days' },
      { at: '2026-01-01T00:00:03.000Z', level: 'info', source: 'app', text: 'Opened C:\\Shares\\Certificates (the "ADFS" folder)' },
    ]);
    const texts = (q: string) => store.events.page({ query: q }).events.map((e) => e.text);
    expect(texts('certificate')).toEqual(['Certificate expires in 20 days', 'Rotation step failed: certificate expired']);
    expect(texts('expir*')).toHaveLength(2);
    expect(texts('"step failed"')).toEqual(['Rotation step failed: certificate expired']);
    expect(texts('10.0.0.1')).toEqual(['Connecting to ERCS 10.0.0.1 on port 5986']);
    expect(texts('C:\\Shares\\Certificates')).toHaveLength(1);
    // Input FTS5 would reject as syntax is taken literally instead of failing.
    expect(texts('AND OR NOT ( ) "')).toEqual([]);
    expect(texts('certificate nothere')).toEqual([]);
    expect(store.events.count({ query: 'certificate' })).toBe(2);
  });

  it('filters by level (at least), source, stamp, run and time, and pages with a keyset cursor', () => {
    const events = Array.from({ length: 250 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      level: (['info', 'warning', 'error'] as const)[i % 3] as LogEvent['level'],
      source: i % 2 === 0 ? ('pep' as const) : ('app' as const),
      stamp: i < 100 ? 'Lab' : 'Prod',
      run: i < 50 ? { kind: 'rotation' as const, id: 7 } : null,
      text: `line ${i}`,
    }));
    expect(store.events.ingest(events)).toBe(250);
    expect(store.events.count({ minLevel: 'warning' })).toBe(166);
    expect(store.events.count({ sources: ['pep'] })).toBe(125);
    expect(store.events.count({ stamp: 'lab' })).toBe(100);
    expect(store.events.count({ run: { kind: 'rotation', id: 7 } })).toBe(50);
    expect(store.events.count({ run: { kind: 'validation', id: 7 } })).toBe(0);
    expect(store.events.count({ since: '2026-01-01T00:01:00.000Z', until: '2026-01-01T00:02:00.000Z' })).toBe(60);

    const seen: string[] = [];
    let cursor: number | null = null;
    do {
      const page = store.events.page({ stamp: 'Prod' }, { before: cursor, limit: 40 });
      seen.push(...page.events.map((e) => e.text));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(150);
    expect(seen[0]).toBe('line 249');
    expect(seen.at(-1)).toBe('line 100');
    expect([...store.events.iterate({ run: { kind: 'rotation', id: 7 } })].map((e) => e.text).slice(0, 2)).toEqual(['line 0', 'line 1']);
  });

  it('scrubs secrets from text before storing it', () => {
    const id = store.events.append({ level: 'error', source: 'app', text: 'connect failed: Server=db;Password=Hunter2!x;User=sa' });
    store.events.ingest([{ level: 'info', source: 'pep', text: '-PepPassword Zz9-secret -Force' }]);
    const texts = store.events.page({}).events.map((e) => e.text);
    expect(texts).toEqual(['-PepPassword [redacted] -Force', 'connect failed: Server=db;Password=[redacted];User=sa']);
    expect(store.events.page({ query: 'Hunter2' }).events).toEqual([]);
    expect(id).toBeGreaterThan(0);
  });

  it('prunes by retention and keeps the full-text index in step', () => {
    store.events.ingest([
      { at: '2025-01-01T00:00:00.000Z', level: 'info', source: 'app', text: 'ancient zebra' },
      { at: '2026-05-01T00:00:00.000Z', level: 'info', source: 'app', text: 'recent zebra' },
    ]);
    expect(store.events.retentionDays()).toBe(90);
    store.events.setRetentionDays(30, '2026-05-02T00:00:00.000Z');
    expect(store.events.retentionDays()).toBe(30);
    expect(() => store.events.setRetentionDays(0, 'now')).toThrow(RangeError);
    expect(store.events.applyRetention(new Date('2026-05-10T00:00:00.000Z'))).toBe(1);
    expect(store.events.page({ query: 'zebra' }).events.map((e) => e.text)).toEqual(['recent zebra']);
    // The settings screen's reader ignores the retention key rather than choking on it.
    expect(store.settings.get()).toEqual({ theme: 'system', lastShareFolder: null });
  });

  it('is fed by the audit log, validation runs, PEP run events and checklist confirmations', () => {
    const stamp = store.stamps.create(STAMP, '2026-01-01T00:00:00.000Z');
    store.audit.append({ actor: 'app:jdoe', action: 'stamp.create', subject: `stamp:${stamp.id}`, detail: { name: 'Lab' }, at: '2026-01-01T00:00:00.000Z' });
    const runId = store.runs.start({ stampId: stamp.id, root: '/share', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'app', startedAt: '2026-01-01T00:00:01.000Z' });
    store.runs.finish(runId, { status: 'fail', finishedAt: '2026-01-01T00:00:02.000Z', report: null, error: { code: 'io-error', message: 'gone' } });
    const rotation = store.rotations.create({
      stampId: stamp.id, stampName: 'Lab', kind: 'external', rehearsal: true, scenario: 'success', source: 'cli',
      startedAt: '2026-01-01T00:00:03.000Z', rerunOf: null, parameters: {}, ownerPid: 1, ownerHost: 'h',
    });
    store.rotations.appendEvents(rotation, [{ at: '2026-01-01T00:00:04.000Z', level: 'warning', type: 'output', text: 'Action plan step 3 is slow' }]);

    const all = store.events.page({}).events;
    expect(all.find((e) => e.category === 'stamp.create')).toMatchObject({ source: 'audit', stamp: 'Lab', level: 'info' });
    expect(all.find((e) => e.category === 'validation.start')).toMatchObject({ source: 'validation', stamp: 'Lab', run: { kind: 'validation', id: runId } });
    expect(all.find((e) => e.category === 'validation.finish')).toMatchObject({ level: 'error', text: expect.stringContaining('io-error: gone') });
    expect(all.find((e) => e.source === 'pep' && e.category === 'output')).toMatchObject({ stamp: 'Lab', level: 'warning', run: { kind: 'rotation', id: rotation } });
    expect(store.events.page({ query: 'slow' }).events).toHaveLength(1);
    const checklist = store.procedures.start({ stampId: stamp.id, stampName: 'Lab', procedureId: 'external-certificates', stampVersion: '2408', parameters: {}, startedAt: '2026-01-01T00:00:05.000Z' });
    store.procedures.confirm(checklist, { stepId: 'prerequisites', confirmedAt: '2026-01-01T00:00:06.000Z', actor: 'app:jdoe', note: 'share ready' });
    // The service audits the confirmation too; the event store shows it once, from the confirmation itself.
    store.audit.append({ actor: 'app:jdoe', action: 'procedure.confirm', subject: `procedure:${checklist}`, detail: { step: 'prerequisites' }, at: '2026-01-01T00:00:06.000Z' });
    store.audit.append({ actor: 'app:jdoe', action: 'procedure.unconfirm', subject: `procedure:${checklist}`, detail: { step: 'prerequisites' }, at: '2026-01-01T00:00:07.000Z' });
    expect(store.events.page({ sources: ['checklist'] }).events).toEqual([
      expect.objectContaining({ stamp: 'Lab', category: 'procedure.unconfirm' }),
      expect.objectContaining({ stamp: 'Lab', category: 'checklist.confirm', text: `app:jdoe confirmed step prerequisites of external-certificates (checklist ${checklist}): share ready` }),
    ]);
    expect(store.events.checklistStates(['lab'])).toEqual([
      expect.objectContaining({ id: checklist, stamp: 'Lab', procedureId: 'external-certificates', confirmations: [{ stepId: 'prerequisites', confirmedAt: '2026-01-01T00:00:06.000Z', actor: 'app:jdoe', note: 'share ready' }] }),
    ]);
    expect(store.events.checklistStates(['other'])).toEqual([]);
  });
});

describe('migration 6 (event store)', () => {
  it('upgrades a schema-5 database and starts feeding events from then on', () => {
    const { dir, cleanup } = tempDir('logs-migration');
    const db: Database.Database = openDatabase({ dataDir: dir });
    try {
      migrate(db, MIGRATIONS, 5);
      db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t0', 'app:x', 'settings.update', 'settings', NULL)`).run();
      expect(migrate(db, MIGRATIONS, 6)).toEqual([6]);
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
      db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t1', 'app:x', 'settings.update', 'settings', NULL)`).run();
      expect(db.prepare(`SELECT source, text FROM events`).all()).toEqual([{ source: 'audit', text: 'app:x settings.update settings' }]);
      expect(db.prepare(`SELECT rowid FROM events_fts WHERE events_fts MATCH 'settings'`).all()).toHaveLength(1);
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('search terms', () => {
  it('quotes every term so FTS5 syntax in the input is literal', () => {
    expect(toFtsQuery(parseSearchTerms('cert* "step 3" 10.0.0.1'))).toBe('"cert"* "step 3" "10.0.0.1"');
    expect(toFtsQuery(parseSearchTerms('  ( ) * '))).toBeNull();
  });

  it('parses run references', () => {
    expect(parseRunRef('12')).toEqual({ kind: 'rotation', id: 12 });
    expect(parseRunRef('validation:5')).toEqual({ kind: 'validation', id: 5 });
    expect(parseRunRef('v5')).toEqual({ kind: 'validation', id: 5 });
    expect(parseRunRef('x')).toBeNull();
    expect(parseRunRef('0')).toBeNull();
  });
});
