/**
 * Our ASN.1 reading of certificates cross-checked against Node's native X509Certificate (OpenSSL).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPkcs12 } from '../../electron/services/certificates/pkcs12-reader';
import { certificateFacts } from '../../electron/services/certificates/x509-facts';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const manifest = loadFixtureManifest();

function nodeDnsNames(x509: X509Certificate): string[] {
  // Node lists "DNS:a, DNS:b, IP Address:…"; values with special characters come JSON-quoted.
  return (x509.subjectAltName ?? '')
    .split(/, (?=[A-Za-z ]+:)/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => {
      const value = entry.slice(4);
      return value.startsWith('"') ? (JSON.parse(value) as string) : value;
    });
}

describe('certificate facts vs Node X509Certificate', () => {
  const variants = manifest.fileVariants.filter((v) => !['wrong-password', 'no-private-key', 'key-bag-other-password'].includes(v.name));
  it.each(variants.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    const contents = readPkcs12(readFileSync(variant.file), variant.password);
    for (const { der } of contents.certificates) {
      const x509 = new X509Certificate(der);
      const facts = certificateFacts(der);
      expect(facts.dnsNames).toEqual(nodeDnsNames(x509));
      expect(facts.thumbprint).toBe(x509.fingerprint.replace(/:/g, ''));
      // OpenSSL's X509_check_ca also wants Certificate Signing when key usage is present; cA=TRUE is what makes a CA.
      expect(facts.isCa).toBe(x509.ca || (facts.basicConstraints.ca && facts.keyUsage.present && !facts.keyUsage.keyCertSign));
      expect(Date.parse(facts.notAfter)).toBe(Date.parse(x509.validTo));
      const eku = x509.keyUsage ?? null;
      if (eku) expect([...(facts.extendedKeyUsage ?? [])].sort()).toEqual([...eku].sort());
    }
  });
});
