/**
 * Text from files and folders made printable for a message: control and invisible characters escaped.
 *
 * Names that come from outside (a zip entry, a path, a manifest field) end up in one-line messages on a
 * terminal or in a dialog. A raw escape sequence could recolour or rewrite the terminal, a newline could
 * forge a second message line, and a bidirectional override could make `gpj.exe` read as `exe.jpg`, so each
 * of those is shown as an escape (`\x1b`, `\n`, `\u202e`) instead.
 */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, zero-width characters, the byte order
 * mark and every bidirectional formatting character.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this expression
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

/** One hidden character as its escape: `\n`, `\x1b`, `\u202e`. */
function escape(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control, invisible or direction-changing character escaped, cut to `max` characters.
 *
 * Backslashes are doubled only when the text holds something to escape (so an escape written here cannot be
 * confused with characters of the name), and an ordinary Windows path reads as typed. A cut adds `…`.
 */
export function printable(text: string, max = Number.POSITIVE_INFINITY): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  HIDDEN.lastIndex = 0;
  if (!HIDDEN.test(cut)) return cut;
  HIDDEN.lastIndex = 0;
  return cut.replace(/\\/g, '\\\\').replace(HIDDEN, escape);
}
