/**
 * Builds a support bundle: the selected runs' events and records, stamp profiles, the environment and a
 * SHA-256 manifest, all through one redaction pass, then writes it as a zip.
 *
 * Building and writing are separate steps so the operator's preview (`bundle.preview`, `bundle create
 * --dry-run`) shows exactly the entries that would leave, redacted, without writing anything.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { arch, release } from 'node:os';
import yazl from 'yazl';
import { formatRunRef, type LogEvent, type RunRef } from '../../../shared/logs/events';
import { AppError } from '../errors';
import { redactText } from '../logs/redact-text';
import type { EventFilter, Store } from '../store/index';
import { BUNDLE_FORMAT, ENTRY, MANIFEST_NAME, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES, type BundleManifest } from './bundle-format';
import { createRedactor, type MaskCounts, type MaskOptions } from './redaction';

/** What to put in a bundle. */
export interface BundleRequest {
  /** The runs to include; empty for every event in the store (within retention). */
  runs: readonly RunRef[];
  mask: MaskOptions;
  appVersion: string;
  now?: Date;
  /** Per-entry limit (default: the reader's `MAX_ENTRY_BYTES`); tests lower it. */
  maxEntryBytes?: number;
}

/** One entry of a built bundle. */
export interface BundleEntry {
  name: string;
  content: Buffer;
  sha256: string;
}

/** A bundle built in memory, ready to preview or write. */
export interface BuiltBundle {
  manifest: BundleManifest;
  entries: BundleEntry[];
}

/** What the operator sees before the bundle leaves: entries, sizes, counts and a redacted sample. */
export interface BundlePreview {
  entries: { name: string; size: number }[];
  eventCount: number;
  runs: string[];
  masked: MaskOptions;
  maskedCounts: MaskCounts;
  /** The first redacted event lines, as they will be in `events.jsonl`. */
  sample: string[];
  totalBytes: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function entry(name: string, content: Buffer | string): BundleEntry {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, content: buffer, sha256: sha256(buffer) };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Collects and redacts everything the bundle holds.
 *
 * Unknown runs (no record and no events) are refused (`not-found`) rather than silently left out: an
 * operator who names run 12 expects its transcript in the bundle.
 */
export function buildBundle(store: Store, request: BundleRequest): BuiltBundle {
  const now = request.now ?? new Date();
  const stamps = store.stamps.list();
  const rotationRuns = request.runs.filter((r) => r.kind === 'rotation').map((r) => ({ ref: r, run: store.rotations.get(r.id) }));
  const validationRuns = request.runs.filter((r) => r.kind === 'validation').map((r) => ({ ref: r, run: store.runs.get(r.id) }));
  // A run whose record is gone but whose events are kept (an older database, a pruned history) still counts.
  const missing = [...rotationRuns, ...validationRuns]
    .filter((r) => r.run === null && store.events.page({ run: r.ref }, { limit: 1 }).events.length === 0)
    .map((r) => formatRunRef(r.ref));
  if (missing.length > 0) {
    throw new AppError('not-found', `No such run: ${missing.join(', ')}.`, 'List runs with `azs-rotate runs list`, or pick them again in the app.');
  }
  // One pass per run: each walks the run index in id order, where one OR over all runs would make SQLite
  // sort the remaining matches again for every batch. The runs are then merged back into arrival order.
  const unique = [...new Map(request.runs.map((run) => [formatRunRef(run), run])).values()];
  const filters: EventFilter[] = unique.length === 0 ? [{}] : unique.map((run) => ({ run }));
  const collected: LogEvent[] = [];
  for (const filter of filters) for (const event of store.events.iterate(filter)) collected.push(event);
  if (filters.length > 1) collected.sort((a, b) => a.id - b.id);
  const stampNames = new Set<string>();
  for (const r of rotationRuns) if (r.run) stampNames.add(r.run.stamp.toLowerCase());
  for (const r of validationRuns) if (r.run?.run.stampName) stampNames.add(r.run.run.stampName.toLowerCase());
  // Stamps named by the runs' records or by their events (a run whose record is gone still names its stamp).
  for (const e of collected) if (e.stamp) stampNames.add(e.stamp.toLowerCase());
  const chosenStamps = request.runs.length === 0 ? stamps : stamps.filter((s) => stampNames.has(s.name.toLowerCase()));

  const redactor = createRedactor(request.mask, {
    hosts: stamps.flatMap((s) => [s.externalFqdn, `${s.region}.${s.externalFqdn}`]),
    users: rotationRuns.flatMap((r) =>
      Object.entries(r.run?.parameters ?? {})
        .filter(([k, v]) => /user/i.test(k) && typeof v === 'string')
        .map(([, v]) => String(v).replace(/^.*\\/, '')),
    ),
  });

  const lines = collected.map((event) =>
    JSON.stringify({
      ...event,
      // Categories are the app's own event names (`stamp.info`, `share.test`): masking them as host names
      // would make the bundle unreadable, and they never hold names of the customer's.
      category: event.category === null ? null : redactText(event.category),
      stamp: event.stamp === null ? null : redactor.text(event.stamp),
      text: redactor.text(event.text),
    }),
  );
  const eventCount = lines.length;
  const entries: BundleEntry[] = [entry(ENTRY.events, lines.length === 0 ? '' : `${lines.join('\n')}\n`)];
  for (const r of rotationRuns) {
    // The run's own events carry the parser's facts (action-plan steps, stamp information) that the lines of
    // events.jsonl do not, so a reviewer sees the run as its operator did.
    if (r.run) entries.push(entry(`runs/rotation-${r.ref.id}.json`, json(redactor.value({ ...r.run, events: store.rotations.events(r.ref.id) }))));
  }
  for (const r of validationRuns) {
    if (r.run) entries.push(entry(`runs/validation-${r.ref.id}.json`, json(redactor.value({ run: r.run.run, report: r.run.report, error: r.run.error }))));
  }
  const checklists = store.events.checklistStates(request.runs.length === 0 ? null : [...stampNames]);
  if (checklists !== null) entries.push(entry(ENTRY.checklists, json(redactor.value(checklists))));
  // Stamp profiles hold no secrets by design; the redactor still masks their names and addresses when asked.
  entries.push(entry(ENTRY.stamps, json(redactor.value(chosenStamps))));
  entries.push(
    entry(
      ENTRY.environment,
      json({
        appVersion: request.appVersion,
        schemaVersion: store.schemaVersion,
        platform: process.platform,
        osRelease: release(),
        arch: arch(),
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        createdAt: now.toISOString(),
      }),
    ),
  );
  // A bundle its own reader would refuse is worse than none: the support engineer would get nothing.
  const maxEntry = request.maxEntryBytes ?? MAX_ENTRY_BYTES;
  const tooBig = entries.find((e) => e.content.length > maxEntry);
  const totalBytes = entries.reduce((sum, e) => sum + e.content.length, 0);
  if (tooBig || totalBytes > MAX_TOTAL_BYTES) {
    throw new AppError(
      'conflict',
      tooBig
        ? `The bundle's ${tooBig.name} would be ${tooBig.content.length} bytes, above the ${maxEntry}-byte limit a bundle reader accepts.`
        : `The bundle would unpack to ${totalBytes} bytes, above the ${MAX_TOTAL_BYTES}-byte limit a bundle reader accepts.`,
      'Choose the runs the support case is about instead of every event, or shorten log retention first.',
    );
  }
  const manifest: BundleManifest = {
    schemaVersion: 1,
    format: BUNDLE_FORMAT,
    createdAt: now.toISOString(),
    appVersion: request.appVersion,
    runs: request.runs.map(formatRunRef),
    eventCount,
    redaction: { secrets: true, masked: { ...request.mask }, counts: redactor.counts() },
    entries: entries.map((e) => ({ name: e.name, size: e.content.length, sha256: e.sha256 })),
  };
  return { manifest, entries };
}

/** The preview of a built bundle. */
export function previewOf(bundle: BuiltBundle, sampleLines = 20): BundlePreview {
  const events = bundle.entries.find((e) => e.name === ENTRY.events);
  const sample: string[] = [];
  if (events) {
    let start = 0;
    const text = events.content;
    while (sample.length < sampleLines && start < text.length) {
      const end = text.indexOf(0x0a, start);
      sample.push(text.subarray(start, end === -1 ? text.length : end).toString('utf8'));
      if (end === -1) break;
      start = end + 1;
    }
  }
  return {
    entries: [...bundle.entries.map((e) => ({ name: e.name, size: e.content.length })), { name: MANIFEST_NAME, size: Buffer.byteLength(json(bundle.manifest)) }],
    eventCount: bundle.manifest.eventCount,
    runs: bundle.manifest.runs,
    masked: bundle.manifest.redaction.masked,
    maskedCounts: bundle.manifest.redaction.counts,
    sample,
    totalBytes: bundle.entries.reduce((n, e) => n + e.content.length, 0),
  };
}

/**
 * Writes the bundle to `file` (through a temporary name, so a failed write never leaves a half bundle).
 *
 * Write errors become `io-error` naming the file.
 */
export async function writeBundle(bundle: BuiltBundle, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(bundle.manifest.createdAt);
  zip.addBuffer(Buffer.from(json(bundle.manifest), 'utf8'), MANIFEST_NAME, { mtime });
  // Event text compresses well but costs time; level 6 is zlib's balance and keeps 100k events under a second.
  for (const e of bundle.entries) zip.addBuffer(e.content, e.name, { mtime, compressionLevel: 6 });
  zip.end();
  const temp = `${file}.partial`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(temp);
      out.on('error', reject);
      out.on('close', () => resolve());
      zip.outputStream.on('error', reject);
      zip.outputStream.pipe(out);
    });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('io-error', `Could not write the bundle ${file}${code ? ` (${code})` : ''}.`, 'Choose a folder you can write to with enough free space.', { cause: error });
  }
}
