/**
 * What Procedures and Prepare show in review mode.
 *
 * Procedures shows the checklist states the bundle carries (each step with its confirmation, if any); the
 * automatic items are not judged again, since their evidence is the customer's. Prepare acts on this
 * machine's shares, keys and files, none of which a bundle holds, so it says so instead of offering actions.
 */
import type { ComponentType } from 'react';
import { findProcedure } from '../../../../shared/procedures/definitions';
import { formatDateTime } from '../../lib/format';
import { useReviewStore, useReadOnly } from '../../stores/review-store';

/** The bundle's checklist states, read-only. */
export function ReviewChecklists() {
  const checklists = useReviewStore((s) => s.contents?.checklists ?? []);
  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Procedures</h1>
        <p className="toolbar-sub">The checklist states in the support bundle (read-only).</p>
      </div>
      <div className="workspace-body">
        {checklists.length === 0 ? (
          <div className="empty">
            <p className="empty-title">The bundle holds no checklist</p>
            <p>No procedure was started for the stamps it is about, or it was made by a version without checklists.</p>
          </div>
        ) : (
          checklists.map((c) => {
            const definition = findProcedure(c.procedureId);
            const confirmed = new Map(c.confirmations.map((x) => [x.stepId, x]));
            return (
              <section key={c.id} className="card" aria-labelledby={`review-checklist-${c.id}`}>
                <h2 id={`review-checklist-${c.id}`} className="card-title">
                  {definition?.title ?? c.procedureId} · {c.stamp}
                </h2>
                <p className="setup-summary-text">
                  Checklist {c.id}, version {c.stampVersion} · {c.state === 'open' ? 'in progress' : c.state} · started {formatDateTime(c.startedAt)}
                  {c.finishedAt ? ` · closed ${formatDateTime(c.finishedAt)}` : ''} · {c.confirmations.length} step(s) confirmed. Automatic items are
                  judged from the customer's records and are not judged again here.
                </p>
                <ol className="review-steps">
                  {(definition?.steps ?? []).map((step) => {
                    const confirmation = confirmed.get(step.id);
                    return (
                      <li key={step.id} className={confirmation ? 'review-step review-step-done' : 'review-step'}>
                        <span className="review-step-glyph" aria-hidden="true">
                          {confirmation ? '✓' : '○'}
                        </span>
                        <span className="review-step-title">{step.title}</span>
                        <span className="review-step-state">
                          {confirmation
                            ? `Confirmed ${formatDateTime(confirmation.confirmedAt)} by ${confirmation.actor}${confirmation.note ? `: ${confirmation.note}` : ''}`
                            : 'Not confirmed in the bundle'}
                        </span>
                      </li>
                    );
                  })}
                </ol>
              </section>
            );
          })
        )}
      </div>
    </div>
  );
}

/** Prepare in review mode: nothing of it is in a bundle. */
export function ReviewPrepare() {
  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Prepare</h1>
        <p className="toolbar-sub">Requests, PFX files and the rotation share, ready before the PEP run.</p>
      </div>
      <div className="workspace-body">
        <div className="empty">
          <p className="empty-title">Nothing to prepare in a review</p>
          <p>
            Preparation works on this machine's certificate requests, keys, PFX files and shares. A support bundle holds none of them; its
            validation reports are in Certificates and its events in Logs. Close the review to prepare your own shares.
          </p>
        </div>
      </div>
    </div>
  );
}

/** A workspace that shows `review` instead of `live` while a bundle is open. */
export function reviewAware(live: ComponentType, review: ComponentType): ComponentType {
  function ReviewAware() {
    const readOnly = useReadOnly();
    const Shown = readOnly ? review : live;
    return <Shown />;
  }
  return ReviewAware;
}
