/**
 * The Procedures workspace: guided checklists for the active stamp — start one, see the steps its version
 * needs, let automatic items turn green from recorded facts, confirm the rest, export the runbook.
 */
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon, PlusIcon } from '../../components/icons';
import { formatDateTime } from '../../lib/format';
import { useAppStore } from '../../stores/app-store';
import { useProceduresStore } from '../../stores/procedures-store';
import { useStampsStore } from '../../stores/stamps-store';
import { useValidationStore } from '../../stores/validation-store';
import { PROCEDURES, findProcedure } from '../../../../shared/procedures/definitions';
import { gateApplies, type ProcedureId } from '../../../../shared/procedures/model';
import { parameterProblems } from '../../../../shared/procedures/render';
import { VERIFIER_LABELS, type Evidence } from '../../../../shared/procedures/verifiers';
import type { ChecklistStep } from '../../../../shared/procedures/checklist';
import { ParametersPanel } from './parameters-panel';
import './procedures.css';

const STATUS_WORDS: Record<ChecklistStep['status'], { glyph: string; word: string; tone: string }> = {
  done: { glyph: '✓', word: 'Done', tone: 'ok' },
  failed: { glyph: '✗', word: 'Check failed', tone: 'fail' },
  waiting: { glyph: '…', word: 'Waiting', tone: 'warning' },
  blocked: { glyph: '–', word: 'Not yet', tone: 'skipped' },
  open: { glyph: '○', word: 'To do', tone: 'skipped' },
};

function openEvidence(evidence: Evidence) {
  if (evidence.kind !== 'validation-run') return;
  useAppStore.getState().setWorkspace('certificates');
  void useValidationStore.getState().openRun(evidence.id);
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function StepItem({ step, index, editable }: { step: ChecklistStep; index: number; editable: boolean }) {
  const confirm = useProceduresStore((s) => s.confirm);
  const unconfirm = useProceduresStore((s) => s.unconfirm);
  const busy = useProceduresStore((s) => s.busy);
  const [note, setNote] = useState('');
  const status = STATUS_WORDS[step.status];
  const titleId = `step-${step.id}-title`;
  return (
    <li className="proc-step" data-status={step.status} data-step={step.id}>
      <section aria-labelledby={titleId}>
        <div className="proc-step-head">
          <span className={`badge badge-${status.tone}`}>
            <span aria-hidden="true" className="badge-glyph">
              {status.glyph}
            </span>
            {status.word}
          </span>
          <h3 id={titleId} className="proc-step-title">
            <span className="proc-step-number">{index + 1}. </span>
            {step.title}
          </h3>
          <span className="chip chip-small">{step.mode === 'auto' ? 'Automatic' : 'Manual'}</span>
          {step.optional ? <span className="chip chip-small">Optional</span> : null}
          {step.gate ? <span className="chip chip-small">Version {step.gate}</span> : null}
        </div>
        <p className="proc-why">{step.why}</p>
        {step.notes.map((n) => (
          <p key={n} className="proc-note">
            {n}
          </p>
        ))}
        {step.verifiers.length > 0 ? (
          <ul className="proc-verifiers" aria-label="Automatic checks">
            {step.verifiers.map((v, i) => (
              <li key={v.id}>
                <span className={`proc-verifier-state proc-verifier-${v.state}`}>{VERIFIER_LABELS[v.id]}: </span>
                {v.message}{' '}
                {/* Several checks of one step often share one piece of evidence: link it once. */}
                {v.evidence && !step.verifiers.slice(0, i).some((o) => o.evidence?.kind === v.evidence?.kind && o.evidence?.id === v.evidence?.id) ? (
                  v.evidence.kind === 'validation-run' ? (
                    <button type="button" className="proc-link" onClick={() => openEvidence(v.evidence as Evidence)}>
                      Open {v.evidence.label.toLowerCase()}
                    </button>
                  ) : (
                    <span>({v.evidence.label})</span>
                  )
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {step.checks.length > 0 ? (
          <ul className="proc-checks" aria-label="Check afterwards">
            {step.checks.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        ) : null}
        {step.window ? (
          <p className="proc-window" data-state={step.window.state}>
            {step.window.state === 'running'
              ? `Running since ${formatDateTime(step.window.startedAt)}: expect the end between ${formatDateTime(step.window.earliest)} and ${formatDateTime(step.window.latest)}.`
              : step.window.state === 'due'
                ? `Due now: the rotation should end by ${formatDateTime(step.window.latest)}.`
                : `Overdue since ${formatDateTime(step.window.latest)}: check the provider, and open a support request if it has not finished.`}
          </p>
        ) : null}
        {step.command ? (
          <div className="proc-command">
            <pre aria-label={`Command for step ${index + 1}`}>{step.command}</pre>
            <CopyButton text={step.command} label={`Copy the command of step ${index + 1}`} />
          </div>
        ) : null}
        {step.confirmation ? (
          <p className="proc-confirmed">
            ✓ Confirmed {formatDateTime(step.confirmation.confirmedAt)} by {step.confirmation.actor}
            {step.confirmation.note ? ` — ${step.confirmation.note}` : ''}
            {editable ? (
              <>
                {' '}
                <button type="button" className="proc-link" onClick={() => void unconfirm(step.id)} aria-label={`Undo the confirmation of step ${index + 1}`}>
                  Undo
                </button>
              </>
            ) : null}
          </p>
        ) : step.doneBy === 'auto' ? (
          <p className="proc-confirmed">✓ Verified automatically from the recorded facts.</p>
        ) : editable ? (
          <>
            {step.blockedReason ? (
              <p className="proc-blocked">
                {step.blockedReason}
                {step.waitUntil ? ` Possible from ${formatDateTime(step.waitUntil)}.` : ''}
              </p>
            ) : null}
            <div className="proc-confirm">
              <input
                className="input"
                type="text"
                value={note}
                maxLength={2000}
                placeholder="Note (optional): change number, who did it, what you saw"
                aria-label={`Note for step ${index + 1}`}
                onChange={(e) => setNote(e.target.value)}
              />
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy || step.blockedReason !== null}
                onClick={() => void confirm(step.id, note.trim() ? note : null).then((ok) => ok && setNote(''))}
              >
                {step.mode === 'auto' ? `Confirm step ${index + 1} manually` : `Confirm step ${index + 1}`}
              </button>
            </div>
          </>
        ) : null}
      </section>
    </li>
  );
}

function StartForm({ version }: { version: string }) {
  const draft = useProceduresStore((s) => s.draft);
  const setDraftProcedure = useProceduresStore((s) => s.setDraftProcedure);
  const setDraftParameter = useProceduresStore((s) => s.setDraftParameter);
  const cancelDraft = useProceduresStore((s) => s.cancelDraft);
  const start = useProceduresStore((s) => s.start);
  const busy = useProceduresStore((s) => s.busy);
  const [submitted, setSubmitted] = useState(false);
  if (!draft) return null;
  const definition = findProcedure(draft.procedureId);
  if (!definition) return null;
  const problems = parameterProblems(definition, draft.parameters);
  return (
    <form
      aria-labelledby="start-title"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(problems).length === 0) void start();
      }}
    >
      <h2 id="start-title" className="proc-title">
        Start a procedure
      </h2>
      <div className="proc-form-grid">
        <div className="field">
          <label className="field-label" htmlFor="procedure-kind">
            Procedure
          </label>
          <select id="procedure-kind" className="select" value={draft.procedureId} onChange={(e) => setDraftProcedure(e.target.value as ProcedureId)}>
            {PROCEDURES.map((p) => (
              <option key={p.id} value={p.id} disabled={!gateApplies(p.gate, version)}>
                {p.title}
                {gateApplies(p.gate, version) ? '' : ` (needs ${p.gate?.from ?? ''}+)`}
              </option>
            ))}
          </select>
          <p className="field-hint">{definition.summary}</p>
        </div>
      </div>
      <ParametersPanel definition={definition} values={draft.parameters} problems={submitted ? problems : {}} onChange={setDraftParameter} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Start {definition.title.toLowerCase()}
        </button>
        <button type="button" className="btn" onClick={cancelDraft}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ChecklistView() {
  const checklist = useProceduresStore((s) => s.checklist);
  const finish = useProceduresStore((s) => s.finish);
  const exportRunbook = useProceduresStore((s) => s.exportRunbook);
  const refresh = useProceduresStore((s) => s.refresh);
  const busy = useProceduresStore((s) => s.busy);
  const [askAbandon, setAskAbandon] = useState(false);

  // A step held back by a timer becomes confirmable on its own; ask the backend again when it is due.
  const nextWake = checklist?.steps
    .map((s) => (s.waitUntil ? Date.parse(s.waitUntil) : s.window && s.window.state !== 'overdue' ? Date.parse(s.window.state === 'running' ? s.window.earliest : s.window.latest) : NaN))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b)[0];
  useEffect(() => {
    if (nextWake === undefined) return;
    const timer = window.setTimeout(() => void refresh(), Math.max(1000, Math.min(nextWake - Date.now() + 500, 2_147_000_000)));
    return () => window.clearTimeout(timer);
  }, [nextWake, refresh]);

  if (!checklist) return null;
  const run = checklist.run;
  const editable = run.state === 'open';
  const percent = checklist.required === 0 ? 100 : Math.round((checklist.done / checklist.required) * 100);
  return (
    <div>
      <div className="proc-head">
        <h2 className="proc-title">{checklist.title}</h2>
        <span className={`badge badge-${run.state === 'completed' ? 'ok' : run.state === 'abandoned' ? 'skipped' : 'info'}`}>
          {run.state === 'open' ? 'In progress' : run.state === 'completed' ? 'Completed' : 'Abandoned'}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="btn" onClick={() => void exportRunbook()}>
          <ExportIcon />
          Export runbook
        </button>
        {editable ? (
          <>
            <button type="button" className="btn btn-primary" disabled={busy || !checklist.complete} onClick={() => void finish('completed')}>
              Mark completed
            </button>
            <button type="button" className="btn btn-danger-quiet" disabled={busy} onClick={() => setAskAbandon(true)}>
              Abandon
            </button>
          </>
        ) : null}
      </div>
      <p className="proc-sub">
        {run.stampName}, version {run.stampVersion} · commands run in: {checklist.shell} · started {formatDateTime(run.startedAt)}
        {run.finishedAt ? ` · closed ${formatDateTime(run.finishedAt)}` : ''}
      </p>
      <div className="proc-progress">
        <div className="proc-progress-bar" role="progressbar" aria-label="Required steps done" aria-valuemin={0} aria-valuemax={checklist.required} aria-valuenow={checklist.done}>
          <div className="proc-progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <span>
          {checklist.done} of {checklist.required} required steps done
        </span>
      </div>
      {editable ? <RunParameters /> : null}
      <ol className="proc-steps" aria-label="Steps">
        {checklist.steps.map((step, i) => (
          <StepItem key={`${run.id}-${step.id}`} step={step} index={i} editable={editable} />
        ))}
      </ol>
      {askAbandon ? (
        <ConfirmDialog
          title={`Abandon ${checklist.title.toLowerCase()} for ${run.stampName}?`}
          confirmLabel="Abandon procedure"
          destructive
          onCancel={() => setAskAbandon(false)}
          onConfirm={() => {
            setAskAbandon(false);
            void finish('abandoned');
          }}
        >
          <p>The checklist is kept with its confirmations but can no longer change. Start a new procedure to carry on later.</p>
        </ConfirmDialog>
      ) : null}
      {checklist.omitted.length > 0 ? (
        <p className="proc-omitted">
          Left out for version {run.stampVersion}: {checklist.omitted.map((o) => `${o.title} (${o.gate})`).join('; ')}.
        </p>
      ) : null}
    </div>
  );
}

function RunParameters() {
  const checklist = useProceduresStore((s) => s.checklist);
  const saveParameters = useProceduresStore((s) => s.saveParameters);
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...(checklist?.run.parameters ?? {}) }));
  // Compared as text: every refresh brings a new object, and unsaved edits must survive a refresh that did
  // not change the stored values.
  const stored = JSON.stringify(checklist?.run.parameters ?? {});
  useEffect(() => {
    setValues(JSON.parse(stored) as Record<string, string>);
  }, [stored]);
  if (!checklist) return null;
  const definition = findProcedure(checklist.run.procedureId);
  if (!definition || definition.parameters.length === 0) return null;
  const problems = parameterProblems(definition, values);
  return (
    <details className="proc-params" open={definition.id === 'container-registry' || undefined}>
      <summary>Values used in the commands</summary>
      <ParametersPanel
        definition={definition}
        values={values}
        problems={problems}
        onChange={(k, v) => setValues((old) => ({ ...old, [k]: v }))}
        onThumbprint={(thumbprint) => void saveParameters({ ...values, thumbprint })}
      />
      <div className="form-actions">
        <button type="button" className="btn" disabled={Object.keys(problems).length > 0} onClick={() => void saveParameters(values)}>
          Save values
        </button>
      </div>
    </details>
  );
}

function RunsList() {
  const runs = useProceduresStore((s) => s.runs);
  const runsLoaded = useProceduresStore((s) => s.runsLoaded);
  const currentId = useProceduresStore((s) => s.checklist?.run.id ?? null);
  const open = useProceduresStore((s) => s.open);
  return (
    <section className="pane proc-side" aria-labelledby="proc-runs-title">
      <h2 id="proc-runs-title" className="card-title">
        Procedure runs
      </h2>
      {!runsLoaded ? (
        <p className="empty-inline">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty-inline">No procedure started for this stamp yet.</p>
      ) : (
        <ul className="proc-runs" aria-label="Procedure runs">
          {runs.map((r) => (
            <li key={r.id}>
              <button type="button" className="proc-run-button" aria-current={r.id === currentId ? 'true' : undefined} onClick={() => void open(r.id)}>
                <strong>{r.title}</strong>
                <span className="proc-run-meta">
                  {r.state === 'open' ? 'In progress' : r.state === 'completed' ? 'Completed' : 'Abandoned'} · {r.done}/{r.required} · {formatDateTime(r.startedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The Procedures workspace. */
export function ProceduresWorkspace() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const stamp = useStampsStore((s) => s.stamps.find((x) => x.id === activeStampId) ?? null);
  const loadRuns = useProceduresStore((s) => s.loadRuns);
  const runs = useProceduresStore((s) => s.runs);
  const runsLoaded = useProceduresStore((s) => s.runsLoaded);
  const checklist = useProceduresStore((s) => s.checklist);
  const draft = useProceduresStore((s) => s.draft);
  const error = useProceduresStore((s) => s.error);
  const notice = useProceduresStore((s) => s.notice);
  const startDraft = useProceduresStore((s) => s.startDraft);
  const open = useProceduresStore((s) => s.open);
  const refresh = useProceduresStore((s) => s.refresh);
  const dismissError = useProceduresStore((s) => s.dismissError);
  const stampId = stamp?.id ?? null;

  useEffect(() => {
    void loadRuns(stampId);
  }, [stampId, loadRuns]);
  // Automatic items read facts recorded elsewhere (a validation just run, a CLI backup): re-judge when the
  // operator comes back to the workspace or to the window.
  useEffect(() => {
    void refresh();
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh]);
  // Resume where the operator was: the newest open run of the stamp.
  const resumable = runs.find((r) => r.state === 'open');
  useEffect(() => {
    if (runsLoaded && !checklist && !draft && resumable) void open(resumable.id);
  }, [runsLoaded, checklist, draft, resumable, open]);

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Procedures</h1>
        <p className="toolbar-sub">Guided rotation checklists for {stamp ? stamp.name : 'the active stamp'}.</p>
        <span className="toolbar-spacer" />
        {stamp ? (
          <button type="button" className="btn btn-primary" onClick={() => startDraft('external-certificates')}>
            <PlusIcon />
            New procedure
          </button>
        ) : null}
      </div>
      <div className="live-notice" role="status" aria-live="polite">
        {notice}
      </div>
      {error ? (
        <div className="workspace-messages">
          <ErrorMessage error={error} onDismiss={dismissError} />
        </div>
      ) : null}
      {!stamp ? (
        <div className="workspace-body">
          <div className="empty">
            <p className="empty-title">No active stamp</p>
            <p>Procedures are gated by the stamp’s version: choose the active stamp in the header, or create one in Stamps.</p>
          </div>
        </div>
      ) : (
        <div className="proc-layout">
          <section className="pane proc-main" aria-label={draft ? 'Start a procedure' : 'Checklist'}>
            {draft ? (
              <StartForm version={stamp.version} />
            ) : checklist ? (
              <ChecklistView />
            ) : (
              <div className="empty">
                <p className="empty-title">No procedure open</p>
                <p>Start one to get the steps for version {stamp.version}, with the commands filled in for {stamp.name}.</p>
                <button type="button" className="btn btn-primary" onClick={() => startDraft('external-certificates')}>
                  <PlusIcon />
                  New procedure
                </button>
              </div>
            )}
          </section>
          <RunsList />
        </div>
      )}
    </div>
  );
}
