/**
 * The PKCS#12 reader against files OpenSSL writes: bag attributes (friendly name, CSP name) as text, and
 * every SHA-2 MAC digest `openssl pkcs12 -macalg` offers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAsn1, derOf, textOf } from '../../electron/services/certificates/asn1';
import { inspectPfx } from '../../electron/services/certificates/inspect';
import { readPkcs12 } from '../../electron/services/certificates/pkcs12-reader';
import { PASSWORD_ENV, runOpenssl } from '../fixtures/openssl';

const PASSWORD = 'Reader-Test-2026';
const CSP = 'Microsoft Enhanced RSA and AES Cryptographic Provider';
const dir = mkdtempSync(path.join(tmpdir(), 'azs-pkcs12-reader-'));
const keyPem = path.join(dir, 'key.pem');
const certPem = path.join(dir, 'cert.pem');

/** Packages the test key and certificate with `openssl pkcs12 -export` plus `extra` options; returns the path. */
async function exportPfx(name: string, extra: readonly string[]): Promise<string> {
  const out = path.join(dir, name);
  await runOpenssl(['pkcs12', '-export', '-in', certPem, '-inkey', keyPem, '-out', out, '-passout', `env:${PASSWORD_ENV}`, ...extra], PASSWORD);
  return out;
}

beforeAll(async () => {
  // An EC key keeps generation instant; the reader does not care about the key type.
  await runOpenssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPem, '-out', certPem, '-days', '30', '-subj', '/CN=portal.east.azurestack.contoso.com']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bag attributes', () => {
  it('reads the friendly name and CSP name OpenSSL writes as BMPStrings (legacy TripleDES/RC2 file)', async () => {
    const file = await exportPfx('named.pfx', ['-legacy', '-name', 'portal cert', '-CSP', CSP]);
    const result = inspectPfx(file, PASSWORD);
    expect(result.opened, result.error?.message).toBe(true);
    expect(result.bags.map((b) => b.friendlyName)).toEqual(['portal cert', 'portal cert']);
    const key = result.bags.find((b) => b.type === 'shrouded-private-key')!;
    expect(key.cspName).toBe(CSP);
    expect(result.bags.find((b) => b.type === 'certificate')!.cspName).toBeNull();
  });

  it.each([
    ['Latin-1', 'Zertifikat Ü'],
    ['CJK', 'Schlüssel 証明書'],
  ])('reads a %s friendly name from an AES file', async (kind, name) => {
    const file = await exportPfx(`name-${kind}.pfx`, ['-name', name]);
    const result = inspectPfx(file, PASSWORD);
    expect(result.opened, result.error?.message).toBe(true);
    expect(result.bags.every((b) => b.friendlyName === name)).toBe(true);
  });

  it('keeps a character outside the BMP (a UTF-16 surrogate pair) whole', () => {
    // OpenSSL refuses such names, Windows writes them: build the attribute value directly.
    const text = 'key 🔐';
    const der = derOf(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BMPSTRING, false, text));
    expect(textOf(decodeAsn1(der))).toBe(text);
  });
});

describe('MAC digests', () => {
  it.each([
    ['sha1', 'SHA-1', '1.3.14.3.2.26'],
    ['sha224', 'SHA-224', '2.16.840.1.101.3.4.2.4'],
    ['sha256', 'SHA-256', '2.16.840.1.101.3.4.2.1'],
    ['sha384', 'SHA-384', '2.16.840.1.101.3.4.2.2'],
    ['sha512', 'SHA-512', '2.16.840.1.101.3.4.2.3'],
    ['sha512-224', 'SHA-512/224', '2.16.840.1.101.3.4.2.5'],
    ['sha512-256', 'SHA-512/256', '2.16.840.1.101.3.4.2.6'],
  ])('verifies a %s MAC and names it', async (macalg, name, oid) => {
    const file = await exportPfx(`mac-${macalg}.pfx`, ['-macalg', macalg]);
    const bytes = readFileSync(file);
    const contents = readPkcs12(bytes, PASSWORD);
    expect(contents.mac).toMatchObject({ digest: name, digestOid: oid });
    expect(contents.keys).toHaveLength(1);
    expect(() => readPkcs12(bytes, 'not the password')).toThrow(expect.objectContaining({ code: 'wrong-password' }));
    // A flipped MAC byte must fail although the content decrypts: the MAC really is checked with this digest.
    const pfx = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    const macValue = (((pfx.value as forge.asn1.Asn1[])[2]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[1]!;
    const mac = macValue.value as string;
    macValue.value = String.fromCharCode(mac.charCodeAt(0) ^ 1) + mac.slice(1);
    const tampered = path.join(dir, `mac-${macalg}-tampered.pfx`);
    writeFileSync(tampered, derOf(pfx));
    expect(() => readPkcs12(readFileSync(tampered), PASSWORD)).toThrow(expect.objectContaining({ code: 'mac-mismatch' }));
  });
});

describe('private key match', () => {
  it('pairs the key with its certificate by key value, whatever the encoding of the public key', async () => {
    // The certificate carries the EC point compressed while the key bag holds the same key uncompressed:
    // one key pair, which comparing SPKI encodings (the former check) reported as a mismatch.
    const compressedKey = path.join(dir, 'key-compressed.pem');
    const compressedCert = path.join(dir, 'cert-compressed.pem');
    await runOpenssl(['ec', '-in', keyPem, '-conv_form', 'compressed', '-out', compressedKey]);
    await runOpenssl(['req', '-x509', '-key', compressedKey, '-out', compressedCert, '-days', '30', '-subj', '/CN=portal.east.azurestack.contoso.com']);
    const file = path.join(dir, 'compressed-point.pfx');
    await runOpenssl(['pkcs12', '-export', '-in', compressedCert, '-inkey', keyPem, '-out', file, '-passout', `env:${PASSWORD_ENV}`], PASSWORD);
    const result = inspectPfx(file, PASSWORD);
    expect(result.opened, result.error?.message).toBe(true);
    expect(result.privateKey).toMatchObject({ present: true, type: 'ec', matchesLeaf: true });
    expect(result.certificates.map((c) => c.role)).toEqual(['leaf']);
  });
});
