/**
 * Zod schemas of the procedure, probe and dashboard messages of the IPC contract.
 *
 * Kept beside the pure types they mirror; `shared/ipc/contract.ts` only references them, so the contract
 * file stays a list of channels.
 */
import { z } from 'zod';
import { CA_KINDS } from '../stamps/stamp';
import { PROCEDURE_IDS, VERIFIER_IDS } from './model';

const evidenceSchema = z.object({
  kind: z.enum(['validation-run', 'rotation-run', 'backup', 'share-test']),
  id: z.number(),
  label: z.string(),
  at: z.string(),
});

const verifierResultSchema = z.object({
  id: z.enum(VERIFIER_IDS),
  state: z.enum(['passed', 'failed', 'pending', 'unavailable']),
  message: z.string(),
  evidence: evidenceSchema.nullable(),
});

const confirmationSchema = z.object({ stepId: z.string(), confirmedAt: z.string(), note: z.string().nullable(), actor: z.string() });

/** A procedure parameter map: names and paths only. */
export const procedureParametersSchema = z.record(z.string().max(100), z.string().max(2000));

/**
 * A stored procedure run with its confirmations.
 *
 * Mirrors `ProcedureRunRecord` of `checklist.ts`.
 */
export const procedureRunSchema = z.object({
  id: z.number().int(),
  stampId: z.number().int().nullable(),
  stampName: z.string(),
  procedureId: z.enum(PROCEDURE_IDS),
  stampVersion: z.string(),
  parameters: procedureParametersSchema,
  state: z.enum(['open', 'completed', 'abandoned']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  confirmations: z.array(confirmationSchema),
});

/**
 * A checklist as the backend judges it.
 *
 * Mirrors `Checklist` of `checklist.ts`; the renderer displays it without re-judging anything.
 */
export const checklistSchema = z.object({
  run: procedureRunSchema,
  title: z.string(),
  shell: z.string(),
  steps: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      why: z.string(),
      optional: z.boolean(),
      mode: z.enum(['auto', 'manual']),
      status: z.enum(['done', 'failed', 'waiting', 'blocked', 'open']),
      doneBy: z.enum(['auto', 'manual']).nullable(),
      verifiers: z.array(verifierResultSchema),
      confirmation: confirmationSchema.nullable(),
      command: z.string().nullable(),
      notes: z.array(z.string()),
      checks: z.array(z.string()),
      blockedReason: z.string().nullable(),
      waitUntil: z.string().nullable(),
      window: z
        .object({ startedAt: z.string(), earliest: z.string(), latest: z.string(), state: z.enum(['running', 'due', 'overdue']) })
        .nullable(),
      gate: z.string().nullable(),
    }),
  ),
  omitted: z.array(z.object({ id: z.string(), title: z.string(), gate: z.string() })),
  done: z.number().int(),
  required: z.number().int(),
  complete: z.boolean(),
});

/** One row of the procedure runs list. */
export const procedureRunSummarySchema = z.object({
  id: z.number().int(),
  stampId: z.number().int().nullable(),
  stampName: z.string(),
  procedureId: z.enum(PROCEDURE_IDS),
  title: z.string(),
  state: z.enum(['open', 'completed', 'abandoned']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  done: z.number().int(),
  required: z.number().int(),
});
/** A procedure run in the list. */
export type ProcedureRunSummary = z.infer<typeof procedureRunSummarySchema>;

const chainElementSchema = z.object({ subject: z.string(), issuer: z.string(), notAfter: z.string(), daysLeft: z.number().int() });
const probeStatusSchema = z.enum(['ok', 'warning', 'critical', 'expired', 'error']);

/**
 * The probe of a stamp's endpoints.
 *
 * The `probe --json` document (schemaVersion 1), mirroring `ProbeReport` of `shared/probe/probe-result.ts`.
 */
export const probeReportSchema = z.object({
  schemaVersion: z.literal(1),
  stamp: z.string(),
  probedAt: z.string(),
  connect: z.string().nullable(),
  servedCaKind: z.enum([...CA_KINDS, 'mixed']).nullable(),
  endpoints: z.array(
    z.object({
      endpoint: z.string(),
      name: z.string(),
      status: probeStatusSchema,
      daysLeft: z.number().int().nullable(),
      error: z.enum(['refused', 'timeout', 'name mismatch', 'handshake', 'dns']).nullable(),
      message: z.string().nullable(),
      caKind: z.enum(CA_KINDS).nullable(),
      chain: z.array(chainElementSchema),
    }),
  ),
});

/** One certificate on the expiry dashboard. */
export const dashboardCertificateSchema = z.object({
  /** A validated share file, a probed endpoint, or the stamp's internal root CA (from stamp information). */
  source: z.enum(['share', 'endpoint', 'root-ca']),
  /** Endpoint (catalog name) the certificate belongs to. */
  endpoint: z.string(),
  /** The share file or the probed name. */
  location: z.string(),
  /** 0 for the leaf, then up the chain. */
  chainIndex: z.number().int(),
  subject: z.string(),
  issuer: z.string(),
  notAfter: z.string(),
  daysLeft: z.number().int(),
  status: z.enum(['ok', 'warning', 'critical', 'expired']),
  /** The validation run it comes from (share files). */
  runId: z.number().int().nullable(),
});
/** One certificate on the dashboard. */
export type DashboardCertificate = z.infer<typeof dashboardCertificateSchema>;

/**
 * The expiry dashboard of a stamp.
 *
 * Certificates are sorted soonest expiry first; days are counted at `generatedAt`.
 */
export const dashboardSchema = z.object({
  stampId: z.number().int(),
  generatedAt: z.string(),
  certificates: z.array(dashboardCertificateSchema),
  probe: probeReportSchema.nullable(),
  /** Probed names without a chain to show (refused, timeout…). */
  probeErrors: z.array(z.object({ endpoint: z.string(), name: z.string(), reason: z.string(), message: z.string() })),
});
/** The expiry dashboard of a stamp. */
export type Dashboard = z.infer<typeof dashboardSchema>;
