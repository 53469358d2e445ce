import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The CLI's default data folder is the desktop app's: a test that forgets --data-dir must never write into
// the developer's real workbench database, so the whole run gets a throw-away one (AZS_DATA_DIR).
const testDataDir = mkdtempSync(path.join(tmpdir(), 'azs-vitest-data-'));

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { AZS_DATA_DIR: testDataDir },
  },
});
