/**
 * Checks the folder tree of a rotation share and lists the PFX files to validate.
 *
 * The PEP expects `…\Certificates\<AAD|ADFS>\<endpoint folder>\<one>.pfx` exactly and fails late with a
 * misleading message when it is not so; this scan reports every deviation with a problem code of the
 * CLI contract, and still hands back every PFX it can find so one pass shows every fix.
 */
import type { Dirent } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EndpointDefinition, IdentitySystem, PaasProvider } from '../../../shared/endpoints/catalog';
import { IDENTITY_FOLDER, mandatoryEndpoints, paasEndpoints } from '../../../shared/endpoints/catalog';
import type { StructureProblem } from '../../../shared/certificates/report';
import { describeFsError } from './fs-errors';

/** One PFX file to validate against one endpoint. */
export interface ShareEntry {
  readonly endpoint: EndpointDefinition;
  /** Endpoint folder relative to the identity folder (or PaaS root), `/`-separated. */
  readonly folder: string;
  /** File relative to the identity folder (or PaaS root), `/`-separated. */
  readonly file: string;
  readonly absolutePath: string;
}

/** Result of scanning a share. */
export interface ShareScan {
  readonly problems: StructureProblem[];
  readonly entries: ShareEntry[];
  /** The identity folder actually scanned, when one was found. */
  readonly identityDir: string | null;
}

/** Thrown when the root itself cannot be read; the message says what to do. */
export class ShareAccessError extends Error {}

interface Child {
  readonly name: string;
  readonly kind: 'dir' | 'file' | 'broken';
}

function compareNames(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function listChildren(dir: string): Child[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ShareAccessError(`The folder ${dir} does not exist. Check the path.`);
    if (code === 'ENOTDIR') throw new ShareAccessError(`${dir} is a file, not a folder. Give the Certificates folder of the share.`);
    if (code === 'EACCES' || code === 'EPERM') throw new ShareAccessError(`Permission denied reading ${dir}. Run as an account that can read the share.`);
    throw new ShareAccessError(`Cannot read ${dir}: ${describeFsError(error)}.`);
  }
  return entries
    .map((entry): Child => {
      if (entry.isDirectory()) return { name: entry.name, kind: 'dir' };
      if (entry.isSymbolicLink()) {
        // Follow links one level only; a loop or dangling link is reported, never recursed into.
        try {
          return { name: entry.name, kind: statSync(path.join(dir, entry.name)).isDirectory() ? 'dir' : 'file' };
        } catch {
          return { name: entry.name, kind: 'broken' };
        }
      }
      return { name: entry.name, kind: 'file' };
    })
    // Case-insensitive code-unit order: deterministic, without localeCompare's collator, whose first use
    // costs 10-20 ms of ICU start-up in every one-shot CLI run.
    .sort((a, b) => compareNames(a.name, b.name));
}

const isPfx = (name: string) => /\.pfx$/i.test(name);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function problem(code: StructureProblem['code'], where: string, message: string): StructureProblem {
  return { code, path: where, message };
}

/** Scans one endpoint folder: exactly one `.pfx`, nothing else. */
function scanEndpointFolder(dir: string, relative: string, endpoint: EndpointDefinition, problems: StructureProblem[], entries: ShareEntry[]): void {
  let children: Child[];
  try {
    children = listChildren(dir);
  } catch (error) {
    problems.push(problem('no-pfx', dir, `${relative}: ${(error as Error).message}`));
    return;
  }
  const pfxFiles = children.filter((c) => c.kind !== 'dir' && isPfx(c.name));
  for (const child of children) {
    const where = path.join(dir, child.name);
    if (child.kind === 'dir') {
      const note = isPfx(child.name) ? ' (a folder named like a PFX file)' : '';
      problems.push(problem('unexpected-folder', where, `${relative}/${child.name} is a folder${note}; an endpoint folder holds one .pfx file only. Remove it.`));
    } else if (!isPfx(child.name)) {
      problems.push(problem('unexpected-file', where, `${relative}/${child.name} is not a .pfx file; an endpoint folder holds one .pfx file only. Remove it.`));
    }
  }
  if (pfxFiles.length === 0) {
    problems.push(problem('no-pfx', dir, `${relative} holds no .pfx file. Put the ${endpoint.name} certificate there.`));
  } else if (pfxFiles.length > 1) {
    problems.push(problem('multiple-pfx', dir, `${relative} holds ${pfxFiles.length} .pfx files (${pfxFiles.map((f) => f.name).join(', ')}); keep exactly one.`));
  }
  for (const file of pfxFiles) {
    entries.push({ endpoint, folder: relative, file: `${relative}/${file.name}`, absolutePath: path.join(dir, file.name) });
  }
}

/** Scans the identity folder: exactly the mandatory endpoint folders of the identity system. */
function scanIdentityFolder(dir: string, identity: IdentitySystem, problems: StructureProblem[], entries: ShareEntry[]): void {
  const expected = mandatoryEndpoints(identity);
  const children = listChildren(dir);
  for (const endpoint of expected) {
    const found = children.find((c) => c.kind === 'dir' && same(c.name, endpoint.folder));
    if (!found) {
      problems.push(problem('missing-folder', path.join(dir, endpoint.folder), `The folder "${endpoint.folder}" is missing; create it and put the ${endpoint.name} certificate in it.`));
      continue;
    }
    scanEndpointFolder(path.join(dir, found.name), found.name, endpoint, problems, entries);
  }
  for (const child of children) {
    const where = path.join(dir, child.name);
    if (child.kind === 'dir') {
      if (!expected.some((e) => same(e.folder, child.name))) {
        const otherIdentity = mandatoryEndpoints('adfs').find((e) => same(e.folder, child.name));
        const why = otherIdentity ? ` (only AD FS stamps have it)` : '';
        problems.push(problem('unexpected-folder', where, `"${child.name}" is not an endpoint folder of a ${IDENTITY_FOLDER[identity]} share${why}. Remove it.`));
      }
    } else {
      problems.push(problem('unexpected-file', where, `"${child.name}" sits directly in the ${path.basename(dir)} folder; only endpoint folders belong there. Remove it.`));
    }
  }
}

/**
 * Scans a share given as its `Certificates` folder or its `AAD`/`ADFS` child.
 *
 * Throws {@link ShareAccessError} only when the given root cannot be read at all.
 */
export function scanShare(root: string, identity: IdentitySystem): ShareScan {
  const problems: StructureProblem[] = [];
  const entries: ShareEntry[] = [];
  const wanted = IDENTITY_FOLDER[identity];
  const other = IDENTITY_FOLDER[identity === 'aad' ? 'adfs' : 'aad'];
  const base = path.basename(path.resolve(root));
  let certificatesDir: string | null = null;
  let identityDir: string | null = null;

  const rootChildren = listChildren(root);
  if (same(base, wanted) || same(base, other)) {
    if (!same(base, wanted)) {
      problems.push(problem('wrong-root', root, `The share is an ${base} tree but the stamp uses ${wanted}: give the ${wanted} folder (the stamp's identity system decides).`));
    }
    identityDir = root;
    if (!same(path.basename(path.dirname(path.resolve(root))), 'Certificates')) {
      problems.push(problem('wrong-root', path.dirname(root), `The folder above ${base} must be named "Certificates" (-PfxFilesPath ends in \\Certificates).`));
    }
  } else if (same(base, 'Certificates')) {
    certificatesDir = root;
  } else {
    const nested = rootChildren.find((c) => c.kind === 'dir' && same(c.name, 'Certificates'));
    const direct = rootChildren.find((c) => c.kind === 'dir' && (same(c.name, wanted) || same(c.name, other)));
    if (nested) {
      certificatesDir = path.join(root, nested.name);
      problems.push(problem('wrong-root', root, `Give the Certificates folder itself (${certificatesDir}), not its parent: -PfxFilesPath must end in \\Certificates.`));
    } else if (direct) {
      certificatesDir = root;
      problems.push(problem('wrong-root', root, `The folder holding ${direct.name} must be named "Certificates" (-PfxFilesPath ends in \\Certificates); it is named "${base}".`));
    } else {
      problems.push(problem('wrong-root', root, `${root} is not a certificate share: it has neither a Certificates folder nor an ${wanted} folder. Create the tree with azs-rotate make-dirs.`));
      return { problems, entries, identityDir: null };
    }
  }

  if (certificatesDir) {
    const children = certificatesDir === root ? rootChildren : listChildren(certificatesDir);
    const found = children.find((c) => c.kind === 'dir' && same(c.name, wanted));
    for (const child of children) {
      const where = path.join(certificatesDir, child.name);
      if (child === found) continue;
      if (child.kind === 'dir' && same(child.name, other)) {
        problems.push(problem('wrong-root', where, `Found an ${other} folder but the stamp uses ${wanted}: the share must hold exactly one identity folder, matching the stamp.`));
      } else if (child.kind === 'dir') {
        problems.push(problem('unexpected-folder', where, `"${child.name}" does not belong in Certificates; only the ${wanted} folder does. Remove it.`));
      } else {
        problems.push(problem('unexpected-file', where, `"${child.name}" does not belong in Certificates; only the ${wanted} folder does. Remove it.`));
      }
    }
    if (!found) {
      // With the other identity's tree present, wrong-root already says what to fix.
      if (!children.some((c) => c.kind === 'dir' && same(c.name, other))) {
        problems.push(problem('missing-folder', path.join(certificatesDir, wanted), `The ${wanted} folder is missing under Certificates. Create the tree with azs-rotate make-dirs.`));
      }
      return { problems, entries, identityDir: null };
    }
    identityDir = path.join(certificatesDir, found.name);
  }

  scanIdentityFolder(identityDir!, same(path.basename(identityDir!), 'AAD') ? 'aad' : 'adfs', problems, entries);
  return { problems, entries, identityDir };
}

/**
 * Scans a PaaS certificate folder laid out as the Readiness Checker expects (only present providers).
 *
 * Unknown folders are reported; a present provider folder must hold exactly one PFX.
 */
export function scanPaasFolder(root: string, providers?: readonly PaasProvider[]): ShareScan {
  const problems: StructureProblem[] = [];
  const entries: ShareEntry[] = [];
  const endpoints = paasEndpoints(providers);
  const topLevel = new Set(endpoints.map((e) => e.folder.split('/')[0]!.toLowerCase()));
  // Each folder is listed once: several providers share a parent (AppServices/*).
  const listings = new Map<string, Child[]>();
  const listOnce = (dir: string) => {
    let children = listings.get(dir);
    if (!children) listings.set(dir, (children = listChildren(dir)));
    return children;
  };
  for (const child of listOnce(root)) {
    if (child.kind === 'dir' && topLevel.has(child.name.toLowerCase())) continue;
    const where = path.join(root, child.name);
    problems.push(
      child.kind === 'dir'
        ? problem('unexpected-folder', where, `"${child.name}" is not a PaaS certificate folder (${[...topLevel].join(', ')}). Remove or rename it.`)
        : problem('unexpected-file', where, `"${child.name}" sits directly in the PaaS folder; each certificate belongs in its provider folder.`),
    );
  }
  for (const endpoint of endpoints) {
    const parts = endpoint.folder.split('/');
    let dir = root;
    let relative = '';
    let present = true;
    for (const part of parts) {
      const match = listOnce(dir).find((c) => c.kind === 'dir' && same(c.name, part));
      if (!match) {
        present = false;
        break;
      }
      dir = path.join(dir, match.name);
      relative = relative ? `${relative}/${match.name}` : match.name;
    }
    if (present) scanEndpointFolder(dir, relative, endpoint, problems, entries);
  }
  return { problems, entries, identityDir: null };
}
