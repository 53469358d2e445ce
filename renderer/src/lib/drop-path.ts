/**
 * Works out a folder path from a drag-and-drop onto the share drop zone.
 *
 * Since Electron 32 a dropped `File` no longer carries its path: the preload's `workbench.pathForFile`
 * (Electron's `webUtils.getPathForFile`) answers in the app. Otherwise this takes what the drop itself
 * offers: the legacy `File.path`, a `file://` URI, or a path dragged as text (from an Explorer address
 * bar). When none is there the caller asks the operator to type or paste the path instead.
 */

function fromFileUri(uri: string): string | null {
  try {
    const url = new URL(uri.trim());
    if (url.protocol !== 'file:') return null;
    const path = decodeURIComponent(url.pathname);
    // file:///C:/share → C:/share; file://server/share → \\server\share (a UNC path, as the PEP wants it).
    if (url.host) return `\\\\${url.host}${path.replace(/\//g, '\\')}`;
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1).replace(/\//g, '\\') : path;
  } catch {
    return null;
  }
}

function looksLikePath(text: string): boolean {
  return /^([A-Za-z]:[\\/]|\\\\|\/)/.test(text) && !/[\r\n]/.test(text);
}

/** The dropped folder's path, or null when the drop carries none this window can read. */
export function droppedPath(data: DataTransfer): string | null {
  const file = data.files[0] as (File & { path?: unknown }) | undefined;
  const fromPreload = file ? window.workbench?.pathForFile?.(file) : null;
  if (fromPreload) return fromPreload;
  if (file && typeof file.path === 'string' && file.path) return file.path;
  const uri = data
    .getData('text/uri-list')
    .split(/\r?\n/)
    .find((line) => line.startsWith('file:'));
  if (uri) {
    const path = fromFileUri(uri);
    if (path) return path;
  }
  const text = data.getData('text/plain').trim();
  if (text.startsWith('file:')) return fromFileUri(text);
  return looksLikePath(text) ? text : null;
}
