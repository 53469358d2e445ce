/**
 * The Prepare workspace's IPC channels through the real backend: the same gate (sender, zod), the real
 * services, a real SQLite file; responses checked against the contract, secrets kept out of the answers,
 * the audit log and the diagnostics.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import type { IpcResult } from '../../shared/ipc/contract';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir, trustedSender } from './ipc-fixtures';
import { signRequest, writeChainFile } from './prep-helpers';

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
});
