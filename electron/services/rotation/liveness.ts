/**
 * Tells a live rotation run from one whose process died, and marks the dead ones `interrupted`.
 *
 * Every active run records its owner (process id and host) and a heartbeat. A reader on the same host asks
 * the operating system whether the owner still exists; a heartbeat older than `STALE_AFTER_MS` also counts as
 * dead, which covers owners on another host sharing the data folder and a process id reused by another
 * program. A wrongly marked owner that is in fact alive may still settle its run (`interrupted` is not final).
 */
import { hostname } from 'node:os';
import type { RunPhase } from '../../../shared/rotation/rotation-run';
import type { Store, StoredRotationRun } from '../store';

/** How often an owner records that it is alive. */
export const HEARTBEAT_MS = 5_000;

/** A heartbeat older than this marks the owner as gone. */
export const STALE_AFTER_MS = 120_000;

/** This process as a run owner. */
export function currentOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

/**
 * True when a process with this id exists on this host.
 *
 * Signal 0 checks existence without touching the process; `EPERM` means it exists but belongs to someone else.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What `reconcileInterrupted` needs to know about the world; each field defaults to the real one. */
export interface LivenessProbe {
  now?: () => Date;
  isAlive?: (pid: number) => boolean;
  owner?: { pid: number; host: string };
}

/** True when the owner of an active run is gone. */
export function ownerIsGone(run: StoredRotationRun, probe: LivenessProbe = {}): boolean {
  const now = (probe.now ?? (() => new Date()))();
  const self = probe.owner ?? currentOwner();
  const isAlive = probe.isAlive ?? isProcessAlive;
  if (run.ownerPid === self.pid && run.ownerHost === self.host) return false;
  const beat = run.heartbeatAt ? Date.parse(run.heartbeatAt) : Number.NaN;
  if (!Number.isNaN(beat) && now.getTime() - beat > STALE_AFTER_MS) return true;
  if (run.ownerHost === self.host && run.ownerPid !== null) return !isAlive(run.ownerPid);
  return false;
}

/** The outcome line of a run whose owner died, by how far it got (its recorded phase). */
export function interruptedOutcome(run: StoredRotationRun): string {
  const who = `process ${run.ownerPid ?? '?'} on ${run.ownerHost ?? 'an unknown host'}`;
  if (run.state === 'running' || run.phase === 'rotation') {
    return (
      `Interrupted — outcome unknown: the ${who} that ran this ${run.kind} rotation ended while the PEP was working. ` +
      'The action plan may have continued on the stamp.'
    );
  }
  if (run.phase === 'checks') {
    return `Interrupted before the PEP was contacted: the ${who} ended during the checks on this machine, before PowerShell was started; nothing was sent to the stamp and nothing changed.`;
  }
  if (run.phase === 'pep-session') {
    // PowerShell is a process of its own: it may have outlived the app, so "nothing changed" cannot be promised.
    return (
      `Interrupted before the rotation started: the ${who} ended while PowerShell was opening the PEP session or running the readiness test. ` +
      'No rotation had been started by then, but PowerShell may have gone on without it.'
    );
  }
  return `Interrupted during pre-flight: the ${who} ended before the rotation was started; nothing was changed on the stamp.`;
}

/** What an operator should do about an interrupted run. */
export function interruptedGuidance(run: Pick<StoredRotationRun, 'kind' | 'reachedPep' | 'state'> & { phase?: RunPhase | null }): string {
  if (run.phase === 'checks') return 'Nothing was sent to the stamp: start the run again when ready (without --rerun).';
  if (run.phase === 'pep-session' && run.state !== 'running') {
    const cmdlet = run.kind === 'bmc' ? 'Set-BmcCredential' : 'Start-SecretRotation';
    return `Open a PEP session and run Get-ActionStatus ${cmdlet} to make sure no action plan was started; if none was, start the run again (without --rerun).`;
  }
  if (run.kind === 'bmc') {
    return 'Open a PEP session and run Get-ActionStatus Set-BmcCredential to see how it ended; if it failed or is unknown, run the BMC procedure again.';
  }
  if (run.kind === 'internal') {
    // Internal secrets read no share: a failed internal rotation is rerun (-Internal -ReRun) without a restore.
    return (
      'Open a PEP session and run Get-ActionStatus Start-SecretRotation to see how the action plan ended. If it ' +
      'failed, run the internal rotation again with --rerun (-Internal -ReRun; nothing to restore); if it completed, ' +
      'nothing more is needed.'
    );
  }
  return (
    'Open a PEP session and run Get-ActionStatus Start-SecretRotation to see how the action plan ended, then ' +
    'Test-AzureStack -Include AzsExternalCertificates to check the endpoints. If it failed, restore the ' +
    'certificates from the backup and rerun with --rerun; if it completed, nothing more is needed.'
  );
}

/**
 * Marks every active run whose owner is gone as `interrupted`, with an event saying why.
 *
 * Returns the runs it marked. Runs owned by this process are never touched.
 */
export function reconcileInterrupted(store: Store, probe: LivenessProbe = {}): StoredRotationRun[] {
  const now = (probe.now ?? (() => new Date()))();
  const marked: StoredRotationRun[] = [];
  for (const run of store.rotations.active()) {
    if (!ownerIsGone(run, probe)) continue;
    const outcome = interruptedOutcome(run);
    const changed = store.rotations.transition(run.id, {
      to: 'interrupted',
      at: now.toISOString(),
      outcome,
      event: { level: 'warning', text: `${outcome} ${interruptedGuidance(run)}`, data: { previousState: run.state, ownerPid: run.ownerPid, ownerHost: run.ownerHost } },
    });
    if (changed !== null) marked.push(store.rotations.get(run.id)!);
  }
  return marked;
}
