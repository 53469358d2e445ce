/**
 * The support bundle panel: what to mask, a preview of exactly what leaves, and the export.
 *
 * The bundle holds the run in the Run filter when one is set (the transcript being looked at), otherwise
 * every event within retention.
 */
import { formatRunRef } from '../../../../shared/logs/events';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon } from '../../components/icons';
import { useLogsStore, type MaskChoice } from '../../stores/logs-store';

const MASKS: { key: keyof MaskChoice; label: string }[] = [
  { key: 'ips', label: 'IP addresses' },
  { key: 'hosts', label: 'Host names' },
  { key: 'users', label: 'User names' },
];

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The support bundle card. */
export function BundlePanel() {
  const bundle = useLogsStore((s) => s.bundle);
  const run = useLogsStore((s) => s.applied.run);
  const setMask = useLogsStore((s) => s.setMask);
  const previewBundle = useLogsStore((s) => s.previewBundle);
  const exportBundle = useLogsStore((s) => s.exportBundle);
  const preview = bundle.preview;
  return (
    <section className="card log-panel" aria-labelledby="bundle-title">
      <h2 id="bundle-title" className="card-title">
        Support bundle
      </h2>
      <p className="log-panel-text">
        Holds {run ? <strong>{formatRunRef(run)}</strong> : 'every event within retention'}, validation reports, checklists, stamp profiles
        and the app version. Secrets are always removed; also mask:
      </p>
      <div className="log-masks" role="group" aria-label="Also mask">
        {MASKS.map((m) => (
          <label key={m.key} className="check">
            <input type="checkbox" checked={bundle.mask[m.key]} onChange={(e) => setMask({ [m.key]: e.target.checked })} />
            <span>{m.label}</span>
          </label>
        ))}
      </div>
      <div className="toolbar-group">
        <button type="button" className="btn" disabled={bundle.busy !== null} onClick={() => void previewBundle()}>
          {bundle.busy === 'preview' ? 'Preparing preview…' : 'Preview contents'}
        </button>
        <button type="button" className="btn btn-primary" disabled={bundle.busy !== null} onClick={() => void exportBundle()}>
          <ExportIcon />
          {bundle.busy === 'export' ? 'Exporting…' : 'Export bundle…'}
        </button>
      </div>
      {bundle.error ? <ErrorMessage error={bundle.error} /> : null}
      {bundle.message ? (
        <p className="log-panel-ok" role="status">
          {bundle.message}
        </p>
      ) : null}
      {preview ? (
        <div className="bundle-preview" aria-label="Bundle preview">
          <p className="log-panel-text">
            {preview.eventCount.toLocaleString('en-US')} event(s), {size(preview.totalBytes)} before compression. Masked:{' '}
            {MASKS.filter((m) => preview.masked[m.key]).map((m) => `${m.label.toLowerCase()} (${preview.maskedCounts[m.key]})`).join(', ') || 'nothing besides secrets'}.
          </p>
          <table className="bundle-entries">
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {preview.entries.map((e) => (
                <tr key={e.name}>
                  <td className="mono">{e.name}</td>
                  <td>{size(e.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.sample.length > 0 ? (
            <>
              <p className="log-panel-text">First events as they will leave:</p>
              <pre className="bundle-sample">{preview.sample.slice(0, 8).join('\n')}</pre>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
