/**
 * The store: one open, migrated database and the typed repositories over it.
 *
 * This is the only object other services and the CLI use for persistence; none of them sees SQL or the
 * database handle.
 */
import type Database from 'better-sqlite3';
import path from 'node:path';
import { createAuditLog, type AuditLog } from './audit-log';
import { migrate, schemaVersion } from './migrations/index';
import { DATABASE_FILE_NAME, openDatabase } from './open-database';
import { createSettingsRepository, type SettingsRepository } from './settings-repository';
import { createStampsRepository, type StampsRepository } from './stamps-repository';
import { createValidationRunsRepository, type ValidationRunsRepository } from './validation-runs-repository';

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
  /** App settings. */
  readonly settings: SettingsRepository;
  /** The append-only audit log. */
  readonly audit: AuditLog;
  readonly #db: Database.Database;

  private constructor(db: Database.Database, dataDir: string, databasePath: string) {
    this.#db = db;
    this.dataDir = dataDir;
    this.databasePath = databasePath;
    this.stamps = createStampsRepository(db);
    this.runs = createValidationRunsRepository(db);
    this.settings = createSettingsRepository(db);
    this.audit = createAuditLog(db);
  }

  /**
   * Opens the database in `dataDir`, applying pending migrations.
   *
   * Throws `DatabaseTooNewError` for a database written by a newer app and `AppError('io-error')` when the
   * file cannot be opened; the file is closed again before either is thrown.
   */
  static open(options: StoreOptions): Store {
    const dataDir = path.resolve(options.dataDir);
    const fileName = options.fileName ?? DATABASE_FILE_NAME;
    const db = openDatabase({ dataDir, fileName });
    try {
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new Store(db, dataDir, path.join(dataDir, fileName));
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
    return this.#db.transaction(fn)();
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
