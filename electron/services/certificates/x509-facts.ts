/**
 * Extracts {@link CertificateFacts} from a DER certificate.
 *
 * Node's native `X509Certificate` (OpenSSL) gives names, validity, fingerprints, the public key and
 * signature checks fast; the extensions the rules need beyond that (key usage bits, EKU, SAN dNSNames,
 * CRL URLs, basic constraints, the signature algorithm) are read from the DER with node-forge's ASN.1
 * decoder, which also copes with non-RSA keys that forge's own certificate parser rejects.
 */
import { X509Certificate } from 'node:crypto';
import forge from './forge-lite';
import type { CertificateFacts } from '../../../shared/certificates/facts';
import type { Asn1 } from './asn1';
import { bytesOf, children, decodeAsn1, isContext, oidOf } from './asn1';

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
} as const;

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

interface Extensions {
  keyUsage: CertificateFacts['keyUsage'];
  extendedKeyUsage: string[] | null;
  dnsNames: string[];
  hasSanExtension: boolean;
  crlUrls: string[];
  isCa: boolean;
}

function readExtensions(tbs: Asn1[]): Extensions {
  const result: Extensions = {
    keyUsage: { present: false, digitalSignature: false, keyEncipherment: false },
    extendedKeyUsage: null,
    dnsNames: [],
    hasSanExtension: false,
    crlUrls: [],
    isCa: false,
  };
  const wrapper = tbs.find((n) => isContext(n, 3));
  if (!wrapper) return result;
  for (const extension of children(children(wrapper, 'extensions', 1)[0], 'extensions')) {
    const fields = children(extension, 'extension', 2);
    const id = oidOf(fields[0], 'extension id');
    const value = decodeAsn1(bytesOf(fields[fields.length - 1], 'extension value'));
    if (id === EXT.keyUsage) {
      const bits = bytesOf(value, 'key usage');
      const first = bits.length > 1 ? bits[1]! : 0;
      result.keyUsage = { present: true, digitalSignature: (first & 0x80) !== 0, keyEncipherment: (first & 0x20) !== 0 };
    } else if (id === EXT.extKeyUsage) {
      result.extendedKeyUsage = children(value, 'extended key usage').map((n) => oidOf(n, 'key purpose'));
    } else if (id === EXT.subjectAltName) {
      result.hasSanExtension = true;
      for (const name of children(value, 'subject alternative names')) {
        if (isContext(name, 2) && typeof name.value === 'string') result.dnsNames.push(name.value);
      }
    } else if (id === EXT.crlDistributionPoints) {
      collectUris(value, result.crlUrls);
    } else if (id === EXT.basicConstraints) {
      const first = Array.isArray(value.value) ? (value.value as Asn1[])[0] : undefined;
      result.isCa = !!first && first.type === forge.asn1.Type.BOOLEAN && first.value === '\xff';
    }
  }
  return result;
}

function nameLines(name: string): string[] {
  return name.split('\n').filter(Boolean);
}

/** Reads the facts of one DER certificate; `x509` may be passed when the caller already parsed it. */
export function certificateFacts(der: Buffer, x509: X509Certificate = parseCertificate(der)): CertificateFacts {
  const [tbsNode, algorithm] = children(decodeAsn1(der), 'certificate', 3);
  const tbs = children(tbsNode, 'tbsCertificate', 6);
  const extensions = readExtensions(tbs);
  const subjectLines = nameLines(x509.subject);
  const cn = subjectLines.find((l) => l.startsWith('CN='));
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const selfIssued = x509.subject === x509.issuer;
  return {
    subject: subjectLines.join(', '),
    issuer: nameLines(x509.issuer).join(', '),
    subjectCn: cn ? cn.slice(3) : null,
    dnsNames: extensions.dnsNames,
    hasSanExtension: extensions.hasSanExtension,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    serialNumber: x509.serialNumber.toUpperCase(),
    signature: signatureOf(algorithm!),
    publicKey: { type: key.asymmetricKeyType ?? 'unknown', bits: details.modulusLength ?? null, curve: details.namedCurve ?? null },
    keyUsage: extensions.keyUsage,
    extendedKeyUsage: extensions.extendedKeyUsage,
    crlUrls: extensions.crlUrls,
    isCa: extensions.isCa || x509.ca,
    selfIssued,
    selfSigned: selfIssued && safeVerify(x509, x509),
  };
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
