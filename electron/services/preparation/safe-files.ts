/**
 * File writes that never leave a half-written file behind, and operator-readable file-system errors.
 *
 * Every file the preparation services produce (requests, keys, PFX files, copies into a share, backups)
 * is written to a temporary name in the target folder, flushed, then renamed over the final name: a share
 * that drops, a full disk or a killed process leaves either the old file or the new one, never a stub
 * that the PEP would later pick up as a certificate.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';

/** Prefix of temporary files, so a leftover from a power cut is recognisable (and ignored by scans). */
export const TEMP_PREFIX = '.azs-tmp-';

/** True for a temporary file name this module writes. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** What a file-system error code means for the operator, in a few words. */
export function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist (or the share is no longer reachable)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied for this account';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk or quota is full';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EEXIST':
      return 'it already exists';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'another program holds it open';
    case 'EIO':
    case 'EHOSTDOWN':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'ESTALE':
      return 'the share or disk stopped answering (I/O error)';
    default:
      return code ? `the system refused it (${code})` : 'the system refused it';
  }
}

/** The errno code of a thrown value, if any. */
export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * Wraps a file-system failure in an `io-error` naming the action, the path and the cause.
 *
 * `hint` defaults to advice that fits most causes (reachability, permissions, space).
 */
export function fileError(action: string, target: string, error: unknown, hint?: string): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'io-error',
    `Cannot ${action} ${target}: ${describeErrno(errnoOf(error))}.`,
    hint ?? 'Check that the folder is reachable, that this account may write to it and that the disk has space; then run again.',
    { cause: error },
  );
}

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${path.basename(target)}`);
}

/**
 * Writes `data` to `target` through a temporary file in the same folder and a rename.
 *
 * The temporary file is flushed to disk before the rename and removed when anything fails; `mode` applies
 * to the new file (keys are written 0600). Throws the raw file-system error; callers wrap it with
 * {@link fileError} naming what they were doing.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  const temp = tempPathFor(target);
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Copies `source` to `target` atomically and returns the SHA-256 of what was written.
 *
 * The bytes are read once, hashed and written, so the hash describes exactly the copy. Share files are
 * PFX files and small manifests; reading them whole is simpler than streaming and just as fast.
 */
export async function copyFileAtomic(source: string, target: string): Promise<{ sha256: string; size: number }> {
  const bytes = await readFile(source);
  await writeFileAtomic(target, bytes);
  return { sha256: sha256Hex(bytes), size: bytes.length };
}

/** SHA-256 of bytes, lower-case hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 and size of a file. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const bytes = await readFile(file);
  return { sha256: sha256Hex(bytes), size: bytes.length };
}

/** True when `target` exists (any kind); false for ENOENT, other errors propagate. */
export async function exists(target: string): Promise<boolean> {
  try {
    await stat(target);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

/** A safe file-name part made from an endpoint folder: `Public Portal` → `Public-Portal`, `AppServices/API` → `AppServices-API`. */
export function endpointFileBase(folder: string): string {
  return folder.replace(/[\\/]+/g, '-').replace(/\s+/g, '-');
}
