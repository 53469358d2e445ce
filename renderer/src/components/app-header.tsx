/**
 * The header bar: the active stamp selector and what that stamp is.
 *
 * Every workspace works on the active stamp, so it is always visible and changeable from one place.
 */
import { useAppStore } from '../stores/app-store';
import { useLogsStore } from '../stores/logs-store';
import { useStampsStore } from '../stores/stamps-store';

/** Header with the active stamp selector. */
export function AppHeader() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const setActiveStamp = useAppStore((s) => s.setActiveStamp);
  const stamps = useStampsStore((s) => s.stamps);
  const active = stamps.find((s) => s.id === activeStampId) ?? null;
  // Review mode is app-wide (the backend refuses every change), so it is named in every workspace.
  const review = useLogsStore((s) => s.review);

  return (
    <header className="app-header">
      <div className="stamp-picker">
        <label htmlFor="active-stamp" className="stamp-picker-label">
          Active stamp
        </label>
        <select
          id="active-stamp"
          className="select"
          value={active ? String(active.id) : ''}
          onChange={(e) => setActiveStamp(e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">No stamp (ad hoc)</option>
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
        <p className="stamp-facts-empty">Working without a stamp profile: enter region and domain where needed.</p>
      )}
      {review ? (
        <p className="header-review" role="status">
          <span className="review-badge">Review mode</span> <span className="mono">{review.bundleName}</span> — read-only
        </p>
      ) : null}
    </header>
  );
}
