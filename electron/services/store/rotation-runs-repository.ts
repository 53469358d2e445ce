/**
 * SQL for PEP rotation runs: the run rows, their state changes and their append-only event stream.
 *
 * Events get their sequence number here, inside the transaction that writes them, so two writers can never
 * hand out the same number; a batch of events lands in one transaction, which is what lets the transport's
 * output be stored faster than it arrives.
 */
import type Database from 'better-sqlite3';
import type { NewRunEvent, RotationKind, RotationRunSummary, RunEvent, RunPhase, RunState } from '../../../shared/rotation/rotation-run';
import { RUN_STATES, RUN_TRANSITIONS } from '../../../shared/rotation/rotation-run';
import { redactSecrets } from './audit-log';

/** What a new run records; never a password, only the names and paths the operator chose. */
export interface RotationRunInput {
  stampId: number | null;
  stampName: string;
  kind: RotationKind;
  rehearsal: boolean;
  /** The simulator scenario (`fail-at-step:2`); null for a run against a stamp. */
  scenario: string | null;
  source: 'app' | 'cli';
  startedAt: string;
  rerunOf: number | null;
  /** Non-secret parameters of the run (share path, user names, switches). */
  parameters: Record<string, unknown>;
  /** The process that owns the run while it is active. */
  ownerPid: number;
  ownerHost: string;
}

/** A stored run with the fields only the service needs. */
export interface StoredRotationRun extends RotationRunSummary {
  scenario: string | null;
  source: 'app' | 'cli';
  parameters: Record<string, unknown>;
  pepStartedAt: string | null;
  ownerPid: number | null;
  ownerHost: string | null;
  heartbeatAt: string | null;
}

/** Facts learnt during a run; only the given keys are written. */
export interface RotationRunFacts {
  ercs?: string | null;
  actionPlanInstanceId?: string | null;
  pepStartedAt?: string | null;
  /** How far the run got (`checks` when created). */
  phase?: RunPhase;
}

/** A state change and the event that explains it. */
export interface RotationTransition {
  to: RunState;
  at: string;
  /** One line on how the run ended; written for final states and `interrupted`. */
  outcome?: string | null;
  /** The `run.state` event appended with the change; its text defaults to the outcome. */
  event?: Omit<NewRunEvent, 'type'> | null;
}

/** Typed access to `rotation_runs` and `rotation_events`. */
export interface RotationRunsRepository {
  /** Records a new run in `draft`; returns its id. */
  create(input: RotationRunInput): number;
  /**
   * Moves a run to another state if the state machine allows it from its current state, appending the
   * explaining event in the same transaction; returns that event, or null when the run is gone or in a
   * state that forbids the change.
   */
  transition(runId: number, change: RotationTransition): RunEvent | null;
  /** Writes facts learnt during the run. */
  setFacts(runId: number, facts: RotationRunFacts): void;
  /** Appends events in one transaction and returns them numbered; an empty batch writes nothing. */
  appendEvents(runId: number, events: readonly NewRunEvent[]): RunEvent[];
  /** Records that the owning process is alive. */
  heartbeat(runId: number, at: string): void;
  /** One run, or null. */
  get(runId: number): StoredRotationRun | null;
  /** Runs, newest first; optionally of one stamp (by profile name, case-insensitive). */
  list(options?: { stampName?: string; limit?: number }): StoredRotationRun[];
  /** A run's events in order; `afterSeq` for the ones after a known event. */
  events(runId: number, options?: { afterSeq?: number; limit?: number }): RunEvent[];
  /** Runs in `draft`, `preflight` or `running`: the ones whose owner may have died. */
  active(): StoredRotationRun[];
  /**
   * The newest run of this kind on this stamp that reached the PEP (an action plan started), or null: what
   * decides whether the next run must be a rerun. Rehearsals and real runs are kept apart, since the
   * simulator's stamp and the real one have separate histories.
   */
  lastReachedPep(stampId: number, kind: RotationKind, rehearsal: boolean): StoredRotationRun | null;
}

interface RunRow {
  id: number;
  stamp_id: number | null;
  stamp_name: string;
  kind: RotationKind;
  state: RunState;
  rehearsal: number;
  scenario: string | null;
  source: 'app' | 'cli';
  started_at: string;
  ended_at: string | null;
  ercs: string | null;
  action_plan_instance_id: string | null;
  rerun_of: number | null;
  pep_started_at: string | null;
  outcome: string | null;
  parameters: string;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: string | null;
  phase: RunPhase | null;
}

interface EventRow {
  seq: number;
  at: string;
  level: RunEvent['level'];
  type: string;
  text: string;
  data: string | null;
}

function toRun(row: RunRow): StoredRotationRun {
  return {
    id: row.id,
    stamp: row.stamp_name,
    stampId: row.stamp_id,
    kind: row.kind,
    state: row.state,
    rehearsal: row.rehearsal === 1,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    ercs: row.ercs,
    actionPlanInstanceId: row.action_plan_instance_id,
    rerunOf: row.rerun_of,
    outcome: row.outcome,
    reachedPep: row.pep_started_at !== null,
    phase: row.phase,
    scenario: row.scenario,
    source: row.source,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    pepStartedAt: row.pep_started_at,
    ownerPid: row.owner_pid,
    ownerHost: row.owner_host,
    heartbeatAt: row.heartbeat_at,
  };
}

function toEvent(row: EventRow): RunEvent {
  return {
    seq: row.seq,
    at: row.at,
    level: row.level,
    type: row.type,
    text: row.text,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}

/** For each state, the states a run may come from. */
const SOURCES: Record<RunState, RunState[]> = Object.fromEntries(
  RUN_STATES.map((to) => [to, RUN_STATES.filter((from) => RUN_TRANSITIONS[from].includes(to))]),
) as Record<RunState, RunState[]>;

const FINAL: readonly RunState[] = ['succeeded', 'failed', 'interrupted'];

/**
 * Builds the rotation-runs repository on an open, migrated database.
 *
 * Event appends and state changes take the write lock up front (IMMEDIATE), so a reader in another process
 * marking a dead run `interrupted` and the owner appending its last events cannot interleave numbers.
 */
export function createRotationRunsRepository(db: Database.Database): RotationRunsRepository {
  const insertRun = db.prepare(`
    INSERT INTO rotation_runs (stamp_id, stamp_name, kind, state, rehearsal, scenario, source, started_at, rerun_of,
                               parameters, owner_pid, owner_host, heartbeat_at, phase)
    VALUES (@stampId, @stampName, @kind, 'draft', @rehearsal, @scenario, @source, @startedAt, @rerunOf,
            @parameters, @ownerPid, @ownerHost, @startedAt, 'checks')`);
  const getRun = db.prepare<[number], RunRow>('SELECT * FROM rotation_runs WHERE id = ?');
  const listAll = db.prepare<[number], RunRow>('SELECT * FROM rotation_runs ORDER BY started_at DESC, id DESC LIMIT ?');
  const listByStamp = db.prepare<[string, number], RunRow>(
    'SELECT * FROM rotation_runs WHERE stamp_name = ? COLLATE NOCASE ORDER BY started_at DESC, id DESC LIMIT ?',
  );
  const activeRuns = db.prepare<[], RunRow>("SELECT * FROM rotation_runs WHERE state IN ('draft', 'preflight', 'running') ORDER BY id");
  const lastPep = db.prepare<[number, string, number], RunRow>(
    'SELECT * FROM rotation_runs WHERE stamp_id = ? AND kind = ? AND rehearsal = ? AND pep_started_at IS NOT NULL ORDER BY pep_started_at DESC, id DESC LIMIT 1',
  );
  const maxSeq = db.prepare<[number], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM rotation_events WHERE run_id = ?');
  const insertEvent = db.prepare<[number, number, string, string, string, string, string | null]>(
    'INSERT INTO rotation_events (run_id, seq, at, level, type, text, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const eventsAfter = db.prepare<[number, number, number], EventRow>(
    'SELECT seq, at, level, type, text, data FROM rotation_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const heartbeatStmt = db.prepare<[string, number]>('UPDATE rotation_runs SET heartbeat_at = ? WHERE id = ?');

  const append = (runId: number, events: readonly NewRunEvent[]): RunEvent[] => {
    let seq = maxSeq.get(runId)!.seq;
    const now = new Date().toISOString();
    return events.map((e) => {
      seq += 1;
      const stored: RunEvent = { seq, at: e.at ?? now, level: e.level, type: e.type, text: e.text, data: e.data ?? null };
      insertEvent.run(runId, seq, stored.at, stored.level, stored.type, stored.text, stored.data === null ? null : JSON.stringify(stored.data));
      return stored;
    });
  };
  const appendTx = db.transaction(append);

  // One statement per target state: the allowed source states are part of the WHERE clause, so the check
  // and the change are a single atomic UPDATE. Entering `running` is the rotation phase by definition, so the
  // phase can never lag behind the state.
  const transitionStmts = Object.fromEntries(
    RUN_STATES.map((to) => {
      const from = SOURCES[to].map((s) => `'${s}'`).join(', ') || 'NULL';
      const final = FINAL.includes(to);
      return [
        to,
        db.prepare<[string, string | null, string | null, number]>(
          `UPDATE rotation_runs SET state = ?, outcome = COALESCE(?, outcome), ended_at = ${final ? '?' : 'COALESCE(?, ended_at)'}${to === 'running' ? ", phase = 'rotation'" : ''}
           WHERE id = ? AND state IN (${from})`,
        ),
      ];
    }),
  ) as Record<RunState, Database.Statement<[string, string | null, string | null, number]>>;

  const transitionTx = db.transaction((runId: number, change: RotationTransition): RunEvent | null => {
    const final = FINAL.includes(change.to);
    const result = transitionStmts[change.to].run(change.to, change.outcome ?? null, final ? change.at : null, runId);
    if (result.changes === 0) return null;
    const text = change.event?.text ?? change.outcome ?? `State: ${change.to}.`;
    const [event] = append(runId, [{ level: change.event?.level ?? 'info', type: 'run.state', text, data: { state: change.to, ...(change.event?.data ?? {}) }, at: change.at }]);
    return event!;
  });

  const setFactsStmt = db.prepare(`
    UPDATE rotation_runs SET
      ercs = CASE WHEN @setErcs THEN @ercs ELSE ercs END,
      action_plan_instance_id = CASE WHEN @setPlan THEN @plan ELSE action_plan_instance_id END,
      pep_started_at = CASE WHEN @setPep THEN @pep ELSE pep_started_at END,
      phase = COALESCE(@phase, phase)
    WHERE id = @id`);

  return {
    create: (input) =>
      Number(
        insertRun.run({
          stampId: input.stampId,
          stampName: input.stampName,
          kind: input.kind,
          rehearsal: input.rehearsal ? 1 : 0,
          scenario: input.scenario,
          source: input.source,
          startedAt: input.startedAt,
          rerunOf: input.rerunOf,
          // Parameters are meant to hold names and paths only; a key that names a secret is dropped anyway.
          parameters: JSON.stringify(redactSecrets(input.parameters)),
          ownerPid: input.ownerPid,
          ownerHost: input.ownerHost,
        }).lastInsertRowid,
      ),
    transition: (runId, change) => transitionTx.immediate(runId, change),
    setFacts(runId, facts) {
      setFactsStmt.run({
        id: runId,
        setErcs: facts.ercs !== undefined ? 1 : 0,
        ercs: facts.ercs ?? null,
        setPlan: facts.actionPlanInstanceId !== undefined ? 1 : 0,
        plan: facts.actionPlanInstanceId ?? null,
        setPep: facts.pepStartedAt !== undefined ? 1 : 0,
        pep: facts.pepStartedAt ?? null,
        phase: facts.phase ?? null,
      });
    },
    appendEvents: (runId, events) => (events.length === 0 ? [] : appendTx.immediate(runId, events)),
    heartbeat(runId, at) {
      heartbeatStmt.run(at, runId);
    },
    get(runId) {
      const row = getRun.get(runId);
      return row ? toRun(row) : null;
    },
    list(options = {}) {
      const limit = options.limit ?? 200;
      const rows = options.stampName === undefined ? listAll.all(limit) : listByStamp.all(options.stampName.trim(), limit);
      return rows.map(toRun);
    },
    events: (runId, options = {}) => eventsAfter.all(runId, options.afterSeq ?? 0, options.limit ?? -1).map(toEvent),
    active: () => activeRuns.all().map(toRun),
    lastReachedPep(stampId, kind, rehearsal) {
      const row = lastPep.get(stampId, kind, rehearsal ? 1 : 0);
      return row ? toRun(row) : null;
    },
  };
}
