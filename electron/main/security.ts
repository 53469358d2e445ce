/**
 * Security handlers for the window's web contents and the session.
 *
 * Takes the Electron objects as parameters (only the methods it calls), so tests can pass stubs and see
 * exactly what was installed.
 */
import type { Session, WebContents } from 'electron';

/**
 * The Content Security Policy of every page: only the app's own scripts and styles, no plugins, no
 * framing, no forms posting anywhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The subset of `WebContents` the hardening uses. */
export type HardenableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** The subset of `Session` the hardening uses. */
export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/**
 * Returns the response headers with our CSP in place of any the response had.
 *
 * Header names are case-insensitive, so an existing `content-security-policy` in any spelling is dropped
 * rather than left to combine with ours.
 */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

/**
 * Locks a web contents down: no new windows, no navigation away from the app, no `<webview>`.
 *
 * `openExternal` (optional) receives `https:` links the page tried to open in a new window, so links to
 * Microsoft documentation in remediation texts open in the operator's browser instead of inside the app.
 */
export function hardenWebContents(contents: HardenableContents, options: { openExternal?: (url: string) => void } = {}): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && /^https:\/\//i.test(url)) options.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Installs the CSP header on every response and denies every permission request (camera, notifications,
 * clipboard read, …) — the app needs none.
 */
export function installSessionSecurity(session: HardenableSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
