/**
 * SQL for the record of files the app placed in a certificate share (by placement or restore).
 *
 * Cleaning a share after a rotation deletes PFX files, which hold private keys; only files this record
 * names, with the same content hash, may be deleted, so nothing an operator put there by hand is touched.
 */
import type Database from 'better-sqlite3';

/** One file the app wrote into a share. */
export interface PlacedFile {
  id: number;
  /** Absolute path of the file in the share. */
  path: string;
  sha256: string;
  size: number;
  source: 'place' | 'restore';
  /** Where the bytes came from (the original PFX, or the backup folder). */
  origin: string;
  placedAt: string;
  removedAt: string | null;
}

interface PlacedFileRow {
  id: number;
  path: string;
  sha256: string;
  size: number;
  source: 'place' | 'restore';
  origin: string;
  placed_at: string;
  removed_at: string | null;
}

function toPlaced(row: PlacedFileRow): PlacedFile {
  return {
    id: row.id,
    path: row.path,
    sha256: row.sha256,
    size: row.size,
    source: row.source,
    origin: row.origin,
    placedAt: row.placed_at,
    removedAt: row.removed_at,
  };
}

/** Typed access to `placed_files`. */
export interface PlacedFilesRepository {
  /** Records a file the app wrote into a share. */
  record(file: Omit<PlacedFile, 'id' | 'removedAt'>): PlacedFile;
  /** Files recorded at `path` and not yet removed, newest first. */
  activeAt(path: string): PlacedFile[];
  /** Files recorded under `folder` (a path prefix) and not yet removed, oldest first. */
  activeUnder(folder: string): PlacedFile[];
  /** Marks every active record at `path` as removed. */
  markRemoved(path: string, at: string): void;
}

/**
 * Builds the placed-files repository on an open, migrated database.
 *
 * Prefix queries use a range on the path rather than LIKE, so `%` and `_` in folder names match literally.
 */
export function createPlacedFilesRepository(db: Database.Database): PlacedFilesRepository {
  const insertStmt = db.prepare(`
    INSERT INTO placed_files (path, sha256, size, source, origin, placed_at)
    VALUES (@path, @sha256, @size, @source, @origin, @placedAt)`);
  const atStmt = db.prepare<[string], PlacedFileRow>('SELECT * FROM placed_files WHERE path = ? AND removed_at IS NULL ORDER BY id DESC');
  const underStmt = db.prepare<[string, string], PlacedFileRow>(
    'SELECT * FROM placed_files WHERE path >= ? AND path < ? AND removed_at IS NULL ORDER BY id',
  );
  const removeStmt = db.prepare<[string, string]>('UPDATE placed_files SET removed_at = ? WHERE path = ? AND removed_at IS NULL');

  return {
    record(file) {
      const id = Number(insertStmt.run(file).lastInsertRowid);
      return { ...file, id, removedAt: null };
    },
    activeAt: (path) => atStmt.all(path).map(toPlaced),
    activeUnder(folder) {
      // Every path that starts with `folder` sorts between it and the same prefix with its last char + 1.
      const upper = folder.slice(0, -1) + String.fromCharCode(folder.charCodeAt(folder.length - 1) + 1);
      return underStmt.all(folder, upper).map(toPlaced);
    },
    markRemoved(path, at) {
      removeStmt.run(at, path);
    },
  };
}
