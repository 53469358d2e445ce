/**
 * Paths and switches shared by the Playwright config, the global setup, the harness and the bench.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built renderer the tests load. */
export const RENDERER_DIST = path.join(REPO_ROOT, 'dist', 'renderer');

/** Where specs save screenshots (gitignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'screenshots');

/** Debian's Chromium, which the e2e tests and the bench drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium flags for a quiet, offline, sandbox-less CI container. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** True when the Electron binary was downloaded (it is not when ELECTRON_SKIP_BINARY_DOWNLOAD is set). */
export const electronBinaryExists = existsSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'dist'));

/** Why the `electron` project's tests are skipped on machines without the binary. */
export const ELECTRON_SKIP_REASON =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): skipping the _electron.launch project';

/** The Electron main bundle `_electron.launch` starts. */
export const ELECTRON_MAIN = path.join(REPO_ROOT, 'dist', 'electron', 'main.cjs');
