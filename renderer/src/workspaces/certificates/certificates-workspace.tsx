/**
 * The Certificates workspace: validate a share against the active stamp (or ad-hoc values), follow the
 * run, read the results per certificate and check, reopen earlier runs, export a report.
 *
 * Once a report is shown the setup form folds to one line, so the results fit a 1366×768 screen; when a run
 * ends, focus moves to its results, which say what to do next. In review mode the bundle's runs are shown
 * and nothing can be started.
 */
import { useEffect, useMemo } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon, SearchIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime, humanizeDates } from '../../lib/format';
import { goBackUpShare, goEditStamp } from '../../lib/next-step';
import { certificateKey, stampLevelFindings, visibleCertificates, type StampLevelFinding } from '../../lib/report-view';
import { useAppStore } from '../../stores/app-store';
import { useReadOnly } from '../../stores/review-store';
import type { Stamp } from '../../../../shared/stamps/stamp';
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
  // Exports read the operator's own history; a bundle's report is read here, not re-exported as theirs.
  const readOnly = useReadOnly();
  const disabled = !run || !report || busy !== null || readOnly;
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

function StampLevelWarnings({ findings, stamp }: { findings: StampLevelFinding[]; stamp: Stamp | null }) {
  const readOnly = useReadOnly();
  const expandForm = useValidationStore((s) => s.expandForm);
  if (findings.length === 0) return null;
  const count = (n: number) => (n === 1 ? '1 certificate' : `${n} certificates`);
  return (
    <div className="stamp-level" role="region" aria-labelledby="stamp-level-title">
      <h3 id="stamp-level-title" className="stamp-level-title">
        <span aria-hidden="true">! </span>
        {findings.length === 1 ? 'Stamp-level warning' : `${findings.length} stamp-level warnings`}: about {stamp ? `the profile of ${stamp.name}` : 'the values entered'}, not the certificates
      </h3>
      <ul className="stamp-level-list">
        {findings.map((f) => (
          <li key={f.kind}>
            <p className="stamp-level-text">
              {f.kind === 'unknown-current-ca' ? (
                <>
                  <strong>Current CA kind unknown</strong>: the CA-transition check could not judge {count(f.endpoints.length)}.{' '}
                  <span className="check-remediation-label">Fix: </span>
                  {stamp
                    ? `set Current CA kind in the profile of ${stamp.name} to the CA that issued the certificates in use now (a probe in Dashboard can tell), then validate again.`
                    : 'choose the Current CA kind in the form — the CA that issued the certificates in use now — then validate again.'}
                </>
              ) : (
                <>
                  <strong>Stamp version unknown</strong>: the CA-transition check could not tell whether the version supports the move ({count(f.endpoints.length)}).{' '}
                  <span className="check-remediation-label">Fix: </span>
                  {stamp ? `enter the version (YYMM) in the profile of ${stamp.name}, then validate again.` : 'enter the stamp version (YYMM) in the form, then validate again.'}
                </>
              )}
            </p>
            {readOnly ? null : stamp ? (
              <button type="button" className="btn btn-small" onClick={() => goEditStamp(stamp.id, f.kind === 'unknown-current-ca' ? 'stamp-ca' : 'stamp-version')}>
                Edit stamp {stamp.name}
              </button>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => expandForm(f.kind === 'unknown-current-ca' ? 'share-ca' : 'share-root')}>
                {f.kind === 'unknown-current-ca' ? 'Choose the current CA kind' : 'Enter the version'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function NextStep() {
  const report = useValidationStore((s) => s.report);
  const readOnly = useReadOnly();
  const expandForm = useValidationStore((s) => s.expandForm);
  if (!report) return null;
  const blocked = report.summary.fail > 0 || report.structure.problems.length > 0;
  // A review has no next step to take: the band in the header already says it is read-only.
  if (readOnly) return null;
  return (
    <div className={`next-step${blocked ? ' next-step-blocked' : ''}`}>
      <p className="next-step-text">
        <strong>Next step: </strong>
        {blocked
          ? 'fix what failed (each problem below says how), put the new files on the share, then validate again.'
          : 'back up the share before the rotation, so a failed run can be restored and rerun.'}
      </p>
      {blocked ? (
        <button type="button" className="btn btn-primary btn-small" onClick={() => expandForm('share-root')}>
          Validate a share again
        </button>
      ) : (
        <button type="button" className="btn btn-primary btn-small" onClick={() => goBackUpShare(report.root)}>
          Back up the share in Prepare
        </button>
      )}
    </div>
  );
}

function Results({ stamp }: { stamp: Stamp | null }) {
  const report = useValidationStore((s) => s.report);
  const run = useValidationStore((s) => s.run);
  const view = useValidationStore((s) => s.view);
  const selectedKey = useValidationStore((s) => s.selectedKey);
  const select = useValidationStore((s) => s.select);
  const setSort = useValidationStore((s) => s.setSort);
  const setFilter = useValidationStore((s) => s.setFilter);
  const setFailuresOnly = useValidationStore((s) => s.setFailuresOnly);
  const rows = useMemo(() => visibleCertificates(report, view), [report, view]);
  const findings = useMemo(() => stampLevelFindings(report), [report]);

  if (!report) return null;
  const selected = report.certificates.find((c) => certificateKey(c) === selectedKey) ?? null;
  const problems = report.structure.problems;
  const total = report.certificates.length;

  return (
    <section className="results" aria-labelledby="results-title">
      <div className="results-head">
        <h2 id="results-title" className="card-title" tabIndex={-1}>
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
                <span className="chip chip-small chip-fail">{p.code}</span> <span className="mono">{p.path}</span> — {humanizeDates(p.message)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="structure-ok">
          <span aria-hidden="true">✓ </span>Share structure matches the layout the PEP expects.
        </p>
      )}

      <NextStep />
      <StampLevelWarnings findings={findings} stamp={stamp} />

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
          {/* Focusable: its content scrolls, and keyboard users must be able to scroll it (axe scrollable-region-focusable). */}
          <aside className="detail-pane" aria-label="Certificate details" tabIndex={0}>
            {selected ? <CertificateDetail cert={selected} /> : <p className="empty-inline">Select a certificate to see its checks.</p>}
          </aside>
        </div>
      )}
    </section>
  );
}

/** The folded setup form: what the shown report validated, and a way back to a new run. */
function SetupSummary({ stamp }: { stamp: Stamp | null }) {
  const report = useValidationStore((s) => s.report);
  const run = useValidationStore((s) => s.run);
  const expandForm = useValidationStore((s) => s.expandForm);
  return (
    <section className="card setup-summary" aria-labelledby="setup-summary-title">
      <h2 id="setup-summary-title" className="card-title">
        Validate a share
      </h2>
      <div className="setup-summary-row">
      <p className="setup-summary-text">
        {run ? `Run ${run.id} validated ` : 'Validated '}
        <span className="mono">{report?.root ?? ''}</span> against {stamp ? stamp.name : `${report?.region ?? ''}.${report?.fqdn ?? ''}`}
        {run ? ` on ${formatDateTime(run.startedAt)}` : ''}.
      </p>
      <button type="button" className="btn" aria-expanded={false} onClick={() => expandForm('share-root')}>
        New validation…
      </button>
      </div>
    </section>
  );
}

/** Review mode's stand-in for the setup form: the runs are the customer's, nothing starts from here. */
function ReviewNote() {
  const run = useValidationStore((s) => s.run);
  return (
    <section className="card setup-summary" aria-labelledby="setup-review-title">
      <h2 id="setup-review-title" className="card-title">
        Validation runs in the bundle
      </h2>
      <p className="setup-summary-text">
        {run ? (
          <>
            Run {run.id} of <span className="mono">{run.root}</span>, made {formatDateTime(run.startedAt)} on the customer's machine.
          </>
        ) : (
          'Choose a run from the bundle in History.'
        )}{' '}
        Nothing can be validated here: the share and its password stay with the customer.
      </p>
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
  const collapsed = useValidationStore((s) => s.formCollapsed);
  const focusTarget = useValidationStore((s) => s.focusTarget);
  const readOnly = useReadOnly();

  useEffect(() => {
    if (!focusTarget) return;
    // After the render that shows the target: the results, or the notice that says why there are none.
    const id = requestAnimationFrame(() => {
      const target =
        focusTarget === 'results'
          ? (document.getElementById('results-title') ?? document.querySelector<HTMLElement>('.run-notice'))
          : document.getElementById(focusTarget);
      target?.focus();
      useValidationStore.getState().focused();
    });
    return () => cancelAnimationFrame(id);
  }, [focusTarget, collapsed, report]);

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
        <div className={`cert-top${collapsed || readOnly ? ' cert-top-collapsed' : ''}`}>
          {readOnly ? <ReviewNote /> : collapsed && !job ? <SetupSummary stamp={stamp} /> : <ShareForm stamp={stamp} />}
          <RunHistory />
        </div>
        {job ? <RunProgress job={job} /> : null}
        {runNotice ? (
          <div className="run-notice" tabIndex={-1}>
            <ErrorMessage error={runNotice.error} tone={runNotice.tone} />
          </div>
        ) : null}
        {exportState.error ? <ErrorMessage error={exportState.error} /> : null}
        {report ? (
          <Results stamp={stamp} />
        ) : !job ? (
          <p className="empty results-empty">
            {readOnly ? 'The bundle holds no validation report: it was made without a validation run.' : 'Start a validation, or open an earlier run from the history, to see results here.'}
          </p>
        ) : null}
      </div>
    </div>
  );
}
