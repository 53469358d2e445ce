/**
 * Schema 6: the event store — every event the app records, in one table with a full-text index.
 *
 * Events are copied here by triggers from the tables where they are first recorded (audit log, validation
 * runs, PEP run events, checklist confirmations), so no writer can forget to feed the log viewer and the support bundle, and the CLI
 * and the app feed it alike. The FTS5 index is an external-content table over `events.text`, kept in step
 * by triggers, so the text is stored once. Retention deletes from `events` only; the sources keep their rows.
 */
import type { Migration } from './migration';

/** Creates `events`, `events_fts`, their triggers and the feeding triggers from earlier tables. */
export const migration0006: Migration = {
  version: 6,
  name: 'event-store',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        -- The checks are chains of "=" rather than IN lists: SQLite builds a small temporary index for an IN
        -- list each time a row is checked, which tripled the cost of a bulk insert.
        level TEXT NOT NULL CHECK (level = 'debug' OR level = 'verbose' OR level = 'info' OR level = 'warning' OR level = 'error'),
        source TEXT NOT NULL CHECK (
          source = 'validation' OR source = 'preparation' OR source = 'checklist' OR source = 'pep' OR source = 'app' OR source = 'audit'
        ),
        category TEXT,
        -- The stamp's name, not its id: an event outlives the profile and must still say which stamp it was.
        stamp TEXT COLLATE NOCASE,
        run_kind TEXT CHECK (run_kind IS NULL OR run_kind = 'rotation' OR run_kind = 'validation'),
        run_id INTEGER,
        text TEXT NOT NULL
      ) STRICT;
      -- No index on "at": events arrive in time order, so the id order the viewer pages by is time order too,
      -- and each index costs bulk ingest about a tenth of its speed. Retention's DELETE scans instead.
      CREATE INDEX events_stamp ON events (stamp, id);
      CREATE INDEX events_run ON events (run_kind, run_id, id) WHERE run_id IS NOT NULL;

      -- columnsize = 0: no per-row size table; it only serves bm25 ranking, and results are ordered by id.
      CREATE VIRTUAL TABLE events_fts USING fts5 (
        text, content = 'events', content_rowid = 'id', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER events_fts_update AFTER UPDATE OF text ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO events_fts (rowid, text) VALUES (new.id, new.text);
      END;

      -- Audit entries. Validation start and finish, and checklist confirmations, come from their own tables
      -- below with more detail, so their audit twins are skipped rather than shown twice.
      CREATE TRIGGER events_from_audit AFTER INSERT ON audit_events
      WHEN new.action NOT IN ('validation.start', 'validation.finish', 'procedure.confirm')
      BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        VALUES (
          new.at,
          CASE WHEN new.action LIKE '%.fail%' OR new.action LIKE '%.error%' THEN 'error' ELSE 'info' END,
          CASE
            WHEN new.action LIKE 'validation.%' THEN 'validation'
            WHEN new.action LIKE 'checklist.%' OR new.action LIKE 'procedure.%' THEN 'checklist'
            WHEN new.action LIKE 'rotation.%' OR new.action LIKE 'pep.%' THEN 'pep'
            WHEN new.action LIKE 'csr.%' OR new.action LIKE 'pfx.%' OR new.action LIKE 'place.%'
              OR new.action LIKE 'placement.%' OR new.action LIKE 'backup.%' OR new.action LIKE 'key.%'
              OR new.action LIKE 'share.%' OR new.action LIKE 'preparation.%' THEN 'preparation'
            ELSE 'audit'
          END,
          new.action,
          CASE
            WHEN new.subject LIKE 'stamp:%' THEN (SELECT name FROM stamps WHERE id = CAST(substr(new.subject, 7) AS INTEGER))
            WHEN new.subject LIKE 'procedure:%' THEN (SELECT stamp_name FROM procedure_runs WHERE id = CAST(substr(new.subject, 11) AS INTEGER))
            WHEN new.detail IS NOT NULL AND json_type(new.detail, '$.stamp') = 'text' THEN json_extract(new.detail, '$.stamp')
            ELSE NULL
          END,
          CASE
            WHEN new.subject LIKE 'run:%' AND new.action LIKE 'validation.%' THEN 'validation'
            WHEN new.subject LIKE 'run:%' OR new.subject LIKE 'rotation:%' THEN 'rotation'
            ELSE NULL
          END,
          CASE
            WHEN new.subject LIKE 'run:%' THEN CAST(substr(new.subject, 5) AS INTEGER)
            WHEN new.subject LIKE 'rotation:%' THEN CAST(substr(new.subject, 10) AS INTEGER)
            ELSE NULL
          END,
          new.actor || ' ' || new.action || coalesce(' ' || new.subject, '') || coalesce(' ' || new.detail, '')
        );
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;

      CREATE TRIGGER events_from_validation_start AFTER INSERT ON validation_runs BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        VALUES (
          new.started_at, 'info', 'validation', 'validation.start',
          (SELECT name FROM stamps WHERE id = new.stamp_id), 'validation', new.id,
          'Validation of ' || new.root || ' started (' || new.source || ', ' || new.region || '.' || new.fqdn || ')'
        );
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;
      CREATE TRIGGER events_from_validation_finish AFTER UPDATE OF status ON validation_runs
      WHEN old.status = 'running' AND new.status <> 'running'
      BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        VALUES (
          coalesce(new.finished_at, new.started_at),
          CASE new.status WHEN 'fail' THEN 'error' WHEN 'error' THEN 'error' WHEN 'warning' THEN 'warning' ELSE 'info' END,
          'validation', 'validation.finish',
          (SELECT name FROM stamps WHERE id = new.stamp_id), 'validation', new.id,
          'Validation of ' || new.root || ' finished: ' || new.status || ' (ok ' || new.ok_count || ', warning ' ||
            new.warning_count || ', fail ' || new.fail_count || ')' ||
            coalesce(' — ' || new.error_code || ': ' || new.error_message, '')
        );
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;
      -- The CLI records a finished run in one INSERT; the start trigger above logs it, this adds the outcome.
      CREATE TRIGGER events_from_validation_recorded AFTER INSERT ON validation_runs
      WHEN new.status <> 'running'
      BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        VALUES (
          coalesce(new.finished_at, new.started_at),
          CASE new.status WHEN 'fail' THEN 'error' WHEN 'error' THEN 'error' WHEN 'warning' THEN 'warning' ELSE 'info' END,
          'validation', 'validation.finish',
          (SELECT name FROM stamps WHERE id = new.stamp_id), 'validation', new.id,
          'Validation of ' || new.root || ' finished: ' || new.status || ' (ok ' || new.ok_count || ', warning ' ||
            new.warning_count || ', fail ' || new.fail_count || ')'
        );
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;

      -- PEP transcripts (migration 3): every line a rotation run records.
      CREATE TRIGGER events_from_rotation AFTER INSERT ON rotation_events BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        VALUES (
          new.at, new.level, 'pep', new.type,
          (SELECT stamp_name FROM rotation_runs WHERE id = new.run_id), 'rotation', new.run_id, new.text
        );
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;

      -- Checklist confirmations (migration 5): who confirmed which step of which procedure.
      CREATE TRIGGER events_from_checklist AFTER INSERT ON procedure_confirmations
      WHEN EXISTS (SELECT 1 FROM procedure_runs WHERE id = new.run_id)
      BEGIN
        INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text)
        SELECT new.confirmed_at, 'info', 'checklist', 'checklist.confirm', p.stamp_name, NULL, NULL,
          new.actor || ' confirmed step ' || new.step_id || ' of ' || p.procedure_id || ' (checklist ' || p.id || ')' ||
            coalesce(': ' || new.note, '')
        FROM procedure_runs p WHERE p.id = new.run_id;
        INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = last_insert_rowid();
      END;
    `);
  },
};
