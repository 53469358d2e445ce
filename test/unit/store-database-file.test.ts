/**
 * The database file as a hostile world leaves it: 0 bytes, another program's file, damaged pages, a journal
 * without its database, a read-only file, a full disk — each refused or reported with what to do, and
 * nothing already recorded changed by the attempt. The same words reach the app through the backend.
 *
 * Permission cases that need another account (a read-only file, an unwritable folder) and a real full disk
 * (a tiny tmpfs) run against the CLI in `test/cli/cli-database.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../../electron/main/backend';
import { toIpcError } from '../../electron/services/errors';
import { APPLICATION_ID, DatabaseFileError, storageErrorOf, type DatabaseProblem } from '../../electron/services/store/database-file';
import { DATABASE_FILE_NAME } from '../../electron/services/store/open-database';
import { Store } from '../../electron/services/store/store';
import { stampInput, tempDir, trustedSender } from './ipc-fixtures';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What `Store.open` threw, as a `DatabaseFileError`. */
function refusal(dataDir: string): DatabaseFileError {
  try {
    Store.open({ dataDir }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabaseFileError);
    return error as DatabaseFileError;
  }
  throw new Error('Store.open accepted the file');
}

/** A store with history worth keeping: a stamp, and enough audit entries to span many pages. */
function seed(dataDir: string): void {
  const store = Store.open({ dataDir });
  try {
    store.stamps.create(stampInput(), '2026-01-01T00:00:00.000Z');
    store.transaction(() => {
      for (let i = 0; i < 400; i += 1) store.audit.append({ actor: 'app:x', action: 'share.make-dirs', subject: `share:${i}`, detail: { note: 'x'.repeat(200) } });
    });
  } finally {
    store.close();
  }
}

/** Overwrites the root page of `table` in the main file with garbage (the WAL was checkpointed by close). */
function corruptTable(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('opening the database file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('dbfile'));
  });
  afterEach(() => cleanup());

  it('starts a new history only when the file is absent, and leaves no half-made file behind', () => {
    const store = Store.open({ dataDir: path.join(dir, 'new') });
    store.close();
    expect(readdirSync(path.join(dir, 'new'))).toEqual([DATABASE_FILE_NAME]);
    const db = new Database(path.join(dir, 'new', DATABASE_FILE_NAME), { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('removes the half-made temporaries of a creator that was killed, and leaves those of one still running', () => {
    // A process that has ended: its id names no running process (ids are not reused this quickly here).
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(ended.stdout);
    const dead = [`.${DATABASE_FILE_NAME}.new-${deadPid}-0a1b2c3d`, `.${DATABASE_FILE_NAME}.new-${deadPid}-0a1b2c3d-wal`, `.${DATABASE_FILE_NAME}.new-${deadPid}-0a1b2c3d-shm`];
    const alive = `.${DATABASE_FILE_NAME}.new-${process.ppid}-99887766`;
    const unrelated = [`.${DATABASE_FILE_NAME}.new-${deadPid}-notours`, `notes-${deadPid}.txt`];
    for (const name of [...dead, alive, ...unrelated]) writeFileSync(path.join(dir, name), 'half-made');
    Store.open({ dataDir: dir }).close();
    expect(readdirSync(dir).sort()).toEqual([alive, DATABASE_FILE_NAME, ...unrelated].sort());
    // An existing database: cleanup runs at every open, not only when creating.
    writeFileSync(path.join(dir, dead[0]!), 'half-made');
    Store.open({ dataDir: dir }).close();
    expect(readdirSync(dir)).not.toContain(dead[0]);
  });

  it('refuses a 0-byte workbench.db instead of taking it for a new database, and leaves it as it is', () => {
    const file = path.join(dir, DATABASE_FILE_NAME);
    writeFileSync(file, '');
    const error = refusal(dir);
    expect(error.problem).toBe<DatabaseProblem>('empty');
    expect(error.message).toBe(
      `The database ${file} is empty (0 bytes): the history it held (stamps, runs, backups, audit log) is not in it, so it was not taken for a new database.`,
    );
    expect(error.hint).toBe('Restore workbench.db from a backup, or move it aside to start a new history.');
    expect(error.code).toBe('io-error');
    expect(statSync(file).size).toBe(0);
    expect(readdirSync(dir)).toEqual([DATABASE_FILE_NAME]);
  });

  it.each([
    ['a text file', () => 'not a database at all\n'.repeat(50), /it is not an SQLite database file/],
    ['a file cut off inside the SQLite header', () => 'SQLite format 3\0abc', /is damaged \(it is cut off after 19 bytes\)/],
  ])('refuses %s without changing it', (_name, content, message) => {
    const file = path.join(dir, DATABASE_FILE_NAME);
    writeFileSync(file, content());
    const before = sha256(file);
    expect(refusal(dir).message).toMatch(message);
    expect(sha256(file)).toBe(before);
  });

  it("refuses another program's SQLite database, with or without an application id, and a folder", () => {
    const file = path.join(dir, DATABASE_FILE_NAME);
    const other = new Database(file);
    other.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'x\')');
    other.close();
    const before = sha256(file);
    expect(refusal(dir)).toMatchObject({ problem: 'foreign', message: `${file} is not a Rotation Workbench database: it is an SQLite database without the workbench's tables. It was left as it is.` });
    expect(sha256(file)).toBe(before);

    const tagged = new Database(file);
    tagged.pragma('application_id = 1234');
    tagged.close();
    expect(refusal(dir).message).toMatch(/another program's SQLite database \(application id 0x000004d2\)/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT name FROM contacts').all()).toEqual([{ name: 'x' }]);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();

    const folder = path.join(dir, 'as-folder');
    mkdirSync(path.join(folder, DATABASE_FILE_NAME), { recursive: true });
    expect(refusal(folder).message).toMatch(/is not a Rotation Workbench database: it is a folder/);
  });

  it('refuses to start over beside a journal whose database was moved away', () => {
    seed(dir);
    const file = path.join(dir, DATABASE_FILE_NAME);
    // A process that died with unsaved pages in the WAL, then someone moved the main file away.
    const live = new Database(file);
    live.pragma('wal_autocheckpoint = 0');
    live.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 't')").run();
    const wal = readFileSync(`${file}-wal`);
    live.close();
    writeFileSync(`${file}-wal`, wal);
    renameSync(file, path.join(dir, 'moved.db'));
    const error = refusal(dir);
    expect(error.problem).toBe('journal-without-database');
    expect(error.hint).toBe('Put workbench.db back (restore it from a backup), or move workbench.db-wal aside to start a new history.');
    expect(existsSync(file)).toBe(false);
  });

  it('finds damaged pages at open (quick_check) and writes nothing to the file', () => {
    seed(dir);
    const file = path.join(dir, DATABASE_FILE_NAME);
    corruptTable(file, 'audit_events');
    const before = sha256(file);
    const error = refusal(dir);
    expect(error.problem).toBe('damaged');
    expect(error.message).toMatch(new RegExp(`^The database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(SQLite's integrity check found: .+\\); nothing more is written to it\\.$`));
    expect(error.hint).toBe('Close Rotation Workbench and azs-rotate, keep a copy of workbench.db and workbench.db-wal for support, then restore workbench.db from a backup, or move it aside to start a new history.');
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  });

  it('stops writing when damage turns up while the store is open, and says so on every later write', () => {
    seed(dir);
    const file = path.join(dir, DATABASE_FILE_NAME);
    const store = Store.open({ dataDir: dir });
    try {
      expect(store.stamps.list()).toHaveLength(1);
      corruptTable(file, 'audit_events');
      // Another process writes, so this connection drops its cached pages and reads the damaged one.
      const other = new Database(file);
      other.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 't')").run();
      other.close();
      let thrown: unknown;
      try {
        store.audit.list();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DatabaseFileError);
      expect(thrown).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/is damaged \(SQLite: database disk image is malformed\); nothing more is written to it\.$/) });
      expect(store.damage).toBe(thrown);
      const before = sha256(file);
      const walBefore = existsSync(`${file}-wal`) ? sha256(`${file}-wal`) : null;
      // A write that would not touch the damaged table is refused too: the file is not trusted any more.
      expect(() => store.settings.update({ theme: 'light' }, 't2')).toThrow(thrown as Error);
      expect(() => store.transaction(() => store.stamps.create({ ...stampInput(), name: 'Second' }, 't2'))).toThrow(/is damaged/);
      expect(store.stamps.list().map((s) => s.name)).toEqual([stampInput().name]);
      expect(sha256(file)).toBe(before);
      expect(existsSync(`${file}-wal`) ? sha256(`${file}-wal`) : null).toBe(walBefore);
    } finally {
      store.close();
    }
  });

  it('words a full disk, a read-only database and an unopenable folder from the errors SQLite really gives', () => {
    const file = path.join(dir, 'raw.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x TEXT)');
    // SQLite's own page limit gives SQLITE_FULL exactly as a disk without space does.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let full: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000));
    } catch (error) {
      full = error;
    }
    db.close();
    expect(full).toMatchObject({ code: 'SQLITE_FULL' });
    expect(storageErrorOf(full, file)).toMatchObject({
      problem: 'disk-full',
      message: `The disk holding the database ${file} is full: the change could not be recorded. Everything recorded before is kept.`,
      hint: 'Free space on that disk (or point --data-dir (or AZS_DATA_DIR) at another folder on another disk), then try again.',
    });

    const ro = new Database(file, { readonly: true });
    let readOnly: unknown;
    try {
      ro.prepare('INSERT INTO t VALUES (1)').run();
    } catch (error) {
      readOnly = error;
    }
    ro.close();
    expect(readOnly).toMatchObject({ code: 'SQLITE_READONLY' });
    expect(storageErrorOf(readOnly, file)).toMatchObject({ problem: 'read-only', message: expect.stringMatching(/is read-only \(the file, or the disk it is on\), so nothing can be recorded in it\.$/) });

    let cantOpen: unknown;
    try {
      new Database(dir);
    } catch (error) {
      cantOpen = error;
    }
    expect(cantOpen).toMatchObject({ code: 'SQLITE_CANTOPEN' });
    expect(storageErrorOf(cantOpen, file)).toMatchObject({ problem: 'no-access' });

    // Constraint violations and bugs are not storage failures: the caller sees them unchanged.
    expect(storageErrorOf(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), file)).toBeNull();
    expect(storageErrorOf(new TypeError('x is undefined'), file)).toBeNull();
  });

  it('refuses a data folder that cannot be created, naming it', () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    expect(refusal(path.join(blocker, 'data'))).toMatchObject({ problem: 'no-access', message: expect.stringMatching(/is not a folder, so the database .* cannot be used\.$/) });
  });

  it('escapes control characters of the path in its messages', () => {
    const odd = path.join(dir, 'evil\u001b[31m\nname');
    mkdirSync(odd);
    writeFileSync(path.join(odd, DATABASE_FILE_NAME), '');
    const error = refusal(odd);
    expect(error.message).toContain('evil\\x1b[31m\\nname');
    expect([...error.message].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
  });
});

describe('the app on a damaged or empty database', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('dbfile-app'));
  });
  afterEach(() => cleanup());
  const options = (dataDir: string) => ({
    dataDir,
    dialogs: { openFolder: async () => null, saveFile: async () => null },
    appVersion: '9.9.9',
    rendererDir: path.join(dir, 'renderer'),
    logger: { error: vi.fn(), warn: vi.fn() },
    actor: 'app:tester',
  });

  it('does not start on a 0-byte database: the start-up dialog shows what is wrong and what to do', () => {
    const data = path.join(dir, 'data');
    mkdirSync(data);
    writeFileSync(path.join(data, DATABASE_FILE_NAME), '');
    let thrown: unknown;
    try {
      createBackend(options(data)).close();
    } catch (error) {
      thrown = error;
    }
    // electron/main shows an AppError's message and hint in its "cannot start" box.
    expect(thrown).toBeInstanceOf(DatabaseFileError);
    expect(toIpcError(thrown)).toEqual({ code: 'io-error', message: expect.stringMatching(/is empty \(0 bytes\)/), hint: 'Restore workbench.db from a backup, or move it aside to start a new history.' });
    expect(statSync(path.join(data, DATABASE_FILE_NAME)).size).toBe(0);
  });

  it('answers IPC calls with the damage instead of "something went wrong", and records nothing more', async () => {
    const data = path.join(dir, 'data');
    seed(data);
    const backend = createBackend(options(data));
    try {
      const file = path.join(data, DATABASE_FILE_NAME);
      corruptTable(file, 'audit_events');
      const other = new Database(file);
      other.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 't')").run();
      other.close();
      const sender = trustedSender(path.join(dir, 'renderer'));
      const created = await backend.invoke('stamps.create', { ...stampInput(), name: 'Second' }, sender);
      expect(created).toEqual({ ok: false, error: { code: 'io-error', message: expect.stringMatching(/is damaged \(SQLite: database disk image is malformed\); nothing more is written to it\.$/), hint: expect.stringMatching(/^Close Rotation Workbench and azs-rotate/) } });
      const listed = await backend.invoke('stamps.list', {}, sender);
      expect(listed).toMatchObject({ ok: true, value: [expect.objectContaining({ name: stampInput().name })] });
    } finally {
      backend.close();
    }
  });
});
