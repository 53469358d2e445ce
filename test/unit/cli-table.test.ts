/**
 * The CLI's own table renderer draws what cli-table3 drew with the settings the CLI used (plain columns for
 * pipes, borders on a terminal), character for character: widths of wide characters, emoji, combining marks
 * and colour codes included.
 */
import colors from '@colors/colors/safe';
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { displayWidth, table } from '../../electron/cli/terminal';

/** The table as cli-table3 drew it before (the former body of `table`). */
function reference(head: string[], rows: string[][], fancy: boolean): string {
  const bold = fancy && process.env.NO_COLOR === undefined;
  // cli-table3 styles through @colors/colors, which decides from TERM and the test runner's stdout; the CLI had
  // already decided (a terminal, no NO_COLOR), so the reference must not guess again (CI has no TERM).
  if (bold) colors.enable();
  else colors.disable();
  const plain = {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
  };
  const t = new Table({ head, style: { head: bold ? ['bold'] : [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 }, chars: fancy ? {} : plain, wordWrap: false });
  t.push(...rows);
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

const SAMPLES = ['☀️ sun', '☀ sun', 'Public Portal', 'ACSBlob/blob.pfx', '\u001b[31mFAIL\u001b[39m', '\u001b[33mwarning\u001b[39m', '日本語', 'Zertifikat Ü', 'e\u0301', '👍 ok', '👍🏽', '', '-', 'a\nb', 'x'.repeat(40), '2027-01-01', 'ＡＢＣ'];

describe('CLI tables', () => {
  it('measure text as cli-table3 did', () => {
    expect(displayWidth('\u001b[1mbold\u001b[22m')).toBe(4);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it.each([false, true])('draw what cli-table3 drew (borders: %s)', (fancy) => {
    let seed = 5;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let k = 0; k < 60; k++) {
      const columns = 1 + random(5);
      const head = Array.from({ length: columns }, () => SAMPLES[random(SAMPLES.length)]!.replace('\n', ' ') || 'H');
      const rows = Array.from({ length: random(5) }, () => Array.from({ length: columns }, () => SAMPLES[random(SAMPLES.length)]!));
      expect(table(head, rows, fancy), JSON.stringify({ head, rows })).toBe(reference(head, rows, fancy));
    }
  });
});
