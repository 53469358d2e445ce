/**
 * Placement: each PFX into the endpoint folder its SANs match, originals untouched, and every file that
 * cannot be placed named with its reason (no match, several, duplicate, occupied, unreadable, failed).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEndpoint } from '../../shared/endpoints/catalog';
import { makeShareDirs } from '../../electron/services/certificates';
import type { PrepContext } from '../../electron/services/preparation';
import { certificatesDirOf, placePfxFiles, sansMatchEndpoint } from '../../electron/services/preparation/placement';
import { sha256Hex } from '../../electron/services/preparation/safe-files';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir } from './ipc-fixtures';
import { canChattr, openContext, selfSignedWithSans, writeTestPfx } from './prep-helpers';

const manifest = loadFixtureManifest();
const base = `${manifest.region}.${manifest.fqdn}`;
const stamp = { region: manifest.region, fqdn: manifest.fqdn, password: manifest.password };

/** The fixture's valid ADFS share files, flattened into `target`; returns their paths. */
function flatCopy(target: string, folders: readonly string[]): string[] {
  mkdirSync(target, { recursive: true });
  return folders.map((folder) => {
    const dir = path.join(manifest.shares.adfsValid, 'ADFS', folder);
    const file = readdirSync(dir)[0]!;
    cpSync(path.join(dir, file), path.join(target, file));
    return path.join(target, file);
  });
}

describe('sansMatchEndpoint', () => {
  it('needs every required name, wildcards themselves, and concrete-only names exactly', () => {
    const e = (name: string) => findEndpoint(name)!;
    expect(sansMatchEndpoint([`portal.${base}`], e('Public Portal'), manifest.region, manifest.fqdn)).toBe(true);
    expect(sansMatchEndpoint([`*.${base}`], e('Public Portal'), manifest.region, manifest.fqdn)).toBe(true);
    expect(sansMatchEndpoint([`account.blob.${base}`], e('ACSBlob'), manifest.region, manifest.fqdn)).toBe(false);
    expect(sansMatchEndpoint([`*.appservice.${base}`, `*.scm.appservice.${base}`], e('AppServices/DefaultDomain'), manifest.region, manifest.fqdn)).toBe(false);
    expect(sansMatchEndpoint([`*.appservice.${base}`], e('AppServices/API'), manifest.region, manifest.fqdn)).toBe(false);
    expect(sansMatchEndpoint([`API.APPSERVICE.${base}`], e('AppServices/API'), manifest.region, manifest.fqdn)).toBe(true);
  });

  it('takes a share root or its Certificates folder', () => {
    expect(certificatesDirOf('/mnt/share')).toBe(path.resolve('/mnt/share/Certificates'));
    expect(certificatesDirOf('/mnt/share/certificates')).toBe(path.resolve('/mnt/share/certificates'));
  });
});

describe('placePfxFiles', () => {
  let dir: string;
  let cleanup: () => void;
  let ctx: PrepContext;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('prep-place'));
    ctx = openContext(path.join(dir, 'data'));
  });
  afterEach(() => {
    ctx.store.close();
    cleanup();
  });

  it('places a whole AD FS set into a fresh tree, leaves the originals, records each copy', async () => {
    const sources = flatCopy(path.join(dir, 'src'), ['Public Portal', 'Admin Portal', 'ARM Public', 'ARM Admin', 'ACSBlob', 'ACSTable', 'ACSQueue', 'KeyVault', 'KeyVaultInternal', 'Public Extension Host', 'Admin Extension Host', 'ADFS', 'Graph']);
    const hashes = sources.map((f) => sha256Hex(readFileSync(f)));
    makeShareDirs(path.join(dir, 'share'), 'adfs');
    const result = await placePfxFiles({ ...stamp, pfxFolder: path.join(dir, 'src'), shareRoot: path.join(dir, 'share'), identity: 'adfs' }, ctx);
    expect(result.summary).toEqual({ placed: 13, alreadyPlaced: 0, notPlaced: 0 });
    expect(sources.map((f) => sha256Hex(readFileSync(f)))).toEqual(hashes);
    const blob = result.files.find((f) => f.endpoint === 'ACSBlob')!;
    expect(blob.target).toBe(path.join(dir, 'share', 'Certificates', 'ADFS', 'ACSBlob', 'acsblob.pfx'));
    expect(ctx.store.placedFiles.activeAt(blob.target!)).toMatchObject([{ source: 'place', origin: blob.file, sha256: sha256Hex(readFileSync(blob.file)) }]);
    expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'share.place', detail: { summary: { placed: 13 } } });
    const again = await placePfxFiles({ ...stamp, pfxFolder: path.join(dir, 'src'), shareRoot: path.join(dir, 'share'), identity: 'adfs' }, ctx);
    expect(again.summary).toEqual({ placed: 0, alreadyPlaced: 13, notPlaced: 0 });
  });

  it('names files matching nothing, several endpoints, another identity, PaaS without a PaaS folder, or duplicates', async () => {
    const src = path.join(dir, 'src');
    flatCopy(src, ['Public Portal', 'ADFS']);
    cpSync(path.join(src, 'public-portal.pfx'), path.join(src, 'portal-copy.pfx'));
    cpSync(path.join(manifest.shares.paasValid, 'EventHubs', readdirSync(path.join(manifest.shares.paasValid, 'EventHubs'))[0]!), path.join(src, 'eventhubs.pfx'));
    mkdirSync(path.join(dir, 'self'));
    const wildcard = selfSignedWithSans(path.join(dir, 'self'), 'wild', [`*.${base}`]);
    writeTestPfx(path.join(src, 'wildcard.pfx'), [wildcard.cert.raw], wildcard.key, manifest.password);
    const stray = selfSignedWithSans(path.join(dir, 'self'), 'stray', ['www.example.org']);
    writeTestPfx(path.join(src, 'stray.pfx'), [stray.cert.raw], stray.key, manifest.password);
    makeShareDirs(path.join(dir, 'share'), 'aad');
    const result = await placePfxFiles({ ...stamp, pfxFolder: src, shareRoot: path.join(dir, 'share'), identity: 'aad' }, ctx);
    const byName = Object.fromEntries(result.files.map((f) => [path.basename(f.file), f]));
    expect(byName['adfs.pfx']).toMatchObject({ status: 'no-match' });
    expect(byName['adfs.pfx']!.message).toMatch(/those of ADFS, an endpoint of AD FS stamps only; this is an AAD share/);
    expect(byName['eventhubs.pfx']!.message).toMatch(/PaaS endpoint EventHubs; give --paas-dir/);
    expect(byName['stray.pfx']).toMatchObject({ status: 'no-match', sans: ['www.example.org'] });
    expect(byName['wildcard.pfx']).toMatchObject({ status: 'multiple-matches', candidates: ['Public Portal', 'Admin Portal', 'ARM Public', 'ARM Admin'] });
    expect(byName['public-portal.pfx']).toMatchObject({ status: 'duplicate', endpoint: 'Public Portal' });
    expect(byName['public-portal.pfx']!.message).toMatch(/portal-copy\.pfx also matches Public Portal/);
    expect(byName['portal-copy.pfx']).toMatchObject({ status: 'duplicate' });
    expect(result.summary).toEqual({ placed: 0, alreadyPlaced: 0, notPlaced: 6 });
    expect(readdirSync(path.join(dir, 'share', 'Certificates', 'AAD', 'Public Portal'))).toEqual([]);
  });

  it('places PaaS certificates into the PaaS folder when one is given', async () => {
    const src = path.join(dir, 'src');
    mkdirSync(src);
    cpSync(path.join(manifest.shares.paasValid, 'AppServices', 'API', readdirSync(path.join(manifest.shares.paasValid, 'AppServices', 'API'))[0]!), path.join(src, 'api.pfx'));
    const result = await placePfxFiles({ ...stamp, pfxFolder: src, shareRoot: path.join(dir, 'share'), identity: 'aad', paasDir: path.join(dir, 'paas') }, ctx);
    expect(result.files[0]).toMatchObject({ status: 'placed', endpoint: 'AppServices/API', target: path.join(dir, 'paas', 'AppServices', 'API', 'api.pfx') });
  });

  const asRoot = process.getuid?.() === 0;
  it.runIf(!asRoot || canChattr())('stops copying when the share fails part-way, leaves no temporary file and names what was skipped', async () => {
    const src = path.join(dir, 'src');
    flatCopy(src, ['Public Portal', 'ACSBlob', 'KeyVault']);
    makeShareDirs(path.join(dir, 'share'), 'aad');
    // A folder that refuses writes stands for a share that dropped; root ignores modes, so root uses chattr +i.
    const blocked = path.join(dir, 'share', 'Certificates', 'AAD', 'ACSBlob');
    const block = (on: boolean) => (asRoot ? spawnSync('chattr', [on ? '+i' : '-i', blocked]) : chmodSync(blocked, on ? 0o555 : 0o755));
    block(true);
    try {
      const result = await placePfxFiles({ ...stamp, pfxFolder: src, shareRoot: path.join(dir, 'share'), identity: 'aad' }, ctx);
      // Files go in name order: acsblob.pfx fails, and the rest are not attempted on a failing share.
      expect(result.files.map((f) => [f.endpoint, f.status])).toEqual([
        ['ACSBlob', 'failed'],
        ['KeyVault', 'skipped'],
        ['Public Portal', 'skipped'],
      ]);
      expect(result.files[0]!.message).toMatch(/Cannot copy into .*ACSBlob: permission denied/);
      expect(result.files[1]!.message).toMatch(/^Not copied: Cannot copy into/);
      expect(readdirSync(path.join(dir, 'share'), { recursive: true }).filter((n) => String(n).includes('.azs-tmp-'))).toEqual([]);
      expect(ctx.store.placedFiles.activeUnder(path.join(dir, 'share') + path.sep)).toEqual([]);
    } finally {
      block(false);
    }
  });

  it('refuses a source folder without PFX files, and an unreadable one', async () => {
    mkdirSync(path.join(dir, 'empty'));
    await expect(placePfxFiles({ ...stamp, pfxFolder: path.join(dir, 'empty'), shareRoot: dir, identity: 'aad' }, ctx)).rejects.toThrow(/holds no \.pfx file/);
    await expect(placePfxFiles({ ...stamp, pfxFolder: path.join(dir, 'missing'), shareRoot: dir, identity: 'aad' }, ctx)).rejects.toThrow(/Cannot list .*does not exist/);
    expect(existsSync(path.join(dir, 'Certificates'))).toBe(false);
  });
});
