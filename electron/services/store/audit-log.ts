/**
 * The append-only audit log: who did what to which stamp, run or setting, and when.
 *
 * The table refuses UPDATE and DELETE (triggers in migration 1). Details are redacted here as a second
 * line of defence: a key that looks like it names a secret is replaced, whatever the caller passed.
 */
import type Database from 'better-sqlite3';

/** One audit event to append. */
export interface AuditEventInput {
  /** Who acted, for example `app:jdoe` or `cli:jdoe`. */
  actor: string;
  /** What was done, `domain.verb`, for example `stamp.create`. */
  action: string;
  /** What it was done to, for example `stamp:3` or `run:12`; null when there is no single subject. */
  subject: string | null;
  /** Facts worth keeping (names, paths, counts); never secrets. */
  detail?: Record<string, unknown> | null;
  /** ISO time; now when omitted. */
  at?: string;
}

/** One stored audit event. */
export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown> | null;
}

/** Keys whose values are never written to the audit log. */
const SECRET_KEY = /passw|passphrase|secret|credential|token|private.?key|^pwd$/i;

/** Marker that replaces a redacted value. */
export const REDACTED = '[redacted]';

/**
 * Copies `value` with every property whose name looks secret replaced by `[redacted]`.
 *
 * Walks nested objects and arrays, so a secret cannot slip in one level down.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactSecrets(v)]),
    );
  }
  return value;
}

/** Typed access to `audit_events`. */
export interface AuditLog {
  /** Appends one event and returns it. */
  append(event: AuditEventInput): AuditEvent;
  /** The newest events first, at most `limit` (default 200). */
  list(options?: { limit?: number; subject?: string }): AuditEvent[];
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

function toEvent(row: AuditRow): AuditEvent {
  return { ...row, detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>) };
}

/**
 * Builds the audit log on an open, migrated database.
 *
 * There is deliberately no update or delete function.
 */
export function createAuditLog(db: Database.Database): AuditLog {
  const insertStmt = db.prepare<[string, string, string, string | null, string | null]>(
    'INSERT INTO audit_events (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const listStmt = db.prepare<[number], AuditRow>('SELECT * FROM audit_events ORDER BY id DESC LIMIT ?');
  const bySubjectStmt = db.prepare<[string, number], AuditRow>(
    'SELECT * FROM audit_events WHERE subject = ? ORDER BY id DESC LIMIT ?',
  );

  return {
    append(event) {
      const at = event.at ?? new Date().toISOString();
      const detail = event.detail ? JSON.stringify(redactSecrets(event.detail)) : null;
      const result = insertStmt.run(at, event.actor, event.action, event.subject, detail);
      return toEvent({ id: Number(result.lastInsertRowid), at, actor: event.actor, action: event.action, subject: event.subject, detail });
    },
    list(options = {}) {
      const limit = options.limit ?? 200;
      const rows = options.subject === undefined ? listStmt.all(limit) : bySubjectStmt.all(options.subject, limit);
      return rows.map(toEvent);
    },
  };
}
