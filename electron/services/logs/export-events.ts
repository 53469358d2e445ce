/**
 * Writes filtered events to a CSV or JSON Lines file, streaming, for `logs export` and the viewer's Export.
 *
 * Rows are read lazily from the store and written in batches with back-pressure, so exporting a million
 * events needs memory for one batch, not for the whole log. Text passes the secret redaction once more:
 * an export is a file that leaves the app.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { formatRunRef, type LogEvent } from '../../../shared/logs/events';
import { AppError } from '../errors';
import type { EventFilter, EventsRepository } from '../store/index';
import { redactText } from './redact-text';

/** Export file formats. */
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
/** An export file format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Column order of the CSV export. */
export const CSV_COLUMNS = ['id', 'at', 'level', 'source', 'category', 'stamp', 'run', 'text'] as const;

const BATCH = 2000;

function row(e: LogEvent): (string | number)[] {
  return [e.id, e.at, e.level, e.source, e.category ?? '', e.stamp ?? '', e.run ? formatRunRef(e.run) : '', redactText(e.text)];
}

function format(batch: LogEvent[], kind: ExportFormat, header: boolean): string {
  if (kind === 'jsonl') return batch.map((e) => JSON.stringify({ ...e, text: redactText(e.text) })).join('\n') + (batch.length > 0 ? '\n' : '');
  // Excel and LibreOffice open a UTF-8 CSV correctly only with a byte order mark.
  return (header ? '\ufeff' : '') + stringify(batch.map(row), { header, columns: header ? [...CSV_COLUMNS] : undefined });
}

function write(out: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    out.once('error', onError);
    const flushed = out.write(text, 'utf8');
    const done = () => {
      out.off('error', onError);
      resolve();
    };
    if (flushed) done();
    else out.once('drain', done);
  });
}

/**
 * Writes every event matching `filter` (oldest first) to `file`; returns how many.
 *
 * The file appears only when complete (written under a temporary name first). Write errors become
 * `io-error` naming the file.
 */
export async function exportEvents(events: EventsRepository, filter: EventFilter, kind: ExportFormat, file: string): Promise<number> {
  const temp = `${file}.partial`;
  const out = createWriteStream(temp);
  let count = 0;
  try {
    let batch: LogEvent[] = [];
    let first = true;
    const flush = async () => {
      await write(out, format(batch, kind, first && kind === 'csv'));
      first = false;
      batch = [];
    };
    for (const e of events.iterate(filter)) {
      batch.push(e);
      count += 1;
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0 || first) await flush();
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    await rename(temp, file);
    return count;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('io-error', `Could not write ${file}${code ? ` (${code})` : ''}.`, 'Choose a folder you can write to with enough free space.', { cause: error });
  }
}
