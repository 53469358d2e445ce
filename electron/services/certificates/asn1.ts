/**
 * Small typed helpers over node-forge's ASN.1 decoder, shared by the PKCS#12 and X.509 readers.
 *
 * Forge decodes BER as well as DER (Windows writes PFX files with indefinite lengths and chunked
 * OCTET STRINGs), which is why it is used here instead of a DER-only parser.
 */
import forge from './forge-lite';

/** A decoded ASN.1 node. */
export type Asn1 = forge.asn1.Asn1;

/** Thrown when bytes are not the ASN.1 structure expected; `message` names what was expected. */
export class Asn1ShapeError extends Error {}

/** Decodes DER/BER bytes; throws {@link Asn1ShapeError} when they are not ASN.1. */
export function decodeAsn1(bytes: Uint8Array, parseAllBytes = true): Asn1 {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), {
      strict: true,
      parseAllBytes,
      decodeBitStrings: false,
    } as unknown as boolean);
  } catch (error) {
    throw new Asn1ShapeError(`not valid ASN.1 (${(error as Error).message})`);
  }
}

/** Children of a constructed node, or a shape error naming `what`. */
export function children(node: Asn1 | undefined, what: string, minimum = 0): Asn1[] {
  if (!node || !Array.isArray(node.value) || node.value.length < minimum) {
    throw new Asn1ShapeError(`${what} is not a sequence of at least ${minimum} elements`);
  }
  return node.value as Asn1[];
}

/** Dotted OID of an OBJECT IDENTIFIER node. */
export function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.tagClass !== forge.asn1.Class.UNIVERSAL || node.type !== forge.asn1.Type.OID) {
    throw new Asn1ShapeError(`${what} is not an object identifier`);
  }
  return forge.asn1.derToOid(node.value as string);
}

/** Integer value of an INTEGER node (small integers only: versions, iteration counts). */
export function integerOf(node: Asn1 | undefined, what: string): number {
  if (!node || node.type !== forge.asn1.Type.INTEGER || typeof node.value !== 'string') {
    throw new Asn1ShapeError(`${what} is not an integer`);
  }
  const bytes = node.value;
  if (bytes.length > 6) throw new Asn1ShapeError(`${what} is too large`);
  let value = 0;
  for (let i = 0; i < bytes.length; i++) value = value * 256 + bytes.charCodeAt(i);
  return value;
}

/** Raw bytes of a primitive node, concatenating the chunks of a constructed (BER) string. */
export function bytesOf(node: Asn1 | undefined, what: string): Buffer {
  if (!node) throw new Asn1ShapeError(`${what} is missing`);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  if (Array.isArray(node.value)) return Buffer.concat((node.value as Asn1[]).map((child) => bytesOf(child, what)));
  throw new Asn1ShapeError(`${what} has no content`);
}

/** DER encoding of a node. */
export function derOf(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** True for a context-specific tag `[n]`. */
export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return !!node && node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

/**
 * Decodes a string-ish node (UTF8String, BMPString, PrintableString, IA5String) to text.
 *
 * Forge's decoder already turns a BMPString's UTF-16BE bytes into a JavaScript string (one char per code
 * unit, so surrogate pairs stay intact); decoding it again would pair up characters into CJK garbage.
 * Every other string type arrives as raw bytes, one char per byte.
 */
export function textOf(node: Asn1 | undefined): string {
  if (!node || typeof node.value !== 'string') return '';
  if (node.type === forge.asn1.Type.BMPSTRING) return node.value;
  if (node.type === forge.asn1.Type.UTF8) return Buffer.from(node.value, 'binary').toString('utf8');
  return node.value;
}
