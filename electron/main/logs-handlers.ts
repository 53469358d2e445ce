/**
 * Handlers of the log viewer, support bundle and review-mode channels, and the review-mode gate.
 *
 * While a bundle is open for review, log queries read its separate database and every channel that could
 * change state (a PEP action, a stamp edit, a new validation) is refused before its handler runs.
 */
import path from 'node:path';
import { isReviewSafeChannel, type LogFilter, type ReviewSummary } from '../../shared/ipc/logs-contract';
import type { IpcResult } from '../../shared/ipc/contract';
import { buildBundle, contentsOf, openReview, previewOf, reviewDashboard, reviewRotationRun, writeBundle, type OpenReview } from '../services/bundle/index';
import { AppError } from '../services/errors';
import { exportEvents } from '../services/logs/export-events';
import type { EventFilter, Store } from '../services/store/index';
import type { FileFilter } from './backend';
import type { IpcRegistry, Logger } from './ipc-registry';

/** What the log handlers need from the backend. */
export interface LogsHandlerContext {
  store: Store;
  dataDir: string;
  appVersion: string;
  logger: Logger;
  now: () => Date;
  /** Appends an audit event on the live store. */
  audit: (action: string, subject: string | null, detail?: Record<string, unknown>) => void;
  saveFile: (defaultName: string, filters: FileFilter[]) => Promise<string | null>;
  /** Asks for a file to open; absent where the host has no such dialog. */
  openFile?: (title: string, filters: FileFilter[]) => Promise<string | null>;
}

/** The registered feature: the review gate and its cleanup. */
export interface LogsFeature {
  /** The refusal for `channel` while a review is open, or null when it may run. */
  refuse(channel: string): IpcResult<never> | null;
  /** The open review, if any. */
  review(): ReviewSummary | null;
  /** Closes the review database. */
  close(): void;
}

function toEventFilter(filter: LogFilter): EventFilter {
  return {
    query: filter.query ?? null,
    stamp: filter.stamp ?? null,
    run: filter.run ?? null,
    levels: filter.levels ?? null,
    sources: filter.sources ?? null,
    since: filter.since ?? null,
    until: filter.until ?? null,
  };
}

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace(/[:T]/g, '-');

/**
 * Registers the `logs.*`, `bundle.*` and `review.*` handlers and applies the retention setting once.
 *
 * Retention runs here, at app start, because the log viewer is where an operator would notice a log
 * that grew for months.
 */
export function registerLogsHandlers(registry: IpcRegistry, ctx: LogsHandlerContext): LogsFeature {
  let review: OpenReview | null = null;
  const events = () => (review ? review.store.events : ctx.store.events);

  try {
    const pruned = ctx.store.events.applyRetention(ctx.now());
    if (pruned > 0) ctx.logger.warn(`Removed ${pruned} event(s) older than the ${ctx.store.events.retentionDays()}-day retention`);
  } catch (error) {
    ctx.logger.error('Could not apply the log retention', error);
  }

  registry.handle('logs.query', ({ filter, before, limit, withTotal }) => {
    const f = toEventFilter(filter);
    const page = events().page(f, { before: before ?? null, limit: limit ?? 200 });
    return { ...page, total: withTotal ? events().count(f) : null };
  });

  registry.handle('logs.facets', () => ({
    ...events().facets(),
    retentionDays: review ? review.store.events.retentionDays() : ctx.store.events.retentionDays(),
    review: review?.summary ?? null,
  }));

  registry.handle('logs.export', async ({ filter, format }) => {
    const name = `events-${review ? 'review-' : ''}${stamp(ctx.now())}.${format}`;
    const target = await ctx.saveFile(name, [format === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'JSON Lines', extensions: ['jsonl'] }]);
    if (!target) return { path: null, count: 0 };
    const count = await exportEvents(events(), toEventFilter(filter), format, target);
    if (!review) ctx.audit('logs.export', null, { format, path: target, count });
    return { path: target, count };
  });

  registry.handle('logs.setRetention', ({ days }) => {
    ctx.store.events.setRetentionDays(days, ctx.now().toISOString());
    const pruned = ctx.store.events.applyRetention(ctx.now());
    ctx.audit('logs.retention', 'settings', { days, pruned });
    return { days, pruned };
  });

  registry.handle('bundle.preview', ({ runs, mask }) => previewOf(buildBundle(ctx.store, { runs, mask, appVersion: ctx.appVersion, now: ctx.now() })));

  registry.handle('bundle.export', async ({ runs, mask }) => {
    const built = buildBundle(ctx.store, { runs, mask, appVersion: ctx.appVersion, now: ctx.now() });
    const preview = previewOf(built);
    const target = await ctx.saveFile(`support-bundle-${stamp(ctx.now())}.zip`, [{ name: 'Support bundle', extensions: ['zip'] }]);
    if (!target) return { path: null, preview };
    await writeBundle(built, target);
    ctx.audit('bundle.export', null, { path: target, runs: built.manifest.runs, masked: mask, events: built.manifest.eventCount });
    return { path: target, preview };
  });

  registry.handle('review.open', async ({ path: given }) => {
    let file = given;
    if (file === null) {
      if (!ctx.openFile) {
        throw new AppError('invalid-request', 'Enter the path of the bundle to open.', 'Paste the full path of the .zip file into the bundle field.');
      }
      file = await ctx.openFile('Open a support bundle for review', [{ name: 'Support bundle', extensions: ['zip'] }]);
      if (!file) throw new AppError('cancelled', 'No bundle was chosen.', 'Choose a support bundle (.zip) to review.');
    }
    const opened = await openReview(path.resolve(file), ctx.dataDir);
    review?.store.close();
    review = opened;
    ctx.audit('review.open', null, { bundle: opened.summary.bundlePath, events: opened.summary.eventCount });
    return opened.summary;
  });

  registry.handle('review.close', () => {
    if (!review) return { closed: false };
    review.store.close();
    review = null;
    return { closed: true };
  });

  registry.handle('review.status', () => ({ review: review?.summary ?? null }));

  // The bundle's own records, for every workspace while it is open; outside review mode there is nothing to read.
  const opened = (): OpenReview => {
    if (review) return review;
    throw new AppError('conflict', 'No support bundle is open for review.', 'Open a bundle in Logs ▸ Review a bundle first.');
  };
  registry.handle('review.contents', () => contentsOf(opened().contents));
  registry.handle('review.getValidationRun', ({ runId }) => {
    const found = opened().contents.validationRuns.find((r) => r.run.id === runId);
    if (!found) throw new AppError('not-found', `The bundle holds no validation run ${runId}.`, 'Choose a run from the bundle\'s history.');
    return found;
  });
  registry.handle('review.getRotationRun', ({ runId }) => {
    const found = reviewRotationRun(opened().contents, runId);
    if (!found) throw new AppError('not-found', `The bundle holds no rotation run ${runId}.`, 'Choose a run from the bundle\'s history.');
    return found;
  });
  registry.handle('review.dashboard', ({ stampId }) => reviewDashboard(opened().contents, stampId));

  return {
    refuse(channel) {
      // A malformed channel name goes on to the registry, which answers it with its usual refusal.
      if (!review || typeof channel !== 'string' || isReviewSafeChannel(channel)) return null;
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: `Review mode is read-only: "${channel}" is not available while the bundle ${review.summary.bundleName} is open.`,
          hint: 'Close review mode (Logs ▸ Close review) to work with your own stamps again.',
        },
      };
    },
    review: () => review?.summary ?? null,
    close() {
      review?.store.close();
      review = null;
    },
  };
}
