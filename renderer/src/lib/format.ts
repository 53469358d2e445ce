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

function parts(iso: string): { date: string; hm: string; s: string } | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    s: pad(d.getUTCSeconds()),
  };
}

/**
 * Date and time in UTC as `2026-12-07 14:03 UTC`, the one date format of the app; the input unchanged when
 * it does not parse.
 *
 * UTC because the stamp, the PEP transcript, the support engineer and the change record each live in a
 * different time zone: one zone, written out, is the only time they all read the same way.
 */
export function formatDateTime(iso: string): string {
  const p = parts(iso);
  return p ? `${p.date} ${p.hm} UTC` : iso;
}

/** Like `formatDateTime` with seconds: `2026-12-07 14:03:09 UTC` (log lines). */
export function formatDateTimeSeconds(iso: string): string {
  const p = parts(iso);
  return p ? `${p.date} ${p.hm}:${p.s} UTC` : iso;
}

/** The UTC date as `2026-12-07` (expiry dates, where the hour does not matter). */
export function formatDate(iso: string): string {
  return parts(iso)?.date ?? iso;
}

/** The UTC time of day as `14:03:09`, for lines under a heading that says UTC (the console). */
export function formatTime(iso: string): string {
  const p = parts(iso);
  return p ? `${p.hm}:${p.s}` : iso;
}

const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * A message with every ISO timestamp in it written the app's way (`Expired on 2026-02-20 12:00 UTC.`).
 *
 * The engine's messages carry exact ISO times so reports and the CLI stay machine-readable; people read them here.
 */
export function humanizeDates(text: string): string {
  return text.replace(ISO_IN_TEXT, (m) => formatDateTime(m));
}

/** Glyph and words for a check status; the words are the text alternative of the glyph. */
export const STATUS_DISPLAY: Record<CheckStatus, { glyph: string; label: string }> = {
  ok: { glyph: '✓', label: 'Passed' },
  warning: { glyph: '!', label: 'Warning' },
  fail: { glyph: '✗', label: 'Failed' },
  skipped: { glyph: '–', label: 'Skipped' },
};
