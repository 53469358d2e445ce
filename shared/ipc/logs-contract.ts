/**
 * The IPC channels of the log viewer, support bundles and review mode, merged into `IPC_CONTRACT`.
 *
 * Kept in their own module so the contract file grows by one spread, and so the channel list that review
 * mode allows lives next to the channels it names.
 */
import { z } from 'zod';
import { EVENT_LEVELS, EVENT_SOURCES, MAX_RETENTION_DAYS, RUN_KINDS } from '../logs/events';

const runRefSchema = z.object({ kind: z.enum(RUN_KINDS), id: z.number().int().positive() }).strict();

/**
 * One stored event as the viewer receives it.
 *
 * Mirrors `LogEvent` of shared/logs/events.ts.
 */
export const logEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  level: z.enum(EVENT_LEVELS),
  source: z.enum(EVENT_SOURCES),
  category: z.string().nullable(),
  stamp: z.string().nullable(),
  run: runRefSchema.nullable(),
  text: z.string(),
});

/**
 * The viewer's filters; every field narrows, none means all.
 *
 * Times are ISO-8601 with a zone, so the backend never guesses the operator's time zone.
 */
export const logFilterSchema = z
  .object({
    query: z.string().max(1000).nullable().optional(),
    stamp: z.string().max(200).nullable().optional(),
    run: runRefSchema.nullable().optional(),
    levels: z.array(z.enum(EVENT_LEVELS)).max(EVENT_LEVELS.length).nullable().optional(),
    sources: z.array(z.enum(EVENT_SOURCES)).max(EVENT_SOURCES.length).nullable().optional(),
    since: z.iso.datetime().nullable().optional(),
    until: z.iso.datetime().nullable().optional(),
  })
  .strict();
/** The viewer's filters. */
export type LogFilter = z.infer<typeof logFilterSchema>;

const maskSchema = z.object({ ips: z.boolean(), hosts: z.boolean(), users: z.boolean() }).strict();

/**
 * What review mode says about the open bundle.
 *
 * Shown in the review banner; `databasePath` is the separate review database.
 */
export const reviewSummarySchema = z.object({
  bundlePath: z.string(),
  bundleName: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  runs: z.array(z.string()),
  eventCount: z.number().int(),
  masked: maskSchema,
  databasePath: z.string(),
  /** The stamps the bundle is about (profile names, possibly masked); empty when it names none. */
  sourceStamps: z.array(z.string()),
});
/** The bundle open in review mode. */
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

/**
 * What a support bundle would hold: entries, sizes, counts and a redacted sample.
 *
 * The same shape `bundle create --dry-run --json` prints.
 */
export const bundlePreviewSchema = z.object({
  entries: z.array(z.object({ name: z.string(), size: z.number().int() })),
  eventCount: z.number().int(),
  runs: z.array(z.string()),
  masked: maskSchema,
  maskedCounts: z.object({ ips: z.number().int(), hosts: z.number().int(), users: z.number().int() }),
  sample: z.array(z.string()),
  totalBytes: z.number().int(),
});
/** What a support bundle would hold. */
export type BundlePreview = z.infer<typeof bundlePreviewSchema>;

const bundleRequestSchema = z.object({ runs: z.array(runRefSchema).max(100), mask: maskSchema }).strict();

/** The log, bundle and review channels: `domain.method` → request and response schemas. */
export const LOGS_CHANNELS = {
  'logs.query': {
    request: z
      .object({
        filter: logFilterSchema,
        before: z.number().int().positive().nullable().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        /** Count every match too (first page only: counting is the one part that grows with the log). */
        withTotal: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ events: z.array(logEventSchema), nextCursor: z.number().int().nullable(), total: z.number().int().nullable() }),
  },
  'logs.facets': {
    request: z.object({}).strict(),
    response: z.object({
      stamps: z.array(z.string()),
      runs: z.array(runRefSchema),
      total: z.number().int(),
      oldest: z.string().nullable(),
      newest: z.string().nullable(),
      retentionDays: z.number().int(),
      review: reviewSummarySchema.nullable(),
    }),
  },
  'logs.export': {
    request: z.object({ filter: logFilterSchema, format: z.enum(['csv', 'jsonl']) }).strict(),
    response: z.object({ path: z.string().nullable(), count: z.number().int() }),
  },
  'logs.setRetention': {
    request: z.object({ days: z.number().int().min(1).max(MAX_RETENTION_DAYS) }).strict(),
    response: z.object({ days: z.number().int(), pruned: z.number().int() }),
  },
  'bundle.preview': { request: bundleRequestSchema, response: bundlePreviewSchema },
  'bundle.export': { request: bundleRequestSchema, response: z.object({ path: z.string().nullable(), preview: bundlePreviewSchema }) },
  'review.open': {
    /** The bundle file; null asks with a file dialog. */
    request: z.object({ path: z.string().max(4096).nullable() }).strict(),
    response: reviewSummarySchema,
  },
  'review.close': { request: z.object({}).strict(), response: z.object({ closed: z.boolean() }) },
  'review.status': { request: z.object({}).strict(), response: z.object({ review: reviewSummarySchema.nullable() }) },
} as const;

/**
 * Channels that stay open in review mode; every other channel is refused there.
 *
 * Listed one by one rather than inferred from method names, so a channel added later is refused in
 * review mode until someone decides it is safe. The live readers of stamps, runs, checklists, keys and the
 * dashboard are left out on purpose: they read the operator's own database, and a workspace showing them
 * during a review would pass the operator's stamps off as the customer's. The `review.*` readers answer
 * from the bundle instead.
 */
export const REVIEW_SAFE_CHANNELS: readonly string[] = [
  'app.getInfo',
  'app.getSettings',
  'dialogs.openFolder',
  'logs.query',
  'logs.facets',
  'logs.export',
  'review.open',
  'review.close',
  'review.status',
  'review.contents',
  'review.getValidationRun',
  'review.getRotationRun',
  'review.dashboard',
];

/** True when `channel` may run while a bundle is open for review (an allow-list: unknown means refused). */
export function isReviewSafeChannel(channel: string): boolean {
  return REVIEW_SAFE_CHANNELS.includes(channel);
}
