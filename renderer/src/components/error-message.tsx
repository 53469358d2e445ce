/**
 * Shows an IPC error as the operator should read it: what went wrong, then what to do.
 *
 * Never shows a stack or an error code alone; the code only picks the tone.
 */
import type { IpcError } from '../../../shared/ipc/contract';

/** An error (or informational notice) with its hint; `role=alert` so screen readers announce it. */
export function ErrorMessage({
  error,
  tone = 'error',
  onDismiss,
  className,
}: {
  error: IpcError;
  tone?: 'error' | 'info';
  onDismiss?: () => void;
  className?: string;
}) {
  return (
    <div className={`message message-${tone}${className ? ` ${className}` : ''}`} role={tone === 'error' ? 'alert' : 'status'}>
      <span className="message-glyph" aria-hidden="true">
        {tone === 'error' ? '✗' : 'i'}
      </span>
      <div className="message-body">
        <p className="message-title">{error.message}</p>
        {error.hint ? <p className="message-hint">{error.hint}</p> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="btn btn-ghost btn-icon message-close" aria-label="Dismiss message" onClick={onDismiss}>
          <span aria-hidden="true">×</span>
        </button>
      ) : null}
    </div>
  );
}
