/**
 * Small builders for DER structures (requests, PKCS#12 files), over node-forge's ASN.1 encoder.
 *
 * Only the encoder is used; keys, hashes, ciphers and signatures come from Node's crypto, which is
 * native and far faster than forge's JavaScript implementations.
 */
import forge from '../certificates/forge-lite';
import type { Asn1 } from '../certificates/asn1';
import { decodeAsn1, derOf } from '../certificates/asn1';

const { asn1 } = forge;

/** A node of the tree to encode. */
export type Node = Asn1;

const binary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');

/** SEQUENCE of `items`. */
export const seq = (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
/** SET OF `items`, in the order given (callers sort where DER requires it). */
export const set = (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
/** OBJECT IDENTIFIER from dotted text. */
export const oid = (dotted: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
/** Small non-negative INTEGER. */
export const int = (value: number): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
/** OCTET STRING. */
export const octets = (bytes: Uint8Array): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, binary(bytes));
/** NULL. */
export const nul = (): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
/** BOOLEAN TRUE (the only value DER writes explicitly: FALSE is the default and omitted). */
export const yes = (): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff');
/** UTF8String. */
export const utf8 = (text: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, Buffer.from(text, 'utf8').toString('binary'));
/** PrintableString (ASCII subset; callers check the characters). */
export const printable = (text: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, text);
/** BMPString, as PKCS#12 friendly names use (forge's encoder writes each character as UTF-16 big-endian). */
export const bmp = (text: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, text);
/** BIT STRING with no unused bits around `bytes`. */
export const bits = (bytes: Uint8Array, unusedBits = 0): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(unusedBits) + binary(bytes));
/** `[n]` EXPLICIT around `inner`. */
export const explicit = (tag: number, inner: Node): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner]);
/** `[n]` IMPLICIT constructed, holding `items`. */
export const implicitConstructed = (tag: number, items: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
/** `[n]` IMPLICIT primitive, holding raw `bytes` (or text for IA5-based names). */
export const implicitPrimitive = (tag: number, bytes: Uint8Array | string): Node =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, typeof bytes === 'string' ? bytes : binary(bytes));
/** A node decoded from existing DER, to embed as it is (a public key, a certificate, a name). */
export const raw = (der: Uint8Array): Node => decodeAsn1(der);
/** DER encoding of a node. */
export const encode = (node: Node): Buffer => derOf(node);

/** AlgorithmIdentifier with NULL parameters (RSA signatures, SHA digests). */
export const algorithm = (dotted: string, params: Node | null = nul()): Node => seq(params ? [oid(dotted), params] : [oid(dotted)]);

/** A PEM block (RFC 7468): base64 in 64-character lines between the label's BEGIN and END lines. */
export function pemBlock(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
