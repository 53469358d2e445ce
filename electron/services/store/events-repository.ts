/**
 * SQL for the event store: append, bulk ingest, filtered keyset pages, full-text search, export and retention.
 *
 * Pages are keyset-paginated on the event id (newest first): the viewer asks for "the next N before id X",
 * which costs the same at row 10 and at row 1,000,000, where OFFSET would scan everything skipped.
 */
import type Database from 'better-sqlite3';
import {
  DEFAULT_RETENTION_DAYS,
  EVENT_LEVELS,
  EVENT_SOURCES,
  MAX_RETENTION_DAYS,
  RUN_KINDS,
  levelsAtLeast,
  parseSearchTerms,
  toFtsQuery,
  type EventLevel,
  type EventSource,
  type LogEvent,
  type RunKind,
  type RunRef,
} from '../../../shared/logs/events';
import { redactText } from '../logs/redact-text';

/** One event to append; `at` defaults to now. */
export interface EventInput {
  at?: string;
  level: EventLevel;
  source: EventSource;
  category?: string | null;
  stamp?: string | null;
  run?: RunRef | null;
  text: string;
}

/** Which events to read; every field narrows, none means all. */
export interface EventFilter {
  /** Full-text query (words, "phrases", prefix*); all terms must match. */
  query?: string | null;
  stamp?: string | null;
  run?: RunRef | null;
  /** Several runs at once (the support bundle's selection). */
  runs?: readonly RunRef[] | null;
  /** This level and the more severe ones. */
  minLevel?: EventLevel | null;
  /** Exactly these levels (the viewer's checkboxes); applied together with `minLevel`. */
  levels?: readonly EventLevel[] | null;
  sources?: readonly EventSource[] | null;
  /** ISO time, inclusive. */
  since?: string | null;
  /** ISO time, exclusive. */
  until?: string | null;
}

/** A page of events, newest first, and the cursor of the next (older) page. */
export interface EventPage {
  events: LogEvent[];
  /** Pass as `before` for the next page; null when this was the last. */
  nextCursor: number | null;
}

/** The distinct values the viewer offers as filters. */
export interface EventFacets {
  stamps: string[];
  runs: RunRef[];
  total: number;
  oldest: string | null;
  newest: string | null;
}

/** A procedure checklist and the steps the operator confirmed, as a support bundle carries it. */
export interface ChecklistState {
  id: number;
  stamp: string;
  procedureId: string;
  stampVersion: string;
  state: string;
  startedAt: string;
  finishedAt: string | null;
  confirmations: { stepId: string; confirmedAt: string; actor: string; note: string | null }[];
}

/** Typed access to `events`. */
export interface EventsRepository {
  /** Appends one event; returns its id. */
  append(event: EventInput): number;
  /** Appends many events in one transaction with one prepared statement; returns how many. */
  ingest(events: Iterable<EventInput>): number;
  /** A page of events matching `filter`, newest first, older than `before` when given. */
  page(filter: EventFilter, options?: { before?: number | null; limit?: number }): EventPage;
  /** How many events match `filter`. */
  count(filter: EventFilter): number;
  /** Every matching event, oldest first, read lazily in batches (exports of millions of rows). */
  iterate(filter: EventFilter): IterableIterator<LogEvent>;
  /** Stamps and runs that have events, with the total and the time span. */
  facets(): EventFacets;
  /**
   * Procedure checklists with their confirmations, of these stamps (null: all).
   *
   * Null when the database has no procedure tables, so the bundle can say "none recorded" apart from "none".
   */
  checklistStates(stamps: readonly string[] | null): ChecklistState[] | null;
  /** Deletes events older than `cutoff` (ISO); returns how many. */
  pruneOlderThan(cutoff: string): number;
  /** Applies the retention setting at `now`; returns how many events were deleted. */
  applyRetention(now: Date): number;
  /** The retention setting in days. */
  retentionDays(): number;
  /** Changes the retention setting (1 … 3650 days). */
  setRetentionDays(days: number, now: string): number;
}

/** Settings key of the retention (the settings table ignores keys it does not know, so it can share it). */
const RETENTION_KEY = 'logs.retentionDays';
/** Rows read per query while iterating. */
const ITERATE_BATCH = 5000;
/** Largest page the repository answers with. */
export const MAX_PAGE_SIZE = 1000;

interface EventRow {
  id: number;
  at: string;
  level: EventLevel;
  source: EventSource;
  category: string | null;
  stamp: string | null;
  run_kind: RunKind | null;
  run_id: number | null;
  text: string;
}

function toEvent(row: EventRow): LogEvent {
  return {
    id: row.id,
    at: row.at,
    level: row.level,
    source: row.source,
    category: row.category,
    stamp: row.stamp,
    run: row.run_kind !== null && row.run_id !== null ? { kind: row.run_kind, id: row.run_id } : null,
    text: row.text,
  };
}

interface Where {
  /** FROM clause: the FTS table joined when searching. */
  from: string;
  /** The id column to order and page by: FTS5 walks its own rowid in either direction without sorting. */
  key: string;
  clauses: string[];
  params: unknown[];
}

/** Builds the FROM and WHERE parts of a filtered query; all values are bound, never interpolated. */
function buildWhere(filter: EventFilter): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  let from = 'events e';
  let key = 'e.id';
  const fts = filter.query ? toFtsQuery(parseSearchTerms(filter.query)) : null;
  if (fts) {
    from = 'events_fts f JOIN events e ON e.id = f.rowid';
    key = 'f.rowid';
    clauses.push('events_fts MATCH ?');
    params.push(fts);
  }
  if (filter.stamp) {
    clauses.push('e.stamp = ?');
    params.push(filter.stamp);
  }
  const runs = [...(filter.run ? [filter.run] : []), ...(filter.runs ?? [])];
  if (runs.length > 0) {
    clauses.push(`(${runs.map(() => '(e.run_kind = ? AND e.run_id = ?)').join(' OR ')})`);
    for (const r of runs) params.push(r.kind, r.id);
  }
  let levels: EventLevel[] | null = filter.minLevel ? levelsAtLeast(filter.minLevel) : null;
  if (filter.levels) levels = (levels ?? [...EVENT_LEVELS]).filter((l) => filter.levels?.includes(l));
  if (levels && levels.length < EVENT_LEVELS.length) {
    if (levels.length === 0) clauses.push('0');
    else {
      clauses.push(`e.level IN (${levels.map(() => '?').join(', ')})`);
      params.push(...levels);
    }
  }
  if (filter.sources && filter.sources.length < EVENT_SOURCES.length) {
    if (filter.sources.length === 0) clauses.push('0');
    else {
      clauses.push(`e.source IN (${filter.sources.map(() => '?').join(', ')})`);
      params.push(...filter.sources);
    }
  }
  if (filter.since) {
    clauses.push('e.at >= ?');
    params.push(filter.since);
  }
  if (filter.until) {
    clauses.push('e.at < ?');
    params.push(filter.until);
  }
  return { from, key, clauses, params };
}

function whereSql(clauses: readonly string[]): string {
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

/**
 * Builds the events repository on an open, migrated database.
 *
 * Filtered statements are prepared per distinct SQL shape and cached, so a viewer scrolling with the
 * same filters reuses one statement.
 */
export function createEventsRepository(db: Database.Database): EventsRepository {
  const insertStmt = db.prepare<[string, string, string, string | null, string | null, string | null, number | null, string]>(
    'INSERT INTO events (at, level, source, category, stamp, run_kind, run_id, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const putSetting = db.prepare<[string, string, string]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const pruneStmt = db.prepare<[string]>('DELETE FROM events WHERE at < ?');
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size > 200) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  };

  const insertRow = (e: EventInput) =>
    insertStmt.run(
      e.at ?? new Date().toISOString(),
      e.level,
      e.source,
      e.category ?? null,
      e.stamp ?? null,
      e.run?.kind ?? null,
      e.run?.id ?? null,
      // Nothing secret is stored: a caller passing text that quotes a password still gets it scrubbed here.
      redactText(e.text),
    );
  // The index is fed here rather than by a trigger on `events` (see migration 6): one row at a time for
  // `append`, and one INSERT … SELECT per batch for `ingest`.
  const indexOne = db.prepare<[number | bigint]>('INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id = ?');
  const indexAfter = db.prepare<[number]>('INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id > ?');
  const maxId = db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM events');
  const appendOne = db.transaction((e: EventInput) => {
    const id = insertRow(e).lastInsertRowid;
    indexOne.run(id);
    return Number(id);
  });
  const ingestAll = db.transaction((events: Iterable<EventInput>) => {
    const before = (maxId.get() as { id: number }).id;
    let n = 0;
    for (const e of events) {
      insertRow(e);
      n += 1;
    }
    indexAfter.run(before);
    return n;
  });

  const retentionDays = (): number => {
    const row = getSetting.get(RETENTION_KEY);
    const value = row ? (JSON.parse(row.value) as unknown) : null;
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_RETENTION_DAYS ? value : DEFAULT_RETENTION_DAYS;
  };

  return {
    append: (event) => appendOne(event),
    ingest: (events) => ingestAll(events),
    page(filter, options = {}) {
      const limit = Math.max(1, Math.min(options.limit ?? 200, MAX_PAGE_SIZE));
      const w = buildWhere(filter);
      if (options.before !== undefined && options.before !== null) {
        w.clauses.push(`${w.key} < ?`);
        w.params.push(options.before);
      }
      // One row more than asked tells whether another page exists without a count.
      const rows = prepared(`SELECT e.* FROM ${w.from} ${whereSql(w.clauses)} ORDER BY ${w.key} DESC LIMIT ?`).all(...w.params, limit + 1) as EventRow[];
      const more = rows.length > limit;
      const events = rows.slice(0, limit).map(toEvent);
      return { events, nextCursor: more && events.length > 0 ? (events[events.length - 1] as LogEvent).id : null };
    },
    count(filter) {
      const w = buildWhere(filter);
      return (prepared(`SELECT count(*) AS n FROM ${w.from} ${whereSql(w.clauses)}`).get(...w.params) as { n: number }).n;
    },
    *iterate(filter) {
      // Read in keyset batches rather than through one open cursor: a caller may await between rows (a
      // streaming export) and the connection must stay free for other queries meanwhile.
      let after = 0;
      for (;;) {
        const w = buildWhere(filter);
        w.clauses.push(`${w.key} > ?`);
        const rows = prepared(`SELECT e.* FROM ${w.from} ${whereSql(w.clauses)} ORDER BY ${w.key} ASC LIMIT ?`).all(...w.params, after, ITERATE_BATCH) as EventRow[];
        for (const row of rows) yield toEvent(row);
        if (rows.length < ITERATE_BATCH) return;
        after = (rows[rows.length - 1] as EventRow).id;
      }
    },
    facets() {
      // Skip-scans over the indexes: one seek per distinct value instead of reading every row, so the
      // facets cost the same at a thousand events and at a million.
      const stamps = (
        prepared(`WITH RECURSIVE s(stamp) AS (
            SELECT min(stamp) FROM events WHERE stamp IS NOT NULL
            UNION ALL SELECT (SELECT min(stamp) FROM events WHERE stamp > s.stamp) FROM s WHERE s.stamp IS NOT NULL LIMIT 1000)
          SELECT stamp FROM s WHERE stamp IS NOT NULL`).all() as { stamp: string }[]
      ).map((r) => r.stamp);
      const runsOf = prepared(`WITH RECURSIVE r(id) AS (
          SELECT max(run_id) FROM events WHERE run_kind = @kind AND run_id IS NOT NULL
          UNION ALL SELECT (SELECT max(run_id) FROM events WHERE run_kind = @kind AND run_id IS NOT NULL AND run_id < r.id) FROM r WHERE r.id IS NOT NULL LIMIT 250)
        SELECT id FROM r WHERE id IS NOT NULL`);
      const runs = RUN_KINDS.flatMap((kind) => (runsOf.all({ kind }) as { id: number }[]).map((r) => ({ kind, id: r.id })));
      const total = (prepared('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      // The first and last events by arrival: two primary-key seeks, where min(at)/max(at) would read every row.
      const oldest = (prepared('SELECT at FROM events ORDER BY id ASC LIMIT 1').get() as { at: string } | undefined)?.at ?? null;
      const newest = (prepared('SELECT at FROM events ORDER BY id DESC LIMIT 1').get() as { at: string } | undefined)?.at ?? null;
      return { stamps, runs, total, oldest, newest };
    },
    checklistStates(stamps) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'procedure_confirmations'").get();
      if (!exists) return null;
      const runs = db
        .prepare('SELECT id, stamp_name, procedure_id, stamp_version, state, started_at, finished_at FROM procedure_runs ORDER BY id')
        .all() as { id: number; stamp_name: string; procedure_id: string; stamp_version: string; state: string; started_at: string; finished_at: string | null }[];
      const confirmations = db.prepare('SELECT step_id, confirmed_at, actor, note FROM procedure_confirmations WHERE run_id = ? ORDER BY confirmed_at, step_id');
      const wanted = stamps === null ? null : new Set(stamps.map((s) => s.toLowerCase()));
      return runs
        .filter((r) => wanted === null || wanted.has(r.stamp_name.toLowerCase()))
        .map((r) => ({
          id: r.id,
          stamp: r.stamp_name,
          procedureId: r.procedure_id,
          stampVersion: r.stamp_version,
          state: r.state,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          confirmations: (confirmations.all(r.id) as { step_id: string; confirmed_at: string; actor: string; note: string | null }[]).map((c) => ({
            stepId: c.step_id,
            confirmedAt: c.confirmed_at,
            actor: c.actor,
            note: c.note,
          })),
        }));
    },
    pruneOlderThan: (cutoff) => pruneStmt.run(cutoff).changes,
    applyRetention(now) {
      const cutoff = new Date(now.getTime() - retentionDays() * 86_400_000).toISOString();
      return pruneStmt.run(cutoff).changes;
    },
    retentionDays,
    setRetentionDays(days, now) {
      if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
        throw new RangeError(`Retention must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`);
      }
      putSetting.run(RETENTION_KEY, JSON.stringify(days), now);
      return days;
    },
  };
}
