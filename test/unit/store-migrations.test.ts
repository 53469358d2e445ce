import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../electron/services/store/migrations/index';
import { BUSY_TIMEOUT_MS, DATABASE_FILE_NAME, openDatabase } from '../../electron/services/store/open-database';
import { Store } from '../../electron/services/store/store';
import { tempDir } from './ipc-fixtures';

/** Tables each schema version must have (every migration needs an entry: a new migration needs a test). */
const TABLES_AT: Record<number, string[]> = {
  1: ['audit_events', 'settings', 'stamps'],
  2: ['audit_events', 'settings', 'stamps', 'validation_results', 'validation_runs'],
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
    expect(() => Store.open({ dataDir: dir })).toThrow(/could not be prepared/);
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
