/**
 * Progress of the running validation: bar, done / total, current file, elapsed time and Cancel.
 */
import { StopIcon } from '../../components/icons';
import { formatElapsed } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import type { Job } from '../../stores/validation-store';
import { useValidationStore } from '../../stores/validation-store';

/** The progress panel of a running job. */
export function RunProgress({ job }: { job: Job }) {
  const cancel = useValidationStore((s) => s.cancel);
  const now = useNow(true);
  const counted = job.total > 0;
  return (
    <section className="card progress-card" aria-labelledby="progress-title">
      <div className="progress-head">
        <h2 id="progress-title" className="card-title">
          {job.cancelling ? 'Cancelling…' : 'Validating…'}
        </h2>
        <span className="progress-elapsed" aria-label={`Elapsed time ${formatElapsed(now - job.startedAt)}`}>
          {formatElapsed(now - job.startedAt)}
        </span>
        <button type="button" className="btn" disabled={job.cancelling || job.jobId === null} onClick={() => void cancel()}>
          <StopIcon />
          Cancel
        </button>
      </div>
      {counted ? (
        <progress className="progress" max={job.total} value={job.done} aria-labelledby="progress-title" />
      ) : (
        <progress className="progress" aria-labelledby="progress-title" />
      )}
      <div className="progress-text">
        <span aria-live="polite" className="progress-count">
          {counted ? `${job.done} of ${job.total} certificates checked` : 'Reading the share…'}
        </span>
        {job.file ? (
          <span className="progress-file mono" title={job.file}>
            {job.file}
          </span>
        ) : null}
      </div>
    </section>
  );
}
