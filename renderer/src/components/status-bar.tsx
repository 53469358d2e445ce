/**
 * The status bar: app version, data folder and the last job's outcome.
 *
 * The job part is a polite live region so a finished validation is announced without stealing focus.
 */
import { formatDateTime } from '../lib/format';
import { useAppStore } from '../stores/app-store';
import type { LastJob } from '../stores/app-store';

const JOB_WORDS: Record<LastJob['status'], string> = {
  running: 'running',
  ok: 'passed',
  warning: 'passed with warnings',
  fail: 'found failures',
  cancelled: 'cancelled',
  error: 'stopped with an error',
};

/** The bottom status bar. */
export function StatusBar() {
  const info = useAppStore((s) => s.info);
  const lastJob = useAppStore((s) => s.lastJob);
  return (
    <footer className="status-bar">
      <span className="status-bar-item">Version {info?.version ?? '…'}</span>
      <span className="status-bar-item status-bar-path" title={info?.dataDir}>
        Data folder: <span className="mono">{info?.dataDir ?? '…'}</span>
      </span>
      <span className={`status-bar-item status-bar-job${lastJob ? ` job-${lastJob.status}` : ''}`} role="status" aria-live="polite">
        {lastJob
          ? `Last job: ${lastJob.label} ${JOB_WORDS[lastJob.status]}${lastJob.status === 'running' ? '' : ` · ${formatDateTime(lastJob.at)}`}`
          : 'No job run yet'}
      </span>
    </footer>
  );
}
