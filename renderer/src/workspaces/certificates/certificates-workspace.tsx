/**
 * The Certificates workspace: validate a share against the active stamp (or ad-hoc values), follow the
 * run, read the results per certificate and check, reopen earlier runs, export a report.
 */
import { useMemo } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon, SearchIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { certificateKey, visibleCertificates } from '../../lib/report-view';
import { useAppStore } from '../../stores/app-store';
import { useStampsStore } from '../../stores/stamps-store';
import { useValidationStore } from '../../stores/validation-store';
import { CertificateDetail } from './certificate-detail';
import { ResultsTable } from './results-table';
import { RunHistory } from './run-history';
import { RunProgress } from './run-progress';
import { ShareForm } from './share-form';

function ExportButtons() {
  const run = useValidationStore((s) => s.run);
  const report = useValidationStore((s) => s.report);
  const busy = useValidationStore((s) => s.exportState.busy);
  const exportReport = useValidationStore((s) => s.exportReport);
  const disabled = !run || !report || busy !== null;
  return (
    <div className="toolbar-group" role="group" aria-label="Export the open report">
      <button type="button" className="btn" disabled={disabled} onClick={() => void exportReport('json')}>
        <ExportIcon />
        {busy === 'json' ? 'Exporting…' : 'Export JSON'}
      </button>
      <button type="button" className="btn" disabled={disabled} onClick={() => void exportReport('html')}>
        <ExportIcon />
        {busy === 'html' ? 'Exporting…' : 'Export HTML'}
      </button>
    </div>
  );
}

function Results() {
  const report = useValidationStore((s) => s.report);
  const run = useValidationStore((s) => s.run);
  const view = useValidationStore((s) => s.view);
  const selectedKey = useValidationStore((s) => s.selectedKey);
  const select = useValidationStore((s) => s.select);
  const setSort = useValidationStore((s) => s.setSort);
  const setFilter = useValidationStore((s) => s.setFilter);
  const setFailuresOnly = useValidationStore((s) => s.setFailuresOnly);
  const rows = useMemo(() => visibleCertificates(report, view), [report, view]);

  if (!report) return null;
  const selected = report.certificates.find((c) => certificateKey(c) === selectedKey) ?? null;
  const problems = report.structure.problems;
  const total = report.certificates.length;

  return (
    <section className="results" aria-labelledby="results-title">
      <div className="results-head">
        <h2 id="results-title" className="card-title">
          Results
        </h2>
        <span className="results-meta">
          {run ? `Run ${run.id} · ${formatDateTime(run.startedAt)} · ` : ''}
          <span className="mono">{report.root}</span>
        </span>
        <span className="toolbar-spacer" />
        <ul className="summary" aria-label="Summary">
          {/* A zero count is neutral, so colour only draws the eye to what needs attention. */}
          <li>
            <StatusBadge status={report.summary.ok ? 'ok' : 'skipped'} text={`${report.summary.ok} passed`} />
          </li>
          <li>
            <StatusBadge status={report.summary.warning ? 'warning' : 'skipped'} text={`${report.summary.warning} with warnings`} />
          </li>
          <li>
            <StatusBadge status={report.summary.fail ? 'fail' : 'skipped'} text={`${report.summary.fail} failed`} />
          </li>
        </ul>
      </div>

      {problems.length > 0 ? (
        <div className="structure-problems" role="region" aria-labelledby="structure-title">
          <h3 id="structure-title" className="structure-title">
            <span aria-hidden="true">✗ </span>
            Share structure: {problems.length === 1 ? '1 problem' : `${problems.length} problems`}
          </h3>
          <ul>
            {problems.map((p, i) => (
              <li key={`${p.code}-${p.path}-${i}`}>
                <span className="chip chip-small chip-fail">{p.code}</span> <span className="mono">{p.path}</span> — {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="structure-ok">
          <span aria-hidden="true">✓ </span>Share structure matches the layout the PEP expects.
        </p>
      )}

      <div className="filter-bar">
        <div className="search">
          <SearchIcon />
          <label htmlFor="results-filter" className="sr-only">
            Filter certificates
          </label>
          <input
            id="results-filter"
            type="search"
            className="input input-search"
            placeholder="Filter by endpoint, file or DNS name"
            value={view.filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={view.failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} />
          <span>Failures only</span>
        </label>
        <span className="toolbar-spacer" />
        <span className="filter-count" aria-live="polite">
          {rows.length === total ? `${total} certificates` : `Showing ${rows.length} of ${total} certificates`}
        </span>
      </div>

      {total === 0 ? (
        <p className="empty-inline">No certificate was found in the share.</p>
      ) : (
        <div className="results-split">
          <ResultsTable rows={rows} view={view} selectedKey={selectedKey} onSelect={select} onSort={setSort} />
          <aside className="detail-pane" aria-label="Certificate details">
            {selected ? <CertificateDetail cert={selected} /> : <p className="empty-inline">Select a certificate to see its checks.</p>}
          </aside>
        </div>
      )}
    </section>
  );
}

/** The Certificates workspace. */
export function CertificatesWorkspace() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const stamp = useStampsStore((s) => s.stamps.find((x) => x.id === activeStampId) ?? null);
  const job = useValidationStore((s) => s.job);
  const runNotice = useValidationStore((s) => s.runNotice);
  const exportState = useValidationStore((s) => s.exportState);
  const report = useValidationStore((s) => s.report);

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Certificates</h1>
        <p className="toolbar-sub">Readiness-Checker-equivalent validation of a rotation share.</p>
        <span className="toolbar-spacer" />
        <ExportButtons />
      </div>
      <div className="live-notice" role="status" aria-live="polite">
        {exportState.message}
      </div>
      <div className="workspace-body">
        <div className="cert-top">
          <ShareForm stamp={stamp} />
          <RunHistory />
        </div>
        {job ? <RunProgress job={job} /> : null}
        {runNotice ? <ErrorMessage error={runNotice.error} tone={runNotice.tone} /> : null}
        {exportState.error ? <ErrorMessage error={exportState.error} /> : null}
        {report ? (
          <Results />
        ) : !job ? (
          <p className="empty results-empty">Start a validation, or open an earlier run from the history, to see results here.</p>
        ) : null}
      </div>
    </div>
  );
}
