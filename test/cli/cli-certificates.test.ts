/**
 * The first-round CLI contract (`cli.md`): validate, inspect, make-dirs — exit codes, JSON shapes,
 * secret sources, usage errors and bad input, driven as a real process.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../shared/certificates/report';
import { validationReportSchema } from '../../shared/certificates/report-schema';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { nobodyCannotRunCli, runCli, runCliAsNobody } from './run-cli';

const manifest = loadFixtureManifest();
const env = { AZS_PFX_PASSWORD: manifest.password };
const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn];
const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('validate', () => {
  it('passes a valid share with exit 0 and the contract JSON shape', () => {
    const run = runCli(['validate', manifest.shares.adfsValid, ...stamp, '--identity', 'adfs', '--paas-dir', manifest.shares.paasValid, '--current-ca', 'enterprise', '--stamp-version', '2108', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const report = validationReportSchema.parse(JSON.parse(run.stdout));
    expect(report.root).toBe(manifest.shares.adfsValid);
    expect(report.certificates).toHaveLength(21);
    expect(report.certificates.every((c) => c.checks.map((k) => k.id).join() === CHECK_IDS.join())).toBe(true);
    expect(report.summary).toEqual({ ok: 21, warning: 0, fail: 0 });
    expect(run.stdout).not.toContain(manifest.password);
  });

  it('validates the 23-file benchmark share with worker threads allowed (the same report as one thread; see validate-fixtures)', () => {
    const run = runCli(['validate', manifest.benchShare.certificatesDir, ...stamp, '--identity', 'adfs', '--paas-dir', manifest.benchShare.paasDir, '--current-ca', 'enterprise', '--json'], { ...env, AZS_VALIDATION_THREADS: '2' });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.ok).toBe(21);
  });

  it('prints a readable table and summary without colour when not on a terminal', () => {
    const run = runCli(['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/READY: 11 certificate\(s\): 0 ok, 11 warning, 0 failed; folder tree ok\./);
    expect(run.stdout).toMatch(/Public Portal\s+Public Portal\/public-portal\.pfx\s+warning/);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toBe('');
  });

  it('exits 1 with remediation for a broken share', () => {
    const variant = manifest.structureVariants.find((v) => v.expectedCodes.includes('missing-folder'))!;
    const run = runCli(['validate', variant.certificatesDir, ...stamp, '--identity', variant.identity], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/missing-folder/);
    expect(run.stdout).toMatch(/NOT READY/);
  });

  it('validates one file against an endpoint', () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'san-missing-name')!;
    const run = runCli(['validate', variant.file, '--endpoint', 'Public Portal', ...stamp, '--json'], env);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.certificates[0].checks.find((c: { id: string }) => c.id === 'dns-names').status).toBe('fail');
    const good = manifest.fileVariants.find((v) => v.name === 'valid-3des')!;
    expect(runCli(['validate', good.file, '--endpoint', 'public portal', ...stamp, '--current-ca', 'enterprise'], env).code).toBe(0);
  });

  it('reads the password from --password-file (first line only)', () => {
    const file = path.join(work, 'pw.txt');
    writeFileSync(file, `${manifest.password}\nsecond line ignored\n`);
    const run = runCli(['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--password-file', file, '--json']);
    expect(run.code, run.stderr).toBe(0);
  });

  it.each(manifest.badInputs.filter((b) => b.name !== 'unreadable').map((b) => [b.name, b.file] as const))('bad input %s: exit 1, clear message, no stack', (_name, file) => {
    const run = runCli(['validate', file, '--endpoint', 'Public Portal', ...stamp], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Cannot open .*: .{10,}/);
    noStack(run.stdout + run.stderr);
  });
});

describe('usage errors exit 2 with a one-line message', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['missing --region', ['validate', manifest.shares.aadValid, '--fqdn', manifest.fqdn, '--identity', 'aad'], env, /--region/],
    ['unknown flag', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--bogus'], env, /unknown option '--bogus'/],
    ['missing value', ['validate', manifest.shares.aadValid, ...stamp, '--identity'], env, /--identity/],
    ['secret as a flag', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--password', 'x'], {}, /--password-file FILE, or set AZS_PFX_PASSWORD/],
    ['no password source', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad'], {}, /No PFX password: pass --password-file FILE or set AZS_PFX_PASSWORD/],
    ['missing root', ['validate', path.join(work, 'nope'), ...stamp, '--identity', 'aad'], env, /does not exist/],
    ['bad identity', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'ldap'], env, /--identity: "ldap"/],
    ['bad fqdn', ['validate', manifest.shares.aadValid, '--region', 'east', '--fqdn', 'bad_domain', '--identity', 'aad'], env, /--fqdn/],
    ['bad version', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--stamp-version', '2113'], env, /--stamp-version/],
    ['file without endpoint', ['validate', manifest.fileVariants[0]!.file, ...stamp], env, /--endpoint/],
    ['unknown endpoint', ['validate', manifest.fileVariants[0]!.file, ...stamp, '--endpoint', 'Portal'], env, /not an endpoint/],
    ['missing password file', ['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--password-file', '/nonexistent/pw'], {}, /not found/],
    ['unknown command', ['frobnicate'], {}, /unknown command/],
  ];
  it.each(cases)('%s', (_name, args, extraEnv, message) => {
    const run = runCli(args, extraEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    noStack(run.stderr);
  });
});

describe('inspect', () => {
  it('reports bags, algorithms, MAC and certificates as JSON', () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'rc2-40-certs')!;
    const run = runCli(['inspect', variant.file, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.mac).toMatchObject({ digest: 'SHA-1', digestOid: '1.3.14.3.2.26', iterations: 2048 });
    expect(result.bags.map((b: { encryption: { name: string } | null }) => b.encryption?.name)).toEqual(
      expect.arrayContaining(['pbeWithSHAAnd40BitRC2-CBC', 'pbeWithSHAAnd3-KeyTripleDES-CBC']),
    );
    expect(result.certificates[0]).toMatchObject({ role: 'leaf', keyType: 'rsa', keyBits: 2048 });
    expect(result.privateKey).toMatchObject({ present: true, matchesLeaf: true, machineKeySet: true });
  });

  it('names PBES2 details of an AES file', () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'unicode-password-aes')!;
    const run = runCli(['inspect', variant.file, '--json'], { AZS_PFX_PASSWORD: variant.password });
    const bag = JSON.parse(run.stdout).bags.find((b: { type: string }) => b.type === 'shrouded-private-key');
    expect(bag.encryption).toMatchObject({ scheme: 'pbes2', cipher: 'aes-256-cbc', cipherOid: '2.16.840.1.101.3.4.1.42', prf: 'hmacWithSHA256', kdf: 'pbkdf2' });
  });

  it('exits 2 when the password is wrong, with a readable table otherwise', () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'valid-3des')!;
    expect(runCli(['inspect', variant.file], { AZS_PFX_PASSWORD: 'nope' }).code).toBe(2);
    const run = runCli(['inspect', variant.file], env);
    expect(run.stdout).toMatch(/LEAF/);
    expect(run.stdout).toMatch(/pbeWithSHAAnd3-KeyTripleDES-CBC/);
  });
});

describe('make-dirs', () => {
  it('creates the tree idempotently and validates as a tree with empty folders', () => {
    const root = path.join(work, 'share');
    const first = runCli(['make-dirs', root, '--identity', 'adfs', '--paas-dir', path.join(root, 'PaaS'), '--paas', 'eventhubs,appservices', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created.schemaVersion).toBe(1);
    expect(created.created).toContain(path.join(root, 'Certificates', 'ADFS', 'Public Portal'));
    expect(created.created).toContain(path.join(root, 'PaaS', 'AppServices', 'DefaultDomain'));
    expect(created.existing).toEqual([]);
    const second = JSON.parse(runCli(['make-dirs', root, '--identity', 'adfs', '--json']).stdout);
    expect(second.created).toEqual([]);
    expect(second.existing).toHaveLength(15);
    expect(existsSync(path.join(root, 'Certificates', 'ADFS', 'Graph'))).toBe(true);
    const validate = runCli(['validate', path.join(root, 'Certificates'), ...stamp, '--identity', 'adfs', '--json'], env);
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.stdout).structure.problems.filter((p: { code: string }) => p.code === 'no-pfx')).toHaveLength(13);
  });

  it('refuses an unknown provider', () => {
    const run = runCli(['make-dirs', path.join(work, 's2'), '--identity', 'aad', '--paas-dir', path.join(work, 'p'), '--paas', 'eventhubs,redis']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/redis/);
  });
});

describe('help', () => {
  it.each([['validate'], ['inspect'], ['make-dirs'], []])('azs-rotate %s --help shows usage and an example', (...command) => {
    const run = runCli([...command.filter(Boolean), '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: azs-rotate/);
    expect(run.stdout).toMatch(/Example/);
  });
});

describe('validate --record', () => {
  it("files the run in the app's database, under a stamp profile whose fields it uses", async () => {
    const { Store } = await import('../../electron/services/store');
    const dataDir = path.join(work, 'data');
    const store = Store.open({ dataDir });
    store.stamps.create(
      { name: 'Lab East', region: manifest.region, externalFqdn: manifest.fqdn, identity: 'adfs', version: '2108', ercsIps: ['10.0.0.1'], currentCaKind: 'enterprise', resourceProviders: [], rehearsal: false },
      new Date().toISOString(),
    );
    store.close();
    const run = runCli(['--data-dir', dataDir, 'validate', manifest.shares.adfsValid, '--record', '--stamp', 'Lab East'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Recorded as validation run 1/);
    const reopened = Store.open({ dataDir });
    try {
      const [summary] = reopened.runs.list();
      expect(summary).toMatchObject({ source: 'cli', status: 'ok', stampName: 'Lab East', summary: { ok: 13, warning: 0, fail: 0 } });
      expect(reopened.runs.results(summary!.id)).toHaveLength(13 * 14);
    } finally {
      reopened.close();
    }
    expect(runCli(['--data-dir', dataDir, 'validate', manifest.shares.adfsValid, '--record', '--stamp', 'Nope'], env).stderr).toMatch(/no stamp profile named "Nope"/);
    expect(runCli(['validate', manifest.shares.adfsValid, ...stamp, '--identity', 'adfs', '--stamp', 'Lab East'], env).code).toBe(2);
  });
});

describe('validate --debug', () => {
  it('spreads a large share over worker threads from the bundled CLI', () => {
    const run = runCli(['validate', manifest.benchShare.certificatesDir, ...stamp, '--identity', 'adfs', '--paas-dir', manifest.benchShare.paasDir, '--json', '--debug'], { ...env, AZS_VALIDATION_THREADS: '1' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/reading 21 file\(s\) with 1 worker thread\(s\) and the main thread/);
    expect(JSON.parse(run.stdout).summary.fail).toBe(0);
  });
});

describe('as an unprivileged user', () => {
  const cannot = nobodyCannotRunCli();
  if (cannot) console.warn(`[cli-certificates] skipping the unprivileged-user test: ${cannot}`);
  it.skipIf(cannot !== null)('reports an unreadable PFX and an unreadable share folder with specific messages', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'azs-perm-'));
    try {
      chmodSync(dir, 0o755);
      const locked = path.join(dir, 'locked.pfx');
      copyFileSync(manifest.fileVariants[0]!.file, locked);
      chmodSync(locked, 0o000);
      const passwordFile = path.join(dir, 'pw.txt');
      writeFileSync(passwordFile, manifest.password);
      chmodSync(passwordFile, 0o644);
      const file = runCliAsNobody(['validate', locked, '--endpoint', 'Public Portal', ...stamp, '--password-file', passwordFile]);
      expect(file.code).toBe(1);
      expect(file.stdout).toMatch(/permission denied: the account running the tool cannot read it/);
      const share = path.join(dir, 'Certificates');
      mkdirSync(share, { mode: 0o700 });
      const folder = runCliAsNobody(['validate', share, ...stamp, '--identity', 'aad', '--password-file', passwordFile]);
      expect(folder.code).toBe(2);
      expect(folder.stderr).toMatch(/Permission denied reading .*Certificates/);
      noStack(file.stdout + folder.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
