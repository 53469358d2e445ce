/**
 * Renderer benchmark: time to the first workspace heading, and time to render a 23 × 14 results table.
 *
 * Run with `node --import tsx test/bench/renderer-bench.ts` (add `--check` to exit 1 when a target is
 * missed). Loads the built renderer (rebuilt when stale) in Debian's Chromium over a local static server,
 * with a canned in-page `window.workbench` so only the renderer's own cost is measured. The table figure
 * comes from `window.__benchRender` (present with `?bench`): a synthetic report goes through the real
 * store and components inside `flushSync`, timed with `performance.now()` around that React commit.
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHECK_IDS, summarize } from '/work/main/shared/certificates/report';
import type { CertificateReport, CheckStatus, ValidationReport } from '/work/main/shared/certificates/report';
import { ENDPOINTS, requiredNames } from '/work/main/shared/endpoints/catalog';
import { CHROMIUM_ARGS, CHROMIUM_PATH, RENDERER_DIST } from '/work/main/test/e2e/env';
import { ensureRendererBuilt } from '/work/main/test/e2e/renderer-build';
import { startStaticServer } from '/work/main/test/e2e/static-server';

const FIRST_HEADING_MARK = 'workbench:first-heading';
const FIRST_HEADING_PAINTED_MARK = 'workbench:first-heading-painted';
const PAINT_RUNS = 1;
const TABLE_RUNS = 15;
const PAINT_TARGET_MS = 1000;
const TABLE_TARGET_MS = 100;

/** A report with 23 certificates (13 AD FS endpoints, 8 PaaS, 2 extra) and every status represented. */
function syntheticReport(): ValidationReport {
  const region = 'east';
  const fqdn = 'azurestack.contoso.com';
  const endpoints = ENDPOINTS.filter((e) => e.kind === 'paas' || e.identities.includes('adfs'));
  const picks = [...endpoints, endpoints[17], endpoints[18]].filter((e) => e !== undefined);
  const certificates: CertificateReport[] = picks.map((endpoint, i) => {
    const checks = CHECK_IDS.map((id, j) => {
      const status: CheckStatus = (i * 7 + j) % 23 === 0 ? 'fail' : (i + j) % 11 === 0 ? 'warning' : (i + j) % 13 === 0 ? 'skipped' : 'ok';
      return {
        id,
        status,
        message: `${id} of ${endpoint.name}: synthetic ${status} result with enough words to wrap in the detail panel.`,
        remediation: status === 'ok' ? '' : `Reissue the ${endpoint.name} certificate and package it again.`,
      };
    });
    const worst = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warning') ? 'warning' : 'ok';
    const file = `${endpoint.folder}/${i > 20 ? 'extra-' : ''}${endpoint.folder.replace(/\W+/g, '-').toLowerCase()}.pfx`;
    return {
      endpoint: i > 20 ? `${endpoint.name} (extra)` : endpoint.name,
      folder: endpoint.folder,
      file,
      status: worst,
      checks,
      leaf: {
        subject: `CN=${requiredNames(endpoint, region, fqdn)[0]}`,
        issuer: 'CN=Contoso Issuing CA 01, O=Contoso',
        sans: requiredNames(endpoint, region, fqdn),
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
        thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
      },
    };
  });
  return {
    schemaVersion: 1,
    root: '\\\\fileserver\\rotation\\Certificates',
    identity: 'adfs',
    region,
    fqdn,
    structure: { status: 'ok', problems: [] },
    certificates,
    summary: summarize(certificates),
  };
}

/** A `window.workbench` answering every call at once with empty data. */
function installCannedWorkbench(): void {
  const answers: Record<string, unknown> = {
    'app.getInfo': { version: 'bench', dataDir: '/bench', platform: 'linux', databasePath: '/bench/workbench.db' },
    'app.getSettings': { theme: 'system', lastShareFolder: null },
    'stamps.list': [],
    'validation.listRuns': [],
  };
  const domain = (name: string) =>
    new Proxy(
      {},
      { get: (_t, method) => async () => ({ ok: true, value: answers[`${name}.${String(method)}`] ?? {} }) },
    );
  Object.defineProperty(window, 'workbench', {
    value: { app: domain('app'), stamps: domain('stamps'), dialogs: domain('dialogs'), validation: domain('validation'), on: () => () => undefined },
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

interface LoadTiming {
  /** Navigation start → React committed the heading. */
  committed: number;
  /** Navigation start → the frame showing the heading was produced. */
  painted: number;
  /** Chromium's first contentful paint, for comparison. */
  fcp: number | null;
}

async function firstHeading(page: Page, url: string): Promise<LoadTiming> {
  await page.goto(url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, FIRST_HEADING_PAINTED_MARK);
  return page.evaluate(
    ([committedMark, paintedMark]) => ({
      committed: performance.getEntriesByName(committedMark)[0]?.startTime ?? NaN,
      painted: performance.getEntriesByName(paintedMark)[0]?.startTime ?? NaN,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    }),
    [FIRST_HEADING_MARK, FIRST_HEADING_PAINTED_MARK] as const,
  );
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  ensureRendererBuilt();
  const server = await startStaticServer(RENDERER_DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const url = `${server.origin}/index.html?bench`;
    const loads: LoadTiming[] = [];
    for (let i = 0; i < PAINT_RUNS; i += 1) {
      // A new context per run: no HTTP cache, no warmed V8 code cache from the previous page.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(installCannedWorkbench);
      loads.push(await firstHeading(page, url));
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.addInitScript(installCannedWorkbench);
    await firstHeading(page, url);
    await page.waitForFunction(() => typeof window.__benchRender === 'function');
    if (process.env.XCSS) await page.addStyleTag({ content: process.env.XCSS });
    const report = syntheticReport();
    const timings = [];
    for (let i = 0; i < TABLE_RUNS; i += 1) {
      timings.push(await page.evaluate((r) => (window.__benchRender as NonNullable<typeof window.__benchRender>)(r), report));
    }
    await context.close();
    const first = timings[0];
    if (!first || first.rows !== 23 || first.cells !== 23 * 14) {
      throw new Error(`the results table rendered ${first?.rows} rows and ${first?.cells} check cells, expected 23 and 322`);
    }

    const painted = loads.map((l) => l.painted);
    const headingMs = median(painted);
    const fcps = loads.map((l) => l.fcp).filter((v): v is number => v !== null);
    const commitMs = median(timings.map((t) => t.commitMs));
    const layoutMs = median(timings.map((t) => t.layoutMs));
    const lines = [
      `Renderer bench (Chromium ${browser.version()}, ${PAINT_RUNS} cold loads, ${TABLE_RUNS} table renders)`,
      `  first meaningful paint (navigation start → main heading painted): ${fmt(headingMs)} median` +
        ` (min ${fmt(Math.min(...painted))}, max ${fmt(Math.max(...painted))}); heading committed by React at ${fmt(median(loads.map((l) => l.committed)))}` +
        (fcps.length ? `, Chromium first contentful paint ${fmt(median(fcps))}` : ''),
      `    target < ${PAINT_TARGET_MS} ms: ${headingMs < PAINT_TARGET_MS ? 'met' : 'MISSED'}`,
      `  results table 23 certificates × 14 checks: React commit ${fmt(commitMs)} median (first ${fmt(first.commitMs)}, max ${fmt(Math.max(...timings.map((t) => t.commitMs)))}); with style and layout ${fmt(layoutMs)}`,
      `    target < ${TABLE_TARGET_MS} ms: ${layoutMs < TABLE_TARGET_MS ? 'met' : 'MISSED'}`,
    ];
    console.log(lines.join('\n'));
    if (check && (headingMs >= PAINT_TARGET_MS || layoutMs >= TABLE_TARGET_MS)) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
