/**
 * A field engineer's day, headless: every step through the built `azs-rotate` as a process, in one
 * temporary data folder, exactly as the README's "Headless use" section shows it.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { signRequest, writeChainFile } from '../unit/prep-helpers';
import { runCli } from './run-cli';
import { announcePwshSkip, PWSH } from '../support/pwsh';

announcePwshSkip(__filename);

const manifest = loadFixtureManifest();
const work = mkdtempSync(path.join(tmpdir(), 'azs-field-day-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const data = path.join(work, 'data');
const secrets = {
  AZS_PFX_PASSWORD: manifest.password,
  AZS_KEY_PASSPHRASE: 'Custody-Passphrase-2026',
  AZS_PEP_PASSWORD: 'PepSecret7Qx2',
  AZS_SHARE_PASSWORD: 'ShareSecret5Wm9',
  TMPDIR: path.join(work, 'tmp'),
};
mkdirSync(secrets.TMPDIR);
const transcript: string[] = [];

function azs(...args: string[]) {
  const run = runCli(['--data-dir', data, ...args], secrets);
  transcript.push(run.stdout, run.stderr);
  return run;
}

const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn];
const share = path.join(work, 'share');
const certificates = path.join(share, 'Certificates');
const backup = path.join(work, 'backup');

// The day ends with rehearsed rotations, which run in real PowerShell against the stand-in PEP.
describe.skipIf(PWSH === null)("a field engineer's day", () => {
  it('prepares, validates, rotates with one failure, recovers and hands over a support bundle', () => {
    expect(azs('stamp', 'add', 'Contoso East', ...stamp, '--identity', 'adfs', '--version', '2108', '--ercs', '10.0.0.1,10.0.0.2,10.0.0.3', '--current-ca', 'enterprise', '--rehearsal').code).toBe(0);

    const csr = azs('csr', ...stamp, '--identity', 'adfs', '--subject', 'C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub', '--out', path.join(work, 'requests'), '--json');
    expect(csr.code, csr.stderr).toBe(0);
    const requests = JSON.parse(csr.stdout).requests as { file: string }[];
    expect(requests).toHaveLength(13);

    // The CA's part: sign every request with the test CA (OpenSSL).
    const issued = path.join(work, 'issued');
    mkdirSync(issued);
    for (const r of requests) signRequest(r.file, path.join(issued, path.basename(r.file).replace(/\.req$/, '.cer')), manifest);

    const pfx = path.join(work, 'pfx');
    const assemble = azs('pfx', 'assemble', issued, '--chain', writeChainFile(manifest, path.join(work, 'chain.pem')), '--out', pfx, '--json');
    expect(assemble.code, assemble.stderr).toBe(0);

    expect(azs('make-dirs', share, '--identity', 'adfs').code).toBe(0);
    expect(azs('place', pfx, share, '--identity', 'adfs', ...stamp).code).toBe(0);
    const validate = azs('validate', certificates, '--stamp', 'Contoso East', '--record', '--json');
    expect(validate.code, validate.stdout.slice(0, 500)).toBe(0);
    expect(JSON.parse(validate.stdout).summary).toEqual({ ok: 13, warning: 0, fail: 0 });

    expect(azs('backup', 'create', certificates, '--to', backup).code).toBe(0);
    expect(azs('backup', 'verify', backup).code).toBe(0);

    const rotation = ['--stamp', 'Contoso East', '--share', certificates, '--pfx-files-path', '\\\\10.0.0.5\\rotation\\Certificates', '--pep-user', 'AZURESTACK\\CloudAdmin', '--share-user', 'CONTOSO\\svc-rotate', '--sim-seconds', '2'];
    const failed = azs('rotate', 'external', ...rotation, '--simulate', 'fail-at-step:2', '--json');
    expect(failed.code).toBe(1);
    const failedRun = JSON.parse(failed.stdout);
    expect(failedRun).toMatchObject({ schemaVersion: 1, stamp: 'Contoso East', kind: 'external', state: 'failed' });

    // The failed run left the share damaged: put the backup back before the rerun.
    const graph = path.join(certificates, 'ADFS', 'Graph');
    writeFileSync(path.join(graph, readdirSync(graph)[0]!), 'damaged by the failed run');
    expect(azs('validate', certificates, '--stamp', 'Contoso East', '--record').code).toBe(1);
    expect(azs('backup', 'restore', backup, '--to', certificates).code).toBe(0);
    expect(azs('validate', certificates, '--stamp', 'Contoso East', '--record').code).toBe(0);

    const rerun = azs('rotate', 'external', ...rotation, '--rerun', '--simulate', 'success', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    const rerunJson = JSON.parse(rerun.stdout);
    expect(rerunJson).toMatchObject({ state: 'succeeded', rerunOf: failedRun.id });

    const show = azs('runs', 'show', String(rerunJson.id), '--json');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: rerunJson.id, state: 'succeeded' });
    expect(JSON.parse(azs('runs', 'list', '--stamp', 'Contoso East', '--json').stdout).runs.map((r: { state: string }) => r.state)).toEqual(
      expect.arrayContaining(['failed', 'succeeded']),
    );

    const search = azs('logs', 'search', 'Completed', '--json');
    expect(search.code, search.stderr).toBe(0);
    const found = JSON.parse(search.stdout);
    expect(found.schemaVersion).toBe(1);
    expect(found.total).toBeGreaterThan(0);

    const bundle = path.join(work, 'support.zip');
    const create = azs('bundle', 'create', '--out', bundle, '--run', String(failedRun.id), '--run', String(rerunJson.id), '--mask', 'ips,hosts,users');
    expect(create.code, create.stderr).toBe(0);
    expect(azs('bundle', 'verify', bundle).code).toBe(0);

    // Nothing secret was printed on the way.
    const printed = transcript.join('\n');
    for (const secret of [secrets.AZS_PFX_PASSWORD, secrets.AZS_KEY_PASSPHRASE, secrets.AZS_PEP_PASSWORD, secrets.AZS_SHARE_PASSWORD]) {
      expect(printed).not.toContain(secret);
    }
  });
});
