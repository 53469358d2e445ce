/**
 * Terminal output helpers: colour only on a terminal (never with NO_COLOR), aligned tables, progress.
 *
 * Tables are drawn here rather than by cli-table3, and cli-progress loads only when a bar is shown: those
 * libraries took a tenth of the start-up of every command, though a script piping `--json` uses neither.
 * The tables are the ones cli-table3 drew with this module's settings, character for character.
 */
import type { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/** True when `stream` may carry colour and other ANSI styling: a terminal, and NO_COLOR not set (https://no-color.org). */
export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return !!stream.isTTY && process.env.NO_COLOR === undefined;
}

/** Colours enabled for stdout: a terminal, and NO_COLOR not set. */
export function colorsFor(stream: NodeJS.WriteStream): ReturnType<typeof pc.createColors> {
  return pc.createColors(colorEnabled(stream));
}

/** An ANSI escape sequence (CSI): styling, which takes no columns. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** East Asian wide and fullwidth code points (the ranges of is-fullwidth-code-point, as cli-table3 measured). */
function isWide(code: number): boolean {
  return (
    code >= 0x1100 &&
    (code <= 0x115f ||
      code === 0x2329 ||
      code === 0x232a ||
      (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
      (code >= 0x3250 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0xa4c6) ||
      (code >= 0xa960 && code <= 0xa97c) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe10 && code <= 0xfe19) ||
      (code >= 0xfe30 && code <= 0xfe6b) ||
      (code >= 0xff01 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1b000 && code <= 0x1b001) ||
      (code >= 0x1f200 && code <= 0x1f251) ||
      (code >= 0x20000 && code <= 0x3fffd))
  );
}

/**
 * Columns `text` takes on a terminal, as cli-table3 measured it: styling takes none, a wide character or an
 * emoji two (a skin tone, a variation selector or a joiner none), a combining mark none.
 *
 * Emoji are told by code point rather than by Unicode's emoji sequences: a `\p{RGI_Emoji}` expression took
 * 20-40 ms to build and 10 ms a use here. Joined sequences (a family) count two per person; names in
 * certificates and shares hardly hold any.
 */
export function displayWidth(text: string): number {
  const chars = [...text.replace(ANSI, '')];
  let width = 0;
  for (let i = 0; i < chars.length; i++) {
    const code = chars[i]!.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f)) continue;
    if (code === 0xfe0f || code === 0x200d || (code >= 0x1f3fb && code <= 0x1f3ff)) continue;
    const pictograph = code >= 0x1f300 && code <= 0x1faff;
    // A symbol shown as an emoji when a variation selector follows it (☀️, ✔️).
    const asEmoji = code >= 0x2300 && code <= 0x2bff && chars[i + 1] === '\ufe0f';
    width += pictograph || asEmoji || isWide(code) ? 2 : 1;
  }
  return width;
}

/**
 * Renders rows as an aligned table.
 *
 * `fancy` (stdout is a terminal) draws borders; without it the table is plain columns two spaces apart, so
 * pipes stay grep-friendly. The bold header is styling, so it also needs colour allowed (no NO_COLOR). A
 * cell with line breaks makes its row that many lines tall.
 */
export function table(head: string[], rows: string[][], fancy: boolean): string {
  const bold = fancy && process.env.NO_COLOR === undefined;
  const all = [head, ...rows].map((row) => head.map((_, i) => (row[i] ?? '').split('\n')));
  const widths = head.map((_, i) => Math.max(0, ...all.map((row) => Math.max(...row[i]!.map(displayWidth)))));
  const pad = (text: string, i: number) => text + ' '.repeat(widths[i]! - displayWidth(text));
  const lines: string[] = [];
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w)).join(mid) + right;
  if (fancy) lines.push(rule('┌', '┬', '┐'));
  all.forEach((row, r) => {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let l = 0; l < height; l++) {
      const cells = row.map((cell, i) => {
        const text = pad(cell[l] ?? '', i);
        return r === 0 && bold ? `\u001b[1m${text}\u001b[22m` : text;
      });
      lines.push(fancy ? `│${cells.join('│')}│` : cells.join('  '));
    }
    if (fancy && r === 0 && all.length > 1) lines.push(rule('├', '┼', '┤'));
  });
  if (fancy) lines.push(rule('└', '┴', '┘'));
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** A progress bar with elapsed time on stderr, shown only when stderr is a terminal. */
export interface Progress {
  update(done: number, total: number, label: string | null): void;
  stop(): void;
}

/**
 * Starts a progress indicator for `what` (e.g. "Validating"); `unit` names what the counts count.
 *
 * The bar's library loads in the background when stderr is a terminal: updates before it is ready are
 * shown as soon as it is, and a job done by then shows none.
 */
export function startProgress(what: string, minimumTotal = 4, unit = 'files'): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  let bar: SingleBar | null = null;
  let latest: { done: number; total: number; label: string | null } | null = null;
  let started = false;
  let stopped = false;
  const show = () => {
    if (!bar || !latest || stopped || latest.total < minimumTotal) return;
    if (!started) {
      bar.start(latest.total, latest.done, { label: '' });
      started = true;
    }
    bar.update(latest.done, { label: latest.label ?? '' });
  };
  void import('cli-progress').then(({ default: cliProgress }) => {
    bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${what} [{bar}] {value}/{total} ${unit} | {duration_formatted} elapsed | {label}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    show();
  });
  return {
    update(done, total, label) {
      latest = { done, total, label };
      show();
    },
    stop() {
      stopped = true;
      if (started) bar?.stop();
    },
  };
}
