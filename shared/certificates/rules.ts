/**
 * The validation rules: judge the facts of one PFX against one endpoint, in the contract's check order.
 *
 * Pure functions over {@link PfxFacts}; thresholds and wording follow `validation-rules.md`. Every
 * non-ok result names the value found and says what to do.
 */
import type { EndpointDefinition } from '../endpoints/catalog';
import type { CaKind } from '../stamps/stamp';
import { judgeTransition } from './ca-transition';
import { certificateLabel } from './chain-builder';
import { extensionName } from './critical-extensions';
import { coverage, hasWildcard, isValidWildcard, normalizeDnsName } from './dns-match';
import type { CertificateDefect, CertificateFacts, PfxFacts } from './facts';
import { judgePassword } from './password-rules';
import { PFX_OIDS } from './pfx-contents';
import type { CertificateReport, CheckId, CheckResult, CheckStatus } from './report';
import { CHECK_IDS, worstStatus } from './report';

/** Days below which expiry fails (the Readiness Checker's minimum). */
export const EXPIRY_FAIL_DAYS = 7;
/** Days below which expiry warns (the portal's first alert). */
export const EXPIRY_WARN_DAYS = 90;

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const KEY_USAGE_OID = '2.5.29.15';
const SAN_OID = '2.5.29.17';
const CRL_DP_OID = '2.5.29.31';
const EXT_KEY_USAGE_OID = '2.5.29.37';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY_MS = 86_400_000;

/** What the rules need besides the file's facts. */
export interface RuleContext {
  readonly endpoint: EndpointDefinition;
  /** The endpoint's required names for the stamp (from the catalog). */
  readonly requiredNames: readonly string[];
  readonly password: string;
  readonly now: Date;
  readonly currentCa: CaKind | 'unknown' | null;
  readonly stampVersion: string | null;
  readonly checkCrl: boolean;
  /** Share-wide: the root thumbprint of the hub's external certificates, when validating PaaS files. */
  readonly hubRootThumbprint: string | null;
  /** Share-wide: how many other files of the share opened with the same password. */
  readonly othersOpenedWithPassword: number;
}

const REMEDIATION: Record<CheckId, string> = {
  'parse-pfx': "Re-export the PFX with the share's single password and with certificate privacy (encryption) on.",
  'pfx-encryption': 'Repackage the PFX with TripleDES-SHA1 encryption (azs-rotate pfx repackage, or export with "TripleDES-SHA1" on Windows).',
  'password-characters': 'Choose a password of 8+ characters using upper case, lower case and digits only, and re-export every PFX with it.',
  expiry: 'Have the certificate reissued with a validity period that covers the next rotation cycle.',
  'signature-algorithm': 'Have the certificate (and intermediates) reissued with SHA-256 or a stronger hash.',
  'private-key': 'Repackage the PFX with its matching private key (repackaging adds the local-machine keyset attribute), or re-export it from the machine store with the private key.',
  'cert-chain': 'Re-export with "Include all certificates in the certification path", so the chain from leaf to root is in the PFX.',
  'chain-order': 'Repackage the PFX so certificates run leaf → intermediate(s) → root.',
  'other-certificates': 'Repackage the PFX with only the leaf and its chain.',
  'dns-names': "Have the certificate reissued with the endpoint's documented subject alternative names.",
  'key-usage': 'Have the certificate reissued from a template with Digital Signature + Key Encipherment and Server + Client Authentication.',
  'key-size': 'Have the certificate reissued with an RSA key of 2048 bits or more.',
  'ca-transition': 'Use a CA kind the stamp version supports, or update the stamp first.',
  'crl-distribution': "Have the CA publish an HTTP CRL distribution point the stamp can reach, and reissue the certificate.",
};

/** Remediations for findings whose fix is not the check's usual one. */
const SPECIFIC_REMEDIATION = {
  internal: "This is a fault of the validator, not necessarily of the file: report it with the message above. The share's other files were validated; check this one with the Readiness Checker meanwhile.",
  malformed: 'Have each certificate named above reissued by its CA as a well-formed X.509 certificate (every extension DER-encoded, a non-empty issuer name, a key Windows and OpenSSL can read), then re-export the PFX with it.',
  unsupportedCritical:
    'Have each certificate named above reissued by its CA without the extension named, or with it marked non-critical (in the certificate template on a Windows CA), then re-export the PFX with it: Windows does not accept a certificate with a critical extension it does not process, whatever OpenSSL says.',
  caRoles:
    'Have the certificates named above reissued in their role: the leaf as an end-entity certificate (basic constraints cA=FALSE, no Certificate Signing), every issuing CA with basic constraints cA=TRUE, Certificate Signing in its key usage and a pathLenConstraint that allows the CAs below it; then re-export the PFX with the new chain.',
} as const;

type Verdict = { status: CheckStatus; message: string; remediation?: string };

function result(id: CheckId, verdict: Verdict): CheckResult {
  const remediation = verdict.status === 'ok' || verdict.status === 'skipped' ? '' : (verdict.remediation ?? REMEDIATION[id]);
  return { id, status: verdict.status, message: verdict.message, remediation };
}

const ok = (message: string): Verdict => ({ status: 'ok', message });
const warn = (message: string, remediation?: string): Verdict => ({ status: 'warning', message, ...(remediation ? { remediation } : {}) });
const fail = (message: string, remediation?: string): Verdict => ({ status: 'fail', message, ...(remediation ? { remediation } : {}) });
const skip = (message: string): Verdict => ({ status: 'skipped', message });

/** A defect as a clause of its own ("the key usage extension (2.5.29.15) is not DER …"). */
function clause(defect: CertificateDefect): string {
  return defect.message.replace(/^its /, 'the ');
}

/** The first defect of `cert` in `part` (for extensions: with one of `oids`), if any. */
function defectOf(cert: CertificateFacts, part: CertificateDefect['part'], ...oids: string[]): CertificateDefect | undefined {
  return cert.defects.find((d) => d.part === part && (oids.length === 0 || (d.oid !== null && oids.includes(d.oid))));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function daysLeft(cert: CertificateFacts, now: Date): number {
  return Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY_MS);
}

const label = certificateLabel;

function leafOf(facts: PfxFacts): CertificateFacts | null {
  return facts.chain.leafIndex === null ? null : (facts.certificates[facts.chain.leafIndex] ?? null);
}

function parsePfx(facts: PfxFacts, ctx: RuleContext): Verdict {
  if (facts.openError) {
    const shareHint =
      facts.openError.code === 'wrong-password' && ctx.othersOpenedWithPassword > 0
        ? ` ${ctx.othersOpenedWithPassword} other file(s) of the share open with this password: all PFX files must use one password.`
        : '';
    return fail(`Cannot open ${facts.file}: ${facts.openError.message}.${shareHint}`, facts.openError.code === 'internal' ? SPECIFIC_REMEDIATION.internal : undefined);
  }
  const plainCerts = facts.bags.filter((b) => b.type === 'certificate' && !b.inEncryptedContainer).length;
  if (plainCerts > 0) {
    return warn(`${plainCerts} certificate bag(s) are readable without the password (exported without certificate privacy).`);
  }
  const mac = facts.mac ? `MAC ${facts.mac.digest}, ${facts.mac.iterations} iterations` : 'no MAC';
  return ok(`Opened with the share password (${facts.bags.length} bags, ${mac}).`);
}

function pfxEncryption(facts: PfxFacts): Verdict {
  const keyBags = facts.bags.filter((b) => b.type === 'shrouded-private-key' || b.type === 'private-key');
  const problems: string[] = [];
  for (const bag of keyBags) {
    if (!bag.encryption) problems.push('the private key bag is not encrypted');
    else if (bag.encryption.oid !== PFX_OIDS.tripleDesSha1) problems.push(`the private key is encrypted with ${bag.encryption.name}, not pbeWithSHAAnd3-KeyTripleDES-CBC`);
  }
  if (!facts.mac) problems.push('the file has no integrity MAC (SHA-1 required)');
  else if (facts.mac.digestOid !== PFX_OIDS.sha1) problems.push(`the MAC uses ${facts.mac.digest}, not SHA-1`);
  if (problems.length > 0) return fail(`Not TripleDES-SHA1: ${problems.join('; ')}.`);
  const otherCertEncryption = [
    ...new Set(
      facts.bags
        .filter((b) => b.type === 'certificate' && b.encryption && b.encryption.oid !== PFX_OIDS.tripleDesSha1)
        .map((b) => b.encryption!.name),
    ),
  ];
  if (otherCertEncryption.length > 0) return warn(`Certificates are encrypted with ${otherCertEncryption.join(', ')} (key and MAC are TripleDES-SHA1).`);
  if (keyBags.length === 0) return ok('No key bag; MAC is SHA-1 (the private key check reports the missing key).');
  return ok('Key encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, MAC SHA-1.');
}

function expiry(facts: PfxFacts, ctx: RuleContext): Verdict {
  const chain = facts.chain.path.map((i) => facts.certificates[i]!);
  const leaf = chain[0]!;
  const now = ctx.now.getTime();
  if (Date.parse(leaf.notBefore) > now) return fail(`Not valid yet: valid from ${leaf.notBefore}.`);
  const left = daysLeft(leaf, ctx.now);
  if (Date.parse(leaf.notAfter) <= now) return fail(`Expired on ${leaf.notAfter}.`);
  if (left < EXPIRY_FAIL_DAYS) return fail(`Expires on ${leaf.notAfter}: ${left} day(s) left, fewer than ${EXPIRY_FAIL_DAYS}.`);
  const badIssuer = chain.slice(1).find((c) => Date.parse(c.notAfter) <= now || Date.parse(c.notBefore) > now);
  if (badIssuer) return fail(`The chain certificate ${label(badIssuer)} is not valid now (valid ${badIssuer.notBefore} to ${badIssuer.notAfter}).`);
  if (left < EXPIRY_WARN_DAYS) return warn(`Expires on ${leaf.notAfter}: ${left} days left; the portal's ${EXPIRY_WARN_DAYS}-day alert would fire at once.`);
  const soonIssuer = chain.slice(1).find((c) => daysLeft(c, ctx.now) < EXPIRY_WARN_DAYS);
  if (soonIssuer) return warn(`The chain certificate ${label(soonIssuer)} expires on ${soonIssuer.notAfter} (${daysLeft(soonIssuer, ctx.now)} days left).`);
  return ok(`Valid until ${leaf.notAfter} (${left} days left).`);
}

function signatureAlgorithm(facts: PfxFacts): Verdict {
  const chain = facts.chain.path.map((i) => facts.certificates[i]!);
  const weak = chain.filter((c) => !c.selfSigned && (c.signature.hash === 'sha1' || c.signature.hash === 'md5'));
  if (weak.length > 0) return fail(weak.map((c) => `${label(c)} is signed with ${c.signature.name}`).join('; ') + '.');
  const leaf = chain[0]!;
  return ok(`Signed with ${leaf.signature.name}.`);
}

function privateKey(facts: PfxFacts): Verdict {
  const key = facts.privateKey;
  if (key.count === 0) return fail('The PFX holds no private key.');
  const leaf = facts.openError ? null : leafOf(facts);
  const unreadable = leaf ? defectOf(leaf, 'public-key') : undefined;
  if (leaf && unreadable) {
    return fail(`Cannot tell whether the private key matches the leaf: ${label(leaf)}: ${unreadable.message}.`, SPECIFIC_REMEDIATION.malformed);
  }
  if (key.matchesLeaf === false) return fail(`The private key (${key.type ?? 'unknown'} ${key.bits ?? '?'} bits) does not match the leaf certificate's public key.`);
  if (!key.machineKeySet) return fail('The key bag lacks the Microsoft local-machine keyset attribute (1.3.6.1.4.1.311.17.2) that the Readiness Checker requires.');
  return ok(`Private key present, matches the leaf, local-machine keyset attribute set.`);
}

function certChain(facts: PfxFacts, ctx: RuleContext): Verdict {
  const leaf = leafOf(facts)!;
  if (leaf.selfIssued) return fail(`The leaf is self-signed (issued to and by ${leaf.subject}).`);
  const { path, stop, problems } = facts.chain;
  // Every reason the chain fails, so one pass shows every fix; each kind of reason brings its remediation.
  const findings: string[] = [];
  const remediations = new Set<string>();
  // The leaf's own key plays no part in the chain (key-size and private-key report it).
  const malformed = path.flatMap((i, position) =>
    facts.certificates[i]!.defects.filter((d) => position > 0 || d.part !== 'public-key').map((d) => `${label(facts.certificates[i]!)}: ${d.message}`),
  );
  if (malformed.length > 0) {
    findings.push(`malformed certificate(s) in the chain: ${malformed.join('; ')}`);
    remediations.add(SPECIFIC_REMEDIATION.malformed);
  }
  const unprocessed = path.flatMap((i) => {
    const cert = facts.certificates[i]!;
    return cert.unsupportedCriticalExtensions.length > 0 ? [`${label(cert)} marks ${cert.unsupportedCriticalExtensions.map(extensionName).join(', ')} critical`] : [];
  });
  if (unprocessed.length > 0) {
    findings.push(`critical extension(s) Windows does not process, so it rejects the chain: ${unprocessed.join('; ')}`);
    remediations.add(SPECIFIC_REMEDIATION.unsupportedCritical);
  }
  let missingRoot: string | null = null;
  if (stop.kind === 'signature-invalid') {
    findings.push(`the signature of ${label(facts.certificates[stop.index]!)} does not verify with the key of its issuer ${stop.issuer} in the PFX`);
    remediations.add(REMEDIATION['cert-chain']);
  } else if (stop.kind === 'issuer-key-unreadable') {
    const issuer = facts.certificates[stop.issuerIndex]!;
    const unreadable = defectOf(issuer, 'public-key');
    const why = unreadable ? clause(unreadable) : 'its public key cannot be read';
    findings.push(`the signature of ${label(facts.certificates[stop.index]!)} cannot be checked with the key of its issuer ${label(issuer)}: ${why}`);
    remediations.add(SPECIFIC_REMEDIATION.malformed);
  } else if (stop.kind === 'issuer-missing' && stop.issuer !== '') {
    // An empty issuer name is already a defect of the certificate: no CA could be named by it.
    const top = facts.certificates[stop.index]!;
    const otherCas = facts.certificates.filter((c, i) => c.isCa && !path.includes(i));
    if (stop.index === path[0] || otherCas.length > 0) {
      findings.push(`the issuer ${stop.issuer} of ${label(top)} is missing from the PFX`);
      remediations.add(REMEDIATION['cert-chain']);
    } else {
      missingRoot = `The chain ends at ${label(top)}; its root ${stop.issuer} is not in the PFX.`;
    }
  }
  if (problems.length > 0) {
    findings.push(...problems.map((p) => p.message));
    remediations.add(SPECIFIC_REMEDIATION.caRoles);
  }
  if (findings.length > 0) return fail(`${capitalized(findings.join('; '))}.`, [...remediations].join(' '));
  if (missingRoot) return warn(missingRoot);
  if (ctx.hubRootThumbprint && facts.rootThumbprint && ctx.hubRootThumbprint !== facts.rootThumbprint) {
    return warn(`The chain's root (${facts.rootThumbprint}) differs from the root of the hub's external certificates (${ctx.hubRootThumbprint}); PaaS certificates must chain to the same root.`);
  }
  const root = facts.certificates[path[path.length - 1]!]!;
  return ok(`Complete chain of ${path.length} certificates up to ${label(root)}.`);
}

function chainOrder(facts: PfxFacts): Verdict {
  const path = facts.chain.path;
  const bagOrder = facts.certificates.map((_, i) => i).filter((i) => path.includes(i));
  const ordered = bagOrder.every((index, position) => index === path[position]);
  if (!ordered) {
    return fail(`Certificates are in the order ${bagOrder.map((i) => label(facts.certificates[i]!)).join(' → ')}; expected ${path.map((i) => label(facts.certificates[i]!)).join(' → ')}.`);
  }
  return ok(path.length > 1 ? 'Ordered leaf → intermediate(s) → root.' : 'Only the leaf is present.');
}

function otherCertificates(facts: PfxFacts): Verdict {
  const { path, stop } = facts.chain;
  if (stop.kind === 'signature-invalid' || stop.kind === 'issuer-key-unreadable') {
    // Above a link that cannot be verified, which certificates belong to the chain cannot be told.
    return skip(`Skipped: the chain cannot be followed past ${label(facts.certificates[stop.index]!)} (see cert-chain), so which certificates belong to it cannot be told.`);
  }
  const chainLabels = new Set(path.map((i) => label(facts.certificates[i]!)));
  const others = facts.certificates.filter((_, i) => !path.includes(i));
  // A certificate named like one in the chain (a cross-signed copy, an older issue) is told apart by its issuer.
  const named = (c: CertificateFacts): string => (chainLabels.has(label(c)) ? `${label(c)} (issued by ${c.issuer || 'an empty name'}, valid to ${c.notAfter})` : label(c));
  if (others.length > 0) return fail(`The PFX holds ${others.length} unrelated certificate(s): ${others.map(named).join(', ')}.`);
  return ok('No certificates besides the leaf and its chain.');
}

function dnsNames(leaf: CertificateFacts, ctx: RuleContext): Verdict {
  const unreadable = defectOf(leaf, 'extension', SAN_OID);
  if (unreadable) {
    return fail(`${capitalized(clause(unreadable))}, so its names cannot be read; needs ${ctx.requiredNames.join(', ')}.`, SPECIFIC_REMEDIATION.malformed);
  }
  const sans = leaf.dnsNames;
  if (!leaf.hasSanExtension || sans.length === 0) {
    return fail(`The certificate has no subject alternative names (subject CN "${leaf.subjectCn ?? ''}" alone never counts); needs ${ctx.requiredNames.join(', ')}.`);
  }
  const invalid = sans.filter((s) => hasWildcard(s) && !isValidWildcard(s));
  const missing: string[] = [];
  const wildcardOnly: string[] = [];
  let wildcardRefused = false;
  ctx.requiredNames.forEach((name, i) => {
    const how = coverage(name, sans);
    const concreteOnly = ctx.endpoint.names[i]?.concreteOnly === true;
    if (how === 'wildcard' && concreteOnly) wildcardRefused = true;
    if (how === 'missing' || (how === 'wildcard' && concreteOnly)) missing.push(name);
    else if (how === 'wildcard') wildcardOnly.push(name);
  });
  const invalidNote = invalid.length > 0 ? ` Invalid wildcard SAN(s) ignored: ${invalid.join(', ')}.` : '';
  if (missing.length > 0) {
    const concreteNote = wildcardRefused ? ' (a wildcard does not stand in for this name)' : '';
    return fail(`SANs ${sans.join(', ')} do not cover ${missing.join(', ')}${concreteNote}.${invalidNote}`);
  }
  const required = new Set(ctx.requiredNames.map(normalizeDnsName));
  const extra = sans.filter((s) => !required.has(normalizeDnsName(s)));
  const warnings: string[] = [];
  if (wildcardOnly.length > 0) warnings.push(`${wildcardOnly.join(', ')} is covered only by a wildcard (a concrete name is recommended)`);
  if (extra.length > 0) warnings.push(`SANs beyond the documented names: ${extra.join(', ')}`);
  if (leaf.subjectCn && !sans.some((s) => normalizeDnsName(s) === normalizeDnsName(leaf.subjectCn!))) {
    warnings.push(`the subject CN "${leaf.subjectCn}" is not among the SANs`);
  }
  if (warnings.length > 0) return warn(`${warnings.join('; ')}.${invalidNote}`);
  return ok(`SANs cover ${ctx.requiredNames.join(', ')}.`);
}

function keyUsage(leaf: CertificateFacts): Verdict {
  const problems: string[] = [];
  const unreadable = [defectOf(leaf, 'extension', KEY_USAGE_OID), defectOf(leaf, 'extension', EXT_KEY_USAGE_OID)].filter((d) => d !== undefined);
  if (unreadable.length > 0) {
    return fail(`${capitalized(unreadable.map(clause).join('; '))}, so the key usages cannot be read (needs Digital Signature, Key Encipherment, Server and Client Authentication).`, SPECIFIC_REMEDIATION.malformed);
  }
  if (!leaf.keyUsage.present) problems.push('no key usage extension (needs Digital Signature and Key Encipherment)');
  else {
    if (!leaf.keyUsage.digitalSignature) problems.push('key usage lacks Digital Signature');
    if (!leaf.keyUsage.keyEncipherment) problems.push('key usage lacks Key Encipherment');
  }
  const eku = leaf.extendedKeyUsage;
  if (!eku) problems.push('no extended key usage extension (needs Server and Client Authentication)');
  else {
    if (!eku.includes(SERVER_AUTH)) problems.push(`extended key usage lacks Server Authentication (found ${eku.join(', ') || 'none'})`);
    if (!eku.includes(CLIENT_AUTH)) problems.push(`extended key usage lacks Client Authentication (found ${eku.join(', ') || 'none'})`);
  }
  if (problems.length > 0) return fail(`${problems.join('; ')}.`);
  return ok('Digital Signature, Key Encipherment, Server and Client Authentication.');
}

function keySize(leaf: CertificateFacts): Verdict {
  const key = leaf.publicKey;
  const unreadable = defectOf(leaf, 'public-key');
  if (!key.readable || unreadable) return fail(`${capitalized(unreadable ? clause(unreadable) : 'the public key cannot be read')}; an RSA key of 2048 bits or more is needed.`);
  if (key.type !== 'rsa') return fail(`The key is ${key.type.toUpperCase()}${key.curve ? ` (${key.curve})` : ''}, not RSA.`);
  if ((key.bits ?? 0) < 2048) return fail(`The RSA key has ${key.bits} bits, fewer than 2048.`);
  return ok(`RSA ${key.bits} bits.`);
}

function caTransition(facts: PfxFacts, ctx: RuleContext): Verdict {
  if (!facts.caKind) return warn('Cannot tell the kind of the issuing CA (the chain does not reach a root).');
  return judgeTransition(ctx.currentCa, facts.caKind, ctx.stampVersion);
}

function crlDistribution(leaf: CertificateFacts, facts: PfxFacts, ctx: RuleContext): Verdict {
  const unreadable = defectOf(leaf, 'extension', CRL_DP_OID);
  if (unreadable) return warn(`${capitalized(clause(unreadable))}, so no CRL URL can be read; the stamp needs an http:// CRL URL.`);
  const http = leaf.crlUrls.filter((u) => /^http:\/\//i.test(u));
  if (http.length === 0) {
    const found = leaf.crlUrls.length > 0 ? `only ${leaf.crlUrls.join(', ')}` : 'no CRL distribution point';
    return warn(`The certificate has ${found}; the stamp needs an http:// CRL URL.`);
  }
  if (!ctx.checkCrl || !facts.crl) return ok(`HTTP CRL at ${http[0]} (not fetched: run with --check-crl to fetch it).`);
  return facts.crl.ok ? ok(`Fetched the CRL at ${facts.crl.url}: ${facts.crl.message}.`) : fail(`Cannot use the CRL at ${facts.crl.url}: ${facts.crl.message}.`);
}

/**
 * Runs every check for one file, in contract order.
 *
 * When the file does not open, only `password-characters` can still be judged; the rest are skipped
 * with the reason. Without a leaf certificate, certificate checks are skipped likewise.
 */
export function evaluateChecks(facts: PfxFacts, ctx: RuleContext): CheckResult[] {
  const password = judgePassword(ctx.password);
  const results = new Map<CheckId, CheckResult>();
  results.set('parse-pfx', result('parse-pfx', parsePfx(facts, ctx)));
  results.set('password-characters', result('password-characters', password));
  const leaf = facts.openError ? null : leafOf(facts);
  if (facts.openError) {
    for (const id of CHECK_IDS) if (!results.has(id)) results.set(id, result(id, skip('Skipped: the PFX does not open.')));
  } else {
    results.set('pfx-encryption', result('pfx-encryption', pfxEncryption(facts)));
    results.set('private-key', result('private-key', privateKey(facts)));
    if (!leaf) {
      for (const id of CHECK_IDS) if (!results.has(id)) results.set(id, result(id, skip('Skipped: the PFX holds no certificate.')));
    } else {
      results.set('expiry', result('expiry', expiry(facts, ctx)));
      results.set('signature-algorithm', result('signature-algorithm', signatureAlgorithm(facts)));
      results.set('cert-chain', result('cert-chain', certChain(facts, ctx)));
      results.set('chain-order', result('chain-order', chainOrder(facts)));
      results.set('other-certificates', result('other-certificates', otherCertificates(facts)));
      results.set('dns-names', result('dns-names', dnsNames(leaf, ctx)));
      results.set('key-usage', result('key-usage', keyUsage(leaf)));
      results.set('key-size', result('key-size', keySize(leaf)));
      results.set('ca-transition', result('ca-transition', caTransition(facts, ctx)));
      results.set('crl-distribution', result('crl-distribution', crlDistribution(leaf, facts, ctx)));
    }
  }
  return CHECK_IDS.map((id) => results.get(id)!);
}

/** Builds the report entry of one file: all checks, overall status and the leaf summary. */
export function certificateReport(facts: PfxFacts, ctx: RuleContext, location: { folder: string; file: string }): CertificateReport {
  const checks = evaluateChecks(facts, ctx);
  const leaf = facts.openError ? null : leafOf(facts);
  return {
    endpoint: ctx.endpoint.name,
    folder: location.folder,
    file: location.file,
    status: worstStatus(checks.map((c) => c.status)),
    checks,
    leaf: leaf
      ? { subject: leaf.subject, issuer: leaf.issuer, sans: leaf.dnsNames, notBefore: leaf.notBefore, notAfter: leaf.notAfter, thumbprint: leaf.thumbprint }
      : null,
    chain: leaf
      ? facts.chain.path.map((i) => {
          const c = facts.certificates[i]!;
          return { subject: c.subject, issuer: c.issuer, notAfter: c.notAfter, thumbprint: c.thumbprint };
        })
      : [],
  };
}
