/**
 * ASN.1 for the PKCS#12 and X.509 readers: a BER decoder and small typed helpers over its nodes.
 *
 * The decoder accepts BER as well as DER (Windows writes PFX files with indefinite lengths and chunked
 * OCTET STRINGs) and builds nodes of node-forge's shape, so forge's encoder and the code written against
 * forge's nodes read them unchanged. It replaces forge's own decoder, which works on "binary" strings one
 * byte call at a time: on a Buffer it is several times faster and makes far less garbage, which was a
 * fifth of the time to open a PFX in a one-shot CLI run.
 */
import forge from './forge-lite';

/** A decoded ASN.1 node. */
export type Asn1 = forge.asn1.Asn1;

/** Thrown when bytes are not the ASN.1 structure expected; `message` names what was expected. */
export class Asn1ShapeError extends Error {}

/** Nesting deeper than this is refused (node-forge's limit too): no certificate or PFX comes near it. */
const MAX_DEPTH = 256;

const BMP_STRING = 30;

/** Where the node that was just read ends, returned through one reused object to spare an allocation per node. */
const cursor = { next: 0 };

function decodeNode(buf: Buffer, start: number, end: number, depth: number): Asn1 {
  if (depth >= MAX_DEPTH) throw new Error('nested more than 256 levels deep');
  if (end - start < 2) throw new Error('too few bytes for a tag and a length');
  let pos = start;
  const b1 = buf[pos++]!;
  const tagClass = b1 & 0xc0;
  const constructed = (b1 & 0x20) !== 0;
  const type = b1 & 0x1f;
  // Tag numbers above 30 take more bytes (high tag number form): nothing in PKCS#12 or X.509 uses them, and
  // forge's encoder, which writes nodes back, cannot write them.
  if (type === 0x1f) throw new Error('a tag number above 30 (high tag number form)');
  if (pos >= end) throw new Error('the length is missing');
  const first = buf[pos++]!;
  let length: number | null;
  if (first < 0x80) length = first;
  else if (first === 0x80) length = null;
  else {
    const count = first & 0x7f;
    if (count > 4) throw new Error('the length is too large');
    if (pos + count > end) throw new Error('the length runs past the end');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++]!;
  }
  if (length !== null && length > end - pos) throw new Error('too few bytes to read the value');
  if (constructed) {
    const value: Asn1[] = [];
    if (length === null) {
      // Indefinite length (BER): children until the end-of-contents octets 00 00.
      for (;;) {
        if (end - pos < 2) throw new Error('an indefinite-length value has no end-of-contents');
        if (buf[pos] === 0 && buf[pos + 1] === 0) {
          pos += 2;
          break;
        }
        value.push(decodeNode(buf, pos, end, depth + 1));
        pos = cursor.next;
      }
    } else {
      const stop = pos + length;
      while (pos < stop) {
        value.push(decodeNode(buf, pos, stop, depth + 1));
        pos = cursor.next;
      }
    }
    cursor.next = pos;
    return { tagClass, type, constructed: true, composed: true, value } as Asn1;
  }
  if (length === null) throw new Error('a primitive value has an indefinite length');
  let value: string;
  if (type === BMP_STRING) {
    // forge's convention: a BMPString's UTF-16BE code units as a JavaScript string (see textOf). Like forge,
    // by tag number alone, in any class, since forge's encoder writes tag 30 back that way.
    if (length % 2 !== 0) throw new Error('a BMPString has an odd number of bytes');
    value = '';
    for (let i = pos; i < pos + length; i += 2) value += String.fromCharCode((buf[i]! << 8) | buf[i + 1]!);
  } else {
    // Every other primitive: its bytes as a "binary" string (one char per byte), as forge gives them.
    value = buf.toString('latin1', pos, pos + length);
  }
  cursor.next = pos + length;
  return { tagClass, type, constructed: false, composed: false, value } as Asn1;
}

/**
 * Decodes BER/DER bytes; throws {@link Asn1ShapeError} when they are not ASN.1.
 *
 * With `parseAllBytes` (the default), bytes after the first value are an error too.
 */
export function decodeAsn1(bytes: Uint8Array, parseAllBytes = true): Asn1 {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const node = decodeNode(buf, 0, buf.length, 0);
    if (parseAllBytes && cursor.next !== buf.length) throw new Error(`${buf.length - cursor.next} byte(s) follow the value`);
    return node;
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
  return oidText(node.value as string, what);
}

/**
 * The dotted form of an OID's content octets ("binary" string): base-128 subidentifiers, the first
 * holding two arcs (X.690 8.19). Also what forge's `derToOid` gives, without its byte-buffer copy per call.
 */
function oidText(bytes: string, what: string): string {
  let text = '';
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (value > 0x3fffffffffff) throw new Asn1ShapeError(`${what} has an arc too large to represent`);
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    text += text === '' ? (value < 80 ? `${Math.floor(value / 40)}.${value % 40}` : `2.${value - 80}`) : `.${value}`;
    value = 0;
  }
  return text;
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

/**
 * Value of an INTEGER node as DER encodes it, in two's complement: negative when its first byte has the
 * top bit set. For counts a file states, where a negative one must be seen as such, not as a huge one.
 */
export function signedIntegerOf(node: Asn1 | undefined, what: string): number {
  const unsigned = integerOf(node, what);
  const bytes = node!.value as string;
  return bytes.length > 0 && bytes.charCodeAt(0) & 0x80 ? unsigned - 2 ** (8 * bytes.length) : unsigned;
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
