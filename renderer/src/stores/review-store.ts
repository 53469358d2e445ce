/**
 * Whether a support bundle is open for review, and what it holds.
 *
 * A leaf module on purpose: every workspace store asks it where to read from (the bundle or the operator's
 * own database) without importing the stores that switch modes (`review-mode.ts` does that).
 */
import { create } from 'zustand';
import type { ReviewSummary } from '../../../shared/ipc/logs-contract';
import type { ReviewContents } from '../../../shared/ipc/review-contract';

/** The open review, if any. */
export interface ReviewState {
  review: ReviewSummary | null;
  /** The bundle's stamps, run lists and checklists; null until read (or outside review mode). */
  contents: ReviewContents | null;
}

/** The review store. */
export const useReviewStore = create<ReviewState>()(() => ({ review: null, contents: null }));

/** True while a bundle is open: every workspace is then read-only and shows the bundle. */
export function isReviewing(): boolean {
  return useReviewStore.getState().review !== null;
}

/** The open bundle's contents, or null. */
export function reviewContents(): ReviewContents | null {
  return useReviewStore.getState().contents;
}

/** React hook: true while a bundle is open for review (mutating controls are then disabled). */
export function useReadOnly(): boolean {
  return useReviewStore((s) => s.review !== null);
}

/**
 * The time days-left figures are counted at: the bundle's creation in review mode (what the customer had
 * left when they sent it), else now.
 */
export function referenceTime(): number {
  const contents = reviewContents();
  return contents ? Date.parse(contents.createdAt) : Date.now();
}

/** React hook of `referenceTime`. */
export function useReferenceTime(): number {
  const createdAt = useReviewStore((s) => s.contents?.createdAt ?? null);
  return createdAt ? Date.parse(createdAt) : Date.now();
}
