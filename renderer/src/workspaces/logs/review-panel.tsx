/**
 * Review mode: open a support bundle read-only, and the banner that says so while it is open.
 */
import type { ReviewSummary } from '../../../../shared/ipc/logs-contract';
import { ErrorMessage } from '../../components/error-message';
import { FolderIcon } from '../../components/icons';
import { formatDateTime } from '../../lib/format';
import { useLogsStore } from '../../stores/logs-store';

/** The banner shown above the logs while a bundle is open for review. */
export function ReviewBanner({ review }: { review: ReviewSummary }) {
  const closeReview = useLogsStore((s) => s.closeReview);
  const masked = (['ips', 'hosts', 'users'] as const).filter((k) => review.masked[k]);
  return (
    <div className="review-banner" role="region" aria-label="Review mode">
      <span className="review-badge">Review mode</span>
      <div className="review-banner-body">
        <p className="review-banner-title">
          Support bundle <span className="mono">{review.bundleName}</span> — read-only
        </p>
        <p className="review-banner-text">
          Made {formatDateTime(review.createdAt)} by Rotation Workbench {review.appVersion} · {review.eventCount.toLocaleString('en-US')} events ·{' '}
          {review.runs.length > 0 ? review.runs.join(', ') : 'all runs'} · masked: {masked.length > 0 ? masked.join(', ') : 'secrets only'}. Nothing
          here can start a PEP action or change your stamps.
        </p>
      </div>
      <button type="button" className="btn" onClick={() => void closeReview()}>
        Close review
      </button>
    </div>
  );
}

/** The card that opens a bundle for review. */
export function ReviewPanel() {
  const path = useLogsStore((s) => s.reviewPath);
  const busy = useLogsStore((s) => s.reviewBusy);
  const error = useLogsStore((s) => s.reviewError);
  const review = useLogsStore((s) => s.review);
  const setReviewPath = useLogsStore((s) => s.setReviewPath);
  const openReview = useLogsStore((s) => s.openReview);
  return (
    <section className="card log-panel" aria-labelledby="review-title">
      <h2 id="review-title" className="card-title">
        Review a bundle
      </h2>
      <p className="log-panel-text">
        Opens a support bundle in a separate, read-only database after checking every entry against its manifest. A changed, cut or unsafe
        bundle is refused.
      </p>
      <form
        className="review-form"
        onSubmit={(e) => {
          e.preventDefault();
          void openReview(false);
        }}
      >
        <label htmlFor="review-path" className="field-label">
          Bundle file
        </label>
        <div className="input-group">
          <input id="review-path" className="input mono" placeholder="C:\Support\support-bundle.zip" value={path} onChange={(e) => setReviewPath(e.target.value)} />
          <button type="button" className="btn" disabled={busy} onClick={() => void openReview(true)}>
            <FolderIcon />
            Browse…
          </button>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Verifying…' : review ? 'Open another bundle' : 'Open for review'}
        </button>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}
