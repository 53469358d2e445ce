/**
 * Builds `window.workbench` from the contract's channel names, for the preload and the e2e test preload.
 *
 * Only names are needed at runtime, so this module holds them as plain string lists and imports the
 * contract for types only: the sandboxed preload bundle then carries no zod. Type-level checks below make
 * the lists fail to compile when they drift from `IPC_CONTRACT` and `IPC_EVENTS`.
 */
import type {
  IPC_EVENT_CHANNEL as ContractEventChannel,
  IpcChannel,
  IpcEventName,
  IpcResult,
  WorkbenchApi,
} from './contract';

/** Every invoke channel of the contract, by name. */
export const IPC_CHANNEL_NAMES = [
  'app.getInfo',
  'app.getSettings',
  'app.setSettings',
  'stamps.list',
  'stamps.create',
  'stamps.update',
  'stamps.remove',
  'dialogs.openFolder',
  'validation.start',
  'validation.cancel',
  'validation.listRuns',
  'validation.getRun',
  'validation.exportReport',
  'procedures.list',
  'procedures.start',
  'procedures.get',
  'procedures.confirm',
  'procedures.unconfirm',
  'procedures.setParameters',
  'procedures.finish',
  'procedures.exportRunbook',
  'procedures.pfxThumbprint',
  'probe.run',
  'probe.dashboard',
  'logs.query',
  'logs.facets',
  'logs.export',
  'logs.setRetention',
  'bundle.preview',
  'bundle.export',
  'review.open',
  'review.close',
  'review.status',
  'prep.previewTree',
  'prep.makeDirs',
  'prep.place',
  'prep.shareTest',
  'prep.generateCsrs',
  'prep.renewCsrs',
  'prep.listKeys',
  'prep.exportKeys',
  'prep.assemble',
  'prep.repackage',
  'prep.backupCreate',
  'prep.backupVerify',
  'prep.backupRestore',
  'prep.cleanShare',
  'rotation.preflight',
  'rotation.start',
  'rotation.cancel',
  'rotation.listRuns',
  'rotation.getRun',
  'review.contents',
  'review.getValidationRun',
  'review.getRotationRun',
  'review.dashboard',
] as const satisfies readonly IpcChannel[];

/** Every event name of the contract. */
export const IPC_EVENT_NAMES = [
  'validation.progress',
  'validation.finished',
  'app.shareFolderOpened',
  'rotation.event',
  'rotation.state',
] as const satisfies readonly IpcEventName[];

/** The Electron channel events travel on; equal to the contract's `IPC_EVENT_CHANNEL`. */
export const EVENT_CHANNEL: typeof ContractEventChannel = 'workbench:event';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time guards: adding a channel or event to the contract without listing it here is an error.
const channelsComplete: Same<(typeof IPC_CHANNEL_NAMES)[number], IpcChannel> = true;
const eventsComplete: Same<(typeof IPC_EVENT_NAMES)[number], IpcEventName> = true;
void channelsComplete;
void eventsComplete;

/** The message carried on `EVENT_CHANNEL`: the event's name and its payload. */
export interface IpcEventMessage {
  name: IpcEventName;
  payload: unknown;
}

/** Sends one request to main and resolves with the contract's result envelope. */
export type InvokeFn = (channel: IpcChannel, payload: unknown) => Promise<IpcResult<unknown>>;
/** Registers a listener for every event from main; returns the function that removes it. */
export type SubscribeFn = (listener: (name: IpcEventName, payload: unknown) => void) => () => void;

const TRANSPORT_FAILURE = {
  code: 'internal',
  message: 'The window lost contact with the app.',
  hint: 'Reload the window (View ▸ Reload) or restart Rotation Workbench.',
} as const;

/**
 * Builds the `window.workbench` object: `workbench.<domain>.<method>(request)` for every channel and
 * `on(event, listener)`.
 *
 * A rejected `invoke` (the pipe to main broke, no handler) resolves as an `internal` error result, so the
 * renderer handles one shape only. `on` refuses unknown event names at once rather than never firing.
 * `pathForFile`, when given, is exposed as is (the preload's drag-and-drop helper).
 */
export function buildWorkbenchApi(invoke: InvokeFn, subscribe: SubscribeFn, pathForFile?: (file: unknown) => string | null): WorkbenchApi {
  const domains: Record<string, Record<string, (request?: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const channel of IPC_CHANNEL_NAMES) {
    const dot = channel.indexOf('.');
    const domain = channel.slice(0, dot);
    const method = channel.slice(dot + 1);
    // Requests of channels without fields may be omitted by the caller; the contract still wants `{}`.
    (domains[domain] ??= {})[method] = (request?: unknown) =>
      invoke(channel, request === undefined ? {} : request).catch(
        (): IpcResult<unknown> => ({ ok: false, error: { ...TRANSPORT_FAILURE } }),
      );
  }
  const on = (event: IpcEventName, listener: (payload: unknown) => void): (() => void) => {
    if (!(IPC_EVENT_NAMES as readonly string[]).includes(event)) {
      throw new TypeError(`Unknown event "${String(event)}". Known events: ${IPC_EVENT_NAMES.join(', ')}.`);
    }
    if (typeof listener !== 'function') throw new TypeError('on(event, listener): listener must be a function.');
    return subscribe((name, payload) => {
      if (name === event) listener(payload);
    });
  };
  const api: Record<string, unknown> = {};
  for (const [domain, methods] of Object.entries(domains)) api[domain] = Object.freeze(methods);
  api.on = on;
  if (pathForFile) api.pathForFile = pathForFile;
  return Object.freeze(api) as unknown as WorkbenchApi;
}
