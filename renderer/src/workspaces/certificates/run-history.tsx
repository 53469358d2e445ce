/**
 * Earlier validation runs (from the app and the CLI); choosing one opens its report.
 */
import { ErrorMessage } from '../../components/error-message';
import { HistoryIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { useReadOnly } from '../../stores/review-store';
import { useValidationStore } from '../../stores/validation-store';

function shortRoot(root: string): string {
  const parts = root.split(/[\\/]+/).filter(Boolean);
  return parts.slice(-3).join('/') || root;
}

/** The run history list. */
export function RunHistory() {
  const runs = useValidationStore((s) => s.runs);
  const runsLoaded = useValidationStore((s) => s.runsLoaded);
  const runsError = useValidationStore((s) => s.runsError);
  const currentRunId = useValidationStore((s) => s.run?.id ?? null);
  const loadingRunId = useValidationStore((s) => s.loadingRunId);
  const openRun = useValidationStore((s) => s.openRun);
  const loadRuns = useValidationStore((s) => s.loadRuns);
  const readOnly = useReadOnly();

  return (
    <section className="card history-card" aria-labelledby="history-title">
      <h2 id="history-title" className="card-title">
        <HistoryIcon />
        {readOnly ? 'History in the bundle' : 'History'}
      </h2>
      {runsError ? <ErrorMessage error={runsError} onDismiss={() => void loadRuns()} /> : null}
      {!runsLoaded ? (
        <p className="empty-inline">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty-inline">
          {readOnly ? 'The bundle holds no validation run.' : 'No validation has run yet. Runs from the app and the command line appear here.'}
        </p>
      ) : (
        <ul className="history-list" aria-label="Validation runs">
          {runs.map((run) => {
            const current = run.id === currentRunId;
            return (
              <li key={run.id}>
                <button
                  type="button"
                  className={current ? 'history-item history-item-current' : 'history-item'}
                  aria-current={current ? 'true' : undefined}
                  aria-busy={loadingRunId === run.id ? true : undefined}
                  onClick={() => void openRun(run.id)}
                >
                  <span className="history-line">
                    <StatusBadge status={run.status} />
                    <span className="history-time">{formatDateTime(run.startedAt)}</span>
                    {run.source === 'cli' ? <span className="chip chip-small">CLI</span> : null}
                  </span>
                  <span className="history-name">{run.stampName ?? 'Ad hoc'}</span>
                  <span className="history-root mono" title={run.root}>
                    {shortRoot(run.root)}
                  </span>
                  <span className="history-counts">
                    <span>{run.summary.ok} passed</span>
                    <span>{run.summary.warning} warnings</span>
                    <span>{run.summary.fail} failed</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
