/**
 * The backend's `DialogService` on Electron's native dialogs.
 *
 * Dialogs are attached to the app window when there is one, so they are modal to it and stay in front.
 */
import type { BaseWindow, Dialog } from 'electron';
import path from 'node:path';
import type { DialogService } from './backend';

/**
 * Creates the dialog service.
 *
 * `window` is asked at each call because the window can be closed and recreated (macOS) while the backend
 * lives on. `saveFolder` gives the folder a save dialog starts in (the operator's Documents folder).
 */
export function createNativeDialogs(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BaseWindow | null,
  saveFolder: () => string,
): DialogService {
  return {
    async openFolder(title) {
      const options = { title: title ?? 'Choose a folder', properties: ['openDirectory' as const, 'dontAddToRecent' as const] };
      const owner = window();
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async openFile(title, filters) {
      const options = { title, filters, properties: ['openFile' as const, 'dontAddToRecent' as const] };
      const owner = window();
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile(defaultName, filters) {
      const options = { title: 'Save report', defaultPath: path.join(saveFolder(), defaultName), filters, properties: ['showOverwriteConfirmation' as const] };
      const owner = window();
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
