/**
 * `azs-rotate validate`: Readiness-Checker-equivalent validation of a share, a PaaS folder or one PFX.
 */
import type { Command } from 'commander';
import { validationRunSubject } from '../../../shared/audit/subjects';
import { CHECK_TITLES, reportHasFailures } from '../../../shared/certificates/report';
import type { CheckResult, ValidationReport } from '../../../shared/certificates/report';
import { findEndpoint } from '../../../shared/endpoints/catalog';
import type { CaKind } from '../../../shared/stamps/stamp';
import { CA_KINDS, fqdnProblem, regionProblem, versionProblem } from '../../../shared/stamps/stamp';
import { pathKind } from '../../services/certificates/fs-errors';
import type { Store } from '../../services/store';
import { cliActor } from '../actor';
import { PFX_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor, startProgress, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

interface ValidateOptions {
  region?: string;
  fqdn?: string;
  identity?: string;
  paasDir?: string;
  endpoint?: string;
  currentCa?: string;
  stampVersion?: string;
  checkCrl?: boolean;
  json?: boolean;
  passwordFile?: string;
  record?: boolean;
  stamp?: string;
}

function requireOption(value: string | undefined, flag: string, example: string): string {
  if (!value) throw new UsageError(`Missing ${flag} (for example ${flag} ${example}).`);
  return value;
}

function checkField(problem: string | null, flag: string): void {
  if (problem) throw new UsageError(`${flag}: ${problem}`);
}

/** Prints the human form of a report. */
export function printReport(report: ValidationReport): void {
  const c = colorsFor(process.stdout);
  const statusText = (s: string) => (s === 'ok' ? c.green('ok') : s === 'warning' ? c.yellow('warning') : s === 'fail' ? c.red('FAIL') : c.dim(s));
  const lines: string[] = [];
  lines.push(c.bold(`Validation of ${report.root}`) + ` (${report.identity?.toUpperCase() ?? 'single file'}, ${report.region}.${report.fqdn})`);
  if (report.structure.problems.length > 0) {
    lines.push('', c.bold('Folder tree problems:'));
    for (const p of report.structure.problems) lines.push(`  ${c.red(p.code.padEnd(17))} ${p.message}`);
  }
  if (report.certificates.length > 0) {
    lines.push('');
    const rows = report.certificates.map((cert) => {
      const notOk = cert.checks.filter((k) => k.status === 'fail' || k.status === 'warning').map((k) => k.id);
      return [cert.endpoint, cert.file, statusText(cert.status), cert.leaf ? cert.leaf.notAfter.slice(0, 10) : '-', notOk.join(', ') || '-'];
    });
    lines.push(table(['Endpoint', 'File', 'Status', 'Expires', 'Checks not ok'], rows, !!process.stdout.isTTY));
    // Identical findings (same check, message and fix) are shown once with the certificates they concern.
    const groups = new Map<string, { check: CheckResult; where: string[] }>();
    for (const cert of report.certificates) {
      for (const check of cert.checks.filter((k) => k.status === 'fail' || k.status === 'warning')) {
        const key = `${check.id}\u0000${check.status}\u0000${check.message}\u0000${check.remediation}`;
        const group = groups.get(key) ?? { check, where: [] };
        group.where.push(`${cert.endpoint} (${cert.file})`);
        groups.set(key, group);
      }
    }
    const ordered = [...groups.values()].sort((a, b) => (a.check.status === b.check.status ? 0 : a.check.status === 'fail' ? -1 : 1));
    if (ordered.length > 0) lines.push('', c.bold('Findings (failures first):'));
    for (const { check, where } of ordered) {
      const mark = check.status === 'fail' ? c.red('✗') : c.yellow('!');
      const scope = where.length === 1 ? where[0]! : `${where.length} certificates: ${where.map((w) => w.replace(/ \(.*\)$/, '')).join(', ')}`;
      lines.push('', `${mark} ${CHECK_TITLES[check.id]} (${check.id}) — ${scope}`, `    ${check.message}`);
      if (check.remediation) lines.push(`    ${c.dim('→')} ${check.remediation}`);
    }
  }
  const s = report.summary;
  const total = report.certificates.length;
  const structure = report.structure.status === 'ok' ? 'folder tree ok' : `folder tree: ${report.structure.problems.length} problem(s)`;
  const verdict = reportHasFailures(report) ? c.red('NOT READY') : c.green('READY');
  lines.push('', `${verdict}: ${total} certificate(s): ${s.ok} ok, ${s.warning} warning, ${s.fail} failed; ${structure}.`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Registers `validate`. */
export function registerValidate(program: Command): void {
  const command = program
    .command('validate')
    .summary('validate a certificate share (or one PFX) like the Readiness Checker')
    .description(
      'Validates a certificate share: <dir> is the Certificates folder or its AAD/ADFS child, or a single .pfx file with --endpoint.\n' +
        'Exit code 0 when nothing failed (warnings allowed), 1 when a check or the folder tree failed, 2 on usage errors or unreadable input.\n' +
        'The PFX password comes from --password-file, AZS_PFX_PASSWORD, or a hidden prompt.',
    )
    .argument('<dir-or-file>', 'Certificates folder, its AAD/ADFS child, or one .pfx file')
    .option('--region <region>', 'region of the stamp, e.g. east')
    .option('--fqdn <fqdn>', 'external domain, e.g. azurestack.contoso.com')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--paas-dir <dir>', 'folder with PaaS certificates (AppServices/DefaultDomain, DBAdapter, EventHubs, …)')
    .option('--endpoint <name>', 'with a single .pfx: the endpoint it is for (folder name, e.g. "Public Portal" or "EventHubs")')
    .option('--current-ca <kind>', `kind of CA of the current certificates: ${CA_KINDS.join(', ')}`)
    .option('--stamp-version <YYMM>', 'Azure Stack Hub version, e.g. 2108 (for the CA-transition check)')
    .option('--check-crl', "fetch each leaf's HTTP CRL (the only network access validate makes)")
    .option('--json', 'print the JSON report (schemaVersion 1)')
    .option('--record', "record the run in the app's database (see --data-dir), so the desktop app's history shows it")
    .option('--stamp <name>', 'with --record: the stamp profile the run belongs to (region, FQDN and identity default from it)');
  addSecretOptions(command, PFX_PASSWORD);
  command.addHelpText(
    'after',
    '\nExamples:\n  AZS_PFX_PASSWORD=… azs-rotate validate /mnt/share/Certificates --region east --fqdn azurestack.contoso.com --identity adfs\n' +
      '  azs-rotate validate portal.pfx --endpoint "Public Portal" --region east --fqdn azurestack.contoso.com --password-file pw.txt --json',
  );
  command.action(async (target: string, options: ValidateOptions, self: Command) => {
    if (options.stamp && !options.record) throw new UsageError('--stamp is used with --record (to file the run under a stamp).');
    // Loaded only when recording: the store pulls in SQLite and zod, which a plain validation does not need.
    const store = options.record ? (await import('../data-store')).openStore(self) : null;
    try {
      await runValidate(target, options, store);
    } finally {
      store?.close();
    }
  });
}

async function runValidate(target: string, options: ValidateOptions, store: Store | null): Promise<void> {
  const stamp = options.stamp && store ? store.stamps.findByName(options.stamp) : null;
  if (options.stamp && !stamp) throw new UsageError(`--stamp: no stamp profile named "${options.stamp}" in ${store!.dataDir}.`);
  const region = requireOption(options.region ?? stamp?.region, '--region', 'east');
  const fqdn = requireOption(options.fqdn ?? stamp?.externalFqdn, '--fqdn', 'azurestack.contoso.com');
  options.identity ??= stamp?.identity;
  options.currentCa ??= stamp && stamp.currentCaKind !== 'unknown' ? stamp.currentCaKind : undefined;
  options.stampVersion ??= stamp?.version;
  checkField(regionProblem(region), '--region');
  checkField(fqdnProblem(fqdn), '--fqdn');
  if (options.currentCa && !(CA_KINDS as readonly string[]).includes(options.currentCa)) {
    throw new UsageError(`--current-ca: "${options.currentCa}" is not one of ${CA_KINDS.join(', ')}.`);
  }
  if (options.stampVersion) checkField(versionProblem(options.stampVersion), '--stamp-version');
  const targetKind = pathKind(target);
  if (targetKind.kind === 'unreadable') throw new UsageError(targetKind.message);
  // --endpoint only makes sense for one file: a folder here is a mistyped file path, not a share to scan.
  if (options.endpoint && targetKind.kind === 'folder') {
    throw new UsageError(`${target} is a folder, not a PFX file: with --endpoint, give the path of the .pfx file inside it; to validate a whole share, leave out --endpoint and give --identity.`);
  }
  // A device or pipe goes the single-file way too: the file check then says it is no regular file.
  const isFile = targetKind.kind !== 'folder';
  const password = await readSecret(options as Record<string, unknown>, PFX_PASSWORD);
  const debug = process.argv.includes('--debug');
  // Date.now, not performance.now: the performance global loads perf_hooks, a few ms of every run.
  const started = Date.now();
  const common = {
    onPlan: debug
      ? (plan: { workers: number; callingThread: boolean; files: number }) =>
          process.stderr.write(`azs-rotate: reading ${plan.files} file(s) with ${plan.workers} worker thread(s)${plan.callingThread ? ' and the main thread' : ''}\n`)
      : undefined,
    region,
    fqdn,
    password,
    currentCa: (options.currentCa as CaKind | undefined) ?? null,
    stampVersion: options.stampVersion ?? null,
    checkCrl: options.checkCrl ?? false,
  };
  const startedAt = new Date().toISOString();
  // The engine (PFX reader, WebAssembly KDF, worker pool) loads when there is work for it, not for --help.
  const { sha1EngineInUse, validateFile, validateShare } = await import('../../services/certificates');
  if (debug) process.stderr.write(`azs-rotate: PKCS#12 key derivation: ${sha1EngineInUse() === 'wasm' ? 'WebAssembly' : 'JavaScript'} SHA-1 rounds\n`);
  const progress = options.json ? startProgress('Validating', Number.MAX_SAFE_INTEGER) : startProgress('Validating');
  let report: ValidationReport;
  try {
    if (isFile) {
      if (!options.endpoint) throw new UsageError('Validating a single file needs --endpoint NAME (e.g. "Public Portal", ACSBlob, EventHubs).');
      const endpoint = findEndpoint(options.endpoint);
      if (!endpoint) throw new UsageError(`--endpoint: "${options.endpoint}" is not an endpoint folder or PaaS name.`);
      report = await validateFile(target, endpoint, { ...common, onProgress: (p) => progress.update(p.done, p.total, p.file) });
    } else {
      const identity = requireOption(options.identity, '--identity', 'adfs');
      if (identity !== 'aad' && identity !== 'adfs') throw new UsageError(`--identity: "${identity}" is not aad or adfs.`);
      report = await validateShare({ ...common, root: target, identity, paasDir: options.paasDir ?? null, onProgress: (p) => progress.update(p.done, p.total, p.file) });
    }
  } finally {
    progress.stop();
  }
  if (debug) process.stderr.write(`azs-rotate: validated in ${Date.now() - started} ms\n`);
  if (store) {
    const { reportStatus } = await import('../../services/store');
    const runId = store.runs.record(
      {
        stampId: stamp?.id ?? null,
        root: target,
        identity: report.identity,
        region,
        fqdn,
        paasDir: options.paasDir ?? null,
        currentCa: options.currentCa ?? null,
        stampVersion: options.stampVersion ?? null,
        source: 'cli',
        startedAt,
      },
      { status: reportStatus(report), finishedAt: new Date().toISOString(), report },
    );
    store.audit.append({ actor: cliActor(), action: 'validation.recorded', subject: validationRunSubject(runId), detail: { root: target, status: reportStatus(report) } });
    if (!options.json) process.stderr.write(`Recorded as validation run ${runId} in ${store.databasePath}\n`);
  }
  if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else printReport(report);
  process.exitCode = reportHasFailures(report) ? EXIT.failures : EXIT.ok;
}
