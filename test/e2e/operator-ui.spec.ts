/**
 * The app as an operator meets it at 1366×768, in light and dark: review mode read-only in every workspace
 * (with the bundle's source stamp and app version in the header), focus after Create stamp and after a
 * validation, the whole run plan with pending steps and durations, UTC dates in one format, the folded
 * setup form, expiry dates and stamp-level warnings in the results, the Dashboard's earliest expiry,
 * sorting, grouping and date axis — each screen checked with axe and compared with its committed baseline.
 *
 * Baselines: `npx playwright test --project chromium test/e2e/operator-ui.spec.ts --update-snapshots`
 * writes them under `operator-ui.spec.ts-snapshots/`. Fonts come from fonts-dejavu-core, so the tolerance
 * is small; whatever depends on the day or on temporary paths is masked.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { Store } from '../../electron/services/store/store';
import { REVIEW_BUNDLE_APP_VERSION, REVIEW_STAMP, writeReviewBundle } from '../support/review-bundle';
import { expect, test } from './harness';
import { CONTOSO_EAST, buildBrokenShare, openWorkspace, resultRows, seedStamp } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

/** Fails with every axe violation named (rule, node count and the first nodes). */
async function expectAxeClean(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe violations in ${where}`).toEqual([]);
}

/** Compares the page with its baseline; `mask` hides what depends on the day or on temporary paths. */
async function expectScreen(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  // The data folder in the status bar is a temporary path in every run.
  await expect(page).toHaveScreenshot(`${name}.png`, { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide', mask: [page.locator('.status-bar'), ...mask] });
}

async function openBundle(page: Page, file: string): Promise<void> {
  await openWorkspace(page, 'Logs');
  await page.getByLabel('Bundle file').fill(file);
  await page.getByRole('button', { name: 'Open for review' }).click();
  await expect(page.getByRole('region', { name: 'Review mode: read-only' })).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test('review mode: every workspace shows the bundle, read-only, under a header naming its source stamp and app version', async ({ app, workDir }) => {
      const { page } = app;
      await seedStamp(page, { ...CONTOSO_EAST, name: 'Local Lab' });
      await page.reload();
      const bundle = await writeReviewBundle(path.join(workDir, 'contoso-west-support.zip'));
      await openBundle(page, bundle);

      const band = page.getByRole('region', { name: 'Review mode: read-only' });
      await expect(band).toContainText('contoso-west-support.zip');
      await expect(band).toContainText(`source stamp ${REVIEW_STAMP}`);
      await expect(band).toContainText(`made by Rotation Workbench ${REVIEW_BUNDLE_APP_VERSION} on 2026-03-02 09:30 UTC · read-only`);
      // The picker lists the bundle's stamps only; the operator's own profile is not offered.
      const picker = page.getByLabel('Stamp in the bundle');
      await expect(picker.locator('option')).toHaveText(['None (all of the bundle)', REVIEW_STAMP]);
      await expect(picker).toHaveValue(/\d+/);

      // Logs: the banner scrolls with the page. Scrolled so the grid's header sits just under the sticky
      // toolbar — where the sticky banner used to be — the header is what is on screen there, not the banner.
      const head = page.locator('.log-grid-head');
      await expect(head).toBeVisible();
      const covered = await page.evaluate(() => {
        const main = document.getElementById('main')!;
        const grid = document.querySelector<HTMLElement>('.log-grid-head')!;
        const toolbar = document.querySelector<HTMLElement>('.workspace .toolbar')!;
        main.scrollTop += grid.getBoundingClientRect().top - main.getBoundingClientRect().top - toolbar.offsetHeight - 15;
        const r = grid.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 40, r.top + r.height / 2);
        return { inHead: !!hit?.closest('.log-grid-head'), top: r.top };
      });
      expect(covered.inHead, `grid header at y=${covered.top} is covered`).toBe(true);
      await page.locator('#main').evaluate((el) => el.scrollTo({ top: 0 }));
      await expectAxeClean(page, 'Logs in review');

      await openWorkspace(page, 'Stamps');
      await expect(page.getByRole('button', { name: 'New stamp' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Stamp profiles' })).toContainText(REVIEW_STAMP);
      await expect(page.getByRole('table', { name: 'Stamp profiles' })).not.toContainText('Local Lab');
      await expect(page.getByText('Updated')).toBeVisible();
      await expect(page.getByText('2026-02-27 07:55 UTC')).toBeVisible();
      await expectAxeClean(page, 'Stamps in review');
      await expectScreen(page, `review-stamps-${theme}`);

      await openWorkspace(page, 'Certificates');
      await expect(page.getByRole('button', { name: 'Start validation' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Export JSON' })).toBeDisabled();
      await expect(page.getByRole('heading', { name: 'Validation runs in the bundle' })).toBeVisible();
      const warnings = page.getByRole('region', { name: /stamp-level warning/i });
      await expect(warnings).toHaveCount(1);
      await expect(warnings).toContainText('Current CA kind unknown');
      await expect(warnings).toContainText('the CA-transition check could not judge 6 certificates');
      await expect(warnings).toContainText(`Fix: set Current CA kind in the profile of ${REVIEW_STAMP}`);
      // Read-only: the fix is named, the link that would edit the customer's stamp is not offered.
      await expect(warnings.getByRole('button')).toHaveCount(0);
      await expect(resultRows(page).first()).toContainText('2026-02-20');
      await expect(page.getByRole('complementary', { name: 'Certificate details' })).toContainText('Expired on 2026-02-20 12:00 UTC.');
      await expect(page.getByRole('complementary', { name: 'Certificate details' })).not.toContainText('T12:00:00.000Z');
      await expectAxeClean(page, 'Certificates in review');
      await expectScreen(page, `review-certificates-${theme}`);

      await openWorkspace(page, 'Rotate');
      const live = page.getByRole('region', { name: `Run 1: external rotation of ${REVIEW_STAMP}` });
      await expect(live).toBeVisible();
      await expect(live.getByRole('button', { name: /Cancel/ })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Run pre-flight' })).toHaveCount(0);
      await expect(live.getByText('5 of 7 steps done')).toBeVisible();
      const plan = live.getByRole('list', { name: 'Run plan' });
      await expect(plan.locator(':scope > li')).toHaveCount(7);
      await expect(plan.locator(':scope > li').nth(1)).toContainText('on 10.20.0.225 after 10.20.0.224 refused');
      await expect(plan.locator(':scope > li').nth(1)).toContainText('08:20:04 27 s');
      await expect(plan.locator(':scope > li').nth(5)).toContainText('not run');
      const steps = live.getByRole('list', { name: 'Action plan steps' }).getByRole('listitem');
      await expect(steps).toHaveCount(4);
      await expect(steps.nth(0)).toContainText('6 min 20 s');
      await expect(steps.nth(3)).toContainText('Rotate the storage endpoint certificates: failed');
      await expect(live).toContainText('2026-03-02 08:20 UTC');
      await expectAxeClean(page, 'Rotate in review');
      await expectScreen(page, `review-rotate-${theme}`);

      await openWorkspace(page, 'Dashboard');
      const earliest = page.getByRole('region', { name: 'Earliest expiry' });
      await expect(earliest).toContainText('Public Portal (share file, leaf) expired on 2026-02-20 — 10 days ago');
      await expect(earliest).toContainText('counted on 2026-03-02');
      await expect(page.getByRole('button', { name: 'Probe endpoints' })).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Certificates' })).toContainText('internal root CA');
      await expectAxeClean(page, 'Dashboard in review');
      await expectScreen(page, `review-dashboard-${theme}`);

      await openWorkspace(page, 'Procedures');
      await expect(page.getByText('Confirmed 2026-03-02 08:05 UTC by app:operator: Change CHG0042 approved')).toBeVisible();
      await expectAxeClean(page, 'Procedures in review');
      await openWorkspace(page, 'Prepare');
      await expect(page.getByText('Nothing to prepare in a review')).toBeVisible();

      await band.getByRole('button', { name: 'Close review' }).click();
      await expect(band).toBeHidden();
      await expect(page.getByLabel('Active stamp', { exact: true }).locator('option')).toHaveText(['No stamp (ad hoc)', 'Local Lab']);
    });

    test('every workspace is axe clean, selected chips and tabs included', async ({ app }) => {
      const { page } = app;
      await seedStamp(page);
      await page.reload();
      await page.getByLabel('Active stamp', { exact: true }).selectOption({ label: CONTOSO_EAST.name });
      for (const workspace of ['Stamps', 'Certificates', 'Prepare', 'Procedures', 'Rotate', 'Dashboard', 'Logs'] as const) {
        await openWorkspace(page, workspace);
        await expectAxeClean(page, workspace);
      }
      // Pressed level toggles and the selected Prepare tab: the accent on its tint was 2.8:1 in the dark theme.
      await page.getByRole('group', { name: 'Levels' }).getByRole('button', { name: 'info' }).click();
      await expectAxeClean(page, 'Logs with a level toggled');
      await openWorkspace(page, 'Prepare');
      await page.getByRole('button', { name: /Backup$/ }).click();
      await expectAxeClean(page, 'Prepare with a tab selected');
    });

    test('focus follows the work: Create stamp, then Validate a share, then the results with the next step', async ({ app, fixtures, workDir }) => {
      const { page } = app;
      await openWorkspace(page, 'Stamps');
      await page.getByRole('button', { name: 'Create the first stamp' }).click();
      await page.getByLabel('Name').fill(CONTOSO_EAST.name);
      await page.getByLabel('Region').fill(CONTOSO_EAST.region);
      await page.getByLabel('External domain (FQDN)').fill(CONTOSO_EAST.externalFqdn);
      await page.getByRole('radio', { name: 'AD FS' }).check();
      await page.getByLabel('Version').fill(CONTOSO_EAST.version);
      await page.getByLabel('ERCS VM addresses').fill('10.0.0.1');
      await page.getByRole('button', { name: 'Create stamp' }).click();
      const next = page.getByRole('group', { name: /Next step: validate the certificate share/ });
      await expect(next).toBeFocused();
      await expectAxeClean(page, 'Stamps after create');
      await expectScreen(page, `stamp-created-${theme}`, [page.locator('.facts dd').last()]);

      await next.getByRole('button', { name: 'Validate a share' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
      const folder = page.getByLabel('Share folder', { exact: true });
      await expect(folder).toBeFocused();
      await folder.fill(await buildBrokenShare(fixtures, workDir));
      await page.getByLabel('PFX password').fill(fixtures.password);
      await page.getByLabel('Current CA kind').selectOption('unknown');
      await page.getByRole('button', { name: 'Start validation' }).click();

      // The run ends: focus on the results, the form folded to one line, the next step offered.
      const results = page.getByRole('heading', { name: 'Results' });
      await expect(results).toBeFocused({ timeout: 60_000 });
      await expect(page.getByRole('button', { name: 'Start validation' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'New validation…' })).toBeVisible();
      await expect(page.getByText('Next step: fix what failed')).toBeVisible();
      await expect(page.getByRole('columnheader', { name: 'Expires (UTC)' })).toBeVisible();
      const warning = page.getByRole('region', { name: /stamp-level warning/i });
      await expect(warning).toHaveCount(1);
      await expect(warning).toContainText('Current CA kind unknown');
      // Every certificate's CA check points at that one warning instead of repeating the wrong fix.
      await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
      const detail = page.getByRole('complementary', { name: 'Certificate details' });
      await expect(detail).toContainText('Stamp-level: see the warning above the table');
      await expect(detail).not.toContainText('Use a CA kind the stamp version supports');
      await expect(detail).toContainText(/Valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      await expectAxeClean(page, 'Certificates results');
      await expectScreen(page, `certificates-results-${theme}`, [
        page.locator('.results-meta'),
        page.locator('.setup-summary-text'),
        page.locator('.history-card'),
        page.locator('.col-expiry'),
        page.locator('.structure-problems'),
        detail,
      ]);

      await warning.getByRole('button', { name: `Edit stamp ${CONTOSO_EAST.name}` }).click();
      await expect(page.getByRole('heading', { name: `Edit ${CONTOSO_EAST.name}` })).toBeVisible();
      await expect(page.getByLabel('Current CA kind')).toBeFocused();
    });

    test('a running rotation shows the whole plan: pending steps, steps done of total, time per step', async ({ app }) => {
      const { page } = app;
      const stampId = await seedStamp(page, { ...CONTOSO_EAST, name: 'Lab' });
      const started = Date.now() - 10 * 60_000;
      const at = (s: number) => new Date(started + s * 1000).toISOString();
      const store = Store.open({ dataDir: app.dataDir });
      try {
        // Owned by this process, so the app treats it as alive and still running.
        const runId = store.rotations.create({ stampId, stampName: 'Lab', kind: 'external', rehearsal: false, scenario: null, source: 'app', startedAt: at(0), rerunOf: null, parameters: { estimateSeconds: 3600 }, ownerPid: process.pid, ownerHost: hostname() });
        store.rotations.transition(runId, { to: 'preflight', at: at(0) });
        store.rotations.appendEvents(runId, [
          { at: at(2), level: 'info', type: 'preflight.check', text: 'Share validated.', data: { id: 'share', status: 'ok' } },
          { at: at(5), level: 'info', type: 'session.connecting', text: 'Opening a PEP session to 10.0.0.1', data: { ercs: '10.0.0.1' } },
          { at: at(9), level: 'info', type: 'session.opened', text: 'PEP session opened on 10.0.0.1', data: { ercs: '10.0.0.1' } },
          { at: at(9), level: 'info', type: 'step.started', text: 'Get-AzureStackStampInformation', data: { step: 'stamp-information' } },
          { at: at(17), level: 'info', type: 'step.finished', text: 'done', data: { step: 'stamp-information', ok: true } },
          { at: at(18), level: 'info', type: 'step.started', text: 'Test-AzureStack -Group SecretRotationReadiness', data: { step: 'readiness' } },
        ]);
      } finally {
        store.close();
      }
      await page.reload();
      await page.getByLabel('Active stamp', { exact: true }).selectOption({ label: 'Lab' });
      await openWorkspace(page, 'Rotate');
      await page.getByRole('list', { name: 'Rotation runs' }).getByRole('button').first().click();
      const live = page.getByRole('region', { name: /^Run 1: external rotation of Lab$/ });
      await expect(live.getByText('3 of 7 steps done')).toBeVisible();
      const plan = live.getByRole('list', { name: 'Run plan' }).locator(':scope > li');
      await expect(plan.nth(3)).toContainText('Test-AzureStack -Group SecretRotationReadiness: running');
      await expect(plan.nth(3)).toContainText('so far');
      await expect(plan.nth(2)).toContainText('8 s');
      for (const i of [4, 5, 6]) await expect(plan.nth(i)).toContainText('pending');
      await expect(plan.nth(4)).toContainText("The PEP reports the action plan's own steps one at a time");
      await expect(live.getByRole('button', { name: 'Cancel run…' })).toBeEnabled();
      await expectAxeClean(page, 'Rotate with a running run');
    });

    test('Dashboard: earliest expiry, days left, sort and group by endpoint and role, a date axis', async ({ app, fixtures, workDir }) => {
      const { page } = app;
      await seedStamp(page);
      await page.reload();
      await page.getByLabel('Active stamp', { exact: true }).selectOption({ label: CONTOSO_EAST.name });
      await openWorkspace(page, 'Certificates');
      await page.getByLabel('Share folder', { exact: true }).fill(await buildBrokenShare(fixtures, workDir));
      await page.getByLabel('PFX password').fill(fixtures.password);
      await page.getByRole('button', { name: 'Start validation' }).click();
      await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused({ timeout: 60_000 });

      await openWorkspace(page, 'Dashboard');
      const earliest = page.getByRole('region', { name: 'Earliest expiry' });
      await expect(earliest).toContainText(/Public Portal \(share file, leaf\) expired on \d{4}-\d{2}-\d{2}/);
      const table = page.getByRole('table', { name: 'Certificates' });
      await expect(table.getByRole('columnheader', { name: 'Days left' })).toBeVisible();
      await expect(table.getByRole('columnheader', { name: 'Role' })).toBeVisible();
      await expect(table.locator('tbody tr').first()).toContainText('Public Portal');

      await page.getByLabel('Sort by').selectOption('endpoint');
      const endpoints = await table.locator('tbody tr td:nth-child(4)').allTextContents();
      expect(endpoints).toEqual([...endpoints].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
      await page.getByLabel('Group by').selectOption('role');
      await expect(table.getByRole('rowheader')).toHaveText([/^leaf \(\d+\)$/, /^intermediate \(\d+\)$/, /^root \(\d+\)$/]);
      await page.getByLabel('Group by').selectOption('endpoint');
      await expect(table.getByRole('rowheader').first()).toHaveText(/^Public Portal \(3\)$/);

      // The timeline's axis is dates (month starts, written the app's way), not days left.
      await expect(page.getByRole('img', { name: /^Expiry timeline/ })).toHaveAttribute('aria-label', /on a date axis from \d{4}-\d{2}-01 to \d{4}-\d{2}-01 \(UTC\)$/);
      await expectAxeClean(page, 'Dashboard');
    });
  });
}
