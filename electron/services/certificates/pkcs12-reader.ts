/**
 * Reads PKCS#12 (PFX) files: verifies the MAC, decrypts every bag and reports the algorithms used.
 *
 * Covers what Windows and OpenSSL write: TripleDES/RC2 PKCS#12 PBE with SHA-1 (legacy), PBES2 with
 * PBKDF2 and AES or TripleDES (OpenSSL 3 and Windows Server 2019+ "AES256-SHA256"), SHA-1 and SHA-2
 * MACs (SHA-224/256/384/512, SHA-512/224, SHA-512/256), files without a MAC, empty and Unicode passwords.
 * ASN.1 decoding and RC2 come from node-forge; ciphers, PBKDF2 and HMAC from Node's crypto (OpenSSL); the
 * PKCS#12 KDF from `pkcs12-kdf.ts`.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import forge from './forge-lite';
import type { PfxBag, PfxEncryption, PfxMac } from '../../../shared/certificates/pfx-contents';
import { PFX_OIDS } from '../../../shared/certificates/pfx-contents';
import type { Asn1 } from './asn1';
import { Asn1ShapeError, bytesOf, children, decodeAsn1, integerOf, isContext, oidOf, signedIntegerOf, textOf } from './asn1';
import { KdfBudget, iterationProblem } from './kdf-limits';
import type { KdfDigest } from './pkcs12-kdf';
import { bmpPassword, digestLength, pkcs12Kdf } from './pkcs12-kdf';

/** Why a file could not be read, for specific messages. */
export type Pkcs12ErrorCode = 'empty' | 'not-pkcs12' | 'wrong-password' | 'mac-mismatch' | 'unsupported' | 'corrupt' | 'excessive-iterations';

/** A PFX that cannot be read; `code` says why, `message` says it for an operator. */
export class Pkcs12Error extends Error {
  constructor(
    readonly code: Pkcs12ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A wrong-password failure that knows which part of the file the password did not decrypt. */
class BagDecryptionError extends Pkcs12Error {
  constructor(readonly part: 'private key' | 'certificates') {
    super('wrong-password', `the password does not decrypt the ${part}`);
  }
}

/**
 * True when `bytes` are exactly one DER SEQUENCE (tag and length agree with the size): what a decrypted
 * PKCS#8 key is. Garbage from a wrong key passes the padding check about once in 256 tries; this tells it
 * from a key without parsing it.
 */
function isDerSequence(bytes: Buffer): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first === bytes.length;
  const count = first & 0x7f;
  // BER's indefinite length (some exporters write BER) ends in an end-of-contents marker instead.
  if (count === 0) return bytes.length >= 4 && bytes[bytes.length - 1] === 0 && bytes[bytes.length - 2] === 0;
  if (count > 4 || bytes.length < 2 + count) return false;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + count + length === bytes.length;
}

/** A decrypted private key and the bag it came from. */
export interface Pkcs12Key {
  /** PKCS#8 PrivateKeyInfo, DER. Kept in memory only. */
  readonly pkcs8: Buffer;
  readonly bagIndex: number;
}

/** Everything read from a PFX. */
export interface Pkcs12Contents {
  readonly mac: PfxMac | null;
  readonly bags: PfxBag[];
  /** DER certificates in bag order, with the index of their bag. */
  readonly certificates: { der: Buffer; bagIndex: number }[];
  readonly keys: Pkcs12Key[];
  /** How the empty password was encoded, when the password was empty. */
  readonly emptyPasswordForm: 'terminator' | 'absent' | null;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  cspName: '1.3.6.1.4.1.311.17.1',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

const PKCS12_PBE: Record<string, { name: string; cipher: string; keyLength: number; ivLength: number }> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4', cipher: 'rc4-128', keyLength: 16, ivLength: 0 },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4', cipher: 'rc4-40', keyLength: 5, ivLength: 0 },
  '1.2.840.113549.1.12.1.3': { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', cipher: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', cipher: 'des-ede-cbc', keyLength: 16, ivLength: 8 },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC', cipher: 'rc2-128-cbc', keyLength: 16, ivLength: 8 },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', cipher: 'rc2-40-cbc', keyLength: 5, ivLength: 8 },
};

const PBES2_CIPHERS: Record<string, { cipher: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24 },
};

const HMAC_PRF: Record<string, { name: string; digest: KdfDigest }> = {
  '1.2.840.113549.2.7': { name: 'hmacWithSHA1', digest: 'sha1' },
  '1.2.840.113549.2.9': { name: 'hmacWithSHA256', digest: 'sha256' },
  '1.2.840.113549.2.10': { name: 'hmacWithSHA384', digest: 'sha384' },
  '1.2.840.113549.2.11': { name: 'hmacWithSHA512', digest: 'sha512' },
};

/** MAC digests by OID: Node's name for the KDF and HMAC, and the name reports show. */
const DIGESTS: Record<string, { digest: KdfDigest; name: string }> = {
  '1.3.14.3.2.26': { digest: 'sha1', name: 'SHA-1' },
  '2.16.840.1.101.3.4.2.4': { digest: 'sha224', name: 'SHA-224' },
  '2.16.840.1.101.3.4.2.1': { digest: 'sha256', name: 'SHA-256' },
  '2.16.840.1.101.3.4.2.2': { digest: 'sha384', name: 'SHA-384' },
  '2.16.840.1.101.3.4.2.3': { digest: 'sha512', name: 'SHA-512' },
  '2.16.840.1.101.3.4.2.5': { digest: 'sha512-224', name: 'SHA-512/224' },
  '2.16.840.1.101.3.4.2.6': { digest: 'sha512-256', name: 'SHA-512/256' },
};

/** Output length of SHA-1, the digest of every PKCS#12 PBE scheme. */
const SHA1_LENGTH = 20;

/**
 * An iteration count the file states for `what`, refused before any computing when it is below 1 (a
 * malformed file) or above the limit of `kdf-limits.ts` (a file that would keep the validator busy).
 */
function iterationCount(node: Asn1 | undefined, what: string): number {
  const iterations = signedIntegerOf(node, `${what}: iteration count`);
  const problem = iterationProblem(iterations, what);
  if (problem) throw new Pkcs12Error(problem.code, problem.message);
  return iterations;
}

/** Counts a derivation against the file's budget before it runs; refuses it when the file asks for too much. */
function spend(budget: KdfBudget, iterations: number, blocks: number): void {
  const problem = budget.spend(iterations, blocks);
  if (problem) throw new Pkcs12Error('excessive-iterations', problem);
}

/** The password in the two byte forms PKCS#12 implementations use. */
interface PasswordForms {
  readonly text: string;
  /** BMPString form for the PKCS#12 KDF (changes when an empty password turns out to be "absent"). */
  bmp: Uint8Array;
  /** The derivation work this file has asked for so far ({@link KdfBudget}). */
  readonly budget: KdfBudget;
}

interface DecryptionFailure {
  readonly padding: boolean;
}

function describePkcs12Pbe(oid: string, params: Asn1 | undefined): { info: PfxEncryption; salt: Buffer } {
  const known = PKCS12_PBE[oid];
  if (!known) throw new Pkcs12Error('unsupported', `unsupported encryption algorithm ${oid}`);
  const [saltNode, iterNode] = children(params, 'PKCS#12 PBE parameters', 2);
  return {
    info: {
      name: known.name,
      oid,
      scheme: 'pkcs12-pbe',
      cipher: known.cipher,
      cipherOid: null,
      kdf: 'pkcs12',
      prf: null,
      iterations: iterationCount(iterNode, 'the key derivation of an encrypted bag'),
    },
    salt: bytesOf(saltNode, 'PBE salt'),
  };
}

interface Pbes2Params {
  info: PfxEncryption;
  salt: Buffer;
  keyLength: number;
  prfDigest: KdfDigest;
  iv: Buffer;
}

function describePbes2(params: Asn1 | undefined): Pbes2Params {
  const [kdfNode, schemeNode] = children(params, 'PBES2 parameters', 2);
  const [kdfOidNode, kdfParams] = children(kdfNode, 'PBES2 key derivation', 1);
  const kdfOid = oidOf(kdfOidNode, 'PBES2 key derivation');
  if (kdfOid !== OID.pbkdf2) throw new Pkcs12Error('unsupported', `unsupported PBES2 key derivation ${kdfOid}`);
  const kdfFields = children(kdfParams, 'PBKDF2 parameters', 2);
  const salt = bytesOf(kdfFields[0], 'PBKDF2 salt');
  const iterations = iterationCount(kdfFields[1], 'the PBKDF2 key derivation of an encrypted bag');
  let prf = HMAC_PRF['1.2.840.113549.2.7']!;
  let explicitKeyLength: number | null = null;
  for (const field of kdfFields.slice(2)) {
    if (field.type === forge.asn1.Type.INTEGER) explicitKeyLength = integerOf(field, 'PBKDF2 key length');
    else if (field.type === forge.asn1.Type.SEQUENCE) {
      const prfOid = oidOf(children(field, 'PBKDF2 PRF', 1)[0], 'PBKDF2 PRF');
      const known = HMAC_PRF[prfOid];
      if (!known) throw new Pkcs12Error('unsupported', `unsupported PBKDF2 pseudo-random function ${prfOid}`);
      prf = known;
    }
  }
  const [cipherOidNode, ivNode] = children(schemeNode, 'PBES2 encryption scheme', 2);
  const cipherOid = oidOf(cipherOidNode, 'PBES2 cipher');
  const cipher = PBES2_CIPHERS[cipherOid];
  if (!cipher) throw new Pkcs12Error('unsupported', `unsupported PBES2 cipher ${cipherOid}`);
  return {
    info: {
      name: `PBES2 (PBKDF2 ${prf.name}, ${cipher.cipher})`,
      oid: PFX_OIDS.pbes2,
      scheme: 'pbes2',
      cipher: cipher.cipher,
      cipherOid,
      kdf: 'pbkdf2',
      prf: prf.name,
      iterations,
    },
    salt,
    keyLength: explicitKeyLength ?? cipher.keyLength,
    prfDigest: prf.digest,
    iv: bytesOf(ivNode, 'PBES2 IV'),
  };
}

/** Describes an AlgorithmIdentifier of a password-based encryption without decrypting. */
export function describeEncryption(algorithm: Asn1 | undefined): PfxEncryption {
  const [oidNode, params] = children(algorithm, 'encryption algorithm', 1);
  const oid = oidOf(oidNode, 'encryption algorithm');
  return oid === PFX_OIDS.pbes2 ? describePbes2(params).info : describePkcs12Pbe(oid, params).info;
}

function decipher(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer | DecryptionFailure {
  if (cipher.startsWith('rc2-')) {
    const rc2 = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), key.length * 8);
    rc2.start(forge.util.createBuffer(iv.toString('binary')));
    rc2.update(forge.util.createBuffer(data.toString('binary')));
    if (!rc2.finish()) return { padding: true };
    return Buffer.from(rc2.output.getBytes(), 'binary');
  }
  if (cipher.startsWith('rc4-')) throw new Pkcs12Error('unsupported', 'RC4-encrypted PFX files are not supported: re-export with TripleDES');
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (error) {
    const text = String((error as Error).message);
    if (/bad decrypt|wrong final block length/i.test(text)) return { padding: true };
    throw new Pkcs12Error('unsupported', `cannot decrypt with ${cipher}: ${text}`);
  }
}

function decrypt(algorithm: Asn1 | undefined, data: Buffer, password: PasswordForms): { info: PfxEncryption; plain: Buffer | DecryptionFailure } {
  const [oidNode, params] = children(algorithm, 'encryption algorithm', 1);
  const oid = oidOf(oidNode, 'encryption algorithm');
  if (oid === PFX_OIDS.pbes2) {
    const p = describePbes2(params);
    // PBES2 takes the password as UTF-8 bytes (OpenSSL, Windows), unlike the PKCS#12 KDF's BMPString.
    spend(password.budget, p.info.iterations, Math.ceil(p.keyLength / digestLength(p.prfDigest)));
    const key = pbkdf2Sync(Buffer.from(password.text, 'utf8'), p.salt, p.info.iterations, p.keyLength, p.prfDigest);
    return { info: p.info, plain: decipher(p.info.cipher, key, p.iv, data) };
  }
  const { info, salt } = describePkcs12Pbe(oid, params);
  const known = PKCS12_PBE[oid]!;
  spend(password.budget, info.iterations, Math.ceil(known.keyLength / SHA1_LENGTH) + Math.ceil(known.ivLength / SHA1_LENGTH));
  const key = Buffer.from(pkcs12Kdf(password.bmp, salt, 1, info.iterations, known.keyLength));
  const iv = known.ivLength ? Buffer.from(pkcs12Kdf(password.bmp, salt, 2, info.iterations, known.ivLength)) : Buffer.alloc(0);
  return { info, plain: decipher(info.cipher, key, iv, data) };
}

function isFailure(value: Buffer | DecryptionFailure): value is DecryptionFailure {
  return !Buffer.isBuffer(value);
}

interface BagSink {
  bags: PfxBag[];
  certificates: { der: Buffer; bagIndex: number }[];
  keys: Pkcs12Key[];
}

function readAttributes(node: Asn1 | undefined): Pick<PfxBag, 'friendlyName' | 'localKeyId' | 'machineKeySet' | 'cspName'> {
  const result = { friendlyName: null as string | null, localKeyId: null as string | null, machineKeySet: false, cspName: null as string | null };
  if (!node) return result;
  for (const attribute of children(node, 'bag attributes')) {
    const [typeNode, valuesNode] = children(attribute, 'bag attribute', 1);
    const type = oidOf(typeNode, 'bag attribute type');
    const first = Array.isArray(valuesNode?.value) ? (valuesNode.value as Asn1[])[0] : undefined;
    if (type === OID.friendlyName) result.friendlyName = textOf(first);
    else if (type === OID.localKeyId && first) result.localKeyId = bytesOf(first, 'localKeyId').toString('hex').toUpperCase();
    else if (type === PFX_OIDS.machineKeySet) result.machineKeySet = true;
    else if (type === OID.cspName) result.cspName = textOf(first);
  }
  return result;
}

function readSafeContents(bytes: Buffer, containerEncryption: PfxEncryption | null, password: PasswordForms, sink: BagSink): void {
  const safeContents = decodeAsn1(bytes);
  for (const bag of children(safeContents, 'SafeContents')) {
    const [typeNode, valueNode, attributesNode] = children(bag, 'SafeBag', 2);
    const typeOid = oidOf(typeNode, 'SafeBag type');
    if (!isContext(valueNode, 0)) throw new Asn1ShapeError('SafeBag value is not [0]');
    const value = children(valueNode, 'SafeBag value', 1)[0];
    const attributes = readAttributes(attributesNode);
    const bagIndex = sink.bags.length;
    const common = { typeOid, inEncryptedContainer: containerEncryption !== null, ...attributes };
    if (typeOid === OID.certBag) {
      const [certTypeNode, certValueNode] = children(value, 'CertBag', 2);
      const certType = oidOf(certTypeNode, 'CertBag type');
      sink.bags.push({ type: 'certificate', encryption: containerEncryption, ...common });
      if (certType === OID.x509Certificate) {
        sink.certificates.push({ der: bytesOf(children(certValueNode, 'CertBag value', 1)[0], 'certificate'), bagIndex });
      }
    } else if (typeOid === OID.shroudedKeyBag) {
      const [algorithm, encryptedNode] = children(value, 'EncryptedPrivateKeyInfo', 2);
      const { info, plain } = decrypt(algorithm, bytesOf(encryptedNode, 'encrypted key'), password);
      if (isFailure(plain) || !isDerSequence(plain)) throw new BagDecryptionError('private key');
      sink.bags.push({ type: 'shrouded-private-key', encryption: info, ...common });
      sink.keys.push({ pkcs8: plain, bagIndex });
    } else if (typeOid === OID.keyBag) {
      sink.bags.push({ type: 'private-key', encryption: containerEncryption, ...common });
      sink.keys.push({ pkcs8: Buffer.from(forge.asn1.toDer(value!).getBytes(), 'binary'), bagIndex });
    } else if (typeOid === OID.safeContentsBag) {
      readSafeContents(Buffer.from(forge.asn1.toDer(value!).getBytes(), 'binary'), containerEncryption, password, sink);
    } else {
      const type = typeOid === OID.crlBag ? 'crl' : typeOid === OID.secretBag ? 'secret' : 'other';
      sink.bags.push({ type, encryption: containerEncryption, ...common });
    }
  }
}

function readMac(macData: Asn1 | undefined): { mac: PfxMac; expected: Buffer; salt: Buffer } | null {
  if (!macData) return null;
  const [digestInfo, saltNode, iterNode] = children(macData, 'MacData', 2);
  const [algorithm, digestNode] = children(digestInfo, 'MAC DigestInfo', 2);
  const digestOid = oidOf(children(algorithm, 'MAC algorithm', 1)[0], 'MAC algorithm');
  if (digestOid === OID.pbmac1) throw new Pkcs12Error('unsupported', 'PBMAC1-protected PFX files are not supported: re-export with a SHA-1 MAC');
  const known = DIGESTS[digestOid];
  if (!known) throw new Pkcs12Error('unsupported', `unsupported MAC digest ${digestOid}`);
  const salt = bytesOf(saltNode, 'MAC salt');
  return {
    mac: { digest: known.name, digestOid, iterations: iterNode ? iterationCount(iterNode, 'its MAC') : 1, saltLength: salt.length },
    expected: bytesOf(digestNode, 'MAC value'),
    salt,
  };
}

function macMatches(authSafe: Buffer, mac: NonNullable<ReturnType<typeof readMac>>, bmp: Uint8Array, budget: KdfBudget): boolean {
  const { digest } = DIGESTS[mac.mac.digestOid]!;
  spend(budget, mac.mac.iterations, 1);
  const key = pkcs12Kdf(bmp, mac.salt, 3, mac.mac.iterations, digestLength(digest), digest);
  const actual = createHmac(digest, key).update(authSafe).digest();
  return actual.length === mac.expected.length && timingSafeEqual(actual, mac.expected);
}

/**
 * Reads a PFX with a password.
 *
 * Throws {@link Pkcs12Error}: `empty`, `not-pkcs12` (not the PKCS#12 structure), `wrong-password` (the MAC
 * fails and decryption fails too, or decryption fails without a MAC, or the MAC verifies but a bag does not
 * decrypt: the message names the part), `mac-mismatch` (the content decrypts
 * but the MAC does not verify: the file was altered), `unsupported` (an algorithm we cannot read, named),
 * `corrupt` (the structure breaks inside, or an iteration count below 1), `excessive-iterations` (a key
 * derivation asks for more than `kdf-limits.ts` allows: refused before computing).
 */
export function readPkcs12(file: Uint8Array, password: string): Pkcs12Contents {
  if (file.length === 0) throw new Pkcs12Error('empty', 'the file is empty');
  let pfx: Asn1;
  try {
    pfx = decodeAsn1(file);
  } catch {
    throw new Pkcs12Error('not-pkcs12', 'the file is not a PKCS#12 (PFX) file: its bytes are not ASN.1 DER/BER');
  }
  try {
    const [versionNode, authSafeInfo, macData] = children(pfx, 'PFX', 2);
    if (integerOf(versionNode, 'PFX version') !== 3) throw new Asn1ShapeError('PFX version is not 3');
    const [contentTypeNode, contentNode] = children(authSafeInfo, 'authSafe', 1);
    const contentType = oidOf(contentTypeNode, 'authSafe content type');
    if (contentType === OID.signedData) {
      throw new Pkcs12Error('unsupported', 'public-key integrity mode (signedData) PFX files are not supported: re-export with a password');
    }
    if (contentType !== OID.data || !isContext(contentNode, 0)) throw new Asn1ShapeError('authSafe is not data');
    const authSafe = bytesOf(children(contentNode, 'authSafe content', 1)[0], 'authSafe');
    const mac = readMac(macData);
    const forms: PasswordForms = { text: password, bmp: bmpPassword(password), budget: new KdfBudget() };
    let emptyPasswordForm: Pkcs12Contents['emptyPasswordForm'] = password === '' ? 'terminator' : null;
    let macOk = true;
    if (mac) {
      macOk = macMatches(authSafe, mac, forms.bmp, forms.budget);
      if (!macOk && password === '' && macMatches(authSafe, mac, bmpPassword(null), forms.budget)) {
        // Some Windows exports encode an empty password as no bytes at all instead of a terminator.
        forms.bmp = bmpPassword(null);
        emptyPasswordForm = 'absent';
        macOk = true;
      }
    }
    const sink: BagSink = { bags: [], certificates: [], keys: [] };
    try {
      for (const info of children(decodeAsn1(authSafe), 'AuthenticatedSafe')) {
        const [typeNode, valueNode] = children(info, 'ContentInfo', 1);
        const type = oidOf(typeNode, 'ContentInfo type');
        const value = isContext(valueNode, 0) ? children(valueNode, 'ContentInfo value', 1)[0] : undefined;
        if (type === OID.data) {
          readSafeContents(bytesOf(value, 'SafeContents'), null, forms, sink);
        } else if (type === OID.encryptedData) {
          const [, encryptedContentInfo] = children(value, 'EncryptedData', 2);
          const [, algorithm, encryptedNode] = children(encryptedContentInfo, 'EncryptedContentInfo', 2);
          if (!encryptedNode) continue;
          const { info: encryption, plain } = decrypt(algorithm, bytesOf(encryptedNode, 'encrypted content'), forms);
          if (isFailure(plain)) throw new BagDecryptionError('certificates');
          try {
            readSafeContents(plain, encryption, forms, sink);
          } catch (error) {
            // Garbage that happened to end in valid padding: a wrong password, not a damaged file.
            if (error instanceof Asn1ShapeError) throw new BagDecryptionError('certificates');
            throw error;
          }
        } else {
          throw new Pkcs12Error('unsupported', `unsupported content type ${type} (enveloped data needs a certificate to open)`);
        }
      }
    } catch (error) {
      if (error instanceof BagDecryptionError && mac && macOk) {
        // The MAC proves this is the file's password: only the part named was encrypted with another one.
        throw new Pkcs12Error('wrong-password', `the password verifies the file's integrity MAC but does not decrypt its ${error.part} (${error.part === 'private key' ? 'the key bag' : 'that bag'} was encrypted with another password, or is damaged)`);
      }
      if (error instanceof Pkcs12Error && error.code === 'wrong-password') {
        throw new Pkcs12Error('wrong-password', mac ? 'the password does not open the file (the MAC does not verify and decryption fails)' : `the password does not open the file (${error.message})`);
      }
      throw error;
    }
    if (!macOk) {
      if (sink.bags.some((b) => b.encryption !== null)) {
        throw new Pkcs12Error('mac-mismatch', 'the integrity MAC does not verify although the password decrypts the content: the file was altered or damaged');
      }
      throw new Pkcs12Error('wrong-password', 'the password does not open the file (the MAC does not verify)');
    }
    return { mac: mac?.mac ?? null, bags: sink.bags, certificates: sink.certificates, keys: sink.keys, emptyPasswordForm };
  } catch (error) {
    if (error instanceof Pkcs12Error) throw error;
    if (error instanceof Asn1ShapeError) {
      throw new Pkcs12Error('not-pkcs12', `the file is not a valid PKCS#12 (PFX) file: ${error.message}`);
    }
    throw new Pkcs12Error('corrupt', `the PFX file is damaged: ${(error as Error).message}`);
  }
}
