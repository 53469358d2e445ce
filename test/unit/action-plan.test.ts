import { describe, expect, it } from 'vitest';
import { stepsFor } from '../../electron/services/pep/script-builder';
import { formatDuration, plannedPhases, runPlan } from '../../shared/rotation/action-plan';
import type { RunEvent } from '../../shared/rotation/rotation-run';

const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 8, 0, s)).toISOString();
let seq = 0;
const ev = (s: number, type: string, data: Record<string, unknown> | null = null, text = ''): RunEvent => ({ seq: ++seq, at: at(s), level: 'info', type, text, data });

describe('run plan', () => {
  it('lists the script operations the PEP script builder generates, in its order, for every kind and version', () => {
    for (const kind of ['external', 'internal', 'bmc'] as const) {
      for (const version of ['1809', '2108']) {
        for (const rerun of [false, true]) {
          const ops = stepsFor(kind, { version, rerun }).map((s) => s.op);
          const phases = plannedPhases(kind).filter((p) => p !== 'preflight' && p !== 'session' && p !== 'close-session');
          expect(phases, `${kind} ${version} rerun=${rerun}`).toEqual(ops);
        }
      }
    }
  });

  it('shows every phase, pending ones included, with durations and the action plan steps as reported', () => {
    const events = [
      ev(0, 'run.state', { state: 'preflight' }),
      ev(2, 'preflight.check', { id: 'share', status: 'ok' }),
      ev(5, 'session.connecting', { ercs: '10.0.0.1' }),
      ev(9, 'session.failed', { ercs: '10.0.0.1' }),
      ev(11, 'session.opened', { ercs: '10.0.0.2' }),
      ev(12, 'step.started', { step: 'stamp-information' }, 'Get-AzureStackStampInformation'),
      ev(20, 'step.finished', { step: 'stamp-information', ok: true }),
      ev(21, 'step.started', { step: 'readiness' }, 'Test-AzureStack -Group SecretRotationReadiness'),
      ev(40, 'step.finished', { step: 'readiness', ok: true }),
      ev(41, 'step.started', { step: 'start-secret-rotation' }, 'Start-SecretRotation -PfxFilesPath \\\\h\\s\\Certificates'),
      ev(50, 'action-plan.step', { name: 'Validate', status: 'InProgress' }),
      // A line read back from a bundle's log carries no facts: the text names the step.
      ev(70, 'action-plan.step', null, "Step 'Import' status: 'InProgress'"),
    ];
    const plan = runPlan({ kind: 'external', state: 'running', endedAt: null }, events, Date.parse(at(100)));
    expect(plan.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'preflight:done',
      'session:done',
      'stamp-information:done',
      'readiness:done',
      'start-secret-rotation:running',
      'external-certificates-check:pending',
      'close-session:pending',
    ]);
    expect(plan.done).toBe(4);
    expect(plan.total).toBe(7);
    expect(plan.steps[1]).toMatchObject({ durationMs: 6000, detail: 'on 10.0.0.2 after 10.0.0.1 refused' });
    expect(plan.steps[4]!.title).toBe('Start-SecretRotation -PfxFilesPath \\\\h\\s\\Certificates');
    expect(plan.steps[4]!.durationMs).toBe(59_000);
    expect(plan.steps[4]!.children.map((c) => [c.title, c.status, c.durationMs])).toEqual([
      ['Validate', 'done', 20_000],
      ['Import', 'running', 30_000],
    ]);
    expect(plan.steps[5]!.durationMs).toBeNull();
  });

  it('marks the phases a failed run never reached as skipped, and the cut-off one of an interrupted run as unknown', () => {
    const events = [ev(0, 'run.state', { state: 'preflight' }), ev(5, 'session.connecting', {}), ev(6, 'session.opened', { ercs: 'x' }), ev(7, 'step.started', { step: 'stamp-information' })];
    const failed = runPlan({ kind: 'bmc', state: 'failed', endedAt: at(30) }, events);
    expect(failed.steps.map((s) => s.status)).toEqual(['done', 'done', 'failed', 'skipped', 'skipped']);
    const interrupted = runPlan({ kind: 'bmc', state: 'interrupted', endedAt: at(30) }, events);
    expect(interrupted.steps.map((s) => s.status)).toEqual(['done', 'done', 'unknown', 'skipped', 'skipped']);
  });

  it("reads an older bundle's log lines, which carry no facts, by their text", () => {
    const line = (s: number, type: string, text: string): RunEvent => ({ seq: ++seq, at: at(s), level: 'info', type, text, data: null });
    const events = [
      line(0, 'session.opened', 'PEP session opened on 10.0.0.1'),
      line(1, 'step.started', 'Get-AzureStackStampInformation'),
      line(4, 'step.finished', 'Get-AzureStackStampInformation: done'),
      line(5, 'step.started', 'Test-AzureStack -Group SecretRotationReadiness'),
      line(9, 'step.finished', 'Test-AzureStack -Group SecretRotationReadiness: did not succeed'),
    ];
    const plan = runPlan({ kind: 'internal', state: 'failed', endedAt: at(10) }, events);
    expect(plan.steps.map((s) => s.status)).toEqual(['skipped', 'done', 'done', 'failed', 'skipped', 'skipped']);
  });

  it('formats durations', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
});
