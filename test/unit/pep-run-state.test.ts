/**
 * The rotation run state machine: allowed transitions, the repository's atomic state changes and event
 * numbering, interrupted-run detection, and the outcome decision for every way a PEP session can end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canTransition, interruptedLabel, RUN_STATES, RUN_TRANSITIONS, parseSimScenario, pfxFilesPathProblem, bmcUserProblem, type RunState } from '../../shared/rotation/rotation-run';
import { PepOutputParser, type ParsedFacts } from '../../electron/services/pep/parser';
import type { TransportOutcome } from '../../electron/services/pep/transport';
import { decideOutcome } from '../../electron/services/rotation/outcome';
import { interruptedGuidance, ownerIsGone, reconcileInterrupted } from '../../electron/services/rotation/liveness';
import { Store } from '../../electron/services/store/store';
import type { RotationRunInput } from '../../electron/services/store/rotation-runs-repository';
import { tempDir } from './ipc-fixtures';

const STAMP = { name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'adfs' as const, version: '2108', ercsIps: ['10.0.0.1'], currentCaKind: 'enterprise' as const, resourceProviders: [], rehearsal: false };

describe('run state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed: [RunState, RunState][] = [
      ['draft', 'preflight'],
      ['draft', 'failed'],
      ['draft', 'interrupted'],
      ['preflight', 'running'],
      ['preflight', 'failed'],
      ['preflight', 'interrupted'],
      ['running', 'succeeded'],
      ['running', 'failed'],
      ['running', 'interrupted'],
      ['interrupted', 'succeeded'],
      ['interrupted', 'failed'],
    ];
    for (const from of RUN_STATES) {
      for (const to of RUN_STATES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(allowed.some(([a, b]) => a === from && b === to));
      }
    }
    expect(RUN_TRANSITIONS.succeeded).toEqual([]);
    expect(RUN_TRANSITIONS.failed).toEqual([]);
  });

  it('parses scenarios and input rules', () => {
    expect(parseSimScenario('fail-at-step:3')).toEqual({ kind: 'fail-at-step', step: 3 });
    expect(parseSimScenario('fail-at-step:0')).toHaveProperty('problem');
    expect(parseSimScenario('meteor-strike')).toHaveProperty('problem');
    expect(pfxFilesPathProblem('\\\\fs01\\c$\\rotation\\Certificates')).toBeNull();
    expect(pfxFilesPathProblem('\\\\fs01\\share\\certificates')).toBeNull();
    expect(pfxFilesPathProblem('//fs01/share/Certificates')).toMatch(/not a UNC path/);
    expect(pfxFilesPathProblem('\\\\fs01\\share\\Certificates\\AAD')).toMatch(/must end with the Certificates folder/);
    expect(bmcUserProblem('a'.repeat(16))).toBeNull();
    expect(bmcUserProblem('a'.repeat(17))).toMatch(/17 characters/);
  });
});

describe('rotation runs repository', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let stampId: number;
  const input = (over: Partial<RotationRunInput> = {}): RotationRunInput => ({
    stampId,
    stampName: 'Lab',
    kind: 'external',
    rehearsal: false,
    scenario: null,
    source: 'cli',
    startedAt: '2026-01-01T00:00:00.000Z',
    rerunOf: null,
    parameters: { pepUser: 'AZURESTACK\\CloudAdmin', certificatePassword: 'leak?' },
    ownerPid: 424242,
    ownerHost: 'jump01',
    ...over,
  });
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('rotation-repo'));
    store = Store.open({ dataDir: dir });
    stampId = store.stamps.create(STAMP, 't0').id;
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('creates runs in draft and refuses transitions the state machine forbids, atomically', () => {
    const id = store.rotations.create(input());
    expect(store.rotations.get(id)).toMatchObject({ state: 'draft', stamp: 'Lab', endedAt: null, reachedPep: false });
    expect(store.rotations.transition(id, { to: 'succeeded', at: 't1', outcome: 'nope' })).toBeNull();
    expect(store.rotations.transition(id, { to: 'preflight', at: 't1' })).toMatchObject({ seq: 1, type: 'run.state', data: { state: 'preflight' } });
    expect(store.rotations.transition(id, { to: 'running', at: 't2' })).not.toBeNull();
    expect(store.rotations.transition(id, { to: 'succeeded', at: 't3', outcome: 'done' })).toMatchObject({ text: 'done' });
    expect(store.rotations.transition(id, { to: 'failed', at: 't4', outcome: 'late' })).toBeNull();
    expect(store.rotations.get(id)).toMatchObject({ state: 'succeeded', endedAt: 't3', outcome: 'done' });
    expect(store.rotations.events(id).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('drops secret-looking parameter keys even if a caller passes them', () => {
    const id = store.rotations.create(input());
    expect(store.rotations.get(id)!.parameters).toEqual({ pepUser: 'AZURESTACK\\CloudAdmin', certificatePassword: '[redacted]' });
  });

  it('numbers events per run in arrival order across batches', () => {
    const a = store.rotations.create(input());
    const b = store.rotations.create(input());
    store.rotations.appendEvents(a, [{ level: 'info', type: 'log', text: 'a1' }, { level: 'info', type: 'log', text: 'a2' }]);
    store.rotations.appendEvents(b, [{ level: 'info', type: 'log', text: 'b1' }]);
    expect(store.rotations.appendEvents(a, [{ level: 'warning', type: 'log', text: 'a3', data: { x: 1 } }])).toEqual([expect.objectContaining({ seq: 3, text: 'a3', data: { x: 1 } })]);
    expect(store.rotations.appendEvents(a, [])).toEqual([]);
    expect(store.rotations.events(a).map((e) => e.text)).toEqual(['a1', 'a2', 'a3']);
    expect(store.rotations.events(a, { afterSeq: 2 }).map((e) => e.text)).toEqual(['a3']);
    expect(store.rotations.events(b).map((e) => [e.seq, e.text])).toEqual([[1, 'b1']]);
  });

  it('answers the rerun question from runs that reached the PEP, rehearsals apart', () => {
    const real = store.rotations.create(input());
    store.rotations.setFacts(real, { pepStartedAt: 't1', actionPlanInstanceId: 'abc', ercs: '10.0.0.1' });
    const rehearsal = store.rotations.create(input({ rehearsal: true }));
    store.rotations.setFacts(rehearsal, { pepStartedAt: 't2' });
    store.rotations.create(input({ startedAt: 't9' }));
    expect(store.rotations.lastReachedPep(stampId, 'external', false)).toMatchObject({ id: real, reachedPep: true, ercs: '10.0.0.1', actionPlanInstanceId: 'abc' });
    expect(store.rotations.lastReachedPep(stampId, 'external', true)?.id).toBe(rehearsal);
    expect(store.rotations.lastReachedPep(stampId, 'internal', false)).toBeNull();
  });

  it('keeps runs (with the stamp name) when the stamp profile is deleted', () => {
    const id = store.rotations.create(input());
    store.stamps.remove(stampId);
    expect(store.rotations.get(id)).toMatchObject({ stamp: 'Lab', stampId: null });
    expect(store.rotations.list({ stampName: 'lab' }).map((r) => r.id)).toEqual([id]);
  });

  describe('interrupted runs', () => {
    const now = () => new Date('2026-01-01T00:10:00.000Z');
    const self = { pid: 1, host: 'jump01' };

    it('marks a running run whose owner process is gone as interrupted, with guidance', () => {
      const id = store.rotations.create(input({ startedAt: '2026-01-01T00:09:00.000Z' }));
      store.rotations.transition(id, { to: 'preflight', at: 't' });
      store.rotations.transition(id, { to: 'running', at: 't' });
      store.rotations.heartbeat(id, '2026-01-01T00:09:58.000Z');
      const marked = reconcileInterrupted(store, { now, owner: self, isAlive: () => false });
      expect(marked.map((r) => r.id)).toEqual([id]);
      const run = store.rotations.get(id)!;
      expect(run.state).toBe('interrupted');
      expect(run.outcome).toMatch(/^Interrupted — outcome unknown: the process 424242 on jump01/);
      expect(store.rotations.events(id).at(-1)).toMatchObject({ level: 'warning', type: 'run.state', text: expect.stringContaining('Get-ActionStatus Start-SecretRotation') });
      // The owner, alive after all, may still settle it.
      expect(store.rotations.transition(id, { to: 'succeeded', at: 't', outcome: 'late news' })).not.toBeNull();
    });

    it('leaves live owners and this process alone, and treats a stale heartbeat as gone', () => {
      const live = store.rotations.create(input());
      store.rotations.heartbeat(live, '2026-01-01T00:09:59.000Z');
      const mine = store.rotations.create(input({ ownerPid: self.pid }));
      const remote = store.rotations.create(input({ ownerHost: 'jump02' }));
      store.rotations.heartbeat(remote, '2026-01-01T00:09:30.000Z');
      const staleRemote = store.rotations.create(input({ ownerHost: 'jump03' }));
      store.rotations.heartbeat(staleRemote, '2026-01-01T00:05:00.000Z');
      expect(reconcileInterrupted(store, { now, owner: self, isAlive: () => true }).map((r) => r.id)).toEqual([staleRemote]);
      expect([live, mine, remote].map((id) => store.rotations.get(id)!.state)).toEqual(['draft', 'draft', 'draft']);
      expect(store.rotations.get(staleRemote)!.outcome).toMatch(/^Interrupted before the PEP was contacted/);
      expect(ownerIsGone(store.rotations.get(live)!, { now, owner: self, isAlive: () => false })).toBe(true);
    });

    it('says by the recorded phase whether anything can have changed: checks here, PEP session, rotation', () => {
      const checks = store.rotations.create(input());
      store.rotations.transition(checks, { to: 'preflight', at: 't' });
      const session = store.rotations.create(input());
      store.rotations.transition(session, { to: 'preflight', at: 't' });
      store.rotations.setFacts(session, { phase: 'pep-session' });
      const rotation = store.rotations.create(input());
      store.rotations.transition(rotation, { to: 'preflight', at: 't' });
      store.rotations.setFacts(rotation, { phase: 'pep-session' });
      store.rotations.transition(rotation, { to: 'running', at: 't' });
      expect(store.rotations.get(rotation)!.phase).toBe('rotation');
      for (const id of [checks, session, rotation]) store.rotations.heartbeat(id, '2026-01-01T00:09:59.000Z');
      expect(store.rotations.get(checks)).toMatchObject({ phase: 'checks', reachedPep: false });
      expect(reconcileInterrupted(store, { now, owner: self, isAlive: () => false }).map((r) => r.id)).toEqual([checks, session, rotation]);

      const [a, b, c] = [checks, session, rotation].map((id) => store.rotations.get(id)!);
      expect(a).toMatchObject({ state: 'interrupted', phase: 'checks' });
      expect(a!.outcome).toBe('Interrupted before the PEP was contacted: the process 424242 on jump01 ended during the checks on this machine, before PowerShell was started; nothing was sent to the stamp and nothing changed.');
      expect(interruptedGuidance(a!)).toBe('Nothing was sent to the stamp: start the run again when ready (without --rerun).');
      expect(interruptedLabel(a!.phase)).toBe('interrupted before the PEP was contacted — nothing changed');

      // PowerShell is a process of its own and may have outlived the app: no promise that nothing changed.
      expect(b!.outcome).toMatch(/^Interrupted before the rotation started: .* No rotation had been started by then, but PowerShell may have gone on without it\.$/);
      expect(interruptedGuidance(b!)).toMatch(/^Open a PEP session and run Get-ActionStatus Start-SecretRotation to make sure no action plan was started/);
      expect(interruptedLabel(b!.phase)).toBe('interrupted before the rotation started — check the PEP');

      expect(c!.outcome).toMatch(/^Interrupted — outcome unknown/);
      expect(interruptedLabel(c!.phase)).toBe('interrupted — outcome unknown');
      // Runs recorded before phases were (schema 8) stay "outcome unknown".
      expect(interruptedLabel(null)).toBe('interrupted — outcome unknown');
      // None of them reached the PEP's rotation, so none binds the next run to -ReRun.
      expect(store.rotations.lastReachedPep(stampId, 'external', false)).toBeNull();
    });
  });
});

describe('outcome decision', () => {
  const ok: TransportOutcome = { exitCode: 0, signal: null, spawnError: null, cancelled: false };
  function facts(lines: Array<Parameters<PepOutputParser['feed']>[0]>): ParsedFacts {
    const parser = new PepOutputParser();
    for (const l of lines) parser.feed(l);
    return parser.facts;
  }
  const msg = (message: Record<string, unknown>) => ({ kind: 'message' as const, message: message as never });
  const opened = [msg({ type: 'progress', stage: 'session-opened', ercs: '10.0.0.1' }), msg({ type: 'output', step: 'readiness', text: 'True', value: true })];
  const started = [...opened, msg({ type: 'progress', stage: 'step-started', step: 'start-secret-rotation' }), msg({ type: 'verbose', step: 'start-secret-rotation', text: 'Action plan instance ID specified: 0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10' })];
  const decide = (f: ParsedFacts, t: TransportOutcome = ok, rotationStarted = true, kind: 'external' | 'internal' | 'bmc' = 'external', version = '2108') =>
    decideOutcome({ kind, facts: f, transport: t, rotationStarted, commandLabel: 'pwsh', pepUser: 'AZURESTACK\\CloudAdmin', version });

  it('succeeds only on the plan’s own success line', () => {
    const d = decide(facts([...started, msg({ type: 'verbose', text: "Action plan finished with status: 'Completed'" }), msg({ type: 'result', status: 'completed' })]));
    expect(d).toMatchObject({ state: 'succeeded', refused: false, outcome: "Action plan 0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10 finished with status 'Completed'." });
    expect(d.nextSteps).toContain('Remove the certificates from the share; keep the backup.');
  });

  it('fails on the plan’s failure, naming the step and the rerun', () => {
    const d = decide(facts([...started, msg({ type: 'verbose', text: "Step 'Rotate storage' status: 'Error'" }), msg({ type: 'verbose', text: "Action plan finished with status: 'Failed'" })]));
    expect(d.state).toBe('failed');
    expect(d.outcome).toMatch(/at step 'Rotate storage'/);
    expect(d.nextSteps.join(' ')).toMatch(/--rerun/);
  });

  it('advises a restore before the rerun only for external certificates: internal secrets rerun with -Internal -ReRun', () => {
    const failedPlan = facts([...started, msg({ type: 'verbose', text: "Step 'Rotate storage' status: 'Error'" }), msg({ type: 'verbose', text: "Action plan finished with status: 'Failed'" })]);
    const external = decide(failedPlan, ok, true, 'external');
    expect(external.nextSteps).toEqual(['Follow the error above, restore the certificates from the backup into the share, and run again with --rerun; contact Microsoft support if it fails again.']);
    const internal = decide(failedPlan, ok, true, 'internal');
    expect(internal.state).toBe('failed');
    expect(internal.nextSteps).toEqual([
      'Read the error above, then run the internal rotation again with --rerun (Start-SecretRotation -Internal -ReRun); it reads no share, so there is nothing to restore. Contact Microsoft support if it fails again.',
    ]);
    expect(internal.nextSteps.join(' ')).not.toMatch(/restore the certificates|backup/i);
    // Before 1811 there is no -Internal switch: the internal rotation reruns with -ReRun alone.
    expect(decide(failedPlan, ok, true, 'internal', '1809').nextSteps[0]).toContain('(Start-SecretRotation -ReRun)');
    // Outcome unknown: the same distinction in what to do if Get-ActionStatus says it failed.
    const dropped = decide(facts(started), { ...ok, exitCode: 1 }, true, 'internal');
    expect(dropped.state).toBe('interrupted');
    expect(dropped.nextSteps.join(' ')).toContain('run the internal rotation again with --rerun (Start-SecretRotation -Internal -ReRun; nothing to restore)');
    expect(dropped.nextSteps.join(' ')).not.toMatch(/restore the certificates/i);
    expect(decide(facts(started), { ...ok, exitCode: 1 }, true, 'external').nextSteps.join(' ')).toMatch(/restore the certificates from the backup and run again with --rerun/);
  });

  it('guides an interrupted internal rotation to its rerun without a restore', () => {
    expect(interruptedGuidance({ kind: 'internal', reachedPep: true, state: 'interrupted' })).toMatch(/If it failed, run the internal rotation again with --rerun \(-Internal -ReRun; nothing to restore\)/);
    expect(interruptedGuidance({ kind: 'internal', reachedPep: true, state: 'interrupted' })).not.toMatch(/restore the certificates/i);
    expect(interruptedGuidance({ kind: 'external', reachedPep: true, state: 'interrupted' })).toMatch(/restore the certificates from the backup and rerun with --rerun/);
  });

  it('is interrupted (outcome unknown) when the session breaks or PowerShell dies mid-plan', () => {
    expect(decide(facts([...started, msg({ type: 'error', id: 'WinRMOperationAborted,PSSessionStateBroken', text: 'aborted' })]), { ...ok, exitCode: 1 })).toMatchObject({ state: 'interrupted', outcome: expect.stringContaining('broke') });
    expect(decide(facts(started), { ...ok, exitCode: 1 })).toMatchObject({ state: 'interrupted', outcome: 'pwsh ended with exit code 1 before the action plan reported its outcome — outcome unknown.' });
    expect(decide(facts(started), { ...ok, exitCode: null, cancelled: true, signal: 'SIGTERM' })).toMatchObject({ state: 'interrupted', outcome: expect.stringContaining('continues on the stamp') });
  });

  it('fails without touching the stamp when nothing started', () => {
    expect(decide(facts([]), { ...ok, spawnError: { code: 'ENOENT', message: 'x' } }, false)).toMatchObject({ state: 'failed', outcome: 'Could not start pwsh (ENOENT); nothing was sent to the PEP.' });
    expect(decide(facts([msg({ type: 'progress', stage: 'session-failed', ercs: '10.0.0.1', text: 'Access is denied.' }), msg({ type: 'result', status: 'connect-failed' })]), { ...ok, exitCode: 3 }, false)).toMatchObject({
      state: 'failed',
      outcome: expect.stringMatching(/refused AZURESTACK\\CloudAdmin: Access is denied\. The other ERCS VMs were not tried/),
    });
    expect(decide(facts([...opened.slice(0, 1)]), { ...ok, cancelled: true }, false)).toMatchObject({ state: 'failed', outcome: expect.stringContaining('Cancelled before') });
  });

  it('reports a readiness refusal as refused', () => {
    const d = decide(facts([msg({ type: 'progress', stage: 'session-opened', ercs: '10.0.0.1' }), msg({ type: 'output', step: 'readiness', text: 'False', value: false }), msg({ type: 'result', status: 'not-ready' })]), { ...ok, exitCode: 2 }, false);
    expect(d).toMatchObject({ state: 'failed', refused: true, outcome: expect.stringMatching(/^Pre-flight refused the run: Test-AzureStack/) });
  });

  it('fails when the PEP refuses the cmdlet before any plan starts', () => {
    const refusedFacts = facts([
      ...opened,
      msg({ type: 'progress', stage: 'step-started', step: 'start-secret-rotation' }),
      msg({ type: 'error', step: 'start-secret-rotation', text: 'Start-SecretRotation : The previous secret rotation failed. Run Start-SecretRotation -ReRun.' }),
      msg({ type: 'progress', stage: 'step-finished', step: 'start-secret-rotation', ok: false }),
      msg({ type: 'result', status: 'failed' }),
    ]);
    expect(decide(refusedFacts, { ...ok, exitCode: 1 })).toMatchObject({ state: 'failed', outcome: expect.stringContaining('The PEP refused the rotation: Start-SecretRotation : The previous secret rotation failed') });
    const busy = facts([...opened, msg({ type: 'progress', stage: 'step-started', step: 'start-secret-rotation' }), msg({ type: 'error', text: 'Cannot invoke action plan because another action is in progress: 0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10' })]);
    expect(decide(busy, { ...ok, exitCode: 1 })).toMatchObject({ state: 'failed', outcome: expect.stringContaining('another action plan (0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10)') });
  });

  it('accepts a BMC update that finished without errors and without plan lines', () => {
    const f = facts([...opened, msg({ type: 'progress', stage: 'step-started', step: 'set-bmc-credential' }), msg({ type: 'progress', stage: 'step-finished', step: 'set-bmc-credential', ok: true }), msg({ type: 'result', status: 'completed' })]);
    expect(decide(f, ok, true, 'bmc')).toMatchObject({ state: 'succeeded', outcome: 'Set-BmcCredential completed without errors.' });
  });
});
