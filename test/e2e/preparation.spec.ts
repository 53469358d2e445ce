/**
 * Prepare: requests with key custody, the CA's answer assembled into validated PFX files, the share tree
 * (with an entry that does not belong), placement, the access test and a backup — through the screens,
 * the real backend and OpenSSL as the CA.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { signRequest, writeChainFile } from '../unit/prep-helpers';
import { expect, screenshot, test } from './harness';
import { chooseActiveStamp, CONTOSO_EAST, seedStamp } from './steps';

async function openPrepare(page: Page, step: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: 'Prepare' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Prepare' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: step }).click();
}

test('requests → assembly → tree → placement → access → backup, all through the screens', async ({ app, workDir, fixtures }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await seedStamp(page, { ...CONTOSO_EAST, identity: 'aad' });
  await page.reload();
  await chooseActiveStamp(page, CONTOSO_EAST.name);
  const req = path.join(workDir, 'requests');

  await openPrepare(page, 'Requests');
  await expect(page.getByLabel('Prepared for')).toContainText('Contoso East');
  await page.getByRole('button', { name: 'Generate requests' }).click();
  await expect(page.getByText('Use at least 8 characters; keep the passphrase')).toBeVisible();
  await page.getByLabel('Subject').fill('C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub');
  await page.getByLabel('Output folder').fill(req);
  await page.getByLabel('Key passphrase').fill('e2e custody passphrase');
  await page.getByRole('button', { name: 'Generate requests' }).click();
  await expect(page.getByText(/11 request\(s\) written to/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Key passphrase')).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'Key store (11)' })).toBeVisible();
  await screenshot(page, 'prepare-requests-light');

  const issued = path.join(workDir, 'issued');
  await mkdir(issued);
  for (const file of readdirSync(req)) signRequest(path.join(req, file), path.join(issued, file.replace(/\.req$/, '.cer')), fixtures);
  const chainDir = path.join(workDir, 'ca');
  await mkdir(chainDir);
  writeChainFile(fixtures, path.join(chainDir, 'chain.pem'));

  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: 'Assembly' }).click();
  await page.getByLabel('Issued certificates').fill(issued);
  await page.getByLabel('CA certificates (optional)').fill(chainDir);
  await page.getByLabel('Output folder').fill(path.join(workDir, 'pfx'));
  await page.getByLabel('PFX password').fill(fixtures.password);
  await page.getByLabel('Key passphrase').fill('e2e custody passphrase');
  await page.getByRole('button', { name: 'Assemble PFX files' }).click();
  await expect(page.getByText(/11 PFX file\(s\) written: 11 passed, 0 with warnings, 0 failed validation; 0 certificate\(s\) not assembled/)).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'prepare-assembly-light');

  const share = path.join(workDir, 'share');
  await mkdir(path.join(share, 'Certificates', 'AAD'), { recursive: true });
  await writeFile(path.join(share, 'Certificates', 'AAD', 'notes.txt'), 'left by someone');
  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: 'Share tree' }).click();
  await page.getByLabel('Share folder').fill(share);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('11 folder(s) missing.')).toBeVisible();
  await page.getByRole('button', { name: 'Create missing folders' }).click();
  await expect(page.getByText('11 folder(s) created, 2 already existed.')).toBeVisible();
  await expect(page.getByRole('region', { name: /1 entry does not belong/ })).toContainText('notes.txt');
  await expect(page.getByText('The tree is complete.')).toBeVisible();
  await screenshot(page, 'prepare-tree-light');

  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: 'Placement' }).click();
  await page.getByLabel('Folder with the PFX files').fill(path.join(workDir, 'pfx'));
  await page.getByLabel('PFX password').fill(fixtures.password);
  await page.getByRole('button', { name: 'Place files' }).click();
  await expect(page.getByText('11 placed, 0 already there, 0 not placed.')).toBeVisible({ timeout: 30_000 });
  await screenshot(page, 'prepare-placement-light');

  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: 'Share access' }).click();
  await page.getByLabel('Share folder').fill(path.join(workWithMissing(workDir)));
  await page.getByRole('button', { name: 'Test access' }).click();
  await expect(page.getByText(/not-found: .*does not exist or the share is not reachable/)).toBeVisible();
  await page.getByLabel('Share folder').fill(share);
  await page.getByRole('button', { name: 'Test access' }).click();
  await expect(page.getByText('This account can list, create, read back and delete files here.')).toBeVisible();
  await screenshot(page, 'prepare-access-light');

  await page.getByRole('navigation', { name: 'Preparation steps' }).getByRole('button', { name: 'Backup' }).click();
  await page.getByLabel('Certificates folder of the share').fill(path.join(share, 'Certificates'));
  await page.getByLabel('Backup folder').fill(path.join(workDir, 'backup'));
  await page.getByRole('button', { name: 'Create backup' }).click();
  await expect(page.getByText(/Backed up 12 file\(s\) to .*; the copy verifies\./)).toBeVisible();
  await page.getByRole('button', { name: 'Verify backup' }).click();
  await expect(page.getByText(/The backup verifies: 12 file\(s\) intact/)).toBeVisible();
  await page.getByRole('button', { name: 'Clean the share…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the placed PFX files from the share?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'prepare-clean-confirm-light');
  await dialog.getByRole('button', { name: 'Clean the share' }).click();
  await expect(page.getByText('11 placed file(s) removed from the share.')).toBeVisible();
});

/** A path under the work folder that does not exist. */
function workWithMissing(workDir: string): string {
  return path.join(workDir, 'no-such-share');
}
