/**
 * `azs-rotate runs list|show`: the history of rotation runs, with their events.
 *
 * Before answering, runs left active by a process that died are marked `interrupted`, so history never
 * shows a dead run as still running.
 */
import type { Command } from 'commander';
import { interruptedLabel, type RunPhase, type RunState } from '../../../shared/rotation/rotation-run';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';
import { formatDuration } from './rotate';
import { withStore } from './stamp';

/** True for a run that pre-flight refused: it failed before anything was started on the stamp. */
function refused(run: { state: RunState; outcome: string | null }): boolean {
  return run.state === 'failed' && (run.outcome ?? '').startsWith('Pre-flight refused');
}

function stateText(state: RunState, c: ReturnType<typeof colorsFor>, wasRefused = false, phase: RunPhase | null = null): string {
  if (wasRefused) return c.red('failed (pre-flight refused)');
  switch (state) {
    case 'succeeded':
      return c.green(state);
    case 'failed':
      return c.red(state);
    case 'interrupted':
      // The phase it died in tells a run that changed nothing from one whose outcome is unknown.
      return c.yellow(interruptedLabel(phase));
    default:
      return state;
  }
}

function when(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '-';
}

/** Registers `runs` and its subcommands. */
export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .summary('history of rotation runs')
    .description('Rotation runs recorded in the app\'s database (--data-dir): state, times, ERCS used, action-plan id, events.')
    .addHelpText('after', '\nExamples:\n  azs-rotate runs list --stamp Lab\n  azs-rotate runs show 3 --json');

  runs
    .command('list')
    .summary('list rotation runs, newest first')
    .description('Lists rotation runs, newest first. States: draft, preflight, running, succeeded, failed, interrupted (its process died: outcome unknown, unless it died before the PEP was contacted).')
    .option('--stamp <name>', 'only the runs of this stamp profile')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate runs list --stamp Lab --json')
    .action(async (options: { stamp?: string; json?: boolean }, self: Command) => {
      const { reconcileInterrupted, runListJson } = await import('../../services/rotation');
      const list = await withStore(self, (store) => {
        reconcileInterrupted(store);
        return store.rotations.list(options.stamp ? { stampName: options.stamp } : {});
      });
      if (options.json || self.optsWithGlobals().json) {
        process.stdout.write(`${JSON.stringify(runListJson(list), null, 2)}\n`);
      } else if (list.length === 0) {
        process.stdout.write(options.stamp ? `No rotation runs of ${options.stamp} are recorded.\n` : 'No rotation runs are recorded.\n');
      } else {
        const c = colorsFor(process.stdout);
        const rows = list.map((r) => [
          String(r.id),
          r.stamp,
          r.kind + (r.rehearsal ? ' (rehearsal)' : ''),
          stateText(r.state, c, refused(r), r.phase),
          when(r.startedAt),
          r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : '-',
          r.ercs ?? '-',
          r.actionPlanInstanceId ?? '-',
          r.rerunOf === null ? '-' : String(r.rerunOf),
        ]);
        process.stdout.write(`${table(['ID', 'Stamp', 'Kind', 'State', 'Started', 'Took', 'ERCS', 'Action plan', 'Rerun of'], rows, !!process.stdout.isTTY)}\n${list.length} run(s).\n`);
      }
      process.exitCode = EXIT.ok;
    });

  runs
    .command('show')
    .summary('show one rotation run with its events')
    .description('Shows a rotation run and every event recorded for it, in order.')
    .argument('<id>', 'the run id (see runs list)')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate runs show 3')
    .action(async (idText: string, options: { json?: boolean }, self: Command) => {
      if (!/^\d+$/.test(idText)) throw new UsageError(`"${idText}" is not a run id (a number; see runs list).`);
      const { reconcileInterrupted, runJson, interruptedGuidance } = await import('../../services/rotation');
      const { run, events, dataDir } = await withStore(self, (store) => {
        reconcileInterrupted(store);
        const found = store.rotations.get(Number(idText));
        return { run: found, events: found ? store.rotations.events(found.id) : [], dataDir: store.dataDir };
      });
      if (!run) throw new UsageError(`No rotation run ${idText} in ${dataDir} (see runs list).`);
      if (options.json || self.optsWithGlobals().json) {
        process.stdout.write(`${JSON.stringify(runJson(run, events), null, 2)}\n`);
        process.exitCode = EXIT.ok;
        return;
      }
      const c = colorsFor(process.stdout);
      const lines = [
        c.bold(`Run ${run.id}: ${run.kind} rotation of ${run.stamp}`) + (run.rehearsal ? c.yellow(` — REHEARSAL (${run.scenario})`) : ''),
        `  State          ${stateText(run.state, c, refused(run), run.phase)}`,
        `  Started        ${when(run.startedAt)}`,
        `  Ended          ${when(run.endedAt)}`,
        `  ERCS           ${run.ercs ?? '-'}`,
        `  Action plan    ${run.actionPlanInstanceId ?? '-'}`,
        `  Rerun of       ${run.rerunOf ?? '-'}`,
        `  Outcome        ${run.outcome ?? '-'}`,
      ];
      if (run.state === 'interrupted') lines.push(`  ${c.dim('→')} ${interruptedGuidance(run)}`);
      lines.push('', table(['Seq', 'Time', 'Level', 'Type', 'Text'], events.map((e) => [String(e.seq), e.at.slice(11, 19), e.level, e.type, e.text.replace(/\s*\n\s*/g, ' ⏎ ')]), !!process.stdout.isTTY));
      lines.push(`${events.length} event(s).`);
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = EXIT.ok;
    });

  for (const sub of runs.commands) sub.exitOverride();
}
