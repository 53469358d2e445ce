/**
 * The app frame: skip link, sidebar, header, the active workspace and the status bar.
 */
import { useEffect, useLayoutEffect } from 'react';
import { AppHeader } from './components/app-header';
import { ErrorMessage } from './components/error-message';
import { Sidebar } from './components/sidebar';
import { StatusBar } from './components/status-bar';
import { useAppStore } from './stores/app-store';
import { useStampsStore } from './stores/stamps-store';
import { syncReviewMode } from './stores/review-mode';
import { useLogsStore } from './stores/logs-store';
import { useValidationStore } from './stores/validation-store';
import { findWorkspace } from './workspaces/registry';

/** Performance mark set when the first workspace heading is committed to the DOM (read by the renderer bench). */
export const FIRST_HEADING_MARK = 'workbench:first-heading';
/** Performance mark set after the frame that painted the first heading. */
export const FIRST_HEADING_PAINTED_MARK = 'workbench:first-heading-painted';

function useThemeAttribute() {
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    // "system" leaves the attribute off so the stylesheet's prefers-color-scheme rules decide.
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

/** The whole app. */
export function App() {
  const workspaceId = useAppStore((s) => s.workspace);
  const appError = useAppStore((s) => s.error);
  const dismissError = useAppStore((s) => s.dismissError);
  const workspace = findWorkspace(workspaceId);
  const Workspace = workspace.component;
  useThemeAttribute();

  useLayoutEffect(() => {
    if (performance.getEntriesByName(FIRST_HEADING_MARK).length > 0) return;
    performance.mark(FIRST_HEADING_MARK);
    // A task queued from a frame callback runs once that frame was produced: the heading is painted.
    requestAnimationFrame(() => setTimeout(() => performance.mark(FIRST_HEADING_PAINTED_MARK), 0));
  }, []);

  useEffect(() => {
    const validation = useValidationStore.getState();
    const unsubscribe = validation.subscribe();
    void (async () => {
      await useAppStore.getState().load();
      validation.prefillRoot(useAppStore.getState().settings?.lastShareFolder ?? null);
    })();
    void (async () => {
      // A window reloaded during a review must come back showing the bundle, never the local stamps first.
      const review = await syncReviewMode();
      if (review) {
        useLogsStore.setState({ review });
        return;
      }
      await useStampsStore.getState().load();
      await validation.loadRuns();
    })();
    return unsubscribe;
  }, []);

  useEffect(() => {
    document.title = `${workspace.label} — Rotation Workbench for Azure Stack Hub`;
  }, [workspace.label]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <div className="content">
        <AppHeader />
        {appError ? (
          <div className="app-messages">
            <ErrorMessage error={appError} onDismiss={dismissError} />
          </div>
        ) : null}
        <main id="main" className="main" tabIndex={-1}>
          <Workspace key={workspace.id} />
        </main>
      </div>
      <StatusBar />
    </div>
  );
}
