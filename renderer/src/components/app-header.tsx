/**
 * The header bar: the active stamp selector and what that stamp is, and — while a support bundle is open —
 * the review band naming the bundle, its source stamp and the app version that made it.
 *
 * Every workspace works on the active stamp, so it is always visible and changeable from one place.
 */
import { formatDateTime } from '../lib/format';
import { useAppStore } from '../stores/app-store';
import { useLogsStore } from '../stores/logs-store';
import { useReviewStore } from '../stores/review-store';
import { useStampsStore } from '../stores/stamps-store';

function ReviewBand() {
  const review = useReviewStore((s) => s.review);
  const closeReview = useLogsStore((s) => s.closeReview);
  if (!review) return null;
  const sources = review.sourceStamps;
  return (
    <div className="review-band" role="region" aria-label="Review mode: read-only">
      <span className="review-badge">Review mode</span>
      <p className="review-band-text">
        <span className="mono">{review.bundleName}</span> · source stamp <strong>{sources.length === 0 ? 'not named' : sources.join(', ')}</strong> · made by
        Rotation Workbench <strong>{review.appVersion}</strong> on {formatDateTime(review.createdAt)} · read-only
      </p>
      <button type="button" className="btn btn-small" onClick={() => void closeReview()}>
        Close review
      </button>
    </div>
  );
}

/** Header with the active stamp selector. */
export function AppHeader() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const setActiveStamp = useAppStore((s) => s.setActiveStamp);
  const stamps = useStampsStore((s) => s.stamps);
  const active = stamps.find((s) => s.id === activeStampId) ?? null;
  const reviewing = useReviewStore((s) => s.review !== null);

  return (
    <header className={`app-header${reviewing ? ' app-header-review' : ''}`}>
      <div className="app-header-row">
        <div className="stamp-picker">
          <label htmlFor="active-stamp" className="stamp-picker-label">
            {reviewing ? 'Stamp in the bundle' : 'Active stamp'}
          </label>
          <select
            id="active-stamp"
            className="select"
            value={active ? String(active.id) : ''}
            onChange={(e) => setActiveStamp(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{reviewing ? 'None (all of the bundle)' : 'No stamp (ad hoc)'}</option>
            {stamps.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        {active ? (
          <dl className="stamp-facts" aria-label="Active stamp details">
            <div>
              <dt>Identity</dt>
              <dd>{active.identity === 'adfs' ? 'AD FS' : 'Azure AD'}</dd>
            </div>
            <div>
              <dt>Domain</dt>
              <dd className="mono">
                {active.region}.{active.externalFqdn}
              </dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{active.version}</dd>
            </div>
            {active.rehearsal ? (
              <div>
                <dt className="sr-only">Mode</dt>
                <dd>
                  <span className="badge badge-info">Rehearsal</span>
                </dd>
              </div>
            ) : null}
          </dl>
        ) : (
          <p className="stamp-facts-empty">
            {reviewing ? 'The bundle holds no stamp profile: its runs and logs are shown as they are.' : 'Working without a stamp profile: enter region and domain where needed.'}
          </p>
        )}
      </div>
      <ReviewBand />
    </header>
  );
}
