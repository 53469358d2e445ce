/**
 * The event store's vocabulary: levels, sources, run references and the search-term parser.
 *
 * Pure and free of zod: the store builds its FTS5 query from `parseSearchTerms`, and the log viewer
 * highlights the very same terms, so what is highlighted is what matched.
 */

/** Event levels, least to most severe (the PEP's own levels). */
export const EVENT_LEVELS = ['debug', 'verbose', 'info', 'warning', 'error'] as const;
/** The level of one event. */
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** Where events come from. */
export const EVENT_SOURCES = ['validation', 'preparation', 'checklist', 'pep', 'app', 'audit'] as const;
/** The source of one event. */
export type EventSource = (typeof EVENT_SOURCES)[number];

/** The kinds of run an event can belong to. */
export const RUN_KINDS = ['rotation', 'validation'] as const;
/** The kind of a run. */
export type RunKind = (typeof RUN_KINDS)[number];

/** A run an event belongs to: a PEP rotation run or a share validation run. */
export interface RunRef {
  kind: RunKind;
  id: number;
}

/** One stored event. */
export interface LogEvent {
  id: number;
  /** ISO-8601 time. */
  at: string;
  level: EventLevel;
  source: EventSource;
  /** Finer type inside the source, for example `validation.finish` or a PEP event type. */
  category: string | null;
  /** Stamp profile name, when the event belongs to one. */
  stamp: string | null;
  run: RunRef | null;
  text: string;
}

/** Default number of days events are kept. */
export const DEFAULT_RETENTION_DAYS = 90;
/** Longest retention the app accepts (ten years). */
export const MAX_RETENTION_DAYS = 3650;

/**
 * Levels at or above `min`.
 *
 * `--level warning` means "warnings and errors": an operator filtering for trouble wants both.
 */
export function levelsAtLeast(min: EventLevel): EventLevel[] {
  return EVENT_LEVELS.slice(EVENT_LEVELS.indexOf(min));
}

/** True when `value` is an event level. */
export function isEventLevel(value: string): value is EventLevel {
  return (EVENT_LEVELS as readonly string[]).includes(value);
}

/**
 * Parses a run reference: `12` or `rotation:12` is rotation run 12, `validation:5` (or `v5`) validation run 5.
 *
 * Bare numbers are rotation runs because `runs show ID` names those; null when the text is not a run.
 */
export function parseRunRef(text: string): RunRef | null {
  const t = text.trim().toLowerCase();
  let m = /^(?:rotation:|r)?(\d{1,15})$/.exec(t);
  if (m) return toRef('rotation', m[1] as string);
  m = /^(?:validation:|v)(\d{1,15})$/.exec(t);
  if (m) return toRef('validation', m[1] as string);
  return null;
}

function toRef(kind: RunKind, digits: string): RunRef | null {
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? { kind, id } : null;
}

/** The text form of a run reference, e.g. `rotation:12`. */
export function formatRunRef(run: RunRef): string {
  return `${run.kind}:${run.id}`;
}

/** One search term: a word or a quoted phrase, optionally a prefix (`rot*`). */
export interface SearchTerm {
  text: string;
  prefix: boolean;
}

/**
 * Splits what the operator typed into terms: words, "quoted phrases" and `prefix*`; all must match.
 *
 * FTS5's own syntax would reject ordinary input such as an IP address or `C:\path`, so every term is
 * treated as literal text and quoted when the query is built.
 */
export function parseSearchTerms(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const re = /"([^"]*)"(\*?)|(\S+)/g;
  for (const m of query.matchAll(re)) {
    const phrase = m[1];
    const raw = phrase !== undefined ? phrase : (m[3] as string);
    let prefix = phrase !== undefined ? m[2] === '*' : raw.endsWith('*');
    let text = phrase !== undefined ? raw : raw.replace(/\*+$/, '');
    text = text.replace(/"/g, '').trim();
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    if (text.length > 200) {
      text = text.slice(0, 200);
      prefix = false;
    }
    terms.push({ text, prefix });
  }
  return terms.slice(0, 16);
}

/**
 * The FTS5 MATCH expression of the terms: each one a quoted string, all of them required.
 *
 * Null when there is nothing to search for.
 */
export function toFtsQuery(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.text.replace(/"/g, '""')}"${t.prefix ? '*' : ''}`).join(' ');
}
