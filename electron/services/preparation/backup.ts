/**
 * `azs-rotate backup create|verify|restore|clean`: a hashed copy of a certificate share, and its uses.
 *
 * A backup folder holds `manifest.json` (every file's relative path, size and SHA-256) and the files
 * under `Certificates/`. It is built in a temporary sibling folder and renamed into place at the end, so a
 * failed backup leaves nothing that looks like one. Verify reports every missing, extra or changed file;
 * restore refuses a backup that does not verify and writes each file atomically; clean deletes from the
 * share only PFX files the app placed there and that a verified backup holds with the same content.
 */
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readFile, readdir, realpath, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { PrepContext } from './context';
import { audit, nowIso } from './context';
import { TEMP_PREFIX, copyFileAtomic, errnoOf, fileError, hashFile, isTempName, sha256Hex, writeFileAtomic } from './safe-files';

/** File name of the manifest inside a backup folder. */
export const MANIFEST_FILE = 'manifest.json';
/** Folder of the copied files inside a backup folder. */
export const FILES_FOLDER = 'Certificates';

/** One file of a backup. */
export interface ManifestEntry {
  /** Relative to the backed-up folder, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** `manifest.json`. */
export interface BackupManifest {
  readonly schemaVersion: 1;
  readonly kind: 'azs-rotate-share-backup';
  readonly createdAt: string;
  /** The folder that was backed up (absolute). */
  readonly source: string;
  readonly files: ManifestEntry[];
}

/** The `backup create --json` document (schemaVersion 1). */
export interface BackupCreateResult {
  readonly schemaVersion: 1;
  readonly backupDir: string;
  readonly source: string;
  readonly files: number;
  readonly bytes: number;
  readonly manifest: string;
  readonly verified: boolean;
}

/** Problem codes of a verification. */
export type BackupProblemCode = 'missing' | 'extra' | 'changed' | 'manifest-missing' | 'manifest-invalid';

/** The `backup verify --json` document (schemaVersion 1). */
export interface BackupVerifyResult {
  readonly schemaVersion: 1;
  readonly backupDir: string;
  readonly ok: boolean;
  readonly source: string | null;
  readonly createdAt: string | null;
  readonly files: number;
  readonly problems: { readonly code: BackupProblemCode; readonly path: string; readonly message: string }[];
}

/** The `backup restore --json` document (schemaVersion 1). */
export interface BackupRestoreResult {
  readonly schemaVersion: 1;
  readonly backupDir: string;
  readonly target: string;
  readonly restored: string[];
  readonly unchanged: string[];
  /** Files in the target that the backup does not hold (left untouched). */
  readonly extra: string[];
  /** Every restored file read back with the manifest's hash. */
  readonly verified: boolean;
}

/** The `backup clean --json` document (schemaVersion 1). */
export interface ShareCleanResult {
  readonly schemaVersion: 1;
  readonly certificatesDir: string;
  readonly backupDir: string;
  readonly removed: string[];
  readonly kept: { readonly path: string; readonly reason: string }[];
}

const toPosix = (relative: string) => relative.split(path.sep).join('/');

/**
 * Every file under `root`, relative and `/`-separated, sorted; temporary files are skipped.
 *
 * Linked folders are followed once: `seen` holds the real paths already walked, so a link loop ends.
 */
async function walk(root: string, relative = '', seen = new Set<string>()): Promise<string[]> {
  const here = await realpath(path.join(root, relative)).catch(() => path.join(root, relative));
  if (seen.has(here)) return [];
  seen.add(here);
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    throw fileError('list', path.join(root, relative), error);
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (isTempName(entry.name)) continue;
    const rel = relative ? path.join(relative, entry.name) : entry.name;
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) isDir = await stat(path.join(root, rel)).then((s) => s.isDirectory(), () => false);
    if (isDir) out.push(...(await walk(root, rel, seen)));
    else out.push(toPosix(rel));
  }
  return out;
}

async function requireDir(dir: string, what: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new AppError('invalid-request', `${dir} is a file, not a folder.`, `Give the ${what} folder.`);
  } catch (error) {
    throw fileError('read', dir, error, `Give the ${what} folder.`);
  }
}

/**
 * Copies `certificatesDir` into the new folder `to`, with a SHA-256 manifest, and verifies the copy.
 *
 * Refuses (`conflict`) when `to` exists and is not empty, and (`invalid-request`) when there is nothing to
 * back up. On failure the staging folder is removed and `to` is left as it was.
 */
export async function createBackup(options: { certificatesDir: string; to: string }, ctx: PrepContext): Promise<BackupCreateResult> {
  const source = path.resolve(options.certificatesDir);
  const target = path.resolve(options.to);
  await requireDir(source, 'Certificates');
  if (target === source || target.startsWith(source + path.sep)) {
    throw new AppError('invalid-request', 'The backup folder is inside the share it backs up.', 'Choose a backup folder outside the share (--to).');
  }
  let targetExistsEmpty = false;
  try {
    const present = await readdir(target);
    if (present.length > 0) throw new AppError('conflict', `${target} already exists and is not empty.`, 'Give a new folder for the backup (--to); backups are never overwritten.');
    targetExistsEmpty = true;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (errnoOf(error) !== 'ENOENT') throw fileError('check the backup folder', target, error);
  }
  const files = await walk(source);
  if (files.length === 0) throw new AppError('invalid-request', `${source} holds no files to back up.`, 'Check the path: give the share\'s Certificates folder.');
  const staging = path.join(path.dirname(target), `${TEMP_PREFIX}backup-${randomBytes(6).toString('hex')}`);
  const entries: ManifestEntry[] = [];
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(path.join(staging, FILES_FOLDER), { recursive: true });
    for (const rel of files) {
      const destination = path.join(staging, FILES_FOLDER, ...rel.split('/'));
      await mkdir(path.dirname(destination), { recursive: true });
      const copied = await copyFileAtomic(path.join(source, ...rel.split('/')), destination);
      entries.push({ path: rel, size: copied.size, sha256: copied.sha256 });
    }
    const manifest: BackupManifest = { schemaVersion: 1, kind: 'azs-rotate-share-backup', createdAt: nowIso(ctx), source, files: entries };
    await writeFileAtomic(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (targetExistsEmpty) await rmdir(target);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw fileError('back up into', target, error, 'Nothing was kept of the failed backup. Check the backup disk (space, permissions) and the share, then run again.');
  }
  const verification = await verifyBackup(target);
  const bytes = entries.reduce((sum, e) => sum + e.size, 0);
  audit(ctx, 'backup.create', `backup:${target}`, { source, backupDir: target, files: entries.length, bytes, verified: verification.ok });
  return { schemaVersion: 1, backupDir: target, source, files: entries.length, bytes, manifest: path.join(target, MANIFEST_FILE), verified: verification.ok };
}

async function readManifest(dir: string): Promise<{ manifest: BackupManifest | null; problem: BackupVerifyResult['problems'][number] | null }> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { manifest: null, problem: { code: 'manifest-missing', path: file, message: `${MANIFEST_FILE} is missing: this is not a complete backup.` } };
    throw fileError('read', file, error);
  }
  try {
    const parsed = JSON.parse(text) as Partial<BackupManifest>;
    const valid =
      parsed.schemaVersion === 1 &&
      parsed.kind === 'azs-rotate-share-backup' &&
      Array.isArray(parsed.files) &&
      parsed.files.every((f) => typeof f?.path === 'string' && typeof f.sha256 === 'string' && typeof f.size === 'number' && !f.path.split('/').includes('..') && !path.isAbsolute(f.path));
    if (!valid) throw new Error('shape');
    return { manifest: parsed as BackupManifest, problem: null };
  } catch {
    return { manifest: null, problem: { code: 'manifest-invalid', path: file, message: `${MANIFEST_FILE} is damaged or not a backup manifest of this app.` } };
  }
}

/**
 * Checks a backup folder against its manifest: every file present with its size and hash, nothing extra.
 *
 * Throws `io-error` only when the folder itself cannot be read; every other finding is a problem.
 */
export async function verifyBackup(dir: string, ctx?: PrepContext): Promise<BackupVerifyResult> {
  const backupDir = path.resolve(dir);
  await requireDir(backupDir, 'backup');
  const { manifest, problem } = await readManifest(backupDir);
  const problems: BackupVerifyResult['problems'] = problem ? [problem] : [];
  if (manifest) {
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const filesRoot = path.join(backupDir, FILES_FOLDER);
    const present = (await stat(filesRoot).then((s) => s.isDirectory(), () => false)) ? await walk(filesRoot) : [];
    const presentSet = new Set(present);
    for (const entry of manifest.files) {
      if (!presentSet.has(entry.path)) {
        problems.push({ code: 'missing', path: entry.path, message: `${entry.path} is listed in the manifest but missing from the backup.` });
        continue;
      }
      const actual = await hashFile(path.join(filesRoot, ...entry.path.split('/')));
      if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
        problems.push({ code: 'changed', path: entry.path, message: `${entry.path} changed since the backup (${actual.size} bytes, SHA-256 ${actual.sha256.slice(0, 12)}…; expected ${entry.size} bytes, ${entry.sha256.slice(0, 12)}…).` });
      }
    }
    for (const rel of present) if (!listed.has(rel)) problems.push({ code: 'extra', path: rel, message: `${rel} is in the backup but not in its manifest.` });
    for (const name of await readdir(backupDir)) {
      if (name !== MANIFEST_FILE && name !== FILES_FOLDER && !isTempName(name)) problems.push({ code: 'extra', path: name, message: `${name} does not belong in a backup folder.` });
    }
  }
  const result: BackupVerifyResult = {
    schemaVersion: 1,
    backupDir,
    ok: problems.length === 0,
    source: manifest?.source ?? null,
    createdAt: manifest?.createdAt ?? null,
    files: manifest?.files.length ?? 0,
    problems,
  };
  if (ctx) audit(ctx, 'backup.verify', `backup:${backupDir}`, { backupDir, ok: result.ok, problems: problems.map((p) => ({ code: p.code, path: p.path })) });
  return result;
}

/**
 * Restores a verified backup into a share's `Certificates` folder (before a ReRun).
 *
 * Refuses (`conflict`) a backup that does not verify and a target whose folder name differs from the
 * backed-up one. Files already identical are left alone; files the backup lacks are listed, not deleted.
 * Each restored file is recorded as placed by the app and read back against the manifest.
 */
export async function restoreBackup(options: { backupDir: string; to: string }, ctx: PrepContext): Promise<BackupRestoreResult> {
  const backupDir = path.resolve(options.backupDir);
  const target = path.resolve(options.to);
  const verification = await verifyBackup(backupDir);
  if (!verification.ok) {
    throw new AppError(
      'conflict',
      `The backup ${backupDir} does not verify (${verification.problems.length} problem(s), first: ${verification.problems[0]!.message}); nothing was restored.`,
      'Run backup verify for the full list, and restore from an intact backup.',
    );
  }
  const { manifest } = await readManifest(backupDir);
  const sourceName = path.basename(manifest!.source);
  if (sourceName.toLowerCase() !== path.basename(target).toLowerCase()) {
    throw new AppError('invalid-request', `The backup is of a "${sourceName}" folder; ${target} is not one.`, `Give the share's ${sourceName} folder as --to.`);
  }
  const restored: string[] = [];
  const unchanged: string[] = [];
  const placedAt = nowIso(ctx);
  for (const entry of manifest!.files) {
    const destination = path.join(target, ...entry.path.split('/'));
    try {
      const current = await hashFile(destination).catch((error: unknown) => {
        if (errnoOf(error) === 'ENOENT') return null;
        throw error;
      });
      if (current?.sha256 === entry.sha256) {
        unchanged.push(destination);
        continue;
      }
      await mkdir(path.dirname(destination), { recursive: true });
      await copyFileAtomic(path.join(backupDir, FILES_FOLDER, ...entry.path.split('/')), destination);
    } catch (error) {
      const wrapped = fileError('restore into', destination, error);
      audit(ctx, 'backup.restore', `backup:${backupDir}`, { backupDir, target, restored: restored.length, failedAt: entry.path, error: wrapped.message });
      throw new AppError(
        'io-error',
        `${wrapped.message} ${restored.length} of ${manifest!.files.length} file(s) were restored before it failed; each is complete.`,
        'Fix the share (reachability, space, permissions) and run the restore again: files already restored are skipped.',
        { cause: error },
      );
    }
    ctx.store.placedFiles.record({ path: destination, sha256: entry.sha256, size: entry.size, source: 'restore', origin: backupDir, placedAt });
    restored.push(destination);
  }
  let verified = true;
  for (const entry of manifest!.files) {
    const back = await hashFile(path.join(target, ...entry.path.split('/'))).catch(() => null);
    if (back?.sha256 !== entry.sha256) verified = false;
  }
  const listed = new Set(manifest!.files.map((f) => f.path));
  const extra = (await walk(target)).filter((rel) => !listed.has(rel)).map((rel) => path.join(target, ...rel.split('/')));
  audit(ctx, 'backup.restore', `backup:${backupDir}`, { backupDir, target, restored: restored.length, unchanged: unchanged.length, extra: extra.length, verified });
  return { schemaVersion: 1, backupDir, target, restored, unchanged, extra, verified };
}

/**
 * Deletes from the share the PFX files the app placed, once a verified backup holds each of them.
 *
 * A file is removed only when the app's record names it, it still has the recorded content, and the
 * backup holds it at the same relative path with the same hash; anything else is kept and listed.
 */
export async function cleanShare(options: { certificatesDir: string; backupDir: string }, ctx: PrepContext): Promise<ShareCleanResult> {
  const certificatesDir = path.resolve(options.certificatesDir);
  const backupDir = path.resolve(options.backupDir);
  await requireDir(certificatesDir, 'Certificates');
  const verification = await verifyBackup(backupDir);
  if (!verification.ok) {
    throw new AppError('conflict', `The backup ${backupDir} does not verify; nothing was deleted.`, 'Clean the share only after a backup that verifies (backup create, then backup verify).');
  }
  const { manifest } = await readManifest(backupDir);
  const inBackup = new Map(manifest!.files.map((f) => [f.path, f.sha256]));
  const removed: string[] = [];
  const kept: ShareCleanResult['kept'] = [];
  const at = nowIso(ctx);
  const records = ctx.store.placedFiles.activeUnder(certificatesDir + path.sep);
  const byPath = new Map<string, string[]>();
  for (const r of records) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.sha256]);
  for (const [file, hashes] of byPath) {
    const rel = toPosix(path.relative(certificatesDir, file));
    let current: string | null;
    try {
      current = sha256Hex(await readFile(file));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') {
        ctx.store.placedFiles.markRemoved(file, at);
        kept.push({ path: file, reason: 'already gone' });
        continue;
      }
      throw fileError('read', file, error);
    }
    if (!hashes.includes(current)) {
      kept.push({ path: file, reason: 'changed since the app placed it' });
      continue;
    }
    if (inBackup.get(rel) !== current) {
      kept.push({ path: file, reason: 'not in the backup with this content' });
      continue;
    }
    try {
      await unlink(file);
    } catch (error) {
      throw fileError('delete', file, error);
    }
    ctx.store.placedFiles.markRemoved(file, at);
    removed.push(file);
  }
  audit(ctx, 'share.clean', `share:${certificatesDir}`, { certificatesDir, backupDir, removed, kept: kept.map((k) => k.path) });
  return { schemaVersion: 1, certificatesDir, backupDir, removed, kept };
}
