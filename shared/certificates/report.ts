/**
 * The validation report: check ids, statuses and the `validate --json` shape (schemaVersion 1).
 *
 * Plain types here (loading zod costs a CLI start-up ~0.2 s); the matching zod schemas, for the IPC
 * contract and tests, are in `report-schema.ts`. The shape is the `cli.md` contract and may be extended,
 * never broken.
*/

/** Check ids in the exact order every certificate reports them (`cli.md`). */
export const CHECK_IDS = [
  'parse-pfx',
  'pfx-encryption',
  'password-characters',
  'expiry',
  'signature-algorithm',
  'private-key',
  'cert-chain',
  'chain-order',
  'other-certificates',
  'dns-names',
  'key-usage',
  'key-size',
  'ca-transition',
  'crl-distribution',
] as const;

/** One of the stable check ids. */
export type CheckId = (typeof CHECK_IDS)[number];

/** The Readiness Checker's own test name for each check, shown beside ours so operators can compare. */
export const READINESS_CHECKER_NAMES: Record<CheckId, string | null> = {
  'parse-pfx': 'Parse PFX',
  'pfx-encryption': 'PFX Encryption',
  'password-characters': null,
  expiry: 'Expiry Date',
  'signature-algorithm': 'Signature Algorithm',
  'private-key': 'Private Key',
  'cert-chain': 'Cert Chain',
  'chain-order': 'Chain Order',
  'other-certificates': 'Other Certificates',
  'dns-names': 'DNS Names',
  'key-usage': 'Key Usage',
  'key-size': 'Key Length',
  'ca-transition': null,
  'crl-distribution': 'HTTP CRL',
};

/** Short human titles for each check, for tables. */
export const CHECK_TITLES: Record<CheckId, string> = {
  'parse-pfx': 'Parse PFX',
  'pfx-encryption': 'PFX encryption',
  'password-characters': 'Password characters',
  expiry: 'Expiry',
  'signature-algorithm': 'Signature algorithm',
  'private-key': 'Private key',
  'cert-chain': 'Certificate chain',
  'chain-order': 'Chain order',
  'other-certificates': 'Other certificates',
  'dns-names': 'DNS names',
  'key-usage': 'Key usage',
  'key-size': 'Key size',
  'ca-transition': 'CA transition',
  'crl-distribution': 'CRL distribution',
};

/** Status of one check. */
export type CheckStatus = 'ok' | 'warning' | 'fail' | 'skipped';

/** Overall status of one certificate: the worst of its checks. */
export type CertificateStatus = 'ok' | 'warning' | 'fail';

/** The result of one check for one certificate. */
export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  message: string;
  remediation: string;
}

/** The leaf certificate's identity in a report entry. */
export interface LeafSummary {
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  /** SHA-1, upper-case hex. */
  thumbprint: string;
}

/** Problem codes of the share's folder tree (`cli.md`). */
export const STRUCTURE_PROBLEM_CODES = ['missing-folder', 'unexpected-folder', 'unexpected-file', 'no-pfx', 'multiple-pfx', 'wrong-root'] as const;

/** A problem code of the share's folder tree. */
export type StructureProblemCode = (typeof STRUCTURE_PROBLEM_CODES)[number];

/** One problem found in the folder tree. */
export interface StructureProblem {
  code: StructureProblemCode;
  path: string;
  message: string;
}

/** One element of a PFX's chain, leaf first (an extension of the contract's report). */
export interface ChainElement {
  subject: string;
  issuer: string;
  notAfter: string;
  thumbprint: string;
}

/** One certificate (PFX file) of the report with all its checks in contract order. */
export interface CertificateReport {
  endpoint: string;
  folder: string;
  file: string;
  status: CertificateStatus;
  checks: CheckResult[];
  leaf: LeafSummary | null;
  /** The chain found in the PFX, leaf → root, for expiry tracking of every element. */
  chain?: ChainElement[];
}

/** The whole `validate --json` document (schemaVersion 1). */
export interface ValidationReport {
  schemaVersion: 1;
  root: string;
  identity: 'aad' | 'adfs' | null;
  region: string;
  fqdn: string;
  paasRoot?: string;
  generatedAt?: string;
  structure: { status: 'ok' | 'fail'; problems: StructureProblem[] };
  certificates: CertificateReport[];
  summary: { ok: number; warning: number; fail: number };
}

/** Worst status of a list of check results (`skipped` does not count). */
export function worstStatus(statuses: readonly CheckStatus[]): CertificateStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warning')) return 'warning';
  return 'ok';
}

/** Counts certificates per status for the report summary. */
export function summarize(certificates: readonly CertificateReport[]): ValidationReport['summary'] {
  const summary = { ok: 0, warning: 0, fail: 0 };
  for (const c of certificates) summary[c.status] += 1;
  return summary;
}

/** True when the report holds a failure anywhere (the CLI's exit code 1). */
export function reportHasFailures(report: ValidationReport): boolean {
  return report.structure.status === 'fail' || report.summary.fail > 0;
}
