/**
 * Backup and restore of the share: create and verify a hashed copy, restore it before a ReRun, and clean
 * the share after the rotation — the last two only after a confirmation.
 */
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { activePrepStamp, sectionProblems, usePreparationStore } from '../../stores/preparation-store';
import type { PreparationState } from '../../stores/preparation-store';
import { FolderInput, PathText } from './prep-fields';

function BackupResult({ result }: { result: NonNullable<PreparationState['backup']['result']> }) {
  switch (result.kind) {
    case 'create':
      return (
        <p className="structure-ok" role="status">
          <span aria-hidden="true">✓ </span>
          Backed up {result.value.files} file(s) to <PathText path={result.value.backupDir} />; the copy {result.value.verified ? 'verifies' : 'does NOT verify'}.
        </p>
      );
    case 'verify':
      return result.value.ok ? (
        <p className="structure-ok" role="status">
          <span aria-hidden="true">✓ </span>The backup verifies: {result.value.files} file(s) intact{result.value.createdAt ? ` (made ${formatDateTime(result.value.createdAt)})` : ''}.
        </p>
      ) : (
        <div className="structure-problems" role="region" aria-labelledby="prep-verify-title">
          <h3 id="prep-verify-title" className="structure-title">
            <span aria-hidden="true">✗ </span>The backup does not verify: {result.value.problems.length} problem(s)
          </h3>
          <ul>
            {result.value.problems.map((p) => (
              <li key={`${p.code}-${p.path}`}>
                <span className="chip chip-small chip-fail">{p.code}</span> {p.message}
              </li>
            ))}
          </ul>
        </div>
      );
    case 'restore':
      return (
        <div className="prep-result" role="status">
          <p className={result.value.verified ? 'structure-ok' : 'prep-note'}>
            {result.value.restored.length} file(s) restored, {result.value.unchanged.length} already identical;{' '}
            {result.value.verified ? 'all read back intact.' : 'some do NOT read back intact.'}
          </p>
          {result.value.extra.length > 0 ? (
            <p className="prep-note">
              Not in the backup (left untouched): {result.value.extra.map((p) => p.split(/[\\/]/).slice(-2).join('/')).join(', ')}
            </p>
          ) : null}
        </div>
      );
    case 'clean':
      return (
        <div className="prep-result" role="status">
          <p className="structure-ok">
            <span aria-hidden="true">✓ </span>
            {result.value.removed.length} placed file(s) removed from the share.
          </p>
          {result.value.kept.length > 0 ? (
            <ul className="prep-list">
              {result.value.kept.map((k) => (
                <li key={k.path}>
                  <StatusBadge status="skipped" text="kept" /> <PathText path={k.path} /> — {k.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      );
  }
}

/** Backup, verify, restore and clean. */
export function BackupPanel() {
  const backup = usePreparationStore((s) => s.backup);
  const form = usePreparationStore((s) => s.form);
  const adhoc = usePreparationStore((s) => s.adhoc);
  const submitted = usePreparationStore((s) => s.submitted.backup ?? false);
  const confirm = usePreparationStore((s) => s.confirm);
  const backupCreate = usePreparationStore((s) => s.backupCreate);
  const backupVerify = usePreparationStore((s) => s.backupVerify);
  const askConfirm = usePreparationStore((s) => s.askConfirm);
  const confirmPending = usePreparationStore((s) => s.confirmPending);
  const problems = sectionProblems('backup', form, adhoc, activePrepStamp());
  const problem = (key: string) => (submitted ? (problems[key] ?? null) : null);

  return (
    <section className="card prep-card" aria-labelledby="prep-backup-title">
      <h2 id="prep-backup-title" className="card-title">
        Backup and restore
      </h2>
      <p className="prep-lead">
        A copy of the share with a SHA-256 manifest. Restore it into the share before a ReRun; after a successful rotation, clean the share: only files this app placed and
        the backup holds are removed.
      </p>
      <div className="form-grid">
        <FolderInput field="certificatesDir" label="Certificates folder of the share" problem={problem('certificatesDir')} disabled={backup.busy} />
        <FolderInput field="backupDir" label="Backup folder" hint="A new or empty folder for a backup; an existing backup for verify, restore and clean." problem={problem('backupDir')} disabled={backup.busy} />
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={backup.busy} onClick={() => void backupCreate()}>
          Create backup
        </button>
        <button type="button" className="btn" disabled={backup.busy} onClick={() => void backupVerify()}>
          Verify backup
        </button>
        <button type="button" className="btn" disabled={backup.busy} onClick={() => askConfirm('restore')}>
          Restore into the share…
        </button>
        <button type="button" className="btn btn-danger-quiet" disabled={backup.busy} onClick={() => askConfirm('clean')}>
          Clean the share…
        </button>
      </div>
      {backup.busy ? <p className="prep-note">Working…</p> : null}
      {backup.error ? <ErrorMessage error={backup.error} /> : null}
      {backup.result ? <BackupResult result={backup.result} /> : null}
      {confirm === 'restore' ? (
        <ConfirmDialog title="Restore the backup into the share?" confirmLabel="Restore" onConfirm={() => void confirmPending()} onCancel={() => askConfirm(null)}>
          <p>
            Files in <PathText path={form.certificatesDir} /> that differ from the backup are replaced by the backed-up copies. The backup is verified first; files it does
            not hold are left alone.
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'clean' ? (
        <ConfirmDialog title="Remove the placed PFX files from the share?" confirmLabel="Clean the share" destructive onConfirm={() => void confirmPending()} onCancel={() => askConfirm(null)}>
          <p>
            After a successful rotation the PFX files (with their private keys) should not stay on the share. Only files this app placed, unchanged since, and held by the
            verified backup are deleted.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
