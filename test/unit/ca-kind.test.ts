import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { rootCaKind } from '../../electron/services/certificates/pfx-facts';
import { loadFixtureManifest } from '../fixtures/load-manifest';

function selfSigned(commonName: string): X509Certificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return new X509Certificate(forge.pki.certificateToPem(cert));
}

describe('CA kind of a root', () => {
  it('recognises a root of the public store shipped with Node', () => {
    expect(rootCaKind(new X509Certificate(rootCertificates[0]!))).toBe('public');
    expect(rootCaKind(new X509Certificate(rootCertificates[rootCertificates.length - 1]!))).toBe('public');
  });
  it("recognises Azure Stack Hub's self-signed deployment CA", () => {
    expect(rootCaKind(selfSigned('AzureStackSelfSignedRootCert'))).toBe('self-signed');
  });
  it('treats any other root as an enterprise CA', () => {
    expect(rootCaKind(new X509Certificate(readFileSync(loadFixtureManifest().rootCaPem)))).toBe('enterprise');
    expect(rootCaKind(selfSigned('Contoso Issuing Root'))).toBe('enterprise');
  });
});
