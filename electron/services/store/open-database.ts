/**
 * Opens the SQLite database file in the data folder with the settings every connection needs.
 *
 * WAL lets the desktop app and a CLI run read and write the same file side by side; foreign keys are off
 * by default in SQLite and must be turned on per connection; the busy timeout makes a writer wait for the
 * other process instead of failing at once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors';
import { ensureDataFolder, storageErrorOf } from './database-file';

/** File name of the database inside the data folder. */
export const DATABASE_FILE_NAME = 'workbench.db';

/** How long a connection waits for another process's write lock before giving up, in milliseconds. */
export const BUSY_TIMEOUT_MS = 5000;

/** Where to open the database. */
export interface OpenDatabaseOptions {
  /** The data folder; created when missing. */
  dataDir: string;
  /** File name inside `dataDir` (default `workbench.db`). */
  fileName?: string;
  /**
   * Looks at the file before anything can be written to it (switching to WAL writes the header): the
   * store's identity and integrity checks. A throw closes the connection and is passed on.
   */
  inspect?: (db: Database.Database, file: string) => void;
}

/**
 * Opens (creating when needed) the database file and sets WAL, foreign keys and the busy timeout.
 *
 * The low-level step: it does not judge the file. `Store.open` refuses empty, foreign and damaged files
 * before and after calling it, creates a new database atomically, and applies the migrations. Failures to
 * create the folder or open the file become a `DatabaseFileError` (or an `io-error`) naming the path, since
 * the usual causes (permissions, a read-only or full disk) are the operator's to fix.
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const file = path.join(options.dataDir, options.fileName ?? DATABASE_FILE_NAME);
  ensureDataFolder(options.dataDir, file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw storageErrorOf(error, file) ?? new AppError(
      'io-error',
      `Could not open the database ${file}.`,
      'Check that the folder exists and you can write to it, or point --data-dir (AZS_DATA_DIR) elsewhere.',
      { cause: error },
    );
  }
  try {
    options.inspect?.(db, file);
  } catch (error) {
    db.close();
    throw storageErrorOf(error, file) ?? error;
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode and avoids an fsync per transaction.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // 64 MiB of page cache (default 2 MiB): bulk event ingest rebuilds index and full-text pages that would
    // otherwise be evicted and re-read between batches.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
  } catch (error) {
    db.close();
    throw storageErrorOf(error, file) ?? new AppError(
      'io-error',
      `The database ${file} could not be prepared; it may be damaged or locked by another program.`,
      'Close other copies of Rotation Workbench or azs-rotate, or point --data-dir (AZS_DATA_DIR) elsewhere.',
      { cause: error },
    );
  }
  return db;
}
