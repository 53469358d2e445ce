/**
 * The Electron main process: app lifecycle, the window, the menu and the wiring to the backend.
 *
 * Kept to wiring on purpose (Electron does not run on the build machines): behaviour lives in the
 * backend and the services, and the security settings in small modules tested on their own.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc/contract';
import { isAppError } from '../services/errors';
import { DATA_DIR_ENV, PRODUCT_NAME } from '../services/store/data-dir';
import { createBackend, type Backend } from './backend';
import { consoleLogger } from './ipc-registry';
import { registerIpcHandlers } from './ipc-bridge';
import { buildMenuTemplate } from './menu-template';
import { createNativeDialogs } from './native-dialogs';
import { hardenWebContents, installSessionSecurity } from './security';
import { buildWindowOptions } from './window-options';

let mainWindow: BrowserWindow | null = null;
let backend: Backend | null = null;

function appPaths() {
  // getAppPath is the project root in development and the asar archive when packaged; dist/ is in both.
  const root = app.getAppPath();
  return {
    rendererDir: path.join(root, 'dist', 'renderer'),
    preloadPath: path.join(root, 'dist', 'electron', 'preload.cjs'),
    iconPath: path.join(root, 'resources', 'icon.png'),
    // Read (not run) for rehearsals: its text goes to PowerShell on stdin, so it may stay inside the archive.
    pepStandInModule: path.join(root, 'resources', 'pep-stand-in', 'azs-pep-stand-in.psm1'),
  };
}

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function isOwnContents(contents: WebContents): boolean {
  const win = liveWindow();
  return win !== null && contents === win.webContents;
}

function fatal(error: unknown): void {
  consoleLogger.error('Startup failed', error);
  const text = isAppError(error)
    ? `${error.message}${error.hint ? `\n\n${error.hint}` : ''}`
    : 'Rotation Workbench could not start. See the log for details.';
  dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, text);
  app.exit(1);
}

function showAbout(): void {
  const owner = liveWindow();
  const options = {
    type: 'info' as const,
    title: `About ${PRODUCT_NAME}`,
    message: PRODUCT_NAME,
    detail:
      `Version ${app.getVersion()}\n` +
      `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}\n` +
      `Data folder: ${app.getPath('userData')}`,
    buttons: ['OK'],
    noLink: true,
  };
  void (owner ? dialog.showMessageBox(owner, options) : dialog.showMessageBox(options));
}

function createWindow(): BrowserWindow {
  const { preloadPath, rendererDir, iconPath } = appPaths();
  const win = new BrowserWindow(buildWindowOptions({ preloadPath, isPackaged: app.isPackaged, title: PRODUCT_NAME, iconPath }));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadFile(path.join(rendererDir, 'index.html')).catch((error: unknown) => consoleLogger.error('Could not load the renderer', error));
  return win;
}

function start(): void {
  installSessionSecurity(session.defaultSession);
  const { rendererDir, pepStandInModule } = appPaths();
  const dataDir = app.getPath('userData');
  const b = createBackend({
    dataDir,
    pepStandInModule,
    appVersion: app.getVersion(),
    rendererDir,
    dialogs: createNativeDialogs(dialog, liveWindow, () => app.getPath('documents')),
    // Contract checks of every response cost little and catch drift, but an operator gains nothing from them.
    validateResponses: !app.isPackaged,
  });
  backend = b;
  registerIpcHandlers(ipcMain, b, isOwnContents);
  b.onEvent((name, payload) => {
    const contents = liveWindow()?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, { name, payload });
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        appName: PRODUCT_NAME,
        isPackaged: app.isPackaged,
        platform: process.platform,
        onOpenShareFolder: () => {
          b.openShareFolder().catch((error: unknown) => consoleLogger.error('Open share folder failed', error));
        },
        onShowDataFolder: () => {
          void shell.openPath(dataDir);
        },
        onAbout: showAbout,
      }),
    ),
  );
  createWindow();
}

function main(): void {
  // Set before the single-instance lock, which lives in userData: separate data folders (tests, a second
  // stamp's rehearsal) may then run side by side.
  const override = process.env[DATA_DIR_ENV];
  if (override) app.setPath('userData', path.resolve(override));
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const win = liveWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { openExternal: (url) => void shell.openExternal(url) });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (backend && !liveWindow()) createWindow();
  });
  app.on('will-quit', () => {
    backend?.close();
    backend = null;
  });
  app
    .whenReady()
    .then(start)
    .catch(fatal);
}

main();
