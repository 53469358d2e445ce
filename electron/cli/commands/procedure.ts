/**
 * `azs-rotate procedure`: the guided checklists headless — start one for a stamp, show it with its
 * rendered commands, confirm steps, export the runbook.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Checklist, ChecklistStep } from '../../../shared/procedures/checklist';
import { procedure } from '../../../shared/procedures/definitions';
import { PROCEDURE_IDS, type ProcedureId } from '../../../shared/procedures/model';
import { acceptedKeys, unknownParameterKeys } from '../../../shared/procedures/render';
import { VERIFIER_LABELS } from '../../../shared/procedures/verifiers';
import type * as ProceduresApi from '../../services/procedures/index';
import type { Store } from '../../services/store/index';
import { cliActor } from '../actor';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

declare const __APP_VERSION__: string | undefined;

const GLYPH: Record<ChecklistStep['status'], string> = { done: '[x]', failed: '[!]', waiting: '[…]', blocked: '[-]', open: '[ ]' };


async function withProcedures<T>(self: Command, fn: (store: Store, ctx: ProceduresApi.ProcedureContext, api: typeof ProceduresApi) => T | Promise<T>): Promise<T> {
  // The services and the store (native SQLite) load only when a command runs, keeping start-up fast.
  const api = await import('../../services/procedures/index');
  const { openStore } = await import('../data-store');
  const store = openStore(self);
  try {
    return await fn(store, { store, actor: cliActor(), now: () => new Date() }, api);
  } catch (error) {
    const e = error as { code?: string; hint?: string; message: string };
    // Service refusals are written for the operator; the CLI shows them as one line, like other usage errors.
    if (e && typeof e.code === 'string' && typeof e.hint === 'string') throw new UsageError(`${e.message}${e.hint ? ` ${e.hint}` : ''}`);
    throw error;
  } finally {
    store.close();
  }
}

function runId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`"${value}" is not a procedure run id (see \`azs-rotate procedure list\`).`);
  return id;
}

function printChecklist(checklist: Checklist): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(`${checklist.title} — ${checklist.run.stampName} (version ${checklist.run.stampVersion}), run ${checklist.run.id}, ${checklist.run.state}`), `${checklist.done} of ${checklist.required} required steps done.`, ''];
  checklist.steps.forEach((s, i) => {
    const glyph = s.status === 'done' ? c.green(GLYPH.done) : s.status === 'failed' ? c.red(GLYPH.failed) : GLYPH[s.status];
    lines.push(`${glyph} ${i + 1}. ${c.bold(s.title)}  ${c.dim(`(${s.id}${s.optional ? ', optional' : ''})`)}`);
    for (const v of s.verifiers) lines.push(`      auto: ${VERIFIER_LABELS[v.id]} — ${v.state}: ${v.message}`);
    if (s.confirmation) lines.push(`      confirmed ${s.confirmation.confirmedAt} by ${s.confirmation.actor}${s.confirmation.note ? `: ${s.confirmation.note}` : ''}`);
    if (s.blockedReason) lines.push(`      ${c.yellow(s.blockedReason)}${s.waitUntil ? ` Possible from ${s.waitUntil}.` : ''}`);
    if (s.window) lines.push(`      expected end ${s.window.earliest} – ${s.window.latest} (${s.window.state})`);
    for (const n of s.notes) lines.push(`      note: ${n}`);
    for (const k of s.checks) lines.push(`      check: ${k}`);
    if (s.command) lines.push(...s.command.split('\n').map((l) => `      ${c.cyan(l)}`));
  });
  if (checklist.omitted.length > 0) lines.push('', `Not for version ${checklist.run.stampVersion}: ${checklist.omitted.map((o) => `${o.title} (${o.gate})`).join('; ')}`);
  process.stdout.write(lines.join('\n') + '\n');
}

function output(checklist: Checklist, json: boolean | undefined): void {
  if (json) process.stdout.write(JSON.stringify({ schemaVersion: 1, ...checklist }, null, 2) + '\n');
  else printChecklist(checklist);
  process.exitCode = EXIT.ok;
}

/**
 * Parses `--param KEY=VALUE` items for a procedure; a malformed item or an unknown key is a usage error.
 *
 * Messages name keys and positions only, never a value: a password typed under a wrong key (or without a
 * key) must not end up in a terminal log or a CI transcript.
 */
function parseParams(procedureId: ProcedureId, values: string[]): Record<string, string> {
  const definition = procedure(procedureId);
  const params: Record<string, string> = {};
  values.forEach((item, index) => {
    const eq = item.indexOf('=');
    if (eq < 1) throw new UsageError(`--param #${index + 1} is not KEY=VALUE (${eq === 0 ? 'the key is empty' : 'no "=" in it'}); accepted keys for ${procedureId}: ${acceptedKeys(definition)}.`);
    params[item.slice(0, eq)] = item.slice(eq + 1);
  });
  const unknown = unknownParameterKeys(definition, params);
  if (unknown.length > 0) {
    throw new UsageError(
      `--param: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${procedureId}; accepted keys: ${acceptedKeys(definition)}. Parameters are names and paths only: the commands prompt for secrets.`,
    );
  }
  return params;
}

/** Registers `procedure list|start|show|confirm|runbook`. */
export function registerProcedure(program: Command): void {
  const group = program.command('procedure').summary('guided rotation checklists (start, show, confirm, runbook)');
  group.description(`Guided checklists of the rotation procedures: ${PROCEDURE_IDS.join(', ')}. Automatic steps are judged from what the app recorded (validation runs); the rest are confirmed with time and an optional note.`);

  group
    .command('list')
    .description('List procedure runs, newest first.')
    .option('--stamp <name>', 'only runs of this stamp')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (options: { stamp?: string; json?: boolean }, self: Command) =>
      withProcedures(self, (store, ctx, api) => {
        const stamp = options.stamp ? store.stamps.findByName(options.stamp) : null;
        if (options.stamp && !stamp) throw new UsageError(`No stamp named "${options.stamp}".`);
        const runs = store.procedures.list(stamp ? { stampId: stamp.id } : {}).map((r) => {
          const checklist = api.getChecklist(ctx, r.id);
          return { id: r.id, stamp: r.stampName, procedure: r.procedureId, state: r.state, startedAt: r.startedAt, done: checklist.done, required: checklist.required };
        });
        if (options.json) process.stdout.write(JSON.stringify({ schemaVersion: 1, runs }, null, 2) + '\n');
        else process.stdout.write(table(['Id', 'Stamp', 'Procedure', 'State', 'Started', 'Done'], runs.map((r) => [String(r.id), r.stamp, r.procedure, r.state, r.startedAt, `${r.done}/${r.required}`]), !!process.stdout.isTTY) + '\n');
        process.exitCode = EXIT.ok;
      }),
    );

  group
    .command('start')
    .description('Start a procedure for a stamp and print its checklist.')
    .argument('<procedure>', PROCEDURE_IDS.join('|'))
    .option('--stamp <name>', 'the stamp profile')
    .option('--param <key=value...>', 'procedure parameters (names and paths only, never secrets), e.g. packageId=Microsoft.Eventhub.1.2003.0.0; a key the procedure does not have is refused', [])
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (procedureId: string, options: { stamp?: string; param: string[]; json?: boolean }, self: Command) => {
      if (!(PROCEDURE_IDS as readonly string[]).includes(procedureId)) throw new UsageError(`"${procedureId}" is not a procedure; use one of ${PROCEDURE_IDS.join(', ')}.`);
      if (!options.stamp) throw new UsageError('Missing --stamp NAME.');
      const params = parseParams(procedureId as ProcedureId, options.param);
      await withProcedures(self, (store, ctx, api) => {
        const stamp = store.stamps.findByName(options.stamp as string);
        if (!stamp) throw new UsageError(`No stamp named "${options.stamp}".`);
        output(api.startProcedure(ctx, { stampId: stamp.id, procedureId: procedureId as ProcedureId, parameters: params }), options.json);
      });
    });

  group
    .command('show')
    .description('Print a checklist with its rendered commands.')
    .argument('<id>', 'procedure run id')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (id: string, options: { json?: boolean }, self: Command) =>
      withProcedures(self, (_store, ctx, api) => output(api.getChecklist(ctx, runId(id)), options.json)),
    );

  group
    .command('confirm')
    .description('Confirm a manual step (time and an optional note are recorded).')
    .argument('<id>', 'procedure run id')
    .argument('<step>', 'step id, as `procedure show` prints it')
    .option('--note <text>', 'optional note')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (id: string, step: string, options: { note?: string; json?: boolean }, self: Command) =>
      withProcedures(self, (_store, ctx, api) => output(api.confirmStep(ctx, runId(id), step, options.note ?? null), options.json)),
    );

  group
    .command('runbook')
    .description('Write the printable HTML runbook of a run with its current state.')
    .argument('<id>', 'procedure run id')
    .requiredOption('--out <file>', 'HTML file to write')
    .action(async (id: string, options: { out: string }, self: Command) =>
      withProcedures(self, (_store, ctx, api) => {
        const { html } = api.runbook(ctx, runId(id), typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev');
        try {
          writeFileSync(options.out, html, 'utf8');
        } catch (error) {
          throw new UsageError(`Cannot write ${options.out} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
        process.stdout.write(`Runbook written to ${options.out}\n`);
        process.exitCode = EXIT.ok;
      }),
    );
}
