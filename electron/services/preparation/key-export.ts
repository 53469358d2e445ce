/**
 * `azs-rotate keys list|export`: what key custody holds, and offline backups of the keys.
 *
 * An export is an encrypted PKCS#8 PEM per key (PBES2, AES-256-CBC), protected by the same passphrase, so
 * a key can be recovered with OpenSSL or Windows if the app's data folder is lost.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { KeyRequest } from '../store';
import type { PrepContext } from './context';
import { audit } from './context';
import { KeyCustodySession, encryptedPkcs8Pem } from './key-custody';
import { endpointFileBase, fileError, writeFileAtomic } from './safe-files';

/** One exported key. */
export interface ExportedKey {
  readonly keyId: string;
  readonly endpoint: string;
  readonly file: string;
}

/** The `keys export --json` document (schemaVersion 1). */
export interface KeyExportResult {
  readonly schemaVersion: 1;
  readonly outDir: string;
  readonly keys: ExportedKey[];
}

/** The stored requests, newest first. */
export function listKeyRequests(ctx: PrepContext): KeyRequest[] {
  return ctx.store.keyRequests.list();
}

/**
 * Writes encrypted PKCS#8 backups of the given keys (all when `keyIds` is empty) into `outDir`.
 *
 * Throws `not-found` for an unknown key id, `invalid-request` for a wrong passphrase (before anything is
 * written) and `io-error` when a file cannot be written. Files are written mode 0600.
 */
export async function exportKeys(options: { keyIds?: readonly string[]; outDir: string; passphrase: string }, ctx: PrepContext): Promise<KeyExportResult> {
  const all = ctx.store.keyRequests.list({ limit: 100_000 });
  const wanted = options.keyIds && options.keyIds.length > 0 ? options.keyIds : all.map((r) => r.keyId);
  const requests = wanted.map((id) => {
    const request = ctx.store.keyRequests.get(id);
    if (!request) throw new AppError('not-found', `No stored key has the id ${id}.`, 'List the stored keys with azs-rotate keys list.');
    return request;
  });
  if (requests.length === 0) throw new AppError('not-found', 'The key store holds no keys.', 'Generate requests with azs-rotate csr first.');
  const session = new KeyCustodySession(ctx.store.dataDir, options.passphrase);
  const keys = await Promise.all(requests.map((r) => session.open(r.keyFile, r.keyId, r.publicKeySha256)));
  try {
    await mkdir(options.outDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError('create the export folder', options.outDir, error);
  }
  const exported: ExportedKey[] = [];
  for (const [i, request] of requests.entries()) {
    const file = path.resolve(options.outDir, `${endpointFileBase(request.endpoint)}-${request.keyId}.key`);
    try {
      await writeFileAtomic(file, encryptedPkcs8Pem(keys[i]!, options.passphrase), 0o600);
    } catch (error) {
      throw fileError('write', file, error);
    }
    exported.push({ keyId: request.keyId, endpoint: request.endpoint, file });
  }
  audit(ctx, 'key.export', null, { outDir: path.resolve(options.outDir), keys: exported.map((k) => ({ keyId: k.keyId, file: k.file })) });
  return { schemaVersion: 1, outDir: path.resolve(options.outDir), keys: exported };
}
