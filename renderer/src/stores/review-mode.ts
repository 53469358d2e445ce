/**
 * Switching the whole app into and out of review mode.
 *
 * Opening a bundle replaces what every workspace shows: the stamp picker lists the bundle's stamps (its
 * source stamp made active), Certificates its validation runs, Rotate its rotation runs, the Dashboard its
 * certificates, Procedures its checklist states. Closing it puts the operator's own data and active stamp
 * back. Each workspace store reads from the bundle while `isReviewing()` (see `review-store.ts`), so here
 * the stores only need to be emptied and reloaded.
 */
import type { ReviewSummary } from '../../../shared/ipc/logs-contract';
import { call } from '../lib/ipc';
import { useAppStore } from './app-store';
import { useDashboardStore } from './dashboard-store';
import { useProceduresStore } from './procedures-store';
import { useReviewStore } from './review-store';
import { useRotationStore } from './rotation-store';
import { useStampsStore } from './stamps-store';
import { useValidationStore } from './validation-store';

/** The operator's own active stamp, put back when the review closes. */
let liveActiveStampId: number | null = null;

function clearWorkspaces(): void {
  useValidationStore.setState({ run: null, report: null, selectedKey: null, runs: [], runsLoaded: false, runNotice: null, loadingRunId: null, startError: null });
  useRotationStore.setState({ viewed: null, runs: [], runsLoaded: false, preflight: null, preflightKey: null, error: null, confirmingCancel: false, revealRunId: null });
  useDashboardStore.setState({ stampId: null, dashboard: null, error: null });
  useProceduresStore.setState({ stampId: null, runs: [], runsLoaded: false, checklist: null, draft: null, error: null, notice: null });
}

/**
 * Puts the app in review mode for `summary`: reads the bundle's contents, shows its source stamp, and opens
 * its newest validation and rotation runs so each workspace starts on what the bundle is about.
 */
export async function enterReview(summary: ReviewSummary): Promise<void> {
  const result = await call((api) => api.review.contents({}));
  if (!useReviewStore.getState().review) liveActiveStampId = useAppStore.getState().activeStampId;
  useReviewStore.setState({ review: summary, contents: result.ok ? result.value : null });
  clearWorkspaces();
  const contents = result.ok ? result.value : null;
  const source = contents?.stamps[0] ?? null;
  useAppStore.getState().setActiveStamp(source?.id ?? null);
  await useStampsStore.getState().load();
  await useValidationStore.getState().loadRuns();
  const validation = contents?.validationRuns.find((r) => r.stampId === (source?.id ?? r.stampId)) ?? contents?.validationRuns[0];
  if (validation) await useValidationStore.getState().openRun(validation.id);
  if (source) await useRotationStore.getState().loadRuns(source.id);
  const rotation = contents?.rotationRuns.find((r) => r.stampId === source?.id) ?? null;
  if (rotation) await useRotationStore.getState().openRun(rotation.id);
}

/** Leaves review mode: the operator's stamps, runs and active stamp come back. */
export async function leaveReview(): Promise<void> {
  if (!useReviewStore.getState().review) return;
  useReviewStore.setState({ review: null, contents: null });
  clearWorkspaces();
  useAppStore.getState().setActiveStamp(liveActiveStampId);
  await useStampsStore.getState().load();
  await useValidationStore.getState().loadRuns();
}

/**
 * Asks the backend whether a bundle is open (a window reloaded during a review) and enters review mode if so;
 * resolves once the workspaces read from the right place.
 */
export async function syncReviewMode(): Promise<ReviewSummary | null> {
  const result = await call((api) => api.review.status({}));
  const review = result.ok ? result.value.review : null;
  if (review) await enterReview(review);
  return review;
}
