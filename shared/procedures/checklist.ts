/**
 * A procedure run as a checklist: which steps apply to the stamp's version, which are done (by a verifier
 * or by the operator), which wait for a timer, and what command each one shows.
 *
 * Pure: the backend builds it for IPC and the CLI, the runbook export prints it, and the renderer only
 * displays it, so "done" means the same thing everywhere.
 */
import { procedure } from './definitions';
import { allGated, describeGate, gateApplies, pickGated, stepsForVersion, type ProcedureId, type ProcedureStep } from './model';
import { derivedValues, renderCommand, stampValues, type CommandStamp } from './render';
import { evaluateVerifier, type ProcedureFacts, type VerifierResult } from './verifiers';

/** An operator's confirmation of a step. */
export interface StepConfirmation {
  stepId: string;
  confirmedAt: string;
  note: string | null;
  actor: string;
}

/** State of a whole procedure run. */
export type ProcedureRunState = 'open' | 'completed' | 'abandoned';

/** A stored procedure run. */
export interface ProcedureRunRecord {
  id: number;
  stampId: number | null;
  stampName: string;
  procedureId: ProcedureId;
  /** The stamp's version when the run started: gating stays stable even if the profile is edited. */
  stampVersion: string;
  parameters: Record<string, string>;
  state: ProcedureRunState;
  startedAt: string;
  finishedAt: string | null;
  confirmations: StepConfirmation[];
}

/** The expected-duration window of a step. */
export interface StepWindow {
  startedAt: string;
  earliest: string;
  latest: string;
  /** `running` before the earliest end, `due` inside the window, `overdue` after it. */
  state: 'running' | 'due' | 'overdue';
}

/** One step as the checklist shows it. */
export interface ChecklistStep {
  id: string;
  title: string;
  why: string;
  optional: boolean;
  /** `auto` when the step has verifiers. */
  mode: 'auto' | 'manual';
  /**
   * `done` (verifiers passed or confirmed), `failed` (a verifier failed; a manual confirmation still
   * overrides it), `waiting` (a timer holds confirmation back), `blocked` (another step must be confirmed
   * first), `open`.
   */
  status: 'done' | 'failed' | 'waiting' | 'blocked' | 'open';
  doneBy: 'auto' | 'manual' | null;
  verifiers: VerifierResult[];
  confirmation: StepConfirmation | null;
  command: string | null;
  notes: string[];
  checks: string[];
  /** Why confirmation is refused right now (timer or order), or null. */
  blockedReason: string | null;
  /** When a `waiting` step may be confirmed. */
  waitUntil: string | null;
  window: StepWindow | null;
  /** The version range the step is limited to, when it is. */
  gate: string | null;
}

/** A step the stamp's version leaves out, listed so the operator sees why. */
export interface OmittedStep {
  id: string;
  title: string;
  gate: string;
}

/** The whole checklist. */
export interface Checklist {
  run: ProcedureRunRecord;
  title: string;
  shell: string;
  steps: ChecklistStep[];
  omitted: OmittedStep[];
  /** Required steps done / required steps. */
  done: number;
  required: number;
  complete: boolean;
}

const MINUTE = 60_000;

function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE).toISOString();
}

function timingOf(step: ProcedureStep, confirmations: Map<string, StepConfirmation>, titles: Map<string, string>, now: Date) {
  let blockedReason: string | null = null;
  let waitUntil: string | null = null;
  let window: StepWindow | null = null;
  const wait = step.timing?.waitAfter;
  if (wait) {
    const before = confirmations.get(wait.step);
    if (!before) blockedReason = `Confirm "${titles.get(wait.step) ?? wait.step}" first.`;
    else {
      const until = addMinutes(before.confirmedAt, wait.minutes);
      if (now.getTime() < Date.parse(until)) {
        waitUntil = until;
        blockedReason = `Wait at least ${wait.minutes} minutes after "${titles.get(wait.step) ?? wait.step}".`;
      }
    }
  }
  const span = step.timing?.window;
  const start = span ? confirmations.get(span.fromStep) : undefined;
  if (span && start) {
    const earliest = addMinutes(start.confirmedAt, span.minMinutes);
    const latest = addMinutes(start.confirmedAt, span.maxMinutes);
    const t = now.getTime();
    window = {
      startedAt: start.confirmedAt,
      earliest,
      latest,
      state: t < Date.parse(earliest) ? 'running' : t <= Date.parse(latest) ? 'due' : 'overdue',
    };
  }
  return { blockedReason, waitUntil, window };
}

/**
 * Builds the checklist of a run for a stamp from the recorded facts, at `now`.
 *
 * `stamp` gives the values commands are rendered with; the version used for gating is the run's own.
 */
export function buildChecklist(run: ProcedureRunRecord, stamp: CommandStamp, facts: ProcedureFacts, now: Date): Checklist {
  const definition = procedure(run.procedureId);
  const version = run.stampVersion;
  const params = run.parameters;
  const values = { ...stampValues({ ...stamp, version }), ...derivedValues(params), ...params };
  const confirmations = new Map(run.confirmations.map((c) => [c.stepId, c]));
  const titles = new Map(definition.steps.map((s) => [s.id, s.title]));
  const applicable = stepsForVersion(definition, version, params);
  const steps: ChecklistStep[] = applicable.map((step) => {
    const verifiers = (step.verifiers ?? []).map((id) => evaluateVerifier(id, facts));
    const confirmation = confirmations.get(step.id) ?? null;
    const timing = timingOf(step, confirmations, titles, now);
    const autoPassed = verifiers.length > 0 && verifiers.every((v) => v.state === 'passed');
    let status: ChecklistStep['status'];
    if (confirmation) status = 'done';
    else if (autoPassed) status = 'done';
    else if (timing.waitUntil) status = 'waiting';
    else if (timing.blockedReason) status = 'blocked';
    else if (verifiers.some((v) => v.state === 'failed')) status = 'failed';
    else status = 'open';
    const command = pickGated(step.commands, version, params);
    return {
      id: step.id,
      title: renderCommand(step.title, values, definition.parameters),
      why: step.why,
      optional: step.optional === true,
      mode: verifiers.length > 0 ? 'auto' : 'manual',
      status,
      doneBy: confirmation ? 'manual' : autoPassed ? 'auto' : null,
      verifiers,
      confirmation,
      command: command === null ? null : renderCommand(command, values, definition.parameters, 'powershell'),
      notes: allGated(step.notes, version, params).map((n) => renderCommand(n, values, definition.parameters)),
      checks: [...(step.checks ?? [])],
      blockedReason: confirmation ? null : timing.blockedReason,
      waitUntil: confirmation ? null : timing.waitUntil,
      window: timing.window,
      gate: step.gate ? describeGate(step.gate) : null,
    };
  });
  const omitted = definition.steps
    .filter((s) => !gateApplies(s.gate, version))
    .map((s) => ({ id: s.id, title: s.title, gate: describeGate(s.gate) }));
  const requiredSteps = steps.filter((s) => !s.optional);
  const done = requiredSteps.filter((s) => s.status === 'done').length;
  return {
    run,
    title: definition.title,
    shell: definition.shell,
    steps,
    omitted,
    done,
    required: requiredSteps.length,
    complete: done === requiredSteps.length,
  };
}

/**
 * Why a step cannot be confirmed now, or null when it can.
 *
 * The backend enforces this (the 10-minute wait after an uninstall), the renderer only mirrors it.
 */
export function confirmationRefusal(checklist: Checklist, stepId: string): string | null {
  if (checklist.run.state !== 'open') return `This procedure run is ${checklist.run.state}; start a new one to change it.`;
  const step = checklist.steps.find((s) => s.id === stepId);
  if (!step) return `"${stepId}" is not a step of this procedure for version ${checklist.run.stampVersion}.`;
  if (step.confirmation) return `"${step.title}" was already confirmed at ${step.confirmation.confirmedAt}.`;
  return step.blockedReason;
}

/** True when a procedure exists for the version (root CA rotation needs 2108). */
export function procedureAvailable(id: ProcedureId, version: string): boolean {
  return gateApplies(procedure(id).gate, version);
}
