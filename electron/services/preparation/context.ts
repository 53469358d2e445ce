/**
 * What every preparation action needs besides its inputs: the store, who acts, and the clock.
 *
 * The CLI and the desktop backend build one context each and pass it in, so both record the same audit
 * events through the same code.
 */
import { userInfo } from 'node:os';
import type { Store } from '../store';

/** The store, the acting user and a clock. */
export interface PrepContext {
  readonly store: Store;
  /** Who the audit log names, e.g. `cli:jdoe` or `app:jdoe`. */
  readonly actor: string;
  /** Clock, for tests (default: now). */
  readonly now?: () => Date;
}

/** The current time of a context, as ISO text. */
export function nowIso(ctx: PrepContext): string {
  return (ctx.now?.() ?? new Date()).toISOString();
}

/**
 * Appends one audit event for a preparation action.
 *
 * Details hold paths, names, counts and hashes only; the audit log redacts secret-looking keys anyway.
 */
export function audit(ctx: PrepContext, action: string, subject: string | null, detail: Record<string, unknown>): void {
  ctx.store.audit.append({ actor: ctx.actor, action, subject, detail, at: nowIso(ctx) });
}

/** `<source>:<OS user>`, or the source alone when the account has no name (some service accounts). */
export function actorFor(source: 'cli' | 'app'): string {
  try {
    return `${source}:${userInfo().username}`;
  } catch {
    return source;
  }
}
