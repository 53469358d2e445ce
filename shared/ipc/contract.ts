/**
 * The one typed IPC contract between the renderer and the Electron main process.
 *
 * Each channel names a zod request and response schema. Main validates every request with the schema
 * before a handler runs (`electron/main/ipc-registry.ts`); the preload builds `window.workbench` from
 * the channel names; the renderer gets the types. Events (main → renderer) are listed separately.
 */
import { z } from 'zod';
import { validationReportSchema } from '../certificates/report-schema';
import { CA_KINDS } from '../stamps/stamp';
import { stampInputSchema, stampSchema } from '../stamps/stamp-schema';
import { LOGS_CHANNELS } from './logs-contract';
import { PREPARATION_CHANNELS } from './preparation-contract';
import { REVIEW_CHANNELS } from './review-contract';
import { validationRunSummarySchema } from './validation-run-schema';
import { ROTATION_CHANNELS, ROTATION_EVENTS } from './rotation-contract';
import { checklistSchema, dashboardSchema, probeReportSchema, procedureParametersSchema, procedureRunSummarySchema } from '../procedures/procedure-schema';
import { PROCEDURE_IDS } from '../procedures/model';

/** Error codes every handler may answer with. */
export const IPC_ERROR_CODES = [
  'invalid-request',
  'untrusted-sender',
  'unknown-channel',
  'not-found',
  'conflict',
  'io-error',
  'cancelled',
  'internal',
] as const;

/**
 * The error half of every answer.
 *
 * `code` is one of `IPC_ERROR_CODES` so the renderer can react by kind; `message` says what went wrong and
 * `hint` what the operator can do about it, both ready to show as they are.
 */
export const ipcErrorSchema = z.object({
  code: z.enum(IPC_ERROR_CODES),
  message: z.string(),
  hint: z.string(),
});
/** A typed error: what went wrong, and what the operator can do. */
export type IpcError = z.infer<typeof ipcErrorSchema>;

/** The envelope every invoke answers with. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const empty = z.object({}).strict();
const id = z.number().int().positive();

/**
 * What the app tells about itself: version, data folder, platform and database file.
 *
 * Shown in the status bar and the About box, so support engineers know which database they look at.
 */
export const appInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
  databasePath: z.string(),
});

/**
 * The app's settings as stored in SQLite.
 *
 * Settings never hold a secret: passwords are asked for each time and travel only with the job that needs them.
 */
export const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  lastShareFolder: z.string().nullable(),
  /** PowerShell for PEP runs (`AZS_PWSH` wins); unset or null: `powershell.exe` on Windows, `pwsh` elsewhere. */
  pwshPath: z.string().max(1024).nullable().optional(),
});
/** App settings (never secrets). */
export type Settings = z.infer<typeof settingsSchema>;

export { validationRunSummarySchema, type ValidationRunSummary } from './validation-run-schema';

/**
 * The request that starts a share validation job.
 *
 * The PFX password travels with this request only; the main process never stores it.
 */
export const validationStartSchema = z
  .object({
    stampId: id.nullable(),
    root: z.string().min(1, 'Choose the share folder first.'),
    identity: z.enum(['aad', 'adfs']),
    region: z.string().min(1),
    fqdn: z.string().min(1),
    paasDir: z.string().nullable(),
    /** The share's PFX password: used for this run only, never stored or logged. */
    password: z.string(),
    currentCa: z.enum([...CA_KINDS, 'unknown']),
    stampVersion: z.string().nullable(),
  })
  .strict();
/** Request to validate a share. */
export type ValidationStartRequest = z.infer<typeof validationStartSchema>;

/**
 * Every invoke channel: `domain.method` → request and response schemas.
 *
 * Adding a channel here adds it to `window.workbench` and requires a handler in main.
 */
export const IPC_CONTRACT = {
  'app.getInfo': { request: empty, response: appInfoSchema },
  'app.getSettings': { request: empty, response: settingsSchema },
  'app.setSettings': { request: settingsSchema.partial().strict(), response: settingsSchema },
  'stamps.list': { request: empty, response: z.array(stampSchema) },
  'stamps.create': { request: stampInputSchema.strict(), response: stampSchema },
  'stamps.update': { request: stampInputSchema.extend({ id }).strict(), response: stampSchema },
  'stamps.remove': { request: z.object({ id }).strict(), response: z.object({ removed: z.boolean() }) },
  'dialogs.openFolder': {
    request: z.object({ title: z.string().max(200).optional() }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'validation.start': { request: validationStartSchema, response: z.object({ jobId: z.string() }) },
  'validation.cancel': { request: z.object({ jobId: z.string() }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'validation.listRuns': {
    request: z.object({ stampId: id.nullable().optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    response: z.array(validationRunSummarySchema),
  },
  'validation.getRun': {
    request: z.object({ runId: id }).strict(),
    response: z.object({ run: validationRunSummarySchema, report: validationReportSchema.nullable() }),
  },
  'validation.exportReport': {
    request: z.object({ runId: id, format: z.enum(['json', 'html']) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'procedures.list': {
    request: z.object({ stampId: id.optional() }).strict(),
    response: z.array(procedureRunSummarySchema),
  },
  'procedures.start': {
    request: z.object({ stampId: id, procedureId: z.enum(PROCEDURE_IDS), parameters: procedureParametersSchema }).strict(),
    response: checklistSchema,
  },
  'procedures.get': { request: z.object({ runId: id }).strict(), response: checklistSchema },
  'procedures.confirm': {
    request: z.object({ runId: id, stepId: z.string().min(1).max(100), note: z.string().max(2000).nullable() }).strict(),
    response: checklistSchema,
  },
  'procedures.unconfirm': { request: z.object({ runId: id, stepId: z.string().min(1).max(100) }).strict(), response: checklistSchema },
  'procedures.setParameters': { request: z.object({ runId: id, parameters: procedureParametersSchema }).strict(), response: checklistSchema },
  'procedures.finish': { request: z.object({ runId: id, state: z.enum(['completed', 'abandoned']) }).strict(), response: checklistSchema },
  'procedures.exportRunbook': { request: z.object({ runId: id }).strict(), response: z.object({ path: z.string().nullable() }) },
  'procedures.pfxThumbprint': {
    /** The PFX password: used for this call only, never stored or logged. */
    request: z.object({ path: z.string().min(1, 'Enter the path of the PFX file.'), password: z.string() }).strict(),
    response: z.object({ thumbprint: z.string(), subject: z.string(), notAfter: z.string() }),
  },
  'probe.run': {
    request: z.object({ stampId: id, connect: z.string().max(300).nullable(), timeoutMs: z.number().int().min(100).max(120_000).optional() }).strict(),
    response: probeReportSchema,
  },
  'probe.dashboard': { request: z.object({ stampId: id }).strict(), response: dashboardSchema },
  ...LOGS_CHANNELS,
  ...PREPARATION_CHANNELS,
  ...ROTATION_CHANNELS,
  ...REVIEW_CHANNELS,
} as const;

/** Every invoke channel name. */
export type IpcChannel = keyof typeof IPC_CONTRACT;
/** Request type of a channel. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof IPC_CONTRACT)[C]['request']>;
/** Response type of a channel. */
export type IpcResponse<C extends IpcChannel> = z.infer<(typeof IPC_CONTRACT)[C]['response']>;

/** Events main sends to the renderer, keyed by name. */
export const IPC_EVENTS = {
  'validation.progress': z.object({ jobId: z.string(), done: z.number(), total: z.number(), file: z.string().nullable() }),
  'validation.finished': z.object({
    jobId: z.string(),
    runId: z.number().int().nullable(),
    status: z.enum(['ok', 'warning', 'fail', 'cancelled', 'error']),
    error: ipcErrorSchema.nullable(),
  }),
  /** The operator chose a share folder with File ▸ Open share folder…; the renderer opens it for validation. */
  'app.shareFolderOpened': z.object({ path: z.string() }),
  ...ROTATION_EVENTS,
} as const;

/** Event names. */
export type IpcEventName = keyof typeof IPC_EVENTS;
/** Payload type of an event. */
export type IpcEventPayload<E extends IpcEventName> = z.infer<(typeof IPC_EVENTS)[E]>;

/** The single Electron channel events travel on (the event name is inside the message). */
export const IPC_EVENT_CHANNEL = 'workbench:event';

/** The `window.workbench` namespaces: the part of each channel name before the dot. */
export type IpcDomain = IpcChannel extends `${infer Domain}.${string}` ? Domain : never;

/**
 * The API the preload exposes as `window.workbench`: `workbench.<domain>.<method>(request)` for each
 * channel, plus `on(event, listener)` returning an unsubscribe function.
 */
export type WorkbenchApi = {
  [D in IpcDomain]: {
    [C in IpcChannel as C extends `${D}.${infer Method}` ? Method : never]: (
      request: IpcRequest<C>,
    ) => Promise<IpcResult<IpcResponse<C>>>;
  };
} & {
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
  /**
   * The file-system path of a `File` dropped on the window (Electron's `webUtils.getPathForFile`), or null.
   *
   * Not an IPC call: the preload answers it locally. Absent outside Electron (browser tests).
   */
  pathForFile?: (file: unknown) => string | null;
};

/** Splits a channel name into its `window.workbench` domain and method. */
export function splitChannel(channel: IpcChannel): { domain: string; method: string } {
  const dot = channel.indexOf('.');
  return { domain: channel.slice(0, dot), method: channel.slice(dot + 1) };
}
