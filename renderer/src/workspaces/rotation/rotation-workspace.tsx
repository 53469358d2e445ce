/**
 * The Rotate workspace: set up a PEP run for the active stamp (external certificates, internal secrets or
 * the BMC credential), read its pre-flight, follow it live, and reopen earlier runs of the stamp.
 */
import { useEffect, useState } from 'react';
import { interruptedLabel, type RunPhase } from '../../../../shared/rotation/rotation-run';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { ErrorMessage } from '../../components/error-message';
import { HistoryIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { useAppStore } from '../../stores/app-store';
import { formKey, useRotationStore } from '../../stores/rotation-store';
import { useReadOnly } from '../../stores/review-store';
import { useStampsStore } from '../../stores/stamps-store';
import { LiveRun } from './live-run';
import { PreflightPanel } from './preflight-panel';
import { SetupForm } from './setup-form';
import './rotation.css';

/** The history badge of an interrupted run, worded by the phase it died in (one that never reached the PEP changed nothing). */
function interruptedTitle(phase: RunPhase | null): string {
  const label = interruptedLabel(phase);
  return `${label[0]!.toUpperCase()}${label.slice(1)}`;
}

function RunHistory({ stamp }: { stamp: Stamp }) {
  const runs = useRotationStore((s) => s.runs);
  const loaded = useRotationStore((s) => s.runsLoaded);
  const error = useRotationStore((s) => s.runsError);
  const openRun = useRotationStore((s) => s.openRun);
  const loadRuns = useRotationStore((s) => s.loadRuns);
  const viewedId = useRotationStore((s) => s.viewed?.run.id ?? null);
  const readOnly = useReadOnly();
  const statusOf = (state: string) => (state === 'succeeded' ? 'ok' : state === 'failed' ? 'fail' : state === 'interrupted' ? 'warning' : 'running');
  return (
    <section className="card history-card" aria-labelledby="rotation-history-title">
      <h2 id="rotation-history-title" className="card-title">
        <HistoryIcon />
        {readOnly ? `Runs of ${stamp.name} in the bundle` : `Runs of ${stamp.name}`}
      </h2>
      {error ? <ErrorMessage error={error} onDismiss={() => void loadRuns(stamp.id)} /> : null}
      {!loaded ? (
        <p className="empty-inline">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty-inline">
          {readOnly
            ? 'The bundle holds no rotation run of this stamp. A bundle made from the whole log carries PEP transcripts only: read them in Logs.'
            : 'No rotation has run on this stamp from this machine. Runs from the app and the command line appear here.'}
        </p>
      ) : (
        <ul className="history-list" aria-label="Rotation runs">
          {runs.map((run) => (
            <li key={run.id}>
              <button type="button" className={`history-item${run.id === viewedId ? ' history-item-current' : ''}`} aria-current={run.id === viewedId ? 'true' : undefined} onClick={() => void openRun(run.id, true)}>
                <span className="history-line">
                  <span className="history-name">
                    Run {run.id} · {run.kind}
                    {run.rehearsal ? ' · rehearsal' : ''}
                  </span>
                  <StatusBadge status={statusOf(run.state)} text={run.state === 'interrupted' ? interruptedTitle(run.phase) : run.state} />
                </span>
                <span className="history-time">{formatDateTime(run.startedAt)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PowerShellSetting() {
  const saved = useAppStore((s) => s.settings?.pwshPath ?? '');
  const save = useRotationStore((s) => s.savePwshPath);
  const [value, setValue] = useState(saved);
  useEffect(() => setValue(saved), [saved]);
  return (
    <details className="rotation-advanced">
      <summary>PowerShell</summary>
      <div className="field-with-action">
        <div className="field">
          <label className="field-label" htmlFor="rotation-pwsh">
            PowerShell executable
          </label>
          <input id="rotation-pwsh" className="input mono" placeholder="powershell.exe (Windows) or pwsh" value={value} spellCheck={false} onChange={(e) => setValue(e.target.value)} />
          <p className="field-hint">Leave empty for the default. The AZS_PWSH environment variable, when set, wins.</p>
        </div>
        <button type="button" className="btn rotation-inline-button" disabled={value === saved} onClick={() => void save(value)}>
          Save
        </button>
      </div>
    </details>
  );
}

/** The Rotate workspace. */
export function RotationWorkspace() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const stamp = useStampsStore((s) => s.stamps.find((x) => x.id === activeStampId) ?? null);
  const viewed = useRotationStore((s) => s.viewed);
  const error = useRotationStore((s) => s.error);
  const dismissError = useRotationStore((s) => s.dismissError);
  const preflightCurrent = useRotationStore((s) => (stamp ? s.preflightKey === formKey(s.form, stamp.id) : false));
  const readOnly = useReadOnly();

  useEffect(() => {
    const off = useRotationStore.getState().subscribe();
    // Events sent while this workspace was closed are in the database: read the open run back.
    const open = useRotationStore.getState().viewed;
    if (open) void useRotationStore.getState().openRun(open.run.id);
    return off;
  }, []);

  useEffect(() => {
    if (stamp) void useRotationStore.getState().loadRuns(stamp.id);
  }, [stamp]);

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Rotate</h1>
        <p className="toolbar-sub">PEP secret rotation: external certificates, internal secrets, BMC credential.</p>
        <span className="toolbar-spacer" />
        {stamp?.rehearsal ? <span className="chip rotation-rehearsal-chip">Rehearsal stamp — runs go to the PEP simulator</span> : null}
      </div>
      <div className="workspace-body">
        {error ? <ErrorMessage error={error} onDismiss={dismissError} /> : null}
        {!stamp ? (
          <div className="empty">
            <p className="empty-title">Choose a stamp first</p>
            <p>Pick the stamp to rotate in the header, or add one in Stamps. Its version and ERCS addresses decide how the PEP is driven.</p>
          </div>
        ) : (
          <>
            {viewed && viewed.run.stampId === stamp.id ? <LiveRun viewed={viewed} /> : null}
            <div className="rotation-top">
              <div className="rotation-main">
                {readOnly ? (
                  <section className="card" aria-labelledby="rotation-review-title">
                    <h2 id="rotation-review-title" className="card-title">
                      Rotation runs from the bundle
                    </h2>
                    <p className="setup-summary-text">
                      These are the customer's runs, as their machine recorded them. Read-only: a review cannot start, cancel or rerun anything, and no
                      PEP session is opened from here.
                    </p>
                  </section>
                ) : (
                  <>
                    <SetupForm stamp={stamp} />
                    <PreflightPanel stamp={stamp} current={preflightCurrent} />
                    <PowerShellSetting />
                  </>
                )}
              </div>
              <RunHistory stamp={stamp} />
            </div>
          </>
        )}
      </div>
    </div>
  );
}
