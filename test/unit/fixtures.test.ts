/**
 * Sanity tests of the generated certificate fixtures, checked with the OpenSSL CLI.
 *
 * They prove the fixtures are what the manifest says before any validator test relies on them: share
 * layouts and counts, every PFX opening with its password, chain order and SANs of the valid profile.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../shared/certificates/report';
import { findEndpoint, IDENTITY_FOLDER, mandatoryEndpoints, paasEndpoints, requiredNames } from '../../shared/endpoints/catalog';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const OPENSSL = '/usr/bin/openssl';
const PASSWORD_ENV = 'AZS_TEST_PFX_PASSWORD';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs openssl with the password in the environment (never argv). */
function openssl(args: string[], password: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(OPENSSL, args, { env: { ...process.env, [PASSWORD_ENV]: password } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `openssl pkcs12 -info -noout`: verifies the MAC and decrypts every bag with the password. */
function pkcs12Info(file: string, password: string, legacy = false): Promise<RunResult> {
  return openssl(['pkcs12', '-info', '-noout', '-in', file, '-passin', `env:${PASSWORD_ENV}`, ...(legacy ? ['-legacy'] : [])], password);
}

/** The single `.pfx` of each folder under `dir`, as folder → file name. */
function pfxPerFolder(dir: string, folders: readonly string[]): Map<string, string[]> {
  return new Map(
    folders.map((folder) => [folder, readdirSync(path.join(dir, ...folder.split('/'))).filter((f) => f.endsWith('.pfx'))]),
  );
}

const manifest = loadFixtureManifest();

describe('fixture manifest', () => {
  it('describes the stamp and the share password', () => {
    expect(manifest.region).toBe('east');
    expect(manifest.fqdn).toBe('azurestack.contoso.com');
    expect(manifest.password).toMatch(/^[A-Za-z0-9]{8,}$/);
    for (const pem of [manifest.rootCaPem, manifest.intermediatePem, manifest.otherRootCaPem]) {
      expect(existsSync(pem)).toBe(true);
    }
  });

  it('uses only catalog endpoints and contract check ids', () => {
    for (const v of manifest.fileVariants) {
      expect(findEndpoint(v.endpoint), v.name).toBeDefined();
      for (const id of Object.keys(v.expect)) expect(CHECK_IDS as readonly string[]).toContain(id);
      expect(Object.keys(v.expect).length, v.name).toBeGreaterThan(0);
    }
    expect(new Set(manifest.fileVariants.map((v) => v.name)).size).toBe(manifest.fileVariants.length);
  });
});

describe('valid shares', () => {
  it('AAD share holds exactly the 11 endpoint folders, one PFX each', () => {
    const identityDir = path.join(manifest.shares.aadValid, IDENTITY_FOLDER.aad);
    const folders = mandatoryEndpoints('aad').map((e) => e.folder);
    expect(folders).toHaveLength(11);
    expect(readdirSync(manifest.shares.aadValid)).toEqual(['AAD']);
    expect(readdirSync(identityDir).sort()).toEqual([...folders].sort());
    for (const [folder, files] of pfxPerFolder(identityDir, folders)) expect(files, folder).toHaveLength(1);
  });

  it('ADFS share holds exactly the 13 endpoint folders, one PFX each', () => {
    const identityDir = path.join(manifest.shares.adfsValid, IDENTITY_FOLDER.adfs);
    const folders = mandatoryEndpoints('adfs').map((e) => e.folder);
    expect(folders).toHaveLength(13);
    expect(readdirSync(identityDir).sort()).toEqual([...folders].sort());
    for (const [folder, files] of pfxPerFolder(identityDir, folders)) expect(files, folder).toHaveLength(1);
  });

  it('PaaS dirs hold the 8 provider folders, one PFX each', () => {
    const folders = paasEndpoints().map((e) => e.folder);
    expect(folders).toHaveLength(8);
    for (const dir of [manifest.shares.paasValid, manifest.shares.paasOtherRoot]) {
      expect(readdirSync(dir).sort()).toEqual(['ACR', 'AppServices', 'DBAdapter', 'EventHubs', 'IoTHub']);
      for (const [folder, files] of pfxPerFolder(dir, folders)) expect(files, folder).toHaveLength(1);
    }
  });

  it('every share PFX opens with the manifest password', async () => {
    const files = [
      ...mandatoryEndpoints('aad').map((e) => path.join(manifest.shares.aadValid, 'AAD', e.folder)),
      ...mandatoryEndpoints('adfs').map((e) => path.join(manifest.shares.adfsValid, 'ADFS', e.folder)),
      ...paasEndpoints().map((e) => path.join(manifest.shares.paasValid, ...e.folder.split('/'))),
      ...paasEndpoints().map((e) => path.join(manifest.shares.paasOtherRoot, ...e.folder.split('/'))),
    ].map((dir) => path.join(dir, readdirSync(dir)[0] ?? 'missing'));
    expect(files).toHaveLength(11 + 13 + 8 + 8);
    const results = await Promise.all(files.map((f) => pkcs12Info(f, manifest.password)));
    results.forEach((r, i) => expect(r.code, `${files[i]}: ${r.stderr}`).toBe(0));
  });

  it('share certificates carry exactly the required SANs, chained leaf → intermediate → root', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'azs-fixture-check-'));
    try {
      for (const endpoint of [...mandatoryEndpoints('adfs'), ...paasEndpoints()]) {
        const dir =
          endpoint.kind === 'paas'
            ? path.join(manifest.shares.paasValid, ...endpoint.folder.split('/'))
            : path.join(manifest.shares.adfsValid, 'ADFS', endpoint.folder);
        const file = path.join(dir, readdirSync(dir)[0] ?? 'missing');
        const dump = await openssl(['pkcs12', '-in', file, '-nokeys', '-passin', `env:${PASSWORD_ENV}`], manifest.password);
        expect(dump.code, dump.stderr).toBe(0);
        const subjects = [...dump.stdout.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]);
        const names = requiredNames(endpoint, manifest.region, manifest.fqdn);
        expect(subjects, endpoint.name).toEqual([
          `CN = ${names[0]}`,
          'O = Contoso, CN = Contoso Rotation Test Issuing CA',
          'O = Contoso, CN = Contoso Rotation Test Root CA',
        ]);
        const leafPem = dump.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/)?.[0] ?? '';
        const leafFile = path.join(work, 'leaf.pem');
        await writeFile(leafFile, leafPem);
        const text = await openssl(['x509', '-in', leafFile, '-noout', '-ext', 'subjectAltName'], '');
        const sans = [...text.stdout.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]);
        expect(sans, endpoint.name).toEqual(names);
        const verify = await openssl(
          ['verify', '-CAfile', manifest.rootCaPem, '-untrusted', manifest.intermediatePem, leafFile],
          '',
        );
        expect(verify.stdout + verify.stderr, endpoint.name).toContain(': OK');
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('file variants', () => {
  it('every variant file exists', () => {
    for (const v of manifest.fileVariants) expect(statSync(v.file).size, v.name).toBeGreaterThan(0);
    expect(manifest.fileVariants.length).toBeGreaterThanOrEqual(45);
  });

  it('every variant opens with its password, except the wrong-password one', async () => {
    const results = await Promise.all(
      manifest.fileVariants.map(async (v) => ({ v, r: await pkcs12Info(v.file, v.password, v.name === 'rc2-40-certs') })),
    );
    for (const { v, r } of results) {
      if (v.name === 'wrong-password') expect(r.code, v.name).not.toBe(0);
      else expect(r.code, `${v.name}: ${r.stderr}`).toBe(0);
    }
  });

  it('packaging variants use the algorithms they claim', async () => {
    const info = async (name: string): Promise<string> => {
      const v = manifest.fileVariants.find((x) => x.name === name);
      if (!v) throw new Error(`no variant ${name}`);
      const r = await pkcs12Info(v.file, v.password, true);
      return r.stdout + r.stderr;
    };
    expect(await info('valid-3des')).toMatch(/MAC: sha1[\s\S]*pbeWithSHA1And3-KeyTripleDES-CBC[\s\S]*Shrouded Keybag: pbeWithSHA1And3/);
    expect(await info('aes256-sha256')).toMatch(/MAC: sha256[\s\S]*AES-256-CBC/);
    expect(await info('rc2-40-certs')).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    expect(await info('mac-sha256')).toMatch(/MAC: sha256/);
    expect(await info('no-mac')).not.toMatch(/MAC:/);
    expect(await info('certs-unencrypted')).not.toMatch(/PKCS7 Encrypted data/);
  });
});

describe('structure variants, bad inputs and bench share', () => {
  it('structure variants exist with their expected codes', () => {
    expect(manifest.structureVariants.map((s) => s.name)).toEqual(
      expect.arrayContaining(['missing-folder', 'unexpected-folder', 'unexpected-file', 'no-pfx', 'multiple-pfx']),
    );
    for (const s of manifest.structureVariants) {
      expect(statSync(s.certificatesDir).isDirectory(), s.name).toBe(true);
      expect(s.expectedCodes.length, s.name).toBeGreaterThan(0);
    }
    const loops = manifest.structureVariants.find((s) => s.name === 'symlink-loops');
    expect(loops).toBeDefined();
    expect(lstatSync(path.join(loops?.certificatesDir ?? '', 'AAD', 'ARM Public', 'loop')).isSymbolicLink()).toBe(true);
  });

  it('bad inputs exist, including the 50 MB sparse file', () => {
    for (const b of manifest.badInputs) expect(lstatSync(b.file).isFile(), b.name).toBe(true);
    const huge = manifest.badInputs.find((b) => b.name === 'huge');
    expect(statSync(huge?.file ?? '').size).toBe(50 * 1024 * 1024);
  });

  it('bench share lists 23 distinct PFX files', () => {
    const { files, certificatesDir, paasDir } = manifest.benchShare;
    expect(files).toHaveLength(23);
    expect(new Set(files).size).toBe(23);
    for (const f of files) expect(statSync(f).isFile(), f).toBe(true);
    expect(files.filter((f) => f.startsWith(certificatesDir + path.sep))).toHaveLength(13);
    expect(files.filter((f) => f.startsWith(paasDir + path.sep))).toHaveLength(8);
  });
});
