/**
 * Schema 3: PEP rotation runs and their events.
 *
 * A run row is written before anything is sent to the PEP and every event is appended as it arrives, so
 * history answers "has a rotation already run on this stamp, when, with what outcome" even after a crash.
 * The owner columns (process id, host, heartbeat) let a later reader tell a live run from one whose process
 * died. Nothing the operator types for the PEP, the share or the BMC has a column here.
 */
import type { Migration } from './migration';

/** Creates `rotation_runs` and `rotation_events`. */
export const migration0003: Migration = {
  version: 3,
  name: 'rotation-runs',
  up(db) {
    db.exec(`
      CREATE TABLE rotation_runs (
        id INTEGER PRIMARY KEY,
        -- The run outlives the stamp profile: deleting the profile keeps the evidence and its name.
        stamp_id INTEGER REFERENCES stamps (id) ON DELETE SET NULL,
        stamp_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('external', 'internal', 'bmc')),
        state TEXT NOT NULL CHECK (state IN ('draft', 'preflight', 'running', 'succeeded', 'failed', 'interrupted')),
        rehearsal INTEGER NOT NULL DEFAULT 0 CHECK (rehearsal IN (0, 1)),
        scenario TEXT,
        source TEXT NOT NULL CHECK (source IN ('app', 'cli')),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        ercs TEXT,
        action_plan_instance_id TEXT,
        rerun_of INTEGER REFERENCES rotation_runs (id) ON DELETE SET NULL,
        pep_started_at TEXT,
        outcome TEXT,
        parameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
        owner_pid INTEGER,
        owner_host TEXT,
        heartbeat_at TEXT
      ) STRICT;
      CREATE INDEX rotation_runs_stamp ON rotation_runs (stamp_id, kind, started_at);
      CREATE INDEX rotation_runs_started ON rotation_runs (started_at);
      CREATE INDEX rotation_runs_active ON rotation_runs (state) WHERE state IN ('draft', 'preflight', 'running');

      CREATE TABLE rotation_events (
        run_id INTEGER NOT NULL REFERENCES rotation_runs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('debug', 'verbose', 'info', 'warning', 'error')),
        type TEXT NOT NULL,
        text TEXT NOT NULL,
        data TEXT CHECK (data IS NULL OR json_valid(data)),
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
