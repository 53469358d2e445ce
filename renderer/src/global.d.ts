/**
 * Globals the preload (or the e2e test preload) installs in the renderer.
 *
 * `window.workbench` is the only door to the main process; its type comes from the IPC contract.
 */
import type { WorkbenchApi } from '../../shared/ipc/contract';
import type { ValidationReport } from '../../shared/certificates/report';

/** What `window.__benchRender` answers: milliseconds spent in the React commit and up to layout. */
export interface BenchRenderTiming {
  commitMs: number;
  layoutMs: number;
  rows: number;
  cells: number;
}

declare global {
  interface Window {
    /** The namespaced IPC API exposed by the preload through contextBridge. */
    readonly workbench: WorkbenchApi;
    /** Renders a report into the results table and times it; present only with the `?bench` flag. */
    __benchRender?: (report: ValidationReport) => BenchRenderTiming;
  }
}
