/**
 * `azs-rotate pfx assemble`: turns issued certificates and their stored keys into validated PFX files.
 *
 * Each issued certificate finds its key in key custody by the SHA-256 of its public key; its chain comes
 * from the CA's response (a `.p7b`) and/or the `--chain` file or folder, ordered leaf → intermediates →
 * root by verified signatures. The PFX is written through a temporary file and validated by the engine
 * right away, so the operator sees the Readiness-Checker result of what was just built.
 */
import type { KeyObject } from 'node:crypto';
import { stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CertificateStatus } from '../../../shared/certificates/report';
import { worstStatus } from '../../../shared/certificates/report';
import { findEndpoint } from '../../../shared/endpoints/catalog';
import type { CaKind } from '../../../shared/stamps/stamp';
import { readPfxFacts } from '../certificates/pfx-facts';
import { AppError, isAppError } from '../errors';
import type { KeyRequest } from '../store';
import type { PrepContext } from './context';
import { audit, nowIso } from './context';
import type { LoadedCertificate } from './certificate-files';
import { certificateFilesIn, loadCertificateFile, loadCertificateSource, nameLine, orderChain, uniqueCertificates } from './certificate-files';
import { KeyCustodySession, WrongPassphraseError, publicKeyFingerprint } from './key-custody';
import type { OutputVerdict } from './output-validation';
import { judgeOutput } from './output-validation';
import type { PfxProfile } from './pkcs12-writer';
import { writePfx } from './pkcs12-writer';
import { fileError, writeFileAtomic } from './safe-files';

/** Inputs of {@link assemblePfxFiles}. */
export interface AssembleOptions {
  /** Folder of issued certificates (or one issued file). */
  readonly issued: string;
  /** CA certificates: a file (PEM bundle, `.p7b`) or a folder of them; optional when the responses hold the chain. */
  readonly chain?: string | null;
  readonly outDir: string;
  /** Password of the new PFX files; used in memory only. */
  readonly password: string;
  /** The key-custody passphrase; used in memory only. */
  readonly passphrase: string;
  readonly profile?: PfxProfile;
  /** Current CA kind of the stamp, for the `ca-transition` check of the validation (default unknown). */
  readonly currentCa?: CaKind | null;
  readonly stampVersion?: string | null;
}

/** Why an issued certificate was not assembled. */
export type AssemblyProblemCode = 'unreadable' | 'no-matching-key' | 'chain-incomplete' | 'wrong-passphrase' | 'key-unavailable' | 'duplicate' | 'write-failed';

/** A certificate (or file) that produced no PFX. */
export interface AssemblyProblem {
  readonly file: string;
  readonly code: AssemblyProblemCode;
  readonly subject: string | null;
  readonly message: string;
}

/**
 * The validation of one output against one endpoint: status and the checks that are not ok.
 *
 * With the `modern` profile, `pfx-encryption` is a warning ("modern profile: not for Azure Stack Hub
 * rotation"), never a failure: that file was asked for other uses.
 */
export interface OutputValidation extends OutputVerdict {
  readonly endpoint: string;
}

/** One PFX written. */
export interface AssembledPfx {
  readonly issued: string;
  readonly file: string;
  readonly keyId: string;
  readonly endpoint: string;
  readonly subject: string;
  readonly thumbprint: string;
  /** Subjects from the leaf to the root, in bag order. */
  readonly chain: string[];
  /** Worst status over the validations. */
  readonly status: CertificateStatus;
  readonly validations: OutputValidation[];
}

/** The `pfx assemble --json` document (schemaVersion 1). */
export interface AssemblyResult {
  readonly schemaVersion: 1;
  readonly outDir: string;
  readonly profile: PfxProfile;
  readonly outputs: AssembledPfx[];
  readonly problems: AssemblyProblem[];
  readonly summary: { readonly assembled: number; readonly ok: number; readonly warning: number; readonly fail: number; readonly problems: number };
}

interface Candidate {
  readonly leaf: LoadedCertificate;
  readonly request: KeyRequest;
  readonly fingerprint: string;
}

async function issuedFiles(issued: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(issued)).isDirectory();
  } catch (error) {
    throw fileError('read', issued, error, 'Give the folder with the certificates the CA issued.');
  }
  const files = isDir ? await certificateFilesIn(issued) : [issued];
  if (files.length === 0) {
    throw new AppError('invalid-request', `${issued} holds no certificate file (.cer, .crt, .pem, .p7b).`, 'Save the CA responses there, then run pfx assemble again.');
  }
  return files;
}

function sansOf(cert: LoadedCertificate): string {
  const alt = cert.x509.subjectAltName;
  return alt ? alt.replace(/DNS:/g, '') : 'no SANs';
}

/**
 * Assembles every issued certificate that has a stored key, and validates each PFX.
 *
 * Throws {@link WrongPassphraseError} when the passphrase opens none of the keys it was tried on (nothing
 * is written then), `io-error` for unreadable inputs or an unwritable output folder; per-certificate
 * problems are in the result.
 */
export async function assemblePfxFiles(options: AssembleOptions, ctx: PrepContext): Promise<AssemblyResult> {
  const profile = options.profile ?? 'azure-stack';
  const problems: AssemblyProblem[] = [];
  const loaded: LoadedCertificate[] = [];
  for (const file of await issuedFiles(options.issued)) {
    try {
      loaded.push(...(await loadCertificateFile(file)));
    } catch (error) {
      if (!isAppError(error)) throw error;
      problems.push({ file, code: 'unreadable', subject: null, message: error.message });
    }
  }
  const chainCertificates = options.chain ? await loadCertificateSource(options.chain) : [];
  const pool = uniqueCertificates([...chainCertificates, ...loaded.filter((c) => c.x509.ca)]);

  const candidates: Candidate[] = [];
  const seen = new Map<string, string>();
  for (const leaf of loaded.filter((c) => !c.x509.ca)) {
    const subject = nameLine(leaf.x509.subject);
    const previous = seen.get(leaf.x509.fingerprint256);
    if (previous) {
      problems.push({ file: leaf.source, code: 'duplicate', subject, message: `Same certificate as in ${path.basename(previous)}; assembled once.` });
      continue;
    }
    seen.set(leaf.x509.fingerprint256, leaf.source);
    const fingerprint = publicKeyFingerprint(leaf.x509.publicKey);
    const request = ctx.store.keyRequests.findByPublicKey(fingerprint);
    if (!request) {
      problems.push({
        file: leaf.source,
        code: 'no-matching-key',
        subject,
        message: `No stored key matches ${subject} (${sansOf(leaf)}): its request was not generated with the key store in ${ctx.store.dataDir}. Use the --data-dir the CSR was made with, or package it where its key is.`,
      });
      continue;
    }
    candidates.push({ leaf, request, fingerprint });
  }

  const session = new KeyCustodySession(ctx.store.dataDir, options.passphrase);
  const keys = new Map<Candidate, KeyObject>();
  let wrongPassphrase = 0;
  for (const candidate of candidates) {
    try {
      keys.set(candidate, await session.open(candidate.request.keyFile, candidate.request.keyId, candidate.fingerprint));
    } catch (error) {
      if (error instanceof WrongPassphraseError) {
        wrongPassphrase += 1;
        problems.push({ file: candidate.leaf.source, code: 'wrong-passphrase', subject: nameLine(candidate.leaf.x509.subject), message: error.message });
      } else if (isAppError(error)) {
        problems.push({ file: candidate.leaf.source, code: 'key-unavailable', subject: nameLine(candidate.leaf.x509.subject), message: `${error.message} ${error.hint}`.trim() });
      } else throw error;
    }
  }
  if (wrongPassphrase > 0 && keys.size === 0) throw new WrongPassphraseError(candidates[0]!.request.keyId);

  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (error) {
    throw fileError('create the output folder', options.outDir, error);
  }
  const outputs: AssembledPfx[] = [];
  const usedNames = new Set<string>();
  const assembledAt = nowIso(ctx);
  for (const candidate of candidates) {
    const key = keys.get(candidate);
    if (!key) continue;
    const { leaf, request } = candidate;
    const subject = nameLine(leaf.x509.subject);
    const ordered = orderChain(leaf, pool);
    if (!ordered.complete) {
      problems.push({
        file: leaf.source,
        code: 'chain-incomplete',
        subject,
        message: ordered.signatureMismatch
          ? `The chain of ${subject} does not link: a certificate named "${ordered.missingIssuer}" is present but did not sign it (a different CA with the same name). Give the CA certificate that issued it.`
          : `The chain of ${subject} does not link: its issuer "${ordered.missingIssuer}" is not among the certificates of ${options.chain ? `--chain ${options.chain} or ` : ''}the issued file. Add the issuing CA and its root to --chain.`,
      });
      continue;
    }
    let base = path.basename(leaf.source, path.extname(leaf.source));
    for (let n = 2; usedNames.has(base.toLowerCase()); n++) base = `${path.basename(leaf.source, path.extname(leaf.source))}-${n}`;
    usedNames.add(base.toLowerCase());
    const file = path.resolve(options.outDir, `${base}.pfx`);
    try {
      const bytes = writePfx({ certificates: ordered.chain.map((c) => c.der), privateKey: key, password: options.password, profile, friendlyName: request.dnsNames[0] ?? null });
      await writeFileAtomic(file, bytes);
    } catch (error) {
      problems.push({ file: leaf.source, code: 'write-failed', subject, message: fileError('write', file, error).message });
      continue;
    }
    // Read back once, judged against every endpoint the request was for (a multi-SAN request serves several).
    const facts = readPfxFacts(file, options.password, path.basename(file));
    const judge = { password: options.password, profile, currentCa: options.currentCa ?? null, stampVersion: options.stampVersion ?? null, now: ctx.now?.() };
    const validations: OutputValidation[] = [];
    for (const name of request.endpoints) {
      const endpoint = findEndpoint(name);
      if (!endpoint) continue;
      validations.push({ endpoint: endpoint.name, ...judgeOutput(facts, { endpoint, region: request.region, fqdn: request.fqdn }, judge) });
    }
    const thumbprint = leaf.x509.fingerprint.replace(/:/g, '').toUpperCase();
    ctx.store.keyRequests.markAssembled(request.keyId, thumbprint, assembledAt);
    outputs.push({
      issued: leaf.source,
      file,
      keyId: request.keyId,
      endpoint: request.endpoint,
      subject,
      thumbprint,
      chain: ordered.chain.map((c) => nameLine(c.x509.subject)),
      status: worstStatus(validations.map((v) => v.status)),
      validations,
    });
  }
  const summary = {
    assembled: outputs.length,
    ok: outputs.filter((o) => o.status === 'ok').length,
    warning: outputs.filter((o) => o.status === 'warning').length,
    fail: outputs.filter((o) => o.status === 'fail').length,
    problems: problems.length,
  };
  audit(ctx, 'pfx.assemble', null, {
    issued: path.resolve(options.issued),
    chain: options.chain ? path.resolve(options.chain) : null,
    outDir: path.resolve(options.outDir),
    profile,
    summary,
    outputs: outputs.map((o) => ({ file: o.file, keyId: o.keyId, thumbprint: o.thumbprint, status: o.status })),
    problems: problems.map((p) => ({ file: p.file, code: p.code })),
  });
  return { schemaVersion: 1, outDir: path.resolve(options.outDir), profile, outputs, problems, summary };
}
