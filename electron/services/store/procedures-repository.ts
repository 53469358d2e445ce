/**
 * SQL for guided procedure runs, their step confirmations and the latest probe report of each stamp.
 *
 * Parameters are stored as JSON because they are always read and written whole with their run; they are
 * names and paths only: the service keeps only the keys a procedure declares, and none is a secret (a
 * key like `secretName` names a Key Vault secret, so the audit log's key-based redaction is not applied).
 */
import type Database from 'better-sqlite3';
import type { ProcedureRunRecord, ProcedureRunState, StepConfirmation } from '../../../shared/procedures/checklist';
import type { ProcedureId } from '../../../shared/procedures/model';
import type { ProbeReport } from '../../../shared/probe/probe-result';

/** What a new procedure run records. */
export interface ProcedureRunInput {
  stampId: number;
  stampName: string;
  procedureId: ProcedureId;
  stampVersion: string;
  parameters: Record<string, string>;
  startedAt: string;
}

/** Typed access to `procedure_runs`, `procedure_confirmations` and `probe_reports`. */
export interface ProceduresRepository {
  /** Records a new open run; returns its id. */
  start(input: ProcedureRunInput): number;
  /** One run with its confirmations, or null. */
  get(runId: number): ProcedureRunRecord | null;
  /** Runs, newest first; only those of one stamp when `stampId` is given. */
  list(options?: { stampId?: number; limit?: number }): ProcedureRunRecord[];
  /** Records a confirmation; false when the step was already confirmed. */
  confirm(runId: number, confirmation: StepConfirmation): boolean;
  /** Removes a confirmation (the operator took it back); false when there was none. */
  unconfirm(runId: number, stepId: string): boolean;
  /** Replaces the parameters of an open run (the computed thumbprint, a secret URL read later). */
  setParameters(runId: number, parameters: Record<string, string>): void;
  /** Closes a run as completed or abandoned; false when it was not open. */
  finish(runId: number, state: Exclude<ProcedureRunState, 'open'>, at: string): boolean;
  /** Keeps the latest probe report of a stamp (one per stamp). */
  saveProbe(stampId: number, report: ProbeReport): void;
  /** The latest probe report of a stamp, or null. */
  latestProbe(stampId: number): ProbeReport | null;
}

interface RunRow {
  id: number;
  stamp_id: number | null;
  stamp_name: string;
  procedure_id: ProcedureId;
  stamp_version: string;
  parameters: string;
  state: ProcedureRunState;
  started_at: string;
  finished_at: string | null;
}

interface ConfirmationRow {
  step_id: string;
  confirmed_at: string;
  note: string | null;
  actor: string;
}

/**
 * Builds the procedures repository on an open, migrated database.
 *
 * Confirmations are keyed by run and step, so confirming a step twice keeps the first confirmation.
 */
export function createProceduresRepository(db: Database.Database): ProceduresRepository {
  const insertRun = db.prepare(`
    INSERT INTO procedure_runs (stamp_id, stamp_name, procedure_id, stamp_version, parameters, state, started_at)
    VALUES (@stampId, @stampName, @procedureId, @stampVersion, @parameters, 'open', @startedAt)`);
  const getRun = db.prepare<[number], RunRow>('SELECT * FROM procedure_runs WHERE id = ?');
  const listAll = db.prepare<[number], RunRow>('SELECT * FROM procedure_runs ORDER BY started_at DESC, id DESC LIMIT ?');
  const listByStamp = db.prepare<[number, number], RunRow>(
    'SELECT * FROM procedure_runs WHERE stamp_id = ? ORDER BY started_at DESC, id DESC LIMIT ?',
  );
  const confirmationsOf = db.prepare<[number], ConfirmationRow>(
    'SELECT step_id, confirmed_at, note, actor FROM procedure_confirmations WHERE run_id = ? ORDER BY confirmed_at, step_id',
  );
  const insertConfirmation = db.prepare<[number, string, string, string | null, string]>(
    'INSERT OR IGNORE INTO procedure_confirmations (run_id, step_id, confirmed_at, note, actor) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteConfirmation = db.prepare<[number, string]>('DELETE FROM procedure_confirmations WHERE run_id = ? AND step_id = ?');
  const updateParameters = db.prepare<[string, number]>("UPDATE procedure_runs SET parameters = ? WHERE id = ? AND state = 'open'");
  const finishRun = db.prepare<[string, string, number]>("UPDATE procedure_runs SET state = ?, finished_at = ? WHERE id = ? AND state = 'open'");
  const upsertProbe = db.prepare<[number, string, string]>(`
    INSERT INTO probe_reports (stamp_id, probed_at, report_json) VALUES (?, ?, ?)
    ON CONFLICT (stamp_id) DO UPDATE SET probed_at = excluded.probed_at, report_json = excluded.report_json`);
  const getProbe = db.prepare<[number], { report_json: string }>('SELECT report_json FROM probe_reports WHERE stamp_id = ?');

  const toRecord = (row: RunRow): ProcedureRunRecord => ({
    id: row.id,
    stampId: row.stamp_id,
    stampName: row.stamp_name,
    procedureId: row.procedure_id,
    stampVersion: row.stamp_version,
    parameters: JSON.parse(row.parameters) as Record<string, string>,
    state: row.state,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    confirmations: confirmationsOf.all(row.id).map((c) => ({ stepId: c.step_id, confirmedAt: c.confirmed_at, note: c.note, actor: c.actor })),
  });
  const toJson = (parameters: Record<string, string>) => JSON.stringify(parameters);

  return {
    start: (input) =>
      Number(
        insertRun.run({
          stampId: input.stampId,
          stampName: input.stampName,
          procedureId: input.procedureId,
          stampVersion: input.stampVersion,
          parameters: toJson(input.parameters),
          startedAt: input.startedAt,
        }).lastInsertRowid,
      ),
    get(runId) {
      const row = getRun.get(runId);
      return row ? toRecord(row) : null;
    },
    list(options = {}) {
      const limit = options.limit ?? 100;
      const rows = options.stampId === undefined ? listAll.all(limit) : listByStamp.all(options.stampId, limit);
      return rows.map(toRecord);
    },
    confirm: (runId, c) => insertConfirmation.run(runId, c.stepId, c.confirmedAt, c.note, c.actor).changes > 0,
    unconfirm: (runId, stepId) => deleteConfirmation.run(runId, stepId).changes > 0,
    setParameters(runId, parameters) {
      updateParameters.run(toJson(parameters), runId);
    },
    finish: (runId, state, at) => finishRun.run(state, at, runId).changes > 0,
    saveProbe(stampId, report) {
      upsertProbe.run(stampId, report.probedAt, JSON.stringify(report));
    },
    latestProbe(stampId) {
      const row = getProbe.get(stampId);
      return row ? (JSON.parse(row.report_json) as ProbeReport) : null;
    },
  };
}
