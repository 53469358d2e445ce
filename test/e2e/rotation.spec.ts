/**
 * Rotate: a rehearsal run from the UI against the PEP simulator (pre-flight, live steps and console,
 * result), Cancel with its confirmation, and a run whose process died shown as interrupted with guidance.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Page } from '@playwright/test';
import { Store } from '../../electron/services/store/store';
import { expect, screenshot, test } from './harness';
import { CONTOSO_EAST, chooseActiveStamp, seedStamp } from './steps';

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
