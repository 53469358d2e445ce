/**
 * Writes PKCS#12 (PFX) files in the layouts Azure Stack Hub and current Windows accept.
 *
 * node-forge's writer cannot encrypt the certificate bags with TripleDES nor add the Microsoft
 * local-machine-keyset attribute (1.3.6.1.4.1.311.17.2) to the key bag, both of which the rotation docs
 * and the Readiness Checker require, so the structure is assembled here (the layout of OpenSSL's
 * `pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -LMK`): one encrypted
 * SafeContents with the certificate bags in chain order, one plain SafeContents with the shrouded key
 * bag, then the MAC. Ciphers and PBKDF2 come from Node's crypto, the PKCS#12 KDF from the engine's fast one.
 */
import type { KeyObject } from 'node:crypto';
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { bmpPassword, pkcs12Kdf } from '../certificates/pkcs12-kdf';
import type { Node } from './der';
import { algorithm, bmp, encode, explicit, implicitPrimitive, int, nul, octets, oid, seq, set } from './der';

/** Protection profiles: `azure-stack` = TripleDES-SHA1 (required by rotation), `modern` = AES-256/SHA-256. */
export const PFX_PROFILES = ['azure-stack', 'modern'] as const;
/** A protection profile. */
export type PfxProfile = (typeof PFX_PROFILES)[number];

/** PKCS#12 KDF and PBKDF2 iteration count (OpenSSL's default; Windows writes 2000). */
export const PFX_ITERATIONS = 2048;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  machineKeySet: '1.3.6.1.4.1.311.17.2',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** What goes into a PFX. */
export interface PfxInput {
  /** DER certificates in bag order: leaf first, then intermediates, then the root. */
  readonly certificates: readonly Buffer[];
  /** The leaf's private key. */
  readonly privateKey: KeyObject;
  readonly password: string;
  readonly profile: PfxProfile;
  /** Shown by the Windows certificate store; optional. */
  readonly friendlyName?: string | null;
  readonly iterations?: number;
}

interface Encrypted {
  readonly algorithm: Node;
  readonly ciphertext: Buffer;
}

function encryptTripleDes(password: Uint8Array, plain: Buffer, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const key = pkcs12Kdf(password, salt, 1, iterations, 24);
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8);
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  return { algorithm: seq([oid(OID.pbeSha1TripleDes), seq([octets(salt), int(iterations)])]), ciphertext: Buffer.concat([cipher.update(plain), cipher.final()]) };
}

function encryptPbes2(password: string, plain: Buffer, iterations: number): Encrypted {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  // PBES2 takes the password as UTF-8 bytes (RFC 8018), as OpenSSL 3 and Windows write it in PFX files.
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const params = seq([
    seq([oid(OID.pbkdf2), seq([octets(salt), int(iterations), algorithm(OID.hmacSha256)])]),
    seq([oid(OID.aes256Cbc), octets(iv)]),
  ]);
  return { algorithm: seq([oid(OID.pbes2), params]), ciphertext: Buffer.concat([cipher.update(plain), cipher.final()]) };
}

/**
 * An `EncryptedPrivateKeyInfo` (RFC 5958): the PKCS#8 key under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC).
 *
 * The same encryption as a `modern` PFX's key bag, with the caller's iteration count: an offline key backup
 * wants far more than the 2048 rounds PFX readers expect.
 */
export function encryptedPrivateKeyInfo(pkcs8: Buffer, password: string, iterations: number): Buffer {
  const encrypted = encryptPbes2(password, pkcs8, iterations);
  return encode(seq([encrypted.algorithm, octets(encrypted.ciphertext)]));
}

function attribute(type: string, value: Node | null): Node {
  return seq([oid(type), set(value ? [value] : [])]);
}

/**
 * Encodes a PFX and returns its bytes.
 *
 * The leaf's certificate bag and the key bag share a localKeyID (SHA-1 of the leaf, as OpenSSL and
 * Windows pair them); the key bag carries the local-machine-keyset attribute in both profiles, because
 * Azure Stack Hub imports into the machine store.
 */
export function writePfx(input: PfxInput): Buffer {
  const leaf = input.certificates[0];
  if (!leaf) throw new Error('A PFX needs at least the leaf certificate.');
  const iterations = input.iterations ?? PFX_ITERATIONS;
  const bmpForm = bmpPassword(input.password);
  const encrypt = (plain: Buffer): Encrypted =>
    input.profile === 'azure-stack' ? encryptTripleDes(bmpForm, plain, iterations) : encryptPbes2(input.password, plain, iterations);
  const localKeyId = attribute(OID.localKeyId, octets(createHash('sha1').update(leaf).digest()));
  const friendly = input.friendlyName ? attribute(OID.friendlyName, bmp(input.friendlyName)) : null;

  const certBags = input.certificates.map((der, i) =>
    seq([
      oid(OID.certBag),
      explicit(0, seq([oid(OID.x509Certificate), explicit(0, octets(der))])),
      ...(i === 0 ? [set(friendly ? [friendly, localKeyId] : [localKeyId])] : []),
    ]),
  );
  const certs = encrypt(encode(seq(certBags)));
  const certContent = seq([
    oid(OID.encryptedData),
    explicit(0, seq([int(0), seq([oid(OID.data), certs.algorithm, implicitPrimitive(0, certs.ciphertext)])])),
  ]);

  const pkcs8 = input.privateKey.export({ type: 'pkcs8', format: 'der' });
  const key = encrypt(pkcs8);
  pkcs8.fill(0);
  const keyAttributes = [attribute(OID.machineKeySet, null), ...(friendly ? [friendly] : []), localKeyId];
  const keyBag = seq([oid(OID.shroudedKeyBag), explicit(0, seq([key.algorithm, octets(key.ciphertext)])), set(keyAttributes)]);
  const keyContent = seq([oid(OID.data), explicit(0, octets(encode(seq([keyBag]))))]);

  const authSafe = encode(seq([certContent, keyContent]));
  const macSalt = randomBytes(input.profile === 'azure-stack' ? 8 : 16);
  const digest = input.profile === 'azure-stack' ? 'sha1' : 'sha256';
  const macKey = pkcs12Kdf(bmpForm, macSalt, 3, iterations, digest === 'sha1' ? 20 : 32, digest);
  const mac = createHmac(digest, macKey).update(authSafe).digest();
  return encode(
    seq([
      int(3),
      seq([oid(OID.data), explicit(0, octets(authSafe))]),
      seq([seq([algorithm(digest === 'sha1' ? OID.sha1 : OID.sha256, nul()), octets(mac)]), octets(macSalt), int(iterations)]),
    ]),
  );
}
