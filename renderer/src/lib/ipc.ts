/**
 * Calls into `window.workbench` with one error shape.
 *
 * The preload answers `IpcResult`s, but a dead main process or a missing preload rejects instead; this
 * folds both into the same `{ ok: false, error }` so the UI shows a message and a hint, never a stack.
 */
import type { IpcError, IpcResult, WorkbenchApi } from '../../../shared/ipc/contract';

/** The API, or null when the page runs without a preload (opened directly in a browser). */
export function workbench(): WorkbenchApi | null {
  return (window as { workbench?: WorkbenchApi }).workbench ?? null;
}

/** Error shown when `window.workbench` is missing. */
export const NO_BRIDGE_ERROR: IpcError = {
  code: 'internal',
  message: 'The workbench backend is not connected.',
  hint: 'Start the app from its desktop shortcut; this page cannot work in a plain browser.',
};

/**
 * Runs one IPC call and turns exceptions into an `IpcResult` error.
 *
 * The callback receives the API so stores never touch `window` directly.
 */
export async function call<T>(run: (api: WorkbenchApi) => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  const api = workbench();
  if (!api) return { ok: false, error: NO_BRIDGE_ERROR };
  try {
    const result = await run(api);
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return { ok: false, error: { code: 'internal', message: 'The backend gave an answer the app does not understand.', hint: 'Restart the app; if it persists, create a support bundle.' } };
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `The call to the backend failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
        hint: 'Restart the app; if it persists, create a support bundle.',
      },
    };
  }
}
