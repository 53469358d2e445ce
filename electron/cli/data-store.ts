/**
 * Opens the app's SQLite store for CLI commands: `--data-dir`, else the desktop app's data folder.
 */
import type { Command } from 'commander';
import { DatabaseFileError, Store, defaultDataDir } from '../services/store';
import { UsageError } from './usage-error';

/** The data folder the CLI uses: the global `--data-dir`, else the same default as the desktop app. */
export function dataDirOf(command: Command): string {
  const fromFlag = command.optsWithGlobals().dataDir as string | undefined;
  return fromFlag ?? defaultDataDir();
}

/**
 * Opens the store, turning a refusal into a one-line usage error (exit 2).
 *
 * A refused file (empty, foreign, damaged, read-only, an unwritable folder) already names the file and what
 * to do; other refusals (a newer schema) are prefixed with the folder.
 */
export function openStore(command: Command): Store {
  const dataDir = dataDirOf(command);
  try {
    return Store.open({ dataDir });
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    const message = (error as Error).message;
    const text = error instanceof DatabaseFileError ? message : `Cannot open the database in ${dataDir}: ${message}`;
    throw new UsageError(`${text}${hint ? ` ${hint}` : ''}`);
  }
}
