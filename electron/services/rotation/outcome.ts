/**
 * Decides how a rotation run ended, from what the parser saw and how the PowerShell process ended.
 *
 * The rule is to be truthful: `succeeded` only on the action plan's own success line, `failed` only when the
 * plan reported failure or nothing was started on the stamp, and `interrupted` ("outcome unknown") whenever
 * an action plan may still be running server-side without us knowing its end — a broken session, a
 * PowerShell that died, a cancel. Every outcome says what happened and what to do next.
 */
import type { RotationKind } from '../../../shared/rotation/rotation-run';
import { PREFLIGHT_REFUSED_PREFIX, rerunCommand } from '../../../shared/rotation/rotation-run';
import type { ParsedFacts } from '../pep/parser';
import { isSuccessStatus } from '../pep/parser';
import type { TransportOutcome } from '../pep/transport';

/** What the outcome is decided on. */
export interface OutcomeInput {
  kind: RotationKind;
  facts: ParsedFacts;
  transport: TransportOutcome;
  /** The rotation cmdlet (`Start-SecretRotation`/`Set-BmcCredential`) was invoked. */
  rotationStarted: boolean;
  /** How the log names the PowerShell process (`pwsh`, `PEP simulator`). */
  commandLabel: string;
  pepUser: string;
  /** The stamp's version (`YYMM`): it decides whether a rerun of internal secrets is `-Internal -ReRun`. */
  version: string;
}

/** The decided end of a run. */
export interface OutcomeDecision {
  state: 'succeeded' | 'failed' | 'interrupted';
  /** One line for history. */
  outcome: string;
  /** What the operator should do next (empty when nothing). */
  nextSteps: string[];
  /** True when the run was refused before the rotation (readiness), which the CLI reports as exit 2. */
  refused: boolean;
}

const RESTORE_AND_RERUN = 'Follow the error above, restore the certificates from the backup into the share, and run again with --rerun; contact Microsoft support if it fails again.';

/**
 * What to do after a failed action plan.
 *
 * External certificates are read from the share again by the rerun, so the share is restored from the
 * backup first. Internal secrets need no share: the rerun (`-Internal -ReRun`) follows reading the failure.
 */
function failedPlanSteps(kind: RotationKind, version: string): string[] {
  if (kind === 'bmc') return ['Follow the error above, then run the BMC procedure again.'];
  if (kind === 'external') return [RESTORE_AND_RERUN];
  return [`Read the error above, then run the internal rotation again with --rerun (${rerunCommand('internal', version)}); it reads no share, so there is nothing to restore. Contact Microsoft support if it fails again.`];
}

function rotationStep(kind: RotationKind): string {
  return kind === 'bmc' ? 'set-bmc-credential' : 'start-secret-rotation';
}

function howEnded(t: TransportOutcome): string {
  if (t.signal) return `was stopped by ${t.signal}`;
  return `ended with exit code ${t.exitCode ?? 'unknown'}`;
}

function unknownOutcomeSteps(kind: RotationKind, version: string): string[] {
  const cmdlet = kind === 'bmc' ? 'Set-BmcCredential' : 'Start-SecretRotation';
  return [
    `Open a PEP session and run Get-ActionStatus ${cmdlet} to see whether the action plan is still running and how it ended.`,
    ...(kind === 'external' ? ['Then check the endpoints with Test-AzureStack -Include AzsExternalCertificates -DetailedResults.'] : []),
    kind === 'bmc'
      ? 'If it failed, run the BMC procedure again.'
      : kind === 'external'
        ? 'If it failed, restore the certificates from the backup and run again with --rerun; if it completed, nothing more is needed.'
        : `If it failed, run the internal rotation again with --rerun (${rerunCommand('internal', version)}; nothing to restore); if it completed, nothing more is needed.`,
  ];
}

/** Decides the final state of a run. */
export function decideOutcome(input: OutcomeInput): OutcomeDecision {
  const { facts, transport, kind } = input;
  const f = facts;
  const label = input.commandLabel;
  const planId = f.actionPlanInstanceId ? `Action plan ${f.actionPlanInstanceId}` : 'The action plan';

  if (transport.spawnError) {
    return {
      state: 'failed',
      outcome: `Could not start ${label} (${transport.spawnError.code}); nothing was sent to the PEP.`,
      nextSteps: ['Install PowerShell 7 (pwsh), or set its path in Settings or with AZS_PWSH, then start again.'],
      refused: false,
    };
  }
  if (f.result?.status === 'input-error') {
    return { state: 'failed', outcome: `The PowerShell script could not read its input (${f.result.text ?? 'stdin ended early'}); nothing was sent to the PEP.`, nextSteps: ['Start the run again.'], refused: false };
  }
  if (transport.cancelled && !input.rotationStarted) {
    return { state: 'failed', outcome: 'Cancelled before the rotation was started; nothing was changed on the stamp.', nextSteps: [], refused: false };
  }
  if (f.ercs === null && !input.rotationStarted) {
    const denied = f.connectFailures.find((c) => c.cause === 'access-denied');
    if (denied) {
      return {
        state: 'failed',
        outcome: `The PEP on ${denied.ercs} refused ${input.pepUser}: Access is denied. The other ERCS VMs were not tried, so the account does not come closer to lock-out.`,
        nextSteps: ['Check the PEP user (DOMAIN\\CloudAdmin) and its password, then start again.'],
        refused: false,
      };
    }
    if (f.connectFailures.length > 0) {
      const list = f.connectFailures.map((c) => `${c.ercs} (${c.cause})`).join(', ');
      const trusted = f.connectFailures.some((c) => c.cause === 'trusted-hosts');
      return {
        state: 'failed',
        outcome: `No PEP session could be opened: ${list}. Nothing was changed on the stamp.`,
        nextSteps: [trusted ? 'Add the ERCS addresses to WinRM TrustedHosts on this jump host.' : 'Check that this jump host reaches the ERCS VMs on WinRM (TCP 5985) and that the addresses in the stamp profile are right.'],
        refused: false,
      };
    }
    if (!f.result) {
      return {
        state: 'failed',
        outcome: `${label} ${howEnded(transport)} before a PEP session was opened; nothing was changed on the stamp.`,
        nextSteps: ['Read the error lines above; check that PowerShell starts on this machine, then start again.'],
        refused: false,
      };
    }
  }
  // A not-ready stamp refused the run only when the readiness test gated it: the script then ended before the rotation.
  if (f.result?.status === 'not-ready' || (f.ready === false && !f.stepsStarted.includes('start-secret-rotation') && !f.stepsStarted.includes('set-bmc-credential'))) {
    const counts = f.tests.readiness;
    return {
      state: 'failed',
      outcome: `${PREFLIGHT_REFUSED_PREFIX} Test-AzureStack (the readiness test) reported problems${counts ? ` (${counts.fail} FAIL, ${counts.warn} WARN — warnings block in this group)` : ''}; the rotation was not started.`,
      nextSteps: ['Fix what Test-AzureStack reported (warnings count as errors before a rotation), then start again.'],
      refused: true,
    };
  }
  if (isSuccessStatus(f.finalStatus)) {
    const post = f.tests['external-certificates-check'];
    const postBad = (post && (post.fail > 0 || post.warn > 0)) || f.stepsFinished['external-certificates-check'] === false;
    return {
      state: 'succeeded',
      outcome: `${planId} finished with status '${f.finalStatus}'${postBad ? '; the post-check reported problems' : ''}.`,
      nextSteps:
        kind === 'external'
          ? [
              ...(postBad ? ['Review the Test-AzureStack -Include AzsExternalCertificates results above.'] : []),
              'Remove the certificates from the share; keep the backup.',
            ]
          : [],
      refused: false,
    };
  }
  if (f.finalStatus !== null) {
    const failedStep = f.steps.find((s) => /^(error|failed)$/i.test(s.status)) ?? f.steps[f.steps.length - 1];
    return {
      state: 'failed',
      outcome: `${planId} finished with status '${f.finalStatus}'${failedStep ? ` at step '${failedStep.name}'` : ''}.`,
      nextSteps: failedPlanSteps(kind, input.version),
      refused: false,
    };
  }
  if (input.rotationStarted) {
    if (f.anotherActionInProgress) {
      return {
        state: 'failed',
        outcome: `The PEP refused to start: another action plan (${f.anotherActionInProgress}) is in progress on the stamp.`,
        nextSteps: ['Wait until the other action plan has finished (Get-ActionStatus in the PEP), then start again.'],
        refused: false,
      };
    }
    if (transport.cancelled) {
      return {
        state: 'interrupted',
        outcome: 'Cancelled while the PEP was working: the action plan continues on the stamp — outcome unknown.',
        nextSteps: unknownOutcomeSteps(kind, input.version),
        refused: false,
      };
    }
    if (f.sessionBroken) {
      return {
        state: 'interrupted',
        outcome: `The PEP session${f.ercs ? ` to ${f.ercs}` : ''} broke while the PEP was working: the action plan continues on the stamp — outcome unknown.`,
        nextSteps: unknownOutcomeSteps(kind, input.version),
        refused: false,
      };
    }
    const stepOk = f.stepsFinished[rotationStep(kind)];
    if (stepOk === true && kind === 'bmc') {
      return { state: 'succeeded', outcome: 'Set-BmcCredential completed without errors.', nextSteps: [], refused: false };
    }
    if (stepOk === false && f.actionPlanInstanceId === null && f.result) {
      return {
        state: 'failed',
        outcome: `The PEP refused the ${kind === 'bmc' ? 'BMC credential update' : 'rotation'}: ${f.lastError ?? 'see the errors above'}`,
        nextSteps: ['Follow the error above, then start again.'],
        refused: false,
      };
    }
    return {
      state: 'interrupted',
      outcome: `${label} ${howEnded(transport)} before the action plan reported its outcome — outcome unknown.`,
      nextSteps: unknownOutcomeSteps(kind, input.version),
      refused: false,
    };
  }
  return {
    state: 'failed',
    outcome: f.result
      ? `The session ended (${f.result.status}) before the rotation was started${f.lastError ? `: ${f.lastError}` : ''}; nothing was changed on the stamp.`
      : `${label} ${howEnded(transport)} before the rotation was started; nothing was changed on the stamp.`,
    nextSteps: ['Read the errors above, fix the cause, then start again.'],
    refused: false,
  };
}
