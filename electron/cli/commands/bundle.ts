/**
 * `azs-rotate bundle create|verify|open-summary`: redacted support bundles with a SHA-256 manifest.
 *
 * `create --dry-run` shows what would leave (entries, sizes, masked counts, a redacted sample) without
 * writing; `verify` and `open-summary` exit 1 on a tampered, truncated or unsafe bundle.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { printable } from '../../../shared/lib/printable';
import { parseRunRef, type RunRef } from '../../../shared/logs/events';
import type { BundlePreview, BundleRefusedError } from '../../services/bundle';
import { recordCliAudit } from '../actor';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

declare const __APP_VERSION__: string | undefined;

const appVersion = () => (typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev');

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function parseRuns(values: readonly string[]): RunRef[] {
  return values.map((v) => {
    const run = parseRunRef(v);
    if (!run) throw new UsageError(`--run: "${v}" is not a run id (12, rotation:12 or validation:5).`);
    return run;
  });
}

function printPreview(preview: BundlePreview, file: string | null): void {
  const c = colorsFor(process.stdout);
  const lines = [
    file ? `Wrote ${file}` : c.bold('Dry run: nothing was written. The bundle would hold:'),
    ...preview.entries.map((e) => `  ${e.name.padEnd(36)} ${String(e.size).padStart(10)} bytes`),
    `${preview.eventCount} event(s); runs: ${preview.runs.length > 0 ? preview.runs.join(', ') : 'all'}.`,
    `Secrets removed. Masked: ${(['ips', 'hosts', 'users'] as const).map((k) => (preview.masked[k] ? `${k} (${preview.maskedCounts[k]} distinct)` : `${k} no`)).join(', ')}.`,
  ];
  if (!file && preview.sample.length > 0) lines.push(c.dim('First events as they would leave:'), ...preview.sample.slice(0, 10).map((s) => c.dim(`  ${s}`)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function refusedOr<T>(work: () => Promise<T>, json: boolean): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    const { BundleRefusedError: Refused } = await import('../../services/bundle');
    if (error instanceof Refused) {
      const refused = error as BundleRefusedError;
      if (json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, ok: false, problem: refused.problem, message: refused.message }, null, 2)}\n`);
      process.stderr.write(`azs-rotate: bundle refused: ${refused.message}\n`);
      process.exitCode = EXIT.failures;
      return null;
    }
    const e = error as { code?: string; message: string; hint?: string };
    if (e.code === 'io-error' || e.code === 'not-found') throw new UsageError(`${e.message}${e.hint ? ` ${e.hint}` : ''}`);
    throw error;
  }
}

/** Registers `bundle create`, `bundle verify` and `bundle open-summary`. */
export function registerBundle(program: Command): void {
  const bundle = program.command('bundle').summary('support bundles: create, verify, summarise').description('Redacted support bundles (zip) with a SHA-256 manifest of every entry.');

  bundle
    .command('create')
    .summary('export a redacted support bundle')
    .option('--out <file.zip>', 'bundle file to write')
    .option('--run <id...>', 'runs to include (12 or rotation:12, validation:5); repeat or comma-separate; default all events', collect)
    .option('--mask <list>', 'also mask: comma list of ips,hosts,users (each value becomes a stable token such as host-1)')
    .option('--dry-run', 'show what would leave, write nothing')
    .option('--json', 'print the summary as JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate bundle create --out support.zip --run 12 --mask ips,hosts,users\n  azs-rotate bundle create --run 12 --dry-run --json')
    .action(async (options: { out?: string; run?: string[]; mask?: string; dryRun?: boolean; json?: boolean }, self: Command) => {
      if (!options.out && !options.dryRun) throw new UsageError('Missing --out FILE.zip (or --dry-run to preview).');
      if (options.out && !/\.zip$/i.test(options.out)) throw new UsageError(`--out: "${options.out}" should end in .zip.`);
      const runs = parseRuns(options.run ?? []);
      const { buildBundle, previewOf, writeBundle, parseMaskList, NO_MASKING } = await import('../../services/bundle');
      const parsed = options.mask ? parseMaskList(options.mask) : { mask: NO_MASKING, unknown: [] };
      if (parsed.unknown.length > 0) throw new UsageError(`--mask: unknown kind(s) ${parsed.unknown.join(', ')}; use ips, hosts, users.`);
      const { openStore } = await import('../data-store');
      const store = openStore(self);
      const result = await refusedOr(async () => {
        try {
          store.events.applyRetention(new Date());
          const built = buildBundle(store, { runs, mask: parsed.mask, appVersion: appVersion() });
          if (options.out && !options.dryRun) {
            await writeBundle(built, options.out);
            // As the app's Export bundle records it: what left, with which runs and masks (a dry run writes nothing).
            recordCliAudit(store, 'bundle.export', null, { path: path.resolve(options.out), runs: built.manifest.runs, masked: parsed.mask, events: built.manifest.eventCount });
          }
          return previewOf(built);
        } finally {
          store.close();
        }
      }, false);
      if (!result) return;
      const written = options.out && !options.dryRun ? options.out : null;
      if (options.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dryRun: !written, file: written, ...result }, null, 2)}\n`);
      else printPreview(result, written);
      process.exitCode = EXIT.ok;
    });

  bundle
    .command('verify')
    .summary('check a bundle against its manifest')
    .argument('<file.zip>', 'the bundle')
    .option('--json', 'print JSON (schemaVersion 1)')
    .description('Refuses (exit 1) a bundle with a changed, missing or extra entry, a truncated zip, an unsafe entry name (../, absolute, backslash), an entry that is not a plain file (a symbolic link, a device), a duplicate name or an oversized entry.')
    .action(async (file: string, options: { json?: boolean }) => {
      const { verifyBundle } = await import('../../services/bundle');
      const verified = await refusedOr(() => verifyBundle(file), !!options.json);
      if (!verified) return;
      if (options.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, ok: true, entries: verified.manifest.entries }, null, 2)}\n`);
      else process.stdout.write(`OK: ${verified.manifest.entries.length + 1} entries match the manifest of ${printable(file)}.\n`);
      process.exitCode = EXIT.ok;
    });

  bundle
    .command('open-summary')
    .summary('verify a bundle and summarise what it holds')
    .argument('<file.zip>', 'the bundle')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (file: string, options: { json?: boolean }) => {
      const { verifyBundle } = await import('../../services/bundle');
      const verified = await refusedOr(() => verifyBundle(file), !!options.json);
      if (!verified) return;
      const m = verified.manifest;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ schemaVersion: 1, ok: true, createdAt: m.createdAt, appVersion: m.appVersion, runs: m.runs, eventCount: m.eventCount, redaction: m.redaction, entries: m.entries }, null, 2)}\n`);
      } else {
        const c = colorsFor(process.stdout);
        const masked = (['ips', 'hosts', 'users'] as const).filter((k) => m.redaction.masked[k]);
        // The manifest's free-text fields come from whoever made the bundle: shown escaped, like the names.
        process.stdout.write(
          [
            `${c.green('Verified')} ${printable(file)}`,
            `Created ${printable(m.createdAt, 80)} by Rotation Workbench ${printable(m.appVersion, 80)}`,
            `Runs: ${m.runs.length > 0 ? m.runs.map((r) => printable(r, 80)).join(', ') : 'all'} · ${m.eventCount} event(s)`,
            `Redaction: secrets removed; masked ${masked.length > 0 ? masked.join(', ') : 'nothing else'}`,
            ...m.entries.map((e) => `  ${e.name.padEnd(36)} ${String(e.size).padStart(10)} bytes  ${c.dim(e.sha256.slice(0, 16))}`),
          ].join('\n') + '\n',
        );
      }
      process.exitCode = EXIT.ok;
    });
  // The program's exit override covers its direct children only; usage errors here must not exit either.
  for (const command of bundle.commands) command.exitOverride();
}
