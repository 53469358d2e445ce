/**
 * The log viewer's state: filters, the pages loaded so far, the selection, exports, the support bundle
 * and review mode.
 *
 * Events arrive in keyset pages (newest first) as the list scrolls; the store never asks for the whole
 * log, so a million events cost what the operator actually scrolled through.
 */
import { create } from 'zustand';
import type { IpcError, IpcResponse } from '../../../shared/ipc/contract';
import type { BundlePreview, LogFilter, ReviewSummary } from '../../../shared/ipc/logs-contract';
import { EVENT_LEVELS, EVENT_SOURCES, formatRunRef, type EventLevel, type EventSource, type LogEvent, type RunRef } from '../../../shared/logs/events';
import { call } from '../lib/ipc';
import { enterReview, leaveReview } from './review-mode';

/** Events fetched per page. */
export const PAGE_SIZE = 200;

/** The filter form; times are `datetime-local` values (local time), empty for no bound. */
export interface LogFilterForm {
  query: string;
  stamp: string;
  run: RunRef | null;
  levels: EventLevel[];
  sources: EventSource[];
  since: string;
  until: string;
}

/** Facets the filter selects offer. */
export type LogFacets = IpcResponse<'logs.facets'>;

/** What the operator chose to mask in a support bundle. */
export interface MaskChoice {
  ips: boolean;
  hosts: boolean;
  users: boolean;
}

/** State of the support bundle panel. */
export interface BundleState {
  mask: MaskChoice;
  preview: BundlePreview | null;
  busy: 'preview' | 'export' | null;
  message: string | null;
  error: IpcError | null;
}

/** State and actions of the log viewer. */
export interface LogsState {
  form: LogFilterForm;
  /** The filter of the rows on screen (the form's values when they were applied). */
  applied: LogFilter;
  rows: LogEvent[];
  nextCursor: number | null;
  total: number | null;
  loading: boolean;
  loaded: boolean;
  error: IpcError | null;
  facets: LogFacets | null;
  selected: Set<number>;
  anchor: number | null;
  /** The event shown in full below the list. */
  focused: LogEvent | null;
  notice: string | null;
  review: ReviewSummary | null;
  reviewPath: string;
  reviewBusy: boolean;
  reviewError: IpcError | null;
  bundle: BundleState;
  setForm(patch: Partial<LogFilterForm>): void;
  /** Applies the form and loads the first page. */
  apply(): Promise<void>;
  loadFacets(): Promise<void>;
  loadMore(): Promise<void>;
  clearFilters(): Promise<void>;
  jumpToRun(run: RunRef): Promise<void>;
  select(index: number, mode: 'single' | 'toggle' | 'range'): void;
  selectAllLoaded(): void;
  copySelection(): Promise<void>;
  exportEvents(format: 'csv' | 'jsonl'): Promise<void>;
  setMask(patch: Partial<MaskChoice>): void;
  previewBundle(): Promise<void>;
  exportBundle(): Promise<void>;
  /** Changes how many days events are kept, pruning older ones at once. */
  setRetention(days: number): Promise<void>;
  setReviewPath(path: string): void;
  openReview(browse: boolean): Promise<void>;
  closeReview(): Promise<void>;
  dismissNotice(): void;
}

const EMPTY_FORM: LogFilterForm = { query: '', stamp: '', run: null, levels: [...EVENT_LEVELS], sources: [...EVENT_SOURCES], since: '', until: '' };

/** A `datetime-local` value read as UTC, the one time zone the app shows. */
function utcToIso(value: string): string | null {
  if (!value) return null;
  const t = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** The contract's filter for a form. */
export function filterOf(form: LogFilterForm): LogFilter {
  return {
    query: form.query.trim() || null,
    stamp: form.stamp || null,
    run: form.run,
    levels: form.levels.length === EVENT_LEVELS.length ? null : form.levels,
    sources: form.sources.length === EVENT_SOURCES.length ? null : form.sources,
    since: utcToIso(form.since),
    until: utcToIso(form.until),
  };
}

/** One event as a line of copied text: time, level, source, stamp, run, text. */
export function eventLine(e: LogEvent): string {
  return [e.at, e.level.toUpperCase(), e.source, e.stamp ?? '-', e.run ? formatRunRef(e.run) : '-', e.text].join('\t');
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without clipboard permission (some embedded hosts), fall back to a selected textarea and copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

// Each query carries a generation number so a slow answer for old filters never overwrites newer rows.
let generation = 0;

/** The logs store. */
export const useLogsStore = create<LogsState>()((set, get) => ({
  form: EMPTY_FORM,
  applied: filterOf(EMPTY_FORM),
  rows: [],
  nextCursor: null,
  total: null,
  loading: false,
  loaded: false,
  error: null,
  facets: null,
  selected: new Set(),
  anchor: null,
  focused: null,
  notice: null,
  review: null,
  reviewPath: '',
  reviewBusy: false,
  reviewError: null,
  bundle: { mask: { ips: false, hosts: false, users: false }, preview: null, busy: null, message: null, error: null },

  setForm(patch) {
    set({ form: { ...get().form, ...patch } });
  },

  async apply() {
    const filter = filterOf(get().form);
    const mine = ++generation;
    set({ applied: filter, loading: true, error: null, selected: new Set(), anchor: null, focused: null, total: null });
    // The first page comes first; the count (which grows with the number of matches) follows on its own.
    const result = await call((api) => api.logs.query({ filter, limit: PAGE_SIZE }));
    if (mine !== generation) return;
    if (!result.ok) return set({ loading: false, loaded: true, error: result.error, rows: [], nextCursor: null, total: null });
    const page = result.value;
    set({ rows: page.events, nextCursor: page.nextCursor, total: page.nextCursor === null ? page.events.length : null, loading: false, loaded: true });
    if (page.nextCursor === null) return;
    const counted = await call((api) => api.logs.query({ filter, limit: 1, withTotal: true }));
    if (mine === generation && counted.ok) set({ total: counted.value.total });
  },

  async loadFacets() {
    const result = await call((api) => api.logs.facets({}));
    if (result.ok) set({ facets: result.value, review: result.value.review });
  },

  async loadMore() {
    const { nextCursor, loading, applied } = get();
    if (nextCursor === null || loading) return;
    const mine = generation;
    set({ loading: true });
    const result = await call((api) => api.logs.query({ filter: applied, before: nextCursor, limit: PAGE_SIZE }));
    if (mine !== generation) return;
    if (!result.ok) return set({ loading: false, error: result.error });
    set({ rows: [...get().rows, ...result.value.events], nextCursor: result.value.nextCursor, loading: false });
  },

  async clearFilters() {
    set({ form: EMPTY_FORM });
    await get().apply();
  },

  async jumpToRun(run) {
    // A run's transcript reads best whole: every level and source, no search narrowing it.
    set({ form: { ...EMPTY_FORM, run } });
    await get().apply();
  },

  select(index, mode) {
    const { rows, selected, anchor } = get();
    const event = rows[index];
    if (!event) return;
    let next: Set<number>;
    if (mode === 'range' && anchor !== null) {
      const from = rows.findIndex((r) => r.id === anchor);
      const [a, b] = from === -1 ? [index, index] : [Math.min(from, index), Math.max(from, index)];
      next = new Set(rows.slice(a, b + 1).map((r) => r.id));
    } else if (mode === 'toggle') {
      next = new Set(selected);
      if (next.has(event.id)) next.delete(event.id);
      else next.add(event.id);
    } else {
      next = new Set([event.id]);
    }
    set({ selected: next, anchor: mode === 'range' ? anchor : event.id, focused: event });
  },

  selectAllLoaded() {
    set({ selected: new Set(get().rows.map((r) => r.id)) });
  },

  async copySelection() {
    const { rows, selected } = get();
    const chosen = rows.filter((r) => selected.has(r.id));
    if (chosen.length === 0) return;
    // Oldest first reads like the transcript it came from.
    const copied = await writeClipboard(chosen.reverse().map(eventLine).join('\n'));
    set({ notice: copied ? `Copied ${chosen.length} event${chosen.length === 1 ? '' : 's'} to the clipboard.` : 'The clipboard is not available here.' });
  },

  async exportEvents(format) {
    set({ notice: null, error: null });
    const result = await call((api) => api.logs.export({ filter: get().applied, format }));
    if (!result.ok) return set({ error: result.error });
    if (result.value.path) set({ notice: `Exported ${result.value.count} event(s) to ${result.value.path}` });
  },

  setMask(patch) {
    const bundle = get().bundle;
    set({ bundle: { ...bundle, mask: { ...bundle.mask, ...patch }, preview: null, message: null } });
  },

  async previewBundle() {
    const { bundle, applied } = get();
    set({ bundle: { ...bundle, busy: 'preview', error: null, message: null } });
    const result = await call((api) => api.bundle.preview({ runs: applied.run ? [applied.run] : [], mask: bundle.mask }));
    const now = get().bundle;
    set({ bundle: result.ok ? { ...now, busy: null, preview: result.value } : { ...now, busy: null, error: result.error } });
  },

  async exportBundle() {
    const { bundle, applied } = get();
    set({ bundle: { ...bundle, busy: 'export', error: null, message: null } });
    const result = await call((api) => api.bundle.export({ runs: applied.run ? [applied.run] : [], mask: bundle.mask }));
    const now = get().bundle;
    if (!result.ok) return set({ bundle: { ...now, busy: null, error: result.error } });
    set({
      bundle: {
        ...now,
        busy: null,
        preview: result.value.preview,
        message: result.value.path ? `Saved the support bundle to ${result.value.path}` : null,
      },
    });
  },

  async setRetention(days) {
    set({ notice: null, error: null });
    const result = await call((api) => api.logs.setRetention({ days }));
    if (!result.ok) return set({ error: result.error });
    const { pruned } = result.value;
    set({ notice: `Events are now kept for ${days} day${days === 1 ? '' : 's'}${pruned > 0 ? `; ${pruned} older event${pruned === 1 ? ' was' : 's were'} removed` : ''}.` });
    await Promise.all([get().loadFacets(), get().apply()]);
  },

  setReviewPath(path) {
    set({ reviewPath: path });
  },

  async openReview(browse) {
    const path = browse ? null : get().reviewPath.trim();
    if (path === '') return set({ reviewError: { code: 'invalid-request', message: 'Enter the path of the bundle to open.', hint: 'Paste the full path of the .zip file.' } });
    set({ reviewBusy: true, reviewError: null });
    const result = await call((api) => api.review.open({ path }));
    if (!result.ok) return set({ reviewBusy: false, reviewError: result.error });
    set({ reviewBusy: false, review: result.value, form: EMPTY_FORM });
    // Every workspace now shows the bundle, not only this one.
    await Promise.all([get().loadFacets(), get().apply(), enterReview(result.value)]);
  },

  async closeReview() {
    await call((api) => api.review.close({}));
    set({ review: null, form: EMPTY_FORM });
    await Promise.all([get().loadFacets(), get().apply(), leaveReview()]);
  },

  dismissNotice() {
    set({ notice: null });
  },
}));
