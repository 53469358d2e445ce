/**
 * The app's backend: every IPC channel's handler over the store, the certificate engine and dialogs.
 *
 * Free of Electron on purpose. The Electron main process feeds it `ipcMain` messages and native dialogs;
 * the e2e harness feeds it calls from a Chromium page and scripted dialogs. Both reach the same handlers,
 * the same zod gate and the same SQLite file.
 */
import { randomUUID } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { validationRunSubject } from '../../shared/audit/subjects';
import type { ValidationReport } from '../../shared/certificates/report';
import { validationReportSchema } from '../../shared/certificates/report-schema';
import { renderReportHtml } from '../../shared/certificates/report-html';
import type { IpcError, IpcEventName, IpcResult, ValidationStartRequest } from '../../shared/ipc/contract';
import { ShareAccessError, validateShare as engineValidateShare } from '../services/certificates/index';
import { AppError, toIpcError } from '../services/errors';
import { reportStatus, Store } from '../services/store/index';
import type { StoredRun } from '../services/store/index';
import { consoleLogger, createIpcRegistry, type IpcSender, type Logger } from './ipc-registry';
import { registerProcedureHandlers } from './procedure-handlers';
import { registerLogsHandlers } from './logs-handlers';
import { registerPreparationHandlers } from './preparation-handlers';
import { registerRotationHandlers } from './rotation-handlers';
import { createAppLogger } from '../services/logs/app-logger';

/** A file-type filter of a save dialog. */
export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The dialogs the backend needs; native in Electron, scripted in tests. */
export interface DialogService {
  /** Asks for a folder; null when the operator cancels. */
  openFolder(title?: string): Promise<string | null>;
  /** Asks where to save a file; null when the operator cancels. */
  saveFile(defaultName: string, filters: FileFilter[]): Promise<string | null>;
  /** Asks for a file to open; null when the operator cancels. Optional: without it, paths are typed. */
  openFile?(title: string, filters: FileFilter[]): Promise<string | null>;
}

/** The certificate engine's entry point; tests inject a fake with the same signature. */
export type ValidateShareFn = typeof engineValidateShare;

/** Options of `createBackend`. */
export interface BackendOptions {
  /** The data folder holding the database. */
  dataDir: string;
  /** Folder and save dialogs. */
  dialogs: DialogService;
  /** The app's version, for `app.getInfo` and exported reports. */
  appVersion: string;
  /** The certificate engine (default: `validateShare` of `electron/services/certificates`). */
  validateShare?: ValidateShareFn;
  /** More trusted sender locations for tests (origins or `file://` folders); see `TrustPolicy`. */
  trustedOrigins?: string[];
  /** The built renderer folder whose `file://` pages are trusted (default `<cwd>/dist/renderer`). */
  rendererDir?: string;
  /** Diagnostics sink (default: stderr). */
  logger?: Logger;
  /** Check responses and events against the contract (default true; the packaged app turns it off). */
  validateResponses?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
  /** Who the audit log names as acting (default `app:<OS user>`). */
  actor?: string;
  /** Platform reported by `app.getInfo` and used for path rules (default: this process's). */
  platform?: NodeJS.Platform;
  /** The stand-in PEP module for rehearsals (default: found under `resources/` next to the code). */
  pepStandInModule?: string;
}

/** The running backend. */
export interface Backend {
  /** Handles one IPC request; always resolves with the contract's result envelope. */
  invoke(channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>>;
  /** Receives every event (`validation.progress`, …); returns the function that stops listening. */
  onEvent(listener: (name: IpcEventName, payload: unknown) => void): () => void;
  /** Cancels running jobs, records them as cancelled and closes the database. */
  close(): void;
  /** The open store, for the host (menu actions) and tests. */
  store: Store;
  /**
   * Asks for a share folder (File ▸ Open share folder…), remembers it and tells the renderer.
   *
   * Resolves with the folder, or null when the operator cancelled.
   */
  openShareFolder(): Promise<string | null>;
  /** Resolves when no validation job is running. */
  whenIdle(): Promise<void>;
}

interface Job {
  jobId: string;
  runId: number;
  controller: AbortController;
  settled: boolean;
  done: Promise<void>;
}

type FinishedStatus = 'ok' | 'warning' | 'fail' | 'cancelled' | 'error';

function currentActor(): string {
  try {
    return `app:${userInfo().username}`;
  } catch {
    // Some service accounts and containers have no passwd entry; the source alone is still useful.
    return 'app';
  }
}

function safeFilePart(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 80) || 'report';
}

/** Default file name of an exported report, e.g. `validation-east.azurestack.contoso.com-run12-2025-11-25.html`. */
function exportFileName(stored: StoredRun, report: ValidationReport, format: 'json' | 'html'): string {
  const day = stored.run.startedAt.slice(0, 10);
  return `validation-${safeFilePart(`${report.region}.${report.fqdn}`)}-run${stored.run.id}-${safeFilePart(day)}.${format}`;
}

/**
 * Opens the store in `dataDir` and registers a handler for every channel of the contract.
 *
 * Throws when the store cannot be opened (for example `DatabaseTooNewError`) or when a contract channel
 * has no handler — the latter is a build mistake and should never reach an operator.
 */
export function createBackend(options: BackendOptions): Backend {
  // Every diagnostic also goes to the rotating file in the data folder and, once the store is open, to the event store.
  const logger = createAppLogger(options.logger ?? consoleLogger, options.dataDir, options.now);
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const actor = options.actor ?? currentActor();
  const platform = options.platform ?? process.platform;
  const validateShare = options.validateShare ?? engineValidateShare;
  const store = Store.open({ dataDir: options.dataDir });
  logger.attach(store.events);
  const registry = createIpcRegistry({
    trust: {
      rendererDir: options.rendererDir ?? path.resolve('dist', 'renderer'),
      trustedOrigins: options.trustedOrigins ?? [],
    },
    logger,
    validateResponses: options.validateResponses ?? true,
    platform,
  });
  const jobs = new Map<string, Job>();
  let closed = false;

  // A run still `running` from an earlier app session was cut off by a crash or a kill; say so in history.
  const abandoned = store.runs.abandonRunning('app', iso());
  if (abandoned > 0) logger.warn(`Marked ${abandoned} interrupted validation run(s) as failed`);

  const audit = (action: string, subject: string | null, detail?: Record<string, unknown>) =>
    store.audit.append({ actor, action, subject, detail: detail ?? null, at: iso() });

  const settle = (job: Job, status: FinishedStatus, report: ValidationReport | null, error: IpcError | null) => {
    if (job.settled) return;
    job.settled = true;
    jobs.delete(job.jobId);
    if (closed) return;
    try {
      store.transaction(() => {
        store.runs.finish(job.runId, {
          status,
          finishedAt: iso(),
          report,
          error: error ? { code: error.code, message: error.message } : null,
        });
        audit('validation.finish', validationRunSubject(job.runId), {
          jobId: job.jobId,
          status,
          summary: report?.summary ?? null,
          error: error?.code ?? null,
        });
      });
    } catch (e) {
      logger.error(`Could not record the end of validation run ${job.runId}`, e);
    }
    registry.emit('validation.finished', { jobId: job.jobId, runId: job.runId, status, error });
  };

  const runJob = async (job: Job, request: ValidationStartRequest, root: string) => {
    // Let the `validation.start` answer (with the job id) reach the window before the first event does.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (job.settled) return;
    try {
      const report = await validateShare({
        root,
        identity: request.identity,
        region: request.region,
        fqdn: request.fqdn,
        paasDir: request.paasDir,
        password: request.password,
        currentCa: request.currentCa,
        stampVersion: request.stampVersion,
        now: now(),
        signal: job.controller.signal,
        // The main process also serves the window: files are read in worker threads only.
        useCallingThread: false,
        onProgress: (p) => {
          if (!job.settled) registry.emit('validation.progress', { jobId: job.jobId, done: p.done, total: p.total, file: p.file });
        },
      });
      if (job.settled) return;
      if (job.controller.signal.aborted) return settle(job, 'cancelled', null, null);
      const checked = validationReportSchema.safeParse(report);
      if (!checked.success) {
        logger.error(`The engine returned a report outside the contract for run ${job.runId}`, checked.error.issues);
        return settle(job, 'error', null, toIpcError(null));
      }
      settle(job, reportStatus(checked.data), checked.data, null);
    } catch (error) {
      if (job.settled) return;
      if (job.controller.signal.aborted) return settle(job, 'cancelled', null, null);
      // The engine's share errors (missing folder, access denied) are written for the operator already.
      const typed =
        error instanceof ShareAccessError
          ? new AppError('io-error', error.message, 'Check the share folder and that this account can read it, then run the validation again.')
          : error;
      settle(job, 'error', null, toIpcError(typed, (e) => logger.error(`Validation run ${job.runId} failed`, e)));
    }
  };

  registry.handle('app.getInfo', () => ({
    version: options.appVersion,
    dataDir: store.dataDir,
    platform,
    databasePath: store.databasePath,
  }));

  registry.handle('app.getSettings', () => store.settings.get());

  registry.handle('app.setSettings', (patch) =>
    store.transaction(() => {
      const settings = store.settings.update(patch, iso());
      if (Object.keys(patch).length > 0) audit('settings.update', 'settings', { ...patch });
      return settings;
    }),
  );

  registry.handle('stamps.list', () => store.stamps.list());

  registry.handle('stamps.create', (input) =>
    store.transaction(() => {
      const stamp = store.stamps.create(input, iso());
      audit('stamp.create', `stamp:${stamp.id}`, { name: stamp.name, region: stamp.region, fqdn: stamp.externalFqdn });
      return stamp;
    }),
  );

  registry.handle('stamps.update', ({ id, ...input }) =>
    store.transaction(() => {
      const before = store.stamps.get(id);
      const stamp = store.stamps.update(id, input, iso());
      audit('stamp.update', `stamp:${id}`, { name: stamp.name, previousName: before?.name ?? null });
      return stamp;
    }),
  );

  registry.handle('stamps.remove', ({ id }) =>
    store.transaction(() => {
      const before = store.stamps.get(id);
      const removed = store.stamps.remove(id);
      if (removed) audit('stamp.remove', `stamp:${id}`, { name: before?.name ?? null });
      return { removed };
    }),
  );

  registry.handle('dialogs.openFolder', async ({ title }) => ({ path: await options.dialogs.openFolder(title) }));

  registry.handle('validation.start', async (request) => {
    if (request.stampId !== null && !store.stamps.get(request.stampId)) {
      throw new AppError('not-found', `Stamp ${request.stampId} does not exist.`, 'It may have been deleted; choose the stamp again.');
    }
    const root = path.resolve(request.root);
    const info = await stat(root).catch(() => null);
    if (!info?.isDirectory()) {
      throw new AppError('io-error', `The folder ${root} does not exist or cannot be read.`, 'Choose the share folder again.');
    }
    const jobId = randomUUID();
    const runId = store.transaction(() => {
      const id = store.runs.start({
        stampId: request.stampId,
        jobId,
        root,
        identity: request.identity,
        region: request.region,
        fqdn: request.fqdn,
        paasDir: request.paasDir,
        currentCa: request.currentCa,
        stampVersion: request.stampVersion,
        source: 'app',
        startedAt: iso(),
      });
      // The request holds the PFX password: only named, non-secret fields go to the audit log.
      audit('validation.start', validationRunSubject(id), {
        jobId,
        stampId: request.stampId,
        root,
        identity: request.identity,
        region: request.region,
        fqdn: request.fqdn,
        paasDir: request.paasDir,
      });
      return id;
    });
    const job: Job = { jobId, runId, controller: new AbortController(), settled: false, done: Promise.resolve() };
    jobs.set(jobId, job);
    job.done = runJob(job, request, root)
      .catch((e) => logger.error(`Validation job ${jobId} crashed`, e))
      .finally(() => {
        // Whatever happened above, a job never stays `running` in history once its promise is done.
        if (!job.settled) settle(job, 'error', null, toIpcError(null));
      });
    return { jobId };
  });

  registry.handle('validation.cancel', ({ jobId }) => {
    const job = jobs.get(jobId);
    if (!job || job.settled) return { cancelled: false };
    job.controller.abort();
    if (!closed) audit('validation.cancel', validationRunSubject(job.runId), { jobId });
    // Recorded at once: the engine stops at its next check of the signal, but the operator asked now.
    settle(job, 'cancelled', null, null);
    return { cancelled: true };
  });

  registry.handle('validation.listRuns', ({ stampId, limit }) => store.runs.list({ stampId, limit }));

  registry.handle('validation.getRun', ({ runId }) => {
    const stored = store.runs.get(runId);
    if (!stored) throw new AppError('not-found', `Validation run ${runId} does not exist.`, 'Reload the history list.');
    return { run: stored.run, report: stored.report };
  });

  registry.handle('validation.exportReport', async ({ runId, format }) => {
    const stored = store.runs.get(runId);
    if (!stored) throw new AppError('not-found', `Validation run ${runId} does not exist.`, 'Reload the history list.');
    const report = stored.report;
    if (!report) {
      throw new AppError(
        'conflict',
        `Validation run ${runId} has no report to export (status: ${stored.run.status}).`,
        'Export a run that finished; run the validation again if needed.',
      );
    }
    const filters = format === 'json' ? [{ name: 'JSON report', extensions: ['json'] }] : [{ name: 'HTML report', extensions: ['html'] }];
    const target = await options.dialogs.saveFile(exportFileName(stored, report, format), filters);
    if (!target) return { path: null };
    const content =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : renderReportHtml(report, {
            appVersion: options.appVersion,
            exportedAt: iso(),
            runId,
            stampName: stored.run.stampName,
            startedAt: stored.run.startedAt,
            finishedAt: stored.run.finishedAt,
            source: stored.run.source,
          });
    try {
      await writeFile(target, content, 'utf8');
    } catch (error) {
      throw new AppError(
        'io-error',
        `Could not write ${target}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ''}.`,
        'Choose a folder you can write to, or close the file if another program has it open.',
        { cause: error },
      );
    }
    audit('report.export', validationRunSubject(runId), { format, path: target });
    return { path: target };
  });

  registerProcedureHandlers({ registry, store, dialogs: options.dialogs, actor, now, appVersion: options.appVersion });
  registerPreparationHandlers(registry, { store, actor, now, platform });
  const rotation = registerRotationHandlers(registry, { store, logger, audit, standInModule: options.pepStandInModule, validateShare });

  const logs = registerLogsHandlers(registry, {
    store,
    dataDir: store.dataDir,
    appVersion: options.appVersion,
    logger,
    now,
    audit,
    saveFile: (name, filters) => options.dialogs.saveFile(name, filters),
    openFile: options.dialogs.openFile ? (title, filters) => options.dialogs.openFile?.(title, filters) ?? Promise.resolve(null) : undefined,
  });

  // Review mode refuses state-changing channels inside the registry, after its sender check.
  registry.setGate((channel) => logs.refuse(channel));

  const missing = registry.missingChannels();
  if (missing.length > 0) {
    store.close();
    throw new Error(`IPC channels without a handler: ${missing.join(', ')}`);
  }

  return {
    invoke: (channel, payload, sender) => registry.invoke(channel, payload, sender),
    onEvent: (listener) => registry.onEvent(listener),
    store,
    async openShareFolder() {
      const folder = await options.dialogs.openFolder('Open share folder');
      if (!folder || closed) return null;
      store.settings.update({ lastShareFolder: folder }, iso());
      registry.emit('app.shareFolderOpened', { path: folder });
      return folder;
    },
    async whenIdle() {
      while (jobs.size > 0) await Promise.all([...jobs.values()].map((j) => j.done));
      await rotation.whenIdle();
    },
    close() {
      if (closed) return;
      for (const job of [...jobs.values()]) {
        job.controller.abort();
        settle(job, 'cancelled', null, null);
      }
      closed = true;
      rotation.close();
      logs.close();
      logger.attach(null);
      store.close();
    },
  };
}
