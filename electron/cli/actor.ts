/**
 * Who the audit log names for changes made through the CLI, and how the CLI writes its audit entries.
 */
import { userInfo } from 'node:os';
import type { Store } from '../services/store';

/**
 * The CLI's audit actor: `cli:<account name>`.
 *
 * Read from the operating system rather than `$USER`, which a script may leave unset or set to anything.
 * Service accounts and containers may have no passwd entry; `cli` alone then still tells the source.
 */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * Appends an audit entry for work the CLI has done, as the desktop app records the same action.
 *
 * The work is done by then (a file written, a probe saved), so a storage failure here must not turn the
 * command into a failure: it is said on stderr, and the exit code stays the command's.
 */
export function recordCliAudit(store: Pick<Store, 'audit'>, action: string, subject: string | null, detail: Record<string, unknown>): void {
  try {
    store.audit.append({ actor: cliActor(), action, subject, detail });
  } catch (error) {
    const reason = `${(error as Error).message ?? String(error)}`.replace(/\s+/g, ' ').trim();
    process.stderr.write(`azs-rotate: done, but not recorded in the audit log (${action}): ${reason}\n`);
  }
}
