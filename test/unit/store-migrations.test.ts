import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../electron/services/store/migrations/index';
import { APPLICATION_ID } from '../../electron/services/store/database-file';
import { BUSY_TIMEOUT_MS, DATABASE_FILE_NAME, openDatabase } from '../../electron/services/store/open-database';
import { Store } from '../../electron/services/store/store';
import { tempDir } from './ipc-fixtures';

/** Tables each schema version must have (every migration needs an entry: a new migration needs a test). */
const TABLES_AT: Record<number, string[]> = {
  1: ['audit_events', 'settings', 'stamps'],
  2: ['audit_events', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  3: ['audit_events', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  4: ['audit_events', 'key_requests', 'placed_files', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  5: ['audit_events', 'key_requests', 'placed_files', 'probe_reports', 'procedure_confirmations', 'procedure_runs', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  // events_fts_* are FTS5's own shadow tables of the full-text index.
  6: ['audit_events', 'events', 'events_fts', 'events_fts_config', 'events_fts_data', 'events_fts_idx', 'key_requests', 'placed_files', 'probe_reports', 'procedure_confirmations', 'procedure_runs', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  // 7 writes the application id and 8 adds a column: no new table.
  7: ['audit_events', 'events', 'events_fts', 'events_fts_config', 'events_fts_data', 'events_fts_idx', 'key_requests', 'placed_files', 'probe_reports', 'procedure_confirmations', 'procedure_runs', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  8: ['audit_events', 'events', 'events_fts', 'events_fts_config', 'events_fts_data', 'events_fts_idx', 'key_requests', 'placed_files', 'probe_reports', 'procedure_confirmations', 'procedure_runs', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
  9: ['audit_events', 'events', 'events_fts', 'events_fts_config', 'events_fts_data', 'events_fts_idx', 'key_requests', 'placed_files', 'probe_reports', 'procedure_confirmations', 'procedure_runs', 'rotation_events', 'rotation_runs', 'settings', 'stamps', 'validation_results', 'validation_runs'],
};

/** Writes data as the app at version N-1 would have, and checks it after migrating to N. */
const UPGRADES: Record<number, { seed(db: Database.Database): void; check(db: Database.Database): void }> = {
  2: {
    seed(db) {
      db.prepare(
        `INSERT INTO stamps (name, region, external_fqdn, identity, version, ercs_ips, current_ca_kind, resource_providers, rehearsal, created_at, updated_at)
         VALUES ('Lab', 'east', 'azurestack.contoso.com', 'aad', '2408', '["10.0.0.1"]', 'public', '[]', 0, 't0', 't0')`,
      ).run();
      db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('theme', '"dark"', 't0')`).run();
      db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t0', 'app:x', 'stamp.create', 'stamp:1', '{"name":"Lab"}')`).run();
    },
    check(db) {
      expect(db.prepare('SELECT name, ercs_ips FROM stamps').all()).toEqual([{ name: 'Lab', ercs_ips: '["10.0.0.1"]' }]);
      expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('theme')).toEqual({ value: '"dark"' });
      expect(db.prepare('SELECT action FROM audit_events').all()).toEqual([{ action: 'stamp.create' }]);
      // The new tables work with the old data: a run can point at the existing stamp.
      db.prepare(
        `INSERT INTO validation_runs (stamp_id, root, identity, region, fqdn, started_at, status, source) VALUES (1, '/s', 'aad', 'east', 'f', 't1', 'running', 'app')`,
      ).run();
      expect(db.prepare('SELECT stamp_id FROM validation_runs').get()).toEqual({ stamp_id: 1 });
    },
  },
  3: {
    seed(db) {
      UPGRADES[2]!.seed(db);
      db.prepare(`INSERT INTO validation_runs (stamp_id, root, identity, region, fqdn, started_at, status, source) VALUES (1, '/s', 'aad', 'east', 'f', 't1', 'ok', 'cli')`).run();
    },
    check(db) {
      expect(db.prepare('SELECT name FROM stamps').all()).toEqual([{ name: 'Lab' }]);
      expect(db.prepare('SELECT status FROM validation_runs').all()).toEqual([{ status: 'ok' }]);
      // A rotation run can point at the existing stamp, its events are numbered per run, and a state outside
      // the state machine is refused by the table itself.
      db.prepare(
        `INSERT INTO rotation_runs (stamp_id, stamp_name, kind, state, source, started_at) VALUES (1, 'Lab', 'external', 'draft', 'cli', 't2')`,
      ).run();
      db.prepare(`INSERT INTO rotation_events (run_id, seq, at, level, type, text) VALUES (1, 1, 't2', 'info', 'run.note', 'x')`).run();
      expect(() => db.prepare(`INSERT INTO rotation_events (run_id, seq, at, level, type, text) VALUES (1, 1, 't2', 'info', 'log', 'dup')`).run()).toThrow(/UNIQUE|PRIMARY/);
      expect(() => db.prepare(`UPDATE rotation_runs SET state = 'paused'`).run()).toThrow(/CHECK/);
      expect(db.prepare('SELECT stamp_id, parameters FROM rotation_runs').get()).toEqual({ stamp_id: 1, parameters: '{}' });
    },
  },
  4: {
    seed(db) {
      UPGRADES[3]!.seed(db);
    },
    check(db) {
      expect(db.prepare('SELECT name FROM stamps').all()).toEqual([{ name: 'Lab' }]);
      const insert = db.prepare(
        `INSERT INTO key_requests (key_id, endpoint, endpoints, dns_names, subject, region, fqdn, identity, key_bits, signature_hash,
                                   public_key_sha256, key_file, request_file, created_at)
         VALUES (?, 'Public Portal', '["Public Portal"]', '["portal.east.x.com"]', 'CN=portal.east.x.com', 'east', 'x.com', 'aad', 2048, 'sha256', ?, 'keys/a.key', '/r/Public-Portal.req', 't3')`,
      );
      insert.run('a', 'f1');
      // One request per public key: an issued certificate must find exactly one key.
      expect(() => insert.run('b', 'f1')).toThrow(/UNIQUE/);
      expect(() => db.prepare(`INSERT INTO placed_files (path, sha256, size, source, origin, placed_at) VALUES ('/s/a.pfx', 'h', 1, 'copied', '/o', 't3')`).run()).toThrow(/CHECK/);
    },
  },
  5: {
    seed(db) {
      UPGRADES[3]!.seed(db);
    },
    check(db) {
      expect(db.prepare('SELECT name FROM stamps').all()).toEqual([{ name: 'Lab' }]);
      // A procedure run points at the existing stamp; one confirmation per step; deleting the stamp keeps the run.
      db.prepare(`INSERT INTO procedure_runs (stamp_id, stamp_name, procedure_id, stamp_version, state, started_at) VALUES (1, 'Lab', 'external-certificates', '2408', 'open', 't5')`).run();
      const confirm = db.prepare(`INSERT INTO procedure_confirmations (run_id, step_id, confirmed_at, actor) VALUES (1, 'prerequisites', 't5', 'app:x')`);
      confirm.run();
      expect(() => confirm.run()).toThrow(/UNIQUE|PRIMARY/);
      expect(() => db.prepare(`INSERT INTO procedure_runs (stamp_id, stamp_name, procedure_id, stamp_version, state, started_at) VALUES (1, 'Lab', 'x', '2408', 'paused', 't5')`).run()).toThrow(/CHECK/);
      db.prepare(`INSERT INTO probe_reports (stamp_id, probed_at, report_json) VALUES (1, 't5', '{}')`).run();
      db.prepare('DELETE FROM stamps WHERE id = 1').run();
      expect(db.prepare('SELECT stamp_id, stamp_name FROM procedure_runs').get()).toEqual({ stamp_id: null, stamp_name: 'Lab' });
      expect(db.prepare('SELECT COUNT(*) AS n FROM probe_reports').get()).toEqual({ n: 0 });
    },
  },
  6: {
    seed(db) {
      UPGRADES[3]!.seed(db);
    },
    check(db) {
      // Rows written before the event store are not copied in; rows written after it are, and are searchable.
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
      db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t6', 'app:x', 'stamp.update', 'stamp:1', NULL)`).run();
      expect(db.prepare('SELECT source, stamp, category FROM events').all()).toEqual([{ source: 'audit', stamp: 'Lab', category: 'stamp.update' }]);
      expect(db.prepare(`SELECT rowid FROM events_fts WHERE events_fts MATCH '"stamp.update"'`).all()).toHaveLength(1);
      expect(() => db.prepare(`INSERT INTO events (at, level, source, text) VALUES ('t6', 'loud', 'app', 'x')`).run()).toThrow(/CHECK/);
    },
  },
  7: {
    seed(db) {
      UPGRADES[3]!.seed(db);
    },
    check(db) {
      // The file now says it is ours; the data of the earlier version is untouched.
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.prepare('SELECT name FROM stamps').all()).toEqual([{ name: 'Lab' }]);
      expect(db.prepare('SELECT status FROM validation_runs').all()).toEqual([{ status: 'ok' }]);
    },
  },
  8: {
    seed(db) {
      UPGRADES[3]!.seed(db);
      const insert = db.prepare(
        `INSERT INTO rotation_runs (stamp_id, stamp_name, kind, state, source, started_at, pep_started_at) VALUES (1, 'Lab', 'external', ?, 'cli', 't7', ?)`,
      );
      insert.run('failed', 't7');
      insert.run('running', null);
      insert.run('interrupted', null);
    },
    check(db) {
      // Runs that reached the rotation say so; for the others the phase was never recorded.
      expect(db.prepare('SELECT state, phase FROM rotation_runs ORDER BY id').all()).toEqual([
        { state: 'failed', phase: 'rotation' },
        { state: 'running', phase: 'rotation' },
        { state: 'interrupted', phase: null },
      ]);
      expect(() => db.prepare(`UPDATE rotation_runs SET phase = 'paused'`).run()).toThrow(/CHECK/);
      db.prepare(`UPDATE rotation_runs SET phase = 'pep-session' WHERE id = 3`).run();
    },
  },
  9: {
    seed(db) {
      const audit = db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t8', 'app:op', ?, ?, NULL)`);
      audit.run('report.export', 'run:1');
      audit.run('rotation.start', 'rotation:1');
      audit.run('validation.record', 'run:2');
    },
    check(db) {
      const links = () => db.prepare(`SELECT category, run_kind, run_id FROM events WHERE category IN ('report.export', 'rotation.start', 'validation.record') ORDER BY id`).all();
      // The export of validation report 1 was linked to rotation run 1 before; now to its validation run.
      expect(links()).toEqual([
        { category: 'report.export', run_kind: 'validation', run_id: 1 },
        { category: 'rotation.start', run_kind: 'rotation', run_id: 1 },
        { category: 'validation.record', run_kind: 'validation', run_id: 2 },
      ]);
      db.prepare(`INSERT INTO audit_events (at, actor, action, subject, detail) VALUES ('t9', 'app:op', 'report.export', 'run:3', NULL)`).run();
      expect(links().at(-1)).toEqual({ category: 'report.export', run_kind: 'validation', run_id: 3 });
    },
  },
};

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function columns(db: Database.Database): { table: string; column: string }[] {
  return tables(db).flatMap((table) =>
    (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => ({ table, column: c.name })),
  );
}

describe('store migrations', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Database.Database | null = null;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('migrations'));
  });
  afterEach(() => {
    if (db?.open) db.close();
    db = null;
    cleanup();
  });

  it('has a numbered file and a test expectation for every migration', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    for (const m of MIGRATIONS) {
      expect(TABLES_AT[m.version], `TABLES_AT lacks version ${m.version}`).toBeDefined();
      if (m.version > 1) expect(UPGRADES[m.version], `UPGRADES lacks version ${m.version}`).toBeDefined();
      const file = path.join('electron/services/store/migrations', `${String(m.version).padStart(4, '0')}-${m.name}.ts`);
      expect(existsSync(file), `${file} exists`).toBe(true);
    }
  });

  for (const m of MIGRATIONS) {
    it(`applies up to migration ${m.version} (${m.name}) on an empty database`, () => {
      db = openDatabase({ dataDir: dir });
      expect(migrate(db, MIGRATIONS, m.version)).toEqual(MIGRATIONS.slice(0, m.version).map((x) => x.version));
      expect(schemaVersion(db)).toBe(m.version);
      expect(tables(db)).toEqual(TABLES_AT[m.version]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });

    if (m.version > 1) {
      it(`keeps data when upgrading from ${m.version - 1} to ${m.version}`, () => {
        const upgrade = UPGRADES[m.version]!;
        db = openDatabase({ dataDir: dir });
        migrate(db, MIGRATIONS, m.version - 1);
        upgrade.seed(db);
        db.close();
        db = openDatabase({ dataDir: dir });
        expect(migrate(db, MIGRATIONS, m.version)).toEqual([m.version]);
        upgrade.check(db);
      });
    }
  }

  it('upgrades an old database to the current schema when the store opens it', () => {
    db = openDatabase({ dataDir: dir });
    migrate(db, MIGRATIONS, 1);
    UPGRADES[2]!.seed(db);
    db.close();
    db = null;
    const store = Store.open({ dataDir: dir });
    try {
      expect(store.schemaVersion).toBe(SCHEMA_VERSION);
      expect(store.stamps.list().map((s) => s.name)).toEqual(['Lab']);
      expect(store.settings.get().theme).toBe('dark');
    } finally {
      store.close();
    }
  });

  it('does nothing when the database is current', () => {
    db = openDatabase({ dataDir: dir });
    migrate(db);
    expect(migrate(db)).toEqual([]);
  });

  it('refuses a database written by a newer app, without changing it', () => {
    db = openDatabase({ dataDir: dir });
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.close();
    db = null;
    let caught: unknown;
    try {
      Store.open({ dataDir: dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatabaseTooNewError);
    const error = caught as DatabaseTooNewError;
    expect(error.message).toBe(
      `This database was written by a newer version of Rotation Workbench (schema ${SCHEMA_VERSION + 3}, this app knows ${SCHEMA_VERSION}). ` +
        'Use the newer version or point --data-dir elsewhere.',
    );
    expect(error.code).toBe('io-error');
    expect(error.hint).toMatch(/--data-dir/);
    db = openDatabase({ dataDir: dir });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 3);
    expect(tables(db)).toEqual([]);
  });

  it('rolls a failing migration back completely, version included', () => {
    const broken: Migration[] = [
      MIGRATIONS[0]!,
      {
        version: 2,
        name: 'broken',
        up(d) {
          d.exec('CREATE TABLE half_done (id INTEGER)');
          throw new Error('disk full');
        },
      },
    ];
    db = openDatabase({ dataDir: dir });
    expect(() => migrate(db!, broken)).toThrow('disk full');
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_done');
  });

  it('rejects a registry with gaps', () => {
    db = openDatabase({ dataDir: dir });
    expect(() => migrate(db!, [MIGRATIONS[1]!])).toThrow(/out of order/);
  });

  it('opens with WAL, foreign keys and a busy timeout', () => {
    const store = Store.open({ dataDir: path.join(dir, 'nested', 'data') });
    try {
      expect(store.databasePath).toBe(path.join(dir, 'nested', 'data', DATABASE_FILE_NAME));
      store.settings.update({ theme: 'light' }, 't');
      expect(existsSync(`${store.databasePath}-wal`)).toBe(true);
    } finally {
      store.close();
    }
    db = openDatabase({ dataDir: path.join(dir, 'nested', 'data') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('refuses a file that is not a database with a readable io-error', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, DATABASE_FILE_NAME), 'this is not sqlite '.repeat(100));
    expect(() => Store.open({ dataDir: dir })).toThrow(/is not a Rotation Workbench database: it is not an SQLite database file/);
  });

  it('gives a new database its application id, and adopts a database of an earlier version', () => {
    const fresh = Store.open({ dataDir: dir });
    fresh.close();
    db = openDatabase({ dataDir: dir });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
    db = openDatabase({ dataDir: dir, fileName: 'old.db' });
    migrate(db, MIGRATIONS, 6);
    UPGRADES[2]!.seed(db);
    db.close();
    db = null;
    const old = Store.open({ dataDir: dir, fileName: 'old.db' });
    try {
      expect(old.schemaVersion).toBe(SCHEMA_VERSION);
      expect(old.stamps.list().map((s) => s.name)).toEqual(['Lab']);
    } finally {
      old.close();
    }
  });

  it('keeps the audit log append-only: UPDATE and DELETE are refused by triggers', () => {
    const store = Store.open({ dataDir: dir });
    store.audit.append({ actor: 'app:x', action: 'stamp.create', subject: 'stamp:1', detail: { name: 'Lab' } });
    store.close();
    db = openDatabase({ dataDir: dir });
    expect(() => db!.prepare("UPDATE audit_events SET action = 'forged'").run()).toThrow(/append-only/);
    expect(() => db!.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT action FROM audit_events').all()).toEqual([{ action: 'stamp.create' }]);
  });

  it('has no column whose name suggests a secret, at any schema version', () => {
    for (const m of MIGRATIONS) {
      const d = openDatabase({ dataDir: dir, fileName: `scan-${m.version}.db` });
      try {
        migrate(d, MIGRATIONS, m.version);
        const cols = columns(d);
        expect(cols.length).toBeGreaterThan(0);
        expect(cols.filter((c) => /password|secret|credential/i.test(c.column))).toEqual([]);
        // Names in the schema text too (a generated column, an index expression).
        const sql = (d.prepare("SELECT group_concat(sql, ' ') AS s FROM sqlite_master").get() as { s: string }).s;
        expect(sql).not.toMatch(/password|secret|credential/i);
      } finally {
        d.close();
      }
    }
  });

  it('stores nothing secret-looking even in the raw file of a fresh database', () => {
    const store = Store.open({ dataDir: dir });
    const file = store.databasePath;
    store.close();
    expect(readFileSync(file).toString('latin1')).not.toMatch(/password|secret|credential/i);
  });
});
