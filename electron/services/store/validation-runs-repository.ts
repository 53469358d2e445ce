/**
 * SQL for the validation history: runs, their reports and one row per certificate check.
 *
 * A run row is written when a validation starts (status `running`) so the history shows work in progress
 * and survives a crash; `finish` completes it with the report in one transaction.
 */
import type Database from 'better-sqlite3';
import { reportHasFailures, type ValidationReport } from '../../../shared/certificates/report';
import type { ValidationRunSummary } from '../../../shared/ipc/contract';

/** Status of a run. */
export type RunStatus = ValidationRunSummary['status'];

/** What a run was asked to validate; never includes the PFX password. */
export interface RunInput {
  stampId: number | null;
  jobId?: string | null;
  root: string;
  identity: 'aad' | 'adfs' | null;
  region: string;
  fqdn: string;
  paasDir?: string | null;
  currentCa?: string | null;
  stampVersion?: string | null;
  source: 'app' | 'cli';
  startedAt: string;
}

/** How a run ended. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: string;
  /** The engine's report; null when the run was cancelled or failed before producing one. */
  report: ValidationReport | null;
  /** For `error` runs: the typed error shown to the operator. */
  error?: { code: string; message: string } | null;
}

/** A stored run with everything the history screens show. */
export interface StoredRun {
  run: ValidationRunSummary;
  report: ValidationReport | null;
  jobId: string | null;
  paasDir: string | null;
  currentCa: string | null;
  stampVersion: string | null;
  error: { code: string; message: string } | null;
}

/** One stored check result. */
export interface StoredCheckResult {
  endpoint: string;
  folder: string;
  file: string;
  checkId: string;
  status: string;
  message: string;
  remediation: string;
}

/** Typed access to `validation_runs` and `validation_results`. */
export interface ValidationRunsRepository {
  /** Records a run that has started; returns its id. */
  start(input: RunInput): number;
  /** Completes a running run with its outcome; false when the run is not `running` any more. */
  finish(runId: number, outcome: RunOutcome): boolean;
  /** Records a run that already finished (the CLI's case) in one step; returns its id. */
  record(input: RunInput, outcome: RunOutcome): number;
  /** Runs, newest first; `stampId` undefined for all, null for runs without a stamp. */
  list(options?: { stampId?: number | null; limit?: number }): ValidationRunSummary[];
  /** One run with its report, or null. */
  get(runId: number): StoredRun | null;
  /** The per-check rows of a run, in report order. */
  results(runId: number): StoredCheckResult[];
  /**
   * Marks runs left `running` by a process that is gone as `error`; returns how many.
   *
   * Limited to one source, because the other program may be running right now.
   */
  abandonRunning(source: 'app' | 'cli', finishedAt: string): number;
}

/** The overall status of a finished report: `fail` beats `warning` beats `ok`. */
export function reportStatus(report: ValidationReport): 'ok' | 'warning' | 'fail' {
  if (reportHasFailures(report)) return 'fail';
  return report.summary.warning > 0 ? 'warning' : 'ok';
}

interface RunRow {
  id: number;
  stamp_id: number | null;
  stamp_name: string | null;
  job_id: string | null;
  root: string;
  identity: 'aad' | 'adfs' | null;
  region: string;
  fqdn: string;
  paas_dir: string | null;
  current_ca: string | null;
  stamp_version: string | null;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  ok_count: number;
  warning_count: number;
  fail_count: number;
  source: 'app' | 'cli';
  error_code: string | null;
  error_message: string | null;
  report_json: string | null;
}

const SELECT_RUN = `
  SELECT r.*, s.name AS stamp_name
  FROM validation_runs r LEFT JOIN stamps s ON s.id = r.stamp_id`;

function toSummary(row: RunRow): ValidationRunSummary {
  return {
    id: row.id,
    stampId: row.stamp_id,
    stampName: row.stamp_name,
    root: row.root,
    identity: row.identity,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    summary: { ok: row.ok_count, warning: row.warning_count, fail: row.fail_count },
    source: row.source,
  };
}

/**
 * Builds the validation-runs repository on an open, migrated database.
 *
 * Writing a report and its check rows happens in one transaction, so history never shows a run whose
 * rows are half there.
 */
export function createValidationRunsRepository(db: Database.Database): ValidationRunsRepository {
  const insertRun = db.prepare(`
    INSERT INTO validation_runs (stamp_id, job_id, root, identity, region, fqdn, paas_dir, current_ca,
                                 stamp_version, started_at, status, source)
    VALUES (@stampId, @jobId, @root, @identity, @region, @fqdn, @paasDir, @currentCa,
            @stampVersion, @startedAt, 'running', @source)`);
  const finishRun = db.prepare(`
    UPDATE validation_runs SET status = @status, finished_at = @finishedAt, ok_count = @ok,
      warning_count = @warning, fail_count = @fail, error_code = @errorCode, error_message = @errorMessage,
      report_json = @reportJson
    WHERE id = @id AND status = 'running'`);
  const insertResult = db.prepare(`
    INSERT INTO validation_results (run_id, endpoint, folder, file, check_id, status, message, remediation)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const getRun = db.prepare<[number], RunRow>(`${SELECT_RUN} WHERE r.id = ?`);
  const listAll = db.prepare<[number], RunRow>(`${SELECT_RUN} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`);
  const listByStamp = db.prepare<[number, number], RunRow>(
    `${SELECT_RUN} WHERE r.stamp_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
  );
  const listUnattached = db.prepare<[number], RunRow>(
    `${SELECT_RUN} WHERE r.stamp_id IS NULL ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
  );
  const resultRows = db.prepare<[number], { endpoint: string; folder: string; file: string; check_id: string; status: string; message: string; remediation: string }>(
    'SELECT endpoint, folder, file, check_id, status, message, remediation FROM validation_results WHERE run_id = ? ORDER BY id',
  );
  const abandon = db.prepare<[string, string]>(`
    UPDATE validation_runs SET status = 'error', finished_at = ?, error_code = 'internal',
      error_message = 'The run was interrupted: the program closed before it finished.'
    WHERE status = 'running' AND source = ?`);

  const start = (input: RunInput): number =>
    Number(
      insertRun.run({
        stampId: input.stampId,
        jobId: input.jobId ?? null,
        root: input.root,
        identity: input.identity,
        region: input.region,
        fqdn: input.fqdn,
        paasDir: input.paasDir ?? null,
        currentCa: input.currentCa ?? null,
        stampVersion: input.stampVersion ?? null,
        startedAt: input.startedAt,
        source: input.source,
      }).lastInsertRowid,
    );

  const finish = db.transaction((runId: number, outcome: RunOutcome): boolean => {
    const report = outcome.report;
    const changed = finishRun.run({
      id: runId,
      status: outcome.status,
      finishedAt: outcome.finishedAt,
      ok: report?.summary.ok ?? 0,
      warning: report?.summary.warning ?? 0,
      fail: report?.summary.fail ?? 0,
      errorCode: outcome.error?.code ?? null,
      errorMessage: outcome.error?.message ?? null,
      reportJson: report ? JSON.stringify(report) : null,
    }).changes;
    if (changed === 0) return false;
    for (const cert of report?.certificates ?? []) {
      for (const check of cert.checks) {
        insertResult.run(runId, cert.endpoint, cert.folder, cert.file, check.id, check.status, check.message, check.remediation);
      }
    }
    return true;
  });

  const record = db.transaction((input: RunInput, outcome: RunOutcome): number => {
    const id = start(input);
    finish(id, outcome);
    return id;
  });

  return {
    start,
    finish: (runId, outcome) => finish(runId, outcome),
    record: (input, outcome) => record(input, outcome),
    list(options = {}) {
      const limit = options.limit ?? 100;
      const rows =
        options.stampId === undefined
          ? listAll.all(limit)
          : options.stampId === null
            ? listUnattached.all(limit)
            : listByStamp.all(options.stampId, limit);
      return rows.map(toSummary);
    },
    get(runId) {
      const row = getRun.get(runId);
      if (!row) return null;
      return {
        run: toSummary(row),
        report: row.report_json === null ? null : (JSON.parse(row.report_json) as ValidationReport),
        jobId: row.job_id,
        paasDir: row.paas_dir,
        currentCa: row.current_ca,
        stampVersion: row.stamp_version,
        error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
      };
    },
    results: (runId) =>
      resultRows.all(runId).map((r) => ({
        endpoint: r.endpoint,
        folder: r.folder,
        file: r.file,
        checkId: r.check_id,
        status: r.status,
        message: r.message,
        remediation: r.remediation,
      })),
    abandonRunning: (source, finishedAt) => abandon.run(finishedAt, source).changes,
  };
}
