/**
 * The native menu as a pure template, so its structure can be tested without Electron.
 *
 * Actions that need the app (dialogs, the backend) come in as callbacks; everything else uses Electron's
 * built-in roles, which also give the platform's standard accelerators.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu depends on. */
export interface MenuTemplateInput {
  /** The product name, shown in the macOS app menu and the About item. */
  appName: string;
  /** Reload and DevTools items only exist when this is false. */
  isPackaged: boolean;
  /** `process.platform`; macOS gets its app menu and `Cmd+Q` there. */
  platform: NodeJS.Platform;
  /** File ▸ Open share folder… */
  onOpenShareFolder: () => void;
  /** Help ▸ Show data folder */
  onShowDataFolder: () => void;
  /** Help ▸ About */
  onAbout: () => void;
}

/**
 * Builds the template: File, Edit, View, Help (plus the app menu on macOS).
 *
 * Edit keeps only clipboard and undo roles, which the form fields need; View offers zoom and full screen
 * to everyone and reload and DevTools to developers only.
 */
export function buildMenuTemplate(input: MenuTemplateInput): MenuItemConstructorOptions[] {
  const isMac = input.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: `About ${input.appName}`, click: () => input.onAbout() };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open share folder…', accelerator: 'CmdOrCtrl+O', click: () => input.onOpenShareFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const developer: MenuItemConstructorOptions[] = input.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [{ label: 'Show data folder', click: () => input.onShowDataFolder() }, { type: 'separator' }, about],
  };
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [{ label: input.appName, submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] }]
    : [];
  return [...appMenu, file, edit, view, help];
}
