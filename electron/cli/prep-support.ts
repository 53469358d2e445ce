/**
 * What the preparation commands (place, share-test, csr, keys, pfx, backup) share: the store-backed
 * context, option checks and the mapping of service errors to the CLI's one-line messages.
 *
 * The preparation service and the store are imported on demand, so `validate` and `inspect` start as
 * lean as before.
 */
import type { Command } from 'commander';
import type { IdentitySystem } from '../../shared/endpoints/catalog';
import { fqdnProblem, regionProblem } from '../../shared/stamps/stamp';
import { isAppError } from '../services/errors';
import type { PrepContext } from '../services/preparation';
import { UsageError } from './usage-error';

/** Checks `--identity`. */
export function identityOption(value: string | undefined): IdentitySystem {
  if (value === 'aad' || value === 'adfs') return value;
  throw new UsageError(value ? `--identity: "${value}" is not aad or adfs.` : 'Missing --identity (aad or adfs).');
}

/** Checks `--region` and `--fqdn` with the stamp rules; returns them trimmed. */
export function stampOptions(region: string | undefined, fqdn: string | undefined): { region: string; fqdn: string } {
  if (!region) throw new UsageError('Missing --region (for example --region east).');
  if (!fqdn) throw new UsageError('Missing --fqdn (for example --fqdn azurestack.contoso.com).');
  const r = regionProblem(region.trim());
  if (r) throw new UsageError(`--region: ${r}`);
  const f = fqdnProblem(fqdn.trim());
  if (f) throw new UsageError(`--fqdn: ${f}`);
  return { region: region.trim(), fqdn: fqdn.trim().replace(/\.$/, '') };
}

/**
 * Runs `work` with a preparation context on the app's store (`--data-dir`), closing the store after.
 *
 * Service errors an operator can act on become a `UsageError` (exit 2) carrying the message and hint.
 */
export async function withPrepContext<T>(command: Command, work: (ctx: PrepContext) => Promise<T>): Promise<T> {
  const { openStore } = await import('./data-store');
  const { actorFor } = await import('../services/preparation');
  const store = openStore(command);
  try {
    return await work({ store, actor: actorFor('cli') });
  } catch (error) {
    throw asUsageError(error);
  } finally {
    store.close();
  }
}

/** Turns an `AppError` into a one-line `UsageError` (message and hint); anything else is left as it is. */
export function asUsageError(error: unknown): unknown {
  if (isAppError(error)) return new UsageError(error.hint ? `${error.message} ${error.hint}` : error.message);
  return error;
}

/** Writes a JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines on stdout. */
export function printLines(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
