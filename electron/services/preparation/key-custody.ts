/**
 * Key custody: private keys of certificate requests, encrypted at rest in `<data-dir>/keys/`.
 *
 * Each key is a PKCS#8 DER sealed with AES-256-GCM under a key derived from the operator's passphrase
 * with scrypt (N=2^15, r=8, p=1: about 0.1 s and 32 MiB per derivation, which makes guessing expensive).
 * The key id and public-key fingerprint are bound in as additional authenticated data, so a key file
 * swapped for another request's fails to open instead of pairing with the wrong certificate. A session
 * derives once per salt: a batch of 23 requests costs one derivation, not 23.
 */
import type { KeyObject } from 'node:crypto';
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, randomBytes, scrypt } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { pemBlock } from './der';
import { encryptedPrivateKeyInfo } from './pkcs12-writer';
import { fileError, writeFileAtomic } from './safe-files';

/** Format tag of a key file; a future format gets a new tag. */
export const KEY_FILE_FORMAT = 'azs-rotate-key/1';

/** Folder of key files inside the data folder. */
export const KEYS_FOLDER = 'keys';

/** Shortest passphrase accepted for new keys. */
export const MIN_PASSPHRASE_LENGTH = 8;

const SCRYPT_PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
// 128 * N * r bytes of working memory plus headroom; Node's default limit (32 MiB) is exactly too small.
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

/** The JSON content of a key file. */
export interface SealedKeyFile {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly keyId: string;
  readonly publicKeySha256: string;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly cipher: 'aes-256-gcm';
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/** The passphrase does not open a key file. */
export class WrongPassphraseError extends AppError {
  /**
   * Creates the error for the key `keyId`.
   *
   * The message never repeats the passphrase.
   */
  constructor(readonly keyId: string) {
    super(
      'invalid-request',
      `The key-custody passphrase does not open key ${keyId}.`,
      'Give the passphrase used when the request was generated (--passphrase-file or AZS_KEY_PASSPHRASE).',
    );
    this.name = 'WrongPassphraseError';
  }
}

/** SHA-256 of a public key's DER SubjectPublicKeyInfo, lower-case hex: how certificates find their key. */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The key id of a public key fingerprint: its first 16 hex digits, enough to be unique in one data folder. */
export function keyIdOf(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

/** Checks a passphrase for new keys; returns a message or null. */
export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return `The key-custody passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters (it protects the private keys at rest).`;
  }
  return null;
}

function derive(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: SCRYPT_MAXMEM }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function aad(keyId: string, fingerprint: string): Buffer {
  return Buffer.from(`${KEY_FILE_FORMAT}|${keyId}|${fingerprint}`, 'utf8');
}

function parseKeyFile(text: string, file: string): SealedKeyFile {
  let parsed: Partial<SealedKeyFile>;
  try {
    parsed = JSON.parse(text) as Partial<SealedKeyFile>;
  } catch {
    throw new AppError('io-error', `The key file ${file} is damaged (not JSON).`, 'Restore the data folder from a backup, or generate a new request.');
  }
  if (parsed.format !== KEY_FILE_FORMAT || parsed.kdf?.name !== 'scrypt' || parsed.cipher !== 'aes-256-gcm' || !parsed.ciphertext || !parsed.iv || !parsed.tag || !parsed.keyId) {
    throw new AppError('io-error', `The key file ${file} is not a key file this app can read.`, 'Restore the data folder from a backup, or generate a new request.');
  }
  return parsed as SealedKeyFile;
}

/**
 * One passphrase's access to the key store of a data folder.
 *
 * Derived keys are cached per salt for the session's lifetime only (memory, never disk).
 */
export class KeyCustodySession {
  readonly #passphrase: string;
  readonly #derived = new Map<string, Promise<Buffer>>();
  readonly #sealSalt = randomBytes(16);

  /**
   * Opens a session on `dataDir` with the operator's passphrase.
   *
   * Nothing is checked yet: a wrong passphrase shows when a key is opened.
   */
  constructor(
    readonly dataDir: string,
    passphrase: string,
  ) {
    this.#passphrase = passphrase;
  }

  /** The folder key files are written to. */
  get keysDir(): string {
    return path.join(this.dataDir, KEYS_FOLDER);
  }

  #kek(salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
    const cacheKey = `${salt.toString('base64')}|${params.N}|${params.r}|${params.p}`;
    let kek = this.#derived.get(cacheKey);
    if (!kek) {
      kek = derive(this.#passphrase, salt, params);
      this.#derived.set(cacheKey, kek);
    }
    return kek;
  }

  /**
   * Encrypts `privateKey` into `<data-dir>/keys/<keyId>.key` (mode 0600) and returns the relative path.
   *
   * `keyId` and `fingerprint` are bound into the ciphertext.
   */
  async seal(keyId: string, privateKey: KeyObject, fingerprint: string): Promise<string> {
    const kek = await this.#kek(this.#sealSalt, SCRYPT_PARAMS);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(aad(keyId, fingerprint));
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
    pkcs8.fill(0);
    const sealed: SealedKeyFile = {
      format: KEY_FILE_FORMAT,
      keyId,
      publicKeySha256: fingerprint,
      kdf: { name: 'scrypt', ...SCRYPT_PARAMS, salt: this.#sealSalt.toString('base64') },
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    const relative = `${KEYS_FOLDER}/${keyId}.key`;
    const file = path.join(this.dataDir, KEYS_FOLDER, `${keyId}.key`);
    try {
      await mkdir(this.keysDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, `${JSON.stringify(sealed, null, 2)}\n`, 0o600);
    } catch (error) {
      throw fileError('write the key file', file, error, 'Check that the data folder (--data-dir) is writable and has space.');
    }
    return relative;
  }

  /**
   * Decrypts the key file `relative` (as stored in the request) and checks it is the key of `fingerprint`.
   *
   * Throws {@link WrongPassphraseError} when the passphrase does not open it, `io-error` when the file
   * is missing or damaged, `conflict` when it holds another request's key.
   */
  async open(relative: string, keyId: string, fingerprint: string): Promise<KeyObject> {
    const file = path.join(this.dataDir, ...relative.split('/'));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw fileError('read the key file', file, error, 'The key store of this data folder lacks the key: use the --data-dir the request was generated with.');
    }
    const sealed = parseKeyFile(text, file);
    const kek = await this.#kek(Buffer.from(sealed.kdf.salt, 'base64'), { N: sealed.kdf.N, r: sealed.kdf.r, p: sealed.kdf.p });
    let pkcs8: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(aad(sealed.keyId, sealed.publicKeySha256));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      pkcs8 = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } catch {
      // GCM cannot tell a wrong passphrase from a tampered file; the wrong passphrase is by far the likelier.
      throw new WrongPassphraseError(keyId);
    }
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    pkcs8.fill(0);
    if (sealed.keyId !== keyId || publicKeyFingerprint(key) !== fingerprint.toLowerCase()) {
      throw new AppError('conflict', `The key file ${file} holds another request's key.`, 'Restore the data folder from a backup, or generate a new request.');
    }
    return key;
  }
}

/**
 * PBKDF2-HMAC-SHA256 rounds protecting an exported key backup (OWASP's 2023 figure for that PRF).
 *
 * `KeyObject.export` would use OpenSSL's default of 2048, too few for a file that may sit on removable media
 * for a year; one backup of 23 keys takes about 3 s with this count.
 */
export const KEY_BACKUP_ITERATIONS = 600_000;

/**
 * A private key as an encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), for an offline backup.
 *
 * OpenSSL and Windows read it with the passphrase given here (`openssl pkey -in FILE`).
 */
export function encryptedPkcs8Pem(key: KeyObject, passphrase: string): string {
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  try {
    return pemBlock('ENCRYPTED PRIVATE KEY', encryptedPrivateKeyInfo(pkcs8, passphrase, KEY_BACKUP_ITERATIONS));
  } finally {
    pkcs8.fill(0);
  }
}
