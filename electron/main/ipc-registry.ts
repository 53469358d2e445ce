/**
 * The one place IPC requests enter the main process.
 *
 * Every request passes the same gate, in this order: the sender must be our renderer's top frame, the
 * channel must be in the contract, the app's state must allow it (the request gate: review mode refuses
 * state-changing channels), the payload must parse with the channel's zod schema. Only then does
 * the handler run, and whatever it throws leaves as a typed `{ code, message, hint }` — never a stack.
 * Electron's `ipcMain` and the e2e harness both call `invoke`, so both exercise exactly this gate.
 */
import type { z } from 'zod';
import {
  IPC_CONTRACT,
  IPC_EVENTS,
  type IpcChannel,
  type IpcError,
  type IpcEventName,
  type IpcEventPayload,
  type IpcResponse,
  type IpcResult,
} from '../../shared/ipc/contract';
import { toIpcError } from '../services/errors';
import { isTrustedSender, type IpcSender, type TrustPolicy } from './sender-trust';

export type { IpcSender, TrustPolicy } from './sender-trust';

/** Where the main process writes diagnostics; never shown to the operator. */
export interface Logger {
  /** Something failed that the operator may report. */
  error(message: string, detail?: unknown): void;
  /** Something odd the app recovered from. */
  warn(message: string, detail?: unknown): void;
}

/** Writes to stderr, where Electron and the CLI keep their process log. */
export const consoleLogger: Logger = {
  error: (message, detail) => console.error(`[workbench] ${message}`, ...(detail === undefined ? [] : [detail])),
  warn: (message, detail) => console.warn(`[workbench] ${message}`, ...(detail === undefined ? [] : [detail])),
};

/** A request after zod parsing (defaults applied), as handlers receive it. */
export type HandlerRequest<C extends IpcChannel> = z.output<(typeof IPC_CONTRACT)[C]['request']>;

/** What a handler knows about the call besides the request. */
export interface HandlerContext {
  /** The channel being handled. */
  channel: IpcChannel;
  /** The (already trusted) sender. */
  sender: IpcSender;
}

/** A channel's handler: returns the response or throws (preferably an `AppError`). */
export type IpcHandler<C extends IpcChannel> = (
  request: HandlerRequest<C>,
  context: HandlerContext,
) => IpcResponse<C> | Promise<IpcResponse<C>>;

/**
 * Decides, after the sender and channel checks, whether a channel may run now: a refusal to answer, or null.
 *
 * Review mode uses it to refuse state-changing channels. Running after the sender check is the point: an
 * untrusted frame is refused as such and learns nothing about the app's state (not even that a bundle is
 * open for review).
 */
export type RequestGate = (channel: IpcChannel) => IpcResult<never> | null;

/** Receives every event main emits. */
export type IpcEventListener = (name: IpcEventName, payload: unknown) => void;

/** Options of `createIpcRegistry`. */
export interface IpcRegistryOptions {
  /** Which senders are ours. */
  trust: TrustPolicy;
  /** Diagnostics sink (default: stderr). */
  logger?: Logger;
  /**
   * Check every response (and event payload) against the contract and answer `internal` on a mismatch.
   *
   * For development and tests, where a handler drifting from the contract should fail loudly.
   */
  validateResponses?: boolean;
  /** Platform whose path rules apply to `file://` sender URLs (default: this process's). */
  platform?: NodeJS.Platform;
}

/** The registry: handlers by channel, the request gate and the event fan-out. */
export interface IpcRegistry {
  /** Registers the handler of a channel; registering a channel twice is a programming error and throws. */
  handle<C extends IpcChannel>(channel: C, handler: IpcHandler<C>): void;
  /** Sets the request gate (one per registry: a second call replaces the first). */
  setGate(gate: RequestGate): void;
  /** Runs one request through the gate and its handler; always resolves, never rejects. */
  invoke(channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>>;
  /** Contract channels without a handler (empty once the app is wired). */
  missingChannels(): IpcChannel[];
  /** Sends an event to every listener. */
  emit<E extends IpcEventName>(name: E, payload: IpcEventPayload<E>): void;
  /** Adds an event listener; returns the function that removes it. */
  onEvent(listener: IpcEventListener): () => void;
}

type AnyHandler = (request: unknown, context: HandlerContext) => unknown;

const fail = (code: IpcError['code'], message: string, hint: string): IpcResult<never> => ({
  ok: false,
  error: { code, message, hint },
});

const SECRET_FIELD = /passw|secret|credential|token/i;

/**
 * Turns zod issues into one sentence naming each field, for example
 * `region: Enter the region, for example "east".; unexpected field "colour"`.
 *
 * Messages of secret fields are replaced by a generic one: some zod messages quote the received value.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${field ? `${field}.` : ''}${k}"`).join(', ');
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
    }
    const message = SECRET_FIELD.test(field) ? 'invalid value' : issue.message;
    return field ? `${field}: ${message}` : message;
  });
  return parts.join('; ');
}

/**
 * Creates an empty registry.
 *
 * The caller registers one handler per contract channel with `handle`, then checks `missingChannels()`.
 */
export function createIpcRegistry(options: IpcRegistryOptions): IpcRegistry {
  const logger = options.logger ?? consoleLogger;
  const handlers = new Map<IpcChannel, AnyHandler>();
  const listeners = new Set<IpcEventListener>();
  let gate: RequestGate = () => null;
  const isChannel = (channel: string): channel is IpcChannel => Object.hasOwn(IPC_CONTRACT, channel);

  const invoke = async (channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>> => {
    // The sender is checked before anything else, so an untrusted frame learns nothing — not even which
    // channels exist.
    if (!isTrustedSender(sender, options.trust, options.platform)) {
      logger.warn(`Refused IPC from an untrusted sender on "${String(channel).slice(0, 80)}"`, {
        url: String(sender?.url).slice(0, 200),
        isMainFrame: sender?.isMainFrame,
      });
      return fail(
        'untrusted-sender',
        'This request did not come from the Rotation Workbench window.',
        'Only the app window can use these functions. Restart the app if you see this in the window itself.',
      );
    }
    if (typeof channel !== 'string' || !isChannel(channel)) {
      return fail(
        'unknown-channel',
        `"${String(channel).slice(0, 80)}" is not a function of this app.`,
        'The window and the app may be from different versions; restart Rotation Workbench.',
      );
    }
    const refused = gate(channel);
    if (refused) return refused;
    const handler = handlers.get(channel);
    if (!handler) {
      logger.error(`No handler registered for "${channel}"`);
      return fail('internal', `"${channel}" is not available in this build.`, 'Restart Rotation Workbench; if it persists, report it.');
    }
    const parsed = IPC_CONTRACT[channel].request.safeParse(payload);
    if (!parsed.success) {
      return fail(
        'invalid-request',
        `Invalid request for ${channel}: ${describeIssues(parsed.error.issues)}`,
        'Correct the fields named above and try again.',
      );
    }
    let value: unknown;
    try {
      value = await handler(parsed.data, { channel, sender });
    } catch (error) {
      return { ok: false, error: toIpcError(error, (e) => logger.error(`Handler of "${channel}" failed`, e)) };
    }
    if (options.validateResponses) {
      const checked = IPC_CONTRACT[channel].response.safeParse(value);
      if (!checked.success) {
        logger.error(`Handler of "${channel}" answered outside the contract`, describeIssues(checked.error.issues));
        return { ok: false, error: toIpcError(null) };
      }
    }
    return { ok: true, value };
  };

  return {
    handle(channel, handler) {
      if (!isChannel(channel)) throw new Error(`"${String(channel)}" is not a channel of IPC_CONTRACT.`);
      if (handlers.has(channel)) throw new Error(`A handler for "${channel}" is already registered.`);
      handlers.set(channel, handler as AnyHandler);
    },
    setGate(next) {
      gate = next;
    },
    invoke,
    missingChannels: () => (Object.keys(IPC_CONTRACT) as IpcChannel[]).filter((c) => !handlers.has(c)),
    emit(name, payload) {
      if (options.validateResponses) {
        const checked = IPC_EVENTS[name].safeParse(payload);
        if (!checked.success) {
          logger.error(`Event "${name}" does not match the contract`, describeIssues(checked.error.issues));
          return;
        }
      }
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (error) {
          // One broken listener (a closed window) must not keep the event from the others.
          logger.error(`A listener of "${name}" failed`, error);
        }
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
