/**
 * Playwright configuration of the end-to-end tests.
 *
 * Project `chromium` loads the built renderer in Debian's Chromium with the test preload (see
 * test/e2e/harness.ts); project `electron` runs the same specs through `_electron.launch` and skips
 * itself, saying why, where the Electron binary was not downloaded.
 */
import { defineConfig } from '@playwright/test';
import type { HarnessMode } from './test/e2e/harness';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/e2e/env';
import { PWSH } from './test/support/pwsh';

// Rehearsals from the UI run in real PowerShell: the workers inherit the one found (PATH or the .NET global tool).
if (PWSH && !process.env.AZS_PWSH) process.env.AZS_PWSH = PWSH;

export default defineConfig<{ mode: HarnessMode }>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two cores: one worker keeps the validation engine's threads from starving the browser.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', use: { mode: 'chromium' } },
    { name: 'electron', use: { mode: 'electron' } },
  ],
});
