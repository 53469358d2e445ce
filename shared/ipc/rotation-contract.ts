/**
 * The IPC channels and events of PEP rotation runs, merged into `IPC_CONTRACT` and `IPC_EVENTS`.
 *
 * A run is started with `rotation.start`, which answers with the run's id once pre-flight has recorded it;
 * its events and state changes then arrive as `rotation.event` and `rotation.state`, each already stored
 * in the database when it is sent.
 */
import { z } from 'zod';
import { preflightResultSchema, rotationRequestSchema, rotationRunSchema, runEventSchema } from '../rotation/rotation-schema';

const id = z.number().int().positive();

/** Invoke channels of rotation runs. */
export const ROTATION_CHANNELS = {
  'rotation.preflight': { request: rotationRequestSchema, response: preflightResultSchema },
  'rotation.start': { request: rotationRequestSchema, response: z.object({ runId: id }) },
  'rotation.cancel': { request: z.object({ runId: id }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'rotation.listRuns': {
    request: z.object({ stampId: id.nullable().optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    response: z.array(rotationRunSchema),
  },
  'rotation.getRun': {
    request: z.object({ runId: id, afterSeq: z.number().int().min(0).optional() }).strict(),
    response: z.object({ run: rotationRunSchema, events: z.array(runEventSchema), guidance: z.string().nullable() }),
  },
} as const;

/** Events of rotation runs. */
export const ROTATION_EVENTS = {
  /** Events of a run, in order, after they were stored. */
  'rotation.event': z.object({ runId: id, events: z.array(runEventSchema) }),
  /** A run changed state; `final` once it will not change again (`nextSteps` then says what to do). */
  'rotation.state': z.object({
    runId: id,
    run: rotationRunSchema,
    final: z.boolean(),
    refused: z.boolean(),
    nextSteps: z.array(z.string()),
  }),
} as const;
