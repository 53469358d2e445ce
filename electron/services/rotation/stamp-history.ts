/**
 * What the run history says about a stamp: the last rotation the PEP ran on it, and each procedure's last
 * run that counts as an outcome.
 *
 * The PEP remembers a failed `Start-SecretRotation` per stamp, not per profile row of this app: the next
 * run on that stamp — region and external FQDN — must be `-ReRun`, whichever profile recorded the failure.
 * External and internal rotations share that rule (the simulator keeps them in one plan family too), so a
 * failed internal rotation blocks a plain external one. Rehearsals and real runs stay apart: the simulated
 * stamp and the real one have separate histories.
 */
import type { RotationKind } from '../../../shared/rotation/rotation-run';
import { ROTATION_KINDS, stampKey } from '../../../shared/rotation/rotation-run';
import type { Stamp } from '../../../shared/stamps/stamp';
import type { Store, StoredRotationRun } from '../store';

/** How many runs are searched; far more than a stamp sees in years of quarterly rotations. */
const HISTORY_WINDOW = 5000;

/**
 * The stamp key a run was recorded for: the one in its parameters (runs record it from now on), else the
 * key of its profile as it is now (older runs), else null (a deleted profile of an older run).
 */
function runStampKey(run: StoredRotationRun, profiles: ReadonlyMap<number, Stamp>): string | null {
  const recorded = run.parameters.stampKey;
  if (typeof recorded === 'string' && recorded) return recorded;
  const profile = run.stampId !== null ? profiles.get(run.stampId) : undefined;
  return profile ? stampKey(profile.region, profile.externalFqdn) : null;
}

/**
 * Runs on the same stamp as `stamp` (same region and FQDN, any profile), rehearsals or real runs, newest
 * first.
 */
export function runsOnStamp(store: Store, stamp: Pick<Stamp, 'region' | 'externalFqdn'>, rehearsal: boolean): StoredRotationRun[] {
  const key = stampKey(stamp.region, stamp.externalFqdn);
  const profiles = new Map(store.stamps.list().map((s) => [s.id, s]));
  return store.rotations.list({ limit: HISTORY_WINDOW }).filter((r) => r.rehearsal === rehearsal && runStampKey(r, profiles) === key);
}

/**
 * The newest `Start-SecretRotation` (external or internal) among a stamp's runs (`runsOnStamp`) that
 * started an action plan, or null: the run whose end decides whether the PEP accepts a plain run or only
 * `-ReRun`.
 */
export function lastRotationOnStamp(stampRuns: readonly StoredRotationRun[]): StoredRotationRun | null {
  const reached = stampRuns.filter((r) => r.kind !== 'bmc' && r.pepStartedAt !== null);
  // Ordered by when the plan started, not when the run was created: pre-flight can take a while.
  reached.sort((a, b) => (b.pepStartedAt! < a.pepStartedAt! ? -1 : b.pepStartedAt! > a.pepStartedAt! ? 1 : b.id - a.id));
  return reached[0] ?? null;
}

/**
 * True when a run ended without the PEP starting anything: refused by pre-flight or the readiness test,
 * no session opened, the PEP refusing to start, or cancelled before the rotation.
 *
 * Such a run says nothing about the stamp, so it must not stand in for the stamp's last rotation outcome
 * (it would hide an earlier failure that still binds the next run to `-ReRun`).
 */
export function endedWithoutEffect(run: StoredRotationRun): boolean {
  return run.state === 'failed' && !run.reachedPep;
}

/**
 * Per procedure, the last run of a profile that counts as an outcome on the stamp (`stamp show`).
 *
 * Active and interrupted runs count (the second is "outcome unknown", worth knowing); runs that ended
 * without effect do not.
 */
export function lastRotationRuns(store: Store, profileName: string): Record<RotationKind, StoredRotationRun | null> {
  const runs = store.rotations.list({ stampName: profileName, limit: HISTORY_WINDOW }).filter((r) => !endedWithoutEffect(r));
  return Object.fromEntries(ROTATION_KINDS.map((kind) => [kind, runs.find((r) => r.kind === kind) ?? null])) as Record<RotationKind, StoredRotationRun | null>;
}
