/**
 * Opens one PFX file and turns it into {@link PfxFacts}: certificates, chain, key match and CA kind.
 *
 * This is the CPU-heavy part of validation (key derivation, decryption, signature checks), run in
 * worker threads by the share validator. It never throws for bad input: an unreadable, empty, oversized,
 * non-PKCS#12 or wrong-password file yields facts with `openError` set and a specific message.
 */
import type { KeyObject, X509Certificate as X509CertificateType } from 'node:crypto';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { ChainFacts, PfxFacts, PrivateKeyFacts } from '../../../shared/certificates/facts';
import type { CaKind } from '../../../shared/stamps/stamp';
import { NOT_A_REGULAR_FILE, describeFsCode, describeFsError } from './fs-errors';
import { Pkcs12Error, readPkcs12 } from './pkcs12-reader';
import { importPrivateKey } from './private-key';
import { certificateFacts, chainOf, parseCertificate, safeVerify } from './x509-facts';

/** Files larger than this are refused unread: real PFX files are a few kilobytes. */
export const MAX_PFX_BYTES = 1024 * 1024;

/** Subject marker of Azure Stack Hub's own deployment root CA. */
const SELF_SIGNED_DEPLOYMENT_CA = /AzureStackSelfSignedRootCert/i;

let publicRootDers: Set<string> | null = null;
let publicRootCertificates: X509CertificateType[] | null = null;

/**
 * The DER of the public roots shipped with Node (Mozilla's store), base64 as their PEM bodies hold it:
 * the offline stand-in for Microsoft's program. A root is looked up by its own base64 DER, which needs no
 * parsing or hashing of the ~140 roots (a SHA-256 fingerprint of each took 20-40 ms at a process's first
 * lookup, a tenth of a one-shot CLI run).
 */
function publicRootDerSet(): Set<string> {
  publicRootDers ??= new Set(rootCertificates.map((pem) => pem.slice(pem.indexOf('\n') + 1, pem.lastIndexOf('\n-----END')).replaceAll('\n', '')));
  return publicRootDers;
}

/** The parsed public roots, for the rare chain that stops below a root not in the PFX. */
function publicRoots(): X509CertificateType[] {
  publicRootCertificates ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return publicRootCertificates;
}

function emptyFacts(file: string, sizeBytes: number, code: string, message: string): PfxFacts {
  return {
    file,
    sizeBytes,
    openError: { code, message },
    mac: null,
    bags: [],
    certificates: [],
    privateKey: { count: 0, type: null, bits: null, matchesLeaf: null, machineKeySet: false },
    chain: { leafIndex: null, leafBy: null, path: [], stop: { kind: 'none' }, problems: [] },
    caKind: null,
    rootThumbprint: null,
    crl: null,
  };
}

/**
 * The CA kind of a self-signed root: Azure Stack Hub's deployment CA, a public root (in Node's store),
 * or else an enterprise CA.
 */
export function rootCaKind(root: X509CertificateType): CaKind {
  if (SELF_SIGNED_DEPLOYMENT_CA.test(root.subject)) return 'self-signed';
  return publicRootDerSet().has(root.raw.toString('base64')) ? 'public' : 'enterprise';
}

function caKindOf(certs: readonly X509CertificateType[], chain: Pick<ChainFacts, 'path' | 'stop'>): CaKind | null {
  if (chain.path.length === 0) return null;
  const top = certs[chain.path[chain.path.length - 1]!]!;
  if (chain.stop.kind === 'root') return rootCaKind(top);
  if (chain.stop.kind === 'issuer-missing') {
    return publicRoots().some((r) => top.checkIssued(r) && safeVerify(top, r)) ? 'public' : null;
  }
  return null;
}

/**
 * The CA kind of a chain a TLS server served (leaf first, in the order sent): the "from" kind of a stamp.
 *
 * Judged like a PFX's chain (issuers found by signature, the root by {@link rootCaKind}, a missing root
 * looked up in Node's public store), with two differences for live endpoints. A lone self-signed
 * certificate is `self-signed`: no CA issued it. And servers normally leave their root out, so a chain
 * stopping below a root that is not public is still judged: the deployment CA when its name is the
 * issuer, else an enterprise CA (a private root, as the public store approximates the Trusted Root
 * Program). Null when a signature in the chain does not verify.
 */
export function servedChainCaKind(served: readonly X509CertificateType[], now: Date = new Date()): CaKind | null {
  if (served.length === 0) return null;
  const certs = [...served];
  const chain = chainOf(certs, certs.map((c) => certificateFacts(c.raw, c)), 0, now);
  if (chain.stop.kind === 'root' && chain.path.length === 1) return 'self-signed';
  const kind = caKindOf(certs, chain);
  if (kind || chain.stop.kind !== 'issuer-missing') return kind;
  return SELF_SIGNED_DEPLOYMENT_CA.test(chain.stop.issuer) ? 'self-signed' : 'enterprise';
}

/**
 * Reads the facts of one PFX file with the share password.
 *
 * `file` is the path to read; `displayName` is how messages and the report name it; `now` is when the
 * chain's time validity is judged (it ranks candidate paths). Never throws: should reading fail in a way
 * no check foresaw, the file gets an `internal` open error naming it, and a share's other files are
 * still validated.
 */
export function readPfxFacts(file: string, password: string, displayName = file, now: Date = new Date()): PfxFacts {
  try {
    return readPfxFactsOrThrow(file, password, displayName, now);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return emptyFacts(displayName, 0, 'internal', `the validator failed on this file (${reason.replace(/\s+/g, ' ').trim()}), so it was not checked; the other files were`);
  }
}

function readPfxFactsOrThrow(file: string, password: string, displayName: string, now: Date): PfxFacts {
  let bytes: Buffer;
  let size = 0;
  try {
    const stat = statSync(file);
    size = stat.size;
    if (stat.isDirectory()) return emptyFacts(displayName, 0, 'unreadable', describeFsCode('EISDIR'));
    if (!stat.isFile()) return emptyFacts(displayName, 0, 'unreadable', NOT_A_REGULAR_FILE);
    if (size > MAX_PFX_BYTES) {
      return emptyFacts(displayName, size, 'not-pkcs12', `the file is ${(size / 1048576).toFixed(1)} MB, far larger than any PFX (limit 1 MB): it is not a certificate file`);
    }
    bytes = readFileSync(file);
  } catch (error) {
    return emptyFacts(displayName, size, 'unreadable', describeFsError(error));
  }
  let contents;
  try {
    contents = readPkcs12(bytes, password);
  } catch (error) {
    if (error instanceof Pkcs12Error) return emptyFacts(displayName, size, error.code, error.message);
    return emptyFacts(displayName, size, 'corrupt', `the PFX file is damaged (${(error as Error).message})`);
  }
  const x509s: X509CertificateType[] = [];
  for (const [position, c] of contents.certificates.entries()) {
    try {
      x509s.push(parseCertificate(c.der));
    } catch {
      const ordinal = `certificate ${position + 1} of ${contents.certificates.length} (bag ${c.bagIndex + 1})`;
      return emptyFacts(displayName, size, 'corrupt', `${ordinal} inside the PFX is damaged and cannot be parsed as X.509`);
    }
  }
  const certificates = contents.certificates.map((c, i) => certificateFacts(c.der, x509s[i]));
  const keyFacts: { -readonly [K in keyof PrivateKeyFacts]: PrivateKeyFacts[K] } & { leafIndex: number | null } = { count: contents.keys.length, type: null, bits: null, matchesLeaf: null, machineKeySet: false, leafIndex: null };
  const firstKey = contents.keys[0];
  if (firstKey) {
    const bag = contents.bags[firstKey.bagIndex];
    keyFacts.machineKeySet = bag?.machineKeySet ?? false;
    let privateKey: KeyObject;
    try {
      privateKey = importPrivateKey(firstKey.pkcs8);
    } catch {
      // Only the import reads the key's bytes. Whatever fails after it is a fault of the validator, which
      // readPfxFacts reports as one, not as a damaged key.
      return emptyFacts(displayName, size, 'corrupt', 'the private key inside the PFX is damaged and cannot be parsed');
    }
    keyFacts.type = privateKey.asymmetricKeyType ?? null;
    keyFacts.bits = privateKey.asymmetricKeyDetails?.modulusLength ?? null;
    // Compares key values (OpenSSL's EVP_PKEY_eq) rather than SPKI encodings: exporting DER costs
    // ~130 µs a key in OpenSSL 3's encoders, four times a file, while the comparison is ~1 µs.
    const publicKey = createPublicKey(privateKey);
    // A certificate whose public key OpenSSL cannot decode matches no key (its defect is reported).
    const match = x509s.findIndex((x, i) => certificates[i]!.publicKey.readable && x.publicKey.equals(publicKey));
    keyFacts.leafIndex = match >= 0 ? match : null;
  }
  let leafIndex: number | null = keyFacts.leafIndex;
  let leafBy: ChainFacts['leafBy'] = leafIndex !== null ? 'private-key' : null;
  if (leafIndex === null && certificates.length > 0) {
    const nonCa = certificates.map((c, i) => ({ c, i })).filter(({ c }) => !c.isCa);
    leafIndex = nonCa.length === 1 ? nonCa[0]!.i : 0;
    leafBy = nonCa.length === 1 ? 'not-ca' : 'first';
  }
  if (firstKey) keyFacts.matchesLeaf = keyFacts.leafIndex !== null ? keyFacts.leafIndex === leafIndex : certificates.length > 0 ? false : null;
  const chain = chainOf(x509s, certificates, leafIndex, now);
  const { leafIndex: _unused, ...privateKey } = keyFacts;
  return {
    file: displayName,
    sizeBytes: size,
    openError: null,
    mac: contents.mac,
    bags: contents.bags,
    certificates,
    privateKey,
    chain: { leafIndex, leafBy, ...chain },
    caKind: caKindOf(x509s, chain),
    rootThumbprint: chain.stop.kind === 'root' ? certificates[chain.path[chain.path.length - 1]!]!.thumbprint : null,
    crl: null,
  };
}
