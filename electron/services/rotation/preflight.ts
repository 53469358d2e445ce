/**
 * Pre-flight of a rotation run: everything that can be checked before the PEP is asked to do anything.
 *
 * Input rules (ERCS addresses, the UNC share path, user names, the BMC user's 16 characters, the password
 * rules of `validation-rules.md`), the certificate share validated green by the engine, the PEP's rerun rule
 * against the run history, another run in progress, and whether PowerShell can be found. Each check says
 * what it found and what to do; a single `fail` refuses the run. Secrets are judged, never echoed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { judgePassword } from '../../../shared/certificates/password-rules';
import { reportHasFailures } from '../../../shared/certificates/report';
import type { PreflightFix, RotationKind, SimScenario } from '../../../shared/rotation/rotation-run';
import { accountNameProblem, bmcUserProblem, formatSimScenario, hasInternalSwitch, isActiveState, pfxFilesPathProblem, rerunCommand, stampKey, versionNumber } from '../../../shared/rotation/rotation-run';
import { trustedHostsVerdict, type TrustedHostsReading } from '../../../shared/rotation/trusted-hosts';
import { bmcPasswordProblem, bmcUpdatedByStamp } from '../../../shared/rotation/version-rules';
import type { Stamp } from '../../../shared/stamps/stamp';
import { ercsProblem, versionProblem } from '../../../shared/stamps/stamp';
import type { ShareValidationOptions } from '../certificates';
import { ShareAccessError } from '../certificates';
import type { ValidationReport } from '../../../shared/certificates/report';
import type { PepStep } from '../pep/script-header';
import { stepsFor } from '../pep/script-builder';
import { DEFAULT_SIM_SECONDS } from '../pep/simulator/sim-config';
import { simulatedPlanSteps } from '../pep/simulator/sim-plan';
import type { PowerShellCommand } from '../pep/transport';
import type { Store, StoredRotationRun } from '../store';
import { interruptedGuidance, ownerIsGone, reconcileInterrupted, type LivenessProbe } from './liveness';
import { latestShareBackup, restoreSince } from './share-backup';
import { lastRotationOnStamp, runsOnStamp } from './stamp-history';
import { readTrustedHosts } from './trusted-hosts';

/** The PEP user when none is given: the ASDK's account, which real stamps name `<DOMAIN>\CloudAdmin`. */
export const DEFAULT_PEP_USER = 'AzureStack\\CloudAdmin';

/** The share path and user a rehearsal uses when none is given (the simulator reads no share). */
export const REHEARSAL_PFX_FILES_PATH = '\\\\rehearsal-share\\rotation\\Certificates';
/** See `REHEARSAL_PFX_FILES_PATH`. */
export const REHEARSAL_SHARE_USER = 'REHEARSAL\\ShareOperator';

/** What the operator asked for; no secret. */
export interface RotationRequest {
  stamp: Stamp;
  kind: RotationKind;
  /** The share's Certificates folder (or its AAD/ADFS child) as this machine sees it, for validation. */
  share: string | null;
  /** The same folder as the ERCS VMs see it (`\\host\share\…\Certificates`). */
  pfxFilesPath: string | null;
  pepUser: string | null;
  shareUser: string | null;
  bmcUser: string | null;
  bypassBmcUpdate: boolean;
  rerun: boolean;
  /** Run against the simulator with this scenario and time scale; null for the stamp (or a rehearsal stamp's default). */
  simulate: { scenario: SimScenario; seconds: number } | null;
  source: 'app' | 'cli';
}

/** The secrets of a run, held in memory only. */
export interface RotationSecrets {
  /** The PEP user's password. */
  pep: string;
  /** `-PathAccessCredential`'s password (external, first run). */
  share?: string | null;
  /** The PFX password (`-CertificatePassword`), also used to validate the share. */
  certificate?: string | null;
  /** The new BMC password. */
  bmc?: string | null;
}

/** One pre-flight check. */
export interface PreflightCheck {
  id: string;
  status: 'ok' | 'warning' | 'fail';
  message: string;
  /** What to do about a warning or failure. */
  hint: string | null;
  /** The workspace of the app that fixes a warning or failure; absent or null when there is none. */
  fix?: PreflightFix | null;
}

/** What the run will do once pre-flight passes. */
export interface RotationPlan {
  steps: PepStep[];
  pepUser: string;
  pfxFilesPath: string | null;
  shareUser: string | null;
  /** True when the run goes to the simulator. */
  rehearsal: boolean;
  scenario: SimScenario | null;
  simSeconds: number;
  /** The failed run this one reruns. */
  rerunOf: number | null;
  /** Rough length of the run, for progress displays. */
  estimateSeconds: number;
}

/** The pre-flight verdict. */
export interface PreflightResult {
  ok: boolean;
  checks: PreflightCheck[];
  plan: RotationPlan;
  /** The share validation report, when the share was validated. */
  report: ValidationReport | null;
}

/** Collaborators of the pre-flight; tests replace them. */
export interface PreflightOptions {
  /** The certificate engine (default: the real `validateShare`, loaded on first use). */
  validateShare?: (options: ShareValidationOptions) => Promise<ValidationReport>;
  /** The PowerShell the run would use; checked for existence unless the run is a rehearsal. */
  powershell?: PowerShellCommand | null;
  probe?: LivenessProbe;
  now?: () => Date;
  /**
   * Reads this machine's WinRM TrustedHosts with the run's PowerShell (default: `readTrustedHosts`, which reads
   * it on Windows and says why not elsewhere).
   */
  readTrustedHosts?: (powershell: string) => Promise<TrustedHostsReading>;
}

/** How long a procedure takes on a stamp, for the progress estimate (external: "about one hour"). */
export function estimateSeconds(kind: RotationKind, rehearsalSeconds: number | null): number {
  if (rehearsalSeconds !== null) return Math.max(1, rehearsalSeconds);
  return kind === 'bmc' ? 15 * 60 : 60 * 60;
}

/**
 * Finds an executable: a path is checked as given, a bare name is looked up in PATH (with PATHEXT on Windows).
 *
 * Null when it cannot be found.
 */
export function findExecutable(command: string, env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (command.includes('/') || command.includes('\\')) return existsSync(command) ? command : null;
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

function nonAscii(value: string): boolean {
  return [...value].some((c) => c.charCodeAt(0) > 0x7e);
}

/**
 * Runs every pre-flight check and returns the verdict with the plan the run would follow.
 *
 * Marks runs of dead processes `interrupted` first, so "another run is in progress" is only said of live
 * ones. Never throws for an operator problem: each becomes a failed check.
 */
export async function runPreflight(store: Store, request: RotationRequest, secrets: RotationSecrets, options: PreflightOptions = {}): Promise<PreflightResult> {
  const checks: PreflightCheck[] = [];
  const add = (id: string, status: PreflightCheck['status'], message: string, hint: string | null = null, fix: PreflightFix | null = null) => checks.push({ id, status, message, hint, fix });
  const editStamp: PreflightFix = { target: 'stamps', label: `Edit ${request.stamp.name} in Stamps` };
  const { stamp, kind } = request;
  const rehearsal = request.simulate !== null || stamp.rehearsal;
  const scenario = request.simulate?.scenario ?? (rehearsal ? { kind: 'success' as const } : null);
  const simSeconds = request.simulate?.seconds ?? DEFAULT_SIM_SECONDS;

  // The stamp profile.
  const version = versionProblem(stamp.version);
  if (version) add('stamp-version', 'fail', `Stamp ${stamp.name}: ${version}`, 'Correct the version in the stamp profile.', editStamp);
  else add('stamp-version', 'ok', `Stamp ${stamp.name} is on ${stamp.version}.`);
  const ercs = ercsProblem(stamp.ercsIps);
  if (ercs) add('ercs-addresses', 'fail', ercs, 'Add the ERCS VM addresses or host names to the stamp profile (azs-rotate stamp add … --ercs IP,IP,IP or AZS-ERCS01,AZS-ERCS02,AZS-ERCS03).', editStamp);
  else if (stamp.ercsIps.length < 3) add('ercs-addresses', 'warning', `${stamp.ercsIps.length} ERCS VM(s): ${stamp.ercsIps.join(', ')}. If that VM is down there is no other to try.`, 'Add all three ERCS VMs (addresses or host names) to the stamp profile.', editStamp);
  else add('ercs-addresses', 'ok', `ERCS VMs ${stamp.ercsIps.join(', ')}, tried in this order.`);
  // A rehearsal opens no WinRM session, so the jump host's TrustedHosts says nothing about it.
  if (!ercs && !rehearsal) {
    const powershell = options.powershell?.command ?? 'powershell.exe';
    const reading = await (options.readTrustedHosts ?? ((command: string) => readTrustedHosts({ powershell: command })))(powershell);
    const verdict = trustedHostsVerdict(reading, stamp.ercsIps);
    add('trusted-hosts', verdict.status, verdict.message, verdict.hint);
  }

  if (rehearsal) {
    add(
      'rehearsal',
      'ok',
      `Rehearsal: the run goes to the PEP simulator (scenario ${formatSimScenario(scenario!)}, ${simSeconds} s for the simulated hour); nothing is sent to stamp ${stamp.name}.`,
    );
    if (scenario?.kind === 'fail-at-step') {
      const count = simulatedPlanSteps(kind, stamp.version).length;
      if (scenario.step > count) add('scenario', 'fail', `fail-at-step:${scenario.step}: the simulated ${kind} plan has ${count} steps.`, `Use a step from 1 to ${count}.`);
    }
  }

  // Accounts and secrets.
  const pepUser = request.pepUser?.trim() || DEFAULT_PEP_USER;
  const pepUserProblem = accountNameProblem(pepUser, 'PEP user');
  if (pepUserProblem) add('pep-user', 'fail', pepUserProblem, 'Give the PEP user as DOMAIN\\CloudAdmin.');
  else if (!request.pepUser?.trim() && !rehearsal) add('pep-user', 'warning', `No PEP user given: using ${DEFAULT_PEP_USER} (the ASDK default).`, 'Give your stamp\'s <DOMAIN>\\CloudAdmin with --pep-user; a wrong user counts towards the account lock-out.');
  else add('pep-user', 'ok', `PEP user ${pepUser}.`);
  if (!secrets.pep) add('pep-password', 'fail', 'No PEP password was given.', 'Provide the CloudAdmin password (file, environment variable or prompt).');
  else if (nonAscii(secrets.pep)) add('pep-password', 'warning', 'The PEP password has characters outside ASCII, which Windows PowerShell may read in another code page.', 'If the session is refused, try from PowerShell 7 (pwsh).');
  else add('pep-password', 'ok', 'PEP password provided (used for this run only).');

  let pfxFilesPath: string | null = null;
  let shareUser: string | null = null;
  let report: ValidationReport | null = null;
  if (kind === 'external') {
    if (!request.rerun) {
      pfxFilesPath = request.pfxFilesPath?.trim() || (request.share && /^\\\\/.test(request.share) ? request.share.replace(/\\(AAD|ADFS)\\?$/i, '').replace(/\\$/, '') : null) || (rehearsal ? REHEARSAL_PFX_FILES_PATH : null);
      const pathProblem = pfxFilesPathProblem(pfxFilesPath ?? '');
      if (pathProblem) add('pfx-files-path', 'fail', pathProblem, 'Give --pfx-files-path \\\\host\\share\\…\\Certificates: the share as the ERCS VMs reach it.');
      else add('pfx-files-path', 'ok', `The PEP reads the certificates from ${pfxFilesPath}.`);
      shareUser = request.shareUser?.trim() || (rehearsal ? REHEARSAL_SHARE_USER : null);
      const userProblem = accountNameProblem(shareUser ?? '', 'share user');
      if (userProblem) add('share-user', 'fail', userProblem, 'Give --share-user DOMAIN\\user: an account that can read and write the share from the ERCS VMs.');
      else add('share-user', 'ok', `Share user ${shareUser}.`);
      if (!secrets.share) add('share-password', 'fail', 'No share password was given.', 'Provide the share user\'s password (file, environment variable or prompt).');
      else add('share-password', 'ok', 'Share password provided (used for this run only).');
    } else {
      add('pfx-files-path', 'ok', 'Rerun: the PEP resumes the failed plan with the share it was given; restore the certificates from the backup into that share first.');
    }
    if (!secrets.certificate) {
      add('certificate-password', 'fail', 'No PFX password was given.', 'Provide the share\'s PFX password: pre-flight opens every certificate with it, and the PEP needs it.');
    } else {
      const verdict = judgePassword(secrets.certificate);
      add('certificate-password', verdict.status, verdict.message, verdict.status === 'ok' ? null : 'Re-export the certificates with 8+ characters of upper case, lower case and digits only.');
    }
    report = await checkShare(request, secrets, options, add);
    if (request.share && !request.rerun) checkBackup(store, request.share, add);
    if (!hasInternalSwitch(stamp.version)) {
      add('version-rules', 'warning', `${stamp.name} is on ${stamp.version}: before 1811 Start-SecretRotation with the certificate parameters rotates the internal secrets too.`, 'Plan the maintenance window for both; from 1811 they are separate runs.');
    }
  }
  if (kind === 'internal') {
    if (!hasInternalSwitch(stamp.version)) add('version-rules', 'warning', `${stamp.name} is on ${stamp.version}: before 1811 there is no -Internal switch; Start-SecretRotation without certificate parameters is the internal rotation.`);
    else if (versionNumber(stamp.version) >= 2108) add('version-rules', 'ok', `From 2108 the internal rotation also rotates the internal root CA; its expiry is read from Get-AzureStackStampInformation.`);
    else add('version-rules', 'ok', 'Start-SecretRotation -Internal.');
  }
  if (kind === 'bmc') {
    if (request.rerun) add('rerun', 'fail', 'Set-BmcCredential has no -ReRun.', 'Run the BMC procedure again without --rerun.');
    if (request.bmcUser !== null && request.bmcUser !== '') {
      const bmc = bmcUserProblem(request.bmcUser);
      if (bmc) add('bmc-user', 'fail', bmc, 'Use the same user name (16 characters at most) as on every BMC.');
      else add('bmc-user', 'ok', `BMC user ${request.bmcUser} (it must be the same on every BMC).`);
    }
    const bmcPassword = secrets.bmc ? bmcPasswordProblem(secrets.bmc, stamp.version) : null;
    if (!secrets.bmc) add('bmc-password', 'fail', 'No new BMC password was given.', 'Provide the new BMC password (file, environment variable or prompt).');
    else if (bmcPassword) add('bmc-password', 'fail', bmcPassword, 'Choose a password of at most 16 characters, set the same on every BMC.');
    else add('bmc-password', 'ok', 'New BMC password provided (used for this run only).');
    if (!bmcUpdatedByStamp(stamp.version)) {
      add(
        'bmc-version',
        'warning',
        `${stamp.name} is on ${stamp.version}: before 1910 Azure Stack Hub does not change the BMCs; update every BMC with the OEM tool first (the same user and password on all), then this run records the new credential.`,
        'Confirm the OEM update is done on every BMC before the run.',
      );
    }
    if (request.bypassBmcUpdate) add('bmc-bypass', 'ok', '-BypassBMCUpdate: only Azure Stack Hub\'s record of the BMC credential is updated, not the BMCs.');
  }

  // History: the PEP's rerun rule and another run in progress, judged per stamp (region and FQDN), as the PEP does.
  reconcileInterrupted(store, options.probe);
  // One read of the stamp's runs serves both checks.
  const stampRuns = runsOnStamp(store, stamp, rehearsal);
  let rerunOf: number | null = null;
  if (kind !== 'bmc') rerunOf = checkHistory(store, request, stampRuns, add);
  if (kind !== 'bmc' && !hasInternalSwitch(stamp.version)) checkOnceBefore1811(stamp, stampRuns, add, editStamp);
  const busy = stampRuns.filter((r) => isActiveState(r.state) && !ownerIsGone(r, options.probe));
  if (busy.length > 0) {
    const run = busy[0]!;
    add('concurrent-run', 'fail', `Run ${run.id} on ${run.stamp} is still ${run.state} (process ${run.ownerPid} on ${run.ownerHost}).`, 'The PEP runs one action plan at a time: wait for that run to end.');
  }

  if (!rehearsal && options.powershell) {
    const found = findExecutable(options.powershell.command);
    if (!found) add('powershell', 'fail', `PowerShell (${options.powershell.label}) was not found.`, 'Install PowerShell 7, or set its path in Settings or with AZS_PWSH.');
    else add('powershell', 'ok', `PowerShell: ${found}.`);
  }

  const steps = stepsFor(kind, { version: stamp.version, rerun: request.rerun, pfxFilesPath, shareUser, bmcUser: request.bmcUser || null, bypassBmcUpdate: request.bypassBmcUpdate });
  return {
    ok: !checks.some((c) => c.status === 'fail'),
    checks,
    report,
    plan: {
      steps,
      pepUser,
      pfxFilesPath,
      shareUser,
      rehearsal,
      scenario,
      simSeconds,
      rerunOf,
      estimateSeconds: estimateSeconds(kind, rehearsal ? simSeconds : null),
    },
  };
}

async function checkShare(
  request: RotationRequest,
  secrets: RotationSecrets,
  options: PreflightOptions,
  add: AddCheck,
): Promise<ValidationReport | null> {
  const { stamp } = request;
  if (!request.share) {
    add('share-tree', 'fail', 'No share folder was given to validate.', 'Give --share DIR: the Certificates folder as this machine sees it; the rotation starts only when it validates green.');
    return null;
  }
  if (!secrets.certificate) return null;
  const validate = options.validateShare ?? (await import('../certificates')).validateShare;
  try {
    const report = await validate({
      root: request.share,
      identity: stamp.identity,
      region: stamp.region,
      fqdn: stamp.externalFqdn,
      password: secrets.certificate,
      currentCa: stamp.currentCaKind,
      stampVersion: stamp.version,
      now: options.now?.(),
    });
    const s = report.summary;
    if (reportHasFailures(report)) {
      const failed = report.certificates.filter((c) => c.status === 'fail').map((c) => `${c.endpoint} (${c.checks.filter((k) => k.status === 'fail').map((k) => k.id).join(', ')})`);
      const structure = report.structure.problems.map((p) => `${p.code} ${p.path}`);
      add('share-tree', 'fail', `The share ${request.share} does not validate: ${[...structure, ...failed].slice(0, 6).join('; ')}${structure.length + failed.length > 6 ? '; …' : ''}.`, 'Run azs-rotate validate on the share, fix every failure, then start again.', VALIDATE_SHARE);
    } else if (s.warning > 0) {
      add('share-tree', 'warning', `The share ${request.share} validates: ${s.ok} ok, ${s.warning} with warnings, none failed.`, 'Review the warnings with azs-rotate validate.', VALIDATE_SHARE);
    } else {
      add('share-tree', 'ok', `The share ${request.share} validates green: ${s.ok} certificate(s), folder tree ok.`);
    }
    return report;
  } catch (error) {
    if (error instanceof ShareAccessError) {
      add('share-tree', 'fail', error.message, 'Check the share folder and that this account can read it.');
      return null;
    }
    throw error;
  }
}

/** Adds a check to the pre-flight list. */
type AddCheck = (id: string, status: PreflightCheck['status'], message: string, hint?: string | null, fix?: PreflightFix | null) => void;

const VALIDATE_SHARE: PreflightFix = { target: 'certificates', label: 'Validate the share in Certificates' };
const BACK_UP_SHARE: PreflightFix = { target: 'prepare-backup', label: 'Back up the share in Prepare' };
const RESTORE_SHARE: PreflightFix = { target: 'prepare-backup', label: 'Restore the backup in Prepare' };

function when(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** "run 4 (external, 2024-05-02 10:14)", naming the profile when another one recorded it. */
function describeRun(run: StoredRotationRun, profile: string): string {
  return `run ${run.id} (${run.kind}${run.stamp.toLowerCase() !== profile.toLowerCase() ? `, recorded for profile ${run.stamp}` : ''}, ${when(run.pepStartedAt ?? run.startedAt)})`;
}

/** The switches of the rerun the PEP now expects, as the operator types them. */
function rerunSwitches(kind: 'external' | 'internal', version: string): string {
  return rerunCommand(kind, version).replace('Start-SecretRotation ', '');
}

/**
 * The PEP's rerun rule: after a failed `Start-SecretRotation` on a stamp, only a rerun of that same plan is
 * accepted. Returns the run a rerun resumes, or null.
 */
function checkHistory(store: Store, request: RotationRequest, stampRuns: readonly StoredRotationRun[], add: AddCheck): number | null {
  const { stamp, kind } = request;
  if (kind === 'bmc') return null;
  const where = `${stamp.name} (${stampKey(stamp.region, stamp.externalFqdn)})`;
  const last = lastRotationOnStamp(stampRuns);
  if (last && last.kind !== 'bmc' && last.state === 'failed') {
    const switches = rerunSwitches(last.kind, stamp.version);
    if (!request.rerun) {
      const restore = last.kind === 'external';
      add(
        'rerun',
        'fail',
        `The last secret rotation on ${where}, ${describeRun(last, stamp.name)}, failed; the PEP accepts only ${switches} now.`,
        last.kind !== kind
          ? `Rerun the failed ${last.kind} rotation first (${restore ? 'restore the certificates from the backup into the share, then ' : ''}${last.kind} with --rerun, ${switches}); a new ${kind} rotation can start once it completed.`
          : restore
            ? 'Restore the certificates from the backup into the share, then run again with --rerun.'
            : `Read why run ${last.id} failed, then run again with --rerun (${switches}); an internal rotation reads no share, so there is nothing to restore.`,
        restore ? RESTORE_SHARE : null,
      );
      return null;
    }
    if (last.kind !== kind) {
      add('rerun', 'fail', `The failed secret rotation on ${where} is the ${last.kind} one, ${describeRun(last, stamp.name)}: the PEP resumes that plan, not a ${kind} rotation.`, `Choose the ${last.kind} procedure with --rerun (${switches}).`);
      return null;
    }
    add('rerun', 'ok', `Rerun of run ${last.id} (failed ${when(last.endedAt ?? last.startedAt)}): ${rerunCommand(last.kind, stamp.version)} resumes its action plan.`);
    if (kind === 'external' && request.share) checkRestore(store, request.share, last, add);
    return last.id;
  }
  if (last?.state === 'interrupted') {
    if (!request.rerun) {
      add('rerun', 'warning', `The last secret rotation on ${where}, ${describeRun(last, stamp.name)}, was interrupted — outcome unknown.`, interruptedGuidance(last));
      return null;
    }
    if (last.kind === kind) {
      add('rerun', 'ok', `Rerun of run ${last.id} (interrupted — outcome unknown).`);
      return last.id;
    }
  }
  if (request.rerun) {
    add('rerun', 'warning', `No failed ${kind} rotation of ${where} is recorded here; -ReRun is passed anyway.`, 'Use --rerun only after a failed rotation.');
  } else if (last) {
    add('history', 'ok', `Last secret rotation on ${where}: ${describeRun(last, stamp.name)}, ${last.state}.`);
  } else {
    add('history', 'ok', `No secret rotation of ${where} is recorded here.`);
  }
  return null;
}

/**
 * Before 1811 a stamp rotates its secrets once: "if secret rotation has already been performed, you must update
 * to version 1811 or later before you perform secret rotation again" (and when unsure, update first). The run
 * history recorded here is the evidence; rotations made outside this app are not in it, which the ok message says.
 */
function checkOnceBefore1811(stamp: Stamp, stampRuns: readonly StoredRotationRun[], add: AddCheck, editStamp: PreflightFix): void {
  const where = `${stamp.name} (${stampKey(stamp.region, stamp.externalFqdn)})`;
  const rotations = stampRuns.filter((r) => r.kind !== 'bmc');
  const succeeded = rotations.filter((r) => r.state === 'succeeded').at(-1);
  if (succeeded) {
    add(
      'rotate-once',
      'fail',
      `${where} is on ${stamp.version} and already rotated its secrets: ${describeRun(succeeded, stamp.name)} succeeded. Before 1811 a stamp rotates only once; another rotation needs the update to 1811 or later first.`,
      `Update ${stamp.name} to 1811 or later, correct the version in its stamp profile, then rotate (from 1811 external and internal secrets are separate runs).`,
      editStamp,
    );
    return;
  }
  const unknown = rotations.find((r) => r.state === 'interrupted' && r.pepStartedAt !== null);
  if (unknown) {
    add(
      'rotate-once',
      'warning',
      `${describeRun(unknown, stamp.name)} on ${where} was interrupted after the rotation started — if it completed, this would be a second rotation, which ${stamp.version} cannot do.`,
      'Open a PEP session and read the outcome of that run first; when it cannot be told, update the stamp to 1811 or later before rotating, as the procedure says.',
      editStamp,
    );
    return;
  }
  add('rotate-once', 'ok', `No earlier rotation of ${where} is recorded here. Before 1811 a stamp rotates only once: if it was rotated outside this app, update to 1811 or later first.`);
}

/** A backup of the share before an external rotation: what a failed run is restored from. */
function checkBackup(store: Store, share: string, add: AddCheck): void {
  const backup = latestShareBackup(store, share);
  if (!backup) {
    add('backup', 'warning', `No backup of ${share} is recorded here.`, 'Back up the share before the rotation: after a failure the certificates are restored from it before -ReRun.', BACK_UP_SHARE);
  } else if (!backup.healthy) {
    add('backup', 'warning', `The backup in ${backup.backupDir} did not verify (${when(backup.at)}).`, 'Make a new backup of the share before the rotation.', BACK_UP_SHARE);
  } else {
    add('backup', 'ok', `Backup in ${backup.backupDir} verified (${when(backup.at)}).`);
  }
}

/** Before an external rerun the certificates are restored from the backup into the share (procedure step 8). */
function checkRestore(store: Store, share: string, failed: StoredRotationRun, add: AddCheck): void {
  const restored = restoreSince(store, share, failed.endedAt ?? failed.startedAt);
  if (restored) {
    add('restore', 'ok', `The share was restored from the backup in ${restored.backupDir} (${when(restored.at)}) after run ${failed.id} failed.`);
  } else {
    add('restore', 'warning', `No restore of ${share} from its backup is recorded since run ${failed.id} failed.`, 'Restore the certificates from the backup into the share before the rerun: the PEP reads them again.', RESTORE_SHARE);
  }
}
