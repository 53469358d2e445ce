/**
 * The share tree: a dry run of `make-dirs` (which folders exist, which would be created, which entries do
 * not belong — shown, never touched) and the creation itself with its audit event.
 *
 * The Prepare screen shows the dry run before the operator creates the tree, so nothing is written on a
 * guess; the screen and `azs-rotate make-dirs` create it through the same function, so both leave the same
 * `share.make-dirs` entry in the audit log.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IdentitySystem, PaasProvider } from '../../../shared/endpoints/catalog';
import { IDENTITY_FOLDER, mandatoryEndpoints } from '../../../shared/endpoints/catalog';
import type { TreePreview } from '../../../shared/ipc/preparation-contract';
import type { MakeDirsResult } from '../certificates/make-dirs';
import { makeShareDirs } from '../certificates/make-dirs';
import type { PrepContext } from './context';
import { audit } from './context';
import { errnoOf, fileError } from './safe-files';

async function isDir(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isDirectory();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw fileError('read', target, error);
  }
}

async function unexpectedIn(dir: string, allowed: readonly string[]): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return [];
    throw fileError('list', dir, error);
  }
  const names = new Set(allowed.map((n) => n.toLowerCase()));
  return entries.filter((e) => !names.has(e.name.toLowerCase())).map((e) => path.join(dir, e.name)).sort();
}

/** The tree `make-dirs` would build under `shareRoot` for `identity`, with what exists and what does not belong. */
export async function previewShareTree(shareRoot: string, identity: IdentitySystem): Promise<TreePreview> {
  const root = path.resolve(shareRoot);
  const certificatesDir = path.join(root, 'Certificates');
  const identityDir = path.join(certificatesDir, IDENTITY_FOLDER[identity]);
  const endpoints = mandatoryEndpoints(identity);
  const planned = [
    { path: certificatesDir, relative: 'Certificates' },
    { path: identityDir, relative: `Certificates/${IDENTITY_FOLDER[identity]}` },
    ...endpoints.map((e) => ({ path: path.join(identityDir, e.folder), relative: `Certificates/${IDENTITY_FOLDER[identity]}/${e.folder}` })),
  ];
  const folders = await Promise.all(planned.map(async (p) => ({ ...p, exists: await isDir(p.path) })));
  const unexpected = [
    ...(await unexpectedIn(certificatesDir, [IDENTITY_FOLDER[identity]])),
    ...(await unexpectedIn(identityDir, endpoints.map((e) => e.folder))),
  ];
  return { certificatesDir, identityDir, folders, unexpected, rootExists: await isDir(root) };
}

/** Records a `make-dirs` in the audit log: `share.make-dirs` with the counts and what does not belong. */
export function recordShareTree(ctx: PrepContext, result: MakeDirsResult): void {
  audit(ctx, 'share.make-dirs', `share:${result.certificatesDir}`, {
    root: result.root,
    identity: result.identity,
    created: result.created.length,
    existing: result.existing.length,
    unexpected: result.unexpected,
  });
}

/**
 * Creates the share tree (idempotent; see `makeShareDirs`) and records it with {@link recordShareTree}.
 *
 * `ctx` null only creates the tree, for a caller that records it itself (the CLI, whose database may be
 * missing). File-system errors are thrown as they come (with their errno code), for the caller to word.
 */
export function makeShareTree(shareRoot: string, identity: IdentitySystem, options: { paasDir?: string | null; paas?: readonly PaasProvider[] }, ctx: PrepContext | null): MakeDirsResult {
  const result = makeShareDirs(shareRoot, identity, options);
  if (ctx) recordShareTree(ctx, result);
  return result;
}
