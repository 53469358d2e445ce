/**
 * Highlights the search terms inside an event's text with `<mark>`.
 *
 * Uses the same term parser as the store's full-text query, so what is marked is what the search matched
 * on (case-insensitively; a prefix term marks its prefix).
 */
import type { ReactNode } from 'react';
import { parseSearchTerms } from '../../../../shared/logs/events';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for the terms of `query`, or null when there is nothing to highlight.
 *
 * Built once per query and reused for every visible row.
 */
export function termMatcher(query: string | null | undefined): RegExp | null {
  const terms = parseSearchTerms(query ?? '').map((t) => t.text).filter((t) => t.length > 0);
  if (terms.length === 0) return null;
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length);
  return new RegExp(`(${sorted.map(escapeRegExp).join('|')})`, 'giu');
}

/** `text` with every match of `matcher` wrapped in `<mark>`. */
export function Highlighted({ text, matcher }: { text: string; matcher: RegExp | null }) {
  if (!matcher) return <>{text}</>;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(matcher)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(<mark key={at}>{m[0]}</mark>);
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
