/**
 * Schema 1: stamp profiles, settings and the append-only audit log.
 *
 * No table has a column for a password, credential or other secret, on purpose: what the operator types
 * for a PFX or the PEP is used for one run and then dropped (see docs/architecture.md, Storage).
 */
import type { Migration } from './migration';

/** Creates `stamps`, `settings` and `audit_events` with the triggers that keep the audit log append-only. */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE stamps (
        id INTEGER PRIMARY KEY,
        -- NOCASE: "Lab" and "lab" would be the same stamp to an operator picking from a list.
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        region TEXT NOT NULL,
        external_fqdn TEXT NOT NULL,
        identity TEXT NOT NULL CHECK (identity IN ('aad', 'adfs')),
        version TEXT NOT NULL,
        ercs_ips TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ercs_ips)),
        current_ca_kind TEXT NOT NULL,
        resource_providers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resource_providers)),
        rehearsal INTEGER NOT NULL DEFAULT 0 CHECK (rehearsal IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail))
      ) STRICT;
      CREATE INDEX audit_events_at ON audit_events (at);

      -- The audit log is evidence of what was done to a stamp: the database itself refuses to rewrite it.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be changed');
      END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be deleted');
      END;
    `);
  },
};
