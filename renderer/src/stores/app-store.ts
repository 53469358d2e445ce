/**
 * App-wide state: backend info, settings, the active workspace and stamp, the last job's outcome.
 *
 * Workspaces read the active stamp from here so the header's selector drives every workspace at once.
 */
import { create } from 'zustand';
import type { IpcError, IpcResponse, Settings } from '../../../shared/ipc/contract';
import { call } from '../lib/ipc';
import { isReviewing } from './review-store';

/** What `app.getInfo` answers. */
export type AppInfo = IpcResponse<'app.getInfo'>;
/** Theme preference: follow the OS, or force one. */
export type ThemeSetting = Settings['theme'];

/** Outcome of the most recent long-running job, for the status bar. */
export interface LastJob {
  /** What ran, e.g. "Validation of ADFS share". */
  label: string;
  status: 'ok' | 'warning' | 'fail' | 'cancelled' | 'error' | 'running';
  at: string;
}

const ACTIVE_STAMP_KEY = 'workbench.activeStampId';

function readStoredStampId(): number | null {
  try {
    const raw = window.localStorage.getItem(ACTIVE_STAMP_KEY);
    const id = raw === null ? NaN : Number(raw);
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    // Storage can be unavailable (opaque origins); the active stamp then lasts for the session only.
    return null;
  }
}

function storeStampId(id: number | null): void {
  try {
    if (id === null) window.localStorage.removeItem(ACTIVE_STAMP_KEY);
    else window.localStorage.setItem(ACTIVE_STAMP_KEY, String(id));
  } catch {
    // See readStoredStampId: not persisting is harmless.
  }
}

/** State and actions of the app frame. */
export interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  /** Error of loading info or settings, or of saving a setting. */
  error: IpcError | null;
  workspace: string;
  activeStampId: number | null;
  lastJob: LastJob | null;
  load(): Promise<void>;
  setWorkspace(id: string): void;
  setActiveStamp(id: number | null): void;
  setTheme(theme: ThemeSetting): Promise<void>;
  setLastShareFolder(path: string): Promise<void>;
  reportJob(job: LastJob): void;
  dismissError(): void;
}

/** The app store. */
export const useAppStore = create<AppState>()((set, get) => ({
  info: null,
  settings: null,
  error: null,
  workspace: 'stamps',
  activeStampId: readStoredStampId(),
  lastJob: null,

  async load() {
    const [info, settings] = await Promise.all([
      call((api) => api.app.getInfo({})),
      call((api) => api.app.getSettings({})),
    ]);
    set({
      info: info.ok ? info.value : null,
      settings: settings.ok ? settings.value : { theme: 'system', lastShareFolder: null },
      error: !info.ok ? info.error : !settings.ok ? settings.error : null,
    });
  },

  setWorkspace(id) {
    set({ workspace: id });
  },

  setActiveStamp(id) {
    // A bundle's stamp ids are the customer's: remembering one would pick a local stamp after the review.
    if (!isReviewing()) storeStampId(id);
    set({ activeStampId: id });
  },

  async setTheme(theme) {
    const previous = get().settings;
    // Apply at once so the switch feels instant; roll back if the backend refuses.
    if (previous) set({ settings: { ...previous, theme } });
    // Review mode keeps the operator's settings as they are; the theme still applies for this session.
    if (isReviewing()) return;
    const result = await call((api) => api.app.setSettings({ theme }));
    if (result.ok) set({ settings: result.value, error: null });
    else set({ settings: previous, error: result.error });
  },

  async setLastShareFolder(path) {
    const result = await call((api) => api.app.setSettings({ lastShareFolder: path }));
    if (result.ok) set({ settings: result.value });
  },

  reportJob(job) {
    set({ lastJob: job });
  },

  dismissError() {
    set({ error: null });
  },
}));
