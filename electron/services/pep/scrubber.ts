/**
 * Removes secret values from anything PowerShell or the PEP printed, before it is stored or shown.
 *
 * The PEP's own echo of bound parameters is not known to mask secrets (`pep-output.md` §2.2), a session
 * error can quote what it was given, and Windows PowerShell's `ConvertTo-Json` escapes characters such as
 * `'` and `<` as `\u0027`: so every secret is searched for in its plain form and in the JSON-escaped forms
 * a line can carry it in, and parsed messages are scrubbed again after decoding.
 */
import { mapStrings } from '../../../shared/lib/map-strings';

/** What replaces a secret in captured output. */
export const SCRUBBED = '[redacted]';

/** Scrubs known secret values out of text and JSON values. */
export interface Scrubber {
  /** The text with every secret replaced by `[redacted]`. */
  text(value: string): string;
  /** A deep copy of a JSON value with every string scrubbed. */
  value<T>(value: T): T;
  /** True when the text holds one of the secrets (used by tests and as a last check). */
  leaks(value: string): boolean;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret can take inside a JSON line: as given, JSON-escaped, and with PowerShell 5.1's `\uXXXX` escapes. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const unicode = (upper: boolean) =>
    [...secret]
      .map((c) => {
        if (!/[<>&']/.test(c)) return JSON.stringify(c).slice(1, -1);
        const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
        return `\\u${upper ? hex.toUpperCase() : hex}`;
      })
      .join('');
  return [...new Set([secret, json, unicode(false), unicode(true)])];
}

/**
 * Builds a scrubber for these secrets; empty values are ignored.
 *
 * Longer secrets are replaced first, so a secret that contains another is not left half-visible.
 */
export function createScrubber(secrets: readonly string[]): Scrubber {
  const patterns = [...new Set(secrets.filter((s) => s.length > 0).flatMap(forms))].sort((a, b) => b.length - a.length);
  const regex = patterns.length === 0 ? null : new RegExp(patterns.map(escapeRegExp).join('|'), 'g');
  const text = (value: string): string => (regex === null ? value : value.replace(regex, SCRUBBED));
  return {
    text,
    value: <T>(value: T) => mapStrings(value, text),
    leaks: (value) => regex !== null && new RegExp(regex.source).test(value),
  };
}
