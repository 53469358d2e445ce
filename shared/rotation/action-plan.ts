/**
 * The whole plan of a rotation run as the operator follows it: every phase the app will go through, pending
 * ones included, with the time each took, and inside `Start-SecretRotation` the action plan's own steps as
 * the PEP reports them.
 *
 * The phases are known before the run starts (they are the operations of the generated script, see
 * `stepsFor` in the PEP script builder, which a unit test keeps in step with `plannedPhases`). The action
 * plan's inner steps are not: the PEP publishes neither their names nor their count and reports only the
 * step now running, so they are listed as they arrive and the done/total count is over the phases.
 *
 * Pure: the live view and review mode derive the same plan from the same stored events.
 */
import type { RotationKind, RunEvent, RunState } from './rotation-run';

/** A phase of a run, in the order the app performs them. */
export type PlanPhaseId =
  | 'preflight'
  | 'session'
  | 'stamp-information'
  | 'readiness'
  | 'start-secret-rotation'
  | 'set-bmc-credential'
  | 'external-certificates-check'
  | 'close-session';

/** Where a step stands. `skipped`: the run ended before it; `unknown`: it was running when the run was cut off. */
export type PlanStepStatus = 'done' | 'running' | 'failed' | 'pending' | 'skipped' | 'unknown';

/** One step of the plan, a phase or one of the action plan's own steps. */
export interface PlanStep {
  id: string;
  title: string;
  status: PlanStepStatus;
  /** ISO time the step began; null while pending. */
  startedAt: string | null;
  /** ISO time the step ended; null while pending or running. */
  endedAt: string | null;
  /** How long it took, or has taken so far (running); null while pending. */
  durationMs: number | null;
  /** A short fact about the step (the ERCS it opened on, the fallbacks, the test counts). */
  detail: string | null;
  /** The action plan's own steps (`start-secret-rotation` only), in the order the PEP first reported them. */
  children: PlanStep[];
}

/** A run's plan. */
export interface RunPlan {
  steps: PlanStep[];
  /** Phases done. */
  done: number;
  /** Every phase of the run. */
  total: number;
  /** The action plan's final status (`Completed`, `Failed`), once reported. */
  finalStatus: string | null;
}

/** The phases of a run of `kind`, in order. */
export function plannedPhases(kind: RotationKind): PlanPhaseId[] {
  if (kind === 'bmc') return ['preflight', 'session', 'stamp-information', 'set-bmc-credential', 'close-session'];
  return ['preflight', 'session', 'stamp-information', 'readiness', 'start-secret-rotation', ...(kind === 'external' ? (['external-certificates-check'] as const) : []), 'close-session'];
}

const PHASE_TITLES: Record<PlanPhaseId, string> = {
  preflight: 'Pre-flight checks on this machine',
  session: 'Open the PEP session',
  'stamp-information': 'Get-AzureStackStampInformation',
  readiness: 'Test-AzureStack -Group SecretRotationReadiness',
  'start-secret-rotation': 'Start-SecretRotation',
  'set-bmc-credential': 'Set-BmcCredential',
  'external-certificates-check': 'Test-AzureStack -Include AzsExternalCertificates',
  'close-session': 'Close the PEP session (Remove-PSSession)',
};

const SCRIPT_PHASES = new Set<string>(['stamp-information', 'readiness', 'start-secret-rotation', 'set-bmc-credential', 'external-certificates-check']);

interface Mutable {
  status: PlanStepStatus;
  startedAt: string | null;
  endedAt: string | null;
  title: string;
  detail: string | null;
}

const stepName = (e: RunEvent): string | null => {
  if (typeof e.data?.name === 'string') return e.data.name;
  // Events read back from a bundle's log lines carry no facts; the line itself names the step.
  const m = /^Step '(.+)' status:/.exec(e.text.replace(/^(VERBOSE|WARNING):\s?/, ''));
  return m ? m[1]! : null;
};
const stepStatus = (e: RunEvent): string => {
  if (typeof e.data?.status === 'string') return e.data.status;
  return /status:\s*'?(\w+)'?/.exec(e.text)?.[1] ?? '';
};
/** The script operation an event belongs to; from its text when it carries no facts (an older bundle's log line). */
const scriptStep = (e: RunEvent): string | null => {
  if (typeof e.data?.step === 'string') return e.data.step;
  if (e.data !== null || (e.type !== 'step.started' && e.type !== 'step.finished')) return null;
  if (e.text.startsWith('Get-AzureStackStampInformation')) return 'stamp-information';
  if (e.text.startsWith('Test-AzureStack -Group SecretRotationReadiness')) return 'readiness';
  if (e.text.startsWith('Test-AzureStack -Include AzsExternalCertificates')) return 'external-certificates-check';
  if (e.text.startsWith('Start-SecretRotation')) return 'start-secret-rotation';
  if (e.text.startsWith('Set-BmcCredential')) return 'set-bmc-credential';
  return null;
};
/** Whether a finished script step succeeded: its fact, else the end of its line (`…: did not succeed`). */
const stepOk = (e: RunEvent): boolean => (typeof e.data?.ok === 'boolean' ? e.data.ok : !/did not succeed$/.test(e.text));
const elapsed = (from: string | null, to: string | null, now: number): number | null => {
  if (from === null) return null;
  const end = to === null ? now : Date.parse(to);
  const ms = end - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
};

/**
 * The plan of a run from its stored events.
 *
 * `now` times a step still running. A run that ended leaves the phases it never reached `skipped`, and an
 * interrupted run leaves the one it was in `unknown`: its outcome on the stamp is not known.
 */
export function runPlan(run: { kind: RotationKind; state: RunState; endedAt: string | null }, events: readonly RunEvent[], now: number = Date.now()): RunPlan {
  const phases = plannedPhases(run.kind);
  const state = new Map<PlanPhaseId, Mutable>(phases.map((id) => [id, { status: 'pending', startedAt: null, endedAt: null, title: PHASE_TITLES[id], detail: null }]));
  const phase = (id: PlanPhaseId) => state.get(id);
  const begin = (id: PlanPhaseId, at: string) => {
    const p = phase(id);
    if (p && p.status === 'pending') {
      p.status = 'running';
      p.startedAt = at;
    }
  };
  const end = (id: PlanPhaseId, at: string, ok: boolean) => {
    const p = phase(id);
    if (!p) return;
    if (p.startedAt === null) p.startedAt = at;
    p.status = ok ? 'done' : 'failed';
    p.endedAt = at;
  };

  const childOrder: string[] = [];
  const children = new Map<string, { status: string; startedAt: string; lastAt: string }>();
  let finalStatus: string | null = null;
  let lastPreflight: string | null = null;
  const failedErcs: string[] = [];
  const tests: Record<string, { pass: number; warn: number; fail: number }> = {};

  for (const e of events) {
    switch (e.type) {
      case 'run.state': {
        const to = typeof e.data?.state === 'string' ? e.data.state : null;
        if (to === 'preflight') begin('preflight', e.at);
        if (to === 'failed' && e.data?.refused === true && phase('preflight')?.status !== 'done') end('preflight', e.at, false);
        break;
      }
      case 'preflight.check':
        begin('preflight', e.at);
        lastPreflight = e.at;
        if (e.level === 'error') {
          const p = phase('preflight');
          if (p) p.detail = 'a check failed';
        }
        break;
      case 'session.connecting':
        if (phase('preflight')?.status === 'running') end('preflight', lastPreflight ?? e.at, true);
        begin('session', e.at);
        break;
      case 'session.failed':
        begin('session', e.at);
        if (typeof e.data?.ercs === 'string') failedErcs.push(e.data.ercs);
        break;
      case 'session.opened': {
        end('session', e.at, true);
        const p = phase('session');
        if (p) p.detail = `on ${String(e.data?.ercs ?? 'the ERCS')}${failedErcs.length > 0 ? ` after ${failedErcs.join(', ')} refused` : ''}`;
        break;
      }
      case 'session.closed':
        begin('close-session', e.at);
        end('close-session', e.at, true);
        break;
      case 'step.started': {
        const id = scriptStep(e);
        if (id && SCRIPT_PHASES.has(id)) {
          begin(id as PlanPhaseId, e.at);
          // The started event names the exact command line (switches included, secrets as <secure>).
          const p = phase(id as PlanPhaseId);
          if (p && e.text) p.title = e.text;
        }
        break;
      }
      case 'step.finished': {
        const id = scriptStep(e);
        if (id && SCRIPT_PHASES.has(id)) end(id as PlanPhaseId, e.at, stepOk(e));
        break;
      }
      case 'test.result': {
        const key = scriptStep(e) ?? 'test';
        const counts = (tests[key] ??= { pass: 0, warn: 0, fail: 0 });
        const result = String(e.data?.result ?? '').toLowerCase();
        if (result === 'pass' || result === 'warn' || result === 'fail') counts[result] += 1;
        break;
      }
      case 'action-plan.step': {
        const name = stepName(e);
        if (!name) break;
        begin('start-secret-rotation', e.at);
        const known = children.get(name);
        if (known) {
          known.status = stepStatus(e);
          known.lastAt = e.at;
        } else {
          childOrder.push(name);
          children.set(name, { status: stepStatus(e), startedAt: e.at, lastAt: e.at });
        }
        break;
      }
      case 'action-plan.finished':
      case 'action-plan.status':
      case 'action-plan.instance-status': {
        const status = typeof e.data?.status === 'string' ? e.data.status : (/status:\s*'?(\w+)'?/i.exec(e.text)?.[1] ?? null);
        if (status && /^(completed|success|failed|error)$/i.test(status)) finalStatus ??= status;
        break;
      }
      default:
        break;
    }
  }

  // Preflight of a run that started no session (a rehearsal refused, a storage failure) still ends.
  if (phase('preflight')?.status === 'running' && run.endedAt !== null) end('preflight', lastPreflight ?? run.endedAt, run.state !== 'failed' || events.some((e) => e.type === 'session.connecting'));
  if (phase('session')?.status === 'running' && run.endedAt !== null && !events.some((e) => e.type === 'session.opened')) {
    end('session', run.endedAt, false);
    const p = phase('session');
    if (p) p.detail = failedErcs.length > 0 ? `refused by ${failedErcs.join(', ')}` : null;
  }
  for (const [key, counts] of Object.entries(tests)) {
    const p = phase(key as PlanPhaseId);
    if (p) p.detail = `${counts.pass} passed, ${counts.warn} warnings, ${counts.fail} failed`;
  }

  const ended = run.endedAt !== null && run.state !== 'running' && run.state !== 'preflight' && run.state !== 'draft';
  const success = finalStatus !== null && /^(completed|success)$/i.test(finalStatus);
  const childSteps: PlanStep[] = childOrder.map((name, i) => {
    const c = children.get(name)!;
    const next = childOrder[i + 1] ? children.get(childOrder[i + 1]!)!.startedAt : null;
    const last = i === childOrder.length - 1;
    let status: PlanStepStatus;
    if (/^(error|failed)$/i.test(c.status)) status = 'failed';
    else if (success || !last || /^(success|completed)$/i.test(c.status)) status = 'done';
    else if (finalStatus !== null) status = 'failed';
    else if (ended) status = run.state === 'interrupted' ? 'unknown' : 'failed';
    else status = 'running';
    const endedAt = status === 'running' || status === 'unknown' ? null : (next ?? (last ? (phase('start-secret-rotation')?.endedAt ?? c.lastAt) : c.lastAt));
    return { id: `plan:${name}`, title: name, status, startedAt: c.startedAt, endedAt, durationMs: elapsed(c.startedAt, endedAt, now), detail: null, children: [] };
  });

  const steps: PlanStep[] = phases.map((id) => {
    const p = state.get(id)!;
    let status = p.status;
    if (ended && status === 'pending') status = 'skipped';
    if (ended && status === 'running') status = run.state === 'interrupted' ? 'unknown' : run.state === 'succeeded' ? 'done' : 'failed';
    const endedAt = status === 'running' || status === 'unknown' ? null : p.endedAt ?? (status === 'done' || status === 'failed' ? run.endedAt : null);
    return {
      id,
      title: p.title,
      status,
      startedAt: p.startedAt,
      endedAt,
      durationMs: status === 'pending' || status === 'skipped' ? null : elapsed(p.startedAt, endedAt, now),
      detail: p.detail,
      children: id === 'start-secret-rotation' ? childSteps : [],
    };
  });
  return { steps, done: steps.filter((s) => s.status === 'done').length, total: steps.length, finalStatus };
}

/** A duration as `1 h 02 min`, `4 min 05 s` or `12 s`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}
