/**
 * Handlers of the `rotation.*` channels: pre-flight, starting and cancelling a PEP run, and run history.
 *
 * A started run belongs to this process until it ends; its events are stored by the rotation service
 * before they are sent to the window, so a window that reloads reads the same run back with
 * `rotation.getRun`. Secrets arrive with the request, go to the transport, and are dropped.
 */
import path from 'node:path';
import type { RotationRequestDto, RotationRunDto } from '../../shared/rotation/rotation-schema';
import { formatSimScenario, parseSimScenario, type SimScenario } from '../../shared/rotation/rotation-run';
import type { ShareValidationOptions } from '../services/certificates/index';
import type { ValidationReport } from '../../shared/certificates/report';
import { AppError } from '../services/errors';
import { resolvePowerShell, standInLauncher, stepTitle } from '../services/pep/index';
import { executeRotation, interruptedGuidance, reconcileInterrupted, runPreflight, type RotationRequest, type RotationSecrets } from '../services/rotation/index';
import type { Store, StoredRotationRun } from '../services/store/index';
import type { IpcRegistry, Logger } from './ipc-registry';

/** What the rotation handlers need from the backend. */
export interface RotationHandlerContext {
  store: Store;
  logger: Logger;
  /** Appends an audit event on the store. */
  audit: (action: string, subject: string | null, detail?: Record<string, unknown>) => void;
  /** The stand-in PEP module for rehearsals (default: found under `resources/` next to the code). */
  standInModule?: string;
  /** Base environment of PowerShell (default: this process's; secret variables are removed). */
  env?: Record<string, string | undefined>;
  /** The certificate engine, for the share check in pre-flight (tests inject a fake). */
  validateShare?: (options: ShareValidationOptions) => Promise<ValidationReport>;
}

/** The registered feature: running jobs and their cleanup. */
export interface RotationFeature {
  /** Stops watching every running run (the PowerShell processes are stopped; the runs end as interrupted). */
  close(): void;
  /** Resolves when no run is active in this process. */
  whenIdle(): Promise<void>;
}

interface RotationJob {
  controller: AbortController;
  done: Promise<void>;
}

/** A stored run as the renderer receives it. */
export function toRunDto(run: StoredRotationRun): RotationRunDto {
  const estimate = Number(run.parameters.estimateSeconds);
  return {
    id: run.id,
    stamp: run.stamp,
    stampId: run.stampId,
    kind: run.kind,
    state: run.state,
    rehearsal: run.rehearsal,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    ercs: run.ercs,
    actionPlanInstanceId: run.actionPlanInstanceId,
    rerunOf: run.rerunOf,
    outcome: run.outcome,
    reachedPep: run.reachedPep,
    phase: run.phase,
    scenario: run.scenario,
    estimateSeconds: Number.isFinite(estimate) && estimate > 0 ? estimate : null,
  };
}

/**
 * Registers the `rotation.*` handlers.
 *
 * Runs of this app left active by an earlier, crashed app session are marked `interrupted` whenever
 * history is read (their owner process is gone).
 */
export function registerRotationHandlers(registry: IpcRegistry, ctx: RotationHandlerContext): RotationFeature {
  const { store } = ctx;
  const jobs = new Map<number, RotationJob>();

  const toRequest = (dto: RotationRequestDto): { request: RotationRequest; secrets: RotationSecrets } => {
    const stamp = store.stamps.get(dto.stampId);
    if (!stamp) throw new AppError('not-found', `Stamp ${dto.stampId} does not exist.`, 'It may have been deleted; choose the stamp again.');
    let simulate: { scenario: SimScenario; seconds: number } | null = null;
    if (dto.simulate) {
      const scenario = parseSimScenario(dto.simulate.scenario);
      // The schema already refused unknown scenarios; this narrows the type.
      if ('problem' in scenario) throw new AppError('invalid-request', scenario.problem, 'Choose a scenario from the list.');
      simulate = { scenario, seconds: dto.simulate.seconds };
    }
    return {
      request: {
        stamp,
        kind: dto.kind,
        share: dto.share?.trim() || null,
        pfxFilesPath: dto.pfxFilesPath?.trim() || null,
        pepUser: dto.pepUser?.trim() || null,
        shareUser: dto.shareUser?.trim() || null,
        bmcUser: dto.bmcUser?.trim() || null,
        bypassBmcUpdate: dto.bypassBmcUpdate,
        rerun: dto.rerun,
        simulate,
        source: 'app',
      },
      secrets: dto.secrets,
    };
  };
  const powershell = () => resolvePowerShell({ setting: store.settings.get().pwshPath ?? null, env: ctx.env });

  registry.handle('rotation.preflight', async (dto) => {
    const { request, secrets } = toRequest(dto);
    const pre = await runPreflight(store, request, secrets, { powershell: powershell(), validateShare: ctx.validateShare });
    return {
      ok: pre.ok,
      checks: pre.checks.map((c) => ({ ...c, fix: c.fix ?? null })),
      rehearsal: pre.plan.rehearsal,
      scenario: pre.plan.scenario ? formatSimScenario(pre.plan.scenario) : null,
      simSeconds: pre.plan.simSeconds,
      estimateSeconds: pre.plan.estimateSeconds,
      rerunOf: pre.plan.rerunOf,
      steps: pre.plan.steps.map((s) => stepTitle(s, request.stamp.version)),
    };
  });

  registry.handle('rotation.start', async (dto) => {
    const { request, secrets } = toRequest(dto);
    const controller = new AbortController();
    let announce: (id: number) => void = () => {};
    let fail: (error: unknown) => void = () => {};
    const created = new Promise<number>((resolve, reject) => {
      announce = resolve;
      fail = reject;
    });
    const job: RotationJob = { controller, done: Promise.resolve() };
    let runId: number | null = null;
    job.done = executeRotation({
      store,
      request,
      secrets,
      powershell: powershell(),
      simulator: standInLauncher(powershell(), { env: ctx.env, ...(ctx.standInModule ? { moduleFile: ctx.standInModule } : {}) }),
      simStateDir: path.join(store.dataDir, 'pep-sim'),
      signal: controller.signal,
      env: ctx.env,
      preflight: { validateShare: ctx.validateShare },
      onCreated(run) {
        runId = run.id;
        jobs.set(run.id, job);
        ctx.audit('rotation.start', `rotation:${run.id}`, { stamp: run.stamp, kind: run.kind, rehearsal: run.rehearsal, scenario: run.scenario });
        announce(run.id);
      },
      onEvents(run, events) {
        registry.emit('rotation.event', { runId: run.id, events });
      },
      onState(run) {
        registry.emit('rotation.state', { runId: run.id, run: toRunDto(run), final: false, refused: false, nextSteps: [] });
      },
    })
      .then((outcome) => {
        ctx.audit('rotation.finish', `rotation:${outcome.run.id}`, { state: outcome.run.state, refused: outcome.refused });
        registry.emit('rotation.state', { runId: outcome.run.id, run: toRunDto(outcome.run), final: true, refused: outcome.refused, nextSteps: outcome.nextSteps });
      })
      .catch((error: unknown) => {
        ctx.logger.error(`Rotation run ${runId ?? '(not created)'} crashed`, error);
        fail(error);
      })
      .finally(() => {
        if (runId !== null) jobs.delete(runId);
      });
    return { runId: await created };
  });

  registry.handle('rotation.cancel', ({ runId }) => {
    const job = jobs.get(runId);
    if (!job || job.controller.signal.aborted) return { cancelled: false };
    ctx.audit('rotation.cancel', `rotation:${runId}`, {});
    job.controller.abort();
    return { cancelled: true };
  });

  registry.handle('rotation.listRuns', ({ stampId, limit }) => {
    reconcileInterrupted(store);
    const runs = store.rotations.list({ limit: stampId === undefined ? (limit ?? 200) : 500 });
    const chosen = stampId === undefined ? runs : runs.filter((r) => r.stampId === stampId);
    return chosen.slice(0, limit ?? 200).map(toRunDto);
  });

  registry.handle('rotation.getRun', ({ runId, afterSeq }) => {
    reconcileInterrupted(store);
    const run = store.rotations.get(runId);
    if (!run) throw new AppError('not-found', `Rotation run ${runId} does not exist.`, 'Reload the run history.');
    return { run: toRunDto(run), events: store.rotations.events(runId, { afterSeq: afterSeq ?? 0 }), guidance: run.state === 'interrupted' ? interruptedGuidance(run) : null };
  });

  return {
    close() {
      for (const job of jobs.values()) job.controller.abort();
    },
    async whenIdle() {
      while (jobs.size > 0) await Promise.all([...jobs.values()].map((j) => j.done));
    },
  };
}
