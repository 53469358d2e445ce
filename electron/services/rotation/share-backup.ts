/**
 * What the audit log says about backups of a rotation share: the latest backup of it, and whether it was
 * restored into the share after a failed rotation.
 *
 * The procedure asks for a backup before an external rotation and for the certificates to be restored from
 * it into the share before `-ReRun`. Backups made and restored with the app or the CLI are in the audit log
 * (`backup.create`, `backup.verify`, `backup.restore`), which is all pre-flight can know: a copy made by hand
 * is invisible here, so these findings warn rather than refuse.
 */
import { auditDetailString, latestRecordedBackup, pathsRelated } from '../backup-trail';
import type { Store } from '../store';

/** How far back the audit log is searched. */
const AUDIT_WINDOW = 2000;

/** The latest recorded backup of a share. */
export interface ShareBackup {
  backupDir: string;
  /** When it was made, or last verified. */
  at: string;
  /** The copy verified against its manifest (when made, or at its latest verification). */
  healthy: boolean;
}

/** The newest backup made of `share` (or of a folder containing it, or inside it), or null. */
export function latestShareBackup(store: Store, share: string): ShareBackup | null {
  const found = latestRecordedBackup(store.audit.list({ limit: AUDIT_WINDOW }), [share]);
  return found ? { backupDir: found.backupDir, at: found.at, healthy: found.healthy } : null;
}

/**
 * The newest complete restore of a backup into `share` after `since` (ISO time), or null.
 *
 * A restore that stopped on an error, or whose files did not read back intact, does not count.
 */
export function restoreSince(store: Store, share: string, since: string): { backupDir: string; at: string } | null {
  const restore = store.audit
    .list({ limit: AUDIT_WINDOW })
    .find((e) => e.action === 'backup.restore' && e.at > since && pathsRelated(auditDetailString(e, 'target') ?? '', share) && e.detail?.verified === true && e.detail?.failedAt === undefined);
  return restore ? { backupDir: auditDetailString(restore, 'backupDir') ?? '', at: restore.at } : null;
}
