/**
 * IPC handlers of the Procedures and Dashboard workspaces: checklists, runbook export, the PFX
 * thumbprint, the live probe and the expiry dashboard.
 *
 * Registered by `createBackend`; kept in their own file so the backend stays a list of wirings.
 */
import { writeFile } from 'node:fs/promises';
import { findProcedure } from '../../shared/procedures/definitions';
import {
  confirmStep,
  finishProcedure,
  getChecklist,
  pfxThumbprint,
  runbook,
  startProcedure,
  unconfirmStep,
  updateParameters,
  type ProcedureContext,
} from '../services/procedures/index';
import { buildDashboard } from '../services/probe/dashboard';
import { parseConnect, probeStamp } from '../services/probe/index';
import { AppError } from '../services/errors';
import type { Store } from '../services/store/index';
import type { DialogService } from './backend';
import type { IpcRegistry } from './ipc-registry';

/** What the handlers need from the backend. */
export interface ProcedureHandlerDeps {
  registry: IpcRegistry;
  store: Store;
  dialogs: DialogService;
  actor: string;
  now: () => Date;
  appVersion: string;
}

/** Registers `procedures.*` and `probe.*`. */
export function registerProcedureHandlers(deps: ProcedureHandlerDeps): void {
  const { registry, store } = deps;
  const ctx: ProcedureContext = { store, actor: deps.actor, now: deps.now };

  registry.handle('procedures.list', ({ stampId }) =>
    store.procedures.list(stampId === undefined ? {} : { stampId }).map((run) => {
      const checklist = getChecklist(ctx, run.id);
      return {
        id: run.id,
        stampId: run.stampId,
        stampName: run.stampName,
        procedureId: run.procedureId,
        title: findProcedure(run.procedureId)?.title ?? run.procedureId,
        state: run.state,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        done: checklist.done,
        required: checklist.required,
      };
    }),
  );
  registry.handle('procedures.start', (request) => startProcedure(ctx, request));
  registry.handle('procedures.get', ({ runId }) => getChecklist(ctx, runId));
  registry.handle('procedures.confirm', ({ runId, stepId, note }) => confirmStep(ctx, runId, stepId, note));
  registry.handle('procedures.unconfirm', ({ runId, stepId }) => unconfirmStep(ctx, runId, stepId));
  registry.handle('procedures.setParameters', ({ runId, parameters }) => updateParameters(ctx, runId, parameters));
  registry.handle('procedures.finish', ({ runId, state }) => finishProcedure(ctx, runId, state));

  registry.handle('procedures.exportRunbook', async ({ runId }) => {
    const { html, fileName } = runbook(ctx, runId, deps.appVersion);
    const target = await deps.dialogs.saveFile(fileName, [{ name: 'HTML runbook', extensions: ['html'] }]);
    if (!target) return { path: null };
    try {
      await writeFile(target, html, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AppError('io-error', `Could not write ${target}${code ? ` (${code})` : ''}.`, 'Choose a folder you can write to, or close the file if another program has it open.', { cause: error });
    }
    store.audit.append({ actor: deps.actor, action: 'runbook.export', subject: `procedure:${runId}`, detail: { path: target }, at: deps.now().toISOString() });
    return { path: target };
  });

  // The password reaches this handler only; it is neither stored nor passed to the audit log.
  registry.handle('procedures.pfxThumbprint', ({ path, password }) => pfxThumbprint(path, password));

  registry.handle('probe.run', async ({ stampId, connect, timeoutMs }) => {
    const stamp = store.stamps.get(stampId);
    if (!stamp) throw new AppError('not-found', `Stamp ${stampId} does not exist.`, 'It may have been deleted; choose the stamp again.');
    const override = connect && connect.trim() ? parseConnect(connect) : null;
    if (connect && connect.trim() && !override) {
      throw new AppError('invalid-request', `"${connect}" is not HOST[:PORT].`, 'Enter an address such as 10.0.0.50 or 10.0.0.50:443, or leave the field empty to use DNS.');
    }
    const report = await probeStamp(stamp, { connect: override, timeoutMs, now: deps.now });
    store.procedures.saveProbe(stamp.id, report);
    store.audit.append({ actor: deps.actor, action: 'probe.run', subject: `stamp:${stamp.id}`, detail: { connect: report.connect, endpoints: report.endpoints.length }, at: deps.now().toISOString() });
    return report;
  });

  registry.handle('probe.dashboard', ({ stampId }) => {
    if (!store.stamps.get(stampId)) throw new AppError('not-found', `Stamp ${stampId} does not exist.`, 'It may have been deleted; choose the stamp again.');
    return buildDashboard(store, stampId, deps.now());
  });
}
