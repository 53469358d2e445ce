/**
 * The live view of a run: state, elapsed time against the estimate, the action plan's steps, the
 * streaming console, Cancel (with its consequences spelled out), and the result with next steps.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatDuration, runPlan, type PlanStep } from '../../../../shared/rotation/action-plan';
import type { RunEvent } from '../../../../shared/rotation/rotation-run';
import { isPreflightRefusal } from '../../../../shared/rotation/rotation-run';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { StopIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime, formatElapsed, formatTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useReadOnly } from '../../stores/review-store';
import { useRotationStore, type ViewedRun } from '../../stores/rotation-store';

const STATE_LABEL: Record<ViewedRun['run']['state'], string> = {
  draft: 'Draft',
  preflight: 'Pre-flight',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  interrupted: 'Interrupted — outcome unknown',
};

function StateBadge({ run, refused }: { run: ViewedRun['run']; refused: boolean }) {
  if (run.state === 'succeeded') return <StatusBadge status="ok" text={STATE_LABEL.succeeded} />;
  if (run.state === 'failed') return <StatusBadge status="fail" text={refused || isPreflightRefusal(run.outcome) ? 'Refused by pre-flight' : STATE_LABEL.failed} />;
  if (run.state === 'interrupted') return <StatusBadge status="warning" text={STATE_LABEL.interrupted} />;
  return <StatusBadge status="running" text={STATE_LABEL[run.state]} />;
}

const LEVEL_CLASS: Record<RunEvent['level'], string> = { debug: 'log-debug', verbose: 'log-verbose', info: 'log-info', warning: 'log-warning', error: 'log-error' };

function Console({ events }: { events: readonly RunEvent[] }) {
  const [verbose, setVerbose] = useState(true);
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const shown = useMemo(() => events.filter((e) => e.level !== 'debug' && (verbose || e.level !== 'verbose')), [events, verbose]);
  useEffect(() => {
    const el = ref.current;
    // Follow the output unless the operator scrolled up to read something.
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown.length]);
  return (
    <section className="rotation-console-wrap" aria-labelledby="rotation-console-title">
      <div className="rotation-card-head">
        <h3 id="rotation-console-title" className="section-title">
          Console <span className="section-title-note">times in UTC</span>
        </h3>
        <label className="check">
          <input type="checkbox" checked={verbose} onChange={(e) => setVerbose(e.target.checked)} />
          <span>Verbose lines</span>
        </label>
      </div>
      <div
        ref={ref}
        className="rotation-console mono"
        role="log"
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown.map((e) => (
          <div key={e.seq} className={`rotation-log-line ${LEVEL_CLASS[e.level]}`}>
            <span className="rotation-log-time">{formatTime(e.at)}</span> <span className="rotation-log-text">{e.text}</span>
          </div>
        ))}
      </div>
    </section>
  );
}

const GLYPH: Record<PlanStep['status'], string> = { done: '✓', running: '…', failed: '✗', pending: '○', skipped: '–', unknown: '?' };
const STATUS_WORDS: Record<PlanStep['status'], string> = {
  done: 'done',
  running: 'running',
  failed: 'failed',
  pending: 'pending',
  skipped: 'not run',
  unknown: 'outcome unknown',
};

function StepTime({ step }: { step: PlanStep }) {
  if (step.startedAt === null || step.durationMs === null) return <span className="plan-time plan-time-none">{step.status === 'skipped' ? 'not run' : '—'}</span>;
  return (
    <span className="plan-time" title={`Started ${formatDateTime(step.startedAt)}${step.endedAt ? `, ended ${formatDateTime(step.endedAt)}` : ''}`}>
      <span className="plan-clock">{formatTime(step.startedAt)}</span> {formatDuration(step.durationMs)}
      {step.status === 'running' ? ' so far' : ''}
    </span>
  );
}

function PlanItem({ step }: { step: PlanStep }) {
  return (
    <li className={`plan-step plan-step-${step.status}`}>
      <span className="plan-glyph" aria-hidden="true">
        {GLYPH[step.status]}
      </span>
      <span className="plan-title">
        <span className="plan-name">{step.title}</span>
        <span className="sr-only">: {STATUS_WORDS[step.status]}</span>
        {step.detail ? <span className="plan-detail">{step.detail}</span> : null}
      </span>
      <StepTime step={step} />
      {step.id === 'start-secret-rotation' ? (
        step.children.length > 0 ? (
          <ol className="plan-children" aria-label="Action plan steps">
            {step.children.map((c) => (
              <PlanItem key={c.id} step={c} />
            ))}
          </ol>
        ) : step.status === 'pending' || step.status === 'running' ? (
          <p className="plan-children-note">The PEP reports the action plan's own steps one at a time as they run; it does not publish them beforehand.</p>
        ) : null
      ) : null}
    </li>
  );
}

/**
 * The whole run as a plan: every phase with its status and time, pending ones included, and the action
 * plan's own steps under Start-SecretRotation.
 */
function Plan({ run, events, now }: { run: ViewedRun['run']; events: readonly RunEvent[]; now: number }) {
  const plan = useMemo(() => runPlan(run, events, now), [run, events, now]);
  return (
    <section className="rotation-plan" aria-labelledby="rotation-steps-title">
      <div className="rotation-card-head">
        <h3 id="rotation-steps-title" className="section-title">
          Action plan <span className="section-title-note">times in UTC</span>
        </h3>
        <span className="toolbar-spacer" />
        <span className="plan-progress" id="rotation-plan-progress">
          {plan.done} of {plan.total} steps done
        </span>
      </div>
      <progress className="progress plan-bar" max={plan.total} value={plan.done} aria-labelledby="rotation-plan-progress" />
      <ol className="plan" aria-label="Run plan">
        {plan.steps.map((step) => (
          <PlanItem key={step.id} step={step} />
        ))}
      </ol>
    </section>
  );
}

/** The run open in the live view. */
export function LiveRun({ viewed }: { viewed: ViewedRun }) {
  const { run, events } = viewed;
  const active = run.state === 'draft' || run.state === 'preflight' || run.state === 'running';
  const now = useNow(active, 1000);
  const confirming = useRotationStore((s) => s.confirmingCancel);
  const cancelling = useRotationStore((s) => s.cancelling);
  const askCancel = useRotationStore((s) => s.askCancel);
  const dismissCancel = useRotationStore((s) => s.dismissCancel);
  const confirmCancel = useRotationStore((s) => s.confirmCancel);
  const closeRun = useRotationStore((s) => s.closeRun);
  const readOnly = useReadOnly();
  const reveal = useRotationStore((s) => s.revealRunId === run.id);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!reveal) return;
    sectionRef.current?.scrollIntoView({ block: 'start' });
    sectionRef.current?.focus({ preventScroll: true });
    useRotationStore.getState().revealed();
  }, [reveal]);
  const started = Date.parse(run.startedAt);
  const ended = run.endedAt ? Date.parse(run.endedAt) : now;
  const elapsed = ended - started;
  const estimateMs = (run.estimateSeconds ?? 0) * 1000;
  // The run row learns the ERCS and the plan id between state changes; the events carry them as they arrive.
  const ercs = run.ercs ?? (events.findLast((e) => e.type === 'session.opened')?.data?.ercs as string | undefined) ?? null;
  const planId = run.actionPlanInstanceId ?? (events.find((e) => e.type === 'action-plan.instance')?.data?.instanceId as string | undefined) ?? null;
  const nextSteps = viewed.nextSteps.length > 0 ? viewed.nextSteps : ((events.findLast((e) => e.type === 'run.next-steps')?.data?.nextSteps as string[] | undefined) ?? []);

  return (
    <section ref={sectionRef} tabIndex={-1} className={`card rotation-live${run.rehearsal ? ' rotation-live-rehearsal' : ''}`} aria-labelledby="rotation-live-title">
      <div className="rotation-card-head">
        <h2 id="rotation-live-title" className="card-title">
          Run {run.id}: {run.kind} rotation of {run.stamp}
        </h2>
        {run.rehearsal ? <span className="chip rotation-rehearsal-chip">REHEARSAL — PEP simulator ({run.scenario})</span> : null}
        <StateBadge run={run} refused={viewed.refused} />
        <span className="toolbar-spacer" />
        {readOnly ? (
          <span className="badge badge-warning">From the bundle — read-only</span>
        ) : active ? (
          <button type="button" className="btn" disabled={cancelling} onClick={askCancel}>
            <StopIcon />
            {cancelling ? 'Cancelling…' : 'Cancel run…'}
          </button>
        ) : (
          <button type="button" className="btn btn-ghost" onClick={closeRun}>
            Close
          </button>
        )}
      </div>
      <dl className="rotation-facts">
        <dt>Started</dt>
        <dd>{formatDateTime(run.startedAt)}</dd>
        {run.endedAt ? (
          <>
            <dt>Ended</dt>
            <dd>{formatDateTime(run.endedAt)}</dd>
          </>
        ) : null}
        <dt>Elapsed</dt>
        <dd aria-live="off">
          {formatElapsed(elapsed)}
          {estimateMs > 0 && active ? ` of about ${formatElapsed(estimateMs)}` : ''}
        </dd>
        <dt>ERCS</dt>
        <dd className="mono">{ercs ?? '—'}</dd>
        <dt>Action plan</dt>
        <dd className="mono">{planId ?? '—'}</dd>
        {run.rerunOf ? (
          <>
            <dt>Rerun of</dt>
            <dd>Run {run.rerunOf}</dd>
          </>
        ) : null}
      </dl>
      {active && estimateMs > 0 ? (
        // Capped below 100 %: only the action plan's own final line says the run is done.
        <progress className="progress" max={100} value={Math.min(95, (elapsed / estimateMs) * 100)} aria-label="Time elapsed against the estimate" />
      ) : null}

      {!active ? (
        <div className={`rotation-result rotation-result-${run.state}`} role="status">
          <p className="rotation-result-title">
            {run.state === 'interrupted' ? 'Interrupted — outcome unknown. ' : ''}
            {run.outcome}
          </p>
          {viewed.guidance && run.state === 'interrupted' ? <p>{viewed.guidance}</p> : null}
          {nextSteps.length > 0 ? (
            <>
              <h3 className="section-title">Next steps</h3>
              <ol>
                {nextSteps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </>
          ) : null}
        </div>
      ) : null}

      <div className="rotation-live-split">
        <Plan run={run} events={events} now={now} />
        <Console events={events} />
      </div>

      {confirming && !readOnly ? (
        <ConfirmDialog title="Stop this rotation run?" confirmLabel="Stop the run" destructive onConfirm={() => void confirmCancel()} onCancel={dismissCancel}>
          <p>Stopping asks PowerShell on this machine to close the PEP session (Remove-PSSession) and end; if it has not ended after 10 seconds, it is terminated.</p>
          <p>
            <strong>An action plan that has already started keeps running on the stamp.</strong> The run is then recorded as interrupted — outcome unknown — and you check how it
            ended with Get-ActionStatus in a new PEP session. Stopping before the rotation has started changes nothing on the stamp.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
