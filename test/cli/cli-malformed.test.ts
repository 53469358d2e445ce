/**
 * The built CLI on malformed certificates, driven as a real process: `validate` of a share holding files
 * that once ended the run with "internal error" (exit 2, no report, no file named) now reports each of
 * them and validates the rest (exit 1), in the calling thread and in worker threads alike; `inspect` opens
 * them and lists each certificate's problems; a key bag under another password is named as such.
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../shared/certificates/report';
import { validationReportSchema } from '../../shared/certificates/report-schema';
import { findEndpoint } from '../../shared/endpoints/catalog';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { runCli } from './run-cli';

const manifest = loadFixtureManifest();
const env = { AZS_PFX_PASSWORD: manifest.password };
const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn, '--current-ca', 'enterprise', '--stamp-version', '2108'];
const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-malformed-'));
const root = path.join(work, 'Certificates');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

function variantFile(name: string): string {
  const found = manifest.fileVariants.find((v) => v.name === name);
  if (!found) throw new Error(`no fixture variant ${name}`);
  return found.file;
}

/** Endpoint → the malformed variant put in its folder, with the check that must fail for it. */
const replaced: Record<string, { variant: string; check: string; message: RegExp }> = {
  'Public Portal': { variant: 'empty-subject-leaf', check: 'cert-chain', message: /empty subject/ },
  ACSBlob: { variant: 'key-usage-not-der', check: 'key-usage', message: /key usage extension \(2\.5\.29\.15\) is not valid DER/ },
  ACSQueue: { variant: 'dsa-inherited-parameters-leaf', check: 'key-size', message: /DSA parameters are left out/ },
  ACSTable: { variant: 'ml-kem-leaf', check: 'key-size', message: /ML-KEM-768/ },
  KeyVault: { variant: 'intermediate-unknown-extension-not-der', check: 'cert-chain', message: /extension 1\.3\.6\.1\.4\.1\.311\.99\.1 is not valid DER/ },
  'Admin Portal': { variant: 'path-length-exceeded', check: 'cert-chain', message: /pathLenConstraint=0/ },
};

beforeAll(() => {
  cpSync(manifest.shares.adfsValid, root, { recursive: true });
  for (const [endpoint, { variant }] of Object.entries(replaced)) {
    const folder = path.join(root, 'ADFS', ...findEndpoint(endpoint)!.folder.split('/'));
    copyFileSync(variantFile(variant), path.join(folder, readdirSync(folder)[0]!));
  }
});

function expectEachReported(report: ValidationReport): void {
  expect(report.certificates).toHaveLength(13);
  for (const cert of report.certificates) {
    const expected = replaced[cert.endpoint];
    if (!expected) {
      expect(cert.status, cert.endpoint).toBe('ok');
      continue;
    }
    const check = cert.checks.find((c) => c.id === expected.check)!;
    expect([cert.endpoint, check.status]).toEqual([cert.endpoint, 'fail']);
    expect(check.message).toMatch(expected.message);
    expect(check.remediation.length).toBeGreaterThan(20);
  }
  expect(report.summary).toEqual({ ok: 7, warning: 0, fail: 6 });
}

describe('validate a share holding malformed certificates', () => {
  it.each([
    ['the calling thread', '0'],
    ['worker threads', '2'],
  ])('in %s: exit 1, every file in the report, each malformed one with its finding', (_how, threads) => {
    const run = runCli(['validate', root, ...stamp, '--identity', 'adfs', '--json'], { ...env, AZS_VALIDATION_THREADS: threads });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
    expectEachReported(validationReportSchema.parse(JSON.parse(run.stdout)) as ValidationReport);
  });

  it('names each file and its finding in the human output', () => {
    const run = runCli(['validate', root, ...stamp, '--identity', 'adfs'], env);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/NOT READY/);
    expect(run.stdout).toMatch(/ACSTable\/acstable\.pfx/);
    expect(run.stdout).toMatch(/ML-KEM-768, 2\.16\.840\.1\.101\.3\.4\.4\.2/);
    expect(run.stdout).toMatch(/DSA parameters are left out/);
    noStack(run.stdout);
  });
});

describe('inspect a malformed certificate', () => {
  it('opens it (exit 0) and prints the problem under the certificate', () => {
    const run = runCli(['inspect', variantFile('ml-kem-leaf')], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[0\] LEAF {2}CN=portal\.east\.azurestack\.contoso\.com[\s\S]*problem {5}Its public key \(ML-KEM-768, 2\.16\.840\.1\.101\.3\.4\.4\.2\) is of a kind OpenSSL/);
    noStack(run.stdout + run.stderr);
  });

  it.each(['empty-subject-and-issuer', 'san-not-der', 'dsa-inherited-parameters-leaf', 'leaf-ca-true'])('--json %s: the problems of each certificate', (name) => {
    const run = runCli(['inspect', variantFile(name), '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { opened: boolean; certificates: { role: string; problems: string[] }[] };
    expect(result.opened).toBe(true);
    expect(result.certificates[0]!.role).toBe('leaf');
    expect(result.certificates[0]!.problems.length).toBeGreaterThan(0);
  });

  it('a key bag under another password: exit 2, and the reason says the MAC verified', () => {
    const run = runCli(['inspect', variantFile('key-bag-other-password')], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^azs-rotate: Cannot open .*: the password verifies the file's integrity MAC but does not decrypt its private key \(the key bag was encrypted with another password, or is damaged\)\.\n$/);
  });
});
