/**
 * Validates a certificate share, a PaaS folder or a single PFX: the Readiness-Checker-equivalent report.
 *
 * Scans the folder tree, reads every PFX in worker threads, applies the share-wide rules (one password,
 * PaaS certificates chain to the hub's root) and the per-certificate rules, and returns the report of
 * the CLI contract (schemaVersion 1).
 */
import path from 'node:path';
import type { PfxFacts } from '../../../shared/certificates/facts';
import type { StructureProblem, ValidationReport } from '../../../shared/certificates/report';
import { summarize } from '../../../shared/certificates/report';
import type { RuleContext } from '../../../shared/certificates/rules';
import { certificateReport } from '../../../shared/certificates/rules';
import type { EndpointDefinition, IdentitySystem } from '../../../shared/endpoints/catalog';
import { requiredNames } from '../../../shared/endpoints/catalog';
import type { CaKind } from '../../../shared/stamps/stamp';
import { CrlFetcher } from './crl-fetch';
import type { ShareEntry } from './share-structure';
import { scanPaasFolder, scanShare } from './share-structure';
import type { ReadAllOptions } from './worker-pool';
import { readAllFacts } from './worker-pool';

/** Options shared by share and single-file validation. */
export interface CommonValidationOptions {
  readonly region: string;
  readonly fqdn: string;
  /** The share's PFX password; used in memory only. */
  readonly password: string;
  readonly currentCa?: CaKind | 'unknown' | null;
  readonly stampVersion?: string | null;
  readonly checkCrl?: boolean;
  readonly now?: Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: { done: number; total: number; file: string | null }) => void;
  /** Told how many worker threads read the files (diagnostics). */
  readonly onPlan?: ReadAllOptions['onPlan'];
  /** Whether the calling thread reads files too (default true; the Electron main process says false). */
  readonly useCallingThread?: boolean;
}

/** Options of {@link validateShare}. */
export interface ShareValidationOptions extends CommonValidationOptions {
  /** The `Certificates` folder or its `AAD`/`ADFS` child. */
  readonly root: string;
  readonly identity: IdentitySystem;
  readonly paasDir?: string | null;
}

interface Target {
  readonly entry: ShareEntry;
  readonly kind: 'mandatory' | 'paas';
}

async function judge(targets: readonly Target[], options: CommonValidationOptions): Promise<ValidationReport['certificates']> {
  const now = options.now ?? new Date();
  const total = targets.length;
  let done = 0;
  options.onProgress?.({ done, total, file: null });
  const facts: PfxFacts[] = await readAllFacts(
    targets.map((t) => ({ file: t.entry.absolutePath, displayName: t.entry.file })),
    options.password,
    {
      signal: options.signal,
      now,
      onPlan: options.onPlan,
      useCallingThread: options.useCallingThread,
      onDone: (index) => {
        done += 1;
        options.onProgress?.({ done, total, file: targets[index]!.entry.file });
      },
    },
  );
  if (options.checkCrl) {
    const fetcher = new CrlFetcher(now);
    await Promise.all(
      facts.map(async (f, i) => {
        const leaf = f.chain.leafIndex === null ? null : f.certificates[f.chain.leafIndex];
        const url = leaf?.crlUrls.find((u) => /^http:\/\//i.test(u));
        if (url) facts[i] = { ...f, crl: await fetcher.fetch(url) };
      }),
    );
  }
  const opened = facts.filter((f) => !f.openError).length;
  const hubRoots = facts.filter((f, i) => targets[i]!.kind === 'mandatory' && f.rootThumbprint).map((f) => f.rootThumbprint!);
  const hubRoot = mostCommon(hubRoots);
  return targets.map((target, i) => {
    const f = facts[i]!;
    const ctx: RuleContext = {
      endpoint: target.entry.endpoint,
      requiredNames: requiredNames(target.entry.endpoint, options.region, options.fqdn),
      password: options.password,
      now,
      currentCa: options.currentCa ?? null,
      stampVersion: options.stampVersion ?? null,
      checkCrl: options.checkCrl ?? false,
      hubRootThumbprint: target.kind === 'paas' ? hubRoot : null,
      othersOpenedWithPassword: f.openError ? opened : Math.max(0, opened - 1),
    };
    return certificateReport(f, ctx, { folder: target.entry.folder, file: target.entry.file });
  });
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}

function report(
  base: Pick<ValidationReport, 'root' | 'identity' | 'region' | 'fqdn'> & { paasRoot?: string },
  problems: StructureProblem[],
  certificates: ValidationReport['certificates'],
  now: Date,
): ValidationReport {
  return {
    schemaVersion: 1,
    ...base,
    generatedAt: now.toISOString(),
    structure: { status: problems.length > 0 ? 'fail' : 'ok', problems },
    certificates,
    summary: summarize(certificates),
  };
}

/**
 * Validates a whole share (and optionally a PaaS folder).
 *
 * Throws `ShareAccessError` when a root cannot be read at all; every other problem is in the report.
 */
export async function validateShare(options: ShareValidationOptions): Promise<ValidationReport> {
  const scan = scanShare(options.root, options.identity);
  const paas = options.paasDir ? scanPaasFolder(options.paasDir) : null;
  const targets: Target[] = [
    ...scan.entries.map((entry) => ({ entry, kind: 'mandatory' as const })),
    ...(paas?.entries ?? []).map((entry) => ({ entry, kind: 'paas' as const })),
  ];
  const certificates = await judge(targets, options);
  return report(
    { root: options.root, identity: options.identity, region: options.region, fqdn: options.fqdn, ...(options.paasDir ? { paasRoot: options.paasDir } : {}) },
    [...scan.problems, ...(paas?.problems ?? [])],
    certificates,
    options.now ?? new Date(),
  );
}

/** Validates one PFX file against one endpoint. */
export async function validateFile(file: string, endpoint: EndpointDefinition, options: CommonValidationOptions): Promise<ValidationReport> {
  const entry: ShareEntry = { endpoint, folder: endpoint.folder, file: path.basename(file), absolutePath: file };
  const certificates = await judge([{ entry, kind: endpoint.kind }], options);
  return report({ root: file, identity: null, region: options.region, fqdn: options.fqdn }, [], certificates, options.now ?? new Date());
}
