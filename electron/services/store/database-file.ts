/**
 * Whether the database file can be trusted, and what a storage failure means in the operator's words.
 *
 * The history in `workbench.db` is evidence: the failed run that binds the next rotation to `-ReRun`, the
 * backups taken, the audit log. So a file that is not plainly ours and healthy is refused rather than
 * "repaired": a 0-byte file is not a new database (SQLite would happily treat it as one and the history
 * would vanish without a word), another program's file is not migrated into ours, and a file whose pages
 * fail SQLite's `quick_check` is not written to. Each refusal, and each failure while writing (full disk,
 * read-only file, unwritable folder, I/O error), is a `DatabaseFileError` that says what is wrong and
 * what to do, the same in the app's dialogs and on the CLI's stderr.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { printable } from '../../../shared/lib/printable';
import { AppError } from '../errors';

/**
 * `PRAGMA application_id` of a Rotation Workbench database: "AZSW" in ASCII.
 *
 * Written by migration 7; it tells our file from any other SQLite file (`file` and other tools read it too).
 */
export const APPLICATION_ID = 0x415a5357;

/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Size of the SQLite file header; a shorter file cannot be a database. */
const HEADER_BYTES = 100;
/** Tables of schema 1: a database of an earlier version of the app (no application id yet) has them. */
const FIRST_SCHEMA_TABLES = ['audit_events', 'settings', 'stamps'];

/** What is wrong with the database or its folder. */
export type DatabaseProblem =
  | 'empty'
  | 'foreign'
  | 'damaged'
  | 'read-only'
  | 'disk-full'
  | 'no-access'
  | 'journal-without-database'
  | 'busy'
  | 'io';

/**
 * The database cannot be used as it is, or a write to it failed: the problem, in words, with what to do.
 *
 * `problem` is for code and tests; the message names the file and the hint the fix, so both can be shown
 * as they are (one line on the CLI, the error box in the app). Nothing recorded is touched when it is thrown.
 */
export class DatabaseFileError extends AppError {
  /** What kind of problem it is. */
  readonly problem: DatabaseProblem;
  /** The database file concerned. */
  readonly file: string;

  /**
   * Creates the error for `problem` on `file`.
   *
   * `cause` keeps SQLite's or the file system's own error for the log.
   */
  constructor(problem: DatabaseProblem, file: string, message: string, hint: string, options?: { cause?: unknown }) {
    super('io-error', message, hint, options);
    this.name = 'DatabaseFileError';
    this.problem = problem;
    this.file = file;
  }
}

/** How the operator points the app or the CLI at another folder. */
const ELSEWHERE = 'point --data-dir (or AZS_DATA_DIR) at another folder';

function shown(file: string): string {
  return printable(file, 300);
}

function errnoOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

/** The refusal of a file that is not ours (not SQLite, or SQLite without our schema). */
function foreign(file: string, what: string, cause?: unknown): DatabaseFileError {
  const name = path.basename(file);
  return new DatabaseFileError(
    'foreign',
    file,
    `${shown(file)} is not a Rotation Workbench database: ${what}. It was left as it is.`,
    `If it should hold the workbench's history, restore ${name} from a backup; otherwise move the file aside to start a new history, or ${ELSEWHERE}.`,
    { cause },
  );
}

/** The refusal of a file whose pages SQLite found damaged. */
function damaged(file: string, detail: string, cause?: unknown): DatabaseFileError {
  const name = path.basename(file);
  return new DatabaseFileError(
    'damaged',
    file,
    `The database ${shown(file)} is damaged (${printable(detail, 200)}); nothing more is written to it.`,
    `Close Rotation Workbench and azs-rotate, keep a copy of ${name} and ${name}-wal for support, then restore ${name} from a backup, or move it aside to start a new history.`,
    { cause },
  );
}

function readOnly(file: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(
    'read-only',
    file,
    `The database ${shown(file)} is read-only (the file, or the disk it is on), so nothing can be recorded in it.`,
    `Make it writable for this account (clear the Read-only attribute, or chmod u+w), or ${ELSEWHERE} holding a writable copy.`,
    { cause },
  );
}

function noAccess(file: string, what: string, cause?: unknown, folder = path.dirname(file)): DatabaseFileError {
  return new DatabaseFileError(
    'no-access',
    file,
    `${what}, so the database ${shown(file)} cannot be used.`,
    `Give this account read and write access to ${shown(folder)}, or ${ELSEWHERE} it can write.`,
    { cause },
  );
}

/** The nearest folder above `dir` that exists: where access is missing when `dir` cannot be created. */
function existingAncestor(dir: string): string {
  let at = path.dirname(dir);
  for (;;) {
    try {
      if (statSync(at).isDirectory()) return at;
    } catch {
      // Not there either: one level up.
    }
    const up = path.dirname(at);
    if (up === at) return at;
    at = up;
  }
}

/**
 * Refuses a data folder this account may not create files in (SQLite puts `-wal` and `-shm` beside the
 * database, and a new database is built there under a temporary name).
 */
export function checkFolderWritable(file: string): void {
  try {
    accessSync(path.dirname(file), constants.W_OK);
  } catch (error) {
    if (errnoOf(error) === 'EROFS') throw readOnly(file, error);
    throw noAccess(file, `This account may not create files in ${shown(path.dirname(file))}`, error);
  }
}

function diskFull(file: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(
    'disk-full',
    file,
    `The disk holding the database ${shown(file)} is full: the change could not be recorded. Everything recorded before is kept.`,
    `Free space on that disk (or ${ELSEWHERE} on another disk), then try again.`,
    { cause },
  );
}

/**
 * Creates the data folder (and its parents) when missing.
 *
 * Throws `DatabaseFileError` naming the folder when it cannot be made: no permission, a read-only or full
 * disk, or a file where a folder should be.
 */
export function ensureDataFolder(dataDir: string, file: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST' || code === 'ENOTDIR') throw noAccess(file, `${shown(dataDir)} (or a folder above it) is a file, not a folder`, error);
    if (code === 'ENOSPC') throw diskFull(file, error);
    if (code === 'EROFS') throw readOnly(file, error);
    if (code === 'EACCES' || code === 'EPERM') throw noAccess(file, `This account may not create the data folder ${shown(dataDir)}`, error, existingAncestor(dataDir));
    throw new DatabaseFileError('io', file, `The data folder ${shown(dataDir)} could not be created (${code || 'unknown error'}).`, `Check the disk, or ${ELSEWHERE}.`, { cause: error });
  }
}

/**
 * Looks at the database file before SQLite opens it: `'absent'` (a new history may be started) or
 * `'present'` (a SQLite file this account can read and write).
 *
 * Throws `DatabaseFileError` for a 0-byte file, a file that is not SQLite (or not a file), a journal left
 * without its database, a read-only file and a folder or file this account may not use.
 */
export function inspectDatabaseFile(file: string): 'absent' | 'present' {
  const name = path.basename(file);
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT') {
      // The write-ahead log holds the newest changes until they are copied into the main file: a WAL left
      // alone means the main file was moved or deleted, and a new database beside it would drop those changes.
      let wal: Stats | null;
      try {
        wal = statSync(`${file}-wal`);
      } catch {
        wal = null;
      }
      if (wal && wal.size > 0) {
        throw new DatabaseFileError(
          'journal-without-database',
          file,
          `The database ${shown(file)} is missing, but its journal ${name}-wal is still there: the file was moved or deleted, and its latest changes are only in the journal.`,
          `Put ${name} back (restore it from a backup), or move ${name}-wal aside to start a new history.`,
        );
      }
      return 'absent';
    }
    if (code === 'EACCES' || code === 'EPERM') throw noAccess(file, `This account may not open the folder ${shown(path.dirname(file))}`, error);
    if (code === 'ENOTDIR') throw noAccess(file, `${shown(path.dirname(file))} is not a folder`, error);
    throw new DatabaseFileError('io', file, `The database ${shown(file)} could not be read (${code || 'unknown error'}).`, `Check the disk of the data folder, or ${ELSEWHERE}.`, { cause: error });
  }
  if (!stats.isFile()) throw foreign(file, stats.isDirectory() ? 'it is a folder' : 'it is not a regular file');
  if (stats.size === 0) {
    throw new DatabaseFileError(
      'empty',
      file,
      `The database ${shown(file)} is empty (0 bytes): the history it held (stamps, runs, backups, audit log) is not in it, so it was not taken for a new database.`,
      `Restore ${name} from a backup, or move it aside to start a new history.`,
    );
  }
  const header = Buffer.alloc(HEADER_BYTES);
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' || code === 'EPERM') throw noAccess(file, 'This account may not read the database file', error);
    throw new DatabaseFileError('io', file, `The database ${shown(file)} could not be read (${code || 'unknown error'}).`, `Check the disk of the data folder, then try again; if it persists, restore ${name} from a backup.`, { cause: error });
  }
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw foreign(file, 'it is not an SQLite database file');
  if (read < HEADER_BYTES) throw damaged(file, `it is cut off after ${read} bytes`);
  try {
    accessSync(file, constants.W_OK);
  } catch (error) {
    throw readOnly(file, error);
  }
  checkFolderWritable(file);
  return 'present';
}

/**
 * Refuses an open SQLite file that is not a Rotation Workbench database.
 *
 * Ours carries `APPLICATION_ID`. Files of earlier versions (before migration 7 set it) are recognised by
 * the tables of schema 1, and a file with no table at all holds nothing to lose; anything else belongs to
 * another program and is left untouched.
 */
export function checkDatabaseIdentity(db: Database.Database, file: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === APPLICATION_ID) return;
  if (applicationId !== 0) {
    throw foreign(file, `it is another program's SQLite database (application id 0x${(applicationId >>> 0).toString(16).padStart(8, '0')})`);
  }
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name),
  );
  const version = db.pragma('user_version', { simple: true }) as number;
  if (tables.size === 0 && version === 0) return;
  if (FIRST_SCHEMA_TABLES.every((table) => tables.has(table))) return;
  throw foreign(file, "it is an SQLite database without the workbench's tables");
}

/**
 * Runs SQLite's `quick_check` (every page and record, not index contents) and refuses a damaged file.
 *
 * Done at every open, before the first write, so damage is reported before anything more is written to it
 * instead of turning up later as "database disk image is malformed" in the middle of a run.
 */
export function checkDatabaseIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check(3)') as { quick_check: string }[];
  if (rows.length === 1 && rows[0]!.quick_check === 'ok') return;
  throw damaged(file, `SQLite's integrity check found: ${rows.map((row) => row.quick_check).join('; ')}`);
}

/**
 * A storage failure of SQLite or the file system in the operator's words, or null when `error` is not one.
 *
 * Constraint violations and bugs are not storage failures and come back as null, so the caller rethrows them
 * unchanged. A `DatabaseFileError` is returned as it is.
 */
export function storageErrorOf(error: unknown, file: string): DatabaseFileError | null {
  if (error instanceof DatabaseFileError) return error;
  const code = errnoOf(error);
  const name = path.basename(file);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return damaged(file, `SQLite: ${error instanceof Error ? error.message : code}`, error);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_SHMSIZE') return diskFull(file, error);
  if (code === 'SQLITE_READONLY_DBMOVED') {
    return new DatabaseFileError(
      'journal-without-database',
      file,
      `The database ${shown(file)} was moved or deleted while it was in use: the change could not be recorded.`,
      `Put ${name} back where it was, then start again.`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return readOnly(file, error);
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM') {
    return noAccess(file, `This account may not create or open files in ${shown(path.dirname(file))}`, error);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseFileError(
      'busy',
      file,
      `The database ${shown(file)} is locked by another program, which held it for longer than the workbench waits.`,
      'Let the other Rotation Workbench or azs-rotate finish (or close the program that has the file open), then try again.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new DatabaseFileError(
      'io',
      file,
      `The disk holding the database ${shown(file)} reported an I/O error (${code}): the change could not be recorded.`,
      `Check that disk (or the network share) of the data folder, then try again; if it persists, restore ${name} from a backup.`,
      { cause: error },
    );
  }
  return null;
}
