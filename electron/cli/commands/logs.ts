/**
 * `azs-rotate logs search|export`: full-text search and export of the event store.
 *
 * Both apply the retention setting first, so the CLI never shows or exports what the app would already
 * have pruned.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { EVENT_LEVELS, formatRunRef, isEventLevel, parseRunRef, parseSearchTerms, type LogEvent } from '../../../shared/logs/events';
import type { EventFilter } from '../../services/store';
import { recordCliAudit } from '../actor';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

interface FilterFlags {
  stamp?: string;
  run?: string;
  level?: string;
  since?: string;
  until?: string;
}

/** Turns the shared filter flags into a store filter, refusing malformed values with a usage error. */
export function filterFromFlags(flags: FilterFlags, query: string | null): EventFilter {
  // A query of only quotes or stars would otherwise match every event, which reads as "found it".
  if (query !== null && parseSearchTerms(query).length === 0) {
    throw new UsageError(`the query ${JSON.stringify(query)} has no word to search for: give at least one letter or digit (words, "a phrase", prefix*).`);
  }
  const filter: EventFilter = { query };
  if (flags.stamp) filter.stamp = flags.stamp;
  if (flags.run) {
    const run = parseRunRef(flags.run);
    if (!run) throw new UsageError(`--run: "${flags.run}" is not a run id (12, rotation:12 or validation:5).`);
    filter.run = run;
  }
  if (flags.level) {
    const level = flags.level.toLowerCase();
    if (!isEventLevel(level)) throw new UsageError(`--level: "${flags.level}" is not one of ${EVENT_LEVELS.join(', ')}.`);
    filter.minLevel = level;
  }
  for (const key of ['since', 'until'] as const) {
    const value = flags[key];
    if (!value) continue;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) throw new UsageError(`--${key}: "${value}" is not an ISO-8601 time (e.g. 2026-01-31 or 2026-01-31T08:00:00Z).`);
    filter[key] = time.toISOString();
  }
  return filter;
}

function addFilterOptions(command: Command): Command {
  return command
    .option('--stamp <name>', 'only events of this stamp profile')
    .option('--run <id>', 'only events of this run (12 or rotation:12 for a rotation run, validation:5 for a validation run)')
    .option('--level <level>', `this level and more severe (${EVENT_LEVELS.join(', ')})`)
    .option('--since <iso>', 'only events at or after this time')
    .option('--until <iso>', 'only events before this time');
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--limit: "${value}" is not a whole number from 1 to 1000.`);
  return n;
}

function line(e: LogEvent, c: ReturnType<typeof colorsFor>): string {
  const level = e.level === 'error' ? c.red(e.level.padEnd(7)) : e.level === 'warning' ? c.yellow(e.level.padEnd(7)) : c.dim(e.level.padEnd(7));
  const where = [e.stamp, e.run ? formatRunRef(e.run) : null].filter(Boolean).join(' ');
  return `${c.dim(e.at)} ${level} ${e.source.padEnd(11)} ${where ? `${c.cyan(where)} ` : ''}${e.text.replace(/\s*\n\s*/g, ' ⏎ ')}`;
}

/** Registers `logs search` and `logs export`. */
export function registerLogs(program: Command): void {
  const logs = program.command('logs').summary('search and export the event store').description('Full-text search and export of every event the app and the CLI recorded (validation runs, preparation, checklists, PEP transcripts, app errors).');

  addFilterOptions(
    logs
      .command('search')
      .summary('full-text search, newest first')
      .argument('<query>', 'words that must all appear; "quoted phrase"; prefix*')
      .option('--limit <n>', 'at most this many events (1-1000, default 50)')
      .option('--json', 'print JSON (schemaVersion 1)'),
  )
    .addHelpText('after', '\nExample:\n  azs-rotate logs search "action plan" --stamp "Contoso East" --level warning --since 2026-01-01')
    .action(async (query: string, options: FilterFlags & { limit?: string; json?: boolean }, self: Command) => {
      const filter = filterFromFlags(options, query);
      const limit = parseLimit(options.limit);
      const { openStore } = await import('../data-store');
      const store = openStore(self);
      try {
        store.events.applyRetention(new Date());
        const total = store.events.count(filter);
        const events = store.events.page(filter, { limit }).events;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ schemaVersion: 1, total, events }, null, 2)}\n`);
        } else {
          const c = colorsFor(process.stdout);
          const out = events.map((e) => line(e, c));
          out.push(c.dim(`${events.length} of ${total} matching event(s)${total > events.length ? ` (newest first; --limit to see more)` : ''}.`));
          process.stdout.write(`${out.join('\n')}\n`);
        }
      } finally {
        store.close();
      }
      process.exitCode = EXIT.ok;
    });

  addFilterOptions(
    logs
      .command('export')
      .summary('write matching events to CSV or JSON Lines')
      .requiredOption('--format <csv|jsonl>', 'file format')
      .requiredOption('--out <file>', 'file to write')
      .option('--query <text>', 'full-text query, as for logs search')
      .option('--json', 'print a JSON summary'),
  )
    .addHelpText('after', '\nExample:\n  azs-rotate logs export --format csv --out rotation-12.csv --run 12')
    .action(async (options: FilterFlags & { format: string; out: string; query?: string; json?: boolean }, self: Command) => {
      if (options.format !== 'csv' && options.format !== 'jsonl') throw new UsageError(`--format: "${options.format}" is not csv or jsonl.`);
      const filter = filterFromFlags(options, options.query ?? null);
      const { openStore } = await import('../data-store');
      const { exportEvents } = await import('../../services/logs/export-events');
      const store = openStore(self);
      let count: number;
      try {
        store.events.applyRetention(new Date());
        count = await exportEvents(store.events, filter, options.format, options.out);
        // As the app's Export records it.
        recordCliAudit(store, 'logs.export', null, { format: options.format, path: path.resolve(options.out), count });
      } catch (error) {
        const e = error as { code?: string; message: string; hint?: string };
        if (e.code === 'io-error') throw new UsageError(`${e.message}${e.hint ? ` ${e.hint}` : ''}`);
        throw error;
      } finally {
        store.close();
      }
      if (options.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, file: options.out, format: options.format, count }, null, 2)}\n`);
      else process.stdout.write(`Wrote ${count} event(s) to ${options.out}.\n`);
      process.exitCode = EXIT.ok;
    });
  // The program's exit override covers its direct children only; usage errors here must not exit either.
  for (const command of logs.commands) command.exitOverride();
}
