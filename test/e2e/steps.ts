/**
 * Steps the specs share: seeding data through `window.workbench`, driving a validation, building
 * broken shares from the fixtures.
 */
import { cp, readdir, rm, copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { StampInput } from '../../shared/stamps/stamp';
import type { FixtureManifest } from '../fixtures/manifest-types';
import { expect } from './harness';

/** The stamp the specs work with (the fixtures' region and domain). */
export const CONTOSO_EAST: StampInput = {
  name: 'Contoso East',
  region: 'east',
  externalFqdn: 'azurestack.contoso.com',
  identity: 'adfs',
  version: '2108',
  ercsIps: ['10.0.0.1'],
  currentCaKind: 'enterprise',
  resourceProviders: [],
  rehearsal: false,
};

/** Creates a stamp through the page's `window.workbench` (the real IPC path) and returns its id. */
export async function seedStamp(page: Page, input: StampInput = CONTOSO_EAST): Promise<number> {
  const result = await page.evaluate((i) => window.workbench.stamps.create(i), input);
  if (!result.ok) throw new Error(`seeding the stamp failed: ${result.error.message}`);
  return result.value.id;
}

/** Opens a workspace from the sidebar. */
export async function openWorkspace(page: Page, name: 'Stamps' | 'Certificates' | 'Prepare' | 'Procedures' | 'Rotate' | 'Dashboard' | 'Logs'): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Makes `name` the active stamp in the header. */
export async function chooseActiveStamp(page: Page, name: string): Promise<void> {
  await page.getByLabel('Active stamp', { exact: true }).selectOption({ label: name });
}

/**
 * Fills the password, starts a validation and waits until its results are on screen (the setup form then
 * folds to one line; a folded form is unfolded first).
 */
export async function runValidation(page: Page, password: string): Promise<void> {
  await unfoldShareForm(page);
  await page.getByLabel('PFX password').fill(password);
  await page.getByRole('button', { name: 'Start validation' }).click();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'New validation…' })).toBeEnabled();
}

/** Unfolds the Certificates setup form when a shown report folded it. */
export async function unfoldShareForm(page: Page): Promise<void> {
  const unfold = page.getByRole('button', { name: 'New validation…' });
  if (await unfold.isVisible()) await unfold.click();
}

/** The rows of the results table. */
export function resultRows(page: Page) {
  return page.locator('table.results-table tbody tr');
}

/**
 * Builds an AD FS share from the valid one with two failing certificates and one missing folder.
 *
 * Public Portal gets the `expired` variant, ACSBlob the `blob-concrete-only` one (DNS names), and the
 * Graph folder is removed (structure: missing-folder).
 */
export async function buildBrokenShare(fixtures: FixtureManifest, into: string): Promise<string> {
  const target = path.join(into, 'broken', 'Certificates');
  await cp(fixtures.shares.adfsValid, target, { recursive: true });
  const replace = async (variantName: string, folder: string) => {
    const variant = fixtures.fileVariants.find((v) => v.name === variantName);
    if (!variant) throw new Error(`fixture variant ${variantName} is missing`);
    const dir = path.join(target, 'ADFS', folder);
    for (const name of await readdir(dir)) await rm(path.join(dir, name));
    await copyFile(variant.file, path.join(dir, path.basename(variant.file)));
  };
  await replace('expired', 'Public Portal');
  await replace('blob-concrete-only', 'ACSBlob');
  await rm(path.join(target, 'ADFS', 'Graph'), { recursive: true });
  return target;
}
