/**
 * PKCS#10 certificate signing requests as the Azure Stack Hub certificate requirements want them.
 *
 * Subject = the operator's organisation fields plus CN = the first DNS name; key usage Digital
 * Signature + Key Encipherment (critical); extended key usage Server + Client Authentication; SAN = the
 * endpoint's documented names; RSA with SHA-256 or stronger. The structure is encoded here and signed by
 * Node's crypto, so generating two dozen requests costs the key generation and nothing more.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey, sign } from 'node:crypto';
import type { Node } from './der';
import { algorithm, bits, encode, implicitConstructed, implicitPrimitive, int, octets, oid, pemBlock, printable, raw, seq, set, utf8, yes } from './der';

/** Attribute types the `--subject` text may hold, with their OIDs (CN comes from the DNS names). */
export const SUBJECT_ATTRIBUTES = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
} as const;

/** One attribute of a subject name. */
export interface SubjectAttribute {
  readonly type: keyof typeof SUBJECT_ATTRIBUTES | 'CN';
  readonly value: string;
}

/** Signature hashes offered for requests: SHA-256 or stronger. */
export const SIGNATURE_HASHES = ['sha256', 'sha384', 'sha512'] as const;
/** A signature hash. */
export type SignatureHash = (typeof SIGNATURE_HASHES)[number];

/** RSA key sizes offered. */
export const KEY_SIZES = [2048, 3072, 4096] as const;

const OIDS = {
  cn: '2.5.4.3',
  extensionRequest: '1.2.840.113549.1.9.14',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const RSA_SIGNATURE_OIDS: Record<SignatureHash, string> = {
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};

// X.520 upper bounds; a CA rejects longer values, better to say so before the request leaves.
const MAX_LENGTH: Record<SubjectAttribute['type'], number> = { C: 2, ST: 128, L: 128, O: 64, OU: 64, CN: 64 };

/**
 * Parses `C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub` into attributes, in the given order.
 *
 * `\,` escapes a comma inside a value. Throws an `Error` whose message names the bad part; the CN is
 * refused because it is always the first DNS name of the request.
 */
export function parseSubject(text: string): SubjectAttribute[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += text[++i];
    } else if (char === ',') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  const attributes: SubjectAttribute[] = [];
  for (const part of parts) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`"${part.trim()}" is not TYPE=value (for example O=Contoso).`);
    const type = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim();
    if (type === 'CN') throw new Error('CN is not set by --subject: it is always the first DNS name of the request.');
    const canonical = type === 'S' ? 'ST' : type;
    if (!(canonical in SUBJECT_ATTRIBUTES)) throw new Error(`"${type}" is not one of C, ST, L, O, OU.`);
    if (!value) throw new Error(`${canonical} has no value.`);
    const attribute = { type: canonical as keyof typeof SUBJECT_ATTRIBUTES, value };
    const problem = attributeProblem(attribute);
    if (problem) throw new Error(problem);
    attributes.push(attribute);
  }
  if (attributes.length === 0) throw new Error('The subject is empty: give at least O=… (for example "C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub").');
  return attributes;
}

function attributeProblem(attribute: SubjectAttribute): string | null {
  if (attribute.type === 'C' && !/^[A-Z]{2}$/.test(attribute.value)) return `C must be a two-letter country code such as US (found "${attribute.value}").`;
  if (attribute.value.length > MAX_LENGTH[attribute.type]) {
    return `${attribute.type} is ${attribute.value.length} characters long; the limit is ${MAX_LENGTH[attribute.type]}.`;
  }
  return null;
}

/** The subject as text, e.g. `C=US, O=Contoso, CN=portal.east.x.com` (display and the request record). */
export function subjectText(attributes: readonly SubjectAttribute[]): string {
  return attributes.map((a) => `${a.type}=${a.value}`).join(', ');
}

function rdn(type: SubjectAttribute['type'], value: string): Node {
  const typeOid = type === 'CN' ? OIDS.cn : SUBJECT_ATTRIBUTES[type];
  return set([seq([oid(typeOid), type === 'C' ? printable(value) : utf8(value)])]);
}

/** What one request holds. */
export interface RequestSpec {
  /** Subject attributes without the CN; the CN is `dnsNames[0]`. */
  readonly subject: readonly SubjectAttribute[];
  /**
   * Subject RDNs taken as they are from a certificate being renewed (DER of each RDN SET, CN removed);
   * used instead of `subject` when present so the renewed name keeps its exact encoding.
   */
  readonly subjectRdns?: readonly Buffer[];
  readonly dnsNames: readonly string[];
  readonly privateKey: KeyObject;
  readonly hash: SignatureHash;
}

/** SAN extension value: every DNS name as a dNSName (`[2] IA5String`). */
function sanValue(dnsNames: readonly string[]): Buffer {
  return encode(seq(dnsNames.map((name) => implicitPrimitive(2, name))));
}

function extension(id: string, critical: boolean, value: Buffer): Node {
  return seq(critical ? [oid(id), yes(), octets(value)] : [oid(id), octets(value)]);
}

/**
 * Builds and signs a request; returns its DER.
 *
 * The CN is the first DNS name (the certificate requirements and the Readiness Checker expect it among
 * the SANs); the key usage extension is critical, as CA templates for TLS servers set it.
 */
export function buildRequest(spec: RequestSpec): Buffer {
  const cn = spec.dnsNames[0];
  if (!cn) throw new Error('A request needs at least one DNS name.');
  const name = seq([
    ...(spec.subjectRdns ? spec.subjectRdns.map((der) => raw(der)) : spec.subject.map((a) => rdn(a.type, a.value))),
    rdn('CN', cn),
  ]);
  const spki = createPublicKey(spec.privateKey).export({ type: 'spki', format: 'der' });
  // digitalSignature (bit 0) + keyEncipherment (bit 2) = 1010 0000, five unused trailing bits.
  const keyUsage = encode(bits(Buffer.from([0xa0]), 5));
  const extKeyUsage = encode(seq([oid(OIDS.serverAuth), oid(OIDS.clientAuth)]));
  const extensions = seq([
    extension(OIDS.keyUsage, true, keyUsage),
    extension(OIDS.extKeyUsage, false, extKeyUsage),
    extension(OIDS.subjectAltName, false, sanValue(spec.dnsNames)),
  ]);
  const info = seq([int(0), name, raw(spki), implicitConstructed(0, [seq([oid(OIDS.extensionRequest), set([extensions])])])]);
  const infoDer = encode(info);
  const signature = sign(spec.hash, infoDer, spec.privateKey);
  return encode(seq([raw(infoDer), algorithm(RSA_SIGNATURE_OIDS[spec.hash]), bits(signature)]));
}

/** PEM of a request, as CAs and `certreq` accept it. */
export function requestPem(der: Buffer): string {
  return pemBlock('CERTIFICATE REQUEST', der);
}
