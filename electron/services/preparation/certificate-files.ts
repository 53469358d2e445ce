/**
 * Reads certificates as CAs hand them out, and orders a chain leaf → intermediates → root.
 *
 * Accepted: DER or Base64 (PEM) `.cer`/`.crt`/`.der`/`.pem`, and PKCS#7 `.p7b`/`.p7c` in DER or PEM —
 * what a Windows CA's "Download certificate chain", `certreq -retrieve` and OpenSSL produce.
 */
import { X509Certificate } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Asn1 } from '../certificates/asn1';
import { children, decodeAsn1, derOf, isContext, oidOf } from '../certificates/asn1';
import { certificateFacts, chainOf } from '../certificates/x509-facts';
import forge from '../certificates/forge-lite';
import { AppError } from '../errors';
import { fileError, isTempName } from './safe-files';

/** File extensions read as certificates (lower case, with the dot). */
export const CERTIFICATE_EXTENSIONS = ['.cer', '.crt', '.der', '.pem', '.p7b', '.p7c'] as const;

/** One certificate and the file it came from. */
export interface LoadedCertificate {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  readonly source: string;
}

/** A file that holds no readable certificate; the message says what it is instead. */
export class CertificateFileError extends Error {}

const SIGNED_DATA = '1.2.840.113549.1.7.2';

function certificatesOfPkcs7(der: Buffer): Buffer[] {
  const contentInfo = decodeAsn1(der);
  const [typeNode, content] = children(contentInfo, 'PKCS#7 ContentInfo', 2);
  if (oidOf(typeNode, 'PKCS#7 content type') !== SIGNED_DATA) throw new CertificateFileError('it is PKCS#7 but not signed data (no certificates inside)');
  const signedData = children(content, 'PKCS#7 content', 1)[0];
  const certificateSet = children(signedData, 'PKCS#7 SignedData', 3).find((n) => isContext(n, 0));
  if (!certificateSet) return [];
  return (Array.isArray(certificateSet.value) ? (certificateSet.value as Asn1[]) : [])
    .filter((n) => n.tagClass === forge.asn1.Class.UNIVERSAL && n.type === forge.asn1.Type.SEQUENCE)
    .map((n) => derOf(n));
}

function fromDer(bytes: Buffer): Buffer[] {
  try {
    new X509Certificate(bytes);
    return [bytes];
  } catch {
    // Not a single certificate: a PKCS#7 bundle is the other DER form CAs hand out.
  }
  try {
    return certificatesOfPkcs7(bytes);
  } catch (error) {
    if (error instanceof CertificateFileError) throw error;
    throw new CertificateFileError('it is neither a certificate nor a PKCS#7 certificate bundle');
  }
}

/**
 * The DER certificates in a file's bytes (PEM blocks, DER certificate or PKCS#7).
 *
 * Throws {@link CertificateFileError} when nothing in it is a certificate.
 */
export function parseCertificateBytes(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length > 0) {
    const out: Buffer[] = [];
    for (const [, label, body] of blocks) {
      const der = Buffer.from(body!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
      if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE') out.push(...fromDer(der));
      else if (label === 'PKCS7' || label === 'CERTIFICATE CHAIN') out.push(...certificatesOfPkcs7(der));
    }
    if (out.length === 0) throw new CertificateFileError(`it holds PEM blocks (${blocks.map((b) => b[1]).join(', ')}) but no certificate`);
    return out;
  }
  if (bytes[0] === 0x30) return fromDer(bytes);
  // Base64 without PEM armour: some portals offer it for copy and paste.
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length > 100) return fromDer(Buffer.from(compact, 'base64'));
  throw new CertificateFileError('it is not a certificate file (no PEM block, not DER)');
}

/** Reads one certificate file; `io-error` when unreadable, `invalid-request` when it holds no certificate. */
export async function loadCertificateFile(file: string): Promise<LoadedCertificate[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw fileError('read', file, error);
  }
  try {
    return parseCertificateBytes(bytes).map((der) => ({ der, x509: new X509Certificate(der), source: file }));
  } catch (error) {
    const why = error instanceof CertificateFileError ? error.message : 'it cannot be parsed as a certificate';
    throw new AppError('invalid-request', `${file}: ${why}.`, 'Give the certificate as .cer/.crt/.pem (DER or Base64) or a .p7b chain.');
  }
}

/** True when a file name has a certificate extension. */
export function isCertificateFileName(name: string): boolean {
  return (CERTIFICATE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

/** The certificate files directly in `dir`, sorted by name. */
export async function certificateFilesIn(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileError('list', dir, error);
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !isTempName(e.name) && isCertificateFileName(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Reads a chain source: one certificate file, or every certificate file of a folder. */
export async function loadCertificateSource(fileOrDir: string): Promise<LoadedCertificate[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(fileOrDir)).isDirectory();
  } catch (error) {
    throw fileError('read', fileOrDir, error, 'Check the --chain path.');
  }
  if (!isDir) return loadCertificateFile(fileOrDir);
  const files = await certificateFilesIn(fileOrDir);
  const all = await Promise.all(files.map((f) => loadCertificateFile(f)));
  return all.flat();
}

/** Removes duplicates (same SHA-256 fingerprint), keeping the first. */
export function uniqueCertificates<T extends { x509: X509Certificate }>(certificates: readonly T[]): T[] {
  const seen = new Set<string>();
  return certificates.filter((c) => {
    if (seen.has(c.x509.fingerprint256)) return false;
    seen.add(c.x509.fingerprint256);
    return true;
  });
}

/** A chain from a leaf upwards. */
export interface OrderedChain<T> {
  /** Leaf first, then each issuer, ending at a self-signed root when `complete`. */
  readonly chain: T[];
  readonly complete: boolean;
  /** The issuer name no certificate in the pool matched (when not complete). */
  readonly missingIssuer: string | null;
  /** True when a certificate named as issuer was found but its signature did not verify. */
  readonly signatureMismatch: boolean;
}

/** A certificate's names as one line, e.g. `CN=Contoso Issuing CA, O=Contoso`. */
export function nameLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/**
 * Orders `pool` into the chain of `leaf`, as validation builds it: leaf, intermediates, root.
 *
 * The same chain builder as validation (`chain-builder.ts`): every candidate path, and the one Windows would
 * choose kept, so an expired cross-signed copy of a root loses to the valid root beside it and a
 * key-rollover CA (same name, signed by the old key) is a link, not the root. Certificates of the pool that
 * are not in the chain are left out; an incomplete chain names the issuer missing above its last certificate.
 */
export function orderChain<T extends { x509: X509Certificate }>(leaf: T, pool: readonly T[], now: Date = new Date()): OrderedChain<T> {
  const members = [leaf, ...pool.filter((c) => c.x509.fingerprint256 !== leaf.x509.fingerprint256)];
  const x509s = members.map((c) => c.x509);
  const built = chainOf(x509s, x509s.map((x509) => certificateFacts(x509.raw, x509)), 0, now);
  const chain = built.path.map((i) => members[i]!);
  if (built.stop.kind === 'root') return { chain, complete: true, missingIssuer: null, signatureMismatch: false };
  return {
    chain,
    complete: false,
    missingIssuer: nameLine(chain[chain.length - 1]!.x509.issuer),
    signatureMismatch: built.stop.kind === 'signature-invalid' || built.stop.kind === 'issuer-key-unreadable',
  };
}
