/**
 * Support bundles: build, preview, write, verify and open for review.
 *
 * Everything outside this folder uses these functions; the zip format stays here.
 */
export { BUNDLE_FORMAT, ENTRY, MANIFEST_NAME, MAX_ENTRY_BYTES, unsafeNameReason, type BundleManifest } from './bundle-format';
export { buildBundle, previewOf, writeBundle, type BuiltBundle, type BundlePreview, type BundleRequest } from './create-bundle';
export { createRedactor, NO_MASKING, parseMaskList, type MaskOptions, type Redactor } from './redaction';
export { openReview, REVIEW_DIR, type OpenReview, type ReviewSummary } from './review';
export { contentsOf, reviewDashboard, reviewRotationRun, type ParsedReview } from './review-contents';
export { BundleRefusedError, verifyBundle, type BundleProblem, type VerifiedBundle } from './verify-bundle';
