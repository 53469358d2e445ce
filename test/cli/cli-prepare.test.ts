/**
 * The preparation commands of the CLI contract, driven as a real process: csr, keys, pfx assemble and
 * repackage, make-dirs, place, share-test and backup — end to end with the fixture CA, plus bad input.
 *
 * Some cases need root powers to build the conditions operators meet on real shares: `setpriv` runs the
 * CLI as `nobody` (permission-denied and read-only folders), `unshare -m` gives a private mount namespace
 * for a read-only bind mount and a tiny tmpfs (full disk, a share that fails mid-copy), `chattr +i` makes
 * an immutable folder. Each such case states its requirement and is skipped where it cannot be built.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validationReportSchema } from '../../shared/certificates/report-schema';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { canChattr, canMount, openssl, signRequest, writeChainFile } from '../unit/prep-helpers';
import { CLI, nobodyCannotRunCli, runCli, runCliAsNobody } from './run-cli';

const manifest = loadFixtureManifest();
const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-prep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PASSPHRASE = 'custody passphrase 2026';
const dataDir = path.join(work, 'data');
const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn];
const env = { AZS_PFX_PASSWORD: manifest.password, AZS_KEY_PASSPHRASE: PASSPHRASE };
const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(['--data-dir', dataDir, ...args], { ...env, ...extraEnv });
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('end to end: csr → CA → pfx assemble → make-dirs → place → validate → backup', () => {
  const requests = path.join(work, 'requests');
  const issued = path.join(work, 'issued');
  const pfxDir = path.join(work, 'pfx');
  const share = path.join(work, 'share');
  const certificates = path.join(share, 'Certificates');
  const backupDir = path.join(work, 'backup-1');
  let csrJson: { schemaVersion: number; requests: { endpoint: string; file: string; dnsNames: string[]; keyId: string }[] };

  beforeAll(() => {
    const run = cli(['csr', ...stamp, '--identity', 'adfs', '--subject', 'C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub', '--out', requests, '--json']);
    expect(run.code, run.stderr).toBe(0);
    csrJson = JSON.parse(run.stdout);
  });

  it('csr --json prints the contract shape and one request per endpoint, named after its folder', () => {
    expect(csrJson.schemaVersion).toBe(1);
    expect(csrJson.requests).toHaveLength(13);
    for (const r of csrJson.requests) expect(Object.keys(r).sort()).toEqual(['dnsNames', 'endpoint', 'file', 'keyId']);
    const portal = csrJson.requests.find((r) => r.endpoint === 'Public Portal')!;
    expect(path.basename(portal.file)).toBe('Public-Portal.req');
    expect(portal.dnsNames).toEqual([`portal.${manifest.region}.${manifest.fqdn}`]);
    expect(readdirSync(requests).sort()).toEqual(csrJson.requests.map((r) => path.basename(r.file)).sort());
    expect(readdirSync(path.join(dataDir, 'keys'))).toHaveLength(13);
  });

  it('writes requests OpenSSL verifies, with SANs, key usage, EKU, 2048-bit RSA and SHA-256', () => {
    const blob = csrJson.requests.find((r) => r.endpoint === 'ACSBlob')!;
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', blob.file]).output;
    expect(text).toMatch(/verify OK/i);
    expect(text).toMatch(new RegExp(`Subject: C ?= ?US, ST ?= ?Washington, L ?= ?Redmond, O ?= ?Contoso, OU ?= ?Azure Stack Hub, CN ?= ?\\*\\.blob\\.${manifest.region}`));
    expect(text).toContain(`DNS:*.blob.${manifest.region}.${manifest.fqdn}`);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
  });

  it('pfx assemble pairs every issued certificate with its key, writes TripleDES-SHA1 PFX files and validates them', () => {
    mkdirSync(issued);
    for (const r of csrJson.requests) signRequest(r.file, path.join(issued, path.basename(r.file).replace(/\.req$/, '.cer')), manifest);
    const chain = writeChainFile(manifest, path.join(work, 'chain.pem'));
    const run = cli(['pfx', 'assemble', issued, '--chain', chain, '--out', pfxDir, '--current-ca', 'enterprise', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.summary).toEqual({ assembled: 13, ok: 13, warning: 0, fail: 0, problems: 0 });
    expect(readdirSync(pfxDir).sort()).toEqual(csrJson.requests.map((r) => path.basename(r.file).replace(/\.req$/, '.pfx')).sort());
    const portal = result.outputs.find((o: { endpoint: string }) => o.endpoint === 'Public Portal');
    expect(portal.chain).toEqual([
      `C=US, ST=Washington, L=Redmond, O=Contoso, OU=Azure Stack Hub, CN=portal.${manifest.region}.${manifest.fqdn}`,
      expect.stringMatching(/Issuing CA/),
      expect.stringMatching(/Root CA/),
    ]);
    const info = openssl(['pkcs12', '-info', '-noout', '-legacy', '-in', path.join(pfxDir, 'Public-Portal.pfx'), '-passin', `pass:${manifest.password}`]).output;
    expect(info).toMatch(/MAC: sha1/);
    expect(info).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    const attrs = openssl(['pkcs12', '-in', path.join(pfxDir, 'Public-Portal.pfx'), '-passin', `pass:${manifest.password}`, '-nodes', '-nocerts', '-legacy']).output;
    expect(attrs).toMatch(/Microsoft Local Key set/);
    expect(run.stdout).not.toContain(manifest.password);
    expect(run.stdout).not.toContain(PASSPHRASE);
  });

  it('pfx assemble --profile modern exits 0: pfx-encryption is a warning, "modern profile: not for Azure Stack Hub rotation"', () => {
    const out = path.join(work, 'pfx-modern');
    const run = cli(['pfx', 'assemble', issued, '--chain', path.join(work, 'chain.pem'), '--out', out, '--current-ca', 'enterprise', '--profile', 'modern', '--json']);
    expect(run.code, run.stderr + run.stdout.slice(0, 2000)).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.profile).toBe('modern');
    expect(result.summary).toEqual({ assembled: 13, ok: 0, warning: 13, fail: 0, problems: 0 });
    const issues = result.outputs.flatMap((o: { validations: { issues: { id: string; status: string; message: string }[] }[] }) => o.validations.flatMap((v) => v.issues));
    expect(new Set(issues.map((i: { id: string; status: string }) => `${i.id}:${i.status}`))).toEqual(new Set(['pfx-encryption:warning']));
    expect(issues[0].message).toMatch(/^modern profile: not for Azure Stack Hub rotation/);
    const human = cli(['pfx', 'assemble', issued, '--chain', path.join(work, 'chain.pem'), '--out', path.join(work, 'pfx-modern-2'), '--current-ca', 'enterprise', '--profile', 'modern']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/pfx-encryption: modern profile: not for Azure Stack Hub rotation/);
    expect(human.stdout).toMatch(/13 PFX file\(s\) written: 0 ok, 13 warning, 0 failed validation/);
  });

  it('make-dirs, place and validate give a green share (exit 0)', () => {
    expect(cli(['make-dirs', share, '--identity', 'adfs']).code).toBe(0);
    const place = cli(['place', pfxDir, share, '--identity', 'adfs', ...stamp, '--json']);
    expect(place.code, place.stderr).toBe(0);
    const placed = JSON.parse(place.stdout);
    expect(placed.summary).toEqual({ placed: 13, alreadyPlaced: 0, notPlaced: 0 });
    expect(readdirSync(pfxDir)).toHaveLength(13);
    const validate = cli(['validate', certificates, ...stamp, '--identity', 'adfs', '--current-ca', 'enterprise', '--json']);
    expect(validate.code, validate.stdout.slice(0, 2000)).toBe(0);
    const report = validationReportSchema.parse(JSON.parse(validate.stdout));
    expect(report.summary).toEqual({ ok: 13, warning: 0, fail: 0 });
    expect(report.structure.status).toBe('ok');
    const again = cli(['place', pfxDir, share, '--identity', 'adfs', ...stamp, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toEqual({ placed: 0, alreadyPlaced: 13, notPlaced: 0 });
  });

  it('backup create and verify; a damaged backup fails verify (exit 1) and restore refuses it', () => {
    const create = cli(['backup', 'create', certificates, '--to', backupDir, '--json']);
    expect(create.code, create.stderr).toBe(0);
    expect(JSON.parse(create.stdout)).toMatchObject({ schemaVersion: 1, files: 13, verified: true });
    expect(cli(['backup', 'verify', backupDir]).code).toBe(0);

    const damaged = path.join(work, 'backup-damaged');
    cpSync(backupDir, damaged, { recursive: true });
    const files = filesUnder(path.join(damaged, 'Certificates'));
    writeFileSync(path.join(damaged, 'Certificates', files[0]!), 'garbage');
    rmSync(path.join(damaged, 'Certificates', files[1]!));
    writeFileSync(path.join(damaged, 'Certificates', 'ADFS', 'stray.txt'), 'x');
    const verify = cli(['backup', 'verify', damaged, '--json']);
    expect(verify.code).toBe(1);
    const result = JSON.parse(verify.stdout);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p: { code: string }) => p.code).sort()).toEqual(['changed', 'extra', 'missing']);
    const human = cli(['backup', 'verify', damaged]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/does NOT verify: 3 problem/);
    const refused = cli(['backup', 'restore', damaged, '--to', certificates]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not verify .*nothing was restored/);
    noStack(refused.stderr);
  });

  it('restores a damaged share from the verified backup, then validates green again', () => {
    const victim = path.join(certificates, 'ADFS', 'ACSBlob', 'ACSBlob.pfx');
    writeFileSync(victim, 'corrupted by a bad copy');
    expect(cli(['validate', certificates, ...stamp, '--identity', 'adfs', '--current-ca', 'enterprise']).code).toBe(1);
    const restore = cli(['backup', 'restore', backupDir, '--to', certificates, '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    const result = JSON.parse(restore.stdout);
    expect(result.restored).toEqual([victim]);
    expect(result.unchanged).toHaveLength(12);
    expect(result.verified).toBe(true);
    expect(cli(['validate', certificates, ...stamp, '--identity', 'adfs', '--current-ca', 'enterprise']).code).toBe(0);
    expect(cli(['backup', 'verify', backupDir]).code).toBe(0);
  });

  it('backup clean removes only the files the app placed, after checking the backup', () => {
    const manual = path.join(share, 'Certificates', 'ADFS', 'Graph', 'operator-notes.txt');
    writeFileSync(manual, 'placed by hand');
    const clean = cli(['backup', 'clean', certificates, '--backup', backupDir, '--json']);
    expect(clean.code, clean.stderr).toBe(0);
    const result = JSON.parse(clean.stdout);
    expect(result.removed).toHaveLength(13);
    expect(existsSync(manual)).toBe(true);
    expect(filesUnder(certificates)).toEqual([path.join('ADFS', 'Graph', 'operator-notes.txt')]);
  });

  it('records every action in the audit log', async () => {
    const { Store } = await import('../../electron/services/store');
    const store = Store.open({ dataDir });
    try {
      const actions = new Set(store.audit.list({ limit: 500 }).map((e) => e.action));
      for (const a of ['csr.create', 'pfx.assemble', 'share.make-dirs', 'share.place', 'backup.create', 'backup.verify', 'backup.restore', 'share.clean']) expect(actions, a).toContain(a);
      const raw = readFileSync(store.databasePath).toString('latin1');
      expect(raw).not.toContain(PASSPHRASE);
      expect(raw).not.toContain('PRIVATE KEY');
    } finally {
      store.close();
    }
  });

  it('keys list and keys export: encrypted PKCS#8 backups OpenSSL opens with the passphrase', () => {
    const list = cli(['keys', 'list', '--json']);
    expect(list.code).toBe(0);
    const keys = JSON.parse(list.stdout).keys;
    expect(keys).toHaveLength(13);
    expect(keys[0].assembledAt).not.toBeNull();
    const out = path.join(work, 'key-export');
    const run = cli(['keys', 'export', '--out', out, '--key', keys[0].keyId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const file = JSON.parse(run.stdout).keys[0].file;
    expect(readFileSync(file, 'utf8')).toMatch(/BEGIN ENCRYPTED PRIVATE KEY/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(openssl(['pkey', '-in', file, '-passin', `pass:${PASSPHRASE}`, '-noout']).code).toBe(0);
    expect(openssl(['pkey', '-in', file, '-passin', 'pass:wrong', '-noout']).code).not.toBe(0);
  });
});

describe('csr options', () => {
  it('--single writes one request with every SAN; --paas adds the providers', () => {
    const out = path.join(work, 'single');
    const run = cli(['csr', ...stamp, '--identity', 'aad', '--subject', 'O=Contoso', '--out', out, '--single', '--paas', 'eventhubs,acr', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { requests } = JSON.parse(run.stdout);
    expect(requests).toHaveLength(1);
    expect(requests[0].dnsNames).toHaveLength(13);
    expect(requests[0].dnsNames).toContain(`*.eventhub.${manifest.region}.${manifest.fqdn}`);
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', requests[0].file]).output;
    expect(text).toMatch(/verify OK/i);
    expect(text).toContain(`DNS:*.azsacr.${manifest.region}.${manifest.fqdn}`);
  });

  it('--from-cert renews subject, key size and signature algorithm of an existing certificate', () => {
    const dir = path.join(work, 'renew');
    mkdirSync(dir);
    const key = path.join(dir, 'old.key');
    const cert = path.join(dir, 'old.crt');
    expect(openssl(['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', key, '-out', cert, '-sha384', '-days', '10', '-subj', '/C=DE/O=Fabrikam/OU=Hub Ops/CN=portal.old.example']).code).toBe(0);
    const run = cli(['csr', ...stamp, '--identity', 'aad', '--from-cert', cert, '--out', path.join(dir, 'req'), '--endpoints', 'Public Portal', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { requests } = JSON.parse(run.stdout);
    expect(requests.map((r: { endpoint: string }) => r.endpoint)).toEqual(['Public Portal']);
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', requests[0].file]).output;
    expect(text).toMatch(/Subject: C ?= ?DE, O ?= ?Fabrikam, OU ?= ?Hub Ops, CN ?= ?portal\.east/);
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
    expect(text).toMatch(/Signature Algorithm: sha384WithRSAEncryption/);
  });

  it('refuses secrets as flags, a bad subject and a short passphrase, with one line and exit 2', () => {
    const base = ['csr', ...stamp, '--identity', 'aad', '--out', path.join(work, 'never')];
    const flag = cli([...base, '--subject', 'O=X', '--passphrase', 'hunter2hunter2']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--passphrase is refused.*--passphrase-file FILE, or set AZS_KEY_PASSPHRASE/);
    const subject = cli([...base, '--subject', 'C=USA,O=X']);
    expect(subject.code).toBe(2);
    expect(subject.stderr).toMatch(/--subject: C must be a two-letter country code/);
    const cn = cli([...base, '--subject', 'CN=foo,O=X']);
    expect(cn.stderr).toMatch(/CN is not set by --subject/);
    const short = cli([...base, '--subject', 'O=X'], { AZS_KEY_PASSPHRASE: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 8 characters/);
    for (const r of [flag, subject, cn, short]) noStack(r.stderr);
    expect(existsSync(path.join(work, 'never'))).toBe(false);
  });
});

describe('pfx assemble: bad input', () => {
  const dir = path.join(work, 'bad-assemble');
  let portalReq: string;
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    const run = cli(['csr', ...stamp, '--identity', 'aad', '--subject', 'O=Contoso', '--out', path.join(dir, 'req'), '--endpoints', 'Public Portal,ACSBlob', '--json']);
    expect(run.code, run.stderr).toBe(0);
    portalReq = JSON.parse(run.stdout).requests[0].file;
  });

  it('names an issued certificate with no stored key, a chain that does not link, and a wrong passphrase', () => {
    const issued = path.join(dir, 'issued');
    mkdirSync(issued);
    signRequest(portalReq, path.join(issued, 'portal.cer'), manifest, { outForm: 'DER' });
    // A request whose key lives in another data folder: its certificate has no key here.
    const other = runCli(['--data-dir', path.join(dir, 'other-data'), 'csr', ...stamp, '--identity', 'aad', '--subject', 'O=Elsewhere', '--out', path.join(dir, 'other-req'), '--endpoints', 'ARM Admin', '--json'], env);
    expect(other.code, other.stderr).toBe(0);
    signRequest(JSON.parse(other.stdout).requests[0].file, path.join(issued, 'stranger.cer'), manifest);

    const noLink = cli(['pfx', 'assemble', issued, '--chain', manifest.otherRootCaPem, '--out', path.join(dir, 'out1'), '--json']);
    expect(noLink.code).toBe(1);
    const problems = JSON.parse(noLink.stdout).problems;
    expect(problems.map((p: { code: string }) => p.code).sort()).toEqual(['chain-incomplete', 'no-matching-key']);
    expect(problems.find((p: { code: string }) => p.code === 'chain-incomplete').message).toMatch(/does not link: its issuer ".*CN=Contoso Rotation Test Issuing CA" is not among the certificates of --chain/);
    expect(problems.find((p: { code: string }) => p.code === 'no-matching-key').message).toMatch(/No stored key matches O=Elsewhere, CN=adminmanagement\.east.*not generated with the key store in/);
    expect(existsSync(path.join(dir, 'out1', 'portal.pfx'))).toBe(false);

    const wrong = cli(['pfx', 'assemble', issued, '--chain', writeChainFile(manifest, path.join(dir, 'chain.pem')), '--out', path.join(dir, 'out2')], { AZS_KEY_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^azs-rotate: The key-custody passphrase does not open key [0-9a-f]{16}\. Give the passphrase used when the request was generated/);
    noStack(wrong.stderr);
    expect(existsSync(path.join(dir, 'out2'))).toBe(false);

    // The chain can also come from the CA's PKCS#7 response alone.
    const p7b = path.join(dir, 'p7b');
    mkdirSync(p7b);
    expect(openssl(['x509', '-inform', 'DER', '-in', path.join(issued, 'portal.cer'), '-out', path.join(dir, 'portal.pem')]).code).toBe(0);
    expect(openssl(['crl2pkcs7', '-nocrl', '-certfile', path.join(dir, 'portal.pem'), '-certfile', manifest.intermediatePem, '-certfile', manifest.rootCaPem, '-out', path.join(p7b, 'portal-response.p7b'), '-outform', 'DER']).code).toBe(0);
    const fromP7b = cli(['pfx', 'assemble', p7b, '--out', path.join(dir, 'out3'), '--current-ca', 'enterprise', '--json']);
    expect(fromP7b.code, fromP7b.stdout).toBe(0);
    expect(JSON.parse(fromP7b.stdout).outputs[0].file).toBe(path.join(dir, 'out3', 'portal-response.pfx'));
  });
});

describe('pfx repackage', () => {
  const variant = (name: string) => manifest.fileVariants.find((v) => v.name === name)!.file;
  const validateAs = (file: string, password: string) =>
    runCli(['validate', file, '--endpoint', 'Public Portal', ...stamp, '--current-ca', 'enterprise', '--json'], { AZS_PFX_PASSWORD: password });

  it('re-encrypts an AES-256/SHA-256 file as TripleDES-SHA1 under a new password', () => {
    const out = path.join(work, 'repackaged-aes.pfx');
    const newPw = path.join(work, 'new-pw.txt');
    writeFileSync(newPw, 'NewShare2026Pass\n');
    const run = cli(['pfx', 'repackage', variant('aes256-sha256'), '--out', out, '--new-password-file', newPw, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.written).toEqual({ keyEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC', certificateEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC', mac: 'SHA-1', machineKeySet: true });
    expect(result.passwordChanged).toBe(true);
    expect(run.stdout).not.toContain('NewShare2026Pass');
    expect(validateAs(out, 'NewShare2026Pass').code).toBe(0);
    expect(validateAs(out, manifest.password).code).toBe(1);
  });

  it('adds the machine keyset attribute and orders the chain leaf → root', () => {
    const lmk = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'lmk.pfx'), '--json']);
    expect(lmk.code, lmk.stderr).toBe(0);
    expect(JSON.parse(lmk.stdout).machineKeySetAdded).toBe(true);
    expect(validateAs(path.join(work, 'lmk.pfx'), manifest.password).code).toBe(0);
    const order = cli(['pfx', 'repackage', variant('intermediate-before-leaf'), '--out', path.join(work, 'ordered.pfx'), '--json']);
    expect(order.code, order.stderr).toBe(0);
    expect(JSON.parse(order.stdout).reordered).toBe(true);
    expect(validateAs(path.join(work, 'ordered.pfx'), manifest.password).code).toBe(0);
  });

  it('validates the output right after writing it: --json "validation", the human summary, exit 1 when it fails', () => {
    const ok = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'v-ok.pfx'), '--current-ca', 'enterprise', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).validation).toEqual({
      basis: 'sans',
      region: manifest.region,
      fqdn: manifest.fqdn,
      status: 'ok',
      note: `Validated against Public Portal of ${manifest.region}.${manifest.fqdn} (read from the SANs): the endpoint its SANs serve.`,
      results: [{ endpoint: 'Public Portal', status: 'ok', issues: [] }],
    });
    const wrongEndpoint = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'v-blob.pfx'), '--endpoint', 'ACSBlob', ...stamp, '--current-ca', 'enterprise']);
    expect(wrongEndpoint.code).toBe(1);
    expect(wrongEndpoint.stdout).toMatch(/FAIL\s+validation: Validated against ACSBlob of east\.azurestack\.contoso\.com\./);
    expect(wrongEndpoint.stdout).toMatch(/ACSBlob dns-names: SANs .* do not cover \*\.blob\./);
    const expired = cli(['pfx', 'repackage', variant('expired'), '--out', path.join(work, 'v-expired.pfx'), '--json']);
    expect(expired.code).toBe(1);
    expect(JSON.parse(expired.stdout).validation.results[0].issues.map((i: { id: string }) => i.id)).toContain('expiry');
    const badEndpoint = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'v-x.pfx'), '--endpoint', 'Nowhere']);
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toMatch(/--endpoint: "Nowhere" is not an endpoint/);
    const half = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'v-y.pfx'), '--region', 'east']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--region and --fqdn go together/);
  });

  it('drops an unrelated certificate; refuses a wrong password and overwriting the input', () => {
    const run = cli(['pfx', 'repackage', variant('unrelated-extra-cert'), '--out', path.join(work, 'no-extra.pfx'), '--profile', 'modern', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.dropped).toHaveLength(1);
    expect(result.dropped[0].subject).toMatch(/Fabrikam/);
    expect(result.written.keyEncryption).toMatch(/PBES2 .*aes-256-cbc/);
    expect(result.written.mac).toBe('SHA-256');
    const bad = cli(['pfx', 'repackage', variant('no-lmk'), '--out', path.join(work, 'x.pfx')], { AZS_PFX_PASSWORD: 'wrong' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Cannot open .*password/);
    const same = cli(['pfx', 'repackage', variant('no-lmk'), '--out', variant('no-lmk')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/would overwrite the input/);
  });
});

describe('make-dirs: the audit entry', () => {
  it('records share.make-dirs in the --data-dir database when there is one, and creates none when there is not', async () => {
    const fresh = path.join(work, 'make-dirs-data');
    const share = path.join(work, 'make-dirs-share');
    const without = runCli(['--data-dir', fresh, 'make-dirs', share, '--identity', 'aad', '--json']);
    expect(without.code, without.stderr).toBe(0);
    expect(without.stderr).toBe('');
    expect(JSON.parse(without.stdout).created).toHaveLength(13);
    expect(existsSync(fresh)).toBe(false);

    // Another command (here: keys list) makes the database; from then on make-dirs is recorded.
    expect(runCli(['--data-dir', fresh, 'keys', 'list']).code).toBe(0);
    const again = runCli(['--data-dir', fresh, 'make-dirs', share, '--identity', 'aad', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    const { Store } = await import('../../electron/services/store');
    const store = Store.open({ dataDir: fresh });
    try {
      const entries = store.audit.list({ limit: 10 }).filter((e) => e.action === 'share.make-dirs');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        subject: `share:${path.join(share, 'Certificates')}`,
        actor: expect.stringMatching(/^cli/),
        detail: { root: share, identity: 'aad', created: 0, existing: 13, unexpected: [] },
      });
    } finally {
      store.close();
    }
  });

  it('still makes the tree when the database cannot be opened, and says it was not recorded', () => {
    const broken = path.join(work, 'data-broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'workbench.db'), 'this is not an SQLite database, just bytes that look like one to nobody');
    const share = path.join(work, 'make-dirs-no-db');
    const run = runCli(['--data-dir', broken, 'make-dirs', share, '--identity', 'adfs']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^azs-rotate: make-dirs is not recorded in the audit log: .*workbench\.db is not a Rotation Workbench database: it is not an SQLite database file\. It was left as it is\. /);
    noStack(run.stderr);
    expect(readdirSync(path.join(share, 'Certificates', 'ADFS'))).toHaveLength(13);
  });
});

describe('place: files that cannot be placed', () => {
  it('lists an unreadable file and refuses to overwrite an occupied folder', () => {
    const source = path.join(work, 'place-src');
    mkdirSync(source);
    cpSync(path.join(manifest.shares.aadValid, 'AAD', 'Public Portal', 'public-portal.pfx'), path.join(source, 'portal.pfx'));
    cpSync(manifest.fileVariants.find((v) => v.name === 'wrong-password')!.file, path.join(source, 'other.pfx'));
    const share = path.join(work, 'place-share');
    expect(cli(['make-dirs', share, '--identity', 'aad']).code).toBe(0);
    cpSync(path.join(manifest.shares.aadValid, 'AAD', 'Admin Portal', 'admin-portal.pfx'), path.join(share, 'Certificates', 'AAD', 'Public Portal', 'old.pfx'));
    const run = cli(['place', source, share, '--identity', 'aad', ...stamp]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/occupied\s+portal\.pfx: Public Portal already holds old\.pfx/);
    expect(run.stdout).toMatch(/unreadable\s+other\.pfx: Cannot open it: the password does not open the file/);
    expect(run.stdout).toMatch(/0 placed, 0 already there, 2 not placed/);
  });
});

describe('share-test', () => {
  it('passes on a local folder and names not-found for a missing one', () => {
    const ok = cli(['share-test', work, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, problem: null, leftover: null });
    expect(readdirSync(work).some((n) => n.includes('probe'))).toBe(false);
    const missing = cli(['share-test', path.join(work, 'nope'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).problem).toMatchObject({ code: 'not-found', step: 'list' });
    const human = cli(['share-test', path.join(work, 'nope')]);
    expect(human.stdout).toMatch(/not-found: .*does not exist or the share is not reachable/);
  });

  it('refuses a share credential off Windows with a one-line hint', () => {
    const run = cli(['share-test', work, '--share-user', 'CONTOSO\\svc'], { AZS_SHARE_PASSWORD: 'x' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/net use on Windows only.*mount the share first/);
  });

  const asNobody = (args: string[]) => runCliAsNobody(['--data-dir', path.join(work, 'nobody-data'), ...args]);
  const cannot = nobodyCannotRunCli();
  if (cannot) console.warn(`[cli-prepare] skipping the non-root share-test: ${cannot}`);

  it.skipIf(cannot !== null)('as a non-root user (setpriv nobody): access-denied on a folder it cannot list, read-only where it cannot write', () => {
    mkdirSync(path.join(work, 'nobody-data'), { recursive: true });
    chmodSync(path.join(work, 'nobody-data'), 0o777);
    chmodSync(work, 0o755);
    const denied = path.join(work, 'denied');
    mkdirSync(denied, { mode: 0o700 });
    const readOnly = path.join(work, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    const a = asNobody(['share-test', denied, '--json']);
    expect(a.code, a.stderr).toBe(1);
    expect(JSON.parse(a.stdout).problem).toMatchObject({ code: 'access-denied', step: 'list' });
    const r = asNobody(['share-test', readOnly, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).problem).toMatchObject({ code: 'read-only', step: 'create' });
    expect(JSON.parse(r.stdout).problem.message).toMatch(/can list .* but not create files/);
  });

  it.runIf(canChattr())('an immutable folder (chattr +i) is read-only even for root', () => {
    const frozen = path.join(work, 'frozen');
    mkdirSync(frozen);
    expect(spawnSync('chattr', ['+i', frozen]).status).toBe(0);
    try {
      const run = cli(['share-test', frozen, '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).problem).toMatchObject({ code: 'read-only', step: 'create' });
    } finally {
      spawnSync('chattr', ['-i', frozen]);
    }
  });

  /** Runs a shell script in a private mount namespace (root only); `$CLI` runs the CLI with the data dir. */
  const inMountNamespace = (script: string) => {
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, ...env, CLI: `${process.execPath} ${CLI} --data-dir ${dataDir}` },
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it.runIf(canMount())('a read-only mount is read-only; a full disk is no-space', () => {
    const ro = path.join(work, 'ro-mount');
    const full = path.join(work, 'full-mount');
    mkdirSync(ro);
    mkdirSync(full);
    const r = inMountNamespace(`mount --bind "${ro}" "${ro}" && mount -o remount,bind,ro "${ro}" && $CLI share-test "${ro}" --json`);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).problem).toMatchObject({ code: 'read-only', step: 'create' });
    expect(JSON.parse(r.stdout).problem.message).toMatch(/read-only file system/);
    const f = inMountNamespace(`mount -t tmpfs -o size=16k tmpfs "${full}" && $CLI share-test "${full}" --json`);
    expect(f.code, f.stderr).toBe(1);
    expect(JSON.parse(f.stdout).problem).toMatchObject({ code: 'no-space', step: 'create' });
    expect(JSON.parse(f.stdout).leftover).toBeNull();
  });

  it.runIf(canMount())('a share that fills up mid-copy: place stops cleanly, backup create leaves nothing behind', () => {
    const target = path.join(work, 'tiny-share');
    mkdirSync(target);
    const source = manifest.benchShare.certificatesDir;
    const flat = path.join(work, 'tiny-src');
    mkdirSync(flat);
    for (const file of manifest.benchShare.files.slice(0, 13)) cpSync(file, path.join(flat, path.basename(file)));
    // 13 PFX files of ~4 KB do not fit in 24 KB: the copy fails part-way.
    const script =
      `mount -t tmpfs -o size=24k tmpfs "${target}" && $CLI make-dirs "${target}" --identity adfs >/dev/null && ` +
      `$CLI place "${flat}" "${target}" --identity adfs --region ${manifest.region} --fqdn ${manifest.fqdn} --json > "${work}/tiny-place.json"; echo "place=$?"; ` +
      `find "${target}" -name '.azs-tmp-*' | wc -l; find "${target}" -name '*.pfx' | wc -l; ` +
      `$CLI backup create "${source}" --to "${target}/backup" 2> "${work}/tiny-backup.err"; echo "backup=$?"; ls -A "${target}" | tr '\\n' ' '`;
    const r = inMountNamespace(script);
    const [placeLine, temps, pfxCount, backupLine, listing] = r.stdout.trim().split('\n');
    expect(placeLine).toBe('place=1');
    expect(Number(temps)).toBe(0);
    const placed = JSON.parse(readFileSync(path.join(work, 'tiny-place.json'), 'utf8'));
    const statuses = placed.files.map((f: { status: string }) => f.status);
    expect(statuses).toContain('failed');
    expect(statuses).toContain('placed');
    expect(placed.files.find((f: { status: string }) => f.status === 'failed').message).toMatch(/disk or quota is full/);
    expect(Number(pfxCount)).toBe(placed.summary.placed);
    expect(backupLine).toBe('backup=2');
    expect(readFileSync(path.join(work, 'tiny-backup.err'), 'utf8')).toMatch(/Nothing was kept of the failed backup/);
    expect(listing?.trim()).toBe('Certificates');
  });
});
