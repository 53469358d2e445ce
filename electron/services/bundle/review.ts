/**
 * Review mode: a verified bundle loaded into its own database file, apart from the operator's data.
 *
 * The review database lives in `<data-dir>/review/` and holds only what the bundle carried; the app's own
 * stamps, runs and logs are never mixed with a customer's. Nothing here can reach a stamp: the backend
 * refuses every state-changing channel while a review is open.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EVENT_LEVELS, EVENT_SOURCES, RUN_KINDS, type LogEvent } from '../../../shared/logs/events';
import { Store } from '../store/index';
import type { EventInput } from '../store/index';
import { ENTRY, type BundleManifest } from './bundle-format';
import { isReviewedEntry, parseReviewContents, sourceStampsOf, type ParsedReview } from './review-contents';
import { verifyBundle } from './verify-bundle';

/** Folder of review databases inside the data folder. */
export const REVIEW_DIR = 'review';

/** What the review UI says about the open bundle. */
export interface ReviewSummary {
  bundlePath: string;
  bundleName: string;
  createdAt: string;
  appVersion: string;
  runs: string[];
  eventCount: number;
  masked: BundleManifest['redaction']['masked'];
  databasePath: string;
  /** The stamps the bundle is about: its profiles, else the stamps its runs and events name. */
  sourceStamps: string[];
}

/** An open review: its store, summary and the bundle's records besides the events. */
export interface OpenReview {
  store: Store;
  summary: ReviewSummary;
  contents: ParsedReview;
}

function toInput(value: unknown): EventInput | null {
  if (!value || typeof value !== 'object') return null;
  const e = value as Partial<LogEvent>;
  if (typeof e.at !== 'string' || typeof e.text !== 'string') return null;
  if (!(EVENT_LEVELS as readonly string[]).includes(String(e.level))) return null;
  if (!(EVENT_SOURCES as readonly string[]).includes(String(e.source))) return null;
  const run = e.run && (RUN_KINDS as readonly string[]).includes(String(e.run.kind)) && Number.isSafeInteger(e.run.id) ? e.run : null;
  return {
    at: e.at,
    level: e.level as LogEvent['level'],
    source: e.source as LogEvent['source'],
    category: typeof e.category === 'string' ? e.category : null,
    stamp: typeof e.stamp === 'string' ? e.stamp : null,
    run,
    text: e.text,
  };
}

/**
 * Verifies `bundleFile` and loads it into a fresh review database under `dataDir`.
 *
 * A refused bundle throws `BundleRefusedError` before any database is created. Importing the same bundle
 * again replaces its earlier review database.
 */
export async function openReview(bundleFile: string, dataDir: string): Promise<OpenReview> {
  const verified = await verifyBundle(bundleFile, { keep: isReviewedEntry });
  const events = verified.kept.get(ENTRY.events) ?? Buffer.alloc(0);
  const dir = path.join(dataDir, REVIEW_DIR);
  mkdirSync(dir, { recursive: true });
  const id = createHash('sha256').update(JSON.stringify(verified.manifest.entries)).digest('hex').slice(0, 12);
  const fileName = `review-${id}.db`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(dir, `${fileName}${suffix}`), { force: true });
  const store = Store.open({ dataDir: dir, fileName });
  // Rotation lines are kept for the runs whose records carry no events (bundles from earlier versions), and
  // every stamp name for a bundle without profiles.
  const kept: LogEvent[] = [];
  const eventStamps = new Set<string>();
  try {
    const inputs = function* (): Generator<EventInput> {
      for (const line of events.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        const input = toInput(parsed);
        if (!input) continue;
        if (input.stamp) eventStamps.add(input.stamp);
        if (input.run?.kind === 'rotation') {
          kept.push({ id: kept.length + 1, at: input.at ?? '', level: input.level, source: input.source, category: input.category ?? null, stamp: input.stamp ?? null, run: input.run, text: input.text });
        }
        yield input;
      }
    };
    store.events.ingest(inputs());
  } catch (error) {
    store.close();
    throw error;
  }
  const contents = parseReviewContents(verified.kept, verified.manifest.createdAt, kept);
  return {
    store,
    contents,
    summary: {
      bundlePath: path.resolve(bundleFile),
      bundleName: path.basename(bundleFile),
      createdAt: verified.manifest.createdAt,
      appVersion: verified.manifest.appVersion,
      runs: verified.manifest.runs,
      eventCount: verified.manifest.eventCount,
      masked: verified.manifest.redaction.masked,
      databasePath: store.databasePath,
      sourceStamps: sourceStampsOf(contents, eventStamps),
    },
  };
}
