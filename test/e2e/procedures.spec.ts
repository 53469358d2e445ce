/**
 * Procedures and Dashboard: the external-certificate checklist end to end (automatic items from a real
 * validation, manual confirmations, resume after a restart, runbook export), and the expiry colours of
 * the dashboard against a local TLS bench serving chains that expire in 120, 60, 20 and −1 days.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { BENCH_BASE, startTlsBench } from '../support/tls-bench';
import { expect, screenshot, test } from './harness';
import { CONTOSO_EAST, chooseActiveStamp, openWorkspace, runValidation, seedStamp } from './steps';

/** Controls without an accessible name on the page (same rule as appearance.spec.ts). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]'))
      .filter((el) => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el as HTMLInputElement).labels?.length && !el.textContent?.trim())
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

function step(page: Page, title: string | RegExp) {
  return page.getByRole('region', { name: title });
}

test('runs the external-certificate checklist end to end, resumes after a restart and exports the runbook', async ({ app, fixtures, workDir }) => {
  const { page, dialogs } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');

  // The recorded facts the automatic items read: an all-green validation of the stamp's share.
  await openWorkspace(page, 'Certificates');
  await dialogs.setFolder(fixtures.shares.adfsValid);
  await page.getByRole('button', { name: 'Browse for the share folder' }).click();
  await runValidation(page, fixtures.password);

  await openWorkspace(page, 'Procedures');
  await expect(page.getByText('No procedure open')).toBeVisible();
  await page.getByRole('button', { name: 'New procedure' }).first().click();
  await page.getByRole('button', { name: 'Start external certificates' }).click();
  await expect(page.getByText('Enter the share path.')).toBeVisible();
  await page.getByLabel('Share path (-PfxFilesPath)').fill('\\\\fileserver\\rotation\\Certificates');
  await page.getByLabel('Share user (optional)').fill('CONTOSO\\rotation');
  await page.getByRole('button', { name: 'Start external certificates' }).click();

  await expect(page.getByRole('heading', { name: 'External certificates', exact: true })).toBeVisible();
  await expect(page.getByText('2 of 11 required steps done')).toBeVisible();
  const pki = step(page, /New certificates meet the PKI requirements/);
  await expect(pki).toContainText('Verified automatically');
  await expect(pki).toContainText('Latest validation all green: Validation run 1: all 13 certificate(s) passed every check.');
  await expect(step(page, /Folder tree Certificates\\ADFS/)).toContainText('Verified automatically');
  const backup = step(page, /Backup of the certificates/);
  await expect(backup).toContainText('No verified backup recorded for this stamp yet');
  const run = step(page, /Run Start-SecretRotation/);
  await expect(run.getByLabel('Command for step 8')).toContainText(
    "-ArgumentList '\\\\fileserver\\rotation\\Certificates', $shareCredential, $certPassword",
  );
  await expect(run.getByLabel('Command for step 8')).toContainText('New-PSSession -ComputerName 10.0.0.1 -ConfigurationName PrivilegedEndpoint');
  await expect(run).toContainText('ERCS VMs to try in turn: 10.0.0.1.');

  const first = step(page, /Supported version, latest hotfix/);
  await first.getByLabel('Note for step 1').fill('Change CR-1042 approved');
  await first.getByRole('button', { name: 'Confirm step 1' }).click();
  await expect(first).toContainText('Confirmed');
  await expect(first).toContainText('Change CR-1042 approved');
  await expect(page.getByText('3 of 11 required steps done')).toBeVisible();
  await screenshot(page, 'procedures-checklist-light');
  expect(await unnamedControls(page), 'Procedures controls without a name').toEqual([]);

  // State lives in SQLite: a restart reopens the open run where the operator left it.
  await app.restart();
  await openWorkspace(page, 'Procedures');
  await expect(page.getByText('3 of 11 required steps done')).toBeVisible();
  await expect(step(page, /Supported version, latest hotfix/)).toContainText('Change CR-1042 approved');
  await expect(page.getByRole('list', { name: 'Procedure runs' }).getByRole('button')).toHaveCount(1);

  await expect(page.getByRole('button', { name: 'Mark completed' })).toBeDisabled();
  for (const n of [2, 3, 5, 6, 8, 9, 10, 11]) {
    const button = page.getByRole('button', { name: new RegExp(`^Confirm step ${n}( manually)?$`) });
    await button.click();
    await expect(button).toHaveCount(0);
  }
  await expect(page.getByText('11 of 11 required steps done')).toBeVisible();

  await dialogs.setSaveDir(workDir);
  await page.getByRole('button', { name: 'Export runbook' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Runbook saved to' })).toBeVisible();
  const [saved] = await dialogs.savedPaths();
  expect(saved).toMatch(/runbook-external-certificates-Contoso_East-run1-\d{4}-\d{2}-\d{2}\.html$/);
  const html = await readFile(saved as string, 'utf8');
  expect(html).not.toMatch(/<script|\bsrc=|\bhref=/i);
  expect(html).toContain('11 of 11 required steps done');
  expect(html).toContain('Change CR-1042 approved');
  expect(html).toContain('Verified automatically');

  await page.getByRole('button', { name: 'Mark completed' }).click();
  await expect(page.getByText('Completed', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Confirm step/ })).toHaveCount(0);
  await screenshot(page, 'procedures-completed-light');

  // The evidence link opens the validation run the automatic item was judged from.
  await step(page, /New certificates meet the PKI requirements/).getByRole('button', { name: 'Open validation run 1' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
});

test('gates the steps by version and enforces the Event Hubs wait', async ({ app }) => {
  const { page } = app;
  await seedStamp(page, { ...CONTOSO_EAST, name: 'Old Stamp', version: '1908' });
  await page.reload();
  await chooseActiveStamp(page, 'Old Stamp');
  await openWorkspace(page, 'Procedures');
  await page.getByRole('button', { name: 'New procedure' }).first().click();
  const kind = page.getByLabel('Procedure', { exact: true });
  await expect(kind.locator('option', { hasText: 'Root CA' })).toBeDisabled();
  await kind.selectOption('bmc-credential');
  await page.getByLabel('BMC user (optional)').fill('a-very-long-bmc-user');
  await page.getByRole('button', { name: 'Start bmc credential' }).click();
  await expect(page.getByText('has 20 characters: BMC user names have at most 16.')).toBeVisible();
  await page.getByLabel('BMC user (optional)').fill('azsbmc');
  await page.getByRole('button', { name: 'Start bmc credential' }).click();
  await expect(step(page, /Update the BMCs with the OEM tool first/)).toContainText('Version before 1910');
  // Before 1910 the OEM tool updated the BMCs and Set-BmcCredential records it, as documented: no forced -BypassBMCUpdate.
  await expect(step(page, /Run Set-BmcCredential/).getByLabel('Command for step 4')).toContainText('Set-BmcCredential -BmcPassword $password -BmcUser $user');
  await expect(step(page, /Run Set-BmcCredential/).getByLabel('Command for step 4')).not.toContainText('-BypassBMCUpdate');
  await expect(step(page, /WinRM TrustedHosts on this machine covers the ERCS VMs/).getByLabel('Command for step 3')).toContainText("winrm s winrm/config/client '@{TrustedHosts=");

  await page.getByRole('button', { name: 'New procedure' }).first().click();
  await page.getByLabel('Procedure', { exact: true }).selectOption('value-add-rp');
  await page.getByLabel('Package id').fill('Microsoft.Eventhub');
  await page.getByRole('button', { name: 'Start value-add resource provider' }).click();
  await expect(page.getByText('is not a package id of the form Microsoft.<RP>.<version>')).toBeVisible();
  await page.getByLabel('Package id').fill('Microsoft.Eventhub.1.2003.0.0');
  await page.getByLabel('Secret name').fill('eventhub-cert');
  await page.getByLabel('PFX file').fill('C:\\certs\\eventhub.pfx');
  await page.getByRole('button', { name: 'Start value-add resource provider' }).click();
  await expect(step(page, /Upload the certificate/).getByLabel('Command for step 2')).toHaveText(
    "$pfxPassword = Read-Host -AsSecureString -Prompt 'PFX password'\nSet-AzsProductSecret -PackageId 'Microsoft.Eventhub.1.2003.0.0' -SecretName 'eventhub-cert' -PfxFileName 'C:\\certs\\eventhub.pfx' -PfxPassword $pfxPassword -Force",
  );
  await page.getByRole('button', { name: 'Confirm step 3' }).click();
  await expect(step(page, /Rotation finished/)).toContainText('Running since');
  await expect(step(page, /No failure symptoms/)).toContainText('Backups are not happening');
  await page.getByRole('button', { name: 'Confirm step 6' }).click();
  const reinstall = step(page, /Provider reinstalled/);
  await expect(reinstall).toContainText('Wait at least 10 minutes');
  await expect(reinstall).toContainText('Possible from');
  await expect(reinstall.getByRole('button', { name: 'Confirm step 7' })).toBeDisabled();
  await screenshot(page, 'procedures-eventhubs-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'procedures-eventhubs-dark');

  await page.getByRole('button', { name: 'Abandon' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Abandon procedure' }).click();
  await expect(page.getByRole('button', { name: /^Confirm step/ })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Procedure runs' })).toContainText('Abandoned');
});

test('container registry: thumbprint from the PFX for the redeploy, and the old secret step for a new user', async ({ app, fixtures }) => {
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Procedures');
  await page.getByRole('button', { name: 'New procedure' }).first().click();
  await page.getByLabel('Procedure', { exact: true }).selectOption('container-registry');
  await page.getByLabel('Key Vault name').fill('acr-kv');
  await page.getByLabel('Registry user').fill('registryadmin');
  await page.getByLabel('New user?').selectOption('yes');
  await expect(page.getByText('A new registry user: delete the old user’s Key Vault secret afterwards.')).toBeVisible();
  await page.getByLabel('Certificate secret name').fill('acr-cert');
  const pfx = fixtures.fileVariants.find((v) => v.name === 'valid-3des');
  if (!pfx) throw new Error('fixture valid-3des missing');
  await page.getByLabel('Certificate PFX path').fill(pfx.file);
  await page.getByRole('button', { name: 'Start container registry template' }).click();

  await expect(step(page, /Old Key Vault secret of the previous user deleted/)).toBeVisible();
  await expect(step(page, /Gallery scripts imported/).getByLabel('Command for step 1')).toContainText('Import-Module .\\pre-reqs.ps1');
  await expect(step(page, /Registry user password stored/).getByLabel('Command for step 3')).not.toContainText('-SkipExistCheck');
  await page.getByLabel('PFX password', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Compute thumbprint' }).click();
  await expect(page.getByRole('alert')).toContainText('does not open');
  await page.getByLabel('PFX password', { exact: true }).fill(pfx.password);
  await page.getByRole('button', { name: 'Compute thumbprint' }).click();
  const facts = page.getByRole('definition').filter({ hasText: /^[0-9A-F]{40}$/ });
  await expect(facts).toHaveCount(1);
  const thumbprint = (await facts.textContent()) ?? '';
  await expect(page.getByLabel('PFX password', { exact: true })).toHaveValue('');
  await expect(step(page, /Template redeployed/)).toContainText(`PFXThumbprint = ${thumbprint}`);
  await screenshot(page, 'procedures-registry-light');
});

test('dashboard colours endpoints by days left: 120 ok, 60 warning, 20 critical, −1 expired', async ({ app }) => {
  const bench = await startTlsBench();
  try {
    const { page } = app;
    // The profile does not know its CA kind yet: the probe will settle it.
    await seedStamp(page, { ...CONTOSO_EAST, identity: 'aad', currentCaKind: 'unknown' });
    await page.reload();
    await chooseActiveStamp(page, 'Contoso East');
    await openWorkspace(page, 'Dashboard');
    await expect(page.getByText('Not probed yet.')).toBeVisible();
    await page.getByLabel('Connect to (optional)').fill(`127.0.0.1:${bench.port}`);
    await page.getByRole('button', { name: 'Probe endpoints' }).click();
    await expect(page.getByText(`via 127.0.0.1:${bench.port}`)).toBeVisible();

    const expected = [
      ['Public Portal', `portal.${BENCH_BASE}`, 'ok', '120 days', 'rgb(228, 243, 227)'],
      ['Admin Portal', `adminportal.${BENCH_BASE}`, 'warning', '60 days', 'rgb(252, 239, 214)'],
      ['ARM Public', `management.${BENCH_BASE}`, 'critical', '20 days', 'rgb(253, 224, 214)'],
      ['ARM Admin', `adminmanagement.${BENCH_BASE}`, 'expired', 'expired 1 day ago', 'rgb(142, 27, 22)'],
    ] as const;
    for (const [endpoint, name, status, days, background] of expected) {
      // Cells read: status, days left, expiry date, endpoint, role, where (source and name), subject.
      const row = page.getByRole('row', { name: new RegExp(`${endpoint} leaf endpoint ${name.replace(/\./g, '\\.')}`) });
      await expect(row).toHaveAttribute('data-status', status);
      await expect(row.getByRole('cell').nth(1)).toHaveText(days);
      const badge = row.locator('.expiry-badge');
      await expect(badge).toHaveCSS('background-color', background);
      // The chain's root (long-lived) is listed too, under the same endpoint.
      await expect(page.getByRole('row', { name: new RegExp(`${endpoint} root endpoint ${name.replace(/\./g, '\\.')}`) })).toHaveAttribute('data-status', 'ok');
    }
    const summary = page.getByLabel('Certificates by status');
    await expect(summary).toContainText('Expired: 1');
    await expect(summary).toContainText('Critical: 1');
    await expect(summary).toContainText('Warning: 1');
    await expect(page.getByRole('table', { name: /Endpoints without a usable chain/ })).toContainText('name mismatch');
    await expect(page.getByRole('img', { name: /^Expiry timeline: the expiry date of each certificate on a date axis from / })).toBeVisible();
    await screenshot(page, 'dashboard-light');
    expect(await unnamedControls(page), 'Dashboard controls without a name').toEqual([]);

    // The bench's chain comes from a private root: an enterprise CA, which the profile can now record.
    await expect(page.getByTestId('served-ca-kind')).toHaveText('enterprise');
    await page.getByRole('button', { name: 'Record enterprise as the current CA kind' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Recorded enterprise as the current CA kind of Contoso East.' })).toBeVisible();
    await expect(page.getByRole('button', { name: /Record .* as the current CA kind/ })).toHaveCount(0);
    await openWorkspace(page, 'Stamps');
    await expect(page.getByText('enterprise').first()).toBeVisible();
    await openWorkspace(page, 'Dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.getByRole('row', { name: /ARM Admin leaf endpoint/ }).locator('.expiry-badge')).toHaveCSS('background-color', 'rgb(179, 38, 30)');
    await screenshot(page, 'dashboard-dark');
  } finally {
    await bench.close();
  }
});
