/**
 * Display formatting shared by the workspaces.
 *
 * Kept pure and locale-stable (ISO-like dates) because operators paste these values into change records.
 */
import type { CheckStatus } from '../../../shared/certificates/report';

/** Elapsed time as `mm:ss` (minutes keep counting past 59 rather than wrapping into hours). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `iso` (negative once past). */
export function daysUntil(iso: string, now: number = Date.now()): number {
  return Math.floor((Date.parse(iso) - now) / DAY_MS);
}

/** "12 days left", "expires today", "expired 3 days ago". */
export function describeDaysLeft(days: number): string {
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'expires today';
  if (days === -1) return 'expired 1 day ago';
  return `expired ${-days} days ago`;
}

/** Tone of a days-left figure, with the expiry check's thresholds (`validation-rules.md`): < 7 fails, < 90 warns. */
export function expiryTone(days: number): 'ok' | 'warning' | 'fail' {
  if (days < 7) return 'fail';
  if (days < 90) return 'warning';
  return 'ok';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local date and time as `YYYY-MM-DD HH:MM`, or the input unchanged when it does not parse. */
export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local date as `YYYY-MM-DD`. */
export function formatDate(iso: string): string {
  return formatDateTime(iso).slice(0, 10);
}

/** Glyph and words for a check status; the words are the text alternative of the glyph. */
export const STATUS_DISPLAY: Record<CheckStatus, { glyph: string; label: string }> = {
  ok: { glyph: '✓', label: 'Passed' },
  warning: { glyph: '!', label: 'Warning' },
  fail: { glyph: '✗', label: 'Failed' },
  skipped: { glyph: '–', label: 'Skipped' },
};
