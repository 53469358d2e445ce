/**
 * zod schemas of rotation runs for the IPC contract, built on the pure rules of `rotation-run.ts`.
 */
import { z } from 'zod';
import { EVENT_LEVELS, parseSimScenario, PREFLIGHT_FIX_TARGETS, ROTATION_KINDS, RUN_PHASES, RUN_STATES } from './rotation-run';
import type { PreflightFix, RotationRunSummary, RunEvent } from './rotation-run';

const id = z.number().int().positive();

/** One stored event of a run. */
export const runEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  level: z.enum(EVENT_LEVELS),
  type: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

/** A run as the history and the live view show it. */
export const rotationRunSchema = z.object({
  id,
  stamp: z.string(),
  stampId: z.number().int().nullable(),
  kind: z.enum(ROTATION_KINDS),
  state: z.enum(RUN_STATES),
  rehearsal: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  ercs: z.string().nullable(),
  actionPlanInstanceId: z.string().nullable(),
  rerunOf: z.number().int().nullable(),
  outcome: z.string().nullable(),
  reachedPep: z.boolean(),
  /** How far the run got (checks here, PEP session, rotation); null for runs recorded before phases were. */
  phase: z.enum(RUN_PHASES).nullable(),
  /** The simulator scenario of a rehearsal; null for a run against a stamp. */
  scenario: z.string().nullable(),
  /** Rough length of the run in seconds, for the elapsed/estimate display; null when unknown. */
  estimateSeconds: z.number().nullable(),
});
/** A run as the renderer receives it. */
export type RotationRunDto = z.infer<typeof rotationRunSchema>;

/** One pre-flight check. */
export const preflightCheckSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'warning', 'fail']),
  message: z.string(),
  hint: z.string().nullable(),
  /** The workspace that fixes a warning or failure; null when the fix is in the setup form or outside the app. */
  fix: z.object({ target: z.enum(PREFLIGHT_FIX_TARGETS), label: z.string() }).nullable(),
});

const optionalText = (max: number) => z.string().max(max).nullable();

/**
 * What the renderer asks to check or run.
 *
 * The secrets are used for this run only: handed to PowerShell on stdin and dropped; never stored, logged
 * or echoed back.
 */
export const rotationRequestSchema = z
  .object({
    stampId: id,
    kind: z.enum(ROTATION_KINDS),
    share: optionalText(1024),
    pfxFilesPath: optionalText(1024),
    pepUser: optionalText(256),
    shareUser: optionalText(256),
    bmcUser: optionalText(64),
    bypassBmcUpdate: z.boolean(),
    rerun: z.boolean(),
    simulate: z
      .object({
        scenario: z.string().superRefine((value, ctx) => {
          const parsed = parseSimScenario(value);
          if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
        }),
        seconds: z.number().min(0).max(86_400),
      })
      .strict()
      .nullable(),
    secrets: z
      .object({
        pep: z.string().max(1024),
        share: z.string().max(1024).nullable(),
        certificate: z.string().max(1024).nullable(),
        bmc: z.string().max(1024).nullable(),
      })
      .strict(),
  })
  .strict();
/** A rotation request from the renderer. */
export type RotationRequestDto = z.infer<typeof rotationRequestSchema>;

/** The pre-flight verdict the renderer shows before the operator starts a run. */
export const preflightResultSchema = z.object({
  ok: z.boolean(),
  checks: z.array(preflightCheckSchema),
  rehearsal: z.boolean(),
  scenario: z.string().nullable(),
  simSeconds: z.number(),
  estimateSeconds: z.number(),
  rerunOf: z.number().int().nullable(),
  /** The command lines the PEP session will run, in order (secrets as `<secure>`). */
  steps: z.array(z.string()),
});
/** A pre-flight verdict as the renderer receives it. */
export type PreflightResultDto = z.infer<typeof preflightResultSchema>;

// Compile-time checks that the schemas and the plain types agree.
const sameEvent: z.ZodType<RunEvent> = runEventSchema;
const sameSummary: z.ZodType<RotationRunSummary> = rotationRunSchema.omit({ scenario: true, estimateSeconds: true });
const sameFix: z.ZodType<PreflightFix> = preflightCheckSchema.shape.fix.unwrap();
void sameEvent;
void sameSummary;
void sameFix;
