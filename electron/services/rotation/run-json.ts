/**
 * The JSON shapes of rotation runs in the CLI contract (`cli.md`, schemaVersion 1).
 *
 * `rotate --json` and `runs show ID --json` print a run with its events; `runs list --json` prints runs
 * without events. Only the contract's fields are printed, in the contract's order, then its extensions
 * (`phase`, `cli.md` Extensions).
 */
import type { RotationRunSummary, RunEvent } from '../../../shared/rotation/rotation-run';

/** A run in the contract's shape, without events. */
export interface RunJson {
  schemaVersion: 1;
  id: number;
  stamp: string;
  kind: RotationRunSummary['kind'];
  state: RotationRunSummary['state'];
  startedAt: string;
  endedAt: string | null;
  ercs: string | null;
  actionPlanInstanceId: string | null;
  rerunOf: number | null;
  /** How far the run got: `checks` (nothing sent to the PEP), `pep-session`, `rotation`; null for older runs. */
  phase: RotationRunSummary['phase'];
}

/** One event in the contract's shape. */
export interface RunEventJson {
  seq: number;
  at: string;
  level: RunEvent['level'];
  type: string;
  text: string;
}

/** A run without events (an entry of `runs list --json`). */
export function runSummaryJson(run: RotationRunSummary): RunJson {
  return {
    schemaVersion: 1,
    id: run.id,
    stamp: run.stamp,
    kind: run.kind,
    state: run.state,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    ercs: run.ercs,
    actionPlanInstanceId: run.actionPlanInstanceId,
    rerunOf: run.rerunOf,
    phase: run.phase,
  };
}

/** A run with its events (`rotate --json`, `runs show ID --json`). */
export function runJson(run: RotationRunSummary, events: readonly RunEvent[]): RunJson & { events: RunEventJson[] } {
  return { ...runSummaryJson(run), events: events.map((e) => ({ seq: e.seq, at: e.at, level: e.level, type: e.type, text: e.text })) };
}

/**
 * `runs list --json`: `{ schemaVersion: 1, runs: [...] }`.
 *
 * Each entry is the run's shape without events (`cli.md`: "the same without events"), so an entry can be
 * read with the same code as `runs show`.
 */
export function runListJson(runs: readonly RotationRunSummary[]): { schemaVersion: 1; runs: RunJson[] } {
  return { schemaVersion: 1, runs: runs.map(runSummaryJson) };
}
