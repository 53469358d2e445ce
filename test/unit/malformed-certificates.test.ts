/**
 * One unreadable certificate never aborts a validation: each malformed file of the fixtures (empty names,
 * an extension value that is not DER, public keys OpenSSL cannot decode) gets findings of its own, in
 * `validate` and `inspect`, while every other file of the share is still validated; and a wrong password
 * names the part of the file it did not decrypt.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectPfx, validateFile, validateShare } from '../../electron/services/certificates';
import { readPfxFacts } from '../../electron/services/certificates/pfx-facts';
import type { CheckId, CheckResult } from '../../shared/certificates/report';
import { CHECK_IDS } from '../../shared/certificates/report';
import { findEndpoint } from '../../shared/endpoints/catalog';
import type { FileVariant } from '../fixtures/manifest-types';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const manifest = loadFixtureManifest();
const base = { region: manifest.region, fqdn: manifest.fqdn, password: manifest.password, currentCa: 'enterprise' as const, stampVersion: '2108' };
const work = mkdtempSync(path.join(tmpdir(), 'azs-malformed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function variant(name: string): FileVariant {
  const found = manifest.fileVariants.find((v) => v.name === name);
  if (!found) throw new Error(`no fixture variant ${name}`);
  return found;
}

async function checksOf(name: string): Promise<Record<CheckId, CheckResult>> {
  const v = variant(name);
  const report = await validateFile(v.file, findEndpoint(v.endpoint)!, { ...base, password: v.password });
  const checks = report.certificates[0]!.checks;
  expect(checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
  return Object.fromEntries(checks.map((c) => [c.id, c])) as Record<CheckId, CheckResult>;
}

/** What each malformed file must be told: the check, and words of its message. */
const FINDINGS: Record<string, { check: CheckId; message: RegExp; inspect: { role: string; problem: RegExp } }> = {
  'empty-subject-leaf': {
    check: 'cert-chain',
    message: /the certificate with an empty subject \(thumbprint [0-9A-F]{40}\): its subject name is empty and its subject alternative name extension is missing or not critical/,
    inspect: { role: 'leaf', problem: /subject name is empty/ },
  },
  'empty-issuer-leaf': { check: 'cert-chain', message: /portal\.east\.azurestack\.contoso\.com: its issuer name is empty \(RFC 5280 requires one\)/, inspect: { role: 'leaf', problem: /issuer name is empty/ } },
  'empty-subject-and-issuer': { check: 'cert-chain', message: /issuer name is empty.*subject name is empty/, inspect: { role: 'leaf', problem: /issuer name is empty/ } },
  'key-usage-not-der': { check: 'key-usage', message: /^The key usage extension \(2\.5\.29\.15\) is not valid DER, so the key usages cannot be read/, inspect: { role: 'leaf', problem: /key usage extension \(2\.5\.29\.15\) is not valid DER/ } },
  'san-not-der': { check: 'dns-names', message: /^The subject alternative name extension \(2\.5\.29\.17\) is not valid DER, so its names cannot be read; needs portal\./, inspect: { role: 'leaf', problem: /subject alternative name extension/ } },
  'intermediate-unknown-extension-not-der': {
    check: 'cert-chain',
    message: /Contoso Rotation Test Issuing CA: its extension 1\.3\.6\.1\.4\.1\.311\.99\.1 is not valid DER/,
    inspect: { role: 'intermediate', problem: /extension 1\.3\.6\.1\.4\.1\.311\.99\.1 is not valid DER/ },
  },
  'dsa-inherited-parameters-leaf': {
    check: 'key-size',
    message: /public key \(DSA, 1\.2\.840\.10040\.4\.1\) cannot be read, because its DSA parameters are left out \(to be inherited from the issuer's key\)/,
    inspect: { role: 'leaf', problem: /DSA parameters are left out/ },
  },
  'ml-kem-leaf': { check: 'key-size', message: /public key \(ML-KEM-768, 2\.16\.840\.1\.101\.3\.4\.4\.2\) is of a kind OpenSSL [\d.]+ cannot read; an RSA key/, inspect: { role: 'leaf', problem: /ML-KEM-768/ } },
  'ml-kem-intermediate': {
    check: 'cert-chain',
    message: /signature of portal\.east\.azurestack\.contoso\.com cannot be checked with the key of its issuer Contoso Post-Quantum Issuing CA: the public key \(ML-KEM-768/,
    inspect: { role: 'other', problem: /ML-KEM-768/ },
  },
};

describe('each malformed certificate is a finding of its own file', () => {
  it.each(Object.entries(FINDINGS))('%s', async (name, finding) => {
    const checks = await checksOf(name);
    expect(checks['parse-pfx'].status).toBe('ok');
    const check = checks[finding.check];
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(finding.message);
    expect(check.remediation.length).toBeGreaterThan(40);
    for (const c of Object.values(checks)) expect(c.message).not.toMatch(/\n\s+at |internal error|undefined/);
  });

  it('a leaf whose key cannot be read is not matched to the private key, and says why', async () => {
    for (const name of ['dsa-inherited-parameters-leaf', 'ml-kem-leaf']) {
      const checks = await checksOf(name);
      expect(checks['private-key']).toMatchObject({ status: 'fail', message: expect.stringMatching(/^Cannot tell whether the private key matches the leaf: .*public key \((DSA|ML-KEM-768)/) });
      // The leaf's own key plays no part in the chain: the chain itself is fine.
      if (name === 'dsa-inherited-parameters-leaf') expect(checks['cert-chain'].status).toBe('ok');
    }
  });

  it('an issuer whose key cannot be read leaves the rest of the PFX undecided, not "unrelated"', async () => {
    const checks = await checksOf('ml-kem-intermediate');
    expect(checks['other-certificates']).toMatchObject({ status: 'skipped', message: expect.stringMatching(/cannot be followed past portal\./) });
  });

  it.each(Object.entries(FINDINGS))('inspect %s: opens, and the certificate at fault carries the problem', (name, finding) => {
    const v = variant(name);
    const inspection = inspectPfx(v.file, v.password);
    expect(inspection.opened).toBe(true);
    expect(inspection.error).toBeNull();
    const atFault = inspection.certificates.filter((c) => c.problems.some((p) => finding.inspect.problem.test(p)));
    expect(atFault.map((c) => c.role)).toEqual([finding.inspect.role]);
    for (const c of inspection.certificates) for (const p of c.problems) expect(p).toMatch(/^[A-Z].+\.$/);
    // The well-formed certificates of the same file have none.
    expect(inspection.certificates.filter((c) => c.problems.length > 0)).toHaveLength(1);
  });
});

describe('a share with malformed files', () => {
  // The files that used to end the whole run with "internal error", each put in place of one endpoint's PFX.
  const replaced: Record<string, string> = {
    'Public Portal': 'empty-subject-leaf',
    ACSBlob: 'key-usage-not-der',
    ACSQueue: 'dsa-inherited-parameters-leaf',
    ACSTable: 'ml-kem-leaf',
    'Admin Portal': 'empty-subject-and-issuer',
    KeyVault: 'ml-kem-intermediate',
  };

  it('validates every other file and reports each malformed one with its own finding', async () => {
    const root = path.join(work, 'Certificates');
    const { cpSync } = await import('node:fs');
    cpSync(manifest.shares.adfsValid, root, { recursive: true });
    for (const [endpointName, name] of Object.entries(replaced)) {
      const folder = path.join(root, 'ADFS', ...findEndpoint(endpointName)!.folder.split('/'));
      const [existing] = readdirSync(folder);
      copyFileSync(variant(name).file, path.join(folder, existing!));
    }
    const report = await validateShare({ ...base, root, identity: 'adfs' });
    expect(report.structure.status).toBe('ok');
    expect(report.certificates).toHaveLength(13);
    for (const cert of report.certificates) {
      const name = replaced[cert.endpoint];
      if (!name) {
        expect(cert.checks.filter((c) => c.status !== 'ok'), cert.endpoint).toEqual([]);
        continue;
      }
      const finding = FINDINGS[name]!;
      const check = cert.checks.find((c) => c.id === finding.check)!;
      expect({ endpoint: cert.endpoint, status: check.status }).toEqual({ endpoint: cert.endpoint, status: 'fail' });
      expect(check.message).toMatch(finding.message);
      expect(cert.file).toMatch(/\.pfx$/);
    }
    expect(report.summary).toEqual({ ok: 7, warning: 0, fail: 6 });
  });
});

describe('a failure no check foresaw', () => {
  it('becomes an internal finding of that file instead of an exception', () => {
    // No time to judge the chain at makes chain building throw a TypeError: a programming error, not a file defect.
    const facts = readPfxFacts(variant('valid-3des').file, manifest.password, 'Public Portal/portal.pfx', null as unknown as Date);
    expect(facts.openError).toMatchObject({ code: 'internal', message: expect.stringMatching(/^the validator failed on this file \(.+\), so it was not checked; the other files were$/) });
    expect(facts.file).toBe('Public Portal/portal.pfx');
  });
});

describe('which part the password failed', () => {
  it('says the MAC verified and the key bag did not decrypt', async () => {
    const checks = await checksOf('key-bag-other-password');
    expect(checks['parse-pfx'].status).toBe('fail');
    expect(checks['parse-pfx'].message).toMatch(/the password verifies the file's integrity MAC but does not decrypt its private key \(the key bag was encrypted with another password, or is damaged\)/);
    expect(checks['parse-pfx'].message).not.toMatch(/MAC does not verify/);
    const inspection = inspectPfx(variant('key-bag-other-password').file, manifest.password);
    expect(inspection.error).toMatchObject({ code: 'wrong-password', message: expect.stringMatching(/verifies the file's integrity MAC but does not decrypt its private key/) });
  });

  it('still says the MAC failed when it did', async () => {
    const checks = await checksOf('wrong-password');
    expect(checks['parse-pfx'].message).toMatch(/the MAC does not verify and decryption fails/);
  });
});
