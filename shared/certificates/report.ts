/**
 * The validation report: check ids, statuses and the `validate --json` shape (schemaVersion 1).
 *
 * Defined as zod schemas so the CLI, the IPC contract and the renderer share one definition; the shape
 * is the `cli.md` contract and may be extended, never broken.
 */
import { z } from 'zod';

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

export const checkStatusSchema = z.enum(['ok', 'warning', 'fail', 'skipped']);
/** Status of one check. */
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const certificateStatusSchema = z.enum(['ok', 'warning', 'fail']);
/** Overall status of one certificate: the worst of its checks. */
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;

export const checkResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: checkStatusSchema,
  message: z.string(),
  remediation: z.string(),
});
/** The result of one check for one certificate. */
export type CheckResult = z.infer<typeof checkResultSchema>;

export const leafSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  sans: z.array(z.string()),
  notBefore: z.string(),
  notAfter: z.string(),
  thumbprint: z.string(),
});
/** The leaf certificate's identity in a report entry. */
export type LeafSummary = z.infer<typeof leafSummarySchema>;

export const structureProblemCodeSchema = z.enum([
  'missing-folder',
  'unexpected-folder',
  'unexpected-file',
  'no-pfx',
  'multiple-pfx',
  'wrong-root',
]);
/** Problem codes of the share's folder tree (`cli.md`). */
export type StructureProblemCode = z.infer<typeof structureProblemCodeSchema>;

export const structureProblemSchema = z.object({
  code: structureProblemCodeSchema,
  path: z.string(),
  message: z.string(),
});
/** One problem found in the folder tree. */
export type StructureProblem = z.infer<typeof structureProblemSchema>;

export const certificateReportSchema = z.object({
  endpoint: z.string(),
  folder: z.string(),
  file: z.string(),
  status: certificateStatusSchema,
  checks: z.array(checkResultSchema),
  leaf: leafSummarySchema.nullable(),
});
/** One certificate (PFX file) of the report with all its checks in contract order. */
export type CertificateReport = z.infer<typeof certificateReportSchema>;

export const validationReportSchema = z.object({
  schemaVersion: z.literal(1),
  root: z.string(),
  identity: z.enum(['aad', 'adfs']).nullable(),
  region: z.string(),
  fqdn: z.string(),
  paasRoot: z.string().optional(),
  generatedAt: z.string().optional(),
  structure: z.object({ status: z.enum(['ok', 'fail']), problems: z.array(structureProblemSchema) }),
  certificates: z.array(certificateReportSchema),
  summary: z.object({ ok: z.number().int(), warning: z.number().int(), fail: z.number().int() }),
});
/** The whole `validate --json` document. */
export type ValidationReport = z.infer<typeof validationReportSchema>;

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
