/**
 * Typed application errors: what went wrong and what the operator can do about it.
 *
 * Services throw `AppError` for every failure an operator can act on; the IPC registry and the CLI turn it
 * into `{ code, message, hint }` without a stack trace. Anything else that escapes a service is a bug and
 * becomes a generic `internal` error whose detail goes to the log only.
 */
import type { IpcError } from '../../shared/ipc/contract';

/** An error code of the IPC contract. */
export type AppErrorCode = IpcError['code'];

/**
 * An error an operator can act on.
 *
 * `message` says what happened in plain words and `hint` what to do next; both are shown as they are, so
 * neither may hold a secret, a stack trace or an internal identifier the operator cannot use.
 */
export class AppError extends Error {
  /** The contract's error code. */
  readonly code: AppErrorCode;
  /** What the operator can do next. */
  readonly hint: string;

  /**
   * Creates an error with its code, message and hint.
   *
   * `cause` keeps the underlying error for the log; it is never sent to the renderer.
   */
  constructor(code: AppErrorCode, message: string, hint = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.hint = hint;
  }

  /**
   * The error as the contract's `{ code, message, hint }`.
   *
   * Only these three fields cross the process boundary.
   */
  toIpcError(): IpcError {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/**
 * True when `value` is an `AppError`.
 *
 * A type guard, so callers can read `code` and `hint` without a cast.
 */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Message of the generic error shown for failures that are bugs rather than operator problems. */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong inside Rotation Workbench.';
/** Hint of the generic internal error. */
export const INTERNAL_ERROR_HINT =
  'Try again. If it happens again, send the app log and the steps that led here to your support contact.';

/**
 * Maps any thrown value to the contract's error shape.
 *
 * `AppError` keeps its code, message and hint; anything else becomes `internal` with a generic message,
 * because a raw message or stack could expose paths, SQL or input values and tells the operator nothing
 * actionable. `onUnexpected` receives the original value so the caller can log it.
 */
export function toIpcError(error: unknown, onUnexpected?: (error: unknown) => void): IpcError {
  if (isAppError(error)) return error.toIpcError();
  onUnexpected?.(error);
  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE, hint: INTERNAL_ERROR_HINT };
}
