/**
 * Certificate share validation: a valid AD FS share, a broken one, history across a restart, export.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, screenshot, test } from './harness';
import { buildBrokenShare, chooseActiveStamp, openWorkspace, resultRows, runValidation, seedStamp } from './steps';

test('validates the valid AD FS share against the active stamp: all green', async ({ app, fixtures }) => {
  const { page, dialogs } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await expect(page.getByLabel('Checked against')).toContainText('east.azurestack.contoso.com');

  await dialogs.setFolder(fixtures.shares.adfsValid);
  await page.getByRole('button', { name: 'Browse for the share folder' }).click();
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue(fixtures.shares.adfsValid);
  await runValidation(page, fixtures.password);

  // The setup form folded once the results were in; unfolded, the password is gone (wiped when the run started).
  await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused();
  await expect(page.getByLabel('PFX password')).toHaveCount(0);
  await page.getByRole('button', { name: 'New validation…' }).click();
  await expect(page.getByLabel('Share folder', { exact: true })).toBeFocused();
  await expect(page.getByLabel('PFX password')).toHaveValue('');
  const summary = page.getByRole('list', { name: 'Summary' });
  await expect(summary).toContainText('13 passed');
  await expect(summary).toContainText('0 failed');
  await expect(page.getByText('Share structure matches')).toBeVisible();
  await expect(resultRows(page)).toHaveCount(13);
  await expect(page.locator('table.results-table .status-fail')).toHaveCount(0);
  await expect(page.locator('table.results-table .status-warning')).toHaveCount(0);
  // Every row has the 14 checks, each with words for its glyph.
  const firstRow = resultRows(page).first();
  await expect(firstRow.getByRole('img')).toHaveCount(14);
  await expect(firstRow.getByRole('img', { name: 'Parse PFX: Passed' })).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText('passed');

  // The detail panel shows the leaf of the selected certificate.
  await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
  const detail = page.getByRole('complementary', { name: 'Certificate details' });
  await expect(detail.getByRole('heading', { name: 'ACSBlob' })).toBeVisible();
  await expect(detail).toContainText('*.blob.east.azurestack.contoso.com');
  await expect(detail).toContainText(/\d+ days left/);
  await expect(detail).toContainText('Readiness Checker: DNS Names');
  await screenshot(page, 'certificates-valid-light');
});

test('validates a broken share ad hoc: structure problems, failures and their fixes', async ({ app, fixtures, workDir }) => {
  const { page } = app;
  const share = await buildBrokenShare(fixtures, workDir);
  await openWorkspace(page, 'Certificates');

  // Ad-hoc mode: no stamp, so region, domain and identity are asked for inline.
  await page.getByRole('button', { name: 'Start validation' }).click();
  await expect(page.getByText('Choose the share folder')).toBeVisible();
  await expect(page.getByLabel('Region')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Region').fill('east');
  await page.getByLabel('External domain (FQDN)').fill('azurestack.contoso.com');
  await page.getByLabel('Identity system').selectOption('adfs');
  await page.getByLabel('Version (optional)').fill('2108');
  // The typed path is the fallback for drag-and-drop (a dropped folder's path is not readable here).
  await page.getByLabel('Share folder', { exact: true }).fill(share);
  await runValidation(page, fixtures.password);

  const structure = page.getByRole('region', { name: /Share structure/ });
  await expect(structure).toContainText('missing-folder');
  await expect(structure).toContainText('Graph');
  const summary = page.getByRole('list', { name: 'Summary' });
  await expect(summary).toContainText('2 failed');

  // Worst first: the two failures lead the table and the first one is already selected.
  await expect(resultRows(page).nth(0)).toContainText('Failed');
  await expect(resultRows(page).nth(1)).toContainText('Failed');
  await page.getByRole('checkbox', { name: 'Failures only' }).check();
  await expect(resultRows(page)).toHaveCount(2);
  await expect(page.getByText('Showing 2 of 12 certificates')).toBeVisible();

  await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
  const detail = page.getByRole('complementary', { name: 'Certificate details' });
  const dns = detail.getByRole('listitem').filter({ hasText: 'DNS names' });
  await expect(dns.getByRole('img', { name: 'Failed' })).toBeVisible();
  await expect(dns).toContainText('Readiness Checker: DNS Names');
  await expect(dns.locator('.check-remediation')).toContainText('Fix:');
  await expect(dns.locator('.check-remediation')).not.toBeEmpty();

  await resultRows(page).filter({ hasText: 'Public Portal' }).getByRole('button').click();
  const expiry = detail.getByRole('listitem').filter({ hasText: 'Expiry' });
  await expect(expiry.getByRole('img', { name: 'Failed' })).toBeVisible();
  await expect(expiry.locator('.check-remediation')).toContainText('Fix:');
  await expect(detail).toContainText(/expired \d+ days? ago/);

  // Keyboard: arrow keys move the selection between certificates.
  await resultRows(page).filter({ hasText: 'Public Portal' }).getByRole('button').focus();
  await page.keyboard.press('ArrowDown');
  await expect(detail.getByRole('heading', { level: 2 })).not.toHaveText('Public Portal');

  // Filter by text, then clear it.
  await page.getByRole('checkbox', { name: 'Failures only' }).uncheck();
  await page.getByLabel('Filter certificates').fill('vault');
  await expect(resultRows(page)).toHaveCount(2);
  await page.getByLabel('Filter certificates').fill('');
  await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
  await screenshot(page, 'certificates-broken-light');
});

test('sorts by endpoint and by status', async ({ app, fixtures, workDir }) => {
  const { page } = app;
  const share = await buildBrokenShare(fixtures, workDir);
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await page.getByLabel('Share folder', { exact: true }).fill(share);
  await runValidation(page, fixtures.password);

  const endpointHeader = page.getByRole('columnheader', { name: 'Endpoint' });
  await endpointHeader.getByRole('button').click();
  await expect(endpointHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(resultRows(page).first()).toContainText('ACSBlob');
  await endpointHeader.getByRole('button').click();
  await expect(endpointHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(resultRows(page).first()).toContainText('Public Portal');
  const statusHeader = page.getByRole('columnheader', { name: 'Status' });
  await statusHeader.getByRole('button').click();
  await expect(statusHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(resultRows(page).first()).toContainText('Failed');
});

test('keeps the history across a restart and reopens a run from it', async ({ app, fixtures }) => {
  const { page, dialogs } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await dialogs.setFolder(fixtures.shares.adfsValid);
  await page.getByRole('button', { name: 'Browse for the share folder' }).click();
  await runValidation(page, fixtures.password);
  const history = page.getByRole('list', { name: 'Validation runs' });
  await expect(history.getByRole('listitem')).toHaveCount(1);

  await app.restart();
  await openWorkspace(page, 'Certificates');
  const runs = page.getByRole('list', { name: 'Validation runs' });
  await expect(runs.getByRole('listitem')).toHaveCount(1);
  await expect(runs).toContainText('Contoso East');
  await expect(runs).toContainText('13 passed');
  // The last share folder is remembered (a setting), the password is not.
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue(fixtures.shares.adfsValid);
  await expect(page.getByLabel('PFX password')).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'Results' })).toHaveCount(0);

  await runs.getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(resultRows(page)).toHaveCount(13);
  await expect(runs.getByRole('button').first()).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('contentinfo')).toContainText('Last job');
});

test('exports the open report as JSON and as HTML without scripts', async ({ app, fixtures, workDir }) => {
  const { page, dialogs } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await expect(page.getByRole('button', { name: 'Export JSON' })).toBeDisabled();
  await page.getByLabel('Share folder', { exact: true }).fill(fixtures.shares.adfsValid);
  await runValidation(page, fixtures.password);

  await dialogs.setSaveDir(workDir);
  await page.getByRole('button', { name: 'Export JSON' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved the JSON report to' })).toBeVisible();
  await page.getByRole('button', { name: 'Export HTML' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved the HTML report to' })).toBeVisible();

  const saved = await dialogs.savedPaths();
  expect(saved).toHaveLength(2);
  const [jsonPath, htmlPath] = saved as [string, string];
  expect(path.extname(jsonPath)).toBe('.json');
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as { schemaVersion: number; certificates: unknown[]; summary: { fail: number } };
  expect(json.schemaVersion).toBe(1);
  expect(json.certificates).toHaveLength(13);
  expect(json.summary.fail).toBe(0);
  const html = await readFile(htmlPath, 'utf8');
  expect(html).toMatch(/<html/i);
  expect(html).toContain('Public Portal');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toContain(fixtures.password);

  // A cancelled save dialog writes nothing and says so.
  await dialogs.setSaveDir(null);
  await page.getByRole('button', { name: 'Export JSON' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Export cancelled.' })).toBeVisible();
});

test('reports a share folder that does not exist as a message with a hint', async ({ app, fixtures, workDir }) => {
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await page.getByLabel('Share folder', { exact: true }).fill(path.join(workDir, 'no-such-share'));
  await page.getByLabel('PFX password').fill(fixtures.password);
  await page.getByRole('button', { name: 'Start validation' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'does not exist' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Choose the share folder again.');
  await expect(page.getByRole('button', { name: 'Start validation' })).toBeEnabled();
});

test('shows progress with elapsed time and cancels a running validation', async ({ app, fixtures }) => {
  test.skip(app.holdValidations === null, 'Holding the engine needs the in-process backend of the chromium project');
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  const release = (app.holdValidations as () => () => void)();
  try {
    await page.getByLabel('Share folder', { exact: true }).fill(fixtures.shares.adfsValid);
    await page.getByLabel('PFX password').fill(fixtures.password);
    await page.getByRole('button', { name: 'Start validation' }).click();

    const progress = page.getByRole('progressbar', { name: 'Validating…' });
    await expect(progress).toBeVisible();
    await expect(page.getByText('13 of 13 certificates checked')).toBeVisible();
    await expect(progress).toHaveAttribute('max', '13');
    await expect(page.getByLabel(/^Elapsed time \d\d:\d\d$/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start validation' })).toBeDisabled();
    await expect(page.getByRole('contentinfo')).toContainText('running');
    await screenshot(page, 'certificates-progress-light');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Validation cancelled.' })).toBeVisible();
    await expect(progress).toBeHidden();
    await expect(page.getByRole('list', { name: 'Validation runs' })).toContainText('Cancelled');
    await expect(page.getByRole('contentinfo')).toContainText('cancelled');
    await expect(page.getByRole('button', { name: 'Start validation' })).toBeEnabled();
  } finally {
    release();
  }
});

test('takes the share folder from a drop, and says so when a drop carries no path', async ({ app }) => {
  const { page } = app;
  await openWorkspace(page, 'Certificates');
  const zone = page.locator('.drop-zone');
  const drop = async (data: Record<string, string>) => {
    const transfer = await page.evaluateHandle((entries) => {
      const dt = new DataTransfer();
      for (const [type, value] of Object.entries(entries)) dt.setData(type, value);
      return dt;
    }, data);
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
  };
  await drop({ 'text/uri-list': 'file:///srv/rotation/Certificates' });
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue('/srv/rotation/Certificates');
  await drop({ 'text/uri-list': 'file:///C:/Rotation%20Share/Certificates' });
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue('C:\\Rotation Share\\Certificates');
  await drop({ 'text/plain': 'not a path' });
  await expect(page.getByText('This window cannot read where the dropped folder is.')).toBeVisible();
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue('C:\\Rotation Share\\Certificates');
});

test('File ▸ Open share folder… brings the chosen folder into the Certificates workspace', async ({ app, fixtures }) => {
  test.skip(app.openShareFolderFromMenu === null, 'Playing the menu action needs the in-process backend of the chromium project');
  const { page, dialogs } = app;
  await expect(page.getByRole('heading', { level: 1, name: 'Stamps' })).toBeVisible();
  await dialogs.setFolder(fixtures.shares.aadValid);
  await (app.openShareFolderFromMenu as () => Promise<string | null>)();
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue(fixtures.shares.aadValid);
});

test('asks for the password, or an explicit "no password", and sends an empty one only when told', async ({ app, fixtures }) => {
  const { page } = app;
  await seedStamp(page);
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await openWorkspace(page, 'Certificates');
  await page.getByLabel('Share folder', { exact: true }).fill(fixtures.shares.adfsValid);

  await page.getByRole('button', { name: 'Start validation' }).click();
  await expect(page.getByLabel('PFX password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('or tick "The files have no password"')).toBeVisible();

  // Files exported without a password are legitimate input: the engine opens them with "".
  await page.getByLabel('The files have no password').check();
  await expect(page.getByLabel('PFX password')).toBeDisabled();
  await page.getByRole('button', { name: 'Start validation' }).click();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  // This share has a password, so the empty one opens nothing: each file says so.
  await expect(page.getByRole('list', { name: 'Summary' })).toContainText('13 failed');
  await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
  await expect(page.getByRole('complementary', { name: 'Certificate details' })).toContainText(/password/i);
});
