/**
 * The options of the app's one window, as a pure function so tests can check every security setting.
 *
 * The renderer is treated as untrusted content: it gets no Node, runs sandboxed and isolated from the
 * preload, and reaches the main process only through the preload's `window.workbench`.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** What the window options depend on. */
export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (`dist/electron/preload.cjs`). */
  preloadPath: string;
  /** True in the installed app; DevTools are off there. */
  isPackaged: boolean;
  /** Window title until the page sets its own. */
  title: string;
  /** The app icon (`resources/icon.png`); Linux shows it in the task bar, Windows takes the exe's own. */
  iconPath?: string;
}

/**
 * Builds the `BrowserWindow` options.
 *
 * The window starts hidden and is shown on `ready-to-show`, which avoids a white flash on slow jump hosts.
 */
export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: input.title,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped on the window would otherwise replace the app with that file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !input.isPackaged,
    },
  };
}
