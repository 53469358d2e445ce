/**
 * A dry run of `make-dirs`: which folders of the share tree exist, which would be created, and which
 * entries do not belong (shown, never touched).
 *
 * The Prepare screen shows this before the operator creates the tree, so nothing is written on a guess.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IdentitySystem } from '../../../shared/endpoints/catalog';
import { IDENTITY_FOLDER, mandatoryEndpoints } from '../../../shared/endpoints/catalog';
import type { TreePreview } from '../../../shared/ipc/preparation-contract';
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
