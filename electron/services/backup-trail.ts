/**
 * Reading backups and share paths out of the audit log, for pre-flight and for the checklists' verifiers.
 *
 * Backups made with the app or the CLI leave `backup.create` and `backup.verify` entries; both consumers
 * need "the latest backup of this share, and did it verify", judged the same way.
 */
import path from 'node:path';
import type { AuditEvent } from './store';

function normalisePath(p: string): string {
  // UNC and Windows paths compare case-insensitively and with either slash.
  return path.resolve(p).replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
}

/** True when one path is the other or inside it (a share root and its Certificates folder match). */
export function pathsRelated(a: string, b: string): boolean {
  const x = normalisePath(a);
  const y = normalisePath(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** A string field of an audit entry's detail, or null when absent or not a string. */
export function auditDetailString(event: AuditEvent, key: string): string | null {
  const value = event.detail?.[key];
  return typeof value === 'string' ? value : null;
}

/** The latest recorded backup of a share, as the audit log tells it. */
export interface RecordedBackup {
  backupDir: string;
  /** When it was made, or last verified. */
  at: string;
  /** Verified against its manifest (when made, or at its latest verification). */
  healthy: boolean;
  /** The audit entry that settles it: the latest verification, else the creation. */
  evidenceId: number;
}

/**
 * The newest backup of any of `folders` (or of a folder containing one, or inside one), or null.
 *
 * `events` are newest first, as the audit log lists them; a verification after the backup was made is the
 * latest word on it.
 */
export function latestRecordedBackup(events: readonly AuditEvent[], folders: readonly string[]): RecordedBackup | null {
  const create = events.find((e) => e.action === 'backup.create' && folders.some((f) => pathsRelated(auditDetailString(e, 'source') ?? '', f)));
  if (!create) return null;
  const backupDir = auditDetailString(create, 'backupDir') ?? '';
  const verify = events.find((e) => e.action === 'backup.verify' && e.id > create.id && auditDetailString(e, 'backupDir') === backupDir);
  const settled = verify ?? create;
  return { backupDir, at: settled.at, healthy: verify ? verify.detail?.ok === true : create.detail?.verified === true, evidenceId: settled.id };
}
