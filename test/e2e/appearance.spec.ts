/**
 * Themes, keyboard operation and screenshots of every workspace in light and dark.
 */
import { expect, screenshot, test } from './harness';
import type { AppHarness } from './harness';
import type { FixtureManifest } from '../fixtures/manifest-types';
import { buildBrokenShare, chooseActiveStamp, openWorkspace, resultRows, runValidation, seedStamp } from './steps';

const LIGHT_BG = 'rgb(243, 243, 245)';
const DARK_BG = 'rgb(28, 28, 31)';

async function bodyBackground(app: AppHarness): Promise<string> {
  return app.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function captureWorkspaces(app: AppHarness, fixtures: FixtureManifest, workDir: string, theme: 'light' | 'dark') {
  const { page } = app;
  await screenshot(page, `stamps-empty-${theme}`);
  await seedStamp(page);
  await seedStamp(page, {
    name: 'Fabrikam Lab',
    region: 'lab',
    externalFqdn: 'hub.fabrikam.net',
    identity: 'aad',
    version: '2301',
    ercsIps: ['192.168.10.11', '192.168.10.12', '192.168.10.13'],
    currentCaKind: 'self-signed',
    resourceProviders: ['appservices', 'eventhubs'],
    rehearsal: true,
  });
  await page.reload();
  await chooseActiveStamp(page, 'Contoso East');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(3);
  await screenshot(page, `stamps-${theme}`);
  await page.getByRole('button', { name: 'New stamp' }).click();
  await screenshot(page, `stamps-editor-${theme}`);

  await openWorkspace(page, 'Certificates');
  await screenshot(page, `certificates-empty-${theme}`);
  await page.getByLabel('Share folder', { exact: true }).fill(await buildBrokenShare(fixtures, workDir));
  await runValidation(page, fixtures.password);
  await resultRows(page).filter({ hasText: 'ACSBlob' }).getByRole('button').click();
  await screenshot(page, `certificates-results-${theme}`);
  await chooseActiveStamp(page, 'No stamp (ad hoc)');
  await screenshot(page, `certificates-adhoc-${theme}`);
}

test.describe('light (OS preference)', () => {
  test.use({ colorScheme: 'light' });

  test('follows the light OS theme and captures every workspace', async ({ app, fixtures, workDir }) => {
    expect(await bodyBackground(app)).toBe(LIGHT_BG);
    await captureWorkspaces(app, fixtures, workDir, 'light');
  });
});

test.describe('dark (OS preference)', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the dark OS theme and captures every workspace', async ({ app, fixtures, workDir }) => {
    expect(await bodyBackground(app)).toBe(DARK_BG);
    await captureWorkspaces(app, fixtures, workDir, 'dark');
  });

  test('the Appearance setting overrides the OS and is kept across a restart', async ({ app }) => {
    const { page } = app;
    await page.getByLabel('Appearance').selectOption('light');
    await expect.poll(() => bodyBackground(app)).toBe(LIGHT_BG);
    await app.restart();
    await expect(page.getByLabel('Appearance')).toHaveValue('light');
    await expect.poll(() => bodyBackground(app)).toBe(LIGHT_BG);
    await page.getByLabel('Appearance').selectOption('system');
    await expect.poll(() => bodyBackground(app)).toBe(DARK_BG);
  });
});

test('is keyboard operable: skip link, sidebar arrows, visible focus', async ({ app }) => {
  const { page } = app;
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();

  const nav = page.getByRole('navigation', { name: 'Workspaces' });
  await nav.getByRole('button', { name: 'Stamps' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(nav.getByRole('button', { name: 'Certificates' })).toBeFocused();
  const outline = await nav.getByRole('button', { name: 'Certificates' }).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Certificates' })).toHaveAttribute('aria-current', 'page');
});

test('every control has an accessible name', async ({ app }) => {
  const { page } = app;
  for (const workspace of ['Stamps', 'Certificates'] as const) {
    await openWorkspace(page, workspace);
    if (workspace === 'Stamps') await page.getByRole('button', { name: 'New stamp' }).click();
    const unnamed = await page.evaluate(() => {
      const controls = Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]'));
      return controls
        .filter((el) => {
          const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
          const byLabel = (el as HTMLInputElement).labels?.length;
          const text = el.textContent?.trim();
          const radioInLabel = el.closest('label');
          return !labelled && !byLabel && !text && !radioInLabel;
        })
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed, `${workspace} controls without a name`).toEqual([]);
  }
});
