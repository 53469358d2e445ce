/**
 * Decides whether an IPC message comes from the app's own renderer.
 *
 * Every channel can touch files, the database or a stamp, so only the top frame of a window showing our
 * bundled renderer may call them: not an iframe, not a page the window was tricked into loading.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Who sent an IPC message, as the transport (Electron IPC or the e2e harness) reports it. */
export interface IpcSender {
  /** URL of the sending frame. */
  url: string;
  /** True when the sending frame is the top frame of its page. */
  isMainFrame: boolean;
  /**
   * True when the transport vouches that the message came from a page this app created (in Electron: the
   * sender's webContents belongs to one of our windows; in the e2e harness: the page under test).
   */
  trusted: boolean;
}

/** Where trusted pages may come from. */
export interface TrustPolicy {
  /** The built renderer folder (`dist/renderer`); `file://` URLs inside it are trusted. */
  rendererDir: string;
  /**
   * More trusted locations, for tests: an origin (`http://127.0.0.1:5173`) or a `file://` folder URL.
   *
   * Never set in the packaged app.
   */
  trustedOrigins?: readonly string[];
}

function isInside(dir: string, file: string, platform: NodeJS.Platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  // Windows paths compare case-insensitively, like the file system does.
  const norm = (s: string) => (platform === 'win32' ? p.resolve(s).toLowerCase() : p.resolve(s));
  const rel = p.relative(norm(dir), norm(file));
  return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel);
}

function filePath(url: URL, platform: NodeJS.Platform): string | null {
  try {
    return fileURLToPath(url, { windows: platform === 'win32' });
  } catch {
    return null;
  }
}

/**
 * True when `url` is a page of our renderer: a `file://` URL inside `rendererDir` or an allowed origin.
 *
 * Paths are compared after resolving `..`, so `file:///app/dist/renderer/../../etc/x.html` is refused.
 */
export function isTrustedUrl(url: string, policy: TrustPolicy, platform: NodeJS.Platform = process.platform): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const file = filePath(parsed, platform);
    if (file === null) return false;
    const dirs = [policy.rendererDir];
    for (const entry of policy.trustedOrigins ?? []) {
      if (!entry.startsWith('file:')) continue;
      const dir = filePath(new URL(entry), platform);
      if (dir !== null) dirs.push(dir);
    }
    return dirs.some((dir) => isInside(dir, file, platform));
  }
  if (parsed.origin === 'null') return false;
  return (policy.trustedOrigins ?? []).some((entry) => {
    try {
      return !entry.startsWith('file:') && new URL(entry).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}

/**
 * True when a message may be handled: the transport vouches for the page, it is the top frame, and the
 * frame shows our renderer.
 *
 * All three are required, so neither a forged URL from elsewhere nor an iframe inside our page gets in.
 */
export function isTrustedSender(sender: IpcSender, policy: TrustPolicy, platform: NodeJS.Platform = process.platform): boolean {
  return sender.trusted === true && sender.isMainFrame === true && isTrustedUrl(sender.url, policy, platform);
}
