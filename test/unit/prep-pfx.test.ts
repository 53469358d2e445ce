/**
 * PFX writing, certificate file reading, chain ordering, assembly and repackaging as services.
 *
 * Outputs are re-read three ways: by OpenSSL (`pkcs12 -info`), by the engine's own reader and by the
 * validation rules; bad inputs (no stored key, a chain that does not link, a wrong passphrase, a file
 * that is no certificate) must each give their own problem or error.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPfxFacts } from '../../electron/services/certificates/pfx-facts';
import type { PrepContext } from '../../electron/services/preparation';
import { assemblePfxFiles } from '../../electron/services/preparation/assemble';
import { loadCertificateFile, orderChain, parseCertificateBytes } from '../../electron/services/preparation/certificate-files';
import { generateRequests } from '../../electron/services/preparation/csr';
import { WrongPassphraseError } from '../../electron/services/preparation/key-custody';
import { writePfx } from '../../electron/services/preparation/pkcs12-writer';
import { MODERN_PROFILE_NOTE, stampBaseFromSans } from '../../electron/services/preparation/output-validation';
import { repackagePfx } from '../../electron/services/preparation/repackage';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir } from './ipc-fixtures';
import { openContext, openssl, selfSignedWithSans, signRequest, writeChainFile, writeTestPfx } from './prep-helpers';

const manifest = loadFixtureManifest();
const PASSPHRASE = 'pfx test passphrase';
const { dir, cleanup } = tempDir('prep-pfx');
let ctx: PrepContext;
const pem = (file: string) => new X509Certificate(readFileSync(file));

beforeAll(() => {
  ctx = openContext(path.join(dir, 'data'));
});
afterAll(() => {
  ctx.store.close();
  cleanup();
});

describe('writePfx', () => {
  mkdirSync(path.join(dir, 'self'), { recursive: true });
  const leaf = selfSignedWithSans(path.join(dir, 'self'), 'leaf', ['portal.east.x.com']);

  it('azure-stack profile: TripleDES-SHA1 bags, SHA-1 MAC, machine keyset, as OpenSSL and the engine read it', () => {
    const file = path.join(dir, 'as.pfx');
    writeFileSync(file, writePfx({ certificates: [leaf.cert.raw], privateKey: leaf.key, password: 'Pfx2026Password', profile: 'azure-stack', friendlyName: 'Public Portal' }));
    const info = openssl(['pkcs12', '-info', '-noout', '-legacy', '-in', file, '-passin', 'pass:Pfx2026Password']).output;
    expect(info).toMatch(/MAC: sha1, Iteration 2048/);
    expect(info).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    const bags = openssl(['pkcs12', '-in', file, '-passin', 'pass:Pfx2026Password', '-nodes', '-legacy']).output;
    expect(bags).toMatch(/Microsoft Local Key set/);
    expect(bags).toMatch(/friendlyName: Public Portal/);
    const facts = readPfxFacts(file, 'Pfx2026Password');
    expect(facts.openError).toBeNull();
    expect(facts.bags.map((b) => [b.type, b.encryption?.oid, b.inEncryptedContainer])).toEqual([
      ['certificate', '1.2.840.113549.1.12.1.3', true],
      ['shrouded-private-key', '1.2.840.113549.1.12.1.3', false],
    ]);
    expect(facts.mac?.digest).toBe('SHA-1');
    expect(facts.privateKey).toMatchObject({ count: 1, matchesLeaf: true, machineKeySet: true });
    expect(readPfxFacts(file, 'wrong').openError?.code).toBe('wrong-password');
  });

  it('modern profile: PBES2 AES-256-CBC with HMAC-SHA256, SHA-256 MAC; Unicode passwords round-trip', () => {
    const file = path.join(dir, 'modern.pfx');
    writeFileSync(file, writePfx({ certificates: [leaf.cert.raw], privateKey: leaf.key, password: 'Pässwort2026Ω', profile: 'modern' }));
    const info = openssl(['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:Pässwort2026Ω']).output;
    expect(info).toMatch(/MAC: sha256/);
    expect(info).toMatch(/PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    const facts = readPfxFacts(file, 'Pässwort2026Ω');
    expect(facts.openError).toBeNull();
    expect(facts.bags[1]!.machineKeySet).toBe(true);
  });
});

describe('certificate files and chains', () => {
  it('reads PEM bundles, DER and PKCS#7 (DER and PEM), and says what a non-certificate is', async () => {
    const bundle = Buffer.from(readFileSync(manifest.intermediatePem, 'utf8') + readFileSync(manifest.rootCaPem, 'utf8'));
    expect(parseCertificateBytes(bundle)).toHaveLength(2);
    expect(parseCertificateBytes(pem(manifest.rootCaPem).raw)).toHaveLength(1);
    const p7b = path.join(dir, 'chain.p7b');
    openssl(['crl2pkcs7', '-nocrl', '-certfile', manifest.intermediatePem, '-certfile', manifest.rootCaPem, '-outform', 'DER', '-out', p7b]);
    expect((await loadCertificateFile(p7b)).map((c) => c.x509.subject)).toEqual([pem(manifest.intermediatePem).subject, pem(manifest.rootCaPem).subject]);
    const p7bPem = path.join(dir, 'chain-pem.p7b');
    openssl(['crl2pkcs7', '-nocrl', '-certfile', manifest.rootCaPem, '-out', p7bPem]);
    expect(await loadCertificateFile(p7bPem)).toHaveLength(1);
    const key = path.join(dir, 'only-a-key.pem');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    await expect(loadCertificateFile(key)).rejects.toThrow(/holds PEM blocks \(PRIVATE KEY\) but no certificate/);
    const junk = path.join(dir, 'junk.cer');
    writeFileSync(junk, 'hello');
    await expect(loadCertificateFile(junk)).rejects.toThrow(/not a certificate file/);
    await expect(loadCertificateFile(path.join(dir, 'missing.cer'))).rejects.toThrow(/does not exist/);
  });

  it('orders a shuffled pool leaf → intermediate → root and leaves unrelated certificates out', async () => {
    const leaf = (await loadCertificateFile(path.join(manifest.root, 'work', readdirSync(path.join(manifest.root, 'work')).find((f) => f.startsWith('leaf-'))!)))[0]!;
    const root = (await loadCertificateFile(manifest.rootCaPem))[0]!;
    const intermediate = (await loadCertificateFile(manifest.intermediatePem))[0]!;
    const other = (await loadCertificateFile(manifest.otherRootCaPem))[0]!;
    const ordered = orderChain(leaf, [other, root, intermediate]);
    expect(ordered.complete).toBe(true);
    expect(ordered.chain).toEqual([leaf, intermediate, root]);
    const stopped = orderChain(leaf, [other, root]);
    expect(stopped).toMatchObject({ complete: false, signatureMismatch: false });
    expect(stopped.missingIssuer).toMatch(/Issuing CA/);
  });
});

describe('assemblePfxFiles', () => {
  let requests: Awaited<ReturnType<typeof generateRequests>>;
  const issued = path.join(dir, 'issued');
  const chain = path.join(dir, 'chain.pem');

  beforeAll(async () => {
    requests = await generateRequests({ region: manifest.region, fqdn: manifest.fqdn, identity: 'aad', subject: 'O=Contoso', outDir: path.join(dir, 'req'), passphrase: PASSPHRASE, only: ['Public Portal', 'ACSQueue'] }, ctx);
    mkdirSync(issued);
    for (const r of requests.requests) signRequest(r.file, path.join(issued, path.basename(r.file, '.req') + '.crt'), manifest);
    writeChainFile(manifest, chain);
  });

  it('writes one validated PFX per issued certificate and marks the requests assembled', async () => {
    const result = await assemblePfxFiles({ issued, chain, outDir: path.join(dir, 'out'), password: manifest.password, passphrase: PASSPHRASE, currentCa: 'enterprise' }, ctx);
    expect(result.problems).toEqual([]);
    expect(result.summary).toMatchObject({ assembled: 2, ok: 2 });
    expect(result.outputs.map((o) => path.basename(o.file))).toEqual(['ACSQueue.pfx', 'Public-Portal.pfx']);
    for (const o of result.outputs) {
      expect(o.validations).toEqual([{ endpoint: o.endpoint, status: 'ok', issues: [] }]);
      expect(ctx.store.keyRequests.get(o.keyId)).toMatchObject({ certificateThumbprint: o.thumbprint });
    }
    const facts = readPfxFacts(result.outputs[1]!.file, manifest.password);
    expect(facts.chain.path).toEqual([0, 1, 2]);
    expect(facts.chain.stop.kind).toBe('root');
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'pfx.assemble' });
  });

  it('modern profile: the outputs pass with a pfx-encryption warning saying they are not for the rotation', async () => {
    const result = await assemblePfxFiles({ issued, chain, outDir: path.join(dir, 'out-modern'), password: manifest.password, passphrase: PASSPHRASE, currentCa: 'enterprise', profile: 'modern' }, ctx);
    expect(result.summary).toMatchObject({ assembled: 2, ok: 0, warning: 2, fail: 0 });
    for (const o of result.outputs) {
      expect(o.validations).toEqual([{ endpoint: o.endpoint, status: 'warning', issues: [{ id: 'pfx-encryption', status: 'warning', message: expect.stringContaining(MODERN_PROFILE_NOTE) }] }]);
    }
    expect(readPfxFacts(result.outputs[0]!.file, manifest.password).mac?.digest).toBe('SHA-256');
  });

  it('reports a certificate with no stored key and a chain that does not link, and writes neither', async () => {
    const bad = path.join(dir, 'issued-bad');
    mkdirSync(bad);
    const stranger = selfSignedWithSans(path.join(dir, 'self'), 'stranger', [`portal.${manifest.region}.${manifest.fqdn}`]);
    writeFileSync(path.join(bad, 'stranger.cer'), stranger.cert.raw);
    writeFileSync(path.join(bad, 'portal.cer'), readFileSync(path.join(issued, 'Public-Portal.crt')));
    writeFileSync(path.join(bad, 'notes.pem'), 'not a certificate');
    const out = path.join(dir, 'out-bad');
    const result = await assemblePfxFiles({ issued: bad, chain: manifest.rootCaPem, outDir: out, password: manifest.password, passphrase: PASSPHRASE }, ctx);
    expect(result.outputs).toEqual([]);
    expect(result.problems.map((p) => [path.basename(p.file), p.code]).sort()).toEqual([
      ['notes.pem', 'unreadable'],
      ['portal.cer', 'chain-incomplete'],
      ['stranger.cer', 'no-matching-key'],
    ]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('throws WrongPassphraseError when the passphrase opens no key, before writing anything', async () => {
    const out = path.join(dir, 'out-wrong');
    await expect(assemblePfxFiles({ issued, chain, outDir: out, password: manifest.password, passphrase: 'the wrong passphrase' }, ctx)).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(() => readdirSync(out)).toThrow();
  });

  it('refuses an empty issued folder', async () => {
    const empty = path.join(dir, 'empty-issued');
    mkdirSync(empty);
    await expect(assemblePfxFiles({ issued: empty, chain, outDir: path.join(dir, 'o'), password: 'x', passphrase: PASSPHRASE }, ctx)).rejects.toThrow(/holds no certificate file/);
  });
});

describe('repackagePfx', () => {
  const variant = (name: string) => manifest.fileVariants.find((v) => v.name === name)!.file;

  it('refuses a file without a private key and one whose key matches no certificate', async () => {
    await expect(repackagePfx({ input: variant('no-private-key'), output: path.join(dir, 'r1.pfx'), password: manifest.password })).rejects.toThrow(/holds no private key/);
    await expect(repackagePfx({ input: variant('mismatched-key'), output: path.join(dir, 'r2.pfx'), password: manifest.password })).rejects.toThrow(/matches none of its certificates/);
  });

  it('keeps an incomplete chain as it is and says what is missing', async () => {
    const result = await repackagePfx({ input: variant('missing-intermediate'), output: path.join(dir, 'r3.pfx'), password: manifest.password });
    expect(result.chainComplete).toBe(false);
    expect(result.missingIssuer).toMatch(/Issuing CA/);
    expect(result.chain).toHaveLength(1);
  });

  it('writes the chain validation chooses: the valid root over an expired cross-sign, the rollover link kept', async () => {
    const crossed = await repackagePfx({ input: variant('expired-cross-sign-first'), output: path.join(dir, 'r11.pfx'), password: manifest.password, currentCa: 'enterprise' });
    expect(crossed.chain.map((c) => c.subject)).toEqual([expect.stringMatching(/^CN=portal\./), expect.stringMatching(/Issuing CA/), expect.stringMatching(/Root CA/)]);
    expect(crossed.chainComplete).toBe(true);
    // The expired cross-signed copy (the root's name, issued by the legacy root) is the one left out.
    expect(crossed.dropped).toHaveLength(1);
    expect(readPfxFacts(crossed.output, manifest.password).certificates.map((c) => c.issuer).join('|')).not.toMatch(/Legacy Root/);
    expect(crossed.validation.status).toBe('ok');

    const rolled = await repackagePfx({ input: variant('key-rollover'), output: path.join(dir, 'r12.pfx'), password: manifest.password, currentCa: 'enterprise' });
    expect(rolled.chain).toHaveLength(4);
    expect(rolled.chainComplete).toBe(true);
    expect(rolled.dropped).toEqual([]);
    expect(rolled.validation.status).toBe('ok');
  });

  it('validates the output against the endpoints its SANs serve, reading region and domain from them', async () => {
    const result = await repackagePfx({ input: variant('no-lmk'), output: path.join(dir, 'r4.pfx'), password: manifest.password, currentCa: 'enterprise' });
    expect(result.validation).toMatchObject({ basis: 'sans', region: manifest.region, fqdn: manifest.fqdn, status: 'ok' });
    expect(result.validation.results).toEqual([{ endpoint: 'Public Portal', status: 'ok', issues: [] }]);
    expect(result.validation.note).toMatch(/Public Portal of east\.azurestack\.contoso\.com \(read from the SANs\)/);
  });

  it('validates against the endpoint named, and fails the output that does not fit it', async () => {
    const result = await repackagePfx({ input: variant('valid-3des'), output: path.join(dir, 'r5.pfx'), password: manifest.password, endpoint: 'ACSBlob', region: manifest.region, fqdn: manifest.fqdn, currentCa: 'enterprise' });
    expect(result.validation).toMatchObject({ basis: 'endpoint', status: 'fail' });
    expect(result.validation.results[0]!.endpoint).toBe('ACSBlob');
    expect(result.validation.results[0]!.issues.map((i) => [i.id, i.status])).toEqual([['dns-names', 'fail']]);
    await expect(repackagePfx({ input: variant('valid-3des'), output: path.join(dir, 'r6.pfx'), password: manifest.password, endpoint: 'Nowhere' })).rejects.toThrow(/"Nowhere" is not an endpoint/);
  });

  it('without an endpoint to tell, runs the endpoint-independent checks (dns-names not judged) and still fails what is wrong', async () => {
    mkdirSync(path.join(dir, 'other'), { recursive: true });
    const stranger = selfSignedWithSans(path.join(dir, 'other'), 'www', ['www.example.org']);
    const input = writeTestPfx(path.join(dir, 'www.pfx'), [stranger.cert.raw], stranger.key, 'Www2026Password', 'modern');
    const result = await repackagePfx({ input, output: path.join(dir, 'r7.pfx'), password: 'Www2026Password' });
    expect(result.validation).toMatchObject({ basis: 'none', region: null, fqdn: null });
    expect(result.validation.results).toHaveLength(1);
    expect(result.validation.results[0]!.endpoint).toBeNull();
    const ids = result.validation.results[0]!.issues.map((i) => i.id);
    expect(ids).not.toContain('dns-names');
    expect(ids).not.toContain('pfx-encryption');
    // A self-signed end-entity certificate is no chain to a root: that is judged without an endpoint too.
    expect(result.validation.status).toBe('fail');
    await expect(repackagePfx({ input, output: path.join(dir, 'r8.pfx'), password: 'Www2026Password', endpoint: 'Public Portal' })).rejects.toThrow(/region and external domain are needed/);
  });

  it('modern profile: pfx-encryption is a warning naming the profile, not a failure', async () => {
    const result = await repackagePfx({ input: variant('no-lmk'), output: path.join(dir, 'r9.pfx'), password: manifest.password, profile: 'modern', currentCa: 'enterprise' });
    expect(result.validation.status).toBe('warning');
    expect(result.validation.results[0]!.issues).toEqual([{ id: 'pfx-encryption', status: 'warning', message: expect.stringMatching(new RegExp(`^${MODERN_PROFILE_NOTE} \\(Not TripleDES-SHA1`)) }]);
    const strict = await repackagePfx({ input: variant('no-lmk'), output: path.join(dir, 'r10.pfx'), password: manifest.password, profile: 'azure-stack', currentCa: 'enterprise' });
    expect(strict.validation.status).toBe('ok');
  });
});

describe('stampBaseFromSans', () => {
  it('reads region and domain from documented names, and gives up on names that fit none or disagree', () => {
    expect(stampBaseFromSans(['portal.east.azurestack.contoso.com'])).toEqual({ region: 'east', fqdn: 'azurestack.contoso.com' });
    expect(stampBaseFromSans(['*.blob.west.hub.fabrikam.net', '*.queue.west.hub.fabrikam.net'])).toEqual({ region: 'west', fqdn: 'hub.fabrikam.net' });
    expect(stampBaseFromSans(['api.appservice.east.x.com'])).toEqual({ region: 'east', fqdn: 'x.com' });
    expect(stampBaseFromSans(['www.example.org'])).toBeNull();
    expect(stampBaseFromSans(['portal.east.a.com', 'portal.west.a.com'])).toBeNull();
    expect(stampBaseFromSans([])).toBeNull();
  });
});
