/**
 * `azs-rotate inspect`: what a PFX holds, for operators comparing files and support engineers.
 */
import { extensionName } from '../../../shared/certificates/critical-extensions';
import type { PfxBag, PfxMac } from '../../../shared/certificates/pfx-contents';
import type { PrivateKeyFacts } from '../../../shared/certificates/facts';
import { readPfxFacts } from './pfx-facts';

/** One certificate as `inspect` shows it. */
export interface InspectedCertificate {
  readonly index: number;
  readonly role: 'leaf' | 'intermediate' | 'root' | 'other';
  readonly subject: string;
  readonly issuer: string;
  readonly sans: string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: string;
  readonly keyBits: number | null;
  readonly keyCurve: string | null;
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOid: string;
  readonly thumbprint: string;
  readonly serialNumber: string;
  readonly isCa: boolean;
  /**
   * What is wrong with this certificate, one sentence each: parts that cannot be read (an extension that
   * is not DER, a public key OpenSSL cannot decode, an empty name) and CA-role problems in the chain.
   */
  readonly problems: string[];
}

/** The `inspect --json` document (schemaVersion 1). */
export interface PfxInspection {
  readonly schemaVersion: 1;
  readonly file: string;
  readonly sizeBytes: number;
  readonly opened: boolean;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly mac: PfxMac | null;
  readonly bags: PfxBag[];
  readonly certificates: InspectedCertificate[];
  readonly privateKey: PrivateKeyFacts & { readonly present: boolean };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads a PFX and describes its bags, algorithms, certificates and key. */
export function inspectPfx(file: string, password: string): PfxInspection {
  const facts = readPfxFacts(file, password, file);
  const path = facts.chain.path;
  return {
    schemaVersion: 1,
    file,
    sizeBytes: facts.sizeBytes,
    opened: facts.openError === null,
    error: facts.openError,
    mac: facts.mac,
    bags: facts.bags,
    certificates: facts.certificates.map((c, index) => ({
      index,
      role: index === facts.chain.leafIndex ? 'leaf' : !path.includes(index) ? 'other' : c.selfSigned ? 'root' : 'intermediate',
      subject: c.subject,
      issuer: c.issuer,
      sans: c.dnsNames,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      keyType: c.publicKey.type,
      keyBits: c.publicKey.bits,
      keyCurve: c.publicKey.curve,
      signatureAlgorithm: c.signature.name,
      signatureAlgorithmOid: c.signature.oid,
      thumbprint: c.thumbprint,
      serialNumber: c.serialNumber,
      isCa: c.isCa,
      problems: [
        ...c.defects.map((d) => `${capitalized(d.message)}.`),
        ...c.unsupportedCriticalExtensions.map((oid) => `It marks the ${extensionName(oid)} critical, which Windows does not process: Windows rejects the certificate.`),
        ...facts.chain.problems.filter((p) => p.index === index).map((p) => `${capitalized(p.message)}.`),
      ],
    })),
    privateKey: { present: facts.privateKey.count > 0, ...facts.privateKey },
  };
}
