/**
 * Vitest global setup: generates the certificate fixtures once per test run.
 *
 * Fixtures go to a fresh folder under the OS temp dir; the manifest path reaches the test workers through
 * `AZS_FIXTURES_MANIFEST` and `provide('fixturesManifest')` (read them with `loadFixtureManifest()`), and
 * the folder is removed in teardown. Only type imports from vitest here: its runtime must not be loaded
 * in the global-setup context.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateFixtures, manifestPath } from './fixtures/generate';
import { FIXTURES_MANIFEST_ENV } from './fixtures/manifest-types';

/**
 * Generates the fixtures and returns the teardown that deletes them.
 *
 * Set `AZS_KEEP_FIXTURES=1` to keep the folder after the run for inspection (its path is printed).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'azs-fixtures-'));
  const started = performance.now();
  await generateFixtures(dir);
  const file = manifestPath(dir);
  process.env[FIXTURES_MANIFEST_ENV] = file;
  project.provide('fixturesManifest', file);
  const keep = process.env.AZS_KEEP_FIXTURES === '1';
  if (keep) {
    console.log(`fixtures: ${file} (${Math.round(performance.now() - started)} ms; kept after the run)`);
  }
  return async () => {
    if (!keep) await rm(dir, { recursive: true, force: true });
  };
}
