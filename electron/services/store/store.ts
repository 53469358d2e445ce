/**
 * The store: one open, migrated database and the typed repositories over it.
 *
 * This is the only object other services and the CLI use for persistence; none of them sees SQL or the
 * database handle.
 */
import type Database from 'better-sqlite3';
import path from 'node:path';
import { createAuditLog, type AuditLog } from './audit-log';
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
  readonly #db: Database.Database;

  private constructor(db: Database.Database, dataDir: string, databasePath: string) {
    this.#db = db;
    this.dataDir = dataDir;
    this.databasePath = databasePath;
    this.stamps = createStampsRepository(db);
    this.runs = createValidationRunsRepository(db);
    this.rotations = createRotationRunsRepository(db);
    this.keyRequests = createKeyRequestsRepository(db);
    this.placedFiles = createPlacedFilesRepository(db);
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

  /**
   * The event store behind the log viewer, `logs` and support bundles.
   *
   * Built on first use, so commands that never read logs do not prepare its statements.
   */
  get events(): EventsRepository {
    this.#events ??= createEventsRepository(this.#db);
    return this.#events;
  }

  /**
   * Guided procedure runs, their confirmations and the latest probe of each stamp.
   *
   * Built on first use, like `events`, so commands that never open a checklist do not prepare its statements.
   */
  get procedures(): ProceduresRepository {
    this.#procedures ??= createProceduresRepository(this.#db);
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
