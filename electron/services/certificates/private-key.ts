/**
 * Imports the private key of a PFX into a Node `KeyObject`, fast for RSA.
 *
 * OpenSSL 3 decodes a PKCS#8 RSA key about six times slower than the RSAPrivateKey (PKCS#1) it wraps
 * (about 1 ms against 0.15 ms here): its PKCS#8 path tries decoder after decoder. Opening a share imports
 * one key per file, so an RSA key's inner structure is imported directly; anything else (EC, EdDSA,
 * RSA-PSS keys, or a PKCS#8 wrapper this does not recognise) goes through the PKCS#8 import as before.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import type { Asn1 } from './asn1';
import { bytesOf, decodeAsn1, oidOf } from './asn1';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo of an rsaEncryption key, or null for any other key. */
function rsaPrivateKeyOf(pkcs8: Buffer): Buffer | null {
  try {
    const info = decodeAsn1(pkcs8);
    const fields = info.value as Asn1[];
    const algorithm = fields[1]?.value as Asn1[] | undefined;
    if (!Array.isArray(fields) || !Array.isArray(algorithm) || oidOf(algorithm[0], 'key algorithm') !== RSA_ENCRYPTION) return null;
    return bytesOf(fields[2], 'private key');
  } catch {
    // Not the structure expected: the PKCS#8 import below says what is wrong with it.
    return null;
  }
}

/**
 * Imports a PKCS#8 PrivateKeyInfo (DER); throws what `createPrivateKey` throws for a key it cannot read.
 *
 * An RSA key whose inner structure OpenSSL refuses is tried once more as PKCS#8, so a refusal always
 * comes from the same import as before this shortcut.
 */
export function importPrivateKey(pkcs8: Buffer): KeyObject {
  const rsa = rsaPrivateKeyOf(pkcs8);
  if (rsa) {
    try {
      return createPrivateKey({ key: rsa, format: 'der', type: 'pkcs1' });
    } catch {
      // Fall through to the full import, whose error is the one reported.
    }
  }
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}
