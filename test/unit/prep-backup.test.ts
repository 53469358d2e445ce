/**
 * Share backups: create (all or nothing), verify (every missing, extra or changed file), restore (only
 * from a backup that verifies, resumable after a failure) and clean (only what the app placed and the
 * backup holds), each recorded in the audit log.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrepContext } from '../../electron/services/preparation';
import { cleanShare, createBackup, restoreBackup, verifyBackup } from '../../electron/services/preparation/backup';
import { placePfxFiles } from '../../electron/services/preparation/placement';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir } from './ipc-fixtures';
import { canChattr, openContext } from './prep-helpers';

const manifest = loadFixtureManifest();

describe('share backups', () => {
  let dir: string;
  let cleanup: () => void;
  let ctx: PrepContext;
  let share: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('prep-backup'));
    ctx = openContext(path.join(dir, 'data'));
    share = path.join(dir, 'share', 'Certificates');
    cpSync(manifest.shares.aadValid, share, { recursive: true });
  });
  afterEach(() => {
    ctx.store.close();
    cleanup();
  });

  it('creates a verified copy with a SHA-256 manifest of every file', async () => {
    const result = await createBackup({ certificatesDir: share, to: path.join(dir, 'b') }, ctx);
    expect(result).toMatchObject({ schemaVersion: 1, files: 11, verified: true, source: share });
    const m = JSON.parse(readFileSync(path.join(dir, 'b', 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ schemaVersion: 1, kind: 'azs-rotate-share-backup', source: share });
    expect(m.files[0]).toEqual({ path: 'AAD/ACSBlob/acsblob.pfx', size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(readdirSync(dir).filter((n) => n.startsWith('.azs-tmp-'))).toEqual([]);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'backup.create', detail: { files: 11, verified: true } });
  });

  it('follows a linked folder once and stops at a link loop', async () => {
    symlinkSync(path.join(share, 'AAD'), path.join(share, 'AAD', 'KeyVault', 'loop'));
    const result = await createBackup({ certificatesDir: share, to: path.join(dir, 'b') }, ctx);
    expect(result.files).toBe(11);
  });

  it('refuses a non-empty target, a target inside the share, and an empty source', async () => {
    mkdirSync(path.join(dir, 'used'));
    writeFileSync(path.join(dir, 'used', 'x'), 'x');
    await expect(createBackup({ certificatesDir: share, to: path.join(dir, 'used') }, ctx)).rejects.toThrow(/already exists and is not empty/);
    await expect(createBackup({ certificatesDir: share, to: path.join(share, 'backup') }, ctx)).rejects.toThrow(/inside the share/);
    mkdirSync(path.join(dir, 'empty'));
    await expect(createBackup({ certificatesDir: path.join(dir, 'empty'), to: path.join(dir, 'b2') }, ctx)).rejects.toThrow(/holds no files/);
    mkdirSync(path.join(dir, 'empty-target'));
    expect((await createBackup({ certificatesDir: share, to: path.join(dir, 'empty-target') }, ctx)).verified).toBe(true);
  });

  it('verify lists every missing, extra and changed file, and a missing or broken manifest', async () => {
    const b = path.join(dir, 'b');
    await createBackup({ certificatesDir: share, to: b }, ctx);
    expect((await verifyBackup(b)).ok).toBe(true);
    writeFileSync(path.join(b, 'Certificates', 'AAD', 'KeyVault', 'keyvault.pfx'), 'changed');
    rmSync(path.join(b, 'Certificates', 'AAD', 'ACSQueue', 'acsqueue.pfx'));
    writeFileSync(path.join(b, 'Certificates', 'AAD', 'new.pfx'), 'new');
    writeFileSync(path.join(b, 'README.txt'), 'stray');
    const result = await verifyBackup(b, ctx);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ['missing', 'AAD/ACSQueue/acsqueue.pfx'],
      ['changed', 'AAD/KeyVault/keyvault.pfx'],
      ['extra', 'AAD/new.pfx'],
      ['extra', 'README.txt'],
    ]);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'backup.verify', detail: { ok: false } });
    writeFileSync(path.join(b, 'manifest.json'), '{"schemaVersion":1,"kind":"azs-rotate-share-backup","files":[{"path":"../escape","size":1,"sha256":"x"}]}');
    expect((await verifyBackup(b)).problems[0]!.code).toBe('manifest-invalid');
    rmSync(path.join(b, 'manifest.json'));
    expect((await verifyBackup(b)).problems[0]!.code).toBe('manifest-missing');
    await expect(verifyBackup(path.join(dir, 'nothing'))).rejects.toThrow(/does not exist/);
  });

  it('restores changed and missing files only, leaves extra files, and refuses a damaged backup', async () => {
    const b = path.join(dir, 'b');
    await createBackup({ certificatesDir: share, to: b }, ctx);
    const blob = path.join(share, 'AAD', 'ACSBlob', 'acsblob.pfx');
    const original = readFileSync(blob);
    writeFileSync(blob, 'damaged');
    rmSync(path.join(share, 'AAD', 'Admin Portal', 'admin-portal.pfx'));
    writeFileSync(path.join(share, 'AAD', 'Graph.pfx'), 'operator file');
    const result = await restoreBackup({ backupDir: b, to: share }, ctx);
    expect(result.restored).toEqual([blob, path.join(share, 'AAD', 'Admin Portal', 'admin-portal.pfx')]);
    expect(result.unchanged).toHaveLength(9);
    expect(result.extra).toEqual([path.join(share, 'AAD', 'Graph.pfx')]);
    expect(result.verified).toBe(true);
    expect(readFileSync(blob)).toEqual(original);
    expect(ctx.store.placedFiles.activeAt(blob)).toMatchObject([{ source: 'restore', origin: b }]);

    writeFileSync(path.join(b, 'Certificates', 'AAD', 'ACSBlob', 'acsblob.pfx'), 'damaged backup');
    await expect(restoreBackup({ backupDir: b, to: share }, ctx)).rejects.toThrow(/does not verify .*nothing was restored/);
    await expect(restoreBackup({ backupDir: b, to: path.join(dir, 'elsewhere') }, ctx)).rejects.toThrow(/does not verify/);
  });

  it('refuses to restore into a folder that is not what was backed up', async () => {
    const b = path.join(dir, 'b');
    await createBackup({ certificatesDir: share, to: b }, ctx);
    await expect(restoreBackup({ backupDir: b, to: path.join(dir, 'share') }, ctx)).rejects.toThrow(/backup is of a "Certificates" folder/);
  });

  it.runIf(canChattr() || process.getuid?.() !== 0)('a share that fails mid-restore: complete files only, a message saying how far it got, and a rerun finishes', async () => {
    const b = path.join(dir, 'b');
    await createBackup({ certificatesDir: share, to: b }, ctx);
    rmSync(path.join(share, 'AAD'), { recursive: true });
    mkdirSync(path.join(share, 'AAD', 'ACSQueue'), { recursive: true });
    const blocked = path.join(share, 'AAD', 'ACSQueue');
    const asRoot = process.getuid?.() === 0;
    const block = (on: boolean) => (asRoot ? spawnSync('chattr', [on ? '+i' : '-i', blocked]) : spawnSync('chmod', [on ? '555' : '755', blocked]));
    block(true);
    try {
      await expect(restoreBackup({ backupDir: b, to: share }, ctx)).rejects.toThrow(/Cannot restore into .*acsqueue\.pfx: permission denied.*1 of 11 file\(s\) were restored before it failed/);
      const present = readdirSync(share, { recursive: true }).map(String);
      expect(present.filter((n) => n.includes('.azs-tmp-'))).toEqual([]);
    } finally {
      block(false);
    }
    const rerun = await restoreBackup({ backupDir: b, to: share }, ctx);
    expect(rerun.unchanged).toHaveLength(1);
    expect(rerun.restored).toHaveLength(10);
    expect(rerun.verified).toBe(true);
  });

  it('cleans only placed files the backup holds with the same content', async () => {
    const src = path.join(dir, 'src');
    mkdirSync(src);
    cpSync(path.join(share, 'AAD', 'Public Portal', 'public-portal.pfx'), path.join(src, 'portal.pfx'));
    cpSync(path.join(share, 'AAD', 'ARM Admin', 'arm-admin.pfx'), path.join(src, 'arm-admin-new.pfx'));
    rmSync(path.join(share, 'AAD', 'Public Portal', 'public-portal.pfx'));
    rmSync(path.join(share, 'AAD', 'ARM Admin', 'arm-admin.pfx'));
    const placed = await placePfxFiles({ pfxFolder: src, shareRoot: path.dirname(share), identity: 'aad', region: manifest.region, fqdn: manifest.fqdn, password: manifest.password }, ctx);
    expect(placed.summary.placed).toBe(2);
    const b = path.join(dir, 'b');
    await createBackup({ certificatesDir: share, to: b }, ctx);
    // Changed after placing: no longer what the app put there.
    const armAdmin = path.join(share, 'AAD', 'ARM Admin', 'arm-admin-new.pfx');
    writeFileSync(armAdmin, 'edited by hand');
    const result = await cleanShare({ certificatesDir: share, backupDir: b }, ctx);
    expect(result.removed).toEqual([path.join(share, 'AAD', 'Public Portal', 'portal.pfx')]);
    expect(result.kept).toEqual([{ path: armAdmin, reason: 'changed since the app placed it' }]);
    expect(existsSync(path.join(share, 'AAD', 'ACSBlob', 'acsblob.pfx'))).toBe(true);
    expect(ctx.store.placedFiles.activeUnder(share + path.sep).map((p) => p.path)).toEqual([armAdmin]);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'share.clean' });

    writeFileSync(path.join(b, 'Certificates', 'AAD', 'ACSBlob', 'acsblob.pfx'), 'x');
    await expect(cleanShare({ certificatesDir: share, backupDir: b }, ctx)).rejects.toThrow(/does not verify; nothing was deleted/);
  });
});
