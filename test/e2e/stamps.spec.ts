/**
 * Stamp profiles: create, inline validation with the shared field rules, server-side refusal, edit,
 * delete with confirmation.
 */
import { fqdnProblem, ipProblem, versionProblem } from '../../shared/stamps/stamp';
import { expect, screenshot, test } from './harness';
import { CONTOSO_EAST, seedStamp } from './steps';

test('creates a stamp profile that becomes active and survives a restart', async ({ app }) => {
  const { page } = app;
  await expect(page.getByText('No stamp profiles yet')).toBeVisible();
  await page.getByRole('button', { name: 'New stamp' }).click();
  const form = page.getByRole('form', { name: 'New stamp' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill('Contoso East');
  await form.getByLabel('Region').fill('east');
  await form.getByLabel('External domain (FQDN)').fill('azurestack.contoso.com');
  await form.getByRole('radio', { name: 'AD FS' }).check();
  await form.getByLabel('Version').fill('2108');
  await form.getByLabel('ERCS VM addresses').fill('10.0.0.1');
  await form.getByLabel('Current CA kind').selectOption('enterprise');
  await form.getByRole('checkbox', { name: 'App Service' }).check();
  await form.getByRole('button', { name: 'Create stamp' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Created stamp "Contoso East".' })).toBeVisible();
  const row = page.getByRole('table').getByRole('row', { name: /Contoso East/ });
  await expect(row).toContainText('AD FS');
  await expect(row).toContainText('east.azurestack.contoso.com');
  await expect(row).toContainText('2108');
  await expect(row).toContainText('10.0.0.1');
  // The first stamp becomes the active one, shown in the header.
  await expect(page.getByLabel('Active stamp', { exact: true })).toHaveValue(/\d+/);
  await expect(page.getByRole('banner')).toContainText('east.azurestack.contoso.com');

  const stored = await page.evaluate(() => window.workbench.stamps.list({}));
  expect(stored.ok && stored.value).toEqual([
    expect.objectContaining({
      name: 'Contoso East',
      region: 'east',
      externalFqdn: 'azurestack.contoso.com',
      identity: 'adfs',
      version: '2108',
      ercsIps: ['10.0.0.1'],
      currentCaKind: 'enterprise',
      resourceProviders: ['appservices'],
      rehearsal: false,
    }),
  ]);

  await app.restart();
  await expect(page.getByRole('table').getByRole('row', { name: /Contoso East/ })).toBeVisible();
  await expect(page.getByLabel('Active stamp', { exact: true }).locator('option:checked')).toHaveText('Contoso East');
});

test('shows inline problems for a bad domain, address and version, and saves nothing', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'New stamp' }).click();
  const form = page.getByRole('form', { name: 'New stamp' });
  await form.getByLabel('Name').fill('Broken');
  await form.getByLabel('Region').fill('east');
  const fqdn = form.getByLabel('External domain (FQDN)');
  await fqdn.fill('azurestack..contoso');
  await fqdn.blur();
  await expect(fqdn).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText(fqdnProblem('azurestack..contoso') as string)).toBeVisible();
  await expect(fqdn).toHaveAccessibleDescription(new RegExp(escape(fqdnProblem('azurestack..contoso') as string)));

  const ercs = form.getByLabel('ERCS VM addresses');
  await ercs.fill('10.0.0.1, 10.0.0.300');
  await ercs.blur();
  await expect(form.getByText(ipProblem('10.0.0.300') as string)).toBeVisible();
  await expect(ercs).toHaveAttribute('aria-invalid', 'true');

  const version = form.getByLabel('Version');
  await version.fill('2113');
  await version.blur();
  await expect(form.getByText(versionProblem('2113') as string)).toBeVisible();
  await expect(version).toHaveAttribute('aria-invalid', 'true');

  await screenshot(page, 'stamps-form-errors-light');
  await form.getByRole('button', { name: 'Create stamp' }).click();
  // Saving is refused in the form, focus goes to the first problem, and nothing reached the backend.
  await expect(fqdn).toBeFocused();
  const stored = await page.evaluate(() => window.workbench.stamps.list({}));
  expect(stored.ok && stored.value).toEqual([]);

  await fqdn.fill('azurestack.contoso.com');
  await ercs.fill('10.0.0.1 10.0.0.2');
  await version.fill('2108');
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(0);
  await form.getByRole('button', { name: 'Create stamp' }).click();
  await expect(page.getByRole('table').getByRole('row', { name: /Broken/ })).toBeVisible();
});

test('shows the backend refusal (duplicate name) with its hint next to the form', async ({ app }) => {
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await page.getByRole('button', { name: 'New stamp' }).click();
  const form = page.getByRole('form', { name: 'New stamp' });
  await form.getByLabel('Name').fill(CONTOSO_EAST.name);
  await form.getByLabel('Region').fill('west');
  await form.getByLabel('External domain (FQDN)').fill('azurestack.contoso.com');
  await form.getByLabel('Version').fill('2206');
  await form.getByLabel('ERCS VM addresses').fill('10.1.0.1');
  await form.getByRole('button', { name: 'Create stamp' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(CONTOSO_EAST.name);
  await expect(alert.locator('.message-hint')).not.toBeEmpty();
  await expect(alert).not.toContainText(/\bat .*\.ts:\d+/);
});

test('edits a stamp and deletes it after confirmation', async ({ app }) => {
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await page.getByRole('table').getByRole('button', { name: 'Contoso East' }).click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit Contoso East' });
  await form.getByLabel('Version').fill('2206');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('table').getByRole('row', { name: /Contoso East/ })).toContainText('2206');

  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete stamp "Contoso East"?' });
  await expect(dialog).toBeVisible();
  // Focus starts on Cancel so Enter cannot delete by accident.
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table').getByRole('row', { name: /Contoso East/ })).toBeVisible();

  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete stamp' }).click();
  await expect(page.getByText('No stamp profiles yet')).toBeVisible();
  await expect(page.getByLabel('Active stamp', { exact: true })).toHaveValue('');
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
