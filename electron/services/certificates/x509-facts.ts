/**
 * Extracts {@link CertificateFacts} from a DER certificate.
 *
 * Node's native `X509Certificate` (OpenSSL) gives names, validity, fingerprints, the public key and
 * signature checks fast; the extensions the rules need beyond that (key usage bits, EKU, SAN dNSNames,
 * CRL URLs, basic constraints, key identifiers, the signature algorithm, the names as DER) are read with
 * node-forge's ASN.1 decoder, which also copes with non-RSA keys that forge's own certificate parser
 * rejects. Whatever cannot be read is recorded as a defect, never thrown.
 */
import { X509Certificate } from 'node:crypto';
import forge from './forge-lite';
import { extensionName, windowsProcessesCritical } from '../../../shared/certificates/critical-extensions';
import { buildChain, type SignatureCheck } from '../../../shared/certificates/chain-builder';
import type { CertificateDefect, CertificateFacts, ChainFacts } from '../../../shared/certificates/facts';
import type { Asn1 } from './asn1';
import { bytesOf, children, decodeAsn1, derOf, integerOf, isContext, oidOf } from './asn1';

const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string | null }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', hash: null },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const EXT = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** Public-key algorithms by OID, to name a key OpenSSL cannot decode. */
const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '2.16.840.1.101.3.4.4.1': 'ML-KEM-512',
  '2.16.840.1.101.3.4.4.2': 'ML-KEM-768',
  '2.16.840.1.101.3.4.4.3': 'ML-KEM-1024',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};
const DSA_OID = '1.2.840.10040.4.1';
/** Kinds OpenSSL 3.0 reads: a key of one of these that does not decode is damaged, not unsupported. */
const DECODABLE_KEY_ALGORITHMS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10', DSA_OID, '1.2.840.10045.2.1', '1.3.101.110', '1.3.101.111', '1.3.101.112', '1.3.101.113']);

function signatureOf(algorithm: Asn1): CertificateFacts['signature'] {
  const [oidNode, params] = children(algorithm, 'signature algorithm', 1);
  const oid = oidOf(oidNode, 'signature algorithm');
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { oid, name: oid, hash: null };
  if (oid === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS names its hash in the parameters ([0] hashAlgorithm, default SHA-1).
    const hashNode = Array.isArray(params?.value) ? (params.value as Asn1[]).find((n) => isContext(n, 0)) : undefined;
    const hashOid = hashNode ? oidOf(children(children(hashNode, 'PSS hash', 1)[0], 'PSS hash', 1)[0], 'PSS hash') : '1.3.14.3.2.26';
    const hash = HASH_OIDS[hashOid] ?? null;
    return { oid, name: `RSASSA-PSS (${hash ?? hashOid})`, hash };
  }
  return { oid, ...known };
}

function collectUris(node: Asn1, out: string[]): void {
  if (isContext(node, 6) && typeof node.value === 'string') out.push(node.value);
  else if (Array.isArray(node.value)) for (const child of node.value as Asn1[]) collectUris(child, out);
}

function hexOf(node: Asn1 | undefined, what: string): string {
  return bytesOf(node, what).toString('hex').toUpperCase();
}

interface Extensions {
  keyUsage: CertificateFacts['keyUsage'];
  extendedKeyUsage: string[] | null;
  dnsNames: string[];
  hasSanExtension: boolean;
  sanCritical: boolean;
  crlUrls: string[];
  basicConstraints: { present: boolean; ca: boolean; pathLength: number | null };
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  unsupportedCritical: string[];
}

/** Reads one extension's value into `result`; throws {@link Asn1ShapeError} when it has not the X.509 shape. */
function readExtension(id: string, value: Asn1, result: Extensions): void {
  if (id === EXT.keyUsage) {
    const bits = bytesOf(value, 'key usage');
    const first = bits.length > 1 ? bits[1]! : 0;
    result.keyUsage = { present: true, digitalSignature: (first & 0x80) !== 0, keyEncipherment: (first & 0x20) !== 0, keyCertSign: (first & 0x04) !== 0 };
  } else if (id === EXT.extKeyUsage) {
    result.extendedKeyUsage = children(value, 'extended key usage').map((n) => oidOf(n, 'key purpose'));
  } else if (id === EXT.subjectAltName) {
    const names = children(value, 'subject alternative names');
    result.hasSanExtension = true;
    for (const name of names) {
      if (isContext(name, 2) && typeof name.value === 'string') result.dnsNames.push(name.value);
    }
  } else if (id === EXT.crlDistributionPoints) {
    collectUris(value, result.crlUrls);
  } else if (id === EXT.basicConstraints) {
    const fields = children(value, 'basic constraints');
    const first = fields[0];
    const ca = !!first && first.type === forge.asn1.Type.BOOLEAN && first.value === '\xff';
    const lengthNode = fields.find((n) => n.type === forge.asn1.Type.INTEGER);
    result.basicConstraints = { present: true, ca, pathLength: lengthNode ? integerOf(lengthNode, 'path length constraint') : null };
  } else if (id === EXT.subjectKeyIdentifier) {
    result.subjectKeyId = hexOf(value, 'subject key identifier');
  } else if (id === EXT.authorityKeyIdentifier) {
    const keyId = children(value, 'authority key identifier').find((n) => isContext(n, 0));
    result.authorityKeyId = keyId ? hexOf(keyId, 'authority key identifier') : null;
  }
}

/**
 * Reads the extensions the rules need. Never throws: an extension whose value is not DER, or not the
 * structure X.509 gives it, becomes a defect and leaves its facts at "absent".
 */
function readExtensions(wrapper: Asn1 | undefined, defects: CertificateDefect[]): Extensions {
  const result: Extensions = {
    keyUsage: { present: false, digitalSignature: false, keyEncipherment: false, keyCertSign: false },
    extendedKeyUsage: null,
    dnsNames: [],
    hasSanExtension: false,
    sanCritical: false,
    crlUrls: [],
    basicConstraints: { present: false, ca: false, pathLength: null },
    subjectKeyId: null,
    authorityKeyId: null,
    unsupportedCritical: [],
  };
  if (!wrapper) return result;
  let list: Asn1[];
  try {
    list = children(children(wrapper, 'extensions', 1)[0], 'extensions');
  } catch (error) {
    defects.push({ part: 'extension', oid: null, message: `its extensions are not a valid list (${messageOf(error)})` });
    return result;
  }
  for (const extension of list) {
    let id: string;
    let critical: boolean;
    let bytes: Buffer;
    try {
      const fields = children(extension, 'extension', 2);
      id = oidOf(fields[0], 'extension id');
      critical = fields.length > 2 && fields[1]!.type === forge.asn1.Type.BOOLEAN && fields[1]!.value === '\xff';
      bytes = bytesOf(fields[fields.length - 1], 'extension value');
    } catch (error) {
      defects.push({ part: 'extension', oid: null, message: `one of its extensions is not a valid Extension (${messageOf(error)})` });
      continue;
    }
    // Recorded before the value is read: Windows refuses an unprocessed critical extension whatever it holds.
    if (critical && !windowsProcessesCritical(id) && !result.unsupportedCritical.includes(id)) result.unsupportedCritical.push(id);
    let value: Asn1;
    try {
      value = decodeAsn1(bytes);
    } catch {
      defects.push({ part: 'extension', oid: id, message: `its ${extensionName(id)} is not valid DER` });
      continue;
    }
    try {
      readExtension(id, value, result);
      if (id === EXT.subjectAltName) result.sanCritical = critical;
    } catch (error) {
      defects.push({ part: 'extension', oid: id, message: `its ${extensionName(id)} does not have the structure X.509 defines (${messageOf(error)})` });
    }
  }
  return result;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function nameLines(name: string | undefined): string[] {
  // Node gives no subject (undefined) for an empty name.
  return (name ?? '').split('\n').filter(Boolean);
}

/** The TBSCertificate fields by name; `version` 1 when the [0] field is absent. */
interface TbsParts {
  version: number;
  signature: Asn1 | undefined;
  issuer: Asn1 | undefined;
  subject: Asn1 | undefined;
  spki: Asn1 | undefined;
  extensions: Asn1 | undefined;
}

function tbsParts(tbs: Asn1[]): TbsParts {
  const hasVersion = isContext(tbs[0], 0);
  const at = hasVersion ? 1 : 0;
  return {
    version: hasVersion ? integerOf(children(tbs[0], 'version', 1)[0], 'version') + 1 : 1,
    signature: tbs[at + 1],
    issuer: tbs[at + 2],
    subject: tbs[at + 4],
    spki: tbs[at + 5],
    extensions: tbs.slice(at + 6).find((n) => isContext(n, 3)),
  };
}

function keyAlgorithmOid(spki: Asn1 | undefined): string | null {
  try {
    return oidOf(children(children(spki, 'subjectPublicKeyInfo', 2)[0], 'key algorithm', 1)[0], 'key algorithm');
  } catch {
    return null;
  }
}

function describeUnreadableKey(oid: string | null, spki: Asn1 | undefined): string {
  const name = oid ? (KEY_ALGORITHMS[oid] ?? null) : null;
  const what = oid ? `${name ?? 'unknown algorithm'}, ${oid}` : 'algorithm unreadable';
  if (oid === DSA_OID) {
    const algorithm = children(children(spki, 'subjectPublicKeyInfo', 2)[0], 'key algorithm', 1);
    if (algorithm.length < 2 || algorithm[1]!.type === forge.asn1.Type.NULL) {
      return `its public key (${what}) cannot be read, because its DSA parameters are left out (to be inherited from the issuer's key), which OpenSSL does not support`;
    }
  }
  if (oid && name && DECODABLE_KEY_ALGORITHMS.has(oid)) return `its public key (${what}) is damaged: OpenSSL cannot decode it`;
  return `its public key (${what}) is of a kind OpenSSL ${process.versions.openssl} cannot read`;
}

/**
 * Reads the facts of one DER certificate; `x509` may be passed when the caller already parsed it.
 *
 * Never throws for what the certificate holds: a part that cannot be read (an extension value that is not
 * DER, a public key OpenSSL cannot decode, a name that is empty where it must not be) becomes an entry of
 * `defects`, so the file gets a finding naming it and every other file is still validated.
 */
export function certificateFacts(der: Buffer, x509: X509Certificate = parseCertificate(der)): CertificateFacts {
  // CA certificates recur in every file of a share (see parseCertificate below): their facts, a pure
  // function of the bytes, are read once a thread. Callers treat facts as read-only.
  const key = x509.ca ? der.toString('latin1') : null;
  const known = key === null ? undefined : caCertificateFacts.get(key);
  if (known) return known;
  const facts = readCertificateFacts(der, x509);
  if (key !== null) {
    if (caCertificateFacts.size >= MAX_PARSED_CA_CERTIFICATES) caCertificateFacts.clear();
    caCertificateFacts.set(key, facts);
  }
  return facts;
}

/** Facts of CA certificates by DER (latin1 key), like {@link parseCertificate}'s objects. */
const caCertificateFacts = new Map<string, CertificateFacts>();

function readCertificateFacts(der: Buffer, x509: X509Certificate): CertificateFacts {
  const defects: CertificateDefect[] = [];
  let parts: TbsParts | null = null;
  let algorithm: Asn1 | undefined;
  try {
    const [tbsNode, signatureAlgorithm] = children(decodeAsn1(der), 'certificate', 3);
    parts = tbsParts(children(tbsNode, 'tbsCertificate', 6));
    algorithm = signatureAlgorithm;
  } catch (error) {
    defects.push({ part: 'structure', oid: null, message: `it is not a DER certificate (${messageOf(error)})` });
  }
  const extensions = readExtensions(parts?.extensions, defects);
  const subjectDer = nameDer(parts?.subject);
  const issuerDer = nameDer(parts?.issuer);
  const subjectLines = nameLines(x509.subject);
  const issuerLines = nameLines(x509.issuer);
  if (parts && issuerLines.length === 0) defects.push({ part: 'issuer', oid: null, message: 'its issuer name is empty (RFC 5280 requires one)' });
  if (parts && subjectLines.length === 0) {
    if (extensions.basicConstraints.ca) defects.push({ part: 'subject', oid: null, message: 'its subject name is empty, which a CA certificate may not have' });
    else if (!extensions.sanCritical) defects.push({ part: 'subject', oid: null, message: 'its subject name is empty and its subject alternative name extension is missing or not critical (RFC 5280 4.1.2.6)' });
  }
  let signature: CertificateFacts['signature'] = { oid: 'unknown', name: 'unreadable', hash: null };
  try {
    if (algorithm) signature = signatureOf(algorithm);
  } catch (error) {
    defects.push({ part: 'signature-algorithm', oid: null, message: `its signature algorithm cannot be read (${messageOf(error)})` });
  }
  const cn = subjectLines.find((l) => l.startsWith('CN='));
  let publicKey: CertificateFacts['publicKey'];
  try {
    const key = x509.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    publicKey = { type: key.asymmetricKeyType ?? 'unknown', bits: details.modulusLength ?? null, curve: details.namedCurve ?? null, readable: true };
  } catch {
    const oid = keyAlgorithmOid(parts?.spki);
    publicKey = { type: (oid && KEY_ALGORITHMS[oid]?.toLowerCase()) ?? oid ?? 'unknown', bits: null, curve: null, readable: false };
    let message: string;
    try {
      message = describeUnreadableKey(oid, parts?.spki);
    } catch {
      message = 'its public key cannot be read';
    }
    defects.push({ part: 'public-key', oid, message });
  }
  // Names compare as DER; without them (a certificate forge cannot decode) fall back to Node's text.
  const selfIssued = subjectLines.length > 0 && (subjectDer && issuerDer ? subjectDer === issuerDer : x509.subject === x509.issuer);
  return {
    subject: subjectLines.join(', '),
    issuer: issuerLines.join(', '),
    subjectDer,
    issuerDer,
    version: parts?.version ?? 3,
    subjectCn: cn ? cn.slice(3) : null,
    dnsNames: extensions.dnsNames,
    hasSanExtension: extensions.hasSanExtension,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    serialNumber: x509.serialNumber.toUpperCase(),
    signature,
    publicKey,
    keyUsage: extensions.keyUsage,
    basicConstraints: extensions.basicConstraints,
    subjectKeyId: extensions.subjectKeyId,
    authorityKeyId: extensions.authorityKeyId,
    unsupportedCriticalExtensions: extensions.unsupportedCritical,
    extendedKeyUsage: extensions.extendedKeyUsage,
    crlUrls: extensions.crlUrls,
    isCa: extensions.basicConstraints.ca || x509.ca,
    selfIssued,
    selfSigned: selfIssued && publicKey.readable && safeVerify(x509, x509),
    defects,
  };
}

function nameDer(node: Asn1 | undefined): string {
  if (!node) return '';
  try {
    return derOf(node).toString('hex');
  } catch {
    return '';
  }
}

// Every PFX of a share carries the same intermediate and root certificates, so each thread parses and
// checks those once rather than once a file: under OpenSSL 3.0 parsing a certificate costs ~115 µs and a
// signature check ~40 µs, and a file had two CA certificates to parse and three of its four signatures to
// check. Both are pure functions of the bytes, so reusing the results changes no outcome. Only CA
// certificates are kept: a leaf appears in one file, and keeping leaves would only make a repeated
// validation of the same files (a benchmark) look faster than a first one.

/** Parsed CA certificates by DER (as a latin1 string key); cleared when full, it only ever saves work. */
const parsedCaCertificates = new Map<string, X509Certificate>();
const MAX_PARSED_CA_CERTIFICATES = 256;

/**
 * Parses a DER certificate, reusing the object this thread parsed earlier for the same CA certificate.
 *
 * Throws like `new X509Certificate` for bytes that are not a certificate.
 */
export function parseCertificate(der: Buffer): X509Certificate {
  const key = der.toString('latin1');
  const known = parsedCaCertificates.get(key);
  if (known) return known;
  const x509 = new X509Certificate(der);
  if (x509.ca) {
    if (parsedCaCertificates.size >= MAX_PARSED_CA_CERTIFICATES) parsedCaCertificates.clear();
    parsedCaCertificates.set(key, x509);
  }
  return x509;
}

/** Outcomes of {@link safeVerify} by certificate, then issuer (objects, so a dropped certificate drops its entries). */
const verifications = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();

/** True when `cert`'s signature verifies with `issuer`'s public key (false on any error). */
export function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  let byIssuer = verifications.get(cert);
  const known = byIssuer?.get(issuer);
  if (known !== undefined) return known;
  let verified: boolean;
  try {
    verified = cert.verify(issuer.publicKey);
  } catch {
    verified = false;
  }
  if (!byIssuer) verifications.set(cert, (byIssuer = new WeakMap()));
  byIssuer.set(issuer, verified);
  return verified;
}

/**
 * The chain of `leafIndex` among `x509s` (one file's certificates, or a pool to order), judged at `now`.
 *
 * Every candidate path, the best kept (`chain-builder.ts`), with signatures checked by OpenSSL.
 */
export function chainOf(x509s: readonly X509Certificate[], facts: readonly CertificateFacts[], leafIndex: number | null, now: Date): Pick<ChainFacts, 'path' | 'stop' | 'problems'> {
  const verify = (subject: number, issuer: number): SignatureCheck => {
    if (!facts[issuer]!.publicKey.readable) return 'unreadable-key';
    return safeVerify(x509s[subject]!, x509s[issuer]!) ? 'valid' : 'invalid';
  };
  return buildChain({ certificates: facts, leafIndex, verify, now });
}
