/**
 * The shape of one schema migration.
 *
 * Migrations are numbered files applied in order, each inside its own transaction; a migration, once
 * released, never changes — a later change to the schema is a new file.
 */
import type Database from 'better-sqlite3';

/** One schema step: from `version - 1` to `version`. */
export interface Migration {
  /** The `PRAGMA user_version` the database has after this step (1, 2, …, without gaps). */
  readonly version: number;
  /** Short name, matching the file name after the number. */
  readonly name: string;
  /** Applies the step; runs inside a transaction the runner opens, so it must not open its own. */
  up(db: Database.Database): void;
}
