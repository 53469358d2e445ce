/**
 * zod schemas of the validation report, checked against the plain types of `report.ts`.
 *
 * Used where a report crosses a trust boundary (IPC responses, stored reports, tests of the CLI's JSON).
 */
import { z } from 'zod';
import type { ValidationReport } from './report';
import { CHECK_IDS, STRUCTURE_PROBLEM_CODES } from './report';

/** Schema of a check status. */
export const checkStatusSchema = z.enum(['ok', 'warning', 'fail', 'skipped']);

/** Schema of a certificate status. */
export const certificateStatusSchema = z.enum(['ok', 'warning', 'fail']);

/** Schema of one check result. */
export const checkResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: checkStatusSchema,
  message: z.string(),
  remediation: z.string(),
});

/** Schema of the leaf summary. */
export const leafSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  sans: z.array(z.string()),
  notBefore: z.string(),
  notAfter: z.string(),
  thumbprint: z.string(),
});

/** Schema of a folder-tree problem code. */
export const structureProblemCodeSchema = z.enum(STRUCTURE_PROBLEM_CODES);

/** Schema of one folder-tree problem. */
export const structureProblemSchema = z.object({
  code: structureProblemCodeSchema,
  path: z.string(),
  message: z.string(),
});

/** Schema of one certificate entry. */
export const certificateReportSchema = z.object({
  endpoint: z.string(),
  folder: z.string(),
  file: z.string(),
  status: certificateStatusSchema,
  checks: z.array(checkResultSchema),
  leaf: leafSummarySchema.nullable(),
  chain: z.array(z.object({ subject: z.string(), issuer: z.string(), notAfter: z.string(), thumbprint: z.string() })).optional(),
});

/** Schema of the whole `validate --json` document. */
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

// Compile-time check that the schema and the plain type describe the same document.
const sameShape: z.ZodType<ValidationReport> = validationReportSchema;
void sameShape;
