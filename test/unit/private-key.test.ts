/**
 * Reading a PFX's private key: the RSA shortcut gives the key the PKCS#8 import gives, a key OpenSSL
 * cannot read is the file's fault ("damaged"), and a fault after the import is the validator's
 * ("internal"), never reported as a damaged key. Also the public-root lookup behind the CA kind.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rootCaKind } from '../../electron/services/certificates/pfx-facts';
import { importPrivateKey } from '../../electron/services/certificates/private-key';
import type * as PrivateKeyModule from '../../electron/services/certificates/private-key';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const failAfterImport = vi.hoisted(() => ({ on: false }));
vi.mock('../../electron/services/certificates/private-key', async (original) => {
  const actual = await original<typeof PrivateKeyModule>();
  return {
    importPrivateKey: (pkcs8: Buffer): KeyObject => {
      const key = actual.importPrivateKey(pkcs8);
      // A key object that breaks as soon as the facts use it: a stand-in for a bug after the import.
      if (failAfterImport.on) return new Proxy(key, { get: () => { throw new TypeError('Cannot read properties of undefined'); } });
      return key;
    },
  };
});

const { readPfxFacts } = await import('../../electron/services/certificates/pfx-facts');

afterEach(() => {
  failAfterImport.on = false;
});

describe('private key import', () => {
  const pairs = [
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['RSA-PSS', generateKeyPairSync('rsa-pss', { modulusLength: 2048 })],
    ['EC P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['Ed25519', generateKeyPairSync('ed25519')],
  ] as const;

  it.each(pairs)('gives the %s key the PKCS#8 import gives', (_name, pair) => {
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const imported = importPrivateKey(pkcs8);
    const reference = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(imported.equals(reference)).toBe(true);
    expect(imported.asymmetricKeyType).toBe(reference.asymmetricKeyType);
    expect(imported.asymmetricKeyDetails).toEqual(reference.asymmetricKeyDetails);
  });

  it('throws for bytes that are no key, and for an RSA key whose inner structure is broken', () => {
    expect(() => importPrivateKey(Buffer.from('3003020101', 'hex'))).toThrow();
    const pkcs8 = pairs[0][1].privateKey.export({ format: 'der', type: 'pkcs8' });
    const broken = Buffer.from(pkcs8);
    // Inside the RSAPrivateKey: its modulus tag becomes a BOOLEAN.
    broken[broken.indexOf(Buffer.from('0282', 'hex'), 30)] = 0x01;
    expect(() => importPrivateKey(broken)).toThrow();
  });
});

describe('PFX facts: whose fault', () => {
  const manifest = loadFixtureManifest();
  const valid = manifest.fileVariants.find((v) => v.name === 'valid-3des')!;

  it('reads the key of a valid file', () => {
    const facts = readPfxFacts(valid.file, valid.password);
    expect(facts.openError).toBeNull();
    expect(facts.privateKey).toMatchObject({ count: 1, type: 'rsa', matchesLeaf: true });
  });

  it('reports a failure after the key was imported as a fault of the validator, not a damaged key', () => {
    failAfterImport.on = true;
    const facts = readPfxFacts(valid.file, valid.password);
    expect(facts.openError?.code).toBe('internal');
    expect(facts.openError?.message).not.toMatch(/private key .* damaged/);
    expect(facts.openError?.message).toMatch(/the validator failed on this file/);
  });
});

describe('public roots', () => {
  it("recognises every root of Node's store, by its DER", () => {
    for (const pem of rootCertificates) expect(rootCaKind(new X509Certificate(pem))).toBe('public');
  });

  it('treats the fixture CA as an enterprise root', async () => {
    const { readFileSync } = await import('node:fs');
    expect(rootCaKind(new X509Certificate(readFileSync(loadFixtureManifest().rootCaPem)))).toBe('enterprise');
  });
});
