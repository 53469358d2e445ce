/**
 * Rotate: a rehearsal run from the UI against the PEP simulator (pre-flight, live steps and console,
 * result), the full rehearsal of an external rotation with an injected failure, the restore of the backup
 * and the ReRun, pre-flight links to the workspaces that fix what it found, Cancel with its confirmation,
 * and a run whose process died shown as interrupted with guidance.
 */
import { spawnSync } from 'node:child_process';
import { cp, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { Store } from '../../electron/services/store/store';
import { expect, screenshot, test } from './harness';
import { CONTOSO_EAST, buildBrokenShare, chooseActiveStamp, seedStamp } from './steps';
import { PWSH, PWSH_SKIP_REASON } from '../support/pwsh';

// Rehearsals run the generated script in real PowerShell against the stand-in PEP.
test.skip(PWSH === null, PWSH_SKIP_REASON ?? '');

const REHEARSAL = { ...CONTOSO_EAST, name: 'Rehearsal Lab', rehearsal: true, ercsIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] };

async function openRotate(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: 'Rotate' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rotate' })).toBeVisible();
}

test('rehearses an internal rotation from pre-flight to the result', async ({ app }) => {
  const { page } = app;
  await seedStamp(page, REHEARSAL);
  await page.reload();
  await chooseActiveStamp(page, 'Rehearsal Lab');
  await openRotate(page);
  await expect(page.getByText('Rehearsal stamp — runs go to the PEP simulator')).toBeVisible();

  await page.getByRole('radio', { name: 'Internal secrets' }).check();
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  // Nothing typed yet: the PEP password is asked for inline.
  await expect(page.getByText('Enter the password of the PEP user (CloudAdmin).')).toBeVisible();
  await page.getByLabel('PEP password').fill('Rehearse4Pep');
  await page.getByLabel('Length of the simulated hour (seconds)').fill('3');
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await expect(page.getByText(/^Ready\. The run takes about 3 seconds\.$/)).toBeVisible();
  await expect(page.getByText('Start-SecretRotation -Internal', { exact: true })).toBeVisible();
  await screenshot(page, 'rotation-preflight');

  await page.getByRole('button', { name: 'Start rehearsal' }).click();
  const live = page.getByRole('region', { name: /^Run 1: internal rotation of Rehearsal Lab$/ });
  await expect(live.getByText('REHEARSAL — PEP simulator (success)')).toBeVisible();
  // The badge reads "✓ Succeeded": the glyph is part of its text.
  await expect(live.getByText(/^✓\s*Succeeded$/)).toBeVisible({ timeout: 30_000 });
  await expect(live.getByRole('status')).toHaveText(/^Action plan [0-9a-f-]{36} finished with status 'Completed'\.$/);
  await expect(live.getByRole('list', { name: 'Action plan steps' }).getByRole('listitem')).toHaveCount(6);
  await expect(live.getByRole('list', { name: 'Action plan steps' })).not.toContainText('running');
  await expect(live.getByRole('log')).toContainText("Action plan finished with status: 'Completed'");
  // The password field was wiped once the run started.
  await expect(page.getByLabel('PEP password')).toHaveValue('');
  await expect(page.getByRole('list', { name: 'Rotation runs' })).toContainText('Run 1 · internal · rehearsal');
  await screenshot(page, 'rotation-rehearsal-succeeded');
});

/** Fills the passwords of an external run (the form wipes them once a run starts). */
async function fillExternalSecrets(page: Page, pfxPassword: string, withShare: boolean): Promise<void> {
  await page.getByLabel('PEP password').fill('Rehearse4Pep');
  await page.getByLabel('PFX password (-CertificatePassword)').fill(pfxPassword);
  if (withShare) await page.getByLabel('Share account password').fill('Rehearse4Share');
}

test('rehearses an external rotation: injected failure, restore of the backup, ReRun, success', async ({ app, workDir, fixtures }) => {
  const { page } = app;
  // The share as this machine sees it: a copy of the fixture share, so the test can change it and restore it.
  const share = path.join(workDir, 'share', 'Certificates');
  await cp(fixtures.shares.adfsValid, share, { recursive: true });
  await seedStamp(page, REHEARSAL);
  await page.reload();
  await chooseActiveStamp(page, 'Rehearsal Lab');
  await openRotate(page);

  await expect(page.getByRole('radio', { name: 'External certificates' })).toBeChecked();
  await page.getByLabel('Certificates folder (as this machine sees it)').fill(share);
  await fillExternalSecrets(page, fixtures.password, true);
  await page.getByLabel('Rehearsal scenario').selectOption({ label: 'Failure at an action-plan step' });
  await page.getByLabel('Step that fails').fill('2');
  await page.getByLabel('Length of the simulated hour (seconds)').fill('4');
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  const checks = page.getByRole('list', { name: 'Pre-flight checks' });
  await expect(checks).toContainText(`No backup of ${share} is recorded here.`, { timeout: 60_000 });

  // The procedure backs the share up first: the finding links to Prepare ▸ Backup, with the share filled in.
  await checks.getByRole('button', { name: 'Back up the share in Prepare' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Prepare' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Backup and restore' })).toBeVisible();
  await expect(page.getByLabel('Certificates folder of the share')).toHaveValue(share);
  await page.getByLabel('Backup folder').fill(path.join(workDir, 'backup'));
  await page.getByRole('button', { name: 'Create backup' }).click();
  await expect(page.getByText(/^✓ Backed up \d+ file\(s\) to .*; the copy verifies\.$/)).toBeVisible({ timeout: 30_000 });

  // Back in Rotate the setup is as it was left; pre-flight now finds the backup.
  await openRotate(page);
  await expect(page.getByLabel('Certificates folder (as this machine sees it)')).toHaveValue(share);
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await expect(checks).toContainText(/Backup in .*backup verified/, { timeout: 60_000 });
  await expect(page.getByText(/^Ready(?: with \d+ warning\(s\))?\. The run takes about 4 seconds\.$/)).toBeVisible();
  await page.getByRole('button', { name: 'Start rehearsal' }).click();

  const failedRun = page.getByRole('region', { name: /^Run 1: external rotation of Rehearsal Lab$/ });
  // Start went with the pre-flight: the run takes focus, so keyboard users are where the news is.
  await expect(failedRun).toBeFocused();
  await expect(failedRun.getByText('REHEARSAL — PEP simulator (fail-at-step:2)')).toBeVisible();
  await expect(failedRun.getByText(/^✗\s*Failed$/)).toBeVisible({ timeout: 60_000 });
  const failure = failedRun.getByRole('status');
  await expect(failure).toContainText(/Action plan [0-9a-f-]{36} finished with status 'Failed' at step 'Import the certificates into the infrastructure secret store'\./);
  await expect(failure.getByRole('heading', { name: 'Next steps' })).toBeVisible();
  await expect(failure.getByRole('listitem')).toHaveText(['Follow the error above, restore the certificates from the backup into the share, and run again with --rerun; contact Microsoft support if it fails again.']);
  await expect(failedRun.getByRole('list', { name: 'Action plan steps' }).getByRole('listitem').nth(1)).toContainText('Import the certificates into the infrastructure secret store: failed');
  await expect(failedRun.getByRole('log')).toContainText("Action plan finished with status: 'Failed'");
  await expect(failedRun.getByRole('log')).toContainText('PEP session on 10.0.0.1 closed');
  await screenshot(page, 'rotation-external-failed');

  // Meanwhile a certificate on the share was replaced: the restore has to bring the backed-up one back.
  const portal = path.join(share, 'ADFS', 'Public Portal');
  const [pfx] = await readdir(portal);
  await writeFile(path.join(portal, pfx!), 'not the certificate that was backed up');

  // A plain run is refused: the PEP accepts only -ReRun now, after the restore the finding links to.
  await fillExternalSecrets(page, fixtures.password, true);
  await page.getByLabel('Rehearsal scenario').selectOption({ label: 'Success' });
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await expect(page.getByText(/^\d+ check\(s\) failed: the run cannot start until they are fixed\.$/)).toBeVisible({ timeout: 60_000 });
  const rerunCheck = checks.getByRole('listitem').filter({ hasText: 'the PEP accepts only -ReRun now' });
  await expect(rerunCheck).toContainText('The last secret rotation on Rehearsal Lab (east.azurestack.contoso.com), run 1 (external');
  await expect(checks.getByRole('listitem').filter({ hasText: 'does not validate' }).getByRole('button', { name: 'Validate the share in Certificates' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start rehearsal' })).toBeDisabled();
  await page.getByRole('region', { name: 'Pre-flight' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'rotation-external-rerun-required');
  // Keyboard: the link is reached and followed like any other control.
  const restoreLink = rerunCheck.getByRole('button', { name: 'Restore the backup in Prepare' });
  await restoreLink.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Prepare' })).toBeVisible();
  await expect(page.getByLabel('Certificates folder of the share')).toHaveValue(share);
  await expect(page.getByLabel('Backup folder')).toHaveValue(path.join(workDir, 'backup'));
  await page.getByRole('button', { name: 'Restore into the share…' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore the backup into the share?' });
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText(/^1 file\(s\) restored, \d+ already identical; all read back intact\.$/)).toBeVisible({ timeout: 30_000 });

  // ReRun: pre-flight sees the restore after the failure and resumes run 1's plan.
  await openRotate(page);
  await page.getByRole('checkbox', { name: /^Rerun after a failed rotation \(-ReRun\)/ }).check();
  await fillExternalSecrets(page, fixtures.password, false);
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await expect(checks).toContainText(/The share was restored from the backup in .*backup .* after run 1 failed\./, { timeout: 60_000 });
  await expect(checks).toContainText('Rerun of run 1 (failed');
  await expect(page.getByText(/^Ready(?: with \d+ warning\(s\))?\. The run takes about 4 seconds and reruns run 1\.$/)).toBeVisible();
  await expect(page.getByText('Start-SecretRotation -ReRun', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Start rehearsal' }).click();

  const rerun = page.getByRole('region', { name: /^Run 2: external rotation of Rehearsal Lab$/ });
  await expect(rerun.getByText(/^✓\s*Succeeded$/)).toBeVisible({ timeout: 60_000 });
  await expect(rerun.getByRole('status')).toContainText(/^Action plan [0-9a-f-]{36} finished with status 'Completed'\./);
  await expect(rerun.getByRole('status')).toContainText('Remove the certificates from the share; keep the backup.');
  await expect(rerun.getByRole('term').filter({ hasText: 'Rerun of' })).toBeVisible();
  await expect(rerun.getByRole('definition').filter({ hasText: /^Run 1$/ })).toBeVisible();
  await expect(rerun.getByRole('log')).toContainText('Start-SecretRotation -ReRun');
  await expect(page.getByRole('list', { name: 'Rotation runs' }).getByRole('listitem')).toHaveCount(2);
  await screenshot(page, 'rotation-external-rerun-succeeded');
});

test('pre-flight links the stamp profile and the share validation to the workspaces that fix them', async ({ app, workDir, fixtures }) => {
  const { page } = app;
  const broken = await buildBrokenShare(fixtures, workDir);
  await seedStamp(page, { ...REHEARSAL, ercsIps: ['10.0.0.1'] });
  await page.reload();
  await chooseActiveStamp(page, 'Rehearsal Lab');
  await openRotate(page);
  await page.getByLabel('Certificates folder (as this machine sees it)').fill(broken);
  await fillExternalSecrets(page, fixtures.password, true);
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  const checks = page.getByRole('list', { name: 'Pre-flight checks' });
  await expect(checks).toContainText('does not validate', { timeout: 60_000 });
  // Only what is not green links anywhere.
  await expect(checks.getByRole('button')).toHaveText(['Edit Rehearsal Lab in Stamps →', 'Validate the share in Certificates →', 'Back up the share in Prepare →']);
  await checks.scrollIntoViewIfNeeded();
  await screenshot(page, 'rotation-preflight-links');

  await checks.getByRole('button', { name: 'Validate the share in Certificates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(page.getByLabel('Share folder', { exact: true })).toHaveValue(broken);
  await expect(page.locator('#main')).toBeFocused();

  await openRotate(page);
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await checks.getByRole('button', { name: 'Edit Rehearsal Lab in Stamps' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Stamps' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Edit Rehearsal Lab' })).toBeVisible();
});

test('asks before cancelling and says the action plan continues on the stamp', async ({ app }) => {
  const { page } = app;
  await seedStamp(page, REHEARSAL);
  await page.reload();
  await chooseActiveStamp(page, 'Rehearsal Lab');
  await openRotate(page);
  await page.getByRole('radio', { name: 'Internal secrets' }).check();
  await page.getByLabel('PEP password').fill('Rehearse4Pep');
  await page.getByLabel('Length of the simulated hour (seconds)').fill('60');
  await page.getByRole('button', { name: 'Run pre-flight' }).click();
  await page.getByRole('button', { name: 'Start rehearsal' }).click();
  const live = page.getByRole('region', { name: /^Run 1: / });
  await expect(live.getByRole('list', { name: 'Action plan steps' }).getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });
  // Learnt from the events before the run row's next state change.
  await expect(live.getByText(/^[0-9a-f]{8}-[0-9a-f-]{27}$/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Rotation runs' })).toContainText('running');

  await live.getByRole('button', { name: 'Cancel run…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Stop this rotation run?' });
  await expect(dialog).toContainText('An action plan that has already started keeps running on the stamp.');
  await screenshot(page, 'rotation-cancel-dialog');
  await dialog.getByRole('button', { name: 'Stop the run' }).click();
  await expect(live.getByText(/^!\s*Interrupted — outcome unknown$/)).toBeVisible({ timeout: 30_000 });
  await expect(live.getByRole('status')).toContainText('Cancelled while the PEP was working: the action plan continues on the stamp — outcome unknown.');
  await expect(live.getByRole('status')).toContainText('Get-ActionStatus Start-SecretRotation');
  // Asked to stop rather than killed: the script's finally removed the PEP session and said so.
  await expect(live.getByRole('log')).toContainText('PEP session on 10.0.0.1 closed');
  await expect(live.getByRole('log')).toContainText('(PEP simulator) exited with code 5 after the operator cancelled.');
});

test('shows a run whose process died as interrupted, with guidance', async ({ app }) => {
  const { page } = app;
  const stampId = await seedStamp(page, { ...CONTOSO_EAST, name: 'Lab' });
  // A process id that surely exists no more: a child that already exited.
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  const store = Store.open({ dataDir: app.dataDir });
  try {
    const runId = store.rotations.create({
      stampId,
      stampName: 'Lab',
      kind: 'external',
      rehearsal: false,
      scenario: null,
      source: 'cli',
      startedAt: new Date().toISOString(),
      rerunOf: null,
      parameters: {},
      ownerPid: deadPid,
      ownerHost: hostname(),
    });
    store.rotations.transition(runId, { to: 'preflight', at: new Date().toISOString() });
    store.rotations.transition(runId, { to: 'running', at: new Date().toISOString() });
    store.rotations.appendEvents(runId, [{ level: 'verbose', type: 'action-plan.step', text: "Step 'Rotate the storage endpoint certificates' status: 'InProgress'", data: { name: 'Rotate the storage endpoint certificates', status: 'InProgress' } }]);
  } finally {
    store.close();
  }
  await page.reload();
  await chooseActiveStamp(page, 'Lab');
  await openRotate(page);
  const history = page.getByRole('list', { name: 'Rotation runs' });
  await expect(history).toContainText('Interrupted — outcome unknown');
  await history.getByRole('button').first().click();
  const live = page.getByRole('region', { name: /^Run 1: external rotation of Lab$/ });
  await expect(live.getByRole('status')).toContainText('Interrupted — outcome unknown. Interrupted — outcome unknown: the process');
  await expect(live.getByRole('status')).toContainText('Get-ActionStatus Start-SecretRotation');
  await expect(live.getByRole('list', { name: 'Action plan steps' })).toContainText('Rotate the storage endpoint certificates');
});
