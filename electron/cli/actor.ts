/**
 * Who the audit log names for changes made through the CLI.
 */
import { userInfo } from 'node:os';

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
