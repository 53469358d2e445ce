/**
 * CSR generation and key custody: subject parsing, the request structure as OpenSSL reads it, sealed
 * keys (encrypted at rest, bound to their request, refused with a wrong passphrase) and the database
 * record that never holds a key or the passphrase.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ENDPOINTS, generateRequests, planRequests } from '../../electron/services/preparation/csr';
import { buildRequest, parseSubject, requestPem, subjectText } from '../../electron/services/preparation/csr-builder';
import { KeyCustodySession, WrongPassphraseError, encryptedPkcs8Pem, keyIdOf, publicKeyFingerprint } from '../../electron/services/preparation/key-custody';
import type { PrepContext } from '../../electron/services/preparation';
import { BENCH_BASE, MISMATCH_NAME, startTlsBench, type TlsBench } from '../support/tls-bench';
import { tempDir } from './ipc-fixtures';
import { openContext, openssl } from './prep-helpers';

const PASSPHRASE = 'a long custody passphrase';

describe('parseSubject', () => {
  it('reads the documented form in order, with escaped commas and the S alias', () => {
    expect(parseSubject('C=US,ST=Washington,L=Redmond,O=Contoso\\, Ltd,OU=Azure Stack Hub')).toEqual([
      { type: 'C', value: 'US' },
      { type: 'ST', value: 'Washington' },
      { type: 'L', value: 'Redmond' },
      { type: 'O', value: 'Contoso, Ltd' },
      { type: 'OU', value: 'Azure Stack Hub' },
    ]);
    expect(parseSubject(' s = Bavaria , o = Fabrikam ')).toEqual([
      { type: 'ST', value: 'Bavaria' },
      { type: 'O', value: 'Fabrikam' },
    ]);
    expect(subjectText([{ type: 'O', value: 'X' }, { type: 'CN', value: 'a.b' }])).toBe('O=X, CN=a.b');
  });

  it.each([
    ['CN=portal,O=X', /CN is not set by --subject/],
    ['C=USA', /two-letter country code/],
    ['E=a@b.c', /"E" is not one of C, ST, L, O, OU/],
    ['O=', /O has no value/],
    ['Contoso', /is not TYPE=value/],
    ['', /The subject is empty/],
    [`O=${'x'.repeat(65)}`, /O is 65 characters long; the limit is 64/],
  ])('refuses %j', (text, message) => {
    expect(() => parseSubject(text)).toThrow(message);
  });
});

describe('buildRequest', () => {
  it('writes a request OpenSSL verifies, with KU critical, EKU, SANs, CN = first name and the chosen hash', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = buildRequest({ subject: parseSubject('C=US,O=Contoso'), dnsNames: ['*.appservice.east.x.com', '*.scm.appservice.east.x.com'], privateKey, hash: 'sha512' });
    const pem = requestPem(der);
    const { code, output } = openssl(['req', '-verify', '-noout', '-text'], pem);
    expect(code).toBe(0);
    expect(output).toMatch(/verify OK/i);
    expect(output).toMatch(/Subject: C ?= ?US, O ?= ?Contoso, CN ?= ?\*\.appservice\.east\.x\.com/);
    expect(output).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(output).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(output).toContain('DNS:*.appservice.east.x.com, DNS:*.scm.appservice.east.x.com');
    expect(output).toMatch(/Signature Algorithm: sha512WithRSAEncryption/);
    // A tampered request no longer verifies: the signature covers what was encoded.
    const tampered = Buffer.from(der);
    const at = tampered.indexOf(Buffer.from('Contoso'));
    tampered[at] = 'K'.charCodeAt(0);
    const result = openssl(['req', '-verify', '-noout'], requestPem(tampered));
    expect(result.output).toMatch(/verify failure|signature verify.*fail|bad signature/i);
  });
});

describe('planRequests', () => {
  it('plans 11 (AAD) or 13 (AD FS) plus the PaaS endpoints, or one request with every name', () => {
    expect(planRequests('east', 'x.com', 'aad', [], false)).toHaveLength(11);
    const adfs = planRequests('east', 'x.com', 'adfs', ['appservices', 'dbadapter', 'eventhubs', 'iothub', 'acr'], false);
    expect(adfs).toHaveLength(21);
    expect(adfs.find((p) => p.endpoint === 'AppServices/DefaultDomain')).toMatchObject({
      fileBase: 'AppServices-DefaultDomain',
      dnsNames: ['*.appservice.east.x.com', '*.scm.appservice.east.x.com', '*.sso.appservice.east.x.com'],
    });
    expect(adfs.find((p) => p.endpoint === 'Public Extension Host')!.fileBase).toBe('Public-Extension-Host');
    const single = planRequests('east', 'x.com', 'adfs', ['eventhubs'], true);
    expect(single).toHaveLength(1);
    expect(single[0]!.endpoint).toBe(ALL_ENDPOINTS);
    expect(single[0]!.dnsNames[0]).toBe('portal.east.x.com');
    expect(single[0]!.dnsNames).toHaveLength(14);
    expect(new Set(single[0]!.dnsNames).size).toBe(14);
  });

  it('narrows to named endpoints and refuses one outside the set', () => {
    expect(planRequests('east', 'x.com', 'aad', [], false, ['public portal', 'ACSBlob']).map((p) => p.endpoint)).toEqual(['Public Portal', 'ACSBlob']);
    expect(() => planRequests('east', 'x.com', 'aad', [], false, ['ADFS'])).toThrow(/not an endpoint of an Azure AD stamp/);
    expect(() => planRequests('east', 'x.com', 'aad', [], false, ['EventHubs'])).toThrow(/not an endpoint/);
  });
});

describe('generateRequests and key custody', () => {
  let dir: string;
  let cleanup: () => void;
  let ctx: PrepContext;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('prep-csr'));
    ctx = openContext(path.join(dir, 'data'));
  });
  afterEach(() => {
    ctx.store.close();
    cleanup();
  });

  it('writes the requests, seals each key (0600, no clear key) and records requests without secrets', async () => {
    const out = path.join(dir, 'req');
    const result = await generateRequests({ region: 'east', fqdn: 'azurestack.contoso.com', identity: 'aad', subject: 'O=Contoso,OU=Hub', outDir: out, passphrase: PASSPHRASE, only: ['Public Portal', 'KeyVault'] }, ctx);
    expect(result.requests.map((r) => path.basename(r.file))).toEqual(['Public-Portal.req', 'KeyVault.req']);
    expect(result.keyBits).toBe(2048);
    const keysDir = path.join(dir, 'data', 'keys');
    const keyFiles = readdirSync(keysDir);
    expect(keyFiles.sort()).toEqual(result.requests.map((r) => `${r.keyId}.key`).sort());
    for (const file of keyFiles) {
      const text = readFileSync(path.join(keysDir, file), 'utf8');
      expect(text).not.toMatch(/PRIVATE KEY|MII/);
      expect(JSON.parse(text)).toMatchObject({ format: 'azs-rotate-key/1', cipher: 'aes-256-gcm', kdf: { name: 'scrypt', N: 32768, r: 8, p: 1 } });
      expect(statSync(path.join(keysDir, file)).mode & 0o777).toBe(0o600);
    }
    const stored = ctx.store.keyRequests.get(result.requests[0]!.keyId)!;
    expect(stored).toMatchObject({ endpoint: 'Public Portal', endpoints: ['Public Portal'], dnsNames: ['portal.east.azurestack.contoso.com'], identity: 'aad', keyBits: 2048, signatureHash: 'sha256', keyFile: `keys/${stored.keyId}.key` });
    expect(stored.subject).toBe('O=Contoso, OU=Hub, CN=portal.east.azurestack.contoso.com');
    const raw = readFileSync(ctx.store.databasePath).toString('latin1') + readFileSync(`${ctx.store.databasePath}-wal`).toString('latin1');
    expect(raw).not.toContain(PASSPHRASE);
    expect(raw).not.toMatch(/BEGIN (RSA |ENCRYPTED )?PRIVATE KEY/);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'csr.create', actor: 'test:prep' });

    // The key opens with the passphrase and matches the request's public key.
    const session = new KeyCustodySession(path.join(dir, 'data'), PASSPHRASE);
    const key = await session.open(stored.keyFile, stored.keyId, stored.publicKeySha256);
    expect(publicKeyFingerprint(key)).toBe(stored.publicKeySha256);
    expect(keyIdOf(stored.publicKeySha256)).toBe(stored.keyId);
    const reqText = openssl(['req', '-noout', '-pubkey', '-in', result.requests[0]!.file]).output;
    expect(reqText).toContain((key.type === 'private' ? (await import('node:crypto')).createPublicKey(key) : key).export({ type: 'spki', format: 'pem' }) as string);
  });

  it('refuses a wrong passphrase, a swapped key file and a tampered key file', async () => {
    const result = await generateRequests({ region: 'east', fqdn: 'x.com', identity: 'aad', subject: 'O=Contoso', outDir: path.join(dir, 'req'), passphrase: PASSPHRASE, only: ['Public Portal', 'ACSBlob'] }, ctx);
    const [a, b] = result.requests.map((r) => ctx.store.keyRequests.get(r.keyId)!);
    const wrong = new KeyCustodySession(path.join(dir, 'data'), 'not the passphrase');
    await expect(wrong.open(a!.keyFile, a!.keyId, a!.publicKeySha256)).rejects.toBeInstanceOf(WrongPassphraseError);
    const right = new KeyCustodySession(path.join(dir, 'data'), PASSPHRASE);
    // B's file under A's name: the bound key id and fingerprint no longer match.
    await expect(right.open(b!.keyFile, a!.keyId, a!.publicKeySha256)).rejects.toThrow(/another request's key/);
    const file = path.join(dir, 'data', ...a!.keyFile.split('/'));
    const sealed = JSON.parse(readFileSync(file, 'utf8'));
    sealed.ciphertext = Buffer.from(Buffer.from(sealed.ciphertext, 'base64').map((x, i) => (i === 10 ? x ^ 1 : x))).toString('base64');
    writeFileSync(file, JSON.stringify(sealed));
    await expect(right.open(a!.keyFile, a!.keyId, a!.publicKeySha256)).rejects.toBeInstanceOf(WrongPassphraseError);
    writeFileSync(file, 'not json');
    await expect(right.open(a!.keyFile, a!.keyId, a!.publicKeySha256)).rejects.toThrow(/damaged/);
  });

  it('refuses a short passphrase and a bad subject before generating anything', async () => {
    const base = { region: 'east', fqdn: 'x.com', identity: 'aad' as const, outDir: path.join(dir, 'req') };
    await expect(generateRequests({ ...base, subject: 'O=X', passphrase: 'short' }, ctx)).rejects.toThrow(/at least 8 characters/);
    await expect(generateRequests({ ...base, subject: 'C=USA', passphrase: PASSPHRASE }, ctx)).rejects.toThrow(/--subject: C must be/);
    await expect(generateRequests({ ...base, passphrase: PASSPHRASE }, ctx)).rejects.toThrow(/subject is missing/);
    await expect(generateRequests({ ...base, subject: 'O=X', keySize: 1024, passphrase: PASSPHRASE }, ctx)).rejects.toThrow(/--key-size 1024 is not offered/);
    expect(ctx.store.keyRequests.list()).toEqual([]);
  });

  it('renews from a SHA-1 certificate with an odd key size: SHA-256 and the next offered size, with notes', async () => {
    const keyFile = path.join(dir, 'old.key');
    const certFile = path.join(dir, 'old.crt');
    expect(openssl(['req', '-x509', '-newkey', 'rsa:2560', '-nodes', '-keyout', keyFile, '-out', certFile, '-sha1', '-days', '5', '-subj', '/O=Old Corp/CN=old.example']).code).toBe(0);
    const result = await generateRequests({ region: 'east', fqdn: 'x.com', identity: 'aad', fromCert: certFile, outDir: path.join(dir, 'req'), passphrase: PASSPHRASE, only: ['ARM Public'] }, ctx);
    expect(result.keyBits).toBe(3072);
    expect(result.signatureHash).toBe('sha256');
    expect(result.notes.join(' ')).toMatch(/2560-bit key; the new key has 3072 bits.*sha1WithRSAEncryption; the request is signed with SHA-256/);
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', result.requests[0]!.file]).output;
    expect(text).toMatch(/Subject: O ?= ?Old Corp, CN ?= ?management\.east\.x\.com/);
    expect(text).toMatch(/sha256WithRSAEncryption/);
  });

  it('exports an encrypted PKCS#8 PEM that OpenSSL and Node open with the passphrase only', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = encryptedPkcs8Pem(privateKey, PASSPHRASE);
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(createPrivateKey({ key: pem, passphrase: PASSPHRASE }).export({ type: 'pkcs8', format: 'der' })).toEqual(privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(() => createPrivateKey({ key: pem, passphrase: 'wrong passphrase' })).toThrow();
    expect(openssl(['pkey', '-noout', '-passin', `pass:${PASSPHRASE}`], pem).code).toBe(0);
    // PBES2 with PBKDF2-HMAC-SHA256 at 600,000 rounds (0x927C0), not OpenSSL's default 2048.
    const structure = openssl(['asn1parse'], pem).output;
    expect(structure).toMatch(/PBES2[\s\S]*PBKDF2[\s\S]*INTEGER\s+:0927C0[\s\S]*hmacWithSHA256[\s\S]*aes-256-cbc/);
  });
});

describe('renewal from a live endpoint (the probe bench on 127.0.0.1)', () => {
  let bench: TlsBench;
  let dir: string;
  let cleanup: () => void;
  let ctx: PrepContext;
  let strong: tls.Server;
  let strongPort: number;
  const base = { region: 'east', fqdn: 'azurestack.contoso.com', identity: 'aad' as const, passphrase: PASSPHRASE, only: ['Public Portal'] };

  beforeAll(async () => {
    bench = await startTlsBench();
    ({ dir, cleanup } = tempDir('prep-csr-live'));
    ctx = openContext(path.join(dir, 'data'));
    // One more server with a 3072-bit key signed with SHA-384, so size and hash are seen to come from the wire.
    const keyFile = path.join(dir, 'strong.key');
    const certFile = path.join(dir, 'strong.crt');
    expect(openssl(['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', keyFile, '-out', certFile, '-sha384', '-days', '20', '-subj', `/C=DE/O=Fabrikam/OU=Hub Ops/CN=portal.${BENCH_BASE}`, '-addext', `subjectAltName=DNS:portal.${BENCH_BASE}`]).code).toBe(0);
    strong = tls.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
    strong.on('tlsClientError', () => undefined);
    strongPort = await new Promise<number>((resolve) => strong.listen(0, '127.0.0.1', () => resolve((strong.address() as AddressInfo).port)));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => strong.close(() => resolve()));
    await bench.close();
    ctx.store.close();
    cleanup();
  });

  it('takes the subject of the served certificate (SNI = the host), even an expired one', async () => {
    const result = await generateRequests({ ...base, fromEndpoint: { host: `portal.${BENCH_BASE}`, connect: { host: '127.0.0.1', port: bench.port }, timeoutMs: 5000 }, outDir: path.join(dir, 'a') }, ctx);
    expect(result.requests[0]!.subject).toBe(`O=Bench, CN=portal.${BENCH_BASE}`);
    expect(result.keyBits).toBe(2048);
    expect(result.signatureHash).toBe('sha256');
    const expired = await generateRequests({ ...base, only: ['ARM Admin'], fromEndpoint: { host: `adminmanagement.${BENCH_BASE}`, connect: { host: '127.0.0.1', port: bench.port } }, outDir: path.join(dir, 'b') }, ctx);
    expect(expired.requests[0]!.subject).toBe(`O=Bench, CN=adminmanagement.${BENCH_BASE}`);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'csr.create', detail: { fromEndpoint: `adminmanagement.${BENCH_BASE}`, fromCert: null } });
  });

  it('takes key size and signature hash from the wire too, and OpenSSL verifies the request', async () => {
    const result = await generateRequests({ ...base, fromEndpoint: { host: `portal.${BENCH_BASE}`, connect: { host: '127.0.0.1', port: strongPort } }, outDir: path.join(dir, 'c') }, ctx);
    expect(result.keyBits).toBe(3072);
    expect(result.signatureHash).toBe('sha384');
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', result.requests[0]!.file]).output;
    expect(text).toMatch(/verify OK/i);
    expect(text).toMatch(/Subject: C ?= ?DE, O ?= ?Fabrikam, OU ?= ?Hub Ops, CN ?= ?portal\.east\.azurestack\.contoso\.com/);
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
    expect(text).toMatch(/Signature Algorithm: sha384WithRSAEncryption/);
  });

  it('refuses a certificate that does not cover the name, an unreachable endpoint, an IP address, and both sources at once', async () => {
    const connect = { host: '127.0.0.1', port: bench.port };
    await expect(generateRequests({ ...base, fromEndpoint: { host: MISMATCH_NAME, connect }, outDir: path.join(dir, 'd') }, ctx)).rejects.toThrow(/does not cover azsprobe\.blob/);
    await expect(generateRequests({ ...base, fromEndpoint: { host: `portal.${BENCH_BASE}`, connect: { host: '127.0.0.1', port: bench.closedPort } }, outDir: path.join(dir, 'd') }, ctx)).rejects.toThrow(
      /Cannot read the certificate served by portal\.east\.azurestack\.contoso\.com \(connecting to 127\.0\.0\.1:\d+\): Connection refused/,
    );
    await expect(generateRequests({ ...base, fromEndpoint: { host: `portal.${BENCH_BASE}`, connect: { host: '127.0.0.1', port: bench.silentPort }, timeoutMs: 300 }, outDir: path.join(dir, 'd') }, ctx)).rejects.toThrow(/No TLS answer within 300 ms/);
    await expect(generateRequests({ ...base, fromEndpoint: { host: '127.0.0.1', port: bench.port }, outDir: path.join(dir, 'd') }, ctx)).rejects.toThrow(/is not a DNS name/);
    await expect(generateRequests({ ...base, fromCert: path.join(dir, 'x.crt'), fromEndpoint: { host: `portal.${BENCH_BASE}` }, outDir: path.join(dir, 'd') }, ctx)).rejects.toThrow(/not both/);
    expect(() => readdirSync(path.join(dir, 'd'))).toThrow();
  });
});
