/**
 * `azs-rotate make-dirs`: the CertDirectoryMaker equivalent.
 *
 * Creates `<share-root>/Certificates/<AAD|ADFS>/<endpoint folders>` (and PaaS folders on request),
 * idempotently: existing folders are reported, never touched; content that does not belong is listed
 * but left alone, so nothing an operator placed is ever deleted.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IdentitySystem, PaasProvider } from '../../../shared/endpoints/catalog';
import { IDENTITY_FOLDER, mandatoryEndpoints, paasEndpoints } from '../../../shared/endpoints/catalog';

/** The `make-dirs --json` document (schemaVersion 1). */
export interface MakeDirsResult {
  readonly schemaVersion: 1;
  readonly root: string;
  readonly identity: IdentitySystem;
  readonly certificatesDir: string;
  readonly created: string[];
  readonly existing: string[];
  /** Entries found where only endpoint folders belong; left untouched. */
  readonly unexpected: string[];
}

function ensureDir(dir: string, created: string[], existing: string[]): void {
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} exists but is a file; rename or remove it, then run again.`);
    existing.push(dir);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir);
  created.push(dir);
}

function unexpectedIn(dir: string, allowed: readonly string[]): string[] {
  const names = new Set(allowed.map((n) => n.toLowerCase()));
  return readdirSync(dir)
    .filter((name) => !names.has(name.toLowerCase()))
    .map((name) => path.join(dir, name));
}

/** Creates the share tree; throws with an operator-readable message when a path cannot be created. */
export function makeShareDirs(shareRoot: string, identity: IdentitySystem, options: { paasDir?: string | null; paas?: readonly PaasProvider[] } = {}): MakeDirsResult {
  const created: string[] = [];
  const existing: string[] = [];
  const certificatesDir = path.join(shareRoot, 'Certificates');
  const identityDir = path.join(certificatesDir, IDENTITY_FOLDER[identity]);
  mkdirSync(shareRoot, { recursive: true });
  ensureDir(certificatesDir, created, existing);
  ensureDir(identityDir, created, existing);
  const endpoints = mandatoryEndpoints(identity);
  for (const endpoint of endpoints) ensureDir(path.join(identityDir, endpoint.folder), created, existing);
  const unexpected = [
    ...unexpectedIn(certificatesDir, [IDENTITY_FOLDER[identity]]),
    ...unexpectedIn(identityDir, endpoints.map((e) => e.folder)),
  ];
  if (options.paasDir && options.paas && options.paas.length > 0) {
    mkdirSync(options.paasDir, { recursive: true });
    for (const endpoint of paasEndpoints(options.paas)) {
      let dir = options.paasDir;
      for (const part of endpoint.folder.split('/')) {
        dir = path.join(dir, part);
        if (!created.includes(dir) && !existing.includes(dir)) ensureDir(dir, created, existing);
      }
    }
  }
  return { schemaVersion: 1, root: shareRoot, identity, certificatesDir, created, existing, unexpected };
}
