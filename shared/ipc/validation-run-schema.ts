/**
 * The schema of one validation history row, in a module of its own so both the main contract and the
 * review channels can use it without importing each other.
 */
import { z } from 'zod';

const id = z.number().int().positive();

/**
 * One row of the validation history.
 *
 * Runs recorded by the CLI (`validate --record`) appear here too, marked by `source`.
 */
export const validationRunSummarySchema = z.object({
  id,
  stampId: z.number().int().nullable(),
  stampName: z.string().nullable(),
  root: z.string(),
  identity: z.enum(['aad', 'adfs']).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'ok', 'warning', 'fail', 'cancelled', 'error']),
  summary: z.object({ ok: z.number(), warning: z.number(), fail: z.number() }),
  source: z.enum(['app', 'cli']),
});
/** One validation run in the history list. */
export type ValidationRunSummary = z.infer<typeof validationRunSummarySchema>;
