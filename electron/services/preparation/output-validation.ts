/**
 * The engine's verdict on a PFX the preparation service has just written (assembled or repackaged).
 *
 * The same rules as `validate` (`shared/certificates/rules.ts`) over the facts read back from the file,
 * against each endpoint the certificate is for — named by the caller, or found from its SANs — or, when no
 * endpoint can be told, every check that does not depend on one. Two adjustments keep the verdict honest
 * for what the operator asked for: the `modern` profile is AES-256 by design, so `pfx-encryption` is a
 * warning saying the file is not for the rotation (not a failure of the build), and without an endpoint
 * `dns-names` is skipped rather than judged against nothing.
 */
import type { PfxFacts } from '../../../shared/certificates/facts';
import type { CertificateStatus, CheckResult, CheckStatus } from '../../../shared/certificates/report';
import { worstStatus } from '../../../shared/certificates/report';
import type { RuleContext } from '../../../shared/certificates/rules';
import { evaluateChecks } from '../../../shared/certificates/rules';
import type { EndpointDefinition } from '../../../shared/endpoints/catalog';
import { ENDPOINTS, requiredNames } from '../../../shared/endpoints/catalog';
import type { CaKind } from '../../../shared/stamps/stamp';
import { fqdnProblem, regionProblem } from '../../../shared/stamps/stamp';
import { sansMatchEndpoint } from './placement';
import type { PfxProfile } from './pkcs12-writer';

/** One check of an output that is not ok (ok and skipped checks are left out). */
export interface OutputIssue {
  readonly id: string;
  readonly status: CheckStatus;
  readonly message: string;
}

/** The verdict on one output against one endpoint (or, with `endpoint` null, against none). */
export interface OutputVerdict {
  readonly status: CertificateStatus;
  readonly issues: OutputIssue[];
}

/** The endpoint a verdict is for, with the stamp names its required SANs are built from. */
export interface OutputTarget {
  readonly endpoint: EndpointDefinition;
  readonly region: string;
  readonly fqdn: string;
}

/** What judging needs besides the facts. */
export interface OutputJudgeOptions {
  /** The output's password; used in memory only (the `password-characters` check reads it). */
  readonly password: string;
  readonly profile: PfxProfile;
  readonly currentCa?: CaKind | 'unknown' | null;
  readonly stampVersion?: string | null;
  readonly now?: Date;
}

/** The warning `pfx-encryption` becomes for a `modern` output. */
export const MODERN_PROFILE_NOTE = 'modern profile: not for Azure Stack Hub rotation';

/** Stands in for an endpoint when none is known: no required names, so no SAN is judged against one. */
const NO_ENDPOINT: EndpointDefinition = { name: '(no endpoint)', folder: '', kind: 'mandatory', identities: [], names: [], description: 'No endpoint' };

function adjust(check: CheckResult, profile: PfxProfile, target: OutputTarget | null): CheckResult {
  if (check.id === 'pfx-encryption' && profile === 'modern' && check.status === 'fail') {
    // Asked for on purpose (for other uses): say what the file is not for instead of failing the build.
    return { ...check, status: 'warning', message: `${MODERN_PROFILE_NOTE} (${check.message.replace(/\.$/, '')}).`, remediation: 'Use the azure-stack profile for files that go to the rotation share.' };
  }
  if (check.id === 'dns-names' && target === null && check.status !== 'skipped') {
    return { ...check, status: 'skipped', message: 'Not judged: no endpoint to check the SANs against (give the endpoint, region and domain to include it).', remediation: '' };
  }
  return check;
}

/**
 * Judges the facts of a written PFX against `target` (null: the endpoint-independent checks only).
 *
 * A file judged alone: the share-wide inputs (other files' passwords, the hub's root for PaaS files) are
 * those of a single-file `validate`.
 */
export function judgeOutput(facts: PfxFacts, target: OutputTarget | null, options: OutputJudgeOptions): OutputVerdict {
  const endpoint = target?.endpoint ?? NO_ENDPOINT;
  const ctx: RuleContext = {
    endpoint,
    requiredNames: target ? requiredNames(target.endpoint, target.region, target.fqdn) : [],
    password: options.password,
    now: options.now ?? new Date(),
    currentCa: options.currentCa ?? null,
    stampVersion: options.stampVersion ?? null,
    checkCrl: false,
    hubRootThumbprint: null,
    othersOpenedWithPassword: 0,
  };
  const checks = evaluateChecks(facts, ctx).map((c) => adjust(c, options.profile, target));
  return {
    status: worstStatus(checks.map((c) => c.status)),
    issues: checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => ({ id: c.id, status: c.status, message: c.message })),
  };
}

/**
 * The region and external domain the SANs were issued for.
 *
 * Read from the documented name patterns (`portal.<region>.<fqdn>`, `*.blob.<region>.<fqdn>`, …); null
 * when no SAN fits one or they disagree.
 */
export function stampBaseFromSans(sans: readonly string[]): { region: string; fqdn: string } | null {
  const bases = new Set<string>();
  for (const raw of sans) {
    const san = raw.toLowerCase().replace(/\.$/, '');
    for (const endpoint of ENDPOINTS) {
      for (const name of endpoint.names) {
        const prefix = name.pattern.replace('{base}', '');
        if (!san.startsWith(prefix)) continue;
        const base = san.slice(prefix.length);
        const dot = base.indexOf('.');
        if (dot <= 0) continue;
        const region = base.slice(0, dot);
        const fqdn = base.slice(dot + 1);
        if (!regionProblem(region) && !fqdnProblem(fqdn)) bases.add(base);
      }
    }
  }
  if (bases.size !== 1) return null;
  const [base] = [...bases] as [string];
  const dot = base.indexOf('.');
  return { region: base.slice(0, dot), fqdn: base.slice(dot + 1) };
}

/** The endpoints whose documented names the SANs cover, for a stamp's region and domain. */
export function endpointsForSans(sans: readonly string[], region: string, fqdn: string): EndpointDefinition[] {
  return sans.length === 0 ? [] : ENDPOINTS.filter((e) => sansMatchEndpoint(sans, e, region, fqdn));
}
