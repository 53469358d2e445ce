/**
 * The Logs workspace's sidebar icon: lines of text under a magnifier, with an amber dot in review mode.
 *
 * The icon is the one piece of the Logs workspace that is always on screen, so it carries the review-mode
 * cue into every other workspace (where the backend refuses changes while a bundle is open).
 */
import { useEffect } from 'react';
import { call } from '../../lib/ipc';
import { useLogsStore } from '../../stores/logs-store';

/** Lines with a magnifier: the Logs workspace. */
export function LogsIcon() {
  const reviewing = useLogsStore((s) => s.review !== null);
  useEffect(() => {
    // A window reloaded during a review learns of it here, before the Logs workspace is opened again.
    void call((api) => api.review.status({})).then((result) => {
      if (result.ok && result.value.review && useLogsStore.getState().review === null) useLogsStore.setState({ review: result.value.review });
    });
  }, []);
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M2.5 3.5h11M2.5 6.5h7M2.5 9.5h4M2.5 12.5h4" />
      <circle cx="11" cy="11" r="2.25" />
      <path d="M12.7 12.7l1.8 1.8" />
      {reviewing ? <circle className="logs-icon-review" cx="13.5" cy="2.5" r="2.5" fill="var(--warning)" stroke="none" /> : null}
    </svg>
  );
}
