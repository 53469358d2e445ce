/**
 * SQL for app settings: one row per key, the value as JSON.
 *
 * Rows are read back through the contract's settings schema, so a value a future or older app wrote in
 * another shape falls back to its default instead of breaking the settings screen.
 */
import type Database from 'better-sqlite3';
import { settingsSchema, type Settings } from '../../../shared/ipc/contract';

/** Settings of a fresh install. */
export const DEFAULT_SETTINGS: Settings = { theme: 'system', lastShareFolder: null };

/** Typed access to the `settings` table. */
export interface SettingsRepository {
  /** All settings, defaults filled in. */
  get(): Settings;
  /** Writes the given keys (others keep their value) and returns all settings. */
  update(patch: Partial<Settings>, now: string): Settings;
}

/**
 * Builds the settings repository on an open, migrated database.
 *
 * Only keys of the settings schema are read or written; anything else in the table is ignored.
 */
export function createSettingsRepository(db: Database.Database): SettingsRepository {
  const allStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsertStmt = db.prepare<[string, string, string]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const shape = settingsSchema.shape;
  const isKey = (key: string): key is keyof Settings => Object.hasOwn(shape, key);

  const get = (): Settings => {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const row of allStmt.all()) {
      if (!isKey(row.key)) continue;
      const parsed = shape[row.key].safeParse(JSON.parse(row.value));
      if (parsed.success) Object.assign(settings, { [row.key]: parsed.data });
    }
    return settings;
  };

  const write = db.transaction((patch: Partial<Settings>, now: string) => {
    for (const [key, value] of Object.entries(patch)) {
      if (isKey(key) && value !== undefined) upsertStmt.run(key, JSON.stringify(value), now);
    }
  });

  return {
    get,
    update(patch, now) {
      write(patch, now);
      return get();
    },
  };
}
