/**
 * Chain building over certificate facts: every candidate issuer path (bounded), the best one kept.
 *
 * Windows CryptoAPI does not take the first issuer whose signature verifies: it builds the paths it can
 * and keeps the one of the highest quality, where a valid signature outranks a complete chain, which
 * outranks time validity, which outranks valid basic constraints (`CERT_QUALITY_*` in its chain engine).
 * So an expired cross-signed copy of a root loses to the valid self-signed root beside it, and a CA's
 * self-issued key-rollover certificate (same name, signed by the old key) is a link, not a root. Pure:
 * signature checks come from the caller, which has the keys.
 */
import type { CertificateFacts, ChainFacts, ChainProblem } from './facts';

/** The outcome of checking a certificate's signature with a candidate issuer's public key. */
export type SignatureCheck = 'valid' | 'invalid' | 'unreadable-key';

/** What {@link buildChain} needs. */
export interface ChainBuildInput {
  readonly certificates: readonly CertificateFacts[];
  readonly leafIndex: number | null;
  /** Whether the public key of `issuer` verifies the signature of `subject` (indexes into `certificates`). */
  readonly verify: (subject: number, issuer: number) => SignatureCheck;
  /** The time validity is judged at. */
  readonly now: Date;
}

/** Longest path considered; real chains have 2–4 certificates. */
export const MAX_CHAIN_LENGTH = 10;
/** Candidate paths considered at most, so a PFX of many look-alike certificates stays cheap. */
export const MAX_CANDIDATE_PATHS = 32;
/** Candidate issuers tried per certificate (best matches first): each costs a signature check. */
export const MAX_ISSUER_CANDIDATES = 16;

/** DER of an empty Name (an empty SEQUENCE): it names nobody, so it matches no issuer. */
const EMPTY_NAME_DER = '3000';

/** How a certificate names itself in messages: its CN, else its subject, else its thumbprint. */
export function certificateLabel(cert: CertificateFacts): string {
  if (cert.subjectCn) return cert.subjectCn;
  if (cert.subject) return cert.subject;
  return `the certificate with an empty subject (thumbprint ${cert.thumbprint})`;
}

/**
 * Indexes of the certificates that may have issued `index`, best match first.
 *
 * As Windows matches issuers: by name and key identifier (exact), by key identifier alone, then by name
 * alone; names compare as DER bytes. A name-only match whose key identifiers disagree comes last.
 */
function issuerCandidates(certs: readonly CertificateFacts[], index: number, path: readonly number[]): number[] {
  const child = certs[index]!;
  const namable = child.issuerDer !== '' && child.issuerDer !== EMPTY_NAME_DER;
  const ranked: { index: number; rank: number }[] = [];
  certs.forEach((candidate, i) => {
    if (path.includes(i)) return;
    const nameMatch = namable && candidate.subjectDer === child.issuerDer;
    const keyIdsKnown = child.authorityKeyId !== null && candidate.subjectKeyId !== null;
    const keyMatch = keyIdsKnown && candidate.subjectKeyId === child.authorityKeyId;
    if (!nameMatch && !keyMatch) return;
    const rank = nameMatch && keyMatch ? 0 : keyMatch ? 1 : keyIdsKnown ? 3 : 2;
    ranked.push({ index: i, rank });
  });
  // Array.prototype.sort is stable: equal matches keep the PFX's own order.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_ISSUER_CANDIDATES)
    .map((r) => r.index);
}

function timeValid(cert: CertificateFacts, now: number): boolean {
  return Date.parse(cert.notBefore) <= now && now < Date.parse(cert.notAfter);
}

/**
 * The CA-role problems of one path (leaf first), as Windows chain building flags them.
 *
 * The leaf must be an end entity: no cA=TRUE, no Certificate Signing. Every issuer must be a CA: basic
 * constraints present with cA=TRUE (a v1/v2 root, which cannot carry extensions, is a CA implicitly),
 * Certificate Signing in its key usage when it has one, and no more non-self-issued CA certificates below
 * it than its pathLenConstraint allows (RFC 5280 6.1.4: self-issued ones, such as key-rollover links,
 * do not count).
 */
export function caRoleProblems(certs: readonly CertificateFacts[], path: readonly number[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  if (path.length === 0) return problems;
  const leafIndex = path[0]!;
  const leaf = certs[leafIndex]!;
  if (leaf.basicConstraints.ca) {
    problems.push({
      code: 'leaf-is-ca',
      index: leafIndex,
      message: `the leaf ${certificateLabel(leaf)} is a CA certificate (basic constraints cA=TRUE), but an endpoint needs an end-entity certificate (cA=FALSE)`,
    });
  }
  if (leaf.keyUsage.present && leaf.keyUsage.keyCertSign) {
    problems.push({
      code: 'leaf-signs-certificates',
      index: leafIndex,
      message: `the leaf ${certificateLabel(leaf)} has Certificate Signing (keyCertSign) in its key usage, which only a CA may have`,
    });
  }
  for (let position = 1; position < path.length; position++) {
    const index = path[position]!;
    const cert = certs[index]!;
    const name = certificateLabel(cert);
    const issues = `issues ${certificateLabel(certs[path[position - 1]!]!)}`;
    const isRoot = position === path.length - 1 && cert.selfSigned;
    if (!cert.basicConstraints.present) {
      if (cert.version < 3 && !isRoot) {
        problems.push({ code: 'no-basic-constraints', index, message: `${name} ${issues} but is a version ${cert.version} certificate, which cannot say it is a CA (only a root may be one implicitly)` });
      } else if (cert.version >= 3) {
        problems.push({ code: 'no-basic-constraints', index, message: `${name} ${issues} but has no basic constraints extension, so it is not marked as a CA (cA=TRUE is required${isRoot ? ', also on the root' : ''})` });
      }
    } else if (!cert.basicConstraints.ca) {
      problems.push({ code: 'not-ca', index, message: `${name} ${issues} but its basic constraints say it is not a CA (cA=FALSE)` });
    }
    if (cert.keyUsage.present && !cert.keyUsage.keyCertSign) {
      problems.push({ code: 'no-certificate-signing', index, message: `${name} ${issues} but its key usage lacks Certificate Signing (keyCertSign)` });
    }
    const limit = cert.basicConstraints.ca ? cert.basicConstraints.pathLength : null;
    if (limit !== null) {
      const below = path.slice(1, position).filter((i) => !certs[i]!.selfIssued);
      if (below.length > limit) {
        problems.push({
          code: 'path-length',
          index,
          message: `${name} allows ${limit} CA certificate(s) below it (pathLenConstraint=${limit}), but the chain has ${below.length}: ${below.map((i) => certificateLabel(certs[i]!)).join(', ')}`,
        });
      }
    }
  }
  return problems;
}

interface CandidatePath {
  readonly path: number[];
  readonly stop: ChainFacts['stop'];
}

function candidatePaths(input: ChainBuildInput, leafIndex: number): CandidatePath[] {
  const certs = input.certificates;
  const found: CandidatePath[] = [];
  const walk = (path: number[]): void => {
    if (found.length >= MAX_CANDIDATE_PATHS) return;
    const index = path[path.length - 1]!;
    const cert = certs[index]!;
    if (cert.selfSigned) {
      found.push({ path, stop: { kind: 'root' } });
      return;
    }
    const candidates = path.length < MAX_CHAIN_LENGTH ? issuerCandidates(certs, index, path) : [];
    if (candidates.length === 0) {
      found.push({ path, stop: { kind: 'issuer-missing', index, issuer: cert.issuer } });
      return;
    }
    let extended = false;
    let unreadable: number | null = null;
    for (const candidate of candidates) {
      const check = input.verify(index, candidate);
      if (check === 'valid') {
        extended = true;
        walk([...path, candidate]);
        if (found.length >= MAX_CANDIDATE_PATHS) return;
      } else if (check === 'unreadable-key' && unreadable === null) {
        unreadable = candidate;
      }
    }
    if (!extended) {
      found.push({
        path,
        stop: unreadable !== null ? { kind: 'issuer-key-unreadable', index, issuer: cert.issuer, issuerIndex: unreadable } : { kind: 'signature-invalid', index, issuer: cert.issuer },
      });
    }
  };
  walk([leafIndex]);
  return found;
}

/** Windows' order of path qualities: signatures, completeness, time validity, CA roles, then well-formedness. */
function quality(candidate: CandidatePath, certs: readonly CertificateFacts[], now: number): number {
  let value = 0;
  if (candidate.stop.kind === 'root' || candidate.stop.kind === 'issuer-missing') value |= 16;
  if (candidate.stop.kind === 'root') value |= 8;
  if (candidate.path.every((i) => timeValid(certs[i]!, now))) value |= 4;
  if (caRoleProblems(certs, candidate.path).length === 0) value |= 2;
  if (candidate.path.every((i) => certs[i]!.defects.length === 0)) value |= 1;
  return value;
}

/**
 * Builds the chain of the leaf: every candidate path, the best one kept with its CA-role problems.
 *
 * Paths of equal quality keep the order in which they were found (best issuer match first, then the
 * PFX's order), so the exporter's choice wins a tie.
 */
export function buildChain(input: ChainBuildInput): Pick<ChainFacts, 'path' | 'stop' | 'problems'> {
  if (input.leafIndex === null) return { path: [], stop: { kind: 'none' }, problems: [] };
  const now = input.now.getTime();
  let best: CandidatePath | null = null;
  let bestQuality = -1;
  for (const candidate of candidatePaths(input, input.leafIndex)) {
    const value = quality(candidate, input.certificates, now);
    if (value > bestQuality) {
      best = candidate;
      bestQuality = value;
    }
  }
  const chosen = best!;
  return { path: chosen.path, stop: chosen.stop, problems: caRoleProblems(input.certificates, chosen.path) };
}
