/**
 * The Prepare workspace's IPC channels through the real backend: the same gate (sender, zod), the real
 * services, a real SQLite file; responses checked against the contract, secrets kept out of the answers,
 * the audit log and the diagnostics.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import type { IpcResult } from '../../shared/ipc/contract';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir, trustedSender } from './ipc-fixtures';
import { BENCH_BASE, startTlsBench } from '../support/tls-bench';
import { openssl, signRequest, writeChainFile } from './prep-helpers';

const manifest = loadFixtureManifest();
const PASSPHRASE = 'ipc-passphrase-UNIQUE-7731';

describe('prep.* channels', () => {
  let dir: string;
  let cleanup: () => void;
  let backend: Backend;
  let rendererDir: string;
  const logger = { error: vi.fn(), warn: vi.fn() };

  const call = async <T = Record<string, unknown>>(channel: string, payload: unknown): Promise<IpcResult<T>> =>
    (await backend.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  const ok = async <T = Record<string, unknown>>(channel: string, payload: unknown): Promise<T> => {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.value;
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('prep-ipc'));
    rendererDir = path.join(dir, 'dist', 'renderer');
    backend = createBackend({
      dataDir: path.join(dir, 'data'),
      dialogs: { openFolder: async () => null, saveFile: async () => null },
      appVersion: '9.9.9',
      rendererDir,
      logger,
      actor: 'app:tester',
    });
  });
  afterEach(() => {
    backend.close();
    cleanup();
  });

  it('previews the tree, creates it, and shows entries that do not belong', async () => {
    const share = path.join(dir, 'share');
    mkdirSync(path.join(share, 'Certificates', 'AAD', 'Old stuff'), { recursive: true });
    const preview = await ok<{ folders: { relative: string; exists: boolean }[]; unexpected: string[] }>('prep.previewTree', { shareRoot: share, identity: 'aad' });
    expect(preview.folders).toHaveLength(13);
    expect(preview.folders.filter((f) => f.exists).map((f) => f.relative)).toEqual(['Certificates', 'Certificates/AAD']);
    expect(preview.unexpected).toEqual([path.join(share, 'Certificates', 'AAD', 'Old stuff')]);
    const made = await ok<{ created: string[]; unexpected: string[] }>('prep.makeDirs', { shareRoot: share, identity: 'aad', paasDir: null, paas: [] });
    expect(made.created).toHaveLength(11);
    expect(made.unexpected).toEqual([path.join(share, 'Certificates', 'AAD', 'Old stuff')]);
    expect(backend.store.audit.list()[0]).toMatchObject({ action: 'share.make-dirs', actor: 'app:tester' });
  });

  it('runs CSR → assemble → place → backup with secrets only in requests', async () => {
    const csr = await ok<{ requests: { file: string; keyId: string }[] }>('prep.generateCsrs', {
      region: manifest.region,
      fqdn: manifest.fqdn,
      identity: 'aad',
      subject: 'O=Contoso',
      paas: [],
      single: true,
      keySize: 2048,
      outDir: path.join(dir, 'req'),
      passphrase: PASSPHRASE,
    });
    expect(csr.requests).toHaveLength(1);
    const keys = await ok<{ keyId: string; keyFile?: string }[]>('prep.listKeys', {});
    expect(keys.map((k) => k.keyId)).toEqual([csr.requests[0]!.keyId]);
    expect(keys[0]).not.toHaveProperty('keyFile');

    mkdirSync(path.join(dir, 'issued'));
    signRequest(csr.requests[0]!.file, path.join(dir, 'issued', 'all.cer'), manifest);
    const assembled = await ok<{ outputs: { status: string; validations: unknown[] }[]; problems: unknown[] }>('prep.assemble', {
      issued: path.join(dir, 'issued'),
      chain: writeChainFile(manifest, path.join(dir, 'chain.pem')),
      outDir: path.join(dir, 'pfx'),
      profile: 'azure-stack',
      currentCa: 'enterprise',
      password: manifest.password,
      passphrase: PASSPHRASE,
    });
    expect(assembled.problems).toEqual([]);
    // One multi-SAN certificate, validated against each of the 11 endpoints it serves (extra SANs warn).
    expect(assembled.outputs[0]!.validations).toHaveLength(11);
    expect(assembled.outputs[0]!.status).toBe('warning');

    const share = path.join(dir, 'share');
    await ok('prep.makeDirs', { shareRoot: share, identity: 'aad', paasDir: null, paas: [] });
    const placed = await ok<{ files: { status: string; candidates: string[] }[] }>('prep.place', {
      pfxFolder: path.join(dir, 'pfx'),
      shareRoot: share,
      identity: 'aad',
      region: manifest.region,
      fqdn: manifest.fqdn,
      paasDir: null,
      password: manifest.password,
    });
    expect(placed.files[0]).toMatchObject({ status: 'multiple-matches' });
    expect(placed.files[0]!.candidates).toHaveLength(11);

    cpSync(manifest.shares.aadValid, path.join(share, 'Certificates'), { recursive: true });
    const backup = await ok<{ verified: boolean }>('prep.backupCreate', { certificatesDir: path.join(share, 'Certificates'), to: path.join(dir, 'backup') });
    expect(backup.verified).toBe(true);
    expect((await ok<{ ok: boolean }>('prep.backupVerify', { backupDir: path.join(dir, 'backup') })).ok).toBe(true);
    const restored = await ok<{ unchanged: string[] }>('prep.backupRestore', { backupDir: path.join(dir, 'backup'), to: path.join(share, 'Certificates') });
    expect(restored.unchanged).toHaveLength(11);
    const cleaned = await ok<{ removed: string[] }>('prep.cleanShare', { certificatesDir: path.join(share, 'Certificates'), backupDir: path.join(dir, 'backup') });
    expect(cleaned.removed).toEqual([]);

    const audit = JSON.stringify(backend.store.audit.list({ limit: 100 }));
    for (const action of ['csr.create', 'pfx.assemble', 'share.place', 'backup.create', 'backup.verify', 'backup.restore', 'share.clean']) expect(audit).toContain(action);
    expect(audit).not.toContain(PASSPHRASE);
    expect(audit).not.toContain(manifest.password);
    const db = readFileSync(backend.store.databasePath).toString('latin1') + readFileSync(`${backend.store.databasePath}-wal`).toString('latin1');
    expect(db).not.toContain(PASSPHRASE);
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain(PASSPHRASE);
  });

  it('answers typed errors: a wrong passphrase, a bad request, a share test with a credential off Windows', async () => {
    await ok('prep.generateCsrs', { region: 'east', fqdn: 'x.com', identity: 'aad', subject: 'O=X', paas: [], single: true, keySize: 2048, outDir: path.join(dir, 'req'), passphrase: PASSPHRASE });
    mkdirSync(path.join(dir, 'issued'));
    signRequest(path.join(dir, 'req', readdirSync(path.join(dir, 'req'))[0]!), path.join(dir, 'issued', 'a.cer'), manifest);
    const wrong = await call('prep.assemble', { issued: path.join(dir, 'issued'), chain: null, outDir: path.join(dir, 'out'), profile: 'azure-stack', currentCa: 'unknown', password: 'x', passphrase: 'not it at all' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/passphrase does not open key/) } });
    const short = await call('prep.generateCsrs', { region: 'east', fqdn: 'x.com', identity: 'aad', subject: 'O=X', paas: [], single: false, keySize: 2048, outDir: dir, passphrase: 'short' });
    expect(short).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/passphrase: Use at least 8 characters/) } });
    const odd = await call('prep.generateCsrs', { region: 'east', fqdn: 'x.com', identity: 'aad', subject: 'O=X', paas: [], single: false, keySize: 1024, outDir: dir, passphrase: PASSPHRASE });
    expect(odd.ok).toBe(false);
    const share = await call('prep.shareTest', { path: dir, user: 'CONTOSO\\svc', password: 'Share-Secret-99' });
    if (process.platform !== 'win32') {
      expect(share).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/net use on Windows only/) } });
    }
    expect(JSON.stringify(share)).not.toContain('Share-Secret-99');
    const plain = await ok<{ ok: boolean }>('prep.shareTest', { path: dir, user: null, password: null });
    expect(plain.ok).toBe(true);
  });

  it('renews requests from a certificate file and from a live endpoint; refuses a bad endpoint', async () => {
    const cert = path.join(dir, 'current.crt');
    expect(openssl(['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', path.join(dir, 'current.key'), '-out', cert, '-sha384', '-days', '10', '-subj', '/C=DE/O=Fabrikam/CN=portal.east.x.com']).code).toBe(0);
    const base = { region: 'east', fqdn: 'azurestack.contoso.com', identity: 'aad', paas: [], single: true, passphrase: PASSPHRASE };
    const fromFile = await ok<{ keyBits: number; signatureHash: string; requests: { subject: string }[] }>('prep.renewCsrs', { ...base, renewFrom: { kind: 'file', file: cert }, outDir: path.join(dir, 'renew-file') });
    expect(fromFile).toMatchObject({ keyBits: 3072, signatureHash: 'sha384' });
    expect(fromFile.requests[0]!.subject).toBe('C=DE, O=Fabrikam, CN=portal.east.azurestack.contoso.com');

    const bench = await startTlsBench();
    try {
      const live = await ok<{ requests: { subject: string }[] }>('prep.renewCsrs', {
        ...base,
        single: false,
        renewFrom: { kind: 'endpoint', endpoint: `portal.${BENCH_BASE}`, connect: `127.0.0.1:${bench.port}` },
        outDir: path.join(dir, 'renew-live'),
      });
      expect(live.requests).toHaveLength(11);
      expect(live.requests[0]!.subject).toBe(`O=Bench, CN=portal.${BENCH_BASE}`);
      const refused = await call('prep.renewCsrs', { ...base, renewFrom: { kind: 'endpoint', endpoint: `portal.${BENCH_BASE}`, connect: `127.0.0.1:${bench.closedPort}` }, outDir: path.join(dir, 'never') });
      expect(refused).toMatchObject({ ok: false, error: { code: 'io-error', message: expect.stringMatching(/Connection refused/) } });
    } finally {
      await bench.close();
    }
    const badPort = await call('prep.renewCsrs', { ...base, renewFrom: { kind: 'endpoint', endpoint: 'portal.east.x.com:99999', connect: null }, outDir: path.join(dir, 'never') });
    expect(badPort).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/is not HOST or HOST:PORT/) } });
    const badShape = await call('prep.renewCsrs', { ...base, renewFrom: { kind: 'endpoint', endpoint: 'https://portal', connect: null }, outDir: path.join(dir, 'never') });
    expect(badShape.ok).toBe(false);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    expect(JSON.stringify(backend.store.audit.list({ limit: 20 }))).not.toContain(PASSPHRASE);
  });

  it('exports stored keys as encrypted PKCS#8 files; a wrong passphrase writes nothing', async () => {
    const csr = await ok<{ requests: { keyId: string }[] }>('prep.generateCsrs', {
      region: 'east', fqdn: 'x.com', identity: 'aad', subject: 'O=X', paas: [], single: false, keySize: 2048, outDir: path.join(dir, 'req'), passphrase: PASSPHRASE,
    });
    const wrong = await call('prep.exportKeys', { keyIds: [], outDir: path.join(dir, 'wrong-export'), passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/passphrase does not open key/) } });
    expect(existsSync(path.join(dir, 'wrong-export'))).toBe(false);
    const one = await ok<{ keys: { keyId: string; file: string }[] }>('prep.exportKeys', { keyIds: [csr.requests[2]!.keyId], outDir: path.join(dir, 'export-one'), passphrase: PASSPHRASE });
    expect(one.keys.map((k) => k.keyId)).toEqual([csr.requests[2]!.keyId]);
    const all = await ok<{ keys: { file: string }[] }>('prep.exportKeys', { keyIds: [], outDir: path.join(dir, 'export-all'), passphrase: PASSPHRASE });
    expect(all.keys).toHaveLength(11);
    const file = all.keys[0]!.file;
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(openssl(['pkey', '-in', file, '-passin', `pass:${PASSPHRASE}`, '-noout']).code).toBe(0);
    expect(backend.store.audit.list()[0]).toMatchObject({ action: 'key.export', actor: 'app:tester' });
    const unknown = await call('prep.exportKeys', { keyIds: ['0123456789abcdef'], outDir: path.join(dir, 'x'), passphrase: PASSPHRASE });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('repackages a PFX and answers the validation of the output; secrets stay out of answers and records', async () => {
    const input = manifest.fileVariants.find((v) => v.name === 'aes256-sha256')!.file;
    const result = await ok<{ written: { keyEncryption: string }; passwordChanged: boolean; validation: { basis: string; status: string; results: { endpoint: string | null }[] } }>('prep.repackage', {
      input,
      output: path.join(dir, 'out.pfx'),
      profile: 'azure-stack',
      endpoint: null,
      region: null,
      fqdn: null,
      currentCa: 'enterprise',
      password: manifest.password,
      newPassword: 'Repack2026Secret',
    });
    expect(result.written.keyEncryption).toBe('pbeWithSHAAnd3-KeyTripleDES-CBC');
    expect(result.passwordChanged).toBe(true);
    expect(result.validation).toMatchObject({ basis: 'sans', status: 'ok' });
    expect(result.validation.results.map((r) => r.endpoint)).toEqual(['Public Portal']);
    const against = await ok<{ validation: { basis: string; status: string } }>('prep.repackage', {
      input,
      output: path.join(dir, 'out-blob.pfx'),
      profile: 'azure-stack',
      endpoint: 'ACSBlob',
      region: manifest.region,
      fqdn: manifest.fqdn,
      currentCa: 'enterprise',
      password: manifest.password,
      newPassword: null,
    });
    expect(against.validation).toMatchObject({ basis: 'endpoint', status: 'fail' });
    const wrong = await call('prep.repackage', { input, output: path.join(dir, 'never.pfx'), profile: 'modern', endpoint: null, region: null, fqdn: null, currentCa: 'unknown', password: 'wrong', newPassword: null });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/Cannot open/) } });
    expect(existsSync(path.join(dir, 'never.pfx'))).toBe(false);
    const audit = JSON.stringify(backend.store.audit.list({ limit: 20 }));
    expect(audit).toContain('pfx.repackage');
    expect(audit).not.toContain('Repack2026Secret');
    expect(audit).not.toContain(manifest.password);
    expect(JSON.stringify(result)).not.toContain('Repack2026Secret');
  });
});
