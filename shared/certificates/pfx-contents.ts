/**
 * What a PKCS#12 (PFX) file holds, as plain data: bags, the algorithms protecting them, the MAC.
 *
 * Produced by the certificate service's reader; shown by `azs-rotate inspect` and used by the
 * `parse-pfx` / `pfx-encryption` / `private-key` rules.
 */

/** How one bag (or the MAC) is protected. */
export interface PfxEncryption {
  /** Human name, e.g. `pbeWithSHAAnd3-KeyTripleDES-CBC` or `PBES2 (PBKDF2 hmacWithSHA256, aes-256-cbc)`. */
  readonly name: string;
  /** The algorithm OID in the file (PBES2's own OID for PBES2). */
  readonly oid: string;
  readonly scheme: 'pkcs12-pbe' | 'pbes2';
  /** Cipher name, e.g. `des-ede3-cbc`, `aes-256-cbc`, `rc2-40-cbc`. */
  readonly cipher: string;
  readonly cipherOid: string | null;
  /** Key derivation: the PKCS#12 KDF or PBKDF2. */
  readonly kdf: 'pkcs12' | 'pbkdf2';
  /** PBKDF2's pseudo-random function, e.g. `hmacWithSHA256` (null for the PKCS#12 KDF, which is SHA-1). */
  readonly prf: string | null;
  readonly iterations: number;
}

/** Well-known OIDs used by the rules. */
export const PFX_OIDS = {
  tripleDesSha1: '1.2.840.113549.1.12.1.3',
  rc2_40Sha1: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  sha1: '1.3.14.3.2.26',
  machineKeySet: '1.3.6.1.4.1.311.17.2',
} as const;

/** One SafeBag of the file. */
export interface PfxBag {
  readonly type: 'certificate' | 'private-key' | 'shrouded-private-key' | 'crl' | 'secret' | 'other';
  readonly typeOid: string;
  /** The protection of this bag's content: its own (shrouded key) or its container's (certificates). */
  readonly encryption: PfxEncryption | null;
  /** True when the bag sits in an EncryptedData container (readable only with the password). */
  readonly inEncryptedContainer: boolean;
  readonly friendlyName: string | null;
  /** localKeyId attribute as upper-case hex. */
  readonly localKeyId: string | null;
  /** Microsoft local-machine keyset attribute (1.3.6.1.4.1.311.17.2) present. */
  readonly machineKeySet: boolean;
  /** Microsoft CSP name attribute, when present. */
  readonly cspName: string | null;
}

/** The integrity MAC of the file. */
export interface PfxMac {
  readonly digest: string;
  readonly digestOid: string;
  readonly iterations: number;
  readonly saltLength: number;
}
