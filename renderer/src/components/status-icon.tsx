/**
 * The status glyphs ✓ ! ✗ – with their words as text alternatives.
 *
 * Colour alone never carries the status: the glyph differs per status and the words are in the
 * accessibility tree.
 */
import type { CheckStatus } from '../../../shared/certificates/report';
import { STATUS_DISPLAY } from '../lib/format';

/** A status glyph; `label` overrides the default words (e.g. "Parse PFX: Failed"). */
export function StatusIcon({ status, label, title }: { status: CheckStatus; label?: string; title?: string }) {
  const display = STATUS_DISPLAY[status];
  return (
    <span className={`status-icon status-${status}`} role="img" aria-label={label ?? display.label} title={title ?? display.label}>
      <span aria-hidden="true">{display.glyph}</span>
    </span>
  );
}

/** A status pill with glyph and word, for summaries and detail headers. */
export function StatusBadge({ status, text }: { status: CheckStatus | 'running' | 'cancelled' | 'error'; text?: string }) {
  const glyph =
    status === 'running' ? '…' : status === 'cancelled' ? '–' : status === 'error' ? '✗' : STATUS_DISPLAY[status].glyph;
  const word =
    text ??
    (status === 'running' ? 'Running' : status === 'cancelled' ? 'Cancelled' : status === 'error' ? 'Error' : STATUS_DISPLAY[status].label);
  const tone = status === 'error' ? 'fail' : status === 'cancelled' ? 'skipped' : status === 'running' ? 'info' : status;
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true" className="badge-glyph">
        {glyph}
      </span>
      {word}
    </span>
  );
}
