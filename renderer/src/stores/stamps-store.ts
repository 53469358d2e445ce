/**
 * Stamp profiles: the list, the editor draft with its inline problems, and removal.
 *
 * Field rules come from `shared/stamps/stamp.ts`, the same functions main's zod schema uses, so an
 * inline message and the backend's refusal always agree.
 */
import { create } from 'zustand';
import type { IpcError } from '../../../shared/ipc/contract';
import type { PaasProvider } from '../../../shared/endpoints/catalog';
import { stampInputOf, stampInputProblems } from '../../../shared/stamps/stamp';
import type { CaKind, Stamp, StampInput } from '../../../shared/stamps/stamp';
import { call } from '../lib/ipc';
import { useAppStore } from './app-store';
import { isReviewing, reviewContents } from './review-store';

/** The editor's values as typed (ERCS as one text field). */
export interface StampDraft {
  name: string;
  region: string;
  externalFqdn: string;
  identity: 'aad' | 'adfs';
  version: string;
  ercsText: string;
  currentCaKind: CaKind | 'unknown';
  resourceProviders: PaasProvider[];
  rehearsal: boolean;
}

/** A draft field that can carry an inline problem. */
export type DraftField = 'name' | 'region' | 'externalFqdn' | 'version' | 'ercsText';

/** Splits the ERCS text on commas, semicolons, spaces and line breaks. */
export function parseErcs(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The IPC input a draft stands for. */
export function draftToInput(draft: StampDraft): StampInput {
  return {
    name: draft.name.trim(),
    region: draft.region.trim(),
    externalFqdn: draft.externalFqdn.trim(),
    identity: draft.identity,
    version: draft.version.trim(),
    ercsIps: parseErcs(draft.ercsText),
    currentCaKind: draft.currentCaKind,
    resourceProviders: draft.resourceProviders,
    rehearsal: draft.rehearsal,
  };
}

/** Inline problems of a draft, keyed by draft field. */
export function draftProblems(draft: StampDraft): Partial<Record<DraftField, string>> {
  const p = stampInputProblems(draftToInput(draft));
  const out: Partial<Record<DraftField, string>> = {};
  if (p.name) out.name = p.name;
  if (p.region) out.region = p.region;
  if (p.externalFqdn) out.externalFqdn = p.externalFqdn;
  if (p.version) out.version = p.version;
  if (p.ercsIps) out.ercsText = p.ercsIps;
  return out;
}

const EMPTY_DRAFT: StampDraft = {
  name: '',
  region: '',
  externalFqdn: '',
  identity: 'aad',
  version: '',
  ercsText: '',
  currentCaKind: 'unknown',
  resourceProviders: [],
  rehearsal: false,
};

function draftOf(stamp: Stamp): StampDraft {
  const { ercsIps, ...rest } = stampInputOf(stamp);
  return { ...rest, ercsText: ercsIps.join(', ') };
}

/** The open editor (create or edit). */
export interface StampEditor {
  mode: 'create' | 'edit';
  id: number | null;
  draft: StampDraft;
  touched: Partial<Record<DraftField, boolean>>;
  /** Set on the first save attempt, so every problem shows from then on. */
  submitted: boolean;
  /** The field to focus when the editor opens (a link elsewhere sent the operator to fix it); else the first. */
  focusField: string | null;
  saving: boolean;
  serverError: IpcError | null;
}

/** State and actions of the Stamps workspace. */
export interface StampsState {
  stamps: Stamp[];
  loaded: boolean;
  listError: IpcError | null;
  selectedId: number | null;
  editor: StampEditor | null;
  /** The stamp awaiting delete confirmation. */
  pendingRemoval: Stamp | null;
  removeError: IpcError | null;
  /** Short confirmation after a save or delete, for a polite live region. */
  notice: string | null;
  /** The stamp just created in this session: its details offer the next step and take focus. */
  createdId: number | null;
  /** Bumped after every save, so the details pane takes focus (the form that had it is gone). */
  savedTick: number;
  load(): Promise<void>;
  select(id: number | null): void;
  startCreate(): void;
  /** Opens the editor of a stamp; `focusField` is the id of the field to focus (e.g. `stamp-ca`). */
  startEdit(id: number, focusField?: string): void;
  cancelEdit(): void;
  setField<K extends keyof StampDraft>(key: K, value: StampDraft[K]): void;
  touch(key: DraftField): void;
  save(): Promise<boolean>;
  askRemove(id: number): void;
  cancelRemove(): void;
  confirmRemove(): Promise<void>;
  /**
   * Records `kind` as a stamp's current CA kind (from the live probe), keeping every other field as stored.
   *
   * Reloads the list first, so an edit made meanwhile (the CLI, the Stamps workspace) is not reverted by a
   * stale copy; answers the error, or null when saved.
   */
  setCurrentCaKind(stampId: number, kind: CaKind): Promise<IpcError | null>;
}

/** The stamps store. */
export const useStampsStore = create<StampsState>()((set, get) => ({
  stamps: [],
  loaded: false,
  listError: null,
  selectedId: null,
  editor: null,
  pendingRemoval: null,
  removeError: null,
  notice: null,
  createdId: null,
  savedTick: 0,

  async load() {
    if (isReviewing()) {
      // The bundle's profiles stand in for the operator's while it is open; nothing here can change them.
      const stamps = (reviewContents()?.stamps ?? []) as Stamp[];
      set({ stamps, loaded: true, listError: null, editor: null, pendingRemoval: null, selectedId: stamps[0]?.id ?? null });
      return;
    }
    const result = await call((api) => api.stamps.list({}));
    if (!result.ok) {
      set({ listError: result.error, loaded: true });
      return;
    }
    const stamps = result.value;
    set({ stamps, loaded: true, listError: null });
    const app = useAppStore.getState();
    // A remembered stamp that no longer exists (removed from the CLI) must not stay active.
    if (app.activeStampId !== null && !stamps.some((s) => s.id === app.activeStampId)) app.setActiveStamp(null);
    if (get().selectedId === null && stamps[0]) set({ selectedId: stamps[0].id });
  },

  select(id) {
    set({ selectedId: id, notice: null });
  },

  startCreate() {
    if (isReviewing()) return;
    set({
      editor: { mode: 'create', id: null, draft: { ...EMPTY_DRAFT }, touched: {}, submitted: false, saving: false, serverError: null, focusField: null },
      notice: null,
    });
  },

  startEdit(id, focusField) {
    if (isReviewing()) return;
    const stamp = get().stamps.find((s) => s.id === id);
    if (!stamp) return;
    set({
      selectedId: id,
      editor: { mode: 'edit', id, draft: draftOf(stamp), touched: {}, submitted: false, saving: false, serverError: null, focusField: focusField ?? null },
      notice: null,
    });
  },

  cancelEdit() {
    set({ editor: null });
  },

  setField(key, value) {
    const editor = get().editor;
    if (!editor) return;
    set({ editor: { ...editor, draft: { ...editor.draft, [key]: value }, serverError: null } });
  },

  touch(key) {
    const editor = get().editor;
    if (!editor || editor.touched[key]) return;
    set({ editor: { ...editor, touched: { ...editor.touched, [key]: true } } });
  },

  async save() {
    const editor = get().editor;
    if (!editor || editor.saving) return false;
    if (Object.keys(draftProblems(editor.draft)).length > 0) {
      set({ editor: { ...editor, submitted: true } });
      return false;
    }
    set({ editor: { ...editor, submitted: true, saving: true, serverError: null } });
    const input = draftToInput(editor.draft);
    const result =
      editor.mode === 'edit' && editor.id !== null
        ? await call((api) => api.stamps.update({ ...input, id: editor.id as number }))
        : await call((api) => api.stamps.create(input));
    const current = get().editor;
    if (!result.ok) {
      if (current) set({ editor: { ...current, saving: false, serverError: result.error } });
      return false;
    }
    const saved = result.value;
    const stamps = get().stamps.some((s) => s.id === saved.id)
      ? get().stamps.map((s) => (s.id === saved.id ? saved : s))
      : [...get().stamps, saved];
    set({
      stamps,
      editor: null,
      selectedId: saved.id,
      notice: editor.mode === 'edit' ? `Saved changes to "${saved.name}".` : `Created stamp "${saved.name}".`,
      createdId: editor.mode === 'create' ? saved.id : get().createdId,
      savedTick: get().savedTick + 1,
    });
    // The first stamp an operator creates is almost always the one they are about to work on.
    if (useAppStore.getState().activeStampId === null) useAppStore.getState().setActiveStamp(saved.id);
    return true;
  },

  askRemove(id) {
    if (isReviewing()) return;
    const stamp = get().stamps.find((s) => s.id === id) ?? null;
    set({ pendingRemoval: stamp, removeError: null });
  },

  cancelRemove() {
    set({ pendingRemoval: null, removeError: null });
  },

  async confirmRemove() {
    const stamp = get().pendingRemoval;
    if (!stamp) return;
    const result = await call((api) => api.stamps.remove({ id: stamp.id }));
    if (!result.ok) {
      set({ removeError: result.error });
      return;
    }
    const stamps = get().stamps.filter((s) => s.id !== stamp.id);
    set({
      stamps,
      pendingRemoval: null,
      removeError: null,
      selectedId: get().selectedId === stamp.id ? (stamps[0]?.id ?? null) : get().selectedId,
      editor: get().editor?.id === stamp.id ? null : get().editor,
      notice: `Deleted stamp "${stamp.name}".`,
    });
    if (useAppStore.getState().activeStampId === stamp.id) useAppStore.getState().setActiveStamp(null);
  },

  async setCurrentCaKind(stampId, kind) {
    await get().load();
    const stored = get().stamps.find((s) => s.id === stampId);
    if (!stored) {
      return { code: 'not-found', message: 'This stamp profile no longer exists.', hint: 'It was removed meanwhile; pick another stamp.' };
    }
    const result = await call((api) => api.stamps.update({ ...stampInputOf(stored), currentCaKind: kind, id: stampId }));
    if (!result.ok) return result.error;
    // The header, the Stamps workspace and the Dashboard all read this store.
    await get().load();
    return null;
  },
}));
