/**
 * Opens the app's SQLite store for CLI commands: `--data-dir`, else the desktop app's data folder.
 */
import type { Command } from 'commander';
import { Store, defaultDataDir } from '../services/store';
import { UsageError } from './usage-error';

/** The data folder the CLI uses: the global `--data-dir`, else the same default as the desktop app. */
export function dataDirOf(command: Command): string {
  const fromFlag = command.optsWithGlobals().dataDir as string | undefined;
  return fromFlag ?? defaultDataDir();
}

/** Opens the store, turning a refusal (newer schema, unwritable folder) into a one-line usage error. */
export function openStore(command: Command): Store {
  const dataDir = dataDirOf(command);
  try {
    return Store.open({ dataDir });
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    throw new UsageError(`Cannot open the database in ${dataDir}: ${(error as Error).message}${hint ? ` ${hint}` : ''}`);
  }
}
