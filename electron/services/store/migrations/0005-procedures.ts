/**
 * Schema 5: guided procedure runs, the operator's step confirmations, and the latest live probe per stamp.
 *
 * Automatic steps are not stored: they are re-judged from the recorded facts every time the checklist is
 * read, so evidence recorded later (a new validation run) turns them green without a write here.
 */
import type { Migration } from './migration';

/** Creates `procedure_runs`, `procedure_confirmations` and `probe_reports`. */
export const migration0005: Migration = {
  version: 5,
  name: 'procedures',
  up(db) {
    db.exec(`
      CREATE TABLE procedure_runs (
        id INTEGER PRIMARY KEY,
        -- The checklist outlives the stamp profile: deleting the profile keeps the record and its name.
        stamp_id INTEGER REFERENCES stamps (id) ON DELETE SET NULL,
        stamp_name TEXT NOT NULL,
        procedure_id TEXT NOT NULL,
        stamp_version TEXT NOT NULL,
        parameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
        state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'abandoned')),
        started_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX procedure_runs_stamp ON procedure_runs (stamp_id, started_at);

      CREATE TABLE procedure_confirmations (
        run_id INTEGER NOT NULL REFERENCES procedure_runs (id) ON DELETE CASCADE,
        step_id TEXT NOT NULL,
        confirmed_at TEXT NOT NULL,
        note TEXT,
        actor TEXT NOT NULL,
        PRIMARY KEY (run_id, step_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE probe_reports (
        stamp_id INTEGER PRIMARY KEY REFERENCES stamps (id) ON DELETE CASCADE,
        probed_at TEXT NOT NULL,
        report_json TEXT NOT NULL CHECK (json_valid(report_json))
      ) STRICT;
    `);
  },
};
