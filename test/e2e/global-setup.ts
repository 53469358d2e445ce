/**
 * Playwright global setup: a fresh renderer build when sources changed, and the certificate fixtures.
 *
 * Fixtures are generated once per run into a temp folder and handed to the workers through
 * `AZS_FIXTURES_MANIFEST`; when that variable is already set (a developer reusing fixtures between runs)
 * the existing manifest is used as is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFixtures } from '../fixtures/generate';
import { FIXTURES_MANIFEST_ENV } from '../fixtures/manifest-types';
import { ELECTRON_SKIP_REASON, REPO_ROOT, electronBinaryExists } from './env';
import { ensureRendererBuilt } from './renderer-build';

/** Prepares the run; returns the teardown that removes generated fixtures. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureRendererBuilt();
  if (!electronBinaryExists) console.log(`[e2e] ${ELECTRON_SKIP_REASON}`);
  // `_electron.launch` starts the bundled main process, so bundle it from the current sources.
  else execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (process.env[FIXTURES_MANIFEST_ENV] && existsSync(process.env[FIXTURES_MANIFEST_ENV] as string)) {
    return async () => undefined;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'azs-e2e-fixtures-'));
  const started = Date.now();
  await generateFixtures(dir);
  console.log(`[e2e] fixtures generated in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`);
  process.env[FIXTURES_MANIFEST_ENV] = path.join(dir, 'manifest.json');
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
