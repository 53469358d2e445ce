/**
 * Certificate share validation: the run form, the running job, the loaded report, history and export.
 *
 * The password lives only in this store's memory, is sent with `validation.start` and is wiped as soon as
 * the request has left, so it is never persisted, logged or kept for the next run.
 */
import { create } from 'zustand';
import type { ValidationReport } from '../../../shared/certificates/report';
import type { IpcError, IpcEventPayload, ValidationRunSummary } from '../../../shared/ipc/contract';
import type { CaKind, Stamp } from '../../../shared/stamps/stamp';
import { fqdnProblem, regionProblem, versionProblem } from '../../../shared/stamps/stamp';
import { call, workbench } from '../lib/ipc';
import type { ReportViewOptions, SortKey } from '../lib/report-view';
import { DEFAULT_VIEW, initialSelection } from '../lib/report-view';
import { useAppStore } from './app-store';
import { isReviewing, reviewContents } from './review-store';
import { useStampsStore } from './stamps-store';

/** A CA kind as the run form offers it. */
export type CurrentCa = CaKind | 'unknown';

/** What the operator fills in before a run. */
export interface ShareForm {
  root: string;
  paasDir: string;
  password: string;
  /** The operator says the files were exported without a password (an empty password is then sent on purpose). */
  noPassword: boolean;
  /** Null means "the active stamp's current CA kind". */
  currentCa: CurrentCa | null;
  /** Ad-hoc mode only (no active stamp). */
  region: string;
  fqdn: string;
  identity: 'aad' | 'adfs';
  stampVersion: string;
}

/** Form fields that can carry an inline problem. */
export type ShareField = 'root' | 'password' | 'region' | 'fqdn' | 'stampVersion';

/** The running validation job. */
export interface Job {
  /** Null until `validation.start` answers. */
  jobId: string | null;
  done: number;
  total: number;
  file: string | null;
  startedAt: number;
  cancelling: boolean;
  label: string;
}

/** Outcome message of an export. */
export interface ExportState {
  busy: 'json' | 'html' | null;
  message: string | null;
  error: IpcError | null;
}

/** The active stamp, or null in ad-hoc mode. */
export function activeStamp(): Stamp | null {
  const id = useAppStore.getState().activeStampId;
  return id === null ? null : (useStampsStore.getState().stamps.find((s) => s.id === id) ?? null);
}

/** The current CA kind the run will use: the operator's choice, else the stamp's. */
export function effectiveCurrentCa(form: ShareForm, stamp: Stamp | null): CurrentCa {
  return form.currentCa ?? stamp?.currentCaKind ?? 'unknown';
}

/** Inline problems of the run form; region, domain and version only matter without a stamp. */
export function shareFormProblems(form: ShareForm, stamp: Stamp | null): Partial<Record<ShareField, string>> {
  const out: Partial<Record<ShareField, string>> = {};
  if (!form.root.trim()) out.root = 'Choose the share folder: the Certificates folder or its AAD/ADFS child.';
  if (!form.password && !form.noPassword) {
    out.password = "Enter the share's PFX password (one password opens every file), or tick \"The files have no password\".";
  }
  if (!stamp) {
    const r = regionProblem(form.region.trim());
    if (r) out.region = r;
    const f = fqdnProblem(form.fqdn.trim());
    if (f) out.fqdn = f;
    const v = form.stampVersion.trim() ? versionProblem(form.stampVersion.trim()) : null;
    if (v) out.stampVersion = v;
  }
  return out;
}

/** State and actions of the Certificates workspace. */
export interface ValidationState {
  form: ShareForm;
  touched: Partial<Record<ShareField, boolean>>;
  submitted: boolean;
  job: Job | null;
  startError: IpcError | null;
  /** Message about the last run's end (cancelled, failed to run). */
  runNotice: { tone: 'info' | 'error'; error: IpcError } | null;
  run: ValidationRunSummary | null;
  report: ValidationReport | null;
  loadingRunId: number | null;
  view: ReportViewOptions;
  selectedKey: string | null;
  runs: ValidationRunSummary[];
  runsLoaded: boolean;
  runsError: IpcError | null;
  exportState: ExportState;
  browseError: IpcError | null;
  /** The setup form folds to one line once a report is shown, so the results fit a 768-pixel screen. */
  formCollapsed: boolean;
  /** Where focus goes once the workspace has rendered (after a run ends, or a link sent the operator here). */
  focusTarget: 'results' | 'share-root' | 'share-ca' | null;
  /** Unfolds the setup form, optionally to focus one of its fields. */
  expandForm(focus?: 'share-root' | 'share-ca'): void;
  /** Called by the workspace once it moved focus. */
  focused(): void;
  setField<K extends keyof ShareForm>(key: K, value: ShareForm[K]): void;
  /** Puts the last used share folder in an empty form (after start-up). */
  prefillRoot(path: string | null): void;
  touch(key: ShareField): void;
  browse(target: 'root' | 'paasDir'): Promise<void>;
  start(): Promise<void>;
  cancel(): Promise<void>;
  loadRuns(): Promise<void>;
  openRun(runId: number): Promise<void>;
  showReport(report: ValidationReport, run: ValidationRunSummary | null): void;
  select(key: string | null): void;
  setSort(key: SortKey): void;
  setFilter(text: string): void;
  setFailuresOnly(on: boolean): void;
  exportReport(format: 'json' | 'html'): Promise<void>;
  /** Subscribes to the backend's job events; returns the unsubscribe function. */
  subscribe(): () => void;
}

const EMPTY_FORM: ShareForm = {
  root: '',
  paasDir: '',
  password: '',
  noPassword: false,
  currentCa: null,
  region: '',
  fqdn: '',
  identity: 'adfs',
  stampVersion: '',
};

// A job can finish before `validation.start` has answered with its id (tiny shares); keep such endings
// here until the id is known.
const earlyEndings = new Map<string, IpcEventPayload<'validation.finished'>>();

/** The validation store. */
export const useValidationStore = create<ValidationState>()((set, get) => {
  function finish(payload: IpcEventPayload<'validation.finished'>): void {
    const job = get().job;
    set({
      job: null,
      runNotice:
        payload.status === 'cancelled'
          ? {
              tone: 'info',
              error: payload.error ?? {
                code: 'cancelled',
                message: 'Validation cancelled.',
                hint: 'Nothing was changed on the share. Start again when ready.',
              },
            }
          : payload.status === 'error'
            ? {
                tone: 'error',
                error: payload.error ?? {
                  code: 'internal',
                  message: 'The validation stopped with an error.',
                  hint: 'Check that the share is reachable, then start again.',
                },
              }
            : null,
    });
    useAppStore.getState().reportJob({
      label: job?.label ?? 'Validation',
      status: payload.status,
      at: new Date().toISOString(),
    });
    // Cancelled and failed runs have no report: the notice above says what happened instead.
    const hasReport = payload.status === 'ok' || payload.status === 'warning' || payload.status === 'fail';
    // A job that ends during a review belongs to this machine's history, which is read again once it closes.
    if (isReviewing()) return;
    // Focus follows the operator's attention: to the results, or to the notice saying why there are none.
    if (payload.runId !== null && hasReport) void get().openRun(payload.runId).then(() => set({ focusTarget: 'results' }));
    else set({ focusTarget: 'results' });
    void get().loadRuns();
  }

  return {
    form: { ...EMPTY_FORM },
    touched: {},
    submitted: false,
    job: null,
    startError: null,
    runNotice: null,
    run: null,
    report: null,
    loadingRunId: null,
    view: { ...DEFAULT_VIEW },
    selectedKey: null,
    runs: [],
    runsLoaded: false,
    runsError: null,
    exportState: { busy: null, message: null, error: null },
    browseError: null,
    formCollapsed: false,
    focusTarget: null,

    expandForm(focus) {
      set({ formCollapsed: false, focusTarget: focus ?? null });
    },

    focused() {
      set({ focusTarget: null });
    },

    setField(key, value) {
      set({ form: { ...get().form, [key]: value }, startError: null });
    },

    prefillRoot(path) {
      if (path && !get().form.root) set({ form: { ...get().form, root: path } });
    },

    touch(key) {
      if (!get().touched[key]) set({ touched: { ...get().touched, [key]: true } });
    },

    async browse(target) {
      const title = target === 'root' ? 'Choose the Certificates folder of the share' : 'Choose the PaaS certificates folder';
      const result = await call((api) => api.dialogs.openFolder({ title }));
      if (!result.ok) {
        set({ browseError: result.error });
        return;
      }
      set({ browseError: null });
      const path = result.value.path;
      if (path === null) return;
      set({ form: { ...get().form, [target]: path } });
      if (target === 'root') void useAppStore.getState().setLastShareFolder(path);
    },

    async start() {
      if (get().job || isReviewing()) return;
      const stamp = activeStamp();
      const form = get().form;
      if (Object.keys(shareFormProblems(form, stamp)).length > 0) {
        set({ submitted: true });
        return;
      }
      const identity = stamp?.identity ?? form.identity;
      const label = `Validation of ${identity === 'adfs' ? 'AD FS' : 'Azure AD'} share${stamp ? ` for ${stamp.name}` : ''}`;
      const request = {
        stampId: stamp?.id ?? null,
        root: form.root.trim(),
        identity,
        region: stamp?.region ?? form.region.trim(),
        fqdn: stamp?.externalFqdn ?? form.fqdn.trim(),
        paasDir: form.paasDir.trim() || null,
        password: form.noPassword ? '' : form.password,
        currentCa: effectiveCurrentCa(form, stamp),
        stampVersion: stamp?.version ?? (form.stampVersion.trim() || null),
      };
      // The form is done with: problems shown again only if the operator edits it and starts once more.
      set({
        submitted: false,
        touched: {},
        job: { jobId: null, done: 0, total: 0, file: null, startedAt: Date.now(), cancelling: false, label },
        startError: null,
        runNotice: null,
        form: { ...form, password: '' },
        exportState: { busy: null, message: null, error: null },
      });
      useAppStore.getState().reportJob({ label, status: 'running', at: new Date().toISOString() });
      const result = await call((api) => api.validation.start(request));
      if (!result.ok) {
        set({ job: null, startError: result.error });
        useAppStore.getState().reportJob({ label, status: 'error', at: new Date().toISOString() });
        return;
      }
      const jobId = result.value.jobId;
      const early = earlyEndings.get(jobId);
      if (early) {
        earlyEndings.delete(jobId);
        finish(early);
        return;
      }
      const job = get().job;
      if (job && job.jobId === null) set({ job: { ...job, jobId } });
      // The backend recorded the run as running: show it in the history straight away.
      void get().loadRuns();
    },

    async cancel() {
      const job = get().job;
      if (!job || job.jobId === null || job.cancelling) return;
      set({ job: { ...job, cancelling: true } });
      const result = await call((api) => api.validation.cancel({ jobId: job.jobId as string }));
      const current = get().job;
      if (!result.ok && current) set({ job: { ...current, cancelling: false }, startError: result.error });
    },

    async loadRuns() {
      if (isReviewing()) {
        set({ runs: reviewContents()?.validationRuns ?? [], runsLoaded: true, runsError: null });
        return;
      }
      const result = await call((api) => api.validation.listRuns({ limit: 100 }));
      if (result.ok) set({ runs: result.value, runsLoaded: true, runsError: null });
      else set({ runsError: result.error, runsLoaded: true });
      const app = useAppStore.getState();
      const latest = result.ok ? result.value[0] : undefined;
      // After a restart the status bar still tells the last outcome, taken from the stored history.
      if (!app.lastJob && latest && latest.status !== 'running') {
        app.reportJob({ label: 'Validation', status: latest.status, at: latest.finishedAt ?? latest.startedAt });
      }
    },

    async openRun(runId) {
      set({ loadingRunId: runId });
      const result = await call((api) => (isReviewing() ? api.review.getValidationRun({ runId }) : api.validation.getRun({ runId })));
      if (get().loadingRunId !== runId) return;
      if (!result.ok) {
        set({ loadingRunId: null, runNotice: { tone: 'error', error: result.error } });
        return;
      }
      const { run, report } = result.value;
      if (!report) {
        set({
          loadingRunId: null,
          run,
          report: null,
          selectedKey: null,
          runNotice: {
            tone: 'info',
            error: {
              code: 'not-found',
              message: `Run ${run.id} has no report (it ended as "${run.status}").`,
              hint: 'Start a new validation of the share to get a report.',
            },
          },
        });
        return;
      }
      set({ loadingRunId: null, runNotice: null });
      get().showReport(report, run);
    },

    showReport(report, run) {
      set({
        report,
        run,
        selectedKey: initialSelection(report),
        exportState: { busy: null, message: null, error: null },
        formCollapsed: true,
      });
    },

    select(key) {
      set({ selectedKey: key });
    },

    setSort(key) {
      const view = get().view;
      const sortDir = view.sortKey === key ? (view.sortDir === 'asc' ? 'desc' : 'asc') : 'asc';
      set({ view: { ...view, sortKey: key, sortDir } });
    },

    setFilter(text) {
      set({ view: { ...get().view, filter: text } });
    },

    setFailuresOnly(on) {
      set({ view: { ...get().view, failuresOnly: on } });
    },

    async exportReport(format) {
      const run = get().run;
      if (!run || get().exportState.busy) return;
      set({ exportState: { busy: format, message: null, error: null } });
      const result = await call((api) => api.validation.exportReport({ runId: run.id, format }));
      if (!result.ok) set({ exportState: { busy: null, message: null, error: result.error } });
      else if (result.value.path === null) set({ exportState: { busy: null, message: 'Export cancelled.', error: null } });
      else
        set({
          exportState: { busy: null, message: `Saved the ${format.toUpperCase()} report to ${result.value.path}`, error: null },
        });
    },

    subscribe() {
      const api = workbench();
      if (!api) return () => undefined;
      const offProgress = api.on('validation.progress', (p) => {
        const job = get().job;
        if (!job || (job.jobId !== null && job.jobId !== p.jobId)) return;
        set({ job: { ...job, done: p.done, total: p.total, file: p.file } });
      });
      const offFinished = api.on('validation.finished', (p) => {
        const job = get().job;
        if (job && job.jobId === p.jobId) finish(p);
        else if (job && job.jobId === null) earlyEndings.set(p.jobId, p);
      });
      // File ▸ Open share folder… in the app menu: take the folder and bring the operator here.
      const offFolder = api.on('app.shareFolderOpened', (p) => {
        if (get().job) return;
        set({ form: { ...get().form, root: p.path } });
        useAppStore.getState().setWorkspace('certificates');
      });
      return () => {
        offProgress();
        offFinished();
        offFolder();
      };
    },
  };
});
