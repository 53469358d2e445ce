/**
 * Rotation runs: pre-flight, the PEP run with its persisted state machine, outcomes, liveness and JSON.
 *
 * The CLI's `rotate`/`runs` commands and the app's rotation channels both go through here.
 */
export { executeRotation, type RotationOutcome, type RotationRunOptions, type SimulatorLauncher } from './rotation-runner';
export {
  runPreflight,
  estimateSeconds,
  findExecutable,
  DEFAULT_PEP_USER,
  REHEARSAL_PFX_FILES_PATH,
  REHEARSAL_SHARE_USER,
  type PreflightCheck,
  type PreflightOptions,
  type PreflightResult,
  type RotationPlan,
  type RotationRequest,
  type RotationSecrets,
} from './preflight';
export { decideOutcome, type OutcomeDecision, type OutcomeInput } from './outcome';
export { currentOwner, interruptedGuidance, interruptedOutcome, isProcessAlive, ownerIsGone, reconcileInterrupted, HEARTBEAT_MS, STALE_AFTER_MS, type LivenessProbe } from './liveness';
export { runJson, runListJson, runSummaryJson, type RunEventJson, type RunJson } from './run-json';
export { endedWithoutEffect, lastRotationOnStamp, lastRotationRuns, runsOnStamp } from './stamp-history';
export { latestShareBackup, restoreSince, type ShareBackup } from './share-backup';
