/**
 * The e2e harness: the built renderer in Chromium, wired to the real backend through a test preload.
 *
 * `window.workbench` is built in the page by the same `buildWorkbenchApi` the Electron preload uses, and
 * every call goes through a Playwright binding to `createBackend(...).invoke` — the real IPC
 * registry, zod gate, services and SQLite file. Only Electron's IPC pipe and the native dialogs are
 * replaced: dialogs answer what the test scripted. In the `electron` project the same specs drive the
 * packaged main process through `_electron.launch` instead.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, _electron, expect } from '@playwright/test';
import { build } from 'esbuild';
import type { ElectronApplication, Page } from '@playwright/test';
import { createBackend } from '../../electron/main/backend';
import type { Backend, DialogService, ValidateShareFn } from '../../electron/main/backend';
import { validateShare } from '../../electron/services/certificates/index';
import type { FixtureManifest } from '../fixtures/manifest-types';
import { FIXTURES_MANIFEST_ENV } from '../fixtures/manifest-types';
import { ELECTRON_MAIN, ELECTRON_SKIP_REASON, REPO_ROOT, RENDERER_DIST, SCREENSHOT_DIR, electronBinaryExists } from './env';
import { startStaticServer } from './static-server';
import type { StaticServer } from './static-server';

/** The version the harness reports through `app.getInfo`. */
export const E2E_APP_VERSION = '0.1.0-e2e';

/** Dialog answers a test scripts before clicking Browse or Export. */
export interface ScriptedDialogs {
  /** The folder every folder dialog answers with; null answers "cancelled". */
  setFolder(folder: string | null): Promise<void>;
  /** Save dialogs answer `<dir>/<suggested name>`; null answers "cancelled". */
  setSaveDir(dir: string | null): Promise<void>;
  /** Paths save dialogs answered so far, in order. */
  savedPaths(): Promise<string[]>;
}

/** One running app under test. */
export interface AppHarness {
  page: Page;
  dialogs: ScriptedDialogs;
  dataDir: string;
  /** Closes the backend (or the Electron app) and starts it again on the same data folder. */
  restart(): Promise<void>;
  /**
   * Holds every validation after the engine finished and before it reports, until the returned function
   * is called or the job is cancelled: the progress view and Cancel can then be tested without racing a
   * fast engine. Only in the `chromium` project (null in `electron`).
   */
  holdValidations: (() => () => void) | null;
  /** Plays File ▸ Open share folder… (the backend asks the folder dialog); null in `electron`. */
  openShareFolderFromMenu: (() => Promise<string | null>) | null;
}

/**
 * The test preload, run in the page before any app script: the real `buildWorkbenchApi`
 * (shared/ipc/build-api.ts), bundled by esbuild into one script, over a pipe made of
 * `__workbenchInvoke` (a Playwright binding) and `__workbenchDispatch` (called for backend events).
 *
 * Bundled rather than copied so the e2e specs exercise the same API object the Electron preload exposes.
 */
let testPreload: Promise<string> | null = null;
function testPreloadScript(): Promise<string> {
  testPreload ??= build({
    stdin: {
      contents: `
        import { buildWorkbenchApi } from './shared/ipc/build-api';
        const listeners = new Set();
        window.__workbenchDispatch = (name, payload) => { for (const listener of [...listeners]) listener(name, payload); };
        const api = buildWorkbenchApi(
          (channel, payload) => window.__workbenchInvoke(channel, payload),
          (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
        );
        Object.defineProperty(window, 'workbench', { value: api, writable: false, configurable: false });
      `,
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return testPreload;
}

function scriptedDialogService(): { service: DialogService; dialogs: ScriptedDialogs } {
  let folder: string | null = null;
  let saveDir: string | null = null;
  const saved: string[] = [];
  return {
    service: {
      openFolder: async () => folder,
      saveFile: async (defaultName) => {
        if (saveDir === null) return null;
        const target = path.join(saveDir, defaultName);
        saved.push(target);
        return target;
      },
    },
    dialogs: {
      setFolder: async (f) => {
        folder = f;
      },
      setSaveDir: async (d) => {
        saveDir = d;
      },
      savedPaths: async () => [...saved],
    },
  };
}

async function chromiumApp(page: Page, server: StaticServer, dataDir: string): Promise<AppHarness & { close(): Promise<void> }> {
  const { service, dialogs } = scriptedDialogService();
  let held: Promise<void> | null = null;
  const engine: ValidateShareFn = async (options) => {
    const report = await validateShare(options);
    const gate = held;
    if (gate) {
      await new Promise<void>((resolve) => {
        void gate.then(resolve);
        options.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return report;
  };
  const start = (): Backend =>
    createBackend({
      dataDir,
      dialogs: service,
      appVersion: E2E_APP_VERSION,
      validateShare: engine,
      trustedOrigins: [server.origin],
      rendererDir: RENDERER_DIST,
    });
  let backend = start();
  let unsubscribe: () => void = () => undefined;
  const forwardEvents = () => {
    unsubscribe = backend.onEvent((name, payload) => {
      // Events may race a reload; a page that is navigating simply misses them, as a window would.
      page.evaluate(([n, p]) => (window as unknown as { __workbenchDispatch?: (n: string, p: unknown) => void }).__workbenchDispatch?.(n, p), [name, payload] as const).catch(() => undefined);
    });
  };
  forwardEvents();
  // A CSP violation or an uncaught exception fails the test at teardown, whatever the test asserted.
  const pageProblems: string[] = [];
  page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageProblems.push(message.text());
  });
  // The sender is the frame that really called, so the registry's sender check runs as it does in Electron.
  await page.exposeBinding('__workbenchInvoke', (source, channel: string, payload: unknown) =>
    backend.invoke(channel, payload, { url: source.frame.url(), isMainFrame: source.frame === page.mainFrame(), trusted: source.page === page }),
  );
  await page.addInitScript({ content: await testPreloadScript() });
  await page.goto(`${server.origin}/index.html`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const stop = async () => {
    unsubscribe();
    await backend.whenIdle().catch(() => undefined);
    backend.close();
  };
  const close = async () => {
    await stop();
    expect(pageProblems, 'CSP violations or uncaught errors in the page').toEqual([]);
  };
  return {
    page,
    dialogs,
    dataDir,
    async restart() {
      await stop();
      backend = start();
      forwardEvents();
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    },
    holdValidations() {
      let release = () => undefined as void;
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
    openShareFolderFromMenu: () => backend.openShareFolder(),
    close,
  };
}

async function electronApp(dataDir: string): Promise<AppHarness & { close(): Promise<void> }> {
  let app: ElectronApplication;
  let folder: string | null = null;
  let saveDir: string | null = null;
  const launch = async () => {
    app = await _electron.launch({ args: [ELECTRON_MAIN], cwd: REPO_ROOT, env: { ...process.env, AZS_DATA_DIR: dataDir } });
    await scriptDialogs();
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    return page;
  };
  // Replaces Electron's native dialogs in main with ones answering what the test scripted.
  const scriptDialogs = async () => {
    await app.evaluate(
      ({ dialog }, answers) => {
        const d = dialog as unknown as Record<string, unknown>;
        d.showOpenDialog = async () => (answers.folder ? { canceled: false, filePaths: [answers.folder] } : { canceled: true, filePaths: [] });
        d.showSaveDialog = async (...args: unknown[]) => {
          const options = (args.length > 1 ? args[1] : args[0]) as { defaultPath?: string };
          if (!answers.saveDir) return { canceled: true };
          const name = (options.defaultPath ?? 'report').split(/[\\/]/).pop();
          const filePath = `${answers.saveDir}/${name}`;
          const g = globalThis as unknown as { __e2eSaved?: string[] };
          (g.__e2eSaved ??= []).push(filePath);
          return { canceled: false, filePath };
        };
      },
      { folder, saveDir },
    );
  };
  let page = await launch();
  const harness: AppHarness & { close(): Promise<void> } = {
    page,
    dataDir,
    dialogs: {
      setFolder: async (f) => {
        folder = f;
        await scriptDialogs();
      },
      setSaveDir: async (d) => {
        saveDir = d;
        await scriptDialogs();
      },
      savedPaths: () => app.evaluate(() => [...((globalThis as unknown as { __e2eSaved?: string[] }).__e2eSaved ?? [])]),
    },
    async restart() {
      await app.close();
      page = await launch();
      harness.page = page;
    },
    holdValidations: null,
    openShareFolderFromMenu: null,
    close: () => app.close(),
  };
  return harness;
}

/** The fixture manifest written by the global setup. */
export async function loadManifest(): Promise<FixtureManifest> {
  const file = process.env[FIXTURES_MANIFEST_ENV];
  if (!file) throw new Error(`${FIXTURES_MANIFEST_ENV} is not set: run the specs through playwright.config.ts (global setup).`);
  return JSON.parse(await readFile(file, 'utf8')) as FixtureManifest;
}

/** Saves a screenshot of the page under `test/e2e/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}

/** Which host the specs run in; set per project in playwright.config.ts. */
export type HarnessMode = 'chromium' | 'electron';

/** The Playwright `test` with the harness fixtures. */
export const test = base.extend<
  { app: AppHarness; workDir: string; electronGate: void },
  { mode: HarnessMode; rendererServer: StaticServer | null; fixtures: FixtureManifest }
>({
  mode: ['chromium', { option: true, scope: 'worker' }],

  rendererServer: [
    async ({ mode }, use) => {
      if (mode !== 'chromium') return use(null);
      const server = await startStaticServer(RENDERER_DIST);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  // Playwright reads a fixture's dependencies from its first parameter, which must be a destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  fixtures: [async ({}, use) => use(await loadManifest()), { scope: 'worker' }],

  electronGate: [
    async ({ mode }, use, testInfo) => {
      testInfo.skip(mode === 'electron' && !electronBinaryExists, ELECTRON_SKIP_REASON);
      await use();
    },
    { auto: true },
  ],

  // eslint-disable-next-line no-empty-pattern -- see `fixtures` above
  workDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'azs-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  app: async ({ mode, page, rendererServer, workDir }, use) => {
    const dataDir = path.join(workDir, 'data');
    await mkdir(dataDir, { recursive: true });
    const harness =
      mode === 'electron' ? await electronApp(dataDir) : await chromiumApp(page, rendererServer as StaticServer, dataDir);
    await use(harness);
    await harness.close();
  },
});

export { expect };
