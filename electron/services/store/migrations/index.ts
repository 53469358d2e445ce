/**
 * The migration registry and its runner.
 *
 * The database's `PRAGMA user_version` records the last migration applied. Opening applies the missing
 * ones in order, each in its own transaction together with the version bump, so a crash leaves the
 * database at a whole version. A database newer than this registry is refused rather than guessed at.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../errors';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-validation-history';
import { migration0003 } from './0003-rotation-runs';
import { migration0004 } from './0004-key-custody';
import { migration0005 } from './0005-procedures';
import { migration0006 } from './0006-event-store';
import { migration0007 } from './0007-application-id';
import { migration0008 } from './0008-run-phase';
import { migration0009 } from './0009-validation-run-links';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, in order; the array index is `version - 1`. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];

/** The schema version this build of the app writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Raised when the database was written by a newer app.
 *
 * Opening it anyway could corrupt data the newer schema depends on, so the app and CLI stop and say why.
 */
export class DatabaseTooNewError extends AppError {
  /** The schema version found in the file. */
  readonly found: number;
  /** The newest schema version this app knows. */
  readonly known: number;

  /**
   * Creates the error for a database at schema `found` opened by an app that knows `known`.
   *
   * The message is the one the operator sees in the app's error box and on the CLI's stderr.
   */
  constructor(found: number, known: number) {
    super(
      'io-error',
      `This database was written by a newer version of Rotation Workbench (schema ${found}, this app knows ${known}). ` +
        'Use the newer version or point --data-dir elsewhere.',
      'Install the newer Rotation Workbench, or start this one with --data-dir (or AZS_DATA_DIR) set to another folder.',
    );
    this.name = 'DatabaseTooNewError';
    this.found = found;
    this.known = known;
  }
}

/** Reads `PRAGMA user_version`. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations the database lacks, up to `target` (default: all).
 *
 * Returns the versions applied. Throws `DatabaseTooNewError` when the file is newer than `migrations`
 * knows, before touching anything. `target` exists so tests can build a database as an older app left it.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.length,
): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration registry out of order: position ${i + 1} holds version ${m.version}.`);
  });
  const current = schemaVersion(db);
  if (current > migrations.length) throw new DatabaseTooNewError(current, migrations.length);
  const applied: number[] = [];
  for (const m of migrations.slice(current, target)) {
    // IMMEDIATE takes the write lock up front, so two processes opening an old file at once cannot both
    // start the same migration; the loser waits (busy timeout) and then sees the new version.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
