/**
 * PEP rotation runs: the setup form, pre-flight, the live run (events, action-plan steps, state), cancel,
 * and the stamp's run history.
 *
 * The passwords live only in this store's memory: sent with `rotation.preflight` and `rotation.start`, and
 * wiped as soon as a run has started, so they are never persisted, logged or kept for the next run.
 */
import { create } from 'zustand';
import type { IpcError, IpcEventPayload } from '../../../shared/ipc/contract';
import type { RotationKind, RunEvent } from '../../../shared/rotation/rotation-run';
import { bmcUserProblem, parseSimScenario, pfxFilesPathProblem } from '../../../shared/rotation/rotation-run';
import type { PreflightResultDto, RotationRequestDto, RotationRunDto } from '../../../shared/rotation/rotation-schema';
import type { Stamp } from '../../../shared/stamps/stamp';
import { call, workbench } from '../lib/ipc';
import { useAppStore } from './app-store';
import { isReviewing, reviewContents } from './review-store';

/** What the operator fills in (no secret). */
export interface RotationForm {
  kind: RotationKind;
  share: string;
  pfxFilesPath: string;
  pepUser: string;
  shareUser: string;
  bmcUser: string;
  bypassBmcUpdate: boolean;
  rerun: boolean;
  /** Rehearse against the simulator (always on for a rehearsal stamp). */
  rehearse: boolean;
  scenario: string;
  simSeconds: string;
}

/** The passwords of one run; memory only. */
export interface RotationSecretsForm {
  pep: string;
  share: string;
  certificate: string;
  bmc: string;
}

/** A form field that can carry an inline problem. */
export type RotationField = 'share' | 'pfxFilesPath' | 'shareUser' | 'bmcUser' | 'pep' | 'sharePassword' | 'certificate' | 'bmc' | 'scenario' | 'simSeconds';

/** The run shown in the live view. */
export interface ViewedRun {
  run: RotationRunDto;
  events: RunEvent[];
  /** Set when the run reached its final state in this session. */
  nextSteps: string[];
  refused: boolean;
  /** What to do about an interrupted run. */
  guidance: string | null;
}

const EMPTY_FORM: RotationForm = {
  kind: 'external',
  share: '',
  pfxFilesPath: '',
  pepUser: '',
  shareUser: '',
  bmcUser: '',
  bypassBmcUpdate: false,
  rerun: false,
  rehearse: false,
  scenario: 'success',
  simSeconds: '60',
};

const EMPTY_SECRETS: RotationSecretsForm = { pep: '', share: '', certificate: '', bmc: '' };

/** True when runs of this stamp and form go to the simulator. */
export function isRehearsal(form: RotationForm, stamp: Stamp | null): boolean {
  return !!stamp?.rehearsal || form.rehearse;
}

/** Inline problems of the form; pre-flight repeats every check with the stamp's facts. */
export function rotationFormProblems(form: RotationForm, secrets: RotationSecretsForm, stamp: Stamp | null): Partial<Record<RotationField, string>> {
  const out: Partial<Record<RotationField, string>> = {};
  const rehearsal = isRehearsal(form, stamp);
  if (!secrets.pep) out.pep = 'Enter the password of the PEP user (CloudAdmin).';
  if (form.kind === 'external') {
    if (!form.share.trim()) out.share = 'Choose the Certificates folder of the share: it is validated before the run.';
    if (!secrets.certificate) out.certificate = "Enter the share's PFX password.";
    if (!form.rerun) {
      const path = form.pfxFilesPath.trim();
      if (path || !rehearsal) {
        const p = pfxFilesPathProblem(path);
        if (p) out.pfxFilesPath = p;
      }
      if (!rehearsal && !form.shareUser.trim()) out.shareUser = 'Enter the account the ERCS VMs use to read the share (DOMAIN\\user).';
      if (!secrets.share) out.sharePassword = "Enter the share account's password.";
    }
  }
  if (form.kind === 'bmc') {
    if (form.bmcUser.trim()) {
      const p = bmcUserProblem(form.bmcUser.trim());
      if (p) out.bmcUser = p;
    }
    if (!secrets.bmc) out.bmc = 'Enter the new BMC password.';
  }
  if (rehearsal) {
    const step = /^fail-at-step:(.*)$/.exec(form.scenario.trim());
    const scenario = parseSimScenario(form.scenario);
    // The step has a field of its own: say what is wrong with it, not with the scenario's text form.
    if (step && !/^[1-9]\d*$/.test(step[1]!)) out.scenario = 'Enter the number of the step that fails, from 1.';
    else if ('problem' in scenario) out.scenario = scenario.problem;
    const seconds = Number(form.simSeconds);
    if (!/^\d+$/.test(form.simSeconds.trim()) || seconds > 86_400) out.simSeconds = 'Enter a number of seconds from 0 to 86400.';
  }
  return out;
}

/** The IPC request for the form, the secrets and the stamp. */
export function toRequest(form: RotationForm, secrets: RotationSecretsForm, stamp: Stamp): RotationRequestDto {
  const external = form.kind === 'external';
  const nullable = (v: string) => v.trim() || null;
  return {
    stampId: stamp.id,
    kind: form.kind,
    share: external ? nullable(form.share) : null,
    pfxFilesPath: external && !form.rerun ? nullable(form.pfxFilesPath) : null,
    pepUser: nullable(form.pepUser),
    shareUser: external && !form.rerun ? nullable(form.shareUser) : null,
    bmcUser: form.kind === 'bmc' ? nullable(form.bmcUser) : null,
    bypassBmcUpdate: form.kind === 'bmc' && form.bypassBmcUpdate,
    rerun: form.kind !== 'bmc' && form.rerun,
    simulate: isRehearsal(form, stamp) ? { scenario: form.scenario.trim(), seconds: Number(form.simSeconds) } : null,
    secrets: {
      pep: secrets.pep,
      share: external && !form.rerun ? secrets.share : null,
      certificate: external ? secrets.certificate : null,
      bmc: form.kind === 'bmc' ? secrets.bmc : null,
    },
  };
}

/** State and actions of the Rotate workspace. */
export interface RotationState {
  form: RotationForm;
  secrets: RotationSecretsForm;
  touched: Partial<Record<RotationField, boolean>>;
  submitted: boolean;
  preflight: PreflightResultDto | null;
  /** The form the pre-flight result belongs to; a changed form needs a new pre-flight. */
  preflightKey: string | null;
  preflightBusy: boolean;
  starting: boolean;
  error: IpcError | null;
  viewed: ViewedRun | null;
  /** A run the live view should bring into view and focus once shown (the operator started or chose it). */
  revealRunId: number | null;
  confirmingCancel: boolean;
  cancelling: boolean;
  runs: RotationRunDto[];
  runsLoaded: boolean;
  runsError: IpcError | null;
  setField<K extends keyof RotationForm>(key: K, value: RotationForm[K]): void;
  setSecret(key: keyof RotationSecretsForm, value: string): void;
  touch(key: RotationField): void;
  runPreflight(stamp: Stamp): Promise<void>;
  start(stamp: Stamp): Promise<void>;
  askCancel(): void;
  dismissCancel(): void;
  confirmCancel(): Promise<void>;
  loadRuns(stampId: number): Promise<void>;
  /** Shows a run in the live view; `reveal` also scrolls to it and moves focus there. */
  openRun(runId: number, reveal?: boolean): Promise<void>;
  /** Called by the live view once it revealed the run. */
  revealed(): void;
  closeRun(): void;
  savePwshPath(path: string): Promise<void>;
  dismissError(): void;
  /** Subscribes to the backend's run events; returns the unsubscribe function. */
  subscribe(): () => void;
}

/** Identifies a form for a stamp: a pre-flight result only stands for the form it was run on. */
export function formKey(form: RotationForm, stampId: number): string {
  return JSON.stringify({ ...form, stampId });
}

// Events that arrive before `rotation.start` has answered with the run's id wait here.
const early = new Map<number, RunEvent[]>();

function mergeEvents(current: readonly RunEvent[], incoming: readonly RunEvent[]): RunEvent[] {
  const bySeq = new Map(current.map((e) => [e.seq, e]));
  for (const e of incoming) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The rotation store. */
export const useRotationStore = create<RotationState>()((set, get) => ({
  form: EMPTY_FORM,
  secrets: EMPTY_SECRETS,
  touched: {},
  submitted: false,
  preflight: null,
  preflightKey: null,
  preflightBusy: false,
  starting: false,
  error: null,
  viewed: null,
  revealRunId: null,
  confirmingCancel: false,
  cancelling: false,
  runs: [],
  runsLoaded: false,
  runsError: null,

  setField(key, value) {
    set((s) => ({ form: { ...s.form, [key]: value } }));
  },
  setSecret(key, value) {
    set((s) => ({ secrets: { ...s.secrets, [key]: value } }));
  },
  touch(key) {
    set((s) => ({ touched: { ...s.touched, [key]: true } }));
  },

  async runPreflight(stamp) {
    const { form, secrets } = get();
    if (isReviewing()) return;
    set({ submitted: true, error: null });
    if (Object.keys(rotationFormProblems(form, secrets, stamp)).length > 0) return;
    set({ preflightBusy: true });
    const result = await call((api) => api.rotation.preflight(toRequest(form, secrets, stamp)));
    set({
      preflightBusy: false,
      preflight: result.ok ? result.value : null,
      preflightKey: result.ok ? formKey(form, stamp.id) : null,
      error: result.ok ? null : result.error,
    });
  },

  async start(stamp) {
    const { form, secrets, preflight, preflightKey } = get();
    if (isReviewing()) return;
    if (!preflight?.ok || preflightKey !== formKey(form, stamp.id)) return;
    set({ starting: true, error: null });
    const result = await call((api) => api.rotation.start(toRequest(form, secrets, stamp)));
    // The passwords have done their job (or the start failed and they must be typed again): drop them.
    set({ starting: false, secrets: EMPTY_SECRETS, submitted: false, touched: {}, preflight: null, preflightKey: null });
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    useAppStore.getState().reportJob({ label: `${form.kind} rotation of ${stamp.name}`, status: 'running', at: new Date().toISOString() });
    // Start is gone with the pre-flight it belonged to: the run takes the operator's attention and focus.
    await get().openRun(result.value.runId, true);
    void get().loadRuns(stamp.id);
  },

  askCancel() {
    set({ confirmingCancel: true });
  },
  dismissCancel() {
    set({ confirmingCancel: false });
  },
  async confirmCancel() {
    const viewed = get().viewed;
    set({ confirmingCancel: false });
    if (!viewed || isReviewing()) return;
    set({ cancelling: true });
    const result = await call((api) => api.rotation.cancel({ runId: viewed.run.id }));
    set({ cancelling: false, error: result.ok ? null : result.error });
  },

  async loadRuns(stampId) {
    if (isReviewing()) {
      set({ runs: (reviewContents()?.rotationRuns ?? []).filter((r) => r.stampId === stampId), runsLoaded: true, runsError: null });
      return;
    }
    const result = await call((api) => api.rotation.listRuns({ stampId, limit: 50 }));
    if (result.ok) set({ runs: result.value, runsLoaded: true, runsError: null });
    else set({ runsLoaded: true, runsError: result.error });
  },

  async openRun(runId, reveal = false) {
    if (reveal) set({ revealRunId: runId });
    const result = await call((api) => (isReviewing() ? api.review.getRotationRun({ runId }) : api.rotation.getRun({ runId })));
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    const pending = early.get(runId) ?? [];
    early.delete(runId);
    const current = get().viewed?.run.id === runId ? get().viewed : null;
    set({
      viewed: {
        run: result.value.run,
        events: mergeEvents(mergeEvents(current?.events ?? [], result.value.events), pending),
        nextSteps: current?.nextSteps ?? [],
        refused: current?.refused ?? false,
        guidance: result.value.guidance,
      },
    });
  },

  revealed() {
    set({ revealRunId: null });
  },

  closeRun() {
    set({ viewed: null });
  },

  async savePwshPath(path) {
    const result = await call((api) => api.app.setSettings({ pwshPath: path.trim() || null }));
    if (result.ok) useAppStore.setState({ settings: result.value });
    else set({ error: result.error });
  },

  dismissError() {
    set({ error: null });
  },

  subscribe() {
    const api = workbench();
    if (!api) return () => {};
    const offEvent = api.on('rotation.event', (payload: IpcEventPayload<'rotation.event'>) => {
      // A run of this machine still reporting during a review must not be merged into the bundle's run of the same id.
      if (isReviewing()) return;
      const viewed = get().viewed;
      if (viewed?.run.id === payload.runId) {
        set({ viewed: { ...viewed, events: mergeEvents(viewed.events, payload.events) } });
      } else if (get().starting) {
        early.set(payload.runId, mergeEvents(early.get(payload.runId) ?? [], payload.events));
      }
    });
    const offState = api.on('rotation.state', (payload: IpcEventPayload<'rotation.state'>) => {
      if (isReviewing()) return;
      const viewed = get().viewed;
      if (get().runs.some((r) => r.id === payload.runId)) set((st) => ({ runs: st.runs.map((r) => (r.id === payload.runId ? payload.run : r)) }));
      if (viewed?.run.id === payload.runId) {
        set({
          viewed: {
            ...viewed,
            run: payload.run,
            nextSteps: payload.final ? payload.nextSteps : viewed.nextSteps,
            refused: payload.final ? payload.refused : viewed.refused,
          },
        });
      }
      if (payload.final) {
        const status = payload.run.state === 'succeeded' ? 'ok' : payload.run.state === 'interrupted' ? 'warning' : 'fail';
        useAppStore.getState().reportJob({ label: `${payload.run.kind} rotation of ${payload.run.stamp}`, status, at: payload.run.endedAt ?? new Date().toISOString() });
        if (payload.run.stampId !== null) void get().loadRuns(payload.run.stampId);
        if (payload.run.state === 'interrupted' && viewed?.run.id === payload.runId) void get().openRun(payload.runId);
      }
    });
    return () => {
      offEvent();
      offState();
    };
  },
}));
