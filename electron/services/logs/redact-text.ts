/**
 * Removes secrets from free text: key/value pairs named like a secret, PowerShell secret parameters,
 * bearer and JSON web tokens, passwords in URLs, SAS signatures and PEM private keys.
 *
 * The app never stores what the operator types for a password, but text from elsewhere (a PEP echo, an
 * exception quoting a connection string) can still carry one; this pass is the last line before such text
 * is written to the diagnostic log or leaves the machine in a support bundle.
 */

/** What replaces a removed secret. */
export const SECRET_MARK = '[redacted]';

/** Names that mark the value after them as secret (`PepPassword=…`, `"client_secret": …`, `pwd=…`). */
const SECRET_NAME = String.raw`[\w-]*?(?:passw(?:or)?d|passphrase|pwd|secret|token|api[-_]?key|accountkey|sharedaccesskey|credential|private[-_]?key)[\w-]*`;

/** A value: a JSON string (escapes allowed), a single-quoted string, or a run up to whitespace or `;`. */
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s;]+)`;

const RULES: readonly { re: RegExp; replace: (match: string, ...groups: string[]) => string }[] = [
  {
    // A whole private key block, or what is left of one when the text was cut.
    re: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: () => `${SECRET_MARK} (private key)`,
  },
  {
    // name = value, name: value, "name": "value", \"name\": \"value\" (JSON inside a JSON string).
    re: new RegExp(String.raw`((?:\\?["'])?\b${SECRET_NAME}(?:\\?["'])?\s*[:=]\s*)(\\"(?:[^"\\]|\\[^"])*\\"|${VALUE})`, 'gi'),
    replace: (_m, head) => `${head}${SECRET_MARK}`,
  },
  {
    // PowerShell: -Password 'x', -PepPassword $x is fine to keep but a literal is not; both are replaced.
    re: new RegExp(String.raw`(-${SECRET_NAME}\s+)(${VALUE})`, 'gi'),
    replace: (_m, head) => `${head}${SECRET_MARK}`,
  },
  {
    re: /(ConvertTo-SecureString\s+(?:-String\s+)?)("(?:[^"\\]|\\.)*"|'[^']*'|\S+)/gi,
    replace: (_m, head) => `${head}${SECRET_MARK}`,
  },
  { re: /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi, replace: (_m, head) => `${head}${SECRET_MARK}` },
  { re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => SECRET_MARK },
  { re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s@]+@/gi, replace: (_m, head) => `${head}${SECRET_MARK}@` },
  { re: /([?&]sig=)[^&\s"']+/gi, replace: (_m, head) => `${head}${SECRET_MARK}` },
];

/** Matches every text any rule could change (a superset, kept in step with the rules). */
const MAYBE_SECRET = /pass|pwd|secret|token|key|credential|bearer|eyJ|:\/\/|sig=|securestring|-----BEGIN/i;

/**
 * The text with every recognised secret replaced by `[redacted]`.
 *
 * Idempotent: redacting twice gives the same text, so layers that each redact (the diagnostic log, the
 * bundle) do not stack markers.
 */
export function redactText(text: string): string {
  // Most lines hold none of the words or shapes above; one cheap test spares them eight regex passes.
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const rule of RULES) out = out.replace(rule.re, rule.replace as (substring: string, ...args: string[]) => string);
  return out;
}
