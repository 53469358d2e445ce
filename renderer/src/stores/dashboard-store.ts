/**
 * The expiry Dashboard: the certificates the app knows for the active stamp and the live probe.
 */
import { create } from 'zustand';
import type { IpcError } from '../../../shared/ipc/contract';
import type { Dashboard } from '../../../shared/procedures/procedure-schema';
import { call } from '../lib/ipc';
import { isReviewing } from './review-store';

/** State and actions of the Dashboard workspace. */
export interface DashboardState {
  stampId: number | null;
  dashboard: Dashboard | null;
  loading: boolean;
  probing: boolean;
  error: IpcError | null;
  /** The DNS/IP override typed for the probe. */
  connect: string;
  load(stampId: number | null): Promise<void>;
  setConnect(value: string): void;
  probe(): Promise<void>;
  dismissError(): void;
}

/** The dashboard store. */
export const useDashboardStore = create<DashboardState>()((set, get) => ({
  stampId: null,
  dashboard: null,
  loading: false,
  probing: false,
  error: null,
  connect: '',

  async load(stampId) {
    set({ stampId, loading: stampId !== null, error: null, ...(stampId !== get().stampId ? { dashboard: null } : {}) });
    if (stampId === null) return;
    const result = await call((api) => (isReviewing() ? api.review.dashboard({ stampId }) : api.probe.dashboard({ stampId })));
    if (get().stampId !== stampId) return;
    set(result.ok ? { dashboard: result.value, loading: false } : { error: result.error, loading: false });
  },

  setConnect(value) {
    set({ connect: value });
  },

  async probe() {
    const stampId = get().stampId;
    if (stampId === null || get().probing || isReviewing()) return;
    set({ probing: true, error: null });
    const connect = get().connect.trim() || null;
    const result = await call((api) => api.probe.run({ stampId, connect }));
    set({ probing: false });
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    await get().load(stampId);
  },

  dismissError() {
    set({ error: null });
  },
}));
