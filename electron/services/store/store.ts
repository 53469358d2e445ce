/**
 * The store: one open, migrated database and the typed repositories over it.
 *
 * This is the only object other services and the CLI use for persistence; none of them sees SQL or the
 * database handle.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { linkSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createAuditLog, type AuditLog } from './audit-log';
import { checkDatabaseIdentity, checkDatabaseIntegrity, checkFolderWritable, DatabaseFileError, ensureDataFolder, inspectDatabaseFile, storageErrorOf } from './database-file';
import { createEventsRepository, type EventsRepository } from './events-repository';
import { migrate, schemaVersion } from './migrations/index';
import { createKeyRequestsRepository, type KeyRequestsRepository } from './key-requests-repository';
import { DATABASE_FILE_NAME, openDatabase } from './open-database';
import { createProceduresRepository, type ProceduresRepository } from './procedures-repository';
import { createPlacedFilesRepository, type PlacedFilesRepository } from './placed-files-repository';
import { createRotationRunsRepository, type RotationRunsRepository } from './rotation-runs-repository';
import { createSettingsRepository, type SettingsRepository } from './settings-repository';
import { createStampsRepository, type StampsRepository } from './stamps-repository';
import { createValidationRunsRepository, type ValidationRunsRepository } from './validation-runs-repository';

/**
 * Creates a new, fully migrated database at `dataDir/fileName` without ever showing a half-made file.
 *
 * The database is built under a temporary name and linked into place only when complete, so a process killed
 * while creating it leaves no 0-byte or schema-less `workbench.db` behind (which the next start would have to
 * refuse). Linking fails when the name exists: a process that raced us created it first, and theirs is used.
 */
function createDatabaseFile(dataDir: string, fileName: string): void {
  const file = path.join(dataDir, fileName);
  const tempName = `.${fileName}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = path.join(dataDir, tempName);
  try {
    const db = openDatabase({ dataDir, fileName: tempName });
    try {
      migrate(db);
    } finally {
      // Closing the only connection checkpoints the WAL into the file and removes the -wal and -shm files.
      db.close();
    }
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      // File systems without hard links (FAT, some network shares): a rename, which could only replace a
      // database another process created in the last few milliseconds.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') renameSync(temp, file);
      else throw error;
    }
  } catch (error) {
    // Said of the database being created, not of its temporary name.
    const raw = error instanceof DatabaseFileError && error.file !== file ? (error.cause ?? error) : error;
    throw storageErrorOf(raw, file) ?? error;
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
  }
}

/** The process id in a temporary database name made by `createDatabaseFile`, or null for any other name. */
function creatorOfTemporary(entry: string, fileName: string): number | null {
  const prefix = `.${fileName}.new-`;
  if (!entry.startsWith(prefix)) return null;
  const match = /^(\d+)-[0-9a-f]{8}(?:-wal|-shm|-journal)?$/.exec(entry.slice(prefix.length));
  return match ? Number(match[1]) : null;
}

/** True while a process with this id runs on this machine (one we may not signal still runs). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary databases (and their -wal/-shm files) of creators that no longer run.
 *
 * A process killed while creating the database leaves its half-made temporary behind; it never holds a history
 * (the real file is linked only when complete), so it is safe to delete. A temporary whose creator still runs is
 * left alone: that process may be about to link it. Cleanup is best effort: a file that cannot be removed now is
 * tried again at the next start.
 */
function removeAbandonedTemporaries(dataDir: string, fileName: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = creatorOfTemporary(entry, fileName);
    if (pid === null || pid === process.pid || processRuns(pid)) continue;
    try {
      rmSync(path.join(dataDir, entry), { force: true });
    } catch {
      // Locked or read-only: left for the next start.
    }
  }
}

/**
 * Wraps every method of a repository so a storage failure leaves it as a `DatabaseFileError`.
 *
 * Iterators a method returns (the log export) are wrapped too, since their rows are read after the call.
 */
function guarded<T extends object>(target: T, fail: (error: unknown) => unknown): T {
  const wrapIterator = (it: IterableIterator<unknown>): IterableIterator<unknown> => {
    const wrapped: IterableIterator<unknown> = {
      next: (...args: [] | [unknown]) => {
        try {
          return it.next(...args);
        } catch (error) {
          throw fail(error);
        }
      },
      return: (value?: unknown) => (it.return ? it.return(value) : { done: true, value }),
      [Symbol.iterator]: () => wrapped,
    };
    return wrapped;
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      out[key] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    out[key] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn.apply(target, args);
      } catch (error) {
        throw fail(error);
      }
      const iterator = result as Partial<IterableIterator<unknown>> | null;
      return iterator && typeof iterator === 'object' && typeof iterator.next === 'function' && typeof iterator[Symbol.iterator] === 'function'
        ? wrapIterator(iterator as IterableIterator<unknown>)
        : result;
    };
  }
  return out as T;
}

/** Where to open the store. */
export interface StoreOptions {
  /** The data folder (see `defaultDataDir`); created when missing. */
  dataDir: string;
  /** Database file name inside `dataDir` (default `workbench.db`). */
  fileName?: string;
}

/**
 * An open store.
 *
 * Open it with `Store.open`, which applies pending migrations and refuses a database from a newer app;
 * close it when the process is done so the WAL is checkpointed into the main file.
 */
export class Store {
  /** The data folder. */
  readonly dataDir: string;
  /** Full path of the database file. */
  readonly databasePath: string;
  /** Stamp profiles. */
  readonly stamps: StampsRepository;
  /** Validation history. */
  readonly runs: ValidationRunsRepository;
  /** PEP rotation runs and their events. */
  readonly rotations: RotationRunsRepository;
  /** Certificate requests and where their encrypted keys are. */
  readonly keyRequests: KeyRequestsRepository;
  /** Files the app placed in certificate shares. */
  readonly placedFiles: PlacedFilesRepository;
  /** App settings. */
  readonly settings: SettingsRepository;
  /** The append-only audit log. */
  readonly audit: AuditLog;
  #events: EventsRepository | null = null;
  #procedures: ProceduresRepository | null = null;
  #damaged: DatabaseFileError | null = null;
  readonly #db: Database.Database;
  readonly #fail = (error: unknown): unknown => this.#failure(error);

  private constructor(db: Database.Database, dataDir: string, databasePath: string) {
    this.#db = db;
    this.dataDir = dataDir;
    this.databasePath = databasePath;
    this.stamps = guarded(createStampsRepository(db), this.#fail);
    this.runs = guarded(createValidationRunsRepository(db), this.#fail);
    this.rotations = guarded(createRotationRunsRepository(db), this.#fail);
    this.keyRequests = guarded(createKeyRequestsRepository(db), this.#fail);
    this.placedFiles = guarded(createPlacedFilesRepository(db), this.#fail);
    this.settings = guarded(createSettingsRepository(db), this.#fail);
    this.audit = guarded(createAuditLog(db), this.#fail);
  }

  /**
   * What a failed statement means: a storage failure becomes a `DatabaseFileError`, anything else is kept.
   *
   * Damage found while working (a page that went bad after the open-time check) switches the connection to
   * read-only (`query_only`), so nothing more is written to a damaged file; writes refused after that report
   * the damage, not a read-only file.
   */
  #failure(error: unknown): unknown {
    const storage = storageErrorOf(error, this.databasePath);
    if (!storage) return error;
    if (storage.problem === 'damaged' && !this.#damaged) {
      this.#damaged = storage;
      try {
        if (this.#db.open) this.#db.pragma('query_only = ON');
      } catch {
        // The flag is set on the connection, not the file; it can only fail on a closed connection.
      }
    }
    if (this.#damaged && storage.problem === 'read-only') return this.#damaged;
    return storage;
  }

  /**
   * Opens the database in `dataDir`, creating it when the file is absent and applying pending migrations.
   *
   * Only an absent file starts a new history. A 0-byte file, a file that is not ours, a damaged file (SQLite's
   * `quick_check`), a read-only file and a folder this account may not write are refused with a
   * `DatabaseFileError` saying what to do, before anything is written; a database written by a newer app
   * with `DatabaseTooNewError`. The file is closed again before any of them is thrown.
   */
  static open(options: StoreOptions): Store {
    const dataDir = path.resolve(options.dataDir);
    const fileName = options.fileName ?? DATABASE_FILE_NAME;
    const file = path.join(dataDir, fileName);
    removeAbandonedTemporaries(dataDir, fileName);
    if (inspectDatabaseFile(file) === 'absent') {
      ensureDataFolder(dataDir, file);
      checkFolderWritable(file);
      createDatabaseFile(dataDir, fileName);
    }
    const db = openDatabase({
      dataDir,
      fileName,
      inspect: (opened) => {
        checkDatabaseIdentity(opened, file);
        checkDatabaseIntegrity(opened, file);
      },
    });
    try {
      migrate(db);
    } catch (error) {
      db.close();
      throw storageErrorOf(error, file) ?? error;
    }
    return new Store(db, dataDir, file);
  }

  /**
   * The event store behind the log viewer, `logs` and support bundles.
   *
   * Built on first use, so commands that never read logs do not prepare its statements.
   */
  get events(): EventsRepository {
    this.#events ??= guarded(createEventsRepository(this.#db), this.#fail);
    return this.#events;
  }

  /**
   * Guided procedure runs, their confirmations and the latest probe of each stamp.
   *
   * Built on first use, like `events`, so commands that never open a checklist do not prepare its statements.
   */
  get procedures(): ProceduresRepository {
    this.#procedures ??= guarded(createProceduresRepository(this.#db), this.#fail);
    return this.#procedures;
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  /** True until `close` is called. */
  get isOpen(): boolean {
    return this.#db.open;
  }

  /**
   * Runs `fn` in one transaction: all its writes land, or none.
   *
   * For work that spans repositories, such as a change and its audit event.
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn)();
    } catch (error) {
      throw this.#failure(error);
    }
  }

  /**
   * The damage found while the store was open, or null.
   *
   * Once set, the connection only reads: every write fails with this error.
   */
  get damage(): DatabaseFileError | null {
    return this.#damaged;
  }

  /**
   * Closes the database; later calls do nothing.
   *
   * Closing the last connection checkpoints the WAL into the main file, so the folder can be copied.
   */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
