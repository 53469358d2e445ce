/**
 * The IPC channels that read what an open support bundle holds, merged into `IPC_CONTRACT`.
 *
 * Review mode never answers from the operator's own database: while a bundle is open the live read
 * channels (`stamps.list`, `rotation.getRun`, …) are refused, and the workspaces read these instead. A
 * window that forgot to switch therefore shows a refusal, never a local stamp dressed as the customer's.
 *
 * The shapes mirror the live ones with looser strings: a bundle made with masking holds `host-1` and
 * `ip-1` where a stamp profile would hold a domain and an address, and must still be readable.
 */
import { z } from 'zod';
import { validationReportSchema } from '../certificates/report-schema';
import { PAAS_PROVIDERS, type PaasProvider } from '../endpoints/catalog';
import { dashboardSchema } from '../procedures/procedure-schema';
import { rotationRunSchema, runEventSchema } from '../rotation/rotation-schema';
import { CA_KINDS } from '../stamps/stamp';
import { validationRunSummarySchema } from './validation-run-schema';

const empty = z.object({}).strict();
const id = z.number().int().positive();

/** A stamp profile as a bundle holds it (names and addresses possibly masked). */
export const reviewStampSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  region: z.string(),
  externalFqdn: z.string(),
  identity: z.enum(['aad', 'adfs']),
  version: z.string(),
  ercsIps: z.array(z.string()),
  currentCaKind: z.enum([...CA_KINDS, 'unknown']),
  resourceProviders: z.array(z.enum(PAAS_PROVIDERS as unknown as [PaasProvider, ...PaasProvider[]])),
  rehearsal: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A checklist's state as a bundle holds it: the procedure, its state and every confirmation. */
export const reviewChecklistSchema = z.object({
  id: z.number().int(),
  stamp: z.string(),
  procedureId: z.string(),
  stampVersion: z.string(),
  state: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  confirmations: z.array(z.object({ stepId: z.string(), confirmedAt: z.string(), actor: z.string(), note: z.string().nullable() })),
});
/** A checklist state from a bundle. */
export type ReviewChecklist = z.infer<typeof reviewChecklistSchema>;

/** Everything small a bundle holds, read once when review mode opens. */
export const reviewContentsSchema = z.object({
  stamps: z.array(reviewStampSchema),
  validationRuns: z.array(validationRunSummarySchema),
  rotationRuns: z.array(rotationRunSchema),
  checklists: z.array(reviewChecklistSchema),
  /** When the bundle was made: the time its days-left figures are counted at. */
  createdAt: z.string(),
});
/** What an open bundle holds. */
export type ReviewContents = z.infer<typeof reviewContentsSchema>;

/** The review channels: `domain.method` → request and response schemas. */
export const REVIEW_CHANNELS = {
  'review.contents': { request: empty, response: reviewContentsSchema },
  'review.getValidationRun': {
    request: z.object({ runId: id }).strict(),
    response: z.object({ run: validationRunSummarySchema, report: validationReportSchema.nullable() }),
  },
  'review.getRotationRun': {
    request: z.object({ runId: id }).strict(),
    response: z.object({ run: rotationRunSchema, events: z.array(runEventSchema), guidance: z.string().nullable() }),
  },
  /** The expiry dashboard of a bundle's stamp, counted at the bundle's creation time. */
  'review.dashboard': { request: z.object({ stampId: z.number().int() }).strict(), response: dashboardSchema },
} as const;
