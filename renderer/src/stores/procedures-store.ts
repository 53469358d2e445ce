/**
 * The Procedures workspace: the runs of the active stamp, the open checklist, the start form and the
 * confirmation in progress.
 *
 * The checklist itself is always the backend's answer: automatic verdicts and timers are judged in main
 * from the recorded facts, so the window only displays them.
 */
import { create } from 'zustand';
import type { IpcError, IpcResponse } from '../../../shared/ipc/contract';
import type { ProcedureId } from '../../../shared/procedures/model';
import type { ProcedureRunSummary } from '../../../shared/procedures/procedure-schema';
import { call } from '../lib/ipc';

/** A checklist as the backend answers it. */
export type ChecklistView = IpcResponse<'procedures.get'>;

/** The start form. */
export interface StartDraft {
  procedureId: ProcedureId;
  parameters: Record<string, string>;
}

/** State and actions of the Procedures workspace. */
export interface ProceduresState {
  stampId: number | null;
  runs: ProcedureRunSummary[];
  runsLoaded: boolean;
  checklist: ChecklistView | null;
  draft: StartDraft | null;
  error: IpcError | null;
  busy: boolean;
  /** Short confirmation for a polite live region. */
  notice: string | null;
  loadRuns(stampId: number | null): Promise<void>;
  open(runId: number): Promise<void>;
  refresh(): Promise<void>;
  startDraft(procedureId: ProcedureId): void;
  setDraftProcedure(procedureId: ProcedureId): void;
  setDraftParameter(key: string, value: string): void;
  cancelDraft(): void;
  start(): Promise<boolean>;
  confirm(stepId: string, note: string | null): Promise<boolean>;
  unconfirm(stepId: string): Promise<void>;
  saveParameters(parameters: Record<string, string>): Promise<boolean>;
  finish(state: 'completed' | 'abandoned'): Promise<void>;
  exportRunbook(): Promise<void>;
  dismissError(): void;
}

/** The procedures store. */
export const useProceduresStore = create<ProceduresState>()((set, get) => {
  const apply = async (run: () => ReturnType<typeof call<ChecklistView>>, notice: string | null): Promise<boolean> => {
    set({ busy: true, error: null });
    const result = await run();
    if (!result.ok) {
      set({ busy: false, error: result.error });
      return false;
    }
    set({ busy: false, checklist: result.value, notice });
    void get().loadRuns(get().stampId);
    return true;
  };
  return {
    stampId: null,
    runs: [],
    runsLoaded: false,
    checklist: null,
    draft: null,
    error: null,
    busy: false,
    notice: null,

    async loadRuns(stampId) {
      if (stampId !== get().stampId) set({ stampId, checklist: null, draft: null, runsLoaded: false, runs: [] });
      if (stampId === null) {
        set({ runsLoaded: true });
        return;
      }
      const result = await call((api) => api.procedures.list({ stampId }));
      if (get().stampId !== stampId) return;
      if (!result.ok) set({ error: result.error, runsLoaded: true });
      else set({ runs: result.value, runsLoaded: true });
    },

    async open(runId) {
      set({ draft: null, notice: null });
      await apply(() => call((api) => api.procedures.get({ runId })), null);
    },

    async refresh() {
      const current = get().checklist;
      if (!current) return;
      const result = await call((api) => api.procedures.get({ runId: current.run.id }));
      if (result.ok && get().checklist?.run.id === current.run.id) set({ checklist: result.value });
    },

    startDraft(procedureId) {
      set({ draft: { procedureId, parameters: {} }, checklist: null, error: null, notice: null });
    },

    setDraftProcedure(procedureId) {
      set({ draft: { procedureId, parameters: {} } });
    },

    setDraftParameter(key, value) {
      const draft = get().draft;
      if (draft) set({ draft: { ...draft, parameters: { ...draft.parameters, [key]: value } } });
    },

    cancelDraft() {
      set({ draft: null, error: null });
    },

    async start() {
      const { draft, stampId } = get();
      if (!draft || stampId === null) return false;
      const ok = await apply(
        () => call((api) => api.procedures.start({ stampId, procedureId: draft.procedureId, parameters: draft.parameters })),
        'Procedure started.',
      );
      if (ok) set({ draft: null });
      return ok;
    },

    async confirm(stepId, note) {
      const runId = get().checklist?.run.id;
      if (runId === undefined) return false;
      return apply(() => call((api) => api.procedures.confirm({ runId, stepId, note })), 'Step confirmed.');
    },

    async unconfirm(stepId) {
      const runId = get().checklist?.run.id;
      if (runId === undefined) return;
      await apply(() => call((api) => api.procedures.unconfirm({ runId, stepId })), 'Confirmation taken back.');
    },

    async saveParameters(parameters) {
      const runId = get().checklist?.run.id;
      if (runId === undefined) return false;
      return apply(() => call((api) => api.procedures.setParameters({ runId, parameters })), 'Values saved.');
    },

    async finish(state) {
      const runId = get().checklist?.run.id;
      if (runId === undefined) return;
      await apply(() => call((api) => api.procedures.finish({ runId, state })), state === 'completed' ? 'Procedure completed.' : 'Procedure abandoned.');
    },

    async exportRunbook() {
      const runId = get().checklist?.run.id;
      if (runId === undefined) return;
      const result = await call((api) => api.procedures.exportRunbook({ runId }));
      if (!result.ok) set({ error: result.error });
      else if (result.value.path) set({ notice: `Runbook saved to ${result.value.path}.` });
    },

    dismissError() {
      set({ error: null });
    },
  };
});
