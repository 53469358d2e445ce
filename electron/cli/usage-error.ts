/**
 * Errors the CLI maps to exit codes, with one-line messages and no stack trace (unless `--debug`).
 */

/** A usage error or unreadable input: exit code 2. */
export class UsageError extends Error {}

/** Exit codes of the CLI contract (`cli.md`). */
export const EXIT = { ok: 0, failures: 1, usage: 2 } as const;
