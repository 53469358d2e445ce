/**
 * Where the app keeps its database: the same folder for the desktop app and the `azs-rotate` CLI.
 *
 * The CLI has no Electron `app` object, so it computes the folder Electron's `app.getPath('userData')`
 * would give for our product name. Both then share one history of stamps and validation runs.
 */
import { homedir } from 'node:os';
import path from 'node:path';

/** The product name Electron derives the `userData` folder from (package.json `productName`). */
export const PRODUCT_NAME = 'Rotation Workbench for Azure Stack Hub';

/** Environment variable that overrides the data folder for the app and the CLI. */
export const DATA_DIR_ENV = 'AZS_DATA_DIR';

/** What `defaultDataDir` looks at; every field defaults to the running process. */
export interface DataDirEnvironment {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * The data folder: `AZS_DATA_DIR` when set, otherwise Electron's `userData` folder for the product.
 *
 * Windows `%APPDATA%\<productName>`, macOS `~/Library/Application Support/<productName>`, elsewhere
 * `$XDG_CONFIG_HOME/<productName>` or `~/.config/<productName>` — the rules Electron (Chromium) applies.
 */
export function defaultDataDir(environment: DataDirEnvironment = {}): string {
  const env = environment.env ?? process.env;
  const platform = environment.platform ?? process.platform;
  const home = environment.homedir ?? homedir();
  // Paths are built with the target platform's rules, so a Windows answer is right even when computed
  // elsewhere (tests) and a relative override resolves like the operator typed it.
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env[DATA_DIR_ENV];
  if (override) return p.resolve(override);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const xdg = env.XDG_CONFIG_HOME;
  // Chromium ignores a relative XDG_CONFIG_HOME, as the XDG spec asks.
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), PRODUCT_NAME);
}
