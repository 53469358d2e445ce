/**
 * Key export: encrypted PKCS#8 backups of the private keys in key custody, written to a folder the operator
 * chooses, so the keys outlive this machine until the CA's certificates come back.
 */
import { useEffect } from 'react';
import type { FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { activePrepStamp, sectionProblems, usePreparationStore } from '../../stores/preparation-store';
import { FolderInput, PathText, SecretInput, baseName } from './prep-fields';

/** Key export. */
export function KeyExportPanel() {
  const form = usePreparationStore((s) => s.form);
  const adhoc = usePreparationStore((s) => s.adhoc);
  const keys = usePreparationStore((s) => s.keys);
  const keyExport = usePreparationStore((s) => s.keyExport);
  const submitted = usePreparationStore((s) => s.submitted.keyExport ?? false);
  const loadKeys = usePreparationStore((s) => s.loadKeys);
  const toggleExportKey = usePreparationStore((s) => s.toggleExportKey);
  const exportKeys = usePreparationStore((s) => s.exportKeys);
  useEffect(() => {
    void loadKeys();
  }, [loadKeys]);
  const problems = sectionProblems('keyExport', form, adhoc, activePrepStamp());
  const problem = (key: string) => (submitted ? (problems[key] ?? null) : null);
  const list = keys.result ?? [];
  const ticked = form.exportKeyIds.filter((id) => list.some((k) => k.keyId === id));
  const allTicked = list.length > 0 && ticked.length === list.length;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void exportKeys();
  };
  const toggleAll = (on: boolean) => {
    for (const k of list) toggleExportKey(k.keyId, on);
  };

  return (
    <form className="card prep-card" aria-labelledby="prep-keyexport-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-keyexport-title" className="card-title">
        Key export
      </h2>
      <p className="prep-lead">
        Writes each stored private key as an encrypted PKCS#8 file (AES-256, protected by the key passphrase) — a backup OpenSSL opens (
        <span className="mono">openssl pkey -in FILE</span>). Keep it apart from this machine until the issued certificates are assembled.
      </p>
      {keys.error ? <ErrorMessage error={keys.error} /> : null}
      {list.length === 0 ? (
        <p className="empty-inline">The key store is empty. Generate requests first: their keys are what this exports.</p>
      ) : (
        <div className="table-scroll prep-table">
          <table className="table">
            <caption className="sr-only">Stored keys to export</caption>
            <thead>
              <tr>
                <th scope="col" className="cell-check">
                  <input type="checkbox" aria-label="Export every key" checked={allTicked} disabled={keyExport.busy} onChange={(e) => toggleAll(e.target.checked)} />
                </th>
                <th scope="col">Endpoint</th>
                <th scope="col">Key id</th>
                <th scope="col">RSA</th>
                <th scope="col">Created</th>
                <th scope="col">Certificate</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.keyId}>
                  <td className="cell-check">
                    <input
                      type="checkbox"
                      aria-label={`Export key ${k.keyId} (${k.endpoint})`}
                      checked={ticked.includes(k.keyId)}
                      disabled={keyExport.busy}
                      onChange={(e) => toggleExportKey(k.keyId, e.target.checked)}
                    />
                  </td>
                  <th scope="row">{k.endpoint}</th>
                  <td className="mono">{k.keyId}</td>
                  <td>{k.keyBits}</td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>{k.assembledAt ? <StatusBadge status="ok" text="Assembled" /> : <StatusBadge status="skipped" text="Awaiting the CA" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-grid">
        <FolderInput field="exportOutDir" label="Export folder" hint="Files are written readable by this account only." problem={problem('exportOutDir')} disabled={keyExport.busy} />
        <SecretInput field="exportPassphrase" label="Key passphrase" hint="The passphrase the requests were made with; it also protects the exported files." problem={problem('exportPassphrase')} disabled={keyExport.busy} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={keyExport.busy || list.length === 0}>
          <ExportIcon />
          {keyExport.busy ? 'Exporting…' : ticked.length > 0 && !allTicked ? `Export ${ticked.length} selected key(s)` : `Export all ${list.length} key(s)`}
        </button>
        <span className="prep-note">{ticked.length > 0 && !allTicked ? 'Only the ticked keys.' : 'Tick keys to export only those.'}</span>
      </div>
      {keyExport.error ? <ErrorMessage error={keyExport.error} /> : null}
      {keyExport.result ? (
        <div className="prep-result" role="status">
          <p className="structure-ok">
            <span aria-hidden="true">✓ </span>
            {keyExport.result.keys.length} key(s) exported to <PathText path={keyExport.result.outDir} />, encrypted with the key passphrase.
          </p>
          <ul className="prep-list">
            {keyExport.result.keys.map((k) => (
              <li key={k.keyId}>
                <span className="mono">{baseName(k.file)}</span> — {k.endpoint}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
