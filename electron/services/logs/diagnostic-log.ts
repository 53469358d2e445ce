/**
 * The app's own diagnostic log: a size-rotated text file in `<data-dir>/logs/`, with secrets scrubbed.
 *
 * It is what support asks for when something failed inside the app, so it must exist even when the
 * database does not open, and it must never grow without bound on a jump host's small system disk:
 * `workbench.log` rolls over to `workbench.1.log` … `workbench.<keep>.log` once it passes `maxBytes`.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { redactText } from './redact-text';

/** Options of `createDiagnosticLog`. */
export interface DiagnosticLogOptions {
  /** The data folder; the log goes to its `logs` child. */
  dataDir: string;
  /** Size at which the file rolls over (default 1 MiB). */
  maxBytes?: number;
  /** How many rolled-over files to keep (default 3). */
  keep?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/** A line-oriented, rotating, scrubbed log file. */
export interface DiagnosticLog {
  /** Full path of the current file. */
  readonly file: string;
  /** Writes one line; never throws (a log that cannot be written must not break the app). */
  write(level: 'error' | 'warning' | 'info', message: string, detail?: unknown): void;
}

/** Folder name of the diagnostic log inside the data folder. */
export const DIAGNOSTIC_LOG_DIR = 'logs';
/** File name of the current diagnostic log. */
export const DIAGNOSTIC_LOG_FILE = 'workbench.log';

/**
 * Describes a detail value for the log: an error's name, message and stack; anything else as JSON.
 *
 * The result is scrubbed by the caller, so an exception quoting a password or a connection string is
 * cut down before it reaches the disk.
 */
export function describeDetail(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) {
    const cause = detail.cause === undefined ? '' : ` | cause: ${describeDetail(detail.cause)}`;
    return `${detail.stack ?? `${detail.name}: ${detail.message}`}${cause}`;
  }
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

/**
 * Opens (lazily creating) the diagnostic log of `dataDir`.
 *
 * Rotation is checked before each write with one `stat`; the app writes few lines, so that is cheaper than
 * keeping a byte count in step with other processes (the CLI) writing to the same file.
 */
export function createDiagnosticLog(options: DiagnosticLogOptions): DiagnosticLog {
  const dir = path.join(options.dataDir, DIAGNOSTIC_LOG_DIR);
  const file = path.join(dir, DIAGNOSTIC_LOG_FILE);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 3);
  const now = options.now ?? (() => new Date());
  const rolled = (n: number) => path.join(dir, `workbench.${n}.log`);

  const rotate = () => {
    rmSync(rolled(keep), { force: true });
    for (let n = keep - 1; n >= 1; n -= 1) if (existsSync(rolled(n))) renameSync(rolled(n), rolled(n + 1));
    renameSync(file, rolled(1));
  };

  return {
    file,
    write(level, message, detail) {
      try {
        mkdirSync(dir, { recursive: true });
        const size = existsSync(file) ? statSync(file).size : 0;
        if (size >= maxBytes) rotate();
        const extra = detail === undefined ? '' : ` ${describeDetail(detail)}`;
        const line = `${now().toISOString()} ${level.toUpperCase()} ${redactText(`${message}${extra}`).replace(/\r?\n/g, '\n    ')}\n`;
        appendFileSync(file, line, 'utf8');
      } catch {
        // Nowhere left to report a failing log; the console logger next to this one still has the line.
      }
    },
  };
}
