/**
 * The backend's logger: the host's sink (stderr), the rotating diagnostic file, and app errors as events.
 *
 * Errors and warnings also land in the event store (source `app`) once the store is attached, so the
 * operator sees them in the log viewer next to the run they interrupted, and a support bundle carries them.
 * Only the message goes to the event store; details (stacks) stay in the diagnostic file.
 */
import type { EventsRepository } from '../store/index';
import { createDiagnosticLog, type DiagnosticLog } from './diagnostic-log';
import { redactText } from './redact-text';

/** The logger shape the IPC registry takes. */
export interface LoggerLike {
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
}

/** A logger that can start recording into the event store once the store is open. */
export interface AppLogger extends LoggerLike {
  /** The diagnostic file. */
  readonly diagnostics: DiagnosticLog;
  /** Starts (or, with null, stops) recording errors and warnings as events. */
  attach(events: EventsRepository | null): void;
}

/**
 * Wraps `base` so every line also goes to `<dataDir>/logs/workbench.log` and, once attached, the event store.
 *
 * Each sink is guarded: a full disk or a closed database must not turn a log call into a new failure.
 */
export function createAppLogger(base: LoggerLike, dataDir: string, now: () => Date = () => new Date()): AppLogger {
  const diagnostics = createDiagnosticLog({ dataDir, now });
  let events: EventsRepository | null = null;
  const record = (level: 'error' | 'warning', message: string) => {
    if (!events) return;
    try {
      events.append({ at: now().toISOString(), level, source: 'app', category: 'app.log', text: redactText(message) });
    } catch {
      // The database may be closing; the diagnostic file has the line.
    }
  };
  return {
    diagnostics,
    attach(next) {
      events = next;
    },
    error(message, detail) {
      base.error(message, detail);
      diagnostics.write('error', message, detail);
      record('error', message);
    },
    warn(message, detail) {
      base.warn(message, detail);
      diagnostics.write('warning', message, detail);
      record('warning', message);
    },
  };
}
