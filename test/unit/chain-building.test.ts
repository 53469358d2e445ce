/**
 * Chain building and CA roles as Windows applies them: every candidate path is built and a valid one is
 * preferred (an expired cross-signed root loses to the valid root; a self-issued key-rollover certificate
 * is a link, not a root), and CA roles are checked (cA bit, basic constraints on every issuer including
 * the root, Certificate Signing, path length, a leaf acting as a CA). Judged on the generated fixture files,
 * plus the builder's ranking on hand-made facts.
 */
import { describe, expect, it } from 'vitest';
import { inspectPfx, validateFile } from '../../electron/services/certificates';
import { readPfxFacts } from '../../electron/services/certificates/pfx-facts';
import type { SignatureCheck } from '../../shared/certificates/chain-builder';
import { MAX_CANDIDATE_PATHS, MAX_ISSUER_CANDIDATES, buildChain, caRoleProblems } from '../../shared/certificates/chain-builder';
import type { CertificateFacts } from '../../shared/certificates/facts';
import type { CheckId, CheckResult } from '../../shared/certificates/report';
import { findEndpoint } from '../../shared/endpoints/catalog';
import { loadFixtureManifest } from '../fixtures/load-manifest';

const manifest = loadFixtureManifest();
const base = { region: manifest.region, fqdn: manifest.fqdn, password: manifest.password, currentCa: 'enterprise' as const, stampVersion: '2108' };

function file(name: string): string {
  const found = manifest.fileVariants.find((v) => v.name === name);
  if (!found) throw new Error(`no fixture variant ${name}`);
  return found.file;
}

async function checksOf(name: string): Promise<Record<CheckId, CheckResult>> {
  const report = await validateFile(file(name), findEndpoint('Public Portal')!, base);
  return Object.fromEntries(report.certificates[0]!.checks.map((c) => [c.id, c])) as Record<CheckId, CheckResult>;
}

describe('CA roles', () => {
  const cases: [string, string, RegExp][] = [
    ['intermediate-ca-false', 'not-ca', /^Contoso Rotation Test Issuing CA issues portal\.east\.azurestack\.contoso\.com but its basic constraints say it is not a CA \(cA=FALSE\)\.$/],
    ['intermediate-no-basic-constraints', 'no-basic-constraints', /^Contoso Rotation Test Issuing CA issues portal\..* but has no basic constraints extension/],
    ['intermediate-no-cert-sign', 'no-certificate-signing', /Issuing CA issues portal\..* but its key usage lacks Certificate Signing \(keyCertSign\)/],
    ['root-no-basic-constraints', 'no-basic-constraints', /^Contoso Rotation Test Root CA issues Contoso Rotation Test Issuing CA but has no basic constraints extension.*also on the root/],
    ['path-length-exceeded', 'path-length', /^Contoso Rotation Test Policy CA allows 0 CA certificate\(s\) below it \(pathLenConstraint=0\), but the chain has 1: Contoso Rotation Test Issuing CA\.$/],
    ['leaf-ca-true', 'leaf-is-ca', /^The leaf portal\.east\.azurestack\.contoso\.com is a CA certificate \(basic constraints cA=TRUE\)/],
    ['leaf-key-cert-sign', 'leaf-signs-certificates', /^The leaf portal\..* has Certificate Signing \(keyCertSign\) in its key usage, which only a CA may have\.$/],
  ];

  it.each(cases)('%s fails cert-chain (%s), everything else about the chain holds', async (name, code, message) => {
    const facts = readPfxFacts(file(name), manifest.password);
    expect(facts.chain.stop.kind).toBe('root');
    expect(facts.chain.problems.map((p) => p.code)).toEqual([code]);
    const checks = await checksOf(name);
    expect(checks['cert-chain'].status).toBe('fail');
    expect(checks['cert-chain'].message).toMatch(message);
    expect(checks['cert-chain'].remediation).toMatch(/reissued in their role/);
    expect(checks['signature-algorithm'].status).toBe('ok');
    expect(checks['chain-order'].status).toBe('ok');
    expect(checks['other-certificates'].status).toBe('ok');
  });

  it('inspect names the certificate at fault', () => {
    const inspection = inspectPfx(file('path-length-exceeded'), manifest.password);
    expect(inspection.certificates.map((c) => [c.role, c.problems.length])).toEqual([['leaf', 0], ['intermediate', 0], ['intermediate', 1], ['root', 0]]);
    expect(inspection.certificates[2]!.problems[0]).toMatch(/^Contoso Rotation Test Policy CA allows 0 CA certificate/);
  });

  it('the valid shares have no CA-role problem', () => {
    const facts = readPfxFacts(file('valid-3des'), manifest.password);
    expect(facts.chain.problems).toEqual([]);
    expect(facts.chain.path).toEqual([0, 1, 2]);
  });
});

describe('critical extensions', () => {
  it('fails cert-chain for a critical extension Windows does not process, naming the certificate and the extension', async () => {
    const leaf = await checksOf('leaf-unprocessed-critical-extension');
    expect(leaf['cert-chain']).toMatchObject({
      status: 'fail',
      message:
        'Critical extension(s) Windows does not process, so it rejects the chain: portal.east.azurestack.contoso.com marks certificate transparency precertificate poison extension (1.3.6.1.4.1.11129.2.4.3) critical.',
    });
    expect(leaf['cert-chain'].remediation).toMatch(/without the extension named, or with it marked non-critical/);
    expect(leaf['key-usage'].status).toBe('ok');

    const intermediate = await checksOf('intermediate-unprocessed-critical-extension');
    expect(intermediate['cert-chain'].message).toMatch(/: Contoso Rotation Test Issuing CA marks extension 1\.3\.6\.1\.4\.1\.311\.99\.2 critical\.$/);
    const inspection = inspectPfx(file('intermediate-unprocessed-critical-extension'), manifest.password);
    expect(inspection.certificates.map((c) => c.problems)).toEqual([
      [],
      ['It marks the extension 1.3.6.1.4.1.311.99.2 critical, which Windows does not process: Windows rejects the certificate.'],
      [],
    ]);
  });

  it('accepts the critical extensions Windows processes (key usage, basic constraints, certificate policies)', async () => {
    const facts = readPfxFacts(file('intermediate-critical-policies'), manifest.password);
    expect(facts.certificates.map((c) => c.unsupportedCriticalExtensions)).toEqual([[], [], []]);
    expect((await checksOf('intermediate-critical-policies'))['cert-chain'].status).toBe('ok');
  });
});

describe('candidate paths', () => {
  it('prefers the valid self-signed root to an expired cross-signed copy that comes first', async () => {
    const facts = readPfxFacts(file('expired-cross-sign-first'), manifest.password);
    // Bag order: leaf, issuing CA, cross-signed root (expired), root. Both root copies verify the issuing CA.
    expect(facts.chain.path).toEqual([0, 1, 3]);
    expect(facts.chain.stop.kind).toBe('root');
    expect(facts.rootThumbprint).toBe(facts.certificates[3]!.thumbprint);
    expect(facts.caKind).toBe('enterprise');
    const checks = await checksOf('expired-cross-sign-first');
    expect(checks['cert-chain']).toMatchObject({ status: 'ok', message: 'Complete chain of 3 certificates up to Contoso Rotation Test Root CA.' });
    expect(checks.expiry.status).toBe('ok');
    // The cross-signed copy is outside the chain, told apart from the root by its issuer.
    expect(checks['other-certificates'].message).toMatch(/1 unrelated certificate\(s\): Contoso Rotation Test Root CA \(issued by O=Contoso, CN=Contoso Legacy Root CA, valid to /);
  });

  it('takes a self-issued key-rollover certificate as a link to the old root, not as a root', async () => {
    const facts = readPfxFacts(file('key-rollover'), manifest.password);
    const link = facts.certificates[2]!;
    expect(link.selfIssued).toBe(true);
    expect(link.selfSigned).toBe(false);
    expect(facts.chain.path).toEqual([0, 1, 2, 3]);
    expect(facts.chain.stop.kind).toBe('root');
    const checks = await checksOf('key-rollover');
    expect(checks['cert-chain']).toMatchObject({ status: 'ok', message: 'Complete chain of 4 certificates up to Contoso Rollover Root CA.' });
    expect(Object.values(checks).filter((c) => c.status !== 'ok' && c.id !== 'ca-transition')).toEqual([]);
    expect(inspectPfx(file('key-rollover'), manifest.password).certificates.map((c) => c.role)).toEqual(['leaf', 'intermediate', 'intermediate', 'root']);
  });
});

// --- the builder alone, on hand-made facts ---------------------------------------------------------------

const NOW = new Date('2026-06-01T00:00:00Z');

/** A certificate's facts with only what chain building reads set; names are short DER stand-ins. */
function cert(subject: string, issuer: string, options: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    subject: `CN=${subject}`,
    issuer: `CN=${issuer}`,
    subjectDer: `name:${subject}`,
    issuerDer: `name:${issuer}`,
    version: 3,
    subjectCn: subject,
    dnsNames: [],
    hasSanExtension: false,
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2030-01-01T00:00:00.000Z',
    thumbprint: subject.toUpperCase(),
    serialNumber: '01',
    signature: { oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption', hash: 'sha256' },
    publicKey: { type: 'rsa', bits: 2048, curve: null, readable: true },
    keyUsage: { present: true, digitalSignature: true, keyEncipherment: false, keyCertSign: true },
    basicConstraints: { present: true, ca: true, pathLength: null },
    subjectKeyId: null,
    authorityKeyId: null,
    unsupportedCriticalExtensions: [],
    extendedKeyUsage: null,
    crlUrls: [],
    isCa: true,
    selfIssued: subject === issuer,
    selfSigned: subject === issuer,
    defects: [],
    ...options,
  };
}

const leafOf = (issuer: string) =>
  cert('leaf', issuer, { basicConstraints: { present: true, ca: false, pathLength: null }, isCa: false, keyUsage: { present: true, digitalSignature: true, keyEncipherment: true, keyCertSign: false } });

/** A verifier from a list of "subject>issuer" links that verify; every other pair is invalid. */
function verifier(valid: string[], certs: CertificateFacts[]): (s: number, i: number) => SignatureCheck {
  return (s, i) => (valid.includes(`${certs[s]!.subjectCn}>${certs[i]!.subjectCn}`) ? 'valid' : 'invalid');
}

describe('buildChain ranks paths as Windows does', () => {
  it('a path whose signatures all verify outranks one reaching a certificate no issuer verifies', () => {
    // Two CAs named "ca" verify the leaf; the first one's own issuer does not verify it.
    const certs = [leafOf('ca'), cert('ca', 'root'), cert('root', 'root'), cert('ca2', 'other', { subjectDer: 'name:ca' })];
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: verifier(['leaf>ca', 'leaf>ca2'], certs), now: NOW });
    expect(chain.path).toEqual([0, 3]);
    expect(chain.stop).toMatchObject({ kind: 'issuer-missing', index: 3 });
  });

  it('a complete chain outranks one stopping below a missing root, even when that one is time-valid', () => {
    const expired = { notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2021-01-01T00:00:00.000Z' };
    const certs = [leafOf('ca'), cert('ca', 'missing-root', { thumbprint: 'CA-CROSS' }), cert('ca', 'root', expired), cert('root', 'root')];
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: verifier(['leaf>ca', 'ca>root'], certs), now: NOW });
    expect(chain.path).toEqual([0, 2, 3]);
    expect(chain.stop.kind).toBe('root');
  });

  it('time validity breaks a tie between complete chains, whatever the bag order', () => {
    const expired = { notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2021-01-01T00:00:00.000Z' };
    const certs = [leafOf('ca'), cert('ca', 'old-root', expired), cert('ca', 'root', { thumbprint: 'CA-NEW' }), cert('old-root', 'old-root'), cert('root', 'root')];
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: verifier(['leaf>ca', 'ca>old-root', 'ca>root'], certs), now: NOW });
    expect(chain.path).toEqual([0, 2, 4]);
    expect(chain.stop.kind).toBe('root');
  });

  it('valid CA roles break a tie between complete, time-valid paths', () => {
    const certs = [leafOf('ca'), cert('ca', 'root', { basicConstraints: { present: true, ca: false, pathLength: null } }), cert('ca', 'root', { thumbprint: 'CA-GOOD' }), cert('root', 'root')];
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: verifier(['leaf>ca', 'ca>root'], certs), now: NOW });
    expect(chain.path).toEqual([0, 2, 3]);
    expect(chain.problems).toEqual([]);
  });

  it('does not count self-issued CAs against a path length, and counts the others', () => {
    const certs = [leafOf('issuing'), cert('issuing', 'policy'), cert('policy', 'policy', { selfSigned: false, basicConstraints: { present: true, ca: true, pathLength: 1 } }), cert('policy', 'root', { thumbprint: 'POLICY-OLD', basicConstraints: { present: true, ca: true, pathLength: 1 } }), cert('root', 'root')];
    expect(caRoleProblems(certs, [0, 1, 2, 3, 4])).toEqual([]);
    const tight = certs.map((c, i) => (i === 3 ? { ...c, basicConstraints: { present: true, ca: true, pathLength: 0 } } : c));
    expect(caRoleProblems(tight, [0, 1, 2, 3, 4]).map((p) => [p.code, p.index])).toEqual([['path-length', 3]]);
  });

  it('a v1 root needs no basic constraints; a v3 root and any intermediate do', () => {
    const bare = { basicConstraints: { present: false, ca: false, pathLength: null }, keyUsage: { present: false, digitalSignature: false, keyEncipherment: false, keyCertSign: false } };
    const v1Root = [leafOf('ca'), cert('ca', 'root'), cert('root', 'root', { ...bare, version: 1 })];
    expect(caRoleProblems(v1Root, [0, 1, 2])).toEqual([]);
    const v3Root = [leafOf('ca'), cert('ca', 'root'), cert('root', 'root', bare)];
    expect(caRoleProblems(v3Root, [0, 1, 2]).map((p) => p.code)).toEqual(['no-basic-constraints']);
    const v1Intermediate = [leafOf('ca'), cert('ca', 'root', { ...bare, version: 1 }), cert('root', 'root')];
    expect(caRoleProblems(v1Intermediate, [0, 1, 2]).map((p) => p.code)).toEqual(['no-basic-constraints']);
  });

  it('names an issuer whose key cannot be read instead of calling its signature invalid', () => {
    const certs = [leafOf('ca'), cert('ca', 'root', { publicKey: { type: 'ml-kem-768', bits: null, curve: null, readable: false } })];
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: () => 'unreadable-key', now: NOW });
    expect(chain.stop).toEqual({ kind: 'issuer-key-unreadable', index: 0, issuer: 'CN=ca', issuerIndex: 1 });
  });

  it('tries at most 16 issuers of a certificate, however many share its issuer name', () => {
    const certs = [leafOf('ca'), ...Array.from({ length: 40 }, (_, i) => cert('ca', 'root', { thumbprint: `CA${i}` }))];
    const tried = new Set<number>();
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: (s, i) => (s === 0 && tried.add(i), 'invalid'), now: NOW });
    expect(tried.size).toBe(MAX_ISSUER_CANDIDATES);
    expect(chain.stop).toMatchObject({ kind: 'signature-invalid', index: 0 });
  });

  it('stays bounded on a PFX of many look-alike CA certificates', () => {
    // 12 certificates of one name that all verify each other: factorially many paths without a bound.
    const certs = [leafOf('ca'), ...Array.from({ length: 12 }, (_, i) => cert('ca', 'ca', { thumbprint: `CA${i}`, selfIssued: true, selfSigned: false }))];
    let checks = 0;
    const started = performance.now();
    const chain = buildChain({ certificates: certs, leafIndex: 0, verify: () => (checks++, 'valid'), now: NOW });
    expect(performance.now() - started).toBeLessThan(500);
    expect(chain.path.length).toBeLessThanOrEqual(10);
    // Without the bound the walk would not finish; with it, a few hundred checks (cached per pair in the engine).
    expect(checks).toBeLessThan(MAX_CANDIDATE_PATHS * 10 * 12);
  });
});
