/**
 * The engine judged against every fixture: valid shares, one variant per rule, structure problems and
 * bad input. Expectations come from the fixture manifest, which says what each file was built to break.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../shared/certificates/report';
import { findEndpoint } from '../../shared/endpoints/catalog';
import type * as certificateService from '../../electron/services/certificates';
import { ShareAccessError, validateFile, validateShare } from '../../electron/services/certificates';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const manifest = loadFixtureManifest();
const base = { region: manifest.region, fqdn: manifest.fqdn, password: manifest.password, currentCa: 'enterprise' as const, stampVersion: '2108' };

describe('valid shares', () => {
  it.each([
    ['aad', manifest.shares.aadValid, 11],
    ['adfs', manifest.shares.adfsValid, 13],
  ] as const)('judges the %s share all green', async (identity, root, count) => {
    const report = await validateShare({ ...base, root, identity, paasDir: manifest.shares.paasValid });
    expect(report.structure).toEqual({ status: 'ok', problems: [] });
    expect(report.certificates).toHaveLength(count + 8);
    for (const cert of report.certificates) {
      expect(cert.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
      expect(cert.checks.filter((c) => c.status !== 'ok'), cert.file).toEqual([]);
      expect(cert.leaf?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
      expect(cert.chain?.map((c) => c.thumbprint)[0]).toBe(cert.leaf?.thumbprint);
      expect(cert.chain).toHaveLength(3);
    }
    expect(report.summary).toEqual({ ok: count + 8, warning: 0, fail: 0 });
  });

  it('accepts the identity folder itself as the root', async () => {
    const report = await validateShare({ ...base, root: path.join(manifest.shares.adfsValid, 'ADFS'), identity: 'adfs' });
    expect(report.structure.status).toBe('ok');
    expect(report.summary.ok).toBe(13);
  });

  it('warns when a PaaS certificate chains to another root than the hub', async () => {
    const report = await validateShare({ ...base, root: manifest.shares.adfsValid, identity: 'adfs', paasDir: manifest.shares.paasOtherRoot });
    for (const name of manifest.paasOtherRootEndpoints) {
      const cert = report.certificates.find((c) => c.endpoint === name)!;
      const chain = cert.checks.find((c) => c.id === 'cert-chain')!;
      expect(chain.status).toBe('warning');
      expect(chain.message).toMatch(/differs from the root/);
    }
    const others = report.certificates.filter((c) => c.endpoint.startsWith('AppServices'));
    expect(others.every((c) => c.status === 'ok')).toBe(true);
  });
});

describe('one variant per rule', () => {
  it.each(manifest.fileVariants.map((v) => [v.name, v] as const))('%s', async (_name, variant) => {
    const endpoint = findEndpoint(variant.endpoint)!;
    const report = await validateFile(variant.file, endpoint, { ...base, password: variant.password });
    const checks = report.certificates[0]!.checks;
    expect(checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const [id, status] of Object.entries(variant.expect)) {
      const check = checks.find((c) => c.id === id)!;
      expect({ id, status: check.status, message: check.message }).toMatchObject({ id, status });
      if (status === 'fail' || status === 'warning') {
        expect(check.remediation.length, `${id} needs remediation text`).toBeGreaterThan(10);
        expect(check.message.length).toBeGreaterThan(10);
      }
    }
    expect(JSON.stringify(report)).not.toContain(variant.password || '\u0000never');
  });

  it('skips every certificate check when the file does not open, but still judges the password', async () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'wrong-password')!;
    const report = await validateFile(variant.file, findEndpoint('Public Portal')!, base);
    const statuses = Object.fromEntries(report.certificates[0]!.checks.map((c) => [c.id, c.status]));
    expect(statuses['parse-pfx']).toBe('fail');
    expect(statuses['password-characters']).toBe('ok');
    expect(Object.values(statuses).filter((s) => s === 'skipped')).toHaveLength(12);
    expect(report.certificates[0]!.leaf).toBeNull();
  });
});

describe('folder tree problems', () => {
  it.each(manifest.structureVariants.map((v) => [v.name, v] as const))('%s', async (_name, variant) => {
    const report = await validateShare({ ...base, root: variant.certificatesDir, identity: variant.identity });
    const codes = [...new Set(report.structure.problems.map((p) => p.code))].sort();
    expect(codes).toEqual([...variant.expectedCodes].sort());
    expect(report.structure.status).toBe('fail');
    for (const p of report.structure.problems) expect(p.message.length).toBeGreaterThan(20);
  });

  it('still validates the certificates it finds in a broken tree', async () => {
    const variant = manifest.structureVariants.find((v) => v.expectedCodes.includes('missing-folder'))!;
    const report = await validateShare({ ...base, root: variant.certificatesDir, identity: variant.identity });
    expect(report.certificates.length).toBeGreaterThan(5);
  });

  it('refuses a root that does not exist with a clear message', async () => {
    await expect(validateShare({ ...base, root: '/nonexistent/Certificates', identity: 'aad' })).rejects.toThrow(ShareAccessError);
    await expect(validateShare({ ...base, root: '/nonexistent/Certificates', identity: 'aad' })).rejects.toThrow(/does not exist/);
  });
});

describe('bad input', () => {
  const expected: Record<string, RegExp> = {
    empty: /empty/,
    random: /not a PKCS#12/,
    truncated: /not a (valid )?PKCS#12|damaged/,
    huge: /larger than any PFX/,
    'pem-renamed': /not a PKCS#12/,
  };
  it.each(manifest.badInputs.filter((b) => expected[b.name]).map((b) => [b.name, b] as const))('%s gets a specific message', async (name, bad) => {
    const report = await validateFile(bad.file, findEndpoint('Public Portal')!, base);
    const parse = report.certificates[0]!.checks[0]!;
    expect(parse.status).toBe('fail');
    expect(parse.message).toMatch(expected[name]!);
    expect(parse.message).not.toMatch(/\n\s+at /);
  });

  it('reports an unreadable file (needs a non-root user) and a folder named like a PFX', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'azs-bad-'));
    try {
      const file = path.join(dir, 'locked.pfx');
      copyFileSync(manifest.fileVariants[0]!.file, file);
      chmodSync(file, 0o000);
      const locked = await validateFile(file, findEndpoint('Public Portal')!, base);
      const isRoot = process.getuid?.() === 0;
      expect(locked.certificates[0]!.checks[0]!.status).toBe(isRoot ? 'ok' : 'fail');
      if (!isRoot) expect(locked.certificates[0]!.checks[0]!.message).toMatch(/permission denied/);
      mkdirSync(path.join(dir, 'x.pfx'));
      const folder = await validateFile(path.join(dir, 'x.pfx'), findEndpoint('Public Portal')!, base);
      expect(folder.certificates[0]!.checks[0]!.message).toMatch(/folder, not a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('worker threads', () => {
  // Worker threads run only from the bundles (from sources everything stays in the calling thread), so this
  // uses the built engine, as the CLI tests use the built CLI.
  it('judge every file of a share exactly as the calling thread does', async () => {
    const engine = (await import(pathToFileURL(path.resolve('dist/cli/engine.mjs')).href)) as typeof certificateService;
    const options = { ...base, root: manifest.benchShare.certificatesDir, identity: 'adfs' as const, paasDir: manifest.benchShare.paasDir, now: new Date() };
    let plan: { workers: number; callingThread: boolean; files: number } | undefined;
    // Without the calling thread every file goes through a worker, which must first report itself ready.
    const inWorkers = await engine.validateShare({ ...options, useCallingThread: false, onPlan: (p) => (plan = p) });
    expect(plan).toMatchObject({ callingThread: false, files: 21 });
    expect(plan!.workers).toBeGreaterThan(0);
    const configured = process.env.AZS_VALIDATION_THREADS;
    process.env.AZS_VALIDATION_THREADS = '0';
    try {
      expect(inWorkers).toEqual(await engine.validateShare(options));
    } finally {
      if (configured === undefined) delete process.env.AZS_VALIDATION_THREADS;
      else process.env.AZS_VALIDATION_THREADS = configured;
    }
    expect(inWorkers.summary).toEqual({ ok: 21, warning: 0, fail: 0 });
  });
});
