/**
 * `azs-rotate place`: copies each PFX into the share folder of the endpoint its SANs match.
 *
 * A file belongs to an endpoint when its leaf's SAN list covers every name the endpoint requires (by the
 * same rules as the `dns-names` check). Files that match nothing, several endpoints, or an endpoint another
 * file also matches are listed and not copied; a folder that already holds a different PFX is never
 * overwritten. Originals are only read; copies are written through a temporary file and a rename.
 */
import type { Dirent } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { coverage } from '../../../shared/certificates/dns-match';
import type { EndpointDefinition, IdentitySystem } from '../../../shared/endpoints/catalog';
import { ENDPOINTS, IDENTITY_FOLDER, mandatoryEndpoints, paasEndpoints, requiredNames } from '../../../shared/endpoints/catalog';
import { readPfxFacts } from '../certificates/pfx-facts';
import { AppError } from '../errors';
import type { PrepContext } from './context';
import { audit, nowIso } from './context';
import { errnoOf, fileError, isTempName, sha256Hex, writeFileAtomic } from './safe-files';

/** Inputs of {@link placePfxFiles}. */
export interface PlacementOptions {
  /** Folder holding the PFX files to place (read only). */
  readonly pfxFolder: string;
  /** The share folder holding `Certificates` (or the `Certificates` folder itself). */
  readonly shareRoot: string;
  readonly identity: IdentitySystem;
  readonly region: string;
  readonly fqdn: string;
  /** The PFX password; used in memory only. */
  readonly password: string;
  /** PaaS folder: when given, PaaS endpoints are candidates too and their files go there. */
  readonly paasDir?: string | null;
}

/** What happened to one file. */
export type PlacementStatus = 'placed' | 'already-placed' | 'no-match' | 'multiple-matches' | 'duplicate' | 'occupied' | 'unreadable' | 'failed' | 'skipped';

/** One source file and its outcome. */
export interface PlacementEntry {
  readonly file: string;
  readonly status: PlacementStatus;
  /** The endpoint it was placed for (or would have been). */
  readonly endpoint: string | null;
  /** Every endpoint whose names the file covers. */
  readonly candidates: string[];
  /** The copy in the share, when one exists. */
  readonly target: string | null;
  readonly sans: string[];
  readonly message: string;
}

/** The `place --json` document (schemaVersion 1). */
export interface PlacementResult {
  readonly schemaVersion: 1;
  readonly source: string;
  readonly shareRoot: string;
  readonly identity: IdentitySystem;
  readonly certificatesDir: string;
  readonly files: PlacementEntry[];
  readonly summary: { readonly placed: number; readonly alreadyPlaced: number; readonly notPlaced: number };
}

/** True when the SAN list covers every required name of the endpoint (concrete-only names exactly). */
export function sansMatchEndpoint(sans: readonly string[], endpoint: EndpointDefinition, region: string, fqdn: string): boolean {
  const names = requiredNames(endpoint, region, fqdn);
  return endpoint.names.every((n, i) => {
    const c = coverage(names[i]!, sans);
    return n.concreteOnly ? c === 'exact' : c !== 'missing';
  });
}

/** The `Certificates` folder of a share root (the root itself when it is already named so). */
export function certificatesDirOf(shareRoot: string): string {
  return /^certificates$/i.test(path.basename(path.resolve(shareRoot))) ? path.resolve(shareRoot) : path.resolve(shareRoot, 'Certificates');
}

async function listPfx(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileError('list', dir, error, 'Give the folder that holds the PFX files to place.');
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.pfx$/i.test(e.name) && !isTempName(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

function noMatchMessage(sans: readonly string[], identity: IdentitySystem, region: string, fqdn: string, withPaas: boolean): string {
  const shown = sans.length ? sans.join(', ') : 'no DNS names';
  const elsewhere = ENDPOINTS.filter((e) => sansMatchEndpoint(sans, e, region, fqdn));
  const otherIdentity = elsewhere.find((e) => e.kind === 'mandatory' && !e.identities.includes(identity));
  if (otherIdentity) return `Its SANs (${shown}) are those of ${otherIdentity.name}, an endpoint of AD FS stamps only; this is an ${IDENTITY_FOLDER[identity]} share.`;
  const paas = elsewhere.find((e) => e.kind === 'paas');
  if (paas && !withPaas) return `Its SANs (${shown}) are those of the PaaS endpoint ${paas.name}; give --paas-dir to place PaaS certificates.`;
  return `Its SANs (${shown}) cover the names of no endpoint of ${region}.${fqdn}; check the region and FQDN, or reissue it with the endpoint's names.`;
}

/**
 * Places the PFX files of `pfxFolder` into the share and records each copy.
 *
 * Throws `io-error` when the source folder cannot be listed and `invalid-request` when it holds no PFX;
 * everything else is an entry of the result.
 */
export async function placePfxFiles(options: PlacementOptions, ctx: PrepContext): Promise<PlacementResult> {
  const certificatesDir = certificatesDirOf(options.shareRoot);
  const identityDir = path.join(certificatesDir, IDENTITY_FOLDER[options.identity]);
  const paasDir = options.paasDir ? path.resolve(options.paasDir) : null;
  const candidatesAll = [...mandatoryEndpoints(options.identity), ...(paasDir ? paasEndpoints() : [])];
  const sources = await listPfx(path.resolve(options.pfxFolder));
  if (sources.length === 0) {
    throw new AppError('invalid-request', `${options.pfxFolder} holds no .pfx file.`, 'Give the folder where the assembled or exported PFX files are.');
  }

  interface Read {
    file: string;
    bytes: Buffer | null;
    sans: string[];
    candidates: EndpointDefinition[];
    error: string | null;
  }
  const reads: Read[] = await Promise.all(
    sources.map(async (file): Promise<Read> => {
      const facts = readPfxFacts(file, options.password);
      if (facts.openError) return { file, bytes: null, sans: [], candidates: [], error: `Cannot open it: ${facts.openError.message}.` };
      const leaf = facts.chain.leafIndex === null ? null : facts.certificates[facts.chain.leafIndex];
      if (!leaf) return { file, bytes: null, sans: [], candidates: [], error: 'It holds no certificate.' };
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        return { file, bytes: null, sans: leaf.dnsNames, candidates: [], error: `Cannot read it again to copy (${errnoOf(error) ?? 'error'}).` };
      }
      const candidates = candidatesAll.filter((e) => sansMatchEndpoint(leaf.dnsNames, e, options.region, options.fqdn));
      return { file, bytes, sans: leaf.dnsNames, candidates, error: null };
    }),
  );

  const byEndpoint = new Map<string, Read[]>();
  for (const r of reads) if (r.candidates.length === 1) byEndpoint.set(r.candidates[0]!.name, [...(byEndpoint.get(r.candidates[0]!.name) ?? []), r]);

  const entries: PlacementEntry[] = [];
  let failure: string | null = null;
  const placedAt = nowIso(ctx);
  for (const r of reads) {
    const base = { file: r.file, candidates: r.candidates.map((e) => e.name), sans: r.sans };
    if (r.error) {
      entries.push({ ...base, status: 'unreadable', endpoint: null, target: null, message: r.error });
      continue;
    }
    if (r.candidates.length === 0) {
      entries.push({ ...base, status: 'no-match', endpoint: null, target: null, message: noMatchMessage(r.sans, options.identity, options.region, options.fqdn, paasDir !== null) });
      continue;
    }
    if (r.candidates.length > 1) {
      entries.push({
        ...base,
        status: 'multiple-matches',
        endpoint: null,
        target: null,
        message: `Its SANs cover ${r.candidates.length} endpoints (${base.candidates.join(', ')}); copy it by hand into the folder it is meant for.`,
      });
      continue;
    }
    const endpoint = r.candidates[0]!;
    const rivals = byEndpoint.get(endpoint.name)!.filter((o) => o !== r);
    if (rivals.length > 0) {
      entries.push({
        ...base,
        status: 'duplicate',
        endpoint: endpoint.name,
        target: null,
        message: `${rivals.map((o) => path.basename(o.file)).join(', ')} also match${rivals.length === 1 ? 'es' : ''} ${endpoint.name}; keep one and place again.`,
      });
      continue;
    }
    const folder = path.join(endpoint.kind === 'paas' ? paasDir! : identityDir, ...endpoint.folder.split('/'));
    const target = path.join(folder, path.basename(r.file));
    if (failure) {
      entries.push({ ...base, status: 'skipped', endpoint: endpoint.name, target: null, message: `Not copied: ${failure}` });
      continue;
    }
    const digest = sha256Hex(r.bytes!);
    try {
      await mkdir(folder, { recursive: true });
      const present = (await readdir(folder, { withFileTypes: true })).filter((e) => !e.isDirectory() && /\.pfx$/i.test(e.name) && !isTempName(e.name));
      let same: string | null = null;
      for (const p of present) {
        if (sha256Hex(await readFile(path.join(folder, p.name))) === digest) same = path.join(folder, p.name);
      }
      if (same) {
        entries.push({ ...base, status: 'already-placed', endpoint: endpoint.name, target: same, message: `Already in ${endpoint.folder} (same content).` });
        continue;
      }
      if (present.length > 0) {
        entries.push({
          ...base,
          status: 'occupied',
          endpoint: endpoint.name,
          target: null,
          message: `${endpoint.folder} already holds ${present.map((p) => p.name).join(', ')}; an endpoint folder takes one PFX. Back up and remove it, then place again.`,
        });
        continue;
      }
      await writeFileAtomic(target, r.bytes!);
    } catch (error) {
      const wrapped = fileError('copy into', folder, error);
      failure = wrapped.message;
      entries.push({ ...base, status: 'failed', endpoint: endpoint.name, target: null, message: wrapped.message });
      continue;
    }
    ctx.store.placedFiles.record({ path: target, sha256: digest, size: r.bytes!.length, source: 'place', origin: r.file, placedAt });
    entries.push({ ...base, status: 'placed', endpoint: endpoint.name, target, message: `Copied into ${endpoint.kind === 'paas' ? '' : `${IDENTITY_FOLDER[options.identity]}/`}${endpoint.folder}.` });
  }
  const summary = {
    placed: entries.filter((e) => e.status === 'placed').length,
    alreadyPlaced: entries.filter((e) => e.status === 'already-placed').length,
    notPlaced: entries.filter((e) => e.status !== 'placed' && e.status !== 'already-placed').length,
  };
  audit(ctx, 'share.place', `share:${certificatesDir}`, {
    source: path.resolve(options.pfxFolder),
    certificatesDir,
    identity: options.identity,
    summary,
    files: entries.map((e) => ({ file: e.file, status: e.status, endpoint: e.endpoint, target: e.target })),
  });
  return {
    schemaVersion: 1,
    source: path.resolve(options.pfxFolder),
    shareRoot: path.resolve(options.shareRoot),
    identity: options.identity,
    certificatesDir,
    files: entries,
    summary,
  };
}
