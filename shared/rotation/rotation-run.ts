/**
 * Rotation runs: the procedures, the run states and their transitions, stored events and simulator scenarios.
 *
 * Pure and free of zod on purpose: the CLI, the services, the simulator and the renderer all judge a state
 * change or a scenario name with these same functions, and the CLI loads this module at start-up.
 */

/** The PEP procedures a run can perform. */
export const ROTATION_KINDS = ['external', 'internal', 'bmc'] as const;
/** A PEP procedure: external certificates, internal secrets, or the BMC credential. */
export type RotationKind = (typeof ROTATION_KINDS)[number];

/** Every state of a run (`cli.md`, `runs`). */
export const RUN_STATES = ['draft', 'preflight', 'running', 'succeeded', 'failed', 'interrupted'] as const;
/** The state of a run. */
export type RunState = (typeof RUN_STATES)[number];

/**
 * Allowed state changes.
 *
 * `interrupted` is not final: it means "outcome unknown", so the owning process may still settle it when it
 * turns out to be alive (a sleeping laptop whose heartbeat went stale). A rerun is a new run pointing back
 * at the failed one, never a transition of the old run.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  draft: ['preflight', 'failed', 'interrupted'],
  preflight: ['running', 'failed', 'interrupted'],
  running: ['succeeded', 'failed', 'interrupted'],
  succeeded: [],
  failed: [],
  interrupted: ['succeeded', 'failed'],
};

/** True when a run may move from `from` to `to`. */
export function canTransition(from: RunState, to: RunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/**
 * True for the states a live process is still working on.
 *
 * Such a run belongs to its owner process; when that process is gone the run shows `interrupted`.
 */
export function isActiveState(state: RunState): boolean {
  return state === 'draft' || state === 'preflight' || state === 'running';
}

/**
 * How far a run got, recorded as it goes: the checks on this machine (nothing sent anywhere), the PEP
 * session (PowerShell started: opening the session, reading the stamp, the readiness test), the rotation
 * (`Start-SecretRotation` or `Set-BmcCredential` invoked).
 */
export const RUN_PHASES = ['checks', 'pep-session', 'rotation'] as const;
/** A run's phase; null for runs recorded before phases were (schema 8). */
export type RunPhase = (typeof RUN_PHASES)[number];

/**
 * How history labels an interrupted run, by the phase it died in.
 *
 * Only a run that died during the checks on this machine is known to have changed nothing; once PowerShell
 * was started it may have gone on without the app, so the others are "outcome unknown" in the strength
 * their phase warrants.
 */
export function interruptedLabel(phase: RunPhase | null): string {
  if (phase === 'checks') return 'interrupted before the PEP was contacted — nothing changed';
  if (phase === 'pep-session') return 'interrupted before the rotation started — check the PEP';
  return 'interrupted — outcome unknown';
}

/** Severity of a stored event. */
export const EVENT_LEVELS = ['debug', 'verbose', 'info', 'warning', 'error'] as const;
/** An event's level. */
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** One event of a run as stored and shown (`cli.md`: `{ seq, at, level, type, text }`). */
export interface RunEvent {
  /** 1, 2, 3 … within the run, in arrival order. */
  seq: number;
  /** ISO time the event was recorded. */
  at: string;
  level: EventLevel;
  /** What the event is, `area.kind`, e.g. `action-plan.step` or `log` for an unknown line kept verbatim. */
  type: string;
  /** The line or message, with every secret value scrubbed. */
  text: string;
  /** Structured facts the parser extracted (step name, status, ERCS address…); null when none. */
  data: Record<string, unknown> | null;
}

/** An event before the store gives it a number (and, when `at` is omitted, the time). */
export type NewRunEvent = Omit<RunEvent, 'seq' | 'at' | 'data'> & { at?: string; data?: Record<string, unknown> | null };

/** A run as history lists it (`runs list --json` entries). */
export interface RotationRunSummary {
  id: number;
  /** The stamp profile's name at the time of the run. */
  stamp: string;
  stampId: number | null;
  kind: RotationKind;
  state: RunState;
  /** True when the run went to the PEP simulator instead of a stamp. */
  rehearsal: boolean;
  startedAt: string;
  endedAt: string | null;
  /** The ERCS address the PEP session was opened on; null before a session opened. */
  ercs: string | null;
  actionPlanInstanceId: string | null;
  rerunOf: number | null;
  /** One line on how the run ended (or why it is interrupted); null while it runs. */
  outcome: string | null;
  /** True once the rotation cmdlet itself was invoked (false when pre-flight refused or no session opened). */
  reachedPep: boolean;
  /** How far the run got; null for runs recorded before phases were. */
  phase: RunPhase | null;
}

/**
 * How every outcome of a run refused before the PEP was asked to rotate begins.
 *
 * Pre-flight refusals (a failed check, the readiness test) share it, so history can tell "nothing was
 * started" from a rotation that ran and failed without a second flag on the run.
 */
export const PREFLIGHT_REFUSED_PREFIX = 'Pre-flight refused the run:';

/** True when a run's outcome says pre-flight refused it (nothing was started on the stamp). */
export function isPreflightRefusal(outcome: string | null): boolean {
  return outcome !== null && outcome.startsWith(PREFLIGHT_REFUSED_PREFIX);
}

/**
 * The key the PEP keeps a stamp's rotation history under: region and external FQDN, lower case.
 *
 * Two stamp profiles with the same region and FQDN are the same stamp to the PEP, so a failure one of them
 * recorded binds the other (the simulator keeps its state under the same key).
 */
export function stampKey(region: string, externalFqdn: string): string {
  return `${region}.${externalFqdn}`.trim().toLowerCase();
}

/** The workspaces a pre-flight finding can send the operator to. */
export const PREFLIGHT_FIX_TARGETS = ['stamps', 'certificates', 'prepare-backup'] as const;

/** Where to fix a pre-flight finding: the workspace, and the words of the link that opens it. */
export interface PreflightFix {
  target: (typeof PREFLIGHT_FIX_TARGETS)[number];
  /** The link's text, an action: "Validate the share in Certificates". */
  label: string;
}

/**
 * The PEP command that reruns a failed rotation of this kind on a stamp of this version.
 *
 * Internal secrets rerun with `-Internal -ReRun` (from 1811); external certificates, and every rotation
 * before 1811, with `-ReRun` alone.
 */
export function rerunCommand(kind: Exclude<RotationKind, 'bmc'>, version: string): string {
  return kind === 'internal' && hasInternalSwitch(version) ? 'Start-SecretRotation -Internal -ReRun' : 'Start-SecretRotation -ReRun';
}

/** The fault scenarios of the PEP simulator (`cli.md`, `rotate --simulate`). */
export const SIM_SCENARIO_NAMES = [
  'success',
  'ercs01-unreachable',
  'wrong-credential',
  'fail-at-step:N',
  'session-drop',
  'garbage-output',
  'exit-nonzero',
] as const;

/** A parsed simulator scenario. */
export type SimScenario =
  | { kind: 'success' }
  | { kind: 'ercs01-unreachable' }
  | { kind: 'wrong-credential' }
  | { kind: 'fail-at-step'; step: number }
  | { kind: 'session-drop' }
  | { kind: 'garbage-output' }
  | { kind: 'exit-nonzero' };

/**
 * Parses a scenario name such as `fail-at-step:3`; returns a message instead when it is not one.
 *
 * Step numbers count from 1, like the simulator's action-plan steps.
 */
export function parseSimScenario(text: string): SimScenario | { problem: string } {
  const value = text.trim();
  const step = /^fail-at-step:(\d+)$/.exec(value);
  if (step) {
    const n = Number(step[1]);
    if (n < 1) return { problem: `"${value}": steps count from 1.` };
    return { kind: 'fail-at-step', step: n };
  }
  switch (value) {
    case 'success':
    case 'ercs01-unreachable':
    case 'wrong-credential':
    case 'session-drop':
    case 'garbage-output':
    case 'exit-nonzero':
      return { kind: value };
    default:
      return { problem: `"${value}" is not a scenario: use ${SIM_SCENARIO_NAMES.join(', ')}.` };
  }
}

/** The scenario in the text form `parseSimScenario` reads. */
export function formatSimScenario(scenario: SimScenario): string {
  return scenario.kind === 'fail-at-step' ? `fail-at-step:${scenario.step}` : scenario.kind;
}

/** The Azure Stack Hub version as a number (`2108` → 2108), for version rules; NaN when not YYMM. */
export function versionNumber(version: string): number {
  return /^\d{4}$/.test(version) ? Number(version) : Number.NaN;
}

/** True when the stamp's version has `Start-SecretRotation -Internal` (1811 and later). */
export function hasInternalSwitch(version: string): boolean {
  return versionNumber(version) >= 1811;
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/** A BMC user name's problem (≤ 16 characters, no spaces), or null. */
export function bmcUserProblem(user: string): string | null {
  if (!user) return 'Enter the BMC user name.';
  if (user.length > 16) return `"${user}" has ${user.length} characters; BMC user names have at most 16.`;
  if (/\s/.test(user)) return `"${user}" contains white space, which BMC user names cannot hold.`;
  return null;
}

/**
 * A `-PfxFilesPath` problem, or null.
 *
 * The PEP reads the share from the ERCS VMs, so the path is a UNC path `\\host\share\…\Certificates`
 * (from the 2022 rotation docs on, it must end with the `Certificates` folder).
 */
export function pfxFilesPathProblem(value: string): string | null {
  if (!value) return 'Enter the share path the ERCS VMs use, for example \\\\10.0.0.5\\rotation\\Certificates.';
  const parts = value.split('\\');
  // "\\host\share\Certificates" splits to ['', '', host, share, …, 'Certificates'].
  if (!value.startsWith('\\\\') || parts.length < 5 || parts.slice(2).some((p) => p === '')) {
    return `"${value}" is not a UNC path of the form \\\\host\\share\\…\\Certificates.`;
  }
  // Quoting in the generated script copes with anything printable ($ included: admin shares such as c$);
  // these are the characters Windows itself refuses in a path.
  if (hasControlCharacter(value) || /["<>|?*:]/.test(value)) return `"${value}" contains characters a share path cannot hold.`;
  if (parts[parts.length - 1]!.toLowerCase() !== 'certificates') {
    return `"${value}" must end with the Certificates folder, for example ${parts.slice(0, 4).join('\\')}\\Certificates.`;
  }
  return null;
}

/** A problem with a domain user name such as `CONTOSO\CloudAdmin` or `admin@contoso.com`, or null. */
export function accountNameProblem(value: string, label: string): string | null {
  if (!value) return `Enter the ${label}.`;
  if (value.length > 256) return `The ${label} is longer than 256 characters.`;
  // The characters Active Directory refuses in account names (the domain's backslash and a UPN's @ aside).
  if (hasControlCharacter(value) || /["<>|*?[\];=+,]/.test(value)) return `"${value}" contains characters a ${label} cannot hold.`;
  return null;
}
