/**
 * Schema 2: the history of share validations, one run per validation and one row per certificate check.
 *
 * The full report is kept as JSON (it is the `validate --json` contract and may grow); the per-check rows
 * duplicate its results so history can be queried by endpoint, check and status without parsing JSON.
 */
import type { Migration } from './migration';

/** Creates `validation_runs` and `validation_results`. */
export const migration0002: Migration = {
  version: 2,
  name: 'validation-history',
  up(db) {
    db.exec(`
      CREATE TABLE validation_runs (
        id INTEGER PRIMARY KEY,
        -- A run outlives the stamp profile it was made for: deleting the profile keeps the evidence.
        stamp_id INTEGER REFERENCES stamps (id) ON DELETE SET NULL,
        job_id TEXT UNIQUE,
        root TEXT NOT NULL,
        identity TEXT CHECK (identity IS NULL OR identity IN ('aad', 'adfs')),
        region TEXT NOT NULL,
        fqdn TEXT NOT NULL,
        paas_dir TEXT,
        current_ca TEXT,
        stamp_version TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        ok_count INTEGER NOT NULL DEFAULT 0,
        warning_count INTEGER NOT NULL DEFAULT 0,
        fail_count INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL CHECK (source IN ('app', 'cli')),
        error_code TEXT,
        error_message TEXT,
        report_json TEXT CHECK (report_json IS NULL OR json_valid(report_json))
      ) STRICT;
      CREATE INDEX validation_runs_started ON validation_runs (started_at);
      CREATE INDEX validation_runs_stamp ON validation_runs (stamp_id, started_at);

      CREATE TABLE validation_results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES validation_runs (id) ON DELETE CASCADE,
        endpoint TEXT NOT NULL,
        folder TEXT NOT NULL,
        file TEXT NOT NULL,
        check_id TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        remediation TEXT NOT NULL
      ) STRICT;
      CREATE INDEX validation_results_run ON validation_results (run_id);
      CREATE INDEX validation_results_check ON validation_results (check_id, status);
    `);
  },
};
