/**
 * Terminal output helpers: colour only on a terminal (never with NO_COLOR), aligned tables, progress.
 */
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import pc from 'picocolors';

/** True when `stream` may carry colour and other ANSI styling: a terminal, and NO_COLOR not set (https://no-color.org). */
export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return !!stream.isTTY && process.env.NO_COLOR === undefined;
}

/** Colours enabled for stdout: a terminal, and NO_COLOR not set. */
export function colorsFor(stream: NodeJS.WriteStream): ReturnType<typeof pc.createColors> {
  return pc.createColors(colorEnabled(stream));
}

/**
 * Renders rows as an aligned table.
 *
 * `fancy` (stdout is a terminal) draws borders; without it the table is plain columns, so pipes stay
 * grep-friendly. The bold header is styling, so it also needs colour allowed (no NO_COLOR).
 */
export function table(head: string[], rows: string[][], fancy: boolean): string {
  const bold = fancy && process.env.NO_COLOR === undefined;
  const plain = {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
  };
  const t = new Table({ head, style: { head: bold ? ['bold'] : [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 }, chars: fancy ? {} : plain, wordWrap: false });
  t.push(...rows);
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

/** A progress bar with elapsed time on stderr, shown only when stderr is a terminal. */
export interface Progress {
  update(done: number, total: number, label: string | null): void;
  stop(): void;
}

/** Starts a progress indicator for `what` (e.g. "Validating"); `unit` names what the counts count. */
export function startProgress(what: string, minimumTotal = 4, unit = 'files'): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${what} [{bar}] {value}/{total} ${unit} | {duration_formatted} elapsed | {label}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label) {
      if (total < minimumTotal) return;
      if (!started) {
        bar.start(total, done, { label: '' });
        started = true;
      }
      bar.update(done, { label: label ?? '' });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
