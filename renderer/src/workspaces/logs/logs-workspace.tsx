/**
 * The Logs workspace: every recorded event with filters and full-text search, copy and export, the
 * support bundle, and review mode for a bundle received from elsewhere.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { EVENT_LEVELS, EVENT_SOURCES, MAX_RETENTION_DAYS, formatRunRef, parseRunRef, type EventLevel, type EventSource } from '../../../../shared/logs/events';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon, SearchIcon } from '../../components/icons';
import { formatDateTimeSeconds } from '../../lib/format';
import { useLogsStore, type LogsState } from '../../stores/logs-store';
import { BundlePanel } from './bundle-panel';
import { EventList } from './event-list';
import { Highlighted, termMatcher } from './highlight';
import { ReviewBanner, ReviewPanel } from './review-panel';
import './logs.css';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function FilterBar() {
  const form = useLogsStore((s) => s.form);
  const facets = useLogsStore((s) => s.facets);
  const setForm = useLogsStore((s) => s.setForm);
  const apply = useLogsStore((s) => s.apply);
  const clearFilters = useLogsStore((s) => s.clearFilters);
  const runs = facets?.runs ?? [];
  const runValue = form.run ? formatRunRef(form.run) : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void apply();
  };
  const setAndApply = (patch: Parameters<LogsState['setForm']>[0]) => {
    setForm(patch);
    void apply();
  };
  return (
    <form className="log-filters" role="search" aria-label="Filter events" onSubmit={submit}>
      <div className="log-filters-row">
        <div className="search log-search">
          <SearchIcon />
          <label htmlFor="log-query" className="sr-only">
            Search events
          </label>
          <input
            id="log-query"
            type="search"
            className="input input-search"
            placeholder='Search text: words, "a phrase", prefix*'
            value={form.query}
            onChange={(e) => setForm({ query: e.target.value })}
          />
        </div>
        <button type="submit" className="btn btn-primary">
          Search
        </button>
        <label className="log-filter-field">
          <span>Stamp</span>
          <select className="select select-compact" value={form.stamp} onChange={(e) => setAndApply({ stamp: e.target.value })}>
            <option value="">All stamps</option>
            {(facets?.stamps ?? []).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="log-filter-field">
          <span>Run</span>
          <select className="select select-compact" value={runValue} onChange={(e) => setAndApply({ run: parseRunRef(e.target.value) })}>
            <option value="">All runs</option>
            {form.run && !runs.some((r) => formatRunRef(r) === runValue) ? <option value={runValue}>{runValue}</option> : null}
            {runs.map((r) => (
              <option key={formatRunRef(r)} value={formatRunRef(r)}>
                {formatRunRef(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="log-filters-row">
        <label className="log-filter-field">
          <span>From (UTC)</span>
          <input type="datetime-local" className="input input-time" value={form.since} onChange={(e) => setAndApply({ since: e.target.value })} />
        </label>
        <label className="log-filter-field">
          <span>To (UTC)</span>
          <input type="datetime-local" className="input input-time" value={form.until} onChange={(e) => setAndApply({ until: e.target.value })} />
        </label>
        <span className="toolbar-spacer" />
        <button type="button" className="btn btn-ghost" onClick={() => void clearFilters()}>
          Clear filters
        </button>
      </div>
      <div className="log-filters-row">
        <div className="log-toggles" role="group" aria-label="Levels">
          <span className="log-toggles-label">Levels</span>
          {EVENT_LEVELS.map((level: EventLevel) => (
            <button
              key={level}
              type="button"
              className={`log-toggle log-toggle-${level}`}
              aria-pressed={form.levels.includes(level)}
              onClick={() => setAndApply({ levels: toggle(form.levels, level) })}
            >
              {level}
            </button>
          ))}
        </div>
        <div className="log-toggles" role="group" aria-label="Sources">
          <span className="log-toggles-label">Sources</span>
          {EVENT_SOURCES.map((source: EventSource) => (
            <button key={source} type="button" className="log-toggle" aria-pressed={form.sources.includes(source)} onClick={() => setAndApply({ sources: toggle(form.sources, source) })}>
              {source}
            </button>
          ))}
        </div>
      </div>
    </form>
  );
}

function CountLine() {
  const total = useLogsStore((s) => s.total);
  const loaded = useLogsStore((s) => s.rows.length);
  const loading = useLogsStore((s) => s.loading);
  const selected = useLogsStore((s) => s.selected.size);
  const run = useLogsStore((s) => s.applied.run);
  const clearFilters = useLogsStore((s) => s.clearFilters);
  return (
    <div className="log-count">
      <span aria-live="polite">
        {total === null ? (loading ? 'Searching…' : `${loaded.toLocaleString('en-US')}+ events · counting…`) : `${total.toLocaleString('en-US')} matching event${total === 1 ? '' : 's'}`}
        {total !== null && loaded < total ? ` · ${loaded.toLocaleString('en-US')} loaded (scroll for more)` : ''}
        {selected > 0 ? ` · ${selected} selected` : ''}
      </span>
      {run ? (
        <span className="log-run-scope">
          Transcript of <strong>{formatRunRef(run)}</strong>
          <button type="button" className="btn btn-ghost" onClick={() => void clearFilters()}>
            Show all events
          </button>
        </span>
      ) : null}
      <span className="toolbar-spacer" />
      <Retention />
    </div>
  );
}

function Retention() {
  const days = useLogsStore((s) => s.facets?.retentionDays ?? null);
  const review = useLogsStore((s) => s.review);
  const setRetention = useLogsStore((s) => s.setRetention);
  const [draft, setDraft] = useState('');
  if (days === null || review) return null;
  const value = draft === '' ? String(days) : draft;
  const parsed = Number(value);
  const valid = Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_RETENTION_DAYS;
  return (
    <form
      className="log-retention"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        void setRetention(parsed).then(() => setDraft(''));
      }}
    >
      <label htmlFor="log-retention">Keep events for</label>
      <input
        id="log-retention"
        type="number"
        min={1}
        max={MAX_RETENTION_DAYS}
        className="input input-days"
        value={value}
        aria-invalid={!valid}
        onChange={(e) => setDraft(e.target.value)}
      />
      <span>days</span>
      <button type="submit" className="btn" disabled={!valid || parsed === days}>
        Apply
      </button>
    </form>
  );
}

function Detail() {
  const focused = useLogsStore((s) => s.focused);
  const query = useLogsStore((s) => s.applied.query);
  const matcher = useMemo(() => termMatcher(query), [query]);
  if (!focused) return <p className="empty-inline log-detail-empty">Select an event to read it in full. Shift-click selects a range, Ctrl-click adds one.</p>;
  return (
    <section className="log-detail card" aria-label="Selected event">
      <p className="log-detail-meta">
        <span className={`log-level-chip log-level-${focused.level}`}>{focused.level}</span> {formatDateTimeSeconds(focused.at)} · {focused.source}
        {focused.category ? ` · ${focused.category}` : ''}
        {focused.stamp ? ` · ${focused.stamp}` : ''}
        {focused.run ? ` · ${formatRunRef(focused.run)}` : ''}
      </p>
      <pre className="log-detail-text">
        <Highlighted text={focused.text} matcher={matcher} />
      </pre>
    </section>
  );
}

/** The Logs workspace. */
export function LogsWorkspace() {
  const error = useLogsStore((s) => s.error);
  const notice = useLogsStore((s) => s.notice);
  const loaded = useLogsStore((s) => s.loaded);
  const empty = useLogsStore((s) => s.rows.length === 0);
  const selected = useLogsStore((s) => s.selected.size);
  const copySelection = useLogsStore((s) => s.copySelection);
  const exportEvents = useLogsStore((s) => s.exportEvents);
  const dismissNotice = useLogsStore((s) => s.dismissNotice);
  const review = useLogsStore((s) => s.review);

  useEffect(() => {
    const s = useLogsStore.getState();
    // The first page is asked for first: the backend answers in order, and the rows are what the operator waits for.
    void s.apply();
    void s.loadFacets();
  }, []);

  return (
    <div className={`workspace logs-workspace${review ? ' logs-review' : ''}`}>
      <div className="toolbar">
        <h1 className="workspace-title">Logs</h1>
        <p className="toolbar-sub">{review ? 'Reviewing a support bundle (read-only).' : 'Every event of validations, preparation, checklists, PEP runs and the app.'}</p>
        <span className="toolbar-spacer" />
        <div className="toolbar-group" role="group" aria-label="Selected and filtered events">
          <button type="button" className="btn" disabled={selected === 0} onClick={() => void copySelection()}>
            Copy selection
          </button>
          <button type="button" className="btn" onClick={() => void exportEvents('csv')}>
            <ExportIcon />
            Export CSV
          </button>
          <button type="button" className="btn" onClick={() => void exportEvents('jsonl')}>
            <ExportIcon />
            Export JSON Lines
          </button>
        </div>
      </div>
      {review ? <ReviewBanner review={review} /> : null}
      <div className="workspace-body logs-body">
        <FilterBar />
        {notice ? <ErrorMessage error={{ code: 'internal', message: notice, hint: '' }} tone="info" onDismiss={dismissNotice} /> : null}
        {error ? <ErrorMessage error={error} /> : null}
        <CountLine />
        <div className="log-grid-head" aria-hidden="true">
          <span>Time (UTC)</span>
          <span>Level</span>
          <span>Source</span>
          <span>Stamp</span>
          <span>Run</span>
          <span>Text</span>
        </div>
        <EventList />
        {loaded && empty ? <p className="empty-inline">No event matches these filters.</p> : null}
        <Detail />
        <div className="logs-panels">
          {review ? null : <BundlePanel />}
          <ReviewPanel />
        </div>
      </div>
    </div>
  );
}
