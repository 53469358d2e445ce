/**
 * Prepare: requests with key custody, the CA's answer assembled into validated PFX files, the share tree
 * (with an entry that does not belong), placement, the access test and a backup — through the screens,
 * the real backend and OpenSSL as the CA. Then renewals (from a certificate file, and from a live endpoint
 * on the probe's TLS bench), key export and PFX repackaging with the validation of the new file.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { BENCH_BASE, startTlsBench } from '../support/tls-bench';
import { openssl, signRequest, writeChainFile } from '../unit/prep-helpers';
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

test('renewal from a certificate file and a live endpoint, key export, repackage with validation', async ({ app, workDir, fixtures }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await seedStamp(page, { ...CONTOSO_EAST, identity: 'aad' });
  await page.reload();
  await chooseActiveStamp(page, CONTOSO_EAST.name);
  const bench = await startTlsBench();
  try {
    const steps = page.getByRole('navigation', { name: 'Preparation steps' });
    await openPrepare(page, 'Requests');

    // Renewal from a file: subject, RSA 3072 and SHA-384 come from the current certificate.
    const current = path.join(workDir, 'current.crt');
    const made = openssl(['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', path.join(workDir, 'current.key'), '-out', current, '-sha384', '-days', '10', '-subj', '/C=DE/O=Fabrikam/OU=Hub Ops/CN=portal.old.example']);
    expect(made.code, made.output).toBe(0);
    await page.getByRole('radio', { name: 'Renew: certificate file' }).check();
    await expect(page.getByLabel('Subject', { exact: true })).toHaveCount(0);
    await page.getByRole('button', { name: 'Generate requests' }).click();
    await expect(page.getByText('Enter the path of the current certificate')).toBeVisible();
    await page.getByLabel('Current certificate').fill(current);
    await page.getByLabel('Output folder').fill(path.join(workDir, 'renew-file'));
    await page.getByLabel('Key passphrase').fill('e2e renewal passphrase');
    await page.getByRole('checkbox', { name: 'One request with every name (multi-SAN)' }).check();
    await page.getByRole('button', { name: 'Generate requests' }).click();
    await expect(page.getByText(/1 request\(s\) written to .* \(RSA 3072, SHA-384\)/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('C=DE, O=Fabrikam, OU=Hub Ops', { exact: true })).toBeVisible();

    // Renewal from a live endpoint: first one that does not answer, then the bench's served certificate.
    await page.getByRole('radio', { name: 'Renew: live endpoint' }).check();
    await page.getByLabel('Endpoint', { exact: true }).fill(`portal.${BENCH_BASE}`);
    await page.getByLabel('Connect to (optional)').fill(`127.0.0.1:${bench.closedPort}`);
    await page.getByLabel('Output folder').fill(path.join(workDir, 'renew-live'));
    await page.getByLabel('Key passphrase').fill('e2e renewal passphrase');
    await page.getByRole('button', { name: 'Generate requests' }).click();
    await expect(page.getByText(/Cannot read the certificate served by portal\.east\.azurestack\.contoso\.com .*Connection refused/)).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Connect to (optional)').fill(`127.0.0.1:${bench.port}`);
    await page.getByLabel('Key passphrase').fill('e2e renewal passphrase');
    await page.getByRole('button', { name: 'Generate requests' }).click();
    await expect(page.getByText(/1 request\(s\) written to .*renew-live \(RSA 2048, SHA-256\)/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('O=Bench', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Key store (2)' })).toBeVisible();
    await screenshot(page, 'prepare-renew-endpoint-light');

    // Key export: one ticked key, then the passphrase is gone from the form.
    await steps.getByRole('button', { name: 'Key export' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Key export' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Export all 2 key(s)' })).toBeVisible();
    const firstKey = page.getByRole('checkbox', { name: /^Export key [0-9a-f]{16} \(All endpoints\)$/ }).first();
    await firstKey.focus();
    await page.keyboard.press('Space');
    await expect(firstKey).toBeChecked();
    await page.getByLabel('Export folder').fill(path.join(workDir, 'key-backup'));
    await page.getByRole('button', { name: 'Export 1 selected key(s)' }).click();
    await expect(page.getByText('Enter the key passphrase used when the requests were made.')).toBeVisible();
    await page.getByLabel('Key passphrase').fill('e2e renewal passphrase');
    await page.getByRole('button', { name: 'Export 1 selected key(s)' }).click();
    await expect(page.getByText(/1 key\(s\) exported to .*key-backup, encrypted with the key passphrase\./)).toBeVisible();
    await expect(page.getByLabel('Key passphrase')).toHaveValue('');
    const exported = readdirSync(path.join(workDir, 'key-backup'));
    expect(exported).toHaveLength(1);
    const pem = readFileSync(path.join(workDir, 'key-backup', exported[0]!), 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(createPrivateKey({ key: pem, passphrase: 'e2e renewal passphrase' }).asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    await screenshot(page, 'prepare-key-export-light');

    // Repackage: AES-256 in, TripleDES-SHA1 out under a new password, validated against what its SANs serve.
    const aes = fixtures.fileVariants.find((v) => v.name === 'aes256-sha256')!.file;
    await steps.getByRole('button', { name: 'Repackage' }).click();
    await page.locator('form').getByRole('button', { name: 'Repackage' }).click();
    await expect(page.getByText('Enter the path of the PFX to repackage.')).toBeVisible();
    await page.getByLabel('PFX to repackage').fill(aes);
    await page.getByLabel('Current password').fill(fixtures.password);
    await page.getByLabel('New PFX').fill(path.join(workDir, 'repacked.pfx'));
    await page.getByLabel('New password (optional)').fill('NewShare2026Pass');
    await page.locator('form').getByRole('button', { name: 'Repackage' }).click();
    const validation = page.getByRole('region', { name: /Validation of the new file/ });
    await expect(validation).toContainText('Passed', { timeout: 30_000 });
    await expect(validation).toContainText('Validated against Public Portal of east.azurestack.contoso.com: the endpoint its SANs serve.');
    await expect(validation).toContainText('All checks passed.');
    await expect(page.getByText(/Written to .*repacked\.pfx \(TripleDES-SHA1, new password\)/)).toBeVisible();
    await expect(page.getByLabel('Current password')).toHaveValue('');
    await expect(page.getByLabel('New password (optional)')).toHaveValue('');
    await screenshot(page, 'prepare-repackage-light');

    // The modern profile against the wrong endpoint: the encryption is only a warning, the SANs fail.
    await page.getByLabel('Current password').fill(fixtures.password);
    await page.getByLabel('New PFX').fill(path.join(workDir, 'repacked-modern.pfx'));
    await page.getByLabel('Protection').selectOption('modern');
    await page.getByLabel('Validate against').selectOption('ACSBlob');
    await page.locator('form').getByRole('button', { name: 'Repackage' }).click();
    await expect(validation).toContainText('Failed', { timeout: 30_000 });
    await expect(validation).toContainText('Validated against ACSBlob of east.azurestack.contoso.com.');
    await expect(validation.getByRole('row', { name: /PFX encryption .*modern profile: not for Azure Stack Hub rotation/ })).toBeVisible();
    await expect(validation.getByRole('row', { name: /DNS names .*do not cover \*\.blob\./ })).toBeVisible();
    await expect(page.getByText(/^Last job: PFX repackage found failures/)).toBeVisible();
    await validation.scrollIntoViewIfNeeded();
    await screenshot(page, 'prepare-repackage-fail-light');
  } finally {
    await bench.close();
  }
});

/** A path under the work folder that does not exist. */
function workWithMissing(workDir: string): string {
  return path.join(workDir, 'no-such-share');
}
