/**
 * Guided procedures over the store: start a checklist for a stamp, confirm steps, export the runbook,
 * and compute the container registry's certificate thumbprint from a PFX.
 *
 * Used by the IPC handlers and the CLI alike; every refusal is an `AppError` the operator can act on.
 */
import { IDENTITY_FOLDER, externalBase } from '../../../shared/endpoints/catalog';
import { buildChecklist, confirmationRefusal, procedureAvailable, type Checklist, type ProcedureRunRecord } from '../../../shared/procedures/checklist';
import { findProcedure } from '../../../shared/procedures/definitions';
import type { ProcedureId } from '../../../shared/procedures/model';
import { acceptedKeys, normaliseParameters, parameterProblems, unknownParameterKeys, type CommandStamp } from '../../../shared/procedures/render';
import { renderRunbookHtml } from '../../../shared/procedures/runbook-html';
import type { Stamp } from '../../../shared/stamps/stamp';
import { inspectPfx } from '../certificates/index';
import { AppError } from '../errors';
import type { Store } from '../store/index';
import { gatherFacts } from './facts';

/** What every procedure operation needs. */
export interface ProcedureContext {
  store: Store;
  /** Who the confirmations and the audit log name. */
  actor: string;
  now: () => Date;
}

/** A request to start a procedure. */
export interface StartProcedureRequest {
  stampId: number;
  procedureId: ProcedureId;
  parameters: Record<string, string>;
}

function stampOf(store: Store, stampId: number): Stamp {
  const stamp = store.stamps.get(stampId);
  if (!stamp) throw new AppError('not-found', `Stamp ${stampId} does not exist.`, 'It may have been deleted; choose the stamp again.');
  return stamp;
}

function runOf(store: Store, runId: number): ProcedureRunRecord {
  const run = store.procedures.get(runId);
  if (!run) throw new AppError('not-found', `Procedure run ${runId} does not exist.`, 'Reload the list of procedures.');
  return run;
}

/**
 * The stamp values commands are rendered with.
 *
 * When the profile was deleted the run's own name and version still render; the other values show as
 * placeholders to fill in.
 */
function commandStamp(store: Store, run: ProcedureRunRecord): CommandStamp {
  const stamp = run.stampId === null ? null : store.stamps.get(run.stampId);
  if (stamp) return stamp;
  return { name: run.stampName, region: '', externalFqdn: '', identity: 'aad', version: run.stampVersion, ercsIps: [] };
}

/**
 * The product whose certificate a value-add run rotates, or null for the other procedures.
 *
 * Runs store their parameters with defaults applied; the definition's default covers a run stored without.
 */
function productIdOf(run: ProcedureRunRecord): string | null {
  if (run.procedureId !== 'value-add-rp') return null;
  const fallback = findProcedure(run.procedureId)?.parameters.find((p) => p.key === 'productId')?.defaultValue ?? '';
  return (run.parameters.productId ?? '').trim() || fallback;
}

/** The checklist of a run, judged now from the stamp's recorded facts. */
export function getChecklist(ctx: ProcedureContext, runId: number): Checklist {
  const run = runOf(ctx.store, runId);
  const shareParameter = run.parameters.pfxFilesPath;
  const facts = gatherFacts(ctx.store, run.stampId ?? -1, shareParameter ? [shareParameter] : [], productIdOf(run));
  return buildChecklist(run, commandStamp(ctx.store, run), facts, ctx.now());
}

/** Checks and normalises parameters for a procedure, or throws naming each problem. */
function checkedParameters(procedureId: ProcedureId, parameters: Record<string, string>): Record<string, string> {
  const definition = findProcedure(procedureId);
  if (!definition) throw new AppError('invalid-request', `"${procedureId}" is not a procedure of this app.`, 'Choose a procedure from the list.');
  const unknown = unknownParameterKeys(definition, parameters);
  if (unknown.length > 0) {
    // Only the keys are named: a value given under a wrong key may be a secret.
    throw new AppError(
      'invalid-request',
      `${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${definition.title}.`,
      `Accepted: ${acceptedKeys(definition)}. Parameters are names and paths only; the commands prompt for secrets.`,
    );
  }
  const problems = parameterProblems(definition, parameters);
  const keys = Object.keys(problems);
  if (keys.length > 0) {
    const labels = new Map(definition.parameters.map((p) => [p.key, p.label]));
    throw new AppError(
      'invalid-request',
      keys.map((k) => `${labels.get(k) ?? k}: ${problems[k]}`).join(' '),
      'Correct the fields named above and start the procedure again.',
    );
  }
  return normaliseParameters(definition, parameters);
}

/** Starts a procedure for a stamp and returns its checklist. */
export function startProcedure(ctx: ProcedureContext, request: StartProcedureRequest): Checklist {
  const stamp = stampOf(ctx.store, request.stampId);
  const definition = findProcedure(request.procedureId);
  if (!definition) throw new AppError('invalid-request', `"${request.procedureId}" is not a procedure of this app.`, 'Choose a procedure from the list.');
  if (!procedureAvailable(request.procedureId, stamp.version)) {
    throw new AppError(
      'conflict',
      `${definition.title} is not available on version ${stamp.version} of ${stamp.name}.`,
      'Update the stamp first, or correct its version in the Stamps workspace.',
    );
  }
  const parameters = checkedParameters(request.procedureId, request.parameters);
  const at = ctx.now().toISOString();
  const runId = ctx.store.transaction(() => {
    const id = ctx.store.procedures.start({
      stampId: stamp.id,
      stampName: stamp.name,
      procedureId: request.procedureId,
      stampVersion: stamp.version,
      parameters,
      startedAt: at,
    });
    ctx.store.audit.append({ actor: ctx.actor, action: 'procedure.start', subject: `procedure:${id}`, detail: { stampId: stamp.id, procedure: request.procedureId }, at });
    return id;
  });
  return getChecklist(ctx, runId);
}

/**
 * Confirms a step with the time and an optional note.
 *
 * Refused for a closed run, a step the version leaves out, and a step whose wait has not passed (the
 * 10 minutes after an Event Hubs uninstall).
 */
export function confirmStep(ctx: ProcedureContext, runId: number, stepId: string, note: string | null): Checklist {
  const checklist = getChecklist(ctx, runId);
  const refusal = confirmationRefusal(checklist, stepId);
  if (refusal) throw new AppError('conflict', refusal, 'Reload the checklist to see the current state of the step.');
  const at = ctx.now().toISOString();
  const trimmed = note?.trim() ? note.trim() : null;
  ctx.store.transaction(() => {
    ctx.store.procedures.confirm(runId, { stepId, confirmedAt: at, note: trimmed, actor: ctx.actor });
    ctx.store.audit.append({ actor: ctx.actor, action: 'procedure.confirm', subject: `procedure:${runId}`, detail: { step: stepId, note: trimmed }, at });
  });
  return getChecklist(ctx, runId);
}

/** Takes a confirmation back (confirmed by mistake); only while the run is open. */
export function unconfirmStep(ctx: ProcedureContext, runId: number, stepId: string): Checklist {
  const run = runOf(ctx.store, runId);
  if (run.state !== 'open') throw new AppError('conflict', `Procedure run ${runId} is ${run.state}.`, 'Start a new procedure run to change it.');
  const at = ctx.now().toISOString();
  ctx.store.transaction(() => {
    if (ctx.store.procedures.unconfirm(runId, stepId)) {
      ctx.store.audit.append({ actor: ctx.actor, action: 'procedure.unconfirm', subject: `procedure:${runId}`, detail: { step: stepId }, at });
    }
  });
  return getChecklist(ctx, runId);
}

/** Replaces the parameters of an open run (checked like at the start). */
export function updateParameters(ctx: ProcedureContext, runId: number, parameters: Record<string, string>): Checklist {
  const run = runOf(ctx.store, runId);
  if (run.state !== 'open') throw new AppError('conflict', `Procedure run ${runId} is ${run.state}.`, 'Start a new procedure run to change it.');
  const checked = checkedParameters(run.procedureId, parameters);
  ctx.store.transaction(() => {
    ctx.store.procedures.setParameters(runId, checked);
    ctx.store.audit.append({ actor: ctx.actor, action: 'procedure.parameters', subject: `procedure:${runId}`, detail: { ...checked }, at: ctx.now().toISOString() });
  });
  return getChecklist(ctx, runId);
}

/** Closes a run: `completed` only when every required step is done; `abandoned` any time. */
export function finishProcedure(ctx: ProcedureContext, runId: number, state: 'completed' | 'abandoned'): Checklist {
  const checklist = getChecklist(ctx, runId);
  if (checklist.run.state !== 'open') throw new AppError('conflict', `Procedure run ${runId} is already ${checklist.run.state}.`, 'Start a new procedure run.');
  if (state === 'completed' && !checklist.complete) {
    throw new AppError(
      'conflict',
      `${checklist.required - checklist.done} required step(s) are not done yet.`,
      'Confirm the remaining steps, or abandon the run if the procedure was stopped.',
    );
  }
  const at = ctx.now().toISOString();
  ctx.store.transaction(() => {
    ctx.store.procedures.finish(runId, state, at);
    ctx.store.audit.append({ actor: ctx.actor, action: `procedure.${state === 'completed' ? 'complete' : 'abandon'}`, subject: `procedure:${runId}`, at });
  });
  return getChecklist(ctx, runId);
}

/** The runbook of a run as HTML, with a suggested file name. */
export function runbook(ctx: ProcedureContext, runId: number, appVersion: string): { html: string; fileName: string } {
  const checklist = getChecklist(ctx, runId);
  const stamp = commandStamp(ctx.store, checklist.run);
  const exportedAt = ctx.now().toISOString();
  const html = renderRunbookHtml(checklist, {
    appVersion,
    exportedAt,
    stampName: checklist.run.stampName,
    base: stamp.region ? `${externalBase(stamp.region, stamp.externalFqdn)}, ${IDENTITY_FOLDER[stamp.identity]}` : 'profile deleted',
  });
  const safe = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 60) || 'stamp';
  return { html, fileName: `runbook-${safe(checklist.run.procedureId)}-${safe(checklist.run.stampName)}-run${runId}-${exportedAt.slice(0, 10)}.html` };
}

/** What the container registry redeploy needs from the new certificate. */
export interface CertificateThumbprint {
  thumbprint: string;
  subject: string;
  notAfter: string;
}

/**
 * Opens a PFX with the engine's `inspectPfx` and returns its leaf certificate's SHA-1 thumbprint.
 *
 * The password is used for this call only and never stored.
 */
export function pfxThumbprint(file: string, password: string): CertificateThumbprint {
  let inspection;
  try {
    inspection = inspectPfx(file, password);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('io-error', `Cannot read ${file}${code ? ` (${code})` : ''}.`, 'Check the path and that this account can read the file.', { cause: error });
  }
  if (!inspection.opened && inspection.error?.code === 'unreadable') {
    throw new AppError('io-error', `Cannot read ${file}: ${inspection.error.message}.`, 'Check the path and that this account can read the file.');
  }
  if (!inspection.opened) {
    throw new AppError('invalid-request', `${file} does not open: ${inspection.error?.message ?? 'unknown reason'}.`, 'Check the PFX password and that the file is a PKCS#12 file.');
  }
  const leaf = inspection.certificates.find((c) => c.role === 'leaf') ?? inspection.certificates[0];
  if (!leaf) throw new AppError('invalid-request', `${file} holds no certificate.`, 'Export the certificate with its chain into the PFX.');
  return { thumbprint: leaf.thumbprint.toUpperCase(), subject: leaf.subject, notAfter: leaf.notAfter };
}
