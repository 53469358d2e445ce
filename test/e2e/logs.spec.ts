/**
 * Logs: full-text search in a large log (200,000 events seeded through the store), the virtualized list,
 * jumping to a run's transcript, a redacted support bundle, and review mode for it (and a refused one).
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { Store } from '../../electron/services/store/store';
import type { EventInput } from '../../electron/services/store/index';
import { expect, screenshot, test } from './harness';
import { CONTOSO_EAST, seedStamp } from './steps';

const SEEDED = 200_000;

function* bigLog(count: number): Generator<EventInput> {
  const base = Date.UTC(2030, 0, 1);
  const words = ['Connecting', 'Invoking', 'Waiting for', 'Completed', 'Retrying'];
  for (let i = 0; i < count; i += 1) {
    yield {
      at: new Date(base + i * 1000).toISOString(),
      level: i % 97 === 0 ? 'error' : i % 13 === 0 ? 'warning' : 'info',
      source: i % 3 === 0 ? 'pep' : 'validation',
      stamp: i % 2 === 0 ? 'Contoso East' : 'Fabrikam West',
      run: { kind: 'rotation', id: 1 + (i % 40) },
      // A rare word the search must find among 200,000 lines.
      text: `${words[i % words.length]} action plan step ${i % 17} on ERCS 10.0.${i % 4}.${i % 250}${i % 5000 === 0 ? ' zephyrquartz marker' : ''}`,
    };
  }
}

function seed(dataDir: string, events: Iterable<EventInput>): void {
  const store = Store.open({ dataDir });
  try {
    store.events.ingest(events);
  } finally {
    store.close();
  }
}

async function openLogs(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeVisible();
}

test('searches a 200,000-event log, highlights matches, pages as it scrolls and jumps to a run', async ({ app }) => {
  const { page } = app;
  seed(app.dataDir, bigLog(SEEDED));

  const started = Date.now();
  await openLogs(page);
  const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row');
  await expect(rows.first()).toBeVisible();
  const firstPageMs = Date.now() - started;
  console.log(`[logs] first page of ${SEEDED.toLocaleString('en-US')} events on screen in ${firstPageMs} ms`);
  await expect(page.getByText('200,000 matching events')).toBeVisible();
  // Virtualized: a screenful of rows in the DOM, not the 200 loaded, never the 200,000 stored.
  expect(await rows.count()).toBeLessThan(80);
  await expect(rows.first()).toContainText('Retrying action plan step');

  await page.getByLabel('Search events').fill('zephyrquartz');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('40 matching events')).toBeVisible();
  await expect(rows.first().locator('mark')).toHaveText('zephyrquartz');

  await page.getByRole('group', { name: 'Levels' }).getByRole('button', { name: 'info' }).click();
  await expect(page.getByText(/^\d+ matching events?/)).toHaveText(/^(\d+) matching event/);
  const errorsOnly = await page.getByText(/matching event/).first().textContent();
  expect(Number(errorsOnly?.match(/^[\d,]+/)?.[0]?.replace(/,/g, ''))).toBeLessThan(40);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText('200,000 matching events')).toBeVisible();
  // Scrolling to the end of what is loaded fetches the next keyset page.
  const list = page.getByRole('grid', { name: 'Events' });
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByText(/· 400 loaded/)).toBeVisible();

  await screenshot(page, 'logs-search-light');

  await rows.first().getByRole('button', { name: /^rotation:\d+$/ }).click();
  await expect(page.getByText(/Transcript of/)).toBeVisible();
  await expect(page.getByText('5,000 matching events')).toBeVisible();
  await rows.nth(0).click();
  await rows.nth(2).click({ modifiers: ['Shift'] });
  await expect(page.getByText(/· 3 selected/)).toBeVisible();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy selection' }).click();
  await expect(page.getByText('Copied 3 events to the clipboard.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  // Oldest first, one tab-separated line per event.
  expect(copied.split('\n')).toHaveLength(3);
  expect(copied.split('\n')[0]).toMatch(/^2030-\S+\t(INFO|WARNING|ERROR)\t(pep|validation)\t/);
  await expect(page.getByRole('region', { name: 'Selected event' })).toContainText('action plan step');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'logs-transcript-dark');
});

test('exports a redacted bundle, opens it in review mode where nothing can change, and refuses a tampered one', async ({ app, workDir }) => {
  const { page } = app;
  await seedStamp(page, CONTOSO_EAST);
  seed(app.dataDir, [
    { level: 'info', source: 'pep', stamp: 'Contoso East', run: { kind: 'rotation', id: 3 }, text: 'Opening PEP session on 10.0.0.1 as AZS\\CloudAdmin' },
    { level: 'error', source: 'pep', stamp: 'Contoso East', run: { kind: 'rotation', id: 3 }, text: 'Session failed: password=Sup3r-Secret! rejected by 10.0.0.1' },
    { level: 'info', source: 'app', text: 'Unrelated event outside the run' },
  ]);
  await app.dialogs.setSaveDir(workDir);
  await openLogs(page);
  const rows = page.getByRole('grid', { name: 'Events' }).getByRole('row');
  await rows.filter({ hasText: 'Session failed' }).getByRole('button', { name: 'rotation:3' }).click();
  await expect(page.getByText('2 matching events')).toBeVisible();

  const retention = page.getByLabel('Keep events for');
  await expect(retention).toHaveValue('90');
  await retention.fill('30');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Events are now kept for 30 days.')).toBeVisible();
  await expect(retention).toHaveValue('30');

  await page.getByRole('checkbox', { name: 'IP addresses' }).check();
  await page.getByRole('checkbox', { name: 'User names' }).check();
  await page.getByRole('button', { name: 'Preview contents' }).click();
  const preview = page.getByLabel('Bundle preview');
  await expect(preview.getByRole('cell', { name: 'events.jsonl' })).toBeVisible();
  await expect(preview).toContainText('2 event(s)');
  await expect(preview.locator('pre')).toContainText('ip-1');
  await expect(preview.locator('pre')).not.toContainText('10.0.0.1');
  await expect(preview.locator('pre')).not.toContainText('Sup3r-Secret');
  await screenshot(page, 'logs-bundle-preview-light');

  await page.getByRole('button', { name: 'Export bundle…' }).click();
  await expect(page.getByText(/Saved the support bundle to/)).toBeVisible();
  const [bundleFile] = (await app.dialogs.savedPaths()).filter((p) => p.endsWith('.zip'));
  expect(bundleFile).toBeTruthy();

  await page.getByLabel('Bundle file').fill(bundleFile as string);
  await page.getByRole('button', { name: 'Open for review' }).click();
  const banner = page.getByRole('region', { name: 'Review mode', exact: true });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(path.basename(bundleFile as string));
  await expect(banner).toContainText('read-only');
  await expect(page.getByText('2 matching events')).toBeVisible();
  await expect(rows.first()).toContainText('ip-1');
  await expect(page.getByRole('grid', { name: 'Events' })).not.toContainText('CloudAdmin');
  await screenshot(page, 'logs-review-light');

  // The backend refuses state-changing channels while reviewing, whatever the window asks.
  const refused = await page.evaluate(() => window.workbench.stamps.remove({ id: 1 }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  // Other workspaces keep a cue: the Logs icon in the sidebar carries a review dot.
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: 'Stamps' }).click();
  await expect(page.locator('.logs-icon-review')).toBeVisible();
  await openLogs(page);

  await banner.getByRole('button', { name: 'Close review' }).click();
  await expect(banner).toBeHidden();
  await expect(page.locator('.logs-icon-review')).toHaveCount(0);
  // Back on the live log: the unrelated event (and the audit trail of the export) is there again.
  await expect(rows.filter({ hasText: 'Unrelated event outside the run' })).toBeVisible();

  const tampered = path.join(workDir, 'tampered.zip');
  await copyFile(bundleFile as string, tampered);
  const bytes = await readFile(tampered);
  await writeFile(tampered, bytes.subarray(0, bytes.length - 64));
  await page.getByLabel('Bundle file').fill(tampered);
  await page.getByRole('button', { name: 'Open for review' }).click();
  await expect(page.getByRole('alert')).toContainText('not a complete zip');
  await expect(page.getByRole('region', { name: 'Review mode', exact: true })).toBeHidden();
  await screenshot(page, 'logs-refused-light');
});
