/**
 * Hooks for the renderer benchmark (`test/bench/renderer-bench.ts`), loaded only with the `?bench` flag.
 *
 * The report goes through the same store and components as a real run, so the figure is the real
 * table's cost, not a synthetic component's.
 */
import { flushSync } from 'react-dom';
import type { ValidationReport } from '../../shared/certificates/report';
import { useAppStore } from './stores/app-store';
import { useValidationStore } from './stores/validation-store';

/** Installs `window.__benchRender`. */
export function installBenchHooks(): void {
  window.__benchRender = (report: ValidationReport) => {
    if (useAppStore.getState().workspace !== 'certificates') {
      flushSync(() => useAppStore.getState().setWorkspace('certificates'));
    }
    // Start from an empty results area so every call times a full mount of the table, not a diff.
    flushSync(() => useValidationStore.setState({ report: null, run: null, selectedKey: null }));
    const start = performance.now();
    // flushSync makes the store update commit synchronously, so the span below is exactly one React commit.
    flushSync(() => useValidationStore.getState().showReport(report, null));
    const commitMs = performance.now() - start;
    // Reading layout forces style and layout of the new table: the cost before the next paint.
    void document.body.offsetHeight;
    const layoutMs = performance.now() - start;
    const table = document.querySelector('.results-table');
    return {
      commitMs,
      layoutMs,
      rows: table?.querySelectorAll('tbody tr').length ?? 0,
      cells: table?.querySelectorAll('tbody td.col-check').length ?? 0,
    };
  };
}
